"""The lines of a window as the parsers see them, made only where a parser looks.

* Logical lines: a carriage return inside a line (a progress indicator redrawn in place, a file
  with old Mac line ends) starts a new line, as a terminal shows it; a log folded at a fixed width
  (``fold -w 80``, a terminal or a CI system wrapping at 80 columns) is joined back, so a request
  URL, a body or a command line cut into pieces keeps its values. Each logical line keeps the
  number of the physical line it starts on.
* Lazy: a ``Line`` (prefix taken apart, request tracked) is built only for the lines a parser asks
  for; the lines worth asking about are found by searching the window's text (``with_any``), which
  costs far less than looking at every line of a log where every request failed.
* The request each line belongs to is recorded by ``tracking`` as a list of changes, and looked up
  by a line when it is asked for.
"""

import bisect
import re
from itertools import accumulate

from azext_sig_doctor.explain import prefix

# A folded log: more than this many lines (or this share of the long lines) end exactly at the widest
# width, which lies between these bounds; the lines so cut are mostly different (a row of
# separators of the same length is no folding).
_FOLD_MIN_WIDTH = 40
_FOLD_MAX_WIDTH = 1024
_FOLD_MIN_LINES = 3
_NO_STATE = (None, None, 0, None, None)

# Words that tracking and the line pass both look for, found in one search per first letter (a
# pattern that starts with one literal letter is searched for faster than each word on its own).
R_WORDS = re.compile(r"R(?:equest |esponse |ROR)")
C_WORDS = re.compile(r"C(?:ode=|ategoryInfo|ommand arguments:)")


class Line:
    """One logical line: its prefix taken apart, and (once tracking is done) the request it belongs to."""

    __slots__ = ("raw", "level", "logger", "text", "index", "_states", "_state")

    def __init__(self, raw, index, states):
        raw = prefix.strip_colours(raw)
        self.raw = raw
        self.level, self.logger, self.text = prefix.split(raw)
        self.index = index
        self._states = states  # the window's _States: no reference back to the lines (no cycle to collect)
        self._state = None

    def _tracked(self):
        # Asked only after tracking has recorded every change, so it is looked up once.
        if self._state is None:
            self._state = self._states.at(self.index)
        return self._state

    @property
    def request(self):
        return self._tracked()[0]

    @property
    def resource_request(self):
        return self._tracked()[1]

    @property
    def serial(self):
        return self._tracked()[2]

    @property
    def status(self):
        return self._tracked()[3]

    @property
    def command(self):
        """Values from the command line the log started with (arguments.py, or a PowerShell prompt)."""
        return self._tracked()[4]


class _States:
    """What tracking recorded: from which line on which (request, resource request, serial, status,
    command) holds."""

    __slots__ = ("lines", "states")

    def __init__(self):
        self.lines = []  # line indexes where the state changes, ascending
        self.states = []

    def record(self, index, state):
        if self.states and self.states[-1] == state:
            return
        if self.lines and self.lines[-1] == index:
            self.states[-1] = state
            return
        self.lines.append(index)
        self.states.append(state)

    def at(self, index):
        position = bisect.bisect_right(self.lines, index) - 1
        return self.states[position] if position >= 0 else _NO_STATE


class _Texts:
    """The prefix-free texts of the lines, as a read-only sequence."""

    __slots__ = ("_lines",)

    def __init__(self, lines):
        self._lines = lines

    def __len__(self):
        return len(self._lines)

    def __getitem__(self, key):
        if isinstance(key, slice):
            return [line.text for line in self._lines[key]]
        line = self._lines._built[key]  # pylint: disable=protected-access
        return (line if line is not None else self._lines[key]).text


