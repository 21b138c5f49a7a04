"""Azure VM Image Builder's ways of reporting a failed run or a refused template:

* ``lastRunStatus`` as JSON (``"runState": "Failed"``, ``"message": "..."``), often a fragment;
* Az PowerShell's list view (``LastRunStatusMessage : ...`` with indented continuation lines);
* the DevOps task (``put template call failed for template t_1 with error: ... (CODE: 200)``);
* customization.log lines (``[id] PACKER OUT ==> azure-arm: ERROR: -> Code : message``).

Each failure becomes an ``ERROR:`` line (or keeps its Packer form) marked as Image Builder's.
"""

import re

from azext_sig_doctor.explain.forms.lines import as_error

NAME = "image-builder"
SOURCE = "image-builder"

_LIST_FIELD = re.compile(r"^\s*LastRunStatusMessage\s*:\s*(?P<message>.*)$")
_LIST_NEXT = re.compile(r"^\s{8,}(?P<text>\S.*)$")
_RUN_MESSAGE = re.compile(r'^\s*"message"\s*:\s*"(?P<message>(?:\\.|[^"\\])*)"\s*,?\s*$')
_TEMPLATE_CALL = re.compile(r"\b(?:put|get|delete|run) template call failed for template\s+\S+\s+with error:\s*"
                            r"(?P<message>.*?)\s*(?:\(CODE:\s*\d+\))?[\s\"\u201d]*$", re.IGNORECASE)
_PACKER_OUT = re.compile(r"^\s*\[[\w-]+\]\s*PACKER (?:OUT|ERR)\s*")
_MARKS = ("lastRunStatus", "LastRunStatus", "template call failed", "PACKER OUT", "PACKER ERR", "azvmimagebuilder",
          "runState")


def detect(text):
    return any(mark in text for mark in _MARKS)


def rewrite(lines):
    in_status = any("lastRunStatus" in line.text or '"runState"' in line.text for line in lines)
    out = []
    index = 0
    while index < len(lines):
        line = lines[index]
        text = line.text
        listed = _LIST_FIELD.match(text)
        if listed:
            message = [listed.group("message").strip()]
            following = index + 1
            while following < len(lines) and _LIST_NEXT.match(lines[following].text):
                message.append(_LIST_NEXT.match(lines[following].text).group("text").strip())
                following += 1
            out.append(line._replace(text="ERROR: " + " ".join(message), source=SOURCE))
            index = following
            continue
        run = _RUN_MESSAGE.match(text) if in_status and '"message"' in text else None
        if run:
            out.append(line._replace(text="ERROR: " + run.group("message"), source=SOURCE))
        elif "template call failed" in text and _TEMPLATE_CALL.search(text) and \
                not re.search(r'=|"\w+"\s*:', text[:_TEMPLATE_CALL.search(text).start()]):
            # The DevOps task's own line (a message already inside another wrapper is left to it).
            found = _TEMPLATE_CALL.search(text)
            out.extend(as_error(line, text[:found.start()], found.group("message"), SOURCE))
        elif _PACKER_OUT.match(text):
            out.append(line._replace(text=_PACKER_OUT.sub("", text), source=SOURCE))
        else:
            out.append(line)
        index += 1
    return out
