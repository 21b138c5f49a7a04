"""Turn one window of log text into observations, in three passes:

1. follow the requests (az ``--debug`` and Az PowerShell ``-Debug``) so every line knows which
   request it belongs to and which resource that request hit;
2. find ARM error JSON (one line, pretty-printed, wrapped or cut short);
3. read the line-shaped errors that are left: ``ERROR:`` lines, PowerShell error records,
   Packer/Terraform lines, ``(Code) message`` lines.
"""

import bisect
import functools
import re

from azext_sig_doctor.domain import markers
from azext_sig_doctor.explain import armjson, powershell, prefix, surroundings, toolchain, tracking
from azext_sig_doctor.explain import lines as lines_module
from azext_sig_doctor.explain.model import Observation

# ARM codes are PascalCase words: "(s) or use ..." in a wrapped line is not one.
_PAREN_CODE = re.compile(r"^\((?P<code>[A-Z][A-Za-z0-9.]{2,})\)\s*(?P<message>.*)$")
# Lines that end an ERROR message: azure-core's repeated fields and the CLI's trailers.
# The left border of a Terraform diagnostic box: a line holding only it is a blank line.
_BOX_GUTTER = re.compile("^\\s*[\u2502\u2577\u2575]\\s?")
_ERROR_STOP = re.compile(
    r"^(?:(?:Code|Message|Target|Status|Exception Details|Additional Information|Inner error|Error details|"
    r"Error):|Traceback \(|To learn more|Run 'az|Please run|At line:|Read more|==>|Build '|with azurerm_|"
    r"[A-Z][a-z]+-Az[A-Za-z]+\s?:|at\s+[\w.$<>]+\(|[A-Z][A-Za-z]+\s{{2,}}:\s|Exception in thread|[\[\]{{}}(),]+$|"
    r"{})".format("|".join(re.escape(label) for label in markers.ADVICE_LABELS)))  # sig-doctor's own advice
# Without a level word (az with colours on) only this logger's lines are errors for sure.
_CLIENT_ERROR_LOGGERS = ("azclierror",)
# A cheap test that a line can start an error at all (most lines of a window are context), and what
# finds the lines where it may pass without looking at every line: its words, an opening
# parenthesis where a prefix may end, a PowerShell cmdlet name followed by a colon.
_MAYBE_ERROR = re.compile(r"rror|RROR|Code=|CategoryInfo|^\s*\(|^[A-Z][a-z]+-[A-Z][A-Za-z]+\s?:")
_MAYBE_ERROR_WORDS = ("RROR", "Code=", "CategoryInfo")  # found with lines.R_WORDS and C_WORDS, and "rror"
_MAYBE_CMDLET = re.compile(r"-[A-Z][A-Za-z]+\s?:")
# A window whose lines carry a CI timestamp or annotation (every line of a CI log does: its first
# lines tell), or colours: its JSON is read from the prefix-free texts (a pretty-printed body has
# the prefix on every line).
_CI_PREFIX = re.compile(r"\ufeff?(?:\[?\d{4}-\d\d-\d\d[T ]|##\[|::[a-z]+::)")
_PREFIX_SAMPLE = 16
# sig-doctor's own errors (written by create/errors.py and create/checks_gate.py in the words of
# domain/markers.py), found in its --debug logs or pasted.
_AZURE_SAID = markers.AZURE_SAID_PATTERN
_CHECKS_STOPPED = markers.CHECKS_STOPPED
_CHECK_LINE = markers.CHECK_LINE
_NOT_FOUND_CODES = ("ResourceNotFound", "NotFound", "GalleryImageNotFound", "ResourceGroupNotFound")
_WRAP_WIDTH = 79
_MAX_QUOTED_LINES = 12
_LOOKAHEAD_LINES = 400
# A line longer than this (a dump, a body of megabytes) is read by the part around its error.
_MAX_LINE = 256 * 1024
_MAX_MESSAGE_LINES = 60
# How far before an error a client's summary may state the names of the resource it failed on, and
# how far after it a record may go on stating them (PowerShell's "Line :" and "+ ..." lines).
_NAMES_LOOKBEHIND = 8
_NAMES_LOOKAHEAD = 12
_TARGET_LINE = re.compile(r"^Target:\s*(?P<target>\S.*)$")
# How the client's own log lines start (az --debug, Az PowerShell -Debug).
_CLIENT_LEVELS = ("DEBUG: ", "INFO: ", "WARNING: ", "ERROR: ", "VERBOSE: ")
_FRAME = prefix.PYTHON_FRAME
_FRAME_LINES = 3  # the code and carets Python prints under a frame
# A shell prompt (PowerShell's "PS C:\> ", a POSIX "$ " or "user@host:~$ "): the next command of a
# pasted session begins, and what it names is not the error's.
_NEXT_COMMAND = re.compile(r"^\s*(?:PS(?:\s[^>]*)?>|\$|[\w.-]+@[\w.-]+:[^\s$#]*[$#])\s+\S")


