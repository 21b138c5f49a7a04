"""Plain pasted messages: text with none of the log or JSON shapes around it.

Each paragraph (lines up to a blank line) is one candidate message, so a message wrapped over
several lines still matches; a code given as ``(Code) message`` is used as a hint.
"""

import re

from azext_sig_doctor.explain import surroundings
from azext_sig_doctor.explain.model import Observation
from azext_sig_doctor.explain.toolchain import RESOURCE_KEYS
from azext_sig_doctor.explain.prefix import strip_colours

_PAREN_CODE = re.compile(r"^\s*\((?P<code>[A-Z][A-Za-z0-9.]{2,})\)\s*")
# A code stated anywhere in a paragraph, the way clients state it.
_CODE_IN_TEXT = re.compile(r'(?:\bCode=\\?"?|\bERROR CODE:\s*|"code"\s*:\s*"|\bCode:\s*|\bErrorCode:\s*|'
                           r'\bAzure Error:\s*|\(Code:\s*)(?P<code>[A-Z][A-Za-z0-9]{2,})\b')
_MAX_PARAGRAPH = 20000


def paragraphs(text, numbers=None):
    """``(first_line, text)`` for each paragraph of ``text`` (``numbers``: the input line number of
    each line, when the text was rewritten)."""
    start = None
    collected = []
    for index, line in enumerate(text.splitlines()):
        number = numbers[index] if numbers is not None and index < len(numbers) else index + 1
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


def observations(text, numbers=None):
    for first_line, paragraph in paragraphs(text, numbers):
        paragraph = paragraph[:_MAX_PARAGRAPH]
        code = None
        found = _PAREN_CODE.match(paragraph)
        if found:
            code = found.group("code")
            paragraph = paragraph[found.end():]
        else:
            stated = _CODE_IN_TEXT.search(paragraph)
            code = stated.group("code") if stated else None
        observation = Observation(first_line, code, paragraph, "echo", "text")
        names, kinds = surroundings.read(paragraph)
        observation.hints.update((key, value) for key, value in names.items() if key in RESOURCE_KEYS)
        observation.facts.update((key, value) for key, value in names.items() if key not in RESOURCE_KEYS)
        observation.kinds.update(kinds)
        yield observation
