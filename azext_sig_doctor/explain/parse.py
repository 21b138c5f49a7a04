"""Turn one window of log text into observations, in three passes:

1. follow the requests (az ``--debug`` and Az PowerShell ``-Debug``) so every line knows which
   request it belongs to and which resource that request hit;
2. find ARM error JSON (one line, pretty-printed, wrapped or cut short);
3. read the line-shaped errors that are left: ``ERROR:`` lines, PowerShell error records,
   Packer/Terraform lines, ``(Code) message`` lines.
"""

import bisect
import re

from azext_sig_doctor.explain import armjson, powershell, prefix, toolchain, tracking
from azext_sig_doctor.explain.model import Observation

# ARM codes are PascalCase words: "(s) or use ..." in a wrapped line is not one.
_PAREN_CODE = re.compile(r"^\((?P<code>[A-Z][A-Za-z0-9.]{2,})\)\s*(?P<message>.*)$")
# Lines that end an ERROR message: azure-core's repeated fields and the CLI's trailers.
# The left border of a Terraform diagnostic box: a line holding only it is a blank line.
_BOX_GUTTER = re.compile("^\\s*[\u2502\u2577\u2575]\\s?")
_ERROR_STOP = re.compile(
    r"^(?:(?:Code|Message|Target|Status|Exception Details|Additional Information|Inner error|Error details|"
    r"Error):|Traceback \(|To learn more|Run 'az|Please run|At line:|Read more|==>|Build '|with azurerm_)")
# Without a level word (az with colours on) only this logger's lines are errors for sure.
_CLIENT_ERROR_LOGGERS = ("azclierror",)
# A cheap test that a line can start an error at all (most lines of a window are context).
_MAYBE_ERROR = re.compile(r"rror|RROR|Code=|CategoryInfo|^\s*\(|^[A-Z][a-z]+-[A-Z][A-Za-z]+\s?:")
_WRAP_WIDTH = 79
_LOOKAHEAD_LINES = 400
_MAX_LINE = 32 * 1024
_MAX_MESSAGE_LINES = 60


def _attach(observation, line):
    observation.request = line.request
    observation.resource_request = line.resource_request
    observation.serial = line.serial
    return observation


class _Window:
    def __init__(self, text, first_line):
        self.lines = tracking.split_lines(text)
        self.first_line = first_line
        self.consumed = set()
        self.found = []
        self.kind = self._kind()

    def _kind(self):
        for line in self.lines:
            stripped = line.text.strip()
            if stripped.startswith("Request URL:"):
                return "az-debug"
            if stripped.startswith("=") and "HTTP REQUEST" in stripped:
                return "powershell"
        return None

    def add(self, index, observation):
        self.found.append(_attach(observation, self.lines[index]))

    def json_pass(self):
        texts = [line.text for line in self.lines]
        offsets = [0]
        for text in texts:
            offsets.append(offsets[-1] + len(text) + 1)
        clean = "\n".join(texts)
        for start, end, part in armjson.find_errors(clean):
            first = bisect.bisect_right(offsets, start) - 1
            last = bisect.bisect_right(offsets, max(start, end - 1)) - 1
            self.consumed.update(range(first, last + 1))
            if self._tolerated(first, last):
                continue
            source = self.kind if self.lines[first].request is not None else "arm-json"
            self.add(first, Observation(self.first_line + first, part.code, part.message or "", "response",
                                        source or "arm-json", part.target, part.details,
                                        self.lines[first].status))

    def _tolerated(self, first, last):
        """A GET answered 404 after which the client went on with its next request: an existence
        check (az looks before it creates), not a failed operation."""
        line = self.lines[first]
        if line.request is None or (line.request.method or "").upper() != "GET" or line.status != 404:
            return False
        for following in self.lines[last + 1:last + 1 + _LOOKAHEAD_LINES]:
            text = following.text.strip()
            if following.level == "ERROR" or _PAREN_CODE.match(text) or powershell.is_field(text):
                return False
            if text.startswith("Request URL:") or (text.startswith("=") and "HTTP REQUEST" in text):
                return True
        return False

    def bare_bodies(self, bare):
        for index, status in bare:
            if index in self.consumed:
                continue
            part = armjson.error_from_object(_load_object(self.lines[index].text))
            if part is not None:
                self.consumed.add(index)
                self.add(index, Observation(self.first_line + index, part.code, part.message or "", "response",
                                            self.kind or "az-debug", part.target, part.details, status))

    def line_pass(self):
        texts = [line.text for line in self.lines]
        index = 0
        while index < len(self.lines):
            if index in self.consumed or not _MAYBE_ERROR.search(texts[index], 0, _MAX_LINE):
                index += 1
                continue
            index = self._line_error(index, texts) + 1

    def _line_error(self, index, texts):
        """Record the error starting at ``index`` if any; return the last index it spans."""
        line = self.lines[index]
        # No error line is longer than this; a giant line (a body, a dump) is read by its start.
        text = line.text[:_MAX_LINE].strip()
        parsed = toolchain.parse_line(text)
        if parsed:
            code, message, target, status, source, closed = parsed
            last = index
            if not closed:
                message, last = self._continued(index, message)
            observation = Observation(self.first_line + index, code, message, "echo", source, target, status=status)
            observation.hints = toolchain.resource_names("\n".join(texts[max(0, index - 8):index + 1]))
            self.add(index, observation)
            return last
        record = powershell.parse_record(texts, index)
        if record:
            first, last, code, message, target, status = record
            if any(position in self.consumed for position in range(first, last + 1)):
                return index
            self.consumed.update(range(first, last + 1))
            self.add(first, Observation(self.first_line + first, code, message, "echo", "powershell", target,
                                        status=status))
            return last
        is_error_line = line.level == "ERROR" or (line.logger or "").endswith(_CLIENT_ERROR_LOGGERS)
        paren = _PAREN_CODE.match(text)
        if not (is_error_line or paren) or line.level in ("DEBUG", "INFO", "WARNING", "WARN", "VERBOSE"):
            return index
        if not paren and (not text or _ERROR_STOP.match(text)):
            return index
        message, last = self._continued(index, paren.group("message") if paren else text)
        if not message.strip():
            return last
        code = paren.group("code") if paren else None
        self.add(index, Observation(self.first_line + index, code, message.strip(), "echo",
                                    self.kind or "text"))
        return last

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


def observations(text, first_line=1):
    """Every error observation in ``text``, in line order (not masked: callers mask what they show)."""
    window = _Window(text, first_line)
    bare = tracking.track_requests(window.lines, first_line)
    window.json_pass()
    window.bare_bodies(bare)
    window.line_pass()
    window.found.sort(key=lambda observation: observation.line)
    return window.found