def _attach(observation, line):
    observation.request = line.request
    observation.resource_request = line.resource_request
    observation.serial = line.serial
    observation.command = line.command if getattr(line.command, "words", None) else None
    # The command line's values come last: the request URL and what a client stated win.
    for key, value in (line.command or {}).items():
        (observation.hints if key in toolchain.RESOURCE_KEYS else observation.facts).setdefault(key, value)
    return observation


def _may_open_error(raw, column):
    """The first opening parenthesis of a line may start its text: only a prefix (ending in a
    colon, a bracket, a timestamp's last character) or white space stands before it (a prefix holds
    no parenthesis)."""
    position = column - 1
    while position >= 0 and raw[position] in " \t":
        position -= 1
    return position < 0 or raw[position] in ":]>Z" or raw[position].isdigit()


class _Window:
    def __init__(self, text, first_line, numbers=None, sources=None):
        self.lines = tracking.split_lines(text)
        self.first_line = first_line
        # The input line number of each line, when the text was rewritten (explain.forms), and the
        # tool a wrapper form recognised on a line.
        self.numbers = numbers
        self.sources = sources or {}
        self.consumed = set()
        self.found = []
        self.kind = None  # the kind of log (az-debug, powershell), once tracking has told
        self._packer_lines = None  # (index, build, values) of Packer lines stating a value
        self._error_lines = set()  # indexes of the lines the line pass read as (part of) an error

    def others(self, texts):
        """Of ``texts`` (lines of the window's text, in order), those that are not the client's own
        log lines: in a log whose requests were traced (az --debug, Az PowerShell -Debug), lines
        with their level first and the client's Python traceback hold the client's text, or the
        service's as the client logs it, wrapped by no other tool."""
        if self.kind is None or self.numbers is not None or self.lines.renumbered:
            return texts
        kept, frame = [], -_FRAME_LINES - 1
        for position, text in enumerate(texts):
            if text.startswith(_CLIENT_LEVELS):
                continue
            if text.startswith(_FRAME):
                frame = position
            elif not (text.startswith("    ") and position - frame <= _FRAME_LINES):
                kept.append(text)
        return kept

    def number(self, index):
        """The input's line number of (logical) line ``index`` of the window."""
        physical = self.lines.number(index)
        if self.numbers is not None and physical < len(self.numbers):
            return self.numbers[physical]
        return self.first_line + physical

    def add(self, index, observation):
        observation = _attach(observation, self.lines[index])
        if observation.kind == "echo" and self.sources.get(observation.line):
            observation.source = self.sources[observation.line]
        # Read when first needed, once every error of the window is known: most errors of a log
        # where every request failed are the client's echoes, folded without it.
        observation.defer(functools.partial(self._surroundings, index))
        self.found.append(observation)

    def _surroundings(self, index, observation):
        """Names and kinds of resource the text around the error states (``surroundings``): back to
        the line that starts the error (never into another one) and on to the end of its record,
        never into the next request or command of a traced log (what it says is about another)."""
        lines = self.lines
        serial = lines.state(index)[2]
        # Each line's text is fetched once (this runs for every error of a log dense with failures).
        before, first, lowest = [], index, max(0, index - _NAMES_LOOKBEHIND)
        while first > lowest:
            previous = first - 1
            if previous in self._error_lines:
                break
            text = lines.text_at(previous)
            if toolchain.ends_error(text):
                break
            before.append(text)
            first = previous
        after, last, highest = [], index, min(len(lines) - 1, index + _NAMES_LOOKAHEAD)
        while last < highest:
            if lines.state(last + 1)[2] != serial:
                break
            text = lines.text_at(last + 1)
            if not text.strip() or _NEXT_COMMAND.match(text):
                break
            after.append(text)
            last += 1
        before.reverse()
        names, kinds = surroundings.read("\n".join(before + [lines.text_at(index)] + after))
        for key, value in names.items():
            (observation.hints if key in toolchain.RESOURCE_KEYS else observation.facts).setdefault(key, value)
        observation.kinds.update(kinds)

    def json_pass(self):
        if "\x1b" in self.lines.text or any(_CI_PREFIX.match(raw) for raw in self.lines.raws[:_PREFIX_SAMPLE]):
            texts = self.lines.texts[:]
            offsets = [0]
            for text in texts:
                offsets.append(offsets[-1] + len(text) + 1)
            clean = "\n".join(texts)
        else:
            # A prefix before a body on its own line does not hide it: the text as it is will do.
            offsets, clean = self.lines.starts(), self.lines.text
        for start, end, part in armjson.find_errors(clean):
            first = bisect.bisect_right(offsets, start) - 1
            last = bisect.bisect_right(offsets, max(start, end - 1)) - 1
            self.consumed.update(range(first, last + 1))
            if self._tolerated(first, last, part):
                continue
            source = self.kind if self.lines[first].request is not None else "arm-json"
            self.add(first, Observation(self.number(first), part.code, part.message or "", "response",
                                        source or "arm-json", part.target, part.details,
                                        self.lines[first].status))

    def _tolerated(self, first, last, part):
        """A GET answered "not found" that did not end the command: an existence check (az looks
        before it creates; sig-doctor's pre-checks read what may not exist yet), not a failure.

        It ended the command when the command's error restates it; it did not when the client went
        on with another request or failed on something else. Concurrent reads interleave their log
        lines, so the status next to a body may be another response's: the code counts too.
        """
        line = self.lines[first]
        not_found = line.status == 404 or (part.code or "") in _NOT_FOUND_CODES
        if line.request is None or (line.request.method or "").upper() != "GET" or not not_found:
            return False
        for following in self.lines[last + 1:last + 1 + _LOOKAHEAD_LINES]:
            text = following.text.strip()
            if following.level == "ERROR" or _PAREN_CODE.match(text) or powershell.is_field(text):
                return not (part.code and part.code in text)
            if text.startswith(("Request URL:", "Command arguments:")) or \
                    (text.startswith("=") and "HTTP REQUEST" in text):
                return True
        return False

    def bare_bodies(self, bare):
        for index, status in bare:
            if index in self.consumed:
                continue
            part = armjson.error_from_object(_load_object(self.lines[index].text))
            if part is not None:
                self.consumed.add(index)
                self.add(index, Observation(self.number(index), part.code, part.message or "", "response",
                                            self.kind or "az-debug", part.target, part.details, status))

    def line_pass(self):
        texts = self.lines.texts
        lines = self.lines
        # Every line where _MAYBE_ERROR can pass (and where the level is ERROR: "RROR") is among these.
        candidates = set(lines.with_any(("rror",)))
        candidates.update(index for pattern in (lines_module.R_WORDS, lines_module.C_WORDS)
                          for index, _, word in lines.matches(pattern) if word in _MAYBE_ERROR_WORDS)
        candidates.update(lines.with_any(("(",), _may_open_error, first_only=True))
        candidates.update(lines.with_match(_MAYBE_CMDLET))
        after = 0  # lines before this one are read (part of an error found before)
        for index in sorted(candidates):
            if index < after or index in self.consumed or not (
                    lines[index].level == "ERROR" or _MAYBE_ERROR.search(texts[index], 0, _MAX_LINE)):
                continue
            found = len(self.found)
            last = self._line_error(index, texts)
            if len(self.found) > found:
                self._error_lines.update(range(index, last + 1))
            after = last + 1

    def _line_error(self, index, texts):
        """Record the error starting at ``index`` if any; return the last index it spans."""
        line = self.lines[index]
        # No error line is longer than this; a giant line (a body, a dump) is read by its start.
        text = line.text[:_MAX_LINE].strip()
        if toolchain.starts_api_error(text):
            last = self._api_error(index, texts)
            if last is not None:
                return last
        parsed = toolchain.parse_line(text)
        if parsed:
            code, message, target, status, source, closed = parsed
            last = index
            if closed == toolchain.OPEN_QUOTE:
                rest, rest_target, taken = toolchain.quoted_rest(texts[index + 1:index + 1 + _MAX_QUOTED_LINES])
                if taken:
                    message, target, last = message + " " + rest, target or rest_target, index + taken
            elif not closed:
                message, last = self._continued(index, message)
            observation = Observation(self.number(index), code, message, "echo", source, target, status=status)
            observation.hints = self._resource_names(index, texts)
            observation.tool = toolchain.tool_location(texts, index, source)
            if source == "packer":
                self._packer_context(observation, index, texts)
            self.add(index, observation)
            return last
        record = powershell.parse_record(texts, index)
        if record:
            first, last, code, message, target, status = record
            if any(position in self.consumed for position in range(first, last + 1)):
                return index
            self.consumed.update(range(first, last + 1))
            self.add(first, Observation(self.number(first), code, message, "echo", "powershell", target,
                                        status=status))
            return last
        is_error_line = line.level == "ERROR" or (line.logger or "").endswith(_CLIENT_ERROR_LOGGERS)
        paren = _PAREN_CODE.match(text)
        if not (is_error_line or paren) or line.level in ("DEBUG", "INFO", "WARNING", "WARN", "VERBOSE"):
            return index
        if not paren and (not text or _ERROR_STOP.match(text)):
            return index
        if text.startswith(_CHECKS_STOPPED):
            return self._stopped_by_checks(index)
        message, last = self._continued(index, paren.group("message") if paren else text)
        if not message.strip():
            return last
        code = paren.group("code") if paren else None
        azure_said = _AZURE_SAID.search(message)
        if azure_said:
            # sig-doctor's own error quotes Azure's code and message: match those.
            code, message = azure_said.group("code"), azure_said.group("message")
        target = None
        if last + 1 < len(self.lines):
            found = _TARGET_LINE.match(self.lines[last + 1].text.strip())
            if found and paren:
                target, last = found.group("target").strip(), last + 1
        self.add(index, Observation(self.number(index), code, message.strip(), "echo",
                                    self.kind or "text", target))
        return last

    def _api_error(self, index, texts):
        """go-azure-sdk's multi-line error introduced at ``index``: its last index, or None when
        the lines that follow state no code or message."""
        block = toolchain.parse_api_error(texts[index:index + toolchain.API_ERROR_MAX_LINES])
        if block is None:
            return None
        code, message, source, span = block
        last = index + span
        hints = self._resource_names(index, texts)
        # The block quotes the response body too, which the JSON pass has read already: that body
        # is this error (with its details), so it gets the names rather than a second finding.
        quoted = [observation for observation in self.found
                  if self.number(index) <= observation.line <= self.number(last)]
        self.consumed.update(range(index, last + 1))
        for observation in quoted:
            observation.source = source
            for key, value in hints.items():
                observation.hints.setdefault(key, value)
        location = toolchain.tool_location(texts, index, source)
        for observation in quoted:
            observation.tool = location
        if not quoted:
            observation = Observation(self.number(index), code, message, "echo", source)
            observation.hints = hints
            observation.tool = location
            self.add(index, observation)
        return last

    def _resource_names(self, index, texts):
        """The names the error's own summary states, on the lines up to ``index``: back to the
        line that starts the error, never into an earlier error (its names are not this one's)."""
        first = index
        while first > 0 and index - first < _NAMES_LOOKBEHIND and not toolchain.starts_error(texts[first]):
            previous = first - 1
            if previous in self._error_lines or previous in self.consumed or toolchain.ends_error(texts[previous]):
                break
            first = previous
        return toolchain.resource_names("\n".join(texts[first:index + 1]))

    def _stopped_by_checks(self, index):
        """sig-doctor stopped a create on its pre-checks: one observation per failed check, which
        names its knowledge-base entry; returns the last index of the list."""
        last = index
        for position in range(index + 1, min(len(self.lines), index + _MAX_MESSAGE_LINES)):
            found = _CHECK_LINE.match(self.lines[position].raw)
            if not found:
                break
            observation = Observation(self.number(position), None, found.group("text"), "echo", "sig-doctor")
            observation.known_id = found.group("id")
            self.add(position, observation)
            # No request failed: the checks stopped the command (its arguments name the resource).
            observation.request = observation.resource_request = None
            last = position
        return last

    def _packer_context(self, observation, index, texts):
        """What Packer stated before the error (gallery target, build location, replication
        regions, source): names of the resource go to ``hints``, other values to ``facts``."""
        if self._packer_lines is None:
            # packer_label needs "-> " in the line: only those lines are looked at.
            self._packer_lines = [(position,) + found for position, found in
                                  ((position, toolchain.packer_label(texts[position]))
                                   for position in self.lines.with_any(("-> ",)))
                                  if found]
        before = self._packer_lines[:bisect.bisect_left(self._packer_lines, (index,))]
        values = toolchain.packer_values([line[1:] for line in reversed(before)],
                                         toolchain.packer_build(texts[index]))
        for key in toolchain.RESOURCE_KEYS:
            if key in values:
                observation.hints.setdefault(key, values.pop(key))
        observation.facts = values

    def _continued(self, index, message):
        """Join the lines that continue an ERROR message (wrapped by a terminal or multi-line)."""
        last = index
        previous = self.lines[index].raw
        position = index + 1
        while position < len(self.lines) and position - index <= _MAX_MESSAGE_LINES:
            line = self.lines[position]
            raw = _BOX_GUTTER.sub("", line.raw)  # Terraform frames its diagnostics with a gutter
            stripped = raw.strip()
            if (position in self.consumed or not stripped or prefix.has_prefix(line.raw)
                    or _ERROR_STOP.match(stripped) or powershell.is_field(stripped)):
                break
            # A line cut at the terminal's width continues mid-word; a short one ended a sentence.
            message += raw if len(previous) >= _WRAP_WIDTH else " " + stripped
            previous = line.raw
            last = position
            position += 1
        return message, last


def _load_object(text):
    start = text.find("{")
    if start < 0:
        return None
    try:
        return armjson._DECODER.raw_decode(text[start:].strip())[0]  # pylint: disable=protected-access
    except ValueError:
        return None


def read(text, first_line=1, numbers=None, sources=None):
    """The window of ``text`` read: its error observations in line order (``found``; not masked:
    callers mask what they show) and which of its lines are not the client's own (``others``).

    ``numbers`` gives the input line number of each line of a rewritten text (``explain.forms``),
    ``sources`` the tool a wrapper form recognised on an input line."""
    window = _Window(text, first_line, numbers, sources)
    bare = tracking.track_requests(window.lines, first_line)
    window.kind = window.lines.kind
    window.json_pass()
    window.bare_bodies(bare)
    window.line_pass()
    window.found.sort(key=lambda observation: observation.line)
    return window


def observations(text, first_line=1, numbers=None, sources=None):
    """Every error observation in ``text``, in line order (see ``read``)."""
    return read(text, first_line, numbers, sources).found
