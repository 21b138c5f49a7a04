"""A create that Azure refused, explained with the knowledge base.

Azure's error (from the PUT itself or from the long-running operation) is matched to an entry the
way ``explain`` matches a message; a known error becomes an Azure CLI error that says what went
wrong, with the fix and the next commands as its recommendation. An unknown error is raised again
untouched, so the user sees Azure's own code and message exactly as ``az`` would print them.
"""

import re

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


def match_error(code, message, context):
    """The knowledge-base match for one service error, or None.

    The one place that decides how a create's error is matched, so it can follow ``explain``'s
    matcher once that is the shared entry point. ``context`` holds placeholder values known from
    the request (resource group, gallery, regions, …); values read from the message win.
    """
    from azext_sig_doctor import knowledge
    found = knowledge.best_match(message, code)
    if found is None:
        return None
    values = dict(context or {})
    values.update({key: value for key, value in found.values.items() if value})
    return found.entry, values


def _mask(text):
    try:
        from azext_sig_doctor.secrets import mask
    except ImportError:  # the shared masking module is not in the tree yet
        return text
    return mask(text)


def explain_failure(exc, what, context):
    """The Azure CLI error to raise for ``exc``; None when the knowledge base does not know it.

    ``what`` names the create in plain words ("image version 1.0.0"), ``context`` holds the
    request's placeholder values.
    """
    error = ServiceError.from_exception(exc)
    candidates = [(error.code, error.message)] + list(error.details)
    for code, message in candidates:
        matched = match_error(code, message, context) if message else None
        if matched:
            return build_cli_error(error, matched[0], matched[1], what)
    return None


def build_cli_error(error, entry, values, what):
    from azure.cli.core.azclierror import AzureResponseError, ResourceNotFoundError
    from azext_sig_doctor import knowledge
    headline = "Azure refused to create the {}: {} [{}]".format(what, knowledge.fill(entry.title, values), entry.id)
    text = "{}\nAzure said: {}".format(headline, _mask(error.printed()))
    cli_error = (ResourceNotFoundError if error.status == 404 else AzureResponseError)(text)
    cli_error.set_recommendation(recommendation(entry, values))
    return cli_error


def recommendation(entry, values):
    """Cause, fix and the next commands of ``entry`` with ``values`` filled in, as one text."""
    from azext_sig_doctor import knowledge
    lines = ["Why: " + knowledge.fill(entry.data.get("cause", ""), values).strip(),
             "Fix: " + knowledge.fill(entry.data.get("fix", ""), values).strip()]
    commands = [" ".join(command.split()) for command in entry.commands_for(values)]
    if commands:
        lines.append("Next:")
        lines.extend("  " + command for command in commands)
    lines.append("More: az sig doctor error show --id {}".format(entry.id))
    return "\n".join(lines)
