"""Packer and Terraform output lines that quote an ARM error.

Seen forms (Go SDKs quote with %q, so a message may hold ``\\"``):

* ``... StatusCode=400 -- Original Error: Code="InvalidParameter" Message="..." Target="..."``
* ``... Original Error: autorest/azure: Service returned an error. Status=400 Code="..." Message="..."``
* ``... unexpected status 400 (400 Bad Request) with error: InvalidParameter: ...`` (go-azure-sdk)
* ``==> azure-arm: ERROR: -> InvalidParameter : ...`` (Packer's azure-arm builder)
"""

import re

_QUOTED = r'"((?:\\.|[^"\\])*)"'
_CODE_MESSAGE = re.compile(r'\bCode=' + _QUOTED + r'\s+Message=' + _QUOTED + r'(?:\s+Target=' + _QUOTED + r')?')
_CODE_MESSAGE_OPEN = re.compile(r'\bCode=' + _QUOTED + r'\s+Message="(.*)$')
_WITH_ERROR = re.compile(r'\bwith error:\s*(?P<code>[A-Za-z][\w.]*):\s*(?P<message>.+)$')
# Packer's "ERROR: -> Code : message" (the ERROR: may have been read as the line's level already).
_PACKER_ARROW = re.compile(r'(?:\bERROR:\s*|^\s*)->\s*(?P<code>[A-Za-z][\w.]*)\s*:\s*(?P<message>.+)$')
_ORIGINAL_ERROR = re.compile(r'\bOriginal Error:\s*(?P<message>.+)$')
_STATUS = re.compile(r'\b(?:StatusCode|Status)=(\d{3})\b|\bunexpected status (\d{3})\b')

# Terraform names the resource in the error summary, e.g.
#   Error: creating Image Version (Subscription: "..." Resource Group Name: "rg" Gallery Name: "g" ...)
#   Error: creating Image Version: (Version "1.0.0" / Image Name "i" / Gallery Name "g" / Resource Group "rg")
_TF_NAMES = (
    ("subscription", re.compile(r'\bSubscription(?: ID)?:?\s+"([^"]+)"')),
    ("resource_group", re.compile(r'\bResource Group(?: Name)?:?\s+"([^"]+)"')),
    ("gallery", re.compile(r'\bGallery(?: Name)?:?\s+"([^"]+)"')),
    ("image", re.compile(r'\bImage(?: Name)?:?\s+"([^"]+)"')),
    ("version", re.compile(r'\bVersion(?: Name)?:?\s+"([^"]+)"')),
    ("vm", re.compile(r'\bVirtual Machine(?: Name)?:?\s+"([^"]+)"')),
    # Packer's azure-arm builder lists its gallery target before publishing:
    #   ==> azure-arm:  -> Shared Image Gallery             : 'contoso_images'
    ("gallery", re.compile(r"-> Shared Image Gallery\s*:\s*'([^']+)'")),
    ("image", re.compile(r"-> Shared Image\s*:\s*'([^']+)'")),
    ("version", re.compile(r"-> Shared Image Version\s*:\s*'([^']+)'")),
)


def _go_unquote(text):
    return re.sub(r'\\(.)', lambda found: {"n": "\n", "t": "\t"}.get(found.group(1), found.group(1)), text)


def _source(line):
    return "packer" if ("==>" in line or "azure-arm" in line or "Build '" in line) else "terraform"


OPEN_QUOTE = "open-quote"
_CLOSING = re.compile(r'^((?:\\.|[^"\\])*)"(?:\s+Target=' + _QUOTED + r')?')


def parse_line(line):
    """``(code, message, target, status, source, closed)`` of a Packer/Terraform error line, or None.

    ``closed`` is False when the message is not quoted, so it may go on over the next lines, and
    ``OPEN_QUOTE`` when its quote is still open at the end of the line (``quoted_rest`` reads on).
    """
    if "Code=" not in line and "with error:" not in line and "->" not in line and "Original Error:" not in line:
        return None  # none of the forms below can match (each holds one of these): spare the searches
    status_found = _STATUS.search(line)
    status = int(next(group for group in status_found.groups() if group)) if status_found else None
    found = _CODE_MESSAGE.search(line)
    if found and found.group(2) is not None:
        target = _go_unquote(found.group(3)) if found.group(3) else None
        return found.group(1), _go_unquote(found.group(2)), target, status, _source(line), True
    found = _CODE_MESSAGE_OPEN.search(line)
    if found:
        # The message goes on over the next lines (the service's text held a line feed).
        return found.group(1), _go_unquote(found.group(2)), None, status, _source(line), OPEN_QUOTE
    for pattern in (_WITH_ERROR, _PACKER_ARROW):
        found = pattern.search(line)
        if found:
            source = "packer" if pattern is _PACKER_ARROW else _source(line)
            return found.group("code"), found.group("message").strip(), None, status, source, False
    found = _ORIGINAL_ERROR.search(line)
    if found:
        return None, found.group("message").strip(), None, status, _source(line), False
    return None


