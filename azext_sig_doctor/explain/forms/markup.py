"""Markdown a user adds when posting an error: ``> `` quote markers, code fences, emphasis
(``**bold**``, ``_italic_``, ``__bold__``) around or inside the message."""

import re

from azext_sig_doctor.explain import prefix

NAME = "markup"

_QUOTE_MARKER = re.compile(r"^[ \t]*>+[ \t]?")
_FENCE = re.compile(r"^[ \t>]*```\w*[ \t]*$")
_STARS = re.compile(r"(?<!\*)\*{2,3}(?!\*)")
# Underscores that open and close an emphasis: the opening one before a letter (never inside a
# name such as shared_image_gallery, nor a quoted '_' of a message about trailing characters).
_UNDERSCORES = re.compile(r"(?:(?<=^)|(?<=[\s*\"'>(]))(_{1,2})(?=[A-Za-z{(\[])(.+?)(?<=[\w.)\]}'\"])\1"
                          r"(?=$|[\s*\"'.,;:!?)])", re.MULTILINE)
# Emphasis is a pair of markers around words on one line (a masked "*****" is none, nor Python's
# "**kwargs" in a traceback); quotes and lists start lines.
_EMPHASIS = re.compile(r"(?<!\*)\*\*(?=[A-Za-z_(\"'])[^*\n]*?[^\s*]\*\*(?!\*)")
# Python's own names (__call__, __init__: tracebacks are full of them) are no bold words; a bold
# word of a message (__westus__) is.
_DUNDER = re.compile(r"__(?:init|call|main|name|enter|exit|aenter|aexit|getattr|getattribute|getitem|setitem|"
                     r"setattr|str|repr|new|del|iter|next|len|contains|class|dict|module|file|doc|wrapped|"
                     r"await|slots|all|version|builtins|import|eq|hash|bool|format|post_init)__")
_OPENINGS = (" _", "\n_", "\t_", "\"_", "'_")
_LINE_MARKS = ("\n>", "\n- ", "\n >", "\n - ", "\n\t>")


def detect(text):
    # Literal tests only (a window of a log is large, and most hold none of these).
    return "```" in text or ("**" in text and _bold(text)) or \
        text.lstrip(" \t").startswith(("_", ">", "- ")) or \
        (any(opening in text for opening in _OPENINGS) and _underscore_emphasis(text)) or \
        any(mark in text for mark in _LINE_MARKS)


def _bold(text):
    """A bold pair on one line: looked for only on the lines that hold two markers (a whole window
    holds many a lone "**kwargs" and masked "*****")."""
    position = text.find("**")
    while position >= 0:
        start = text.rfind("\n", 0, position) + 1
        end = text.find("\n", position)
        end = len(text) if end < 0 else end
        if text.find("**", position + 2, end) >= 0 and _EMPHASIS.search(text, start, end):
            return True
        position = text.find("**", end)
    return False


def _underscore_emphasis(text):
    # Line by line, and only the lines an emphasis could open on: the pattern is slow on a whole window.
    for line in text.split("\n"):
        if "_" not in line or not (line.startswith("_") or any(opening in line for opening in _OPENINGS)):
            continue
        if line.startswith(prefix.PYTHON_FRAME):
            continue  # a Python traceback's frame line ("  File ..., in _run_job") names functions
        if "__" in line:
            line = _DUNDER.sub("", line)
        if _UNDERSCORES.search(line):
            return True
    return False


def _unemphasize(found):
    return found.group(0) if _DUNDER.fullmatch(found.group(0)) else found.group(2)


def clean(text):
    """``text`` without emphasis markers."""
    if "**" in text:
        text = _STARS.sub("", text)
    if "_" in text:
        text = _UNDERSCORES.sub(_unemphasize, text)
    return text


_LIST_MARKER = re.compile(r"^[ \t]*- ")


def rewrite(lines):
    quoted = sum(1 for line in lines if _QUOTE_MARKER.match(line.text) and line.text.lstrip().startswith(">"))
    listed = sum(1 for line in lines if _LIST_MARKER.match(line.text))
    out = []
    for line in lines:
        text = line.text
        if listed * 2 > len(lines) and _LIST_MARKER.match(text):
            # A paste the user made a list of, one "- " a line.
            text = _LIST_MARKER.sub("", text, count=1)
        if _FENCE.match(text):
            continue
        # Quote markers are taken off only when most lines carry them (a quoted post), never from
        # a lone line (a PowerShell continuation prompt, a shell redirect).
        if quoted and quoted * 2 >= len(lines) and text.lstrip().startswith(">"):
            text = _QUOTE_MARKER.sub("", text, count=1)
        elif len(lines) <= 3 and text.lstrip().startswith(">") and not text.lstrip().startswith(">>"):
            text = _QUOTE_MARKER.sub("", text, count=1)
        out.append(line._replace(text=clean(text)))
    return out
