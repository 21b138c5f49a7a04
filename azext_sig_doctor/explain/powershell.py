"""Az PowerShell error records, as a console or a transcript shows them:

    New-AzGalleryImageVersion : <message>            (Windows PowerShell; `Name: msg` in PowerShell 7)
    ErrorCode: InvalidParameter
    ErrorMessage: <message>
    ErrorTarget: <target>
    StatusCode: 400
    ReasonPhrase: Bad Request
    At line:1 char:1
    + New-AzGalleryImageVersion ...
        + CategoryInfo          : CloseError: (:) [New-AzGalleryImageVersion], ComputeCloudException
"""

import re

_CMDLET = re.compile(r"^(?P<cmdlet>[A-Z][a-z]+-[A-Z][A-Za-z]+)\s?:\s+(?P<message>\S.*)$")
_FIELD = re.compile(
    r"^(?P<key>ErrorCode|ErrorMessage|ErrorTarget|StatusCode|ReasonPhrase|OperationID)\s*:\s*(?P<value>.*)$")
_RECORD_END = re.compile(r"^(?:At line:\d+|At [^\n]*:\d+ char:\d+|\+ |\s*\+ (?:CategoryInfo|FullyQualifiedErrorId))")
_LOOKAHEAD = 8


# The prompt line a transcript shows for a gallery cmdlet it ran:
#   PS C:\build> New-AzGalleryImageVersion -ResourceGroupName rg-img -GalleryName gal01 ...
_PROMPT = re.compile(r"^PS(?:\s[^>]*)?>\s*(?P<cmdlet>(?:New|Update)-AzGallery[A-Za-z]*)(?P<arguments>\s.*)?$",
                     re.IGNORECASE)
# Only these parameters are read (names, region, source id): nothing else of the line is kept.
_PARAMETERS = {
    "resourcegroupname": "resource_group",
    "galleryname": "gallery",
    "galleryimagedefinitionname": "image",
    "location": "region",
    "sourceimageid": "source_id",
    "sourceimagevmid": "source_id",
}
# -Name names what the cmdlet creates or updates.
_NAME_OF = {
    "azgallery": "gallery",
    "azgalleryimagedefinition": "image",
    "azgalleryimageversion": "version",
}
# A single-quoted string ('' is a quote), a double-quoted one (` escapes) or a bare word.
_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"`]|`.)*\"|[^\s'\"]+")


def is_prompt(text):
    """True for the prompt line of a gallery cmdlet (``PS C:\\> New-AzGalleryImageVersion ...``)."""
    return bool(_PROMPT.match(text.strip()))


def tokens(text):
    """The words of a PowerShell command line (quoted strings kept whole)."""
    return _TOKEN.findall(text or "")


def literal(token):
    """The value a token stands for, or None when PowerShell would compute it (a variable, an
    expression, a hashtable)."""
    if token.startswith("'") and token.endswith("'") and len(token) >= 2:
        return token[1:-1].replace("''", "'")
    if token.startswith('"') and token.endswith('"') and len(token) >= 2:
        inner = token[1:-1]
        return None if "$" in inner else re.sub(r"`(.)", r"\1", inner)
    if token[0] in "$(@{" or "$" in token:
        return None
    return token


def command_values(text):
    """``{placeholder: value}`` from the parameters of a gallery cmdlet's prompt line ({} when the
    line is not one); values PowerShell computes (``$name``) are left out."""
    found = _PROMPT.match(text.strip())
    if not found:
        return {}
    noun = found.group("cmdlet").split("-", 1)[1].lower()
    names = dict(_PARAMETERS, name=_NAME_OF.get(noun))
    tokens = _TOKEN.findall(found.group("arguments") or "")
    values = {}
    position = 0
    while position < len(tokens):
        token = tokens[position]
        position += 1
        if not re.match(r"^-[A-Za-z]+:?$|^-[A-Za-z]+:\S", token):
            continue
        parameter, _, attached = token[1:].partition(":")
        name = names.get(parameter.lower())
        if attached:
            value_token = attached
        elif position < len(tokens) and not re.match(r"^-[A-Za-z]", tokens[position]):
            value_token = tokens[position]
            position += 1
        else:
            continue
        value = literal(value_token)
        if name and value and name not in values:
            values[name] = value
    return values


def is_field(text):
    return bool(_FIELD.match(text.strip()))


def parse_record(lines, index):
    """``(first, last, code, message, target, status)`` of a record around ``lines[index]``, or None.

    ``lines`` are prefix-free texts; ``first``/``last`` are the indexes the record spans.
    """
    text = lines[index].strip()
    cmdlet = _CMDLET.match(text)
    field = _FIELD.match(text)
    if not cmdlet and not (field and field.group("key") == "ErrorCode"):
        return None
    first = index
    message_lines = []
    if cmdlet:
        message_lines.append(cmdlet.group("message"))
        position = index + 1
        # The message may continue over more lines until the fields or the "At line:" part.
        while position < len(lines) and position - index < _LOOKAHEAD:
            following = lines[position].strip()
            if not following or _FIELD.match(following) or _RECORD_END.match(following):
                break
            message_lines.append(following)
            position += 1
        if position >= len(lines):
            return None
        following = lines[position].strip()
        if not (_FIELD.match(following) or _RECORD_END.match(following)):
            return None
    else:
        position = index
        if index > 0 and _CMDLET.match(lines[index - 1].strip()):
            return None  # handled from the cmdlet line
    fields = {}
    key = None
    while position < len(lines):
        following = lines[position].strip()
        found = _FIELD.match(following)
        if found:
            key = found.group("key")
            fields.setdefault(key, found.group("value").strip())
        elif key == "ErrorMessage" and following and not _RECORD_END.match(following):
            fields[key] += "\n" + following  # a message of several lines
        else:
            break
        position += 1
    last = position - 1
    while position < len(lines) and _RECORD_END.match(lines[position]) and position - last <= _LOOKAHEAD:
        last = position
        position += 1
    message = fields.get("ErrorMessage") or " ".join(message_lines)
    status = fields.get("StatusCode")
    return (first, max(last, first), fields.get("ErrorCode") or None, message, fields.get("ErrorTarget") or None,
            int(status) if status and status.isdigit() else None)
