"""Texts whose error is an escaped string: literal ``\\n``, ``\\r\\n``, ``\\"`` (a JSON or Go string
printed without being decoded: Ansible's ``msg``, klog's quoted values, a deployment's inner error
posted from the portal), sometimes escaped twice; and HTML entities (``&quot;``, ``&#39;``) of a
text copied from a web page's source."""

import html
import json
import re

NAME = "escaped"

# A literal \n is a line feed when what follows starts a line (a capital, a quote, a brace, white
# space, another escape): "C:\new\file" in a Windows path is not one.
_ESCAPE = re.compile(r'\\(?:(r\\n|n(?=[A-Z\s"\'{}\[\]\\-]|$)|r(?=\\n)|t|"|\'|/|\\)|u([0-9a-fA-F]{4}))')
_DECODER = json.JSONDecoder(strict=False)
_GO_FIELDS = re.compile(r'\b(?:Code|Message)="')
_ROUNDS = 3


def detect(text):
    return '\\"' in text or "\\n" in text or ("&" in text and bool(_ENTITY.search(text)))


def _one(found):
    if found.group(2):
        return chr(int(found.group(2), 16))
    escaped = found.group(1)
    return {"r\\n": "\n", "n": "\n", "r": "", "t": "\t"}.get(escaped, escaped)


def unescape(text):
    """``text`` with its escapes decoded, as many times as it was escaped (up to three)."""
    for _ in range(_ROUNDS):
        decoded = _ESCAPE.sub(_one, text)
        if decoded == text:
            break
        text = decoded
    return text


_ENTITY = re.compile(r"&(?:quot|apos|amp|lt|gt|nbsp|#\d{2,4}|#x[0-9a-fA-F]{2,4});")


def clean(message):
    if "&" in message and _ENTITY.search(message):
        message = html.unescape(message)
    return unescape(message) if ("\\" in message and _ESCAPE.search(message)) else message


def _is_json(text):
    """True when the line holds a JSON value the JSON parser reads as it is (its strings are
    decoded there, and decoding them here would break it)."""
    for start in sorted(index for index in (text.find("{"), text.find("[")) if index >= 0):
        try:
            _DECODER.raw_decode(text[start:])
        except ValueError:
            continue
        return True
    return False


# A member of a JSON document printed over several lines: ``"key": "string",``.
_MEMBER = re.compile(r'^\s*"[\w.$@-]+"\s*:\s*(?P<value>".*")\s*,?\s*$')


def _embedded(text):
    """The JSON document a member's string value holds (Image Builder's ``statusMessage``), None
    when the line is no such member, ``""`` when it is one whose value is plain text."""
    member = _MEMBER.match(text)
    if not member:
        return None
    try:
        value = json.loads(member.group("value"), strict=False)
    except ValueError:
        return None
    return value if isinstance(value, str) and value.strip().startswith("{") else ""


def rewrite(lines):
    out = []
    for line in lines:
        if "&" in line.text and _ENTITY.search(line.text):
            line = line._replace(text=html.unescape(line.text))
        if "\\" not in line.text or not _ESCAPE.search(line.text):
            out.append(line)
            continue
        if _GO_FIELDS.search(line.text):
            # Code="..." Message="..." strings are Go-quoted: the autorest reader decodes them.
            out.append(line)
            continue
        embedded = _embedded(line.text)
        if embedded is not None or _is_json(line.text):
            # A JSON string is decoded by the JSON parser; only a JSON document inside one is shown.
            out.append(line._replace(text=embedded) if embedded else line)
            continue
        for part in unescape(line.text).split("\n"):
            out.append(line._replace(text=part))
    return out
