"""ARM error JSON anywhere in a text: the ``error`` envelope, nested ``details``, long-running
operation status bodies, bare ``{code, message}`` objects, AAD token errors; on one line,
pretty-printed over many, wrapped by a terminal, or cut short."""

import json
import re

# ARM puts the few keys of an error body (or an LRO status) right before "error": the opening
# brace is never far back; the budget bounds the work on a window crowded with error keys.
_MAX_BACK = 4096
_BACK_BUDGET = 128 * 1024
_MAX_OBJECT = 256 * 1024
# A window full of error keys (a pathological line) is cut short rather than parsed for minutes.
_MAX_KEYS = 2000
_ERROR_KEY = re.compile(r'"error"\s*:')
_DECODER = json.JSONDecoder(strict=False)
_STRING = r'"((?:\\.|[^"\\])*)"?'
_CODE = re.compile(r'"code"\s*:\s*' + _STRING)
_MESSAGE = re.compile(r'"message"\s*:\s*"((?:\\.|[^"\\\n])*)')
_TARGET = re.compile(r'"target"\s*:\s*' + _STRING)


class ErrorPart:
    """One error object: code, message, target and its nested details."""

    __slots__ = ("code", "message", "target", "details")

    def __init__(self, code, message, target=None, details=()):
        self.code = code
        self.message = message
        self.target = target
        self.details = list(details)

    def flatten(self):
        """This error, then its details depth first."""
        yield self
        for detail in self.details:
            yield from detail.flatten()


def _as_text(value):
    return value if isinstance(value, str) else (None if value is None else str(value))


def error_from_object(data, depth=0):
    """The ErrorPart of a parsed JSON value, or None when it holds no error."""
    if not isinstance(data, dict) or depth > 8:
        return None
    error = data.get("error")
    if isinstance(error, dict):
        return error_from_object(error, depth + 1) or error_from_object({"code": error.get("code"),
                                                                          "message": error.get("message")}, depth + 1)
    if isinstance(error, str) and (data.get("error_description") or data.get("message")):
        # AAD token endpoint errors: {"error": "invalid_client", "error_description": "AADSTS..."}
        return ErrorPart(error, _as_text(data.get("error_description") or data.get("message")))
    if isinstance(error, str) and str(data.get("status", "")).lower() == "failed":
        return ErrorPart(None, error)
    if "code" in data and "message" in data and isinstance(data.get("message"), (str, type(None))):
        details = [part for part in (error_from_object(item, depth + 1) for item in data.get("details") or [])
                   if part is not None]
        if data.get("code") is None and not data.get("message") and not details:
            return None
        inner = _embedded_error(data.get("message"), depth)
        if inner is not None:
            # A deployment operation's detail carries the resource provider's whole error body as
            # its message: that body's code and message are the real ones. The outer target (the
            # resource id) names the resource better than the inner one (a property path).
            return ErrorPart(inner.code or _as_text(data.get("code")), inner.message,
                             _as_text(data.get("target")) or inner.target, details + inner.details)
        return ErrorPart(_as_text(data.get("code")), _as_text(data.get("message")) or "",
                         _as_text(data.get("target")), details)
    return None


def _embedded_error(message, depth):
    """The ErrorPart of a message that is itself an ARM error body in JSON, or None."""
    if not isinstance(message, str) or len(message) > _MAX_OBJECT:
        return None
    text = message.strip()
    if not (text.startswith("{") and text.endswith("}")):
        return None
    try:
        data = json.loads(text, strict=False)
    except (ValueError, RecursionError):
        return None
    inner = error_from_object(data, depth + 1)
    return inner if inner is not None and inner.message else None


def _object_start(text, position, floor):
    """Index of the ``{`` that opens the object around ``position`` (None when not found)."""
    depth = 0
    index = position - 1
    in_string = False
    while index >= floor:
        char = text[index]
        if char == '"':
            backslashes = 0
            probe = index - 1
            while probe >= floor and text[probe] == "\\":
                backslashes += 1
                probe -= 1
            if backslashes % 2 == 0:
                in_string = not in_string
        elif not in_string:
            if char == "}":
                depth += 1
            elif char == "{":
                if depth == 0:
                    return index
                depth -= 1
        index -= 1
    return None


def _last(matches):
    """The last of an iterator's matches, or None."""
    found = None
    for found in matches:  # noqa: B007 (the loop keeps the last one)
        pass
    return found


def _unescape(text):
    try:
        return json.loads('"' + text + '"', strict=False)
    except ValueError:
        return text.replace('\\"', '"').replace("\\\\", "\\")


_MAX_SALVAGED = 20


def _salvage(fragment):
    """Code and message of a JSON body that was cut short (best effort, may be partial); the
    messages after the first (the details a deployment's error nests) become its details."""
    messages = []
    for message in _MESSAGE.finditer(fragment):
        messages.append(message)
        if len(messages) >= _MAX_SALVAGED:
            break
    if not messages:
        return None
    parts = []
    start = 0
    for message in messages:
        # A detail's code and target are written next to its message: before it (back to the
        # previous message) or, failing that, anywhere in the fragment for the first one.
        code = _last(_CODE.finditer(fragment, start, message.start()))
        if code is None and not parts:
            code = _CODE.search(fragment)
        target = _last(_TARGET.finditer(fragment, start, message.start()))
        if target is None and not parts:
            target = _TARGET.search(fragment)
        parts.append(ErrorPart(_unescape(code.group(1)) if code else None, _unescape(message.group(1)),
                               _unescape(target.group(1)) if target else None))
        start = message.end()
    first = parts[0]
    first.details = parts[1:]
    return first


