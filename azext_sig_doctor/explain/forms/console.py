"""Lines cut at the console's width: a record PowerShell or a terminal broke every N characters,
mid-word (``... not available in l`` / ``ocation 'West Europe' ...``). Two or more lines of the
same length (80 characters or more) and the line after them are one line."""

NAME = "console-width"

_MIN_WIDTH = 80


def detect(text):
    lengths = [len(line.rstrip("\r")) for line in text.split("\n")]
    return any(a == b >= _MIN_WIDTH for a, b in zip(lengths, lengths[1:]))


def rewrite(lines):
    out = []
    index = 0
    while index < len(lines):
        line = lines[index]
        width = len(line.text)
        following = index + 1
        if not (following < len(lines) and len(lines[following].text) == width >= _MIN_WIDTH):
            out.append(line)
            index += 1
            continue
        text = line.text
        while following < len(lines) and len(lines[following - 1].text) == width and lines[following].text.strip():
            text += lines[following].text
            following += 1
        out.append(line._replace(text=text))
        index = following
    return out
