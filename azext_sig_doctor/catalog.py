"""``az sig doctor error list/show``: the knowledge base as a user browses it, its words in the
current language (``language`` says which)."""

from azext_sig_doctor import knowledge
from azext_sig_doctor.i18n import current
from azext_sig_doctor.i18n.catalog import localized

_LIST_FIELDS = ("id", "section", "title", "origin", "codes", "prevented_by")


def list_entries(section=None):
    language = current()
    return [dict({field: localized(entry, language).data.get(field) for field in _LIST_FIELDS}, language=language)
            for entry in knowledge.entries_in(section)]


def show_entry(entry_id):
    from azure.cli.core.azclierror import ResourceNotFoundError
    try:
        entry = knowledge.get((entry_id or "").strip())
    except knowledge.UnknownEntryError as exc:
        error = ResourceNotFoundError("No knowledge-base entry has the id '{}'.".format(entry_id))
        if exc.suggestions:
            error.set_recommendation("Did you mean: {}?".format(", ".join(exc.suggestions)))
        error.set_recommendation("Run 'az sig doctor error list -o table' to see every id.")
        raise error from None
    shown = _readable(localized(entry).to_dict())
    shown["language"] = current()
    return shown


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
