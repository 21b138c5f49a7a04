"""Find the parts of a big log worth parsing, without decoding the rest.

Chunks of bytes are searched for a few trigger tokens that every error form contains. Around each
hit a bounded window is cut (enough before it to see the request that failed, enough after to
hold the error body), windows that touch are merged, and only the windows are decoded. Memory
stays bounded by the chunk size plus the two margins, whatever the size of the log or its lines.
"""

# Every error form contains "rror" or "RROR" near its start: two passes of bytes.find over a
# chunk find them all, and each hit is kept only when one of these tokens is there.
TRIGGERS = (
    b'"error"', b'"Error"',  # ARM error envelope, LRO status bodies, AAD errors
    b"ErrorCode",            # Az PowerShell error records (with a service code)
    b"ErrorId",              # PowerShell FullyQualifiedErrorId (parameter binding and the like)
    b"Original Error",       # Go SDK errors quoted by Packer and Terraform (Code="..." Message="...")
    b"with error:",          # go-azure-sdk errors quoted by Terraform
    b"Error: ",              # Terraform's error summary line
    b"errored",              # Packer: Build 'azure-arm' errored ...
    b"ERROR",                # az ERROR: lines, Packer ERROR: ->
)
_SEARCHES = tuple(
    (needle, tuple((token, token.index(needle)) for token in TRIGGERS if needle in token))
    for needle in (b"rror", b"RROR")
)
_LONGEST = max(len(token) for token in TRIGGERS)
BEFORE = 96 * 1024
AFTER = 48 * 1024
_SNAP = 4096


class Window:
    """A decoded piece of the input and the 1-based number of its first line."""

    __slots__ = ("text", "first_line")

    def __init__(self, text, first_line):
        self.text = text
        self.first_line = first_line


def _trigger_positions(buffer, start, stop, stride):
    """Positions of triggers in ``buffer[start:stop]``; after a hit the next ``stride`` bytes are
    skipped (their triggers fall in the same window anyway, see ``_spans``)."""
    positions = []
    end = min(len(buffer), stop + _LONGEST)
    find = buffer.find
    startswith = buffer.startswith
    for needle, tokens in _SEARCHES:
        position = find(needle, start, end)
        while 0 <= position < stop:
            for token, offset in tokens:
                if startswith(token, position - offset):
                    positions.append(position - offset)
                    position += stride
                    break
            position = find(needle, position + 1, end)
    positions.sort()
    return positions


def _spans(positions, size, before, after):
    """Merged ``[start, end, first trigger]`` windows; each trigger may stand for others up to one
    stride after it, so its window reaches that much further."""
    spans = []
    for position in positions:
        start, end = max(0, position - before), min(size, position + after + after // 4)
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end, position])
    return spans


def _snap(buffer, start, end, first_trigger):
    if start > 0:
        newline = buffer.find(b"\n", start, first_trigger)
        if newline >= 0:
            start = newline + 1
    newline = buffer.find(b"\n", end, end + _SNAP)
    if newline >= 0:
        end = newline
    return start, end


def windows(chunks, before=None, after=None):
    """Yield the Windows of the input given as an iterable of byte chunks."""
    before = BEFORE if before is None else before
    after = AFTER if after is None else after
    buffer = b""
    base_line = 1  # line number of buffer[0]
    done = 0  # triggers before this index of buffer have been handled
    chunks = iter(chunks)
    finished = False
    while not finished:
        data = next(chunks, None)
        if data is None:
            finished = True
        elif data:
            buffer = buffer + data if buffer else data
        stop = len(buffer) if finished else len(buffer) - after - after // 4
        if stop > done:
            positions = _trigger_positions(buffer, done, stop, after // 4)
            counted_to, counted_lines = 0, base_line
            for start, end, first in _spans(positions, len(buffer), before, after):
                start, end = _snap(buffer, start, end, first)
                counted_lines += buffer.count(b"\n", counted_to, start)
                counted_to = start
                yield Window(buffer[start:end].decode("utf-8", errors="replace"), counted_lines)
            done = stop
        cut = max(0, done - before)
        if cut:
            base_line += buffer.count(b"\n", 0, cut)
            buffer = buffer[cut:]
            done -= cut
