"""HCL2 read with python-hcl2, kept with the line of every block and attribute, and its values
resolved the way Packer resolves them offline.

python-hcl2 8.x keeps lark's positions on its rule tree (each attribute and block has the line it
starts on); its ``with_meta`` option is declared but not applied to ``loads`` output, so the tree
is walked here. ``Expression`` values are python-hcl2's serialised form (strings in quotes,
``${...}`` for expressions); ``Resolver`` turns them into values, and into ``Unknown`` for what
Packer only knows at build time (functions such as ``timestamp()``, ``env()``, variables without
a value).
"""

import re
from dataclasses import dataclass, field
from typing import Dict, List

from azext_sig_doctor.build.model import Unknown


class HclError(ValueError):
    def __init__(self, message, line=None, column=None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class Attribute:
    name: str
    raw: object
    line: int


@dataclass
class Block:
    type: str
    labels: List[str]
    line: int
    attributes: Dict[str, Attribute] = field(default_factory=dict)
    blocks: List["Block"] = field(default_factory=list)

    def children(self, block_type):
        return [block for block in self.blocks if block.type == block_type]


def _unquote(text):
    if isinstance(text, str) and len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    return text


def _line(node):
    # python-hcl2 keeps lark's Meta on every rule; it has no public accessor for it.
    meta = getattr(node, "_meta", None)
    return getattr(meta, "line", None) or 1


def parse(text):
    """The top-level Block (type "") of an HCL2 text; raises HclError with the line and column."""
    import hcl2
    from hcl2.rules.base import AttributeRule, BlockRule
    from hcl2.utils import SerializationOptions
    from lark.exceptions import UnexpectedInput
    options = SerializationOptions(with_comments=False)
    try:
        tree = hcl2.parses(text)
    except UnexpectedInput as error:
        expected = sorted(getattr(error, "expected", None) or getattr(error, "allowed", None) or [])
        words = ", ".join(_token_words(expected)[:6])
        raise HclError("not valid HCL2{}".format(": expected " + words if words else ""),
                       getattr(error, "line", None), getattr(error, "column", None)) from None
    except Exception as error:  # pylint: disable=broad-except
        raise HclError("not valid HCL2: {}".format(str(error).splitlines()[0] if str(error) else
                                                     type(error).__name__)) from None

    def walk(body, block):
        for child in body.children:
            if isinstance(child, AttributeRule):
                name = child.identifier.serialize(options)
                block.attributes[name] = Attribute(name, child.expression.serialize(options), _line(child))
            elif isinstance(child, BlockRule):
                labels = [_unquote(label.serialize(options)) for label in child.labels]
                inner = Block(labels[0], labels[1:], _line(child))
                walk(child.body, inner)
                block.blocks.append(inner)
    root = Block("", [], 1)
    try:
        walk(tree.body, root)
    except Exception as error:  # pylint: disable=broad-except
        raise HclError("could not read the HCL2 structure: {}".format(error)) from None
    return root


_TOKEN_NAMES = {"RBRACE": "'}'", "LBRACE": "'{'", "EQ": "'='", "DBLQUOTE": "'\"'", "LSQB": "'['", "RSQB": "']'",
                "NAME": "a name", "STRING_CHARS": "text", "DECIMAL": "a number", "TRUE": "true",
                "FALSE": "false", "NULL": "null", "$END": "the end of the file", "NL_OR_COMMENT": "a new line",
                "LPAR": "'('", "RPAR": "')'", "COMMA": "','", "COLON": "':'", "QMARK": "'?'"}


def _token_words(tokens):
    words = []
    for token in tokens:
        word = _TOKEN_NAMES.get(token)
        if word and word not in words:
            words.append(word)
    return words


# ---- values -------------------------------------------------------------------------------------

_REFERENCE = re.compile(r"^(var|local)\.([A-Za-z_][\w-]*)$")
_FUNCTION = re.compile(r"^([A-Za-z_][\w]*)\s*\(")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _interpolations(text):
    """Split a quoted HCL string's content into literal text and ``${...}`` expressions."""
    parts, literal, index = [], [], 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            literal.append(_ESCAPES.get(text[index + 1], text[index + 1]))
            index += 2
            continue
        if text.startswith("$${", index):
            literal.append("${")
            index += 3
            continue
        if text.startswith("${", index) or text.startswith("%{", index):
            depth, end = 0, index + 2
            while end < len(text):
                if text[end] == "{":
                    depth += 1
                elif text[end] == "}":
                    if depth == 0:
                        break
                    depth -= 1
                end += 1
            if literal:
                parts.append(("text", "".join(literal)))
                literal = []
            kind = "expr" if char == "$" else "directive"
            parts.append((kind, text[index + 2:end].strip()))
            index = end + 1
            continue
        literal.append(char)
        index += 1
    if literal:
        parts.append(("text", "".join(literal)))
    return parts


class Resolver:
    """Resolves serialised expressions with ``variables`` and ``locals`` (name -> raw expression
    or resolved value); only plain values and simple references are followed."""

    def __init__(self, variables, local_values):
        self.variables = variables      # name -> value (already resolved, maybe Unknown)
        self.locals = local_values      # name -> raw serialised expression
        self._resolving = set()
        self._local_cache = {}

    def value(self, raw):
        if isinstance(raw, list):
            return [self.value(item) for item in raw]
        if isinstance(raw, dict):
            return {_unquote(key): self.value(item) for key, item in raw.items() if not str(key).startswith("__")}
        if not isinstance(raw, str):
            return raw
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            return self.string(raw[1:-1])
        if raw.startswith("${") and raw.endswith("}"):
            return self.expression(raw[2:-1].strip())
        return raw

    def string(self, content):
        if content.startswith("<<"):
            lines = content.split("\n")
            return "\n".join(lines[1:-1])
        parts = _interpolations(content)
        if len(parts) == 1 and parts[0][0] == "expr":
            return self.expression(parts[0][1])
        pieces = []
        for kind, text in parts:
            if kind == "text":
                pieces.append(text)
                continue
            if kind == "directive":
                return Unknown("a template directive (%{{{}}}) is evaluated by Packer".format(text), content)
            value = self.expression(text)
            if isinstance(value, Unknown):
                return Unknown(value.reason, content)
            pieces.append(_text(value))
        return "".join(pieces)

    def expression(self, text):
        reference = _REFERENCE.match(text)
        if reference:
            kind, name = reference.groups()
            return self.variable(name, text) if kind == "var" else self.local(name, text)
        if text.startswith('"') and text.endswith('"'):
            return self.string(text[1:-1])
        if _NUMBER.match(text):
            return float(text) if "." in text else int(text)
        if text in ("true", "false"):
            return text == "true"
        if text == "null":
            return None
        function = _FUNCTION.match(text)
        if function:
            name = function.group(1)
            if name == "env":
                return Unknown("reads the environment when Packer runs (env)", text)
            return Unknown("the function {}() is evaluated by Packer at build time".format(name), text)
        return Unknown("the expression '{}' is evaluated by Packer at build time".format(text), text)

    def variable(self, name, text):
        if name not in self.variables:
            return Unknown("var.{} is not declared".format(name), text)
        return self.variables[name]

    def local(self, name, text):
        if name in self._local_cache:
            return self._local_cache[name]
        if name not in self.locals:
            return Unknown("local.{} is not declared".format(name), text)
        if name in self._resolving:
            return Unknown("local.{} refers to itself".format(name), text)
        self._resolving.add(name)
        try:
            value = self.value(self.locals[name])
        finally:
            self._resolving.discard(name)
        self._local_cache[name] = value
        return value


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
