"""Az PowerShell 7 error views: the ``Line |`` view whose message runs down a ``|`` gutter, and the
concise view that puts a record's fields (``ErrorCode: ... ErrorMessage: ...``) on one line.

    New-AzGalleryImageVersion: C:\\build\\publish.ps1:279
    Line |
     279 |  $ImageVersion = New-AzGalleryImageVersion `
         |                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~
         | The security type 'TrustedLaunchSupported' is not supported ... ErrorCode:
         | InvalidParameter ErrorMessage: The security type ... ErrorTarget: galleryImageVersion.propertie

becomes a record the PowerShell parser reads (``Cmdlet: message``, then one field a line), and the
source line becomes ``Line : ...`` (its parameters name the resource).
"""

import re

NAME = "powershell-view"

_HEADER = re.compile(r"^(?P<cmdlet>[A-Z][a-z]+-[A-Z][A-Za-z]+)\s?:\s+(?P<where>[^\s]*:\d+)\s*$")
_LINE_LABEL = re.compile(r"^\s*Line\s*\|\s*$")
_SOURCE = re.compile(r"^\s*(?P<number>\d+)\s*\|\s?(?P<code>.*)$")
_UNDERLINE = re.compile(r"^\s*\|\s*~+\s*$")
_GUTTER = re.compile(r"^\s+\|\s?(?P<text>.*)$")
_FIELDS = re.compile(r"\s(?=(?:ErrorCode|ErrorMessage|ErrorTarget|StatusCode|ReasonPhrase|OperationID)\s?:)")
_INLINE = re.compile(r"\S\s+ErrorCode\s?:\s*\S")
_MESSAGE_FIELD = re.compile(r"\bErrorMessage\s?:\s*(?P<message>.+?)(?=\s(?:ErrorTarget|StatusCode|ReasonPhrase|"
                            r"OperationID)\s?:|$)", re.DOTALL)


def detect(text):
    return "|" in text and bool(re.search(r"(?m)^\s+\|", text)) or "ErrorCode" in text


def clean(message):
    """A message read with its gutters or its inline fields: the message alone."""
    if "|" in message and "\n" in message:
        message = re.sub(r"[ \t]*\n[ \t]*\|[ \t]?", " ", message)
    if "ErrorMessage" in message and "ErrorCode" in message:
        found = _MESSAGE_FIELD.search(message)
        if found:
            message = found.group("message").strip()
    return message


def _split_fields(line):
    """One line per field of a concise record."""
    if not _INLINE.search(line.text):
        return [line]
    return [line._replace(text=part.strip()) for part in _FIELDS.split(line.text) if part.strip()]


def rewrite(lines):
    out = []
    index = 0
    while index < len(lines):
        line = lines[index]
        header = _HEADER.match(line.text.strip())
        following = index + 1
        if header:
            cmdlet = header.group("cmdlet")
            while following < len(lines) and (_LINE_LABEL.match(lines[following].text)
                                              or _SOURCE.match(lines[following].text)
                                              or _UNDERLINE.match(lines[following].text)):
                source = _SOURCE.match(lines[following].text)
                if source:
                    out.append(lines[following]._replace(text="Line : " + source.group("code").strip()))
                following += 1
            head = line._replace(text=cmdlet + ":")
        else:
            head = line
        parts = []
        while following < len(lines) and _GUTTER.match(lines[following].text) and \
                not _UNDERLINE.match(lines[following].text):
            parts.append(_GUTTER.match(lines[following].text).group("text").strip())
            following += 1
        if parts or header:
            joined = (head.text.rstrip() + " " + " ".join(parts)).strip()
            out.extend(_split_fields(head._replace(text=joined)))
        else:
            out.extend(_split_fields(line))
        index = following
    return out
