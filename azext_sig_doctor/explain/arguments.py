"""Values from the command line an ``az --debug`` log starts with (``Command arguments: [...]``).

The request URL names the resource a failure hit, but not every failure has a request (a
client-side error, sig-doctor stopping a create on its pre-checks), and the arguments also carry
values the message leaves out (the source, the target regions). Only the options below are read:
nothing else of the command line (passwords, custom data) is kept.
"""

import ast
import re

# option -> placeholder name, for the gallery commands and the ones sig-doctor mirrors.
_OPTIONS = {
    "-g": "resource_group", "--resource-group": "resource_group",
    "-r": "gallery", "--gallery-name": "gallery",
    "-i": "image", "--gallery-image-definition": "image",
    "-e": "version", "--gallery-image-version": "version",
    "-l": "region", "--location": "region",
    "--virtual-machine": "source_id", "--managed-image": "source_id", "--image-version": "source_id",
    "--os-snapshot": "source_id",
    "--data-snapshots": "data_source_ids", "--data-snapshot-luns": "data_source_luns",
    "--target-regions": "regions",
    "--subscription": "subscription",
}
_LIST_OPTIONS = ("regions", "data_source_ids", "data_source_luns")
# Python's repr of a list of plain words (no quote or backslash inside): read without compiling it.
_PLAIN_LIST = re.compile(r"\[(?:'[^'\\\n]*'(?:, '[^'\\\n]*')*)?\]")
_PLAIN_WORD = re.compile(r"'([^']*)'")


def _words(text):
    text = text.strip()
    if _PLAIN_LIST.fullmatch(text):
        return _PLAIN_WORD.findall(text)
    return ast.literal_eval(text)


class LoggedCommand(dict):
    """``{placeholder: value}`` of a logged command line; ``words`` is the line itself, from which
    explain writes the fixed command (the user's own line with the fixes applied)."""

    words = ()


def parse(text):
    """The ``LoggedCommand`` of the text after ``Command arguments:`` (empty when unreadable)."""
    try:
        words = _words(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return LoggedCommand()
    if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
        return LoggedCommand()
    command = LoggedCommand(_values(words))
    command.words = tuple(words)
    return command


def option_values(words):
    """``{placeholder: value}`` of the options of a command line's words (the table above)."""
    return _values(words)


def _values(words):
    values = {}
    position = 0
    while position < len(words):
        option = words[position]
        name = _OPTIONS.get(option)
        position += 1
        if name is None:
            continue
        taken = []
        while position < len(words) and not words[position].startswith("-"):
            taken.append(words[position])
            position += 1
            if name not in _LIST_OPTIONS:
                break
        if taken and name not in values:
            values[name] = ", ".join(taken) if name in _LIST_OPTIONS else taken[0]
            if name == "source_id":
                # Which kind of source it is, for a source given by name rather than by id.
                values["source_option"] = option
    return values