class Lines:
    """The logical lines of a window, built on demand; a sequence of ``Line``."""

    def __init__(self, text):
        raws = text.split("\n")
        numbers = None
        if "\r" in text:
            raws, numbers = _split_returns(raws)
        raws, numbers = _unfold(raws, numbers)
        self.raws = raws
        self._numbers = numbers  # None: logical line n is physical line n
        self.text = text if numbers is None else "\n".join(raws)
        self._built = [None] * len(raws)
        self._starts = None
        self._states = _States()
        self._matches = {}
        self.kind = None  # az-debug or powershell, from the first request line (set by tracking)

    @property
    def texts(self):
        """The prefix-free texts of the lines, as a sequence (built on demand as the lines are)."""
        return _Texts(self)

    def __len__(self):
        return len(self.raws)

    def __getitem__(self, key):
        if isinstance(key, slice):
            return [self[index] for index in range(*key.indices(len(self.raws)))]
        line = self._built[key]
        if line is None:
            if key < 0:
                key += len(self.raws)
            line = self._built[key] = Line(self.raws[key], key, self._states)
        return line

    def __iter__(self):
        for index in range(len(self.raws)):
            yield self[index]

    def text_at(self, index):
        """The prefix-free text of line ``index``, without keeping a ``Line`` for it (what is read
        around every error of a log dense with failures need not stay)."""
        line = self._built[index]
        return line.text if line is not None else prefix.split(self.raws[index])[2]

    @property
    def renumbered(self):
        """True when logical lines are not the text's lines one for one (carriage returns, folds)."""
        return self._numbers is not None

    def number(self, index):
        """The 0-based physical line (from the window's start) logical line ``index`` starts on."""
        return index if self._numbers is None else self._numbers[index]

    def starts(self):
        """Offset in ``text`` of the start of each line, and of the end (one more entry)."""
        if self._starts is None:
            self._starts = [0]
            self._starts.extend(accumulate(map((1).__add__, map(len, self.raws))))  # each line and its \n
        return self._starts

    def index_at(self, offset):
        """The line that holds ``text[offset]``."""
        return bisect.bisect_right(self.starts(), offset) - 1

    def with_any(self, needles, accept=None, first_only=False):
        """Sorted indexes of the lines whose raw text holds one of ``needles`` (exact substrings)
        where ``accept(raw, column)`` (when given) agrees; with ``first_only`` only a needle's first
        place in a line is asked about."""
        text = self.text
        starts = self.starts()
        found = set()
        for needle in needles:
            position = text.find(needle)
            while position >= 0:
                index = bisect.bisect_right(starts, position) - 1
                if index in found:
                    position = text.find(needle, starts[index + 1])
                elif accept is None or accept(self.raws[index], position - starts[index]):
                    found.add(index)
                    position = text.find(needle, starts[index + 1])
                else:
                    position = text.find(needle, starts[index + 1] if first_only else position + 1)
        return sorted(found)

    def matches(self, pattern):
        """``(line index, column, matched text)`` of every place of the compiled ``pattern``;
        remembered, so that passes looking for the same words search once."""
        found = self._matches.get(pattern)
        if found is None:
            starts = self.starts()
            found = []
            for match in pattern.finditer(self.text):
                index = bisect.bisect_right(starts, match.start()) - 1
                found.append((index, match.start() - starts[index], match.group()))
            self._matches[pattern] = found
        return found

    def with_match(self, pattern):
        """Sorted indexes of the lines where the compiled ``pattern`` is found."""
        starts = self.starts()
        found = []
        text = self.text
        position = 0
        while True:
            match = pattern.search(text, position)
            if match is None:
                return found
            index = bisect.bisect_right(starts, match.start()) - 1
            found.append(index)
            position = starts[index + 1]

    # -- the request each line belongs to (set by tracking) ------------------------------------

    def set_state(self, index, state):
        """From line ``index`` on, lines belong to ``state`` (lines must be given in order)."""
        self._states.record(index, state)

    def state(self, index):
        return self._states.at(index)


def _split_returns(raws):
    """Logical lines of physical lines that may hold carriage returns: one at the end is part of
    the line end (CRLF); one inside starts a new line, as a terminal shows it."""
    lines, numbers = [], []
    for number, raw in enumerate(raws):
        if raw.endswith("\r"):
            raw = raw[:-1]
        if "\r" not in raw:
            lines.append(raw)
            numbers.append(number)
            continue
        pieces = [piece for piece in raw.split("\r") if piece] or [""]
        lines.extend(pieces)
        numbers.extend([number] * len(pieces))
    return lines, numbers


def _fold_width(raws, lengths):
    """The width the window's lines were folded at, or None when they were not folded."""
    width = max(lengths, default=0)
    if not _FOLD_MIN_WIDTH <= width <= _FOLD_MAX_WIDTH or lengths.count(width) < _FOLD_MIN_LINES:
        return None
    full = [index for index, length in enumerate(lengths) if length == width and index + 1 < len(raws)]
    if len(full) < _FOLD_MIN_LINES:
        return None
    if len({raws[index] for index in full}) * 2 < len(full):
        return None  # the same line over and over (a separator), not pieces of longer lines
    continued = sum(1 for index in full if raws[index + 1] and not prefix.has_prefix(raws[index + 1]))
    return width if continued * 2 >= len(full) else None


def _unfold(raws, numbers):
    """Join the pieces of lines folded at a fixed width: a line of exactly that width goes on in the
    next line unless that one is empty or starts a new log line (its own prefix)."""
    width = _fold_width(raws, list(map(len, raws)))
    if width is None:
        return raws, numbers
    numbers = numbers if numbers is not None else list(range(len(raws)))
    lines, starts = [], []
    index = 0
    while index < len(raws):
        pieces = [raws[index]]
        start = numbers[index]
        while (len(raws[index]) == width and index + 1 < len(raws) and raws[index + 1]
               and not prefix.has_prefix(raws[index + 1])):
            index += 1
            pieces.append(raws[index])
        lines.append("".join(pieces))
        starts.append(start)
        index += 1
    return lines, starts
