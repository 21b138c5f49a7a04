"""Find the parts of a big log worth parsing, without decoding the rest.

Chunks of bytes are searched for a few trigger tokens that every error form contains. Around each
hit a bounded window is cut (enough before it to see the request that failed, enough after to
hold the error body), windows that touch are merged, and only the windows are decoded. Memory
stays bounded by the chunk size plus the two margins, whatever the size of the log or its lines.
"""

# Every error form contains "rror" or "RROR" near its start: two searches over a chunk find them
# all, and each hit is kept only when one of these tokens is there.
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
# (needle, its byte that is rare in logs and where it stands in the needle, or None): a needle with a
# rare byte is looked for by that byte (memchr, several times faster than a search for the needle)
# as long as the byte's places mostly hold the needle.
_NEEDLES = ((b"rror", None), (b"RROR", (b"O", 2)))
_SEARCHES = tuple(
    (needle, anchor, tuple((token, token.index(needle)) for token in TRIGGERS if needle in token))
    for needle, anchor in _NEEDLES
)
# A rare byte found where the needle is not may cost one search per this many bytes; beyond that the
# needle itself is searched for.
_BYTES_PER_MISS = 2048
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


def _finder(buffer, needle, anchor, start, end):
    """``find(position)``: the next place of ``needle`` in ``buffer[position:end]`` (-1 if none),
    by its rare byte while that byte mostly stands in the needle, then by the needle itself."""
    find = buffer.find
    if anchor is None:
        return lambda position: find(needle, position, end)
    byte, offset = anchor
    startswith = buffer.startswith
    misses = [(end - start) // _BYTES_PER_MISS]

    def find_by_anchor(position):
        probe = find(byte, position + offset, end)
        while probe >= 0 and misses[0] > 0:
            if startswith(needle, probe - offset):
                return probe - offset
            misses[0] -= 1
            probe = find(byte, probe + 1, end)
        if probe < 0:
            return -1
        return find(needle, probe - offset, end)

    return find_by_anchor


def _trigger_positions(buffer, start, stop, stride):
    """Positions of triggers in ``buffer[start:stop]``; after a hit the next ``stride`` bytes are
    skipped (their triggers fall in the same window anyway, see ``_spans``)."""
    positions = []
    end = min(len(buffer), stop + _LONGEST)
    startswith = buffer.startswith
    for needle, anchor, tokens in _SEARCHES:
        find = _finder(buffer, needle, anchor, start, end)
        position = find(start)
        while 0 <= position < stop:
            for token, offset in tokens:
                if startswith(token, position - offset):
                    positions.append(position - offset)
                    position += stride
                    break
            position = find(position + 1)
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
