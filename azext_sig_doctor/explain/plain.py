"""Plain pasted messages: text with none of the log or JSON shapes around it.

Each paragraph (lines up to a blank line) is one candidate message, so a message wrapped over
several lines still matches; a code given as ``(Code) message`` is used as a hint.
"""

import re

from azext_sig_doctor.explain.model import Observation
from azext_sig_doctor.explain.prefix import strip_colours

_PAREN_CODE = re.compile(r"^\s*\((?P<code>[A-Z][A-Za-z0-9.]{2,})\)\s*")
_MAX_PARAGRAPH = 20000


def paragraphs(text):
    """``(first_line, text)`` for each paragraph of ``text``."""
    start = None
    collected = []
    for number, line in enumerate(text.splitlines(), 1):
        line = strip_colours(line)
        if line.strip():
            if start is None:
                start = number
            collected.append(line.strip())
        elif collected:
            yield start, "\n".join(collected)
            start, collected = None, []
    if collected:
        yield start, "\n".join(collected)


def observations(text):
    for first_line, paragraph in paragraphs(text):
        paragraph = paragraph[:_MAX_PARAGRAPH]
        code = None
        found = _PAREN_CODE.match(paragraph)
        if found:
            code = found.group("code")
            paragraph = paragraph[found.end():]
        yield Observation(first_line, code, paragraph, "echo", "text")
