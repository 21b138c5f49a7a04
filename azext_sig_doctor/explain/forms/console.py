"""Lines cut at the console's width: a record PowerShell or a terminal broke every N characters,
mid-word (``... not available in l`` / ``ocation 'West Europe' ...``). In such a capture no line is
longer than the console, and the cut lines all have its width: when the widest line (80
characters or more) has that length at least twice, each line of that length goes on in the next.
"""

from azext_sig_doctor.explain import prefix

NAME = "console-width"

_MIN_WIDTH = 80


def _width(texts):
    """The console's width, when lines of the widest length go on mid-word in the next line (which
    starts at its first column: a wrapped list or a gutter is indented)."""
    lengths = [len(text) for text in texts]
    width = max(lengths, default=0)
    if width < _MIN_WIDTH:
        return None
    widest = [index for index, length in enumerate(lengths[:-1]) if length == width]
    # In a console capture every line of the console's width goes on in the next one, and some
    # cut falls in the middle of a word (lines that merely share a length, a log's repeated bodies,
    # end with their own punctuation).
    if lengths.count(width) < 2 or not widest or not all(_goes_on(texts[index + 1]) for index in widest):
        return None
    if not any(not texts[index][-1:].isspace() and not texts[index + 1][:1].isspace() for index in widest):
        return None
    return width


def _goes_on(text):
    """The next line continues a cut one: it is not indented (a wrapped list, a gutter) nor empty."""
    stripped = text.strip()
    return bool(stripped) and not text.startswith("  ") and not stripped.startswith("|") and \
        not stripped.startswith("---") and not prefix.has_prefix(text)


def detect(text):
    return detect_lines(text.split("\n"))


def detect_lines(lines):
    return _width([line.rstrip("\r") for line in lines]) is not None


def rewrite(lines):
    width = _width([line.text for line in lines])
    if width is None:
        return lines
    out = []
    index = 0
    while index < len(lines):
        line = lines[index]
        text = line.text
        following = index + 1
        while len(lines[following - 1].text) == width and following < len(lines) and _goes_on(lines[following].text):
            text += lines[following].text
            following += 1
        out.append(line._replace(text=text))
        index = following
    return out
