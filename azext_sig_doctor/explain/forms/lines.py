"""How a wrapper form puts an error it recognised back in place of the line it was on."""


def as_error(line, lead, message, source=None):
    """The lines that stand for ``line`` once its error ``message`` is recognised after ``lead`` (what
    the line said before it): a label (a record's ``ErrorMessage:``, a cmdlet's ``New-AzVM:``) keeps
    the message on its line; other words (a tool's summary) stay on a line of their own, above an
    ``ERROR:`` line."""
    lead = lead.rstrip()
    if lead.endswith(":") and not lead.endswith("Error:"):
        return [line._replace(text=lead + " " + message, source=source)]
    out = [line._replace(text=lead)] if lead.strip(" -:\u201c\"") else []
    return out + [line._replace(text="ERROR: " + message, source=source)]
