"""SDK exceptions around an error: Python (``azure.core.exceptions.HttpResponseError: (Code)
message``, a tool's own ``lisa.util.LisaException: (Code) ...``, ``... failed with exception (Code)
...``), Java (``com.microsoft.azure.CloudException: message: message``, ``ApiErrorException:
Status code 409, "{...}"``) and .NET (``ValidationException: Id cannot be null``).

``(Code) message`` is put at the start of its own line (az's form); an exception's message
without a code becomes an ``ERROR:`` line; ``Status code NNN, {json}`` is left to the JSON parser.
"""

import re

from azext_sig_doctor.domain import markers
from azext_sig_doctor.explain import prefix

NAME = "sdk-exception"

_EXCEPTION = re.compile(r"^(?P<lead>.*?)(?P<name>\b(?:[a-z_][\w$]*\.)*[A-Z][\w$]*(?:Exception|Error))"
                        r"(?:\s*\[[^\]]*\])?:\s*(?P<rest>\S.*)$")
_PAREN = re.compile(r"\((?P<code>[A-Z][A-Za-z0-9]{2,})\)\s+(?=\S)")
# What may stand right before an inline "(Code)": " - ", ": ", "exception ", "error ".
_BEFORE_CODE = re.compile(r"(?:\s-\s|:\s|\bexception\s|\berror\s)$")
# sig-doctor's own refusal ("ERROR: Azure refused to ...\nAzure said: (Code) message"): the parser
# reads it as it is.
_OWN_LEAD = markers.AZURE_SAID


class _Inline:
    """``search(text)``: the first "(Code) message" inside a line (cheap: a literal "(" first)."""

    @staticmethod
    def finditer(text):
        for found in _PAREN.finditer(text):
            if _BEFORE_CODE.search(text, max(0, found.start() - 10), found.start()) and \
                    not text.endswith(_OWN_LEAD, 0, found.start()):
                yield found

    def search(self, text):
        return next(self.finditer(text), None)


_INLINE_CODE = _Inline()
_STATUS_CODE = re.compile(r"^Status code \d{3},")
_NOT_EXCEPTIONS = ("Error", "ValueError")
# az names the error its argument validators raise (knack's parser, azure.cli.core.azclierror):
# such an error happened before any request of the command itself was sent.
AZ_VALIDATION = "az-validation"
_AZ_VALIDATION_ERRORS = ("ValidationError", "azure.cli.core.azclierror.ValidationError")


_MAX_INLINE_TRIES = 20


def detect(text):
    if "Exception" in text:
        return True
    # "(Code)" inside a line, but not az's own "ERROR: ...azclierror: (Code)" lines (already read).
    for count, found in enumerate(_INLINE_CODE.finditer(text)):
        if count >= _MAX_INLINE_TRIES:
            break
        start = text.rfind("\n", 0, found.start()) + 1
        if not prefix.has_prefix(text[start:found.start()]):
            return True
    return False


def _repeated(message):
    """Java's CloudException says its message twice (``msg.: msg.``): once is enough."""
    half = message.find(": ")
    while half > 0:
        first, second = message[:half].strip(), message[half + 2:].strip()
        if first and first.rstrip(".") == second.rstrip("."):
            return first
        half = message.find(": ", half + 1)
    return message


def rewrite(lines):
    out = []
    for line in lines:
        text = line.text
        found = _EXCEPTION.match(text) if ("Exception" in text or "Error:" in text) else None
        # Only an exception that starts its line (or Java's "Exception in thread"): one quoted in a
        # field or a JSON string stays where it is.
        if found and found.group("name").split(".")[-1] not in _NOT_EXCEPTIONS and \
                (not found.group("lead").strip() or found.group("lead").startswith("Exception in thread")):
            rest = found.group("rest").strip()
            if _STATUS_CODE.match(rest) or rest.startswith("{"):
                out.append(line)
            elif rest.startswith("("):
                source = AZ_VALIDATION if found.group("name") in _AZ_VALIDATION_ERRORS else line.source
                out.append(line._replace(text=rest, source=source))
            else:
                out.append(line._replace(text="ERROR: " + _repeated(rest)))
            continue
        inline = _INLINE_CODE.search(text)
        if inline and not text.lstrip().startswith("(") and not prefix.has_prefix(text):
            lead = text[:inline.start()].rstrip(" -:")
            if lead.strip():
                out.append(line._replace(text=lead))
            out.append(line._replace(text=text[inline.start():]))
            continue
        out.append(line)
    return out
