"""``az sig doctor error list/show``: the knowledge base as a user browses it, its words in the
current language (``language`` says which)."""

import difflib

from azext_sig_doctor import knowledge
from azext_sig_doctor.i18n import current
from azext_sig_doctor.i18n.catalog import localized

_LIST_FIELDS = ("id", "section", "title", "origin", "codes", "prevented_by")


def codes_of(entry):
    """The ARM error codes an entry carries (its ``codes`` and its code signatures), in lower case."""
    codes = {code.lower() for code in entry.codes}
    codes.update(signature["code"].lower() for signature in entry.signatures if signature.get("code"))
    return codes


def _all_codes():
    found = {}
    for entry in knowledge.load():
        for code in list(entry.codes) + [s["code"] for s in entry.signatures if s.get("code")]:
            found.setdefault(code.lower(), code)
    return found


def list_entries(section=None, code=None):
    """One row per entry; ``section`` and ``code`` (an ARM error code, any case) narrow the list."""
    wanted = (code or "").strip().lower()
    language = current()
    return [dict({field: localized(entry, language).data.get(field) for field in _LIST_FIELDS}, language=language)
            for entry in knowledge.entries_in(section) if not wanted or wanted in codes_of(entry)]


def show_entry(entry_id):
    """The whole entry with ``entry_id`` (any case)."""
    from azure.cli.core.azclierror import ResourceNotFoundError
    wanted = (entry_id or "").strip()
    try:
        entry = knowledge.get(wanted.lower())
    except knowledge.UnknownEntryError as exc:
        advice = []
        if wanted.lower() in _all_codes():
            advice.append("'{}' is an ARM error code; the entries that carry it: az sig doctor error show --code {}"
                          .format(wanted, wanted))
        elif exc.suggestions:
            advice.append("Did you mean: {}?".format(", ".join(exc.suggestions)))
        advice.append("Run 'az sig doctor error list -o table' to see every id.")
        raise ResourceNotFoundError("No knowledge-base entry has the id '{}'.".format(entry_id), advice) from None
    shown = _readable(localized(entry).to_dict())
    shown["language"] = current()
    return shown


def show_code(code):
    """Every entry that carries the ARM error ``code`` (any case), whole, in knowledge-base order."""
    from azure.cli.core.azclierror import ResourceNotFoundError
    wanted = (code or "").strip().lower()
    entries = [entry for entry in knowledge.load() if wanted in codes_of(entry)]
    if not entries:
        known = _all_codes()
        close = [known[item] for item in difflib.get_close_matches(wanted, list(known), n=3, cutoff=0.6)]
        advice = ["Did you mean: {}?".format(", ".join(close))] if close else []
        advice.append("The message tells more than its code: az sig doctor explain --message \"<the error text>\"")
        raise ResourceNotFoundError("No knowledge-base entry carries the ARM error code '{}'.".format(code), advice)
    language = current()
    return [dict(_readable(localized(entry, language).to_dict()), language=language) for entry in entries]


def _readable(data):
    """Show placeholders as <name> (and escaped braces as braces), the way a user fills them in."""
    shown = dict(data)
    for field in ("cause", "fix"):
        if shown.get(field):
            shown[field] = knowledge.fill(shown[field], {})
    # Notes too: they name placeholders ({region}) like the commands they go with.
    shown["commands"] = [{key: knowledge.fill(value, {}) for key, value in command.items()}
                         for command in shown.get("commands") or []]
    if shown.get("edit"):
        shown["edit"] = {key: knowledge.fill(value, {}) for key, value in shown["edit"].items()}
    return shown