def quoted_rest(lines):
    """``(text, target, count)``: the rest of a quoted message that ``lines`` continue, up to its
    closing quote, its ``Target="..."`` and how many lines it took (0 when no quote closes it)."""
    parts = []
    for count, line in enumerate(lines, 1):
        found = _CLOSING.match(unframed(line).strip())
        if found:
            parts.append(found.group(1))
            target = _go_unquote(found.group(2)) if found.group(2) else None
            return _go_unquote(" ".join(parts)), target, count
        parts.append(unframed(line).strip())
    return "", None, 0


def resource_names(text):
    """The resource names a Terraform error summary or Packer's progress lines give (maybe none).

    ``text`` ends at the error: a name stated more than once takes its statement nearest to the end.
    """
    nearest = {}
    for key, pattern in _TF_NAMES:
        for found in pattern.finditer(text):
            if key not in nearest or found.start() > nearest[key][0]:
                nearest[key] = (found.start(), found.group(1))
    return {key: value for key, (_, value) in nearest.items()}


# The frame a tool puts in front of each line of a multi-line error: Terraform's diagnostic box
# (its gutter, the box's top and bottom) or Packer's ``==> build-name:``.
_FRAME = re.compile("^\\s*(?:[\u2502\u2577\u2575]\\s?|(?:==>|-->)\\s*[^\\s:]+:\\s?)")
_BOX_TOP, _BOX_BOTTOM = "\u2577", "\u2575"


def unframed(text):
    """``text`` without the frame of a Terraform box or a Packer build in front of it."""
    return _FRAME.sub("", text, count=1)


def starts_error(text):
    """True for the first line of a Terraform diagnostic (``Error: ...`` or its box's top)."""
    stripped = text.strip()
    return stripped == _BOX_TOP or unframed(text).lstrip().startswith("Error:")


def ends_error(text):
    """True for the bottom of a Terraform diagnostic box: what follows is not part of it."""
    return text.strip() == _BOX_BOTTOM


# go-azure-sdk (Terraform's azurerm provider, Packer's azure plugin) states a failed operation over
# several lines, each value quoted by Go's %q (resourcemanager.Error):
#   Error: creating Image Version (Subscription: "..." ... Version Name: "1.0.0"): polling after
#   CreateOrUpdate: polling failed: the Azure API returned the following error:
#
#   Status: "Failed"
#   Code: "CrpPirReplicationJobsNotCompleted"
#   Message: "Replication job not completed at region: westcentralus"
#   Activity Id: ""
#
#   ---
#
#   API Response:
#
#   ----[start]----
#   {"status":"Failed","error":{...}}
#   -----[end]-----
_API_ERROR_INTRO = "the Azure API returned the following error:"
_API_ERROR_FIELD = re.compile(r'^(?P<name>Status|Code|Message|Activity Id):\s*' + _QUOTED + r'\s*$')
_API_RESPONSE_START = ("---", "API Response:", "----[start]----")
_API_RESPONSE_END = "-----[end]-----"
_API_FIELDS_MAX_LINES = 12
API_ERROR_MAX_LINES = 400  # the quoted response body may be pretty-printed over many lines


def starts_api_error(text):
    """True for the line that introduces go-azure-sdk's multi-line error."""
    return text.rstrip().endswith(_API_ERROR_INTRO)


def parse_api_error(lines):
    """``(code, message, source, last)`` of go-azure-sdk's error introduced by ``lines[0]``
    (``last``: the index in ``lines`` of its last line), or None when it states no code or message."""
    fields = {}
    last = 0
    for position in range(1, min(len(lines), _API_FIELDS_MAX_LINES + 1)):
        text = unframed(lines[position]).strip()
        found = _API_ERROR_FIELD.match(text)
        if found:
            fields.setdefault(found.group("name"), _go_unquote(found.group(2)))
            last = position
        elif text in _API_RESPONSE_START:
            last = _api_response_end(lines, position, last)
            break
        elif text:
            break
    if not fields.get("Code") and not fields.get("Message"):
        return None
    return fields.get("Code") or None, fields.get("Message") or "", _source(lines[0]), last


def _api_response_end(lines, start, last):
    """The index of the ``-----[end]-----`` that closes the quoted response, else ``last``."""
    for position in range(start, min(len(lines), API_ERROR_MAX_LINES)):
        if unframed(lines[position]).strip() == _API_RESPONSE_END:
            return position
    return last


