"""A create that Azure refused, explained with the knowledge base.

Azure's error (from the PUT itself or from the long-running operation) is matched to an entry the
way ``explain`` matches a message; a known error becomes an Azure CLI error that says what went
wrong, with the fix and the next commands as its recommendation. An unknown error keeps Azure's own
code and message as the error text, exactly as ``az`` prints them, and gets a recommendation that
says how to look further (``unknown_failure``).
"""

import re

from azext_sig_doctor.domain import markers

_PRINTED_CODE = re.compile(r"^\((?P<code>[A-Za-z0-9_.]+)\)\s*(?P<message>.*)", re.DOTALL)


class ServiceError:
    """The code, message and details Azure sent with a refusal."""

    __slots__ = ("code", "message", "details", "target", "status")

    def __init__(self, code, message, details=(), target=None, status=None):
        self.code = code
        self.message = message or ""
        self.details = list(details)
        self.target = target
        self.status = status

    @classmethod
    def from_exception(cls, exc):
        """Read an azure-core HttpResponseError, whether from the PUT or from a failed operation."""
        status = getattr(getattr(exc, "response", None), "status_code", None) or getattr(exc, "status_code", None)
        odata = getattr(exc, "error", None)
        if odata is not None and (getattr(odata, "code", None) or getattr(odata, "message", None)):
            details = [(getattr(item, "code", None), getattr(item, "message", None) or "")
                       for item in getattr(odata, "details", None) or []]
            return cls(odata.code, odata.message, details, getattr(odata, "target", None), status)
        text = str(getattr(exc, "message", None) or exc)
        printed = _PRINTED_CODE.match(text.strip())
        if printed:
            message = printed.group("message").split("\nCode:")[0].strip()
            return cls(printed.group("code"), message, status=status)
        return cls(None, text, status=status)

    def printed(self):
        """Azure's error as ``az`` prints it: ``(Code) Message``."""
        return "({}) {}".format(self.code, self.message) if self.code else self.message


def match_error(code, message, path=None, body=None, details=(), command_words=None, existing=False):
    """The finding ``explain`` makes of one service error (``explain.explain_error``), or None when
    the knowledge base does not know it: a create's error and the same error pasted into ``az sig
    doctor explain`` name the same entry with the same values and the same fixed command."""
    from azext_sig_doctor.explain import explain_error
    return explain_error(code, message, details, path, body, command_words=command_words, existing=existing)


def _mask(text):
    from azext_sig_doctor.secrets import mask
    return mask(text)


def explain_failure(exc, what, path=None, body=None, command_words=None, existing=False):
    """The Azure CLI error to raise for ``exc``; None when the knowledge base does not know it.

    ``what`` names the create in plain words ("image version g/i/1.0.0"); ``path`` and ``body``
    are those of the PUT; ``command_words`` the user's command line (for the fixed command);
    ``existing``: Azure accepted the PUT before failing it, so the resource is left behind.
    """
    error = ServiceError.from_exception(exc)
    finding = match_error(error.code, error.message, path, body, error.details, command_words, existing)
    if finding is None:
        return None
    return build_cli_error(error, finding, what)


def unknown_failure(exc, inspect_commands):
    """The Azure CLI error for an error the knowledge base does not know: Azure's ``(Code) Message``
    as the text, and as the recommendation the commands that show what Azure made of the resource
    and how to get the whole exchange to ``explain``."""
    # The text and error type az itself gives this exception (azure.cli.core.util.handle_exception).
    lines = ["The doctor's knowledge base has no entry for this error (Azure's code and message are above)."]
    lines += ["See what Azure made of it: " + command if index == 0 else "  or: " + command
              for index, command in enumerate(inspect_commands)]
    lines.append("For the whole request and response: run the command again with --debug 2> sig-debug.log, "
                 "then: az sig doctor explain --log sig-debug.log")
    return cli_error(exc, "\n".join(lines))


def cli_error(exc, recommendation=None):
    """The Azure CLI error az itself would make of ``exc`` (its text and type), masked."""
    from azure.cli.core.util import extract_common_error_message, get_error_type_by_status_code
    text = extract_common_error_message(exc) or getattr(exc, "message", None) or str(exc)
    error_type = get_error_type_by_status_code(str(getattr(exc, "status_code", None) or "Unknown Code"))
    return error_type(_mask(text), recommendation)


def build_cli_error(error, finding, what):
    from azure.cli.core.azclierror import AzureResponseError, ResourceNotFoundError
    headline = "Azure refused to create the {}: {} [{}]".format(what, finding["title"], finding["id"])
    text = "{}\n{}".format(headline, markers.azure_said(_mask(error.printed())))
    return (ResourceNotFoundError if error.status == 404 else AzureResponseError)(text, recommendation(finding))


def recommendation(finding):
    """Cause, fix and next commands of an explain finding, as one text (labels in the current language)."""
    from azext_sig_doctor.i18n.catalog import say
    lines = []
    if finding.get("cause"):
        lines.append(say("guidance", "why", text=_mask(finding["cause"])))
    if finding.get("fix"):
        lines.append(say("guidance", "fix", text=_mask(finding["fix"])))
    if finding.get("fixed_command"):
        for step in (finding.get("fix_details") or {}).get("before") or []:
            lines.append(say("guidance", "first", command=_mask(step["command"])))
        lines.append(say("guidance", "fixed-command", command=_mask(finding["fixed_command"])))
    elif finding.get("unresolved"):
        lines.append(say("guidance", "no-fixed-command", reason=_mask(finding["unresolved"])))
    if finding.get("commands"):
        lines.append(say("guidance", "next"))
        notes = finding.get("command_notes") or []
        for index, command in enumerate(finding["commands"]):
            lines.append("  " + _mask(command))
            # A note says when a command needs care (a version number already taken, ...): as a shell
            # comment, it is harmless if pasted along.
            if index < len(notes) and notes[index]:
                lines.append("    # " + _mask(notes[index]))
    lines.append(say("guidance", "more", id=finding["id"]))
    return "\n".join(lines)
