"""The Azure SDK for Go's error block (azcore ``ResponseError``), as CAPZ, Karpenter, Packer and
other Go programs print it:

    PUT https://management.azure.com/subscriptions/.../virtualMachines/vm1
    --------------------------------------------------------------------------------
    RESPONSE 404: 404 Not Found
    ERROR CODE: GalleryImageNotFound
    --------------------------------------------------------------------------------
    { "error": { "code": ..., "message": ... } }          (or the message alone, quoted)
    --------------------------------------------------------------------------------

The request becomes ``Request URL`` / ``Request method`` lines (they name the resource), a JSON
body is left to the JSON parser, a quoted message (or none: a block cut short) becomes
``(Code) message``.
"""

import re

NAME = "go-sdk"

_REQUEST = re.compile(r"(?P<method>GET|PUT|PATCH|POST|DELETE)\s+(?P<url>https://management\.[^\s\"']+)")
_RESPONSE = re.compile(r"^\W*RESPONSE\s+(?P<status>\d{3}):\s*(?P<rest>.*)$")
_ERROR_CODE = re.compile(r"^\W*ERROR CODE:\s*(?P<code>[A-Za-z][\w.]*)\s*$")
_RULE = re.compile(r"^[\s│|]*-{10,}\s*$")
_STATUS_TEXT = re.compile(r"^\d{3}\s+[A-Z][A-Za-z ]+$")
_LOOKAHEAD = 12
_BODY_LOOKAHEAD = 40


def detect(text):
    return "RESPONSE " in text or "ERROR CODE:" in text


def _quoted(text):
    text = text.strip().strip("│|").strip()
    return text[1:] if text.startswith('"') else text


def rewrite(lines):
    out = []
    index = 0
    while index < len(lines):
        line = lines[index]
        response = _RESPONSE.match(line.text)
        if not response:
            request = _REQUEST.search(line.text) if "management." in line.text else None
            out.append(line)
            if request:
                out.append(line._replace(text="Request URL: '{}'".format(request.group("url"))))
                out.append(line._replace(text="Request method: '{}'".format(request.group("method"))))
            index += 1
            continue
        rest = response.group("rest").strip()
        code = None if _STATUS_TEXT.match(rest) else (rest.split()[0] if rest else None)
        following = index + 1
        if following < len(lines):
            found = _ERROR_CODE.match(lines[following].text)
            if found:
                code = found.group("code")
                following += 1
        message = []
        body = False
        position = following
        while position < len(lines) and position - following < _LOOKAHEAD:
            text = lines[position].text
            if _RULE.match(text):
                if message:
                    break
                position += 1
                continue
            if text.strip().strip("│|").strip().startswith("{"):
                # The JSON body follows: the JSON parser reads it, unless it was cut before a message.
                body = any('"message"' in later.text for later in lines[position:position + _BODY_LOOKAHEAD])
                break
            if not text.strip():
                break
            message.append(_quoted(text))
            position += 1
        if body:
            index = following
            continue
        text = " ".join(message).strip().rstrip('"').strip()
        if code:
            out.append(line._replace(text="({}) {}".format(code, text or "RESPONSE {}: {}".format(
                response.group("status"), rest))))
        index = position if message else following
    return out
