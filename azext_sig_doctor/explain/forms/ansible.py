"""Ansible's Azure modules (azure.azcollection):

    fatal: [localhost]: FAILED! => {"changed": false, "msg": "Error creating image img1 - Azure Error:
    InvalidParameter\\nMessage: Required parameter 'hyperVGeneration' is missing (null).\\nTarget: ..."}

The task result's ``msg`` is taken out of its JSON (the escapes module has decoded it when the
result was not whole JSON), ``Azure Error: Code`` / ``Message:`` / ``Target:`` become ``(Code)
message`` and ``Target:``; the module's arguments (``invocation.module_args``) stay for the values.
"""

import json
import re

NAME = "ansible"
SOURCE = "ansible"

_TASK = re.compile(r"^(?P<lead>.*?\bFAILED!\s*=>\s*)(?P<result>\{.*)$")
_AZURE_ERROR = re.compile(r"\bAzure Error:\s*(?P<code>[A-Za-z][\w.]*)\s*$")
_AZURE_ERROR_INLINE = re.compile(r"^(?P<lead>.*?)\s*-?\s*Azure Error:\s*(?P<code>[A-Za-z][\w.]*)\s*(?P<rest>.*)$")
_FIELD = re.compile(r'^\s*"?(?P<key>Message|Target):\s*(?P<value>.*?)"?,?\s*$')
_MSG = re.compile(r'^\s*"msg":\s*"(?P<msg>.*)",?\s*$')
_DECODER = json.JSONDecoder(strict=False)


def detect(text):
    return "Azure Error:" in text or "FAILED!" in text or '"msg":' in text


def _task_lines(line):
    """The lines of a task result's ``msg`` (and its module arguments as one JSON line)."""
    found = _TASK.match(line.text)
    data = None
    if found:
        try:
            data = _DECODER.raw_decode(found.group("result"))[0]
        except ValueError:
            data = None
    if not isinstance(data, dict) or not isinstance(data.get("msg"), str):
        msg = _MSG.match(line.text)
        if msg:
            try:
                text = json.loads('"' + msg.group("msg") + '"', strict=False)
            except ValueError:
                text = msg.group("msg").replace("\\n", "\n")
            return [line._replace(text=part, source=SOURCE) for part in text.split("\n")]
        return None
    lines = [line._replace(text=found.group("lead").strip(), source=SOURCE)]
    lines += [line._replace(text=part, source=SOURCE) for part in data["msg"].split("\n")]
    arguments = (data.get("invocation") or {}).get("module_args")
    if isinstance(arguments, dict):
        lines.append(line._replace(text="Ansible module arguments: " + json.dumps(arguments), source=SOURCE))
    return lines


def rewrite(lines):
    expanded = []
    for line in lines:
        parts = _task_lines(line) if ("FAILED!" in line.text or '"msg":' in line.text) else None
        expanded.extend(parts or [line])
    out = []
    index = 0
    while index < len(expanded):
        line = expanded[index]
        inline = _AZURE_ERROR_INLINE.match(line.text) if "Azure Error:" in line.text else None
        if not inline:
            out.append(line)
            index += 1
            continue
        code, message, target = inline.group("code"), inline.group("rest").strip(), None
        following = index + 1
        while following < len(expanded):
            field = _FIELD.match(expanded[following].text)
            if not field:
                break
            if field.group("key") == "Message":
                message = field.group("value").strip()
            else:
                target = field.group("value").strip()
            following += 1
        if inline.group("lead").strip():
            out.append(line._replace(text=inline.group("lead").strip(), source=SOURCE))
        out.append(line._replace(text="({}) {}".format(code, message), source=SOURCE))
        if target:
            out.append(line._replace(text="Target: " + target, source=SOURCE))
        index = following
    return out
