"""Apply a check-build finding's edit to a copy of a template: what a user does with it.

HCL and JSON templates are edited at the edit's line (the setting's line is rewritten keeping its
indentation; a setting the template leaves out is written after the block's line); a Terraform
plan is edited at the edit's JSON path.
"""

import json
import re


def apply(edit, path):
    """Write ``edit`` ({file, line, setting, value, text, path}) into the file at ``path``."""
    if edit.get("path"):
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        target = data
        for key in edit["path"][:-1]:
            target = target[key]
        target[edit["path"][-1]] = edit["value"]
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
        return
    with open(path, encoding="utf-8", newline="") as handle:
        lines = handle.read().split("\n")
    index = edit["line"] - 1
    current = lines[index]
    name = edit["setting"].rsplit(".", 1)[-1]
    indent = re.match(r"\s*", current).group(0)
    ending = "\r" if current.endswith("\r") else ""
    if re.match(r'\s*"?{}"?\s*[=:]'.format(re.escape(name)), current):
        trailing = "," if current.rstrip().endswith(",") else ""
        lines[index] = indent + edit["text"] + trailing + ending
    else:
        lines.insert(index + 1, indent + "  " + edit["text"] + ending)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("\n".join(lines))
