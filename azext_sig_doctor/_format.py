"""Table transformers for ``-o table``; they only reshape what a command returned."""

from collections import OrderedDict


def error_list_table(result):
    return [OrderedDict([("Id", row["id"]), ("Section", row["section"]), ("Title", row["title"])])
            for row in result]