# A bare error object outside any envelope: a portal deployment's {"code": ..., "message": ...,
# "details": [...]} whose inner errors are escaped JSON strings.
_BARE = re.compile(r'\{\s*"code"\s*:\s*"')
_MAX_BARE = 200


def _decode(text, start, work):
    """``(value, end)`` of the JSON value that starts at ``text[start]``; raises ValueError.

    A value on one line is decoded in place. One with line breaks inside (wrapped by a terminal,
    which breaks strings and numbers; JSON has no raw line breaks of its own inside strings) is
    decoded again from a copy without them, while ``work`` (a one-item list: characters such copies
    may still take) lasts, so a window crowded with broken bodies costs no more than a few passes.
    """
    try:
        data, end = _DECODER.raw_decode(text, start)
        if text.find("\n", start, end) < 0:
            return data, end
    except ValueError as exc:
        newline = text.find("\n", start)
        if newline < 0 or exc.pos < newline:
            raise  # broken on its first line: no line break is to blame
    if work[0] <= 0:
        raise ValueError("no budget left for wrapped JSON")
    window = text[start:start + _MAX_OBJECT]
    work[0] -= len(window)
    flat = window.replace("\r", "").replace("\n", "")
    data, length = _DECODER.raw_decode(flat)
    return data, start + _flat_to_raw(window, length)


def find_errors(text):
    """Yield ``(start, end, ErrorPart)`` for each error object found in ``text``: the ``"error"``
    envelopes in order, then the bare ``{"code": ..., "message": ...}`` objects outside them.

    ``start``/``end`` delimit the whole JSON value holding the error, so callers can skip other
    triggers inside it. The work grows with the text (a window of a log where every request failed
    holds thousands of bodies), bounded for a text crowded with error keys that are no JSON.
    """
    spans = []
    for start, end, part in _enveloped(text):
        spans.append((start, end))
        yield start, end, part
    if '"code"' in text:
        yield from _bare(text, spans)


def _bare(text, spans):
    for number, found in enumerate(_BARE.finditer(text)):
        if number >= _MAX_BARE:
            break
        start = found.start()
        if any(first <= start < last for first, last in spans):
            continue
        window = text[start:start + _MAX_OBJECT]
        flat = window.replace("\r", "").replace("\n", "")
        try:
            data, length = _DECODER.raw_decode(flat)
        except (ValueError, RecursionError):
            if _NOT_ERROR_LEVEL.match(flat):
                continue
            # Cut short: the codes and messages it holds (an inner body is often an escaped string).
            part = _salvage(flat)
            if part is not None and part.message:
                end = _end_of_fragment(text, found.end())
                spans.append((start, end))
                yield start, end, part
            continue
        end = start + _flat_to_raw(window, length)
        spans.append((start, end))
        if _status_only(data):
            continue
        part = error_from_object(data)
        if part is not None and part.message:
            yield start, end, part


# An instance view's status ({"code": "PowerState/running", "level": "Info", ...}) has the shape of
# an error object: only its "Error" level is one.
_NOT_ERROR_LEVEL = re.compile(r'^\{[^{}]*"level"\s*:\s*"(?!Error")')


def _status_only(data):
    return isinstance(data, dict) and "level" in data and str(data["level"]).lower() != "error"


def _enveloped(text):
    consumed_until = 0
    budget = _BACK_BUDGET + len(text)
    max_keys = _MAX_KEYS + len(text) // 256
    work = [_MAX_OBJECT * 4 + len(text) * 2]
    for number, key in enumerate(_ERROR_KEY.finditer(text)):
        if number >= max_keys or budget <= 0:
            break
        if key.start() < consumed_until:
            continue
        floor = max(0, key.start() - _MAX_BACK, consumed_until)
        budget -= key.start() - floor
        start = _object_start(text, key.start(), floor)
        if start is None:
            # The object around the key opens too far back (a big body states "error" after
            # kilobytes of other properties): the error's own value says what is needed.
            found = _value_error(text, key.end(), work)
            if found is not None:
                consumed_until = found[1]
                yield found
            continue
        try:
            data, end = _decode(text, start, work)
        except (ValueError, RecursionError):
            fragment = text[start:start + _MAX_OBJECT]
            part = _salvage(fragment.replace("\r", "").replace("\n", ""))
            if part is not None:
                consumed_until = _end_of_fragment(text, key.end())
                yield start, consumed_until, part
            continue
        part = error_from_object(data)
        consumed_until = end
        if part is not None:
            yield start, end, part


def _value_error(text, position, work):
    """``(start, end, ErrorPart)`` of the value of an ``"error":`` key whose object is out of
    reach, or None."""
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    try:
        data, end = _decode(text, position, work)
    except (ValueError, RecursionError):
        return None
    part = error_from_object({"error": data}) if isinstance(data, dict) else None
    return (position, end, part) if part is not None else None


def _flat_to_raw(window, flat_length):
    """Map a length in the line-break-free copy back to the original text."""
    seen = 0
    for index, char in enumerate(window):
        if char not in "\r\n":
            seen += 1
            if seen == flat_length:
                return index + 1
    return len(window)


def _end_of_fragment(text, position):
    # A cut body ends where its line ends (or a blank line starts the next block).
    blank = text.find("\n\n", position)
    return len(text) if blank < 0 else blank