# Packer's azure-arm builder states what it is about to do, one value a line:
#   ==> azure-arm:  -> Location          : 'eastus'                 (creating the build resource group)
#   ==> azure-arm:  -> SIG publish resource group            : 'rg-images'
#   ==> azure-arm:  -> SIG replication regions               : '[eastus westus2]'
# ``build`` is the build's name (``azure-arm`` or ``azure-arm.ubuntu`` when a template has several).
_PACKER_LABEL = re.compile(r"(?:(?:==>|-->)\s*(?P<build>[^\s:]+):)?\s*-> (?P<label>[A-Za-z]+(?: [A-Za-z]+)*)\s*:\s*"
                           r"'(?P<value>[^']*)'\s*$")
_PACKER_LINE_MAX = 2048  # a statement line is short; a longer line is read by its start
_PACKER_BUILD = re.compile(r"(?:==>|-->)\s*(?P<build>[^\s:]+):|\bBuild '(?P<quoted>[^']+)'")
# Label (lower case) -> the placeholders it gives. The version's location is the build location.
_PACKER_VALUES = {
    "location": ("region", "source_region"),
    "shared image gallery region": ("region",),
    "sig publish resource group": ("resource_group",),
    "sig gallery name": ("gallery",),
    "sig image name": ("image",),
    "sig image version": ("version",),
    "sig replication regions": ("regions",),
    "mdi id used for sig publish": ("source_id",),
    "source id used for sig publish": ("source_id",),
    "shared image gallery": ("gallery",),
    "shared image": ("image",),
    "shared image version": ("version",),
    # the managed image step: "-> Image ResourceGroupName : 'rg'", "-> Image Name : 'img'"
    "image resourcegroupname": ("resource_group",),
    "image name": ("name",),
}
RESOURCE_KEYS = ("subscription", "resource_group", "gallery", "image", "version", "vm")


def packer_build(line):
    """The name of the Packer build a line belongs to, or None."""
    found = _PACKER_BUILD.search(line[:_PACKER_LINE_MAX])
    return (found.group("build") or found.group("quoted")) if found else None


def packer_label(line):
    """``(build, {placeholder: value})`` of a Packer line that states a value, or None."""
    if "-> " not in line:
        return None
    found = _PACKER_LABEL.search(line[:_PACKER_LINE_MAX])
    if not found:
        return None
    names = _PACKER_VALUES.get(" ".join(found.group("label").lower().split()))
    value = found.group("value").strip()
    if not names or not value:
        return None
    if names == ("regions",):
        value = _packer_regions(value)
        if not value:
            return None
        unique = ", ".join(dict.fromkeys(value.split(", ")))  # each once, in the order given
        return found.group("build"), {"regions": value, "unique_regions": unique}
    return found.group("build"), {name: value for name in names}


def _packer_regions(text):
    """``[eastus westus2]`` (Go's way of printing a list) -> ``eastus, westus2``. Display names
    (``[East US West US 2]``) cannot be split back into regions: nothing is returned for them."""
    inner = text.strip().strip("[]").strip()
    parts = [part.strip() for part in inner.split(",")] if "," in inner else inner.split()
    if not parts or not all(re.fullmatch(r"[a-z0-9]+", part) for part in parts):
        return None
    return ", ".join(parts)


def packer_values(labelled, build):
    """The values stated by the ``labelled`` lines (``(build, values)`` pairs, the nearest to the
    error first) of the same ``build``: the nearest statement of each value wins."""
    values = {}
    for line_build, found in labelled:
        if build and line_build and line_build != build:
            continue
        for name, value in found.items():
            values.setdefault(name, value)
    return values


# Terraform states where in the configuration a failing resource is, inside the error's box:
#   │   with azurerm_shared_image_version.example,
#   │   on main.tf line 42, in resource "azurerm_shared_image_version" "example":
_TF_WITH = re.compile(r"^\s*with (?P<address>[\w.\[\]\"-]+),\s*$")
_TF_ON = re.compile(r"^\s*on (?P<file>\S+) line (?P<line>\d+)")
# Packer names the build that failed: "Build 'azure-arm.ubuntu' errored after ..."
_PACKER_BUILD = re.compile(r"Build '(?P<build>[^']+)' errored")
_TOOL_LOOKAHEAD = 14


def tool_location(texts, index, source):
    """Where in the tool's own files the error at ``texts[index]`` is: Terraform's resource address,
    file and line, Packer's build name (empty when the output does not say)."""
    found = {}
    if source == "packer":
        for text in texts[index:index + _TOOL_LOOKAHEAD]:
            build = _PACKER_BUILD.search(text)
            if build:
                found["build"] = build.group("build")
                break
        return found
    for text in texts[index + 1:index + _TOOL_LOOKAHEAD]:
        if ends_error(text) or (starts_error(text) and found):
            break
        plain = unframed(text)
        with_found = _TF_WITH.match(plain)
        on_found = _TF_ON.match(plain)
        if with_found:
            found["address"] = with_found.group("address")
        elif on_found:
            found["file"], found["line"] = on_found.group("file"), int(on_found.group("line"))
    return found
