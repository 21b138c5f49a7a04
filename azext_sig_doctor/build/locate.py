"""Where each value of a JSON document stands: the one module that knows lines in JSON text.

``load_json(text)`` parses like ``json.loads`` and also returns ``lines``: the 1-based line of
every value, by its path (a tuple of keys and indexes; an object member's line is the line of its
key). Packer's legacy JSON templates, Image Builder templates, ARM templates and Terraform plans
are all read through it, so a finding can point at the line of the setting to change.
HCL2 positions come from the parser itself (``packer.py``).
"""

import bisect
import json
import re
from json.decoder import scanstring

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_SPACE = re.compile(r"[ \t\n\r]*")
_LITERALS = (("true", True), ("false", False), ("null", None))


class JsonError(ValueError):
    """A document that is not JSON: ``line`` and ``column`` (1-based) and what was expected."""

    def __init__(self, message, line, column):
        super().__init__("{} (line {}, column {})".format(message, line, column))
        self.message = message
        self.line = line
        self.column = column


class _Parser:
    def __init__(self, text):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self.lines = {}

    def line_of(self, offset):
        return bisect.bisect_right(self.starts, offset)

    def error(self, message, offset):
        line = self.line_of(offset)
        return JsonError(message, line, offset - self.starts[line - 1] + 1)

    def skip(self, offset):
        return _SPACE.match(self.text, offset).end()

    def value(self, offset, path):
        offset = self.skip(offset)
        self.lines.setdefault(path, self.line_of(offset))
        char = self.text[offset:offset + 1]
        if char == "{":
            return self.obj(offset + 1, path)
        if char == "[":
            return self.array(offset + 1, path)
        if char == '"':
            try:
                return scanstring(self.text, offset + 1)
            except ValueError:
                raise self.error("an unterminated or invalid string", offset) from None
        match = _NUMBER.match(self.text, offset)
        if match and match.group(0):
            text = match.group(0)
            return (float(text) if any(c in text for c in ".eE") else int(text)), match.end()
        for word, literal in _LITERALS:
            if self.text.startswith(word, offset):
                return literal, offset + len(word)
        raise self.error("expected a value (object, array, string, number, true, false or null)" if char
                         else "expected a value, found the end of the file", offset)

    def obj(self, offset, path):
        result = {}
        offset = self.skip(offset)
        if self.text[offset:offset + 1] == "}":
            return result, offset + 1
        while True:
            offset = self.skip(offset)
            if self.text[offset:offset + 1] != '"':
                raise self.error("expected a member name in double quotes", offset)
            key_line = self.line_of(offset)
            try:
                key, offset = scanstring(self.text, offset + 1)
            except ValueError:
                raise self.error("an unterminated member name", offset) from None
            offset = self.skip(offset)
            if self.text[offset:offset + 1] != ":":
                raise self.error("expected ':' after the member name \"{}\"".format(key), offset)
            self.lines[path + (key,)] = key_line
            result[key], offset = self.value(offset + 1, path + (key,))
            offset = self.skip(offset)
            char = self.text[offset:offset + 1]
            if char == "}":
                return result, offset + 1
            if char != ",":
                raise self.error("expected ',' or '}}' after the member \"{}\"".format(key), offset)
            offset += 1

    def array(self, offset, path):
        result = []
        offset = self.skip(offset)
        if self.text[offset:offset + 1] == "]":
            return result, offset + 1
        while True:
            item, offset = self.value(offset, path + (len(result),))
            result.append(item)
            offset = self.skip(offset)
            char = self.text[offset:offset + 1]
            if char == "]":
                return result, offset + 1
            if char != ",":
                raise self.error("expected ',' or ']' in the array", offset)
            offset += 1


def load_json(text):
    """``(value, lines)`` of a JSON text; raises JsonError with the line and column of the problem."""
    if text.startswith("\ufeff"):
        text = text[1:]
    parser = _Parser(text)
    value, offset = parser.value(0, ())
    offset = parser.skip(offset)
    if offset != len(text):
        raise parser.error("expected the end of the document after the top-level value", offset)
    return value, parser.lines


def line_for(lines, path, default=None):
    """The line of ``path``, else of its nearest enclosing value that has one."""
    path = tuple(path)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get((), default)


def dumps_value(value):
    """A value as JSON text (how a suggested value is written into a JSON template)."""
    return json.dumps(value)
