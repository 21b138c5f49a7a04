"""sig-doctor's own wording in the errors it prints, written by ``create`` and read back by ``explain``.

A guarded create that the pre-checks stopped, or that Azure refused, ends with a CLI error in these
words; pasted into ``az sig doctor explain`` (or found in an ``--debug`` log of the doctor), the
same words let explain name the knowledge-base entries again. Both sides take them from here, so
changing the wording on one side cannot silently blind the other (tests/test_markers.py).
"""

import re

# The first line of the error of a create the pre-checks stopped; one check line per blocking finding follows.
CHECKS_STOPPED = "The pre-checks stopped the create"
# A line of that list: two spaces, the entry id in brackets, the finding's title and what was observed.
CHECK_LINE = re.compile(r"^\s+\[(?P<id>[a-z]+\.[a-z0-9-]+)\] (?P<text>.+)$")
# What Azure answered, quoted in the error of a create Azure refused: ``Azure said: (Code) Message``.
AZURE_SAID = "Azure said: "
AZURE_SAID_PATTERN = re.compile(re.escape(AZURE_SAID) + r"\((?P<code>[A-Z][A-Za-z0-9.]+)\)\s*(?P<message>.+)",
                                re.DOTALL)

# Labels that start the lines of the doctor's recommendations (printed after an error's message): a
# reader of the error stops its message at the first of them.
WHY = "Why:"
FIX = "Fix:"
FIRST = "First:"
FIXED_COMMAND = "Fixed command"
NEXT = "Next:"
MORE = "More:"
FULL_REPORT = "Full report:"
ADVICE_LABELS = (WHY, FIX, FIRST, FIXED_COMMAND, NEXT, MORE, FULL_REPORT)


def checks_stopped(count):
    """The first line of a create the pre-checks stopped, ``count`` blocking findings following."""
    return "{} before anything was written ({} finding(s)):".format(CHECKS_STOPPED, count)


def check_line(error_id, title, detail):
    """One blocking finding of that error, in the shape ``CHECK_LINE`` reads."""
    return "  [{}] {}: {}".format(error_id, title, detail)


def azure_said(printed):
    """The line quoting Azure's ``(Code) Message``."""
    return AZURE_SAID + printed
