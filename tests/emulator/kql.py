"""A small evaluator of the Kusto query language (KQL) subset Azure Resource Graph queries use.

``run(query, tables)`` parses ``table | op | op ...`` and evaluates it over lists of dict rows.
Operators: ``where``, ``project``, ``project-away``, ``extend``, ``mv-expand``, ``summarize ... by``,
``order by`` / ``sort by``, ``limit`` / ``take``, ``count``, ``distinct``. Expressions: ``==``,
``!=``, ``=~``, ``!~``, ``<``, ``<=``, ``>``, ``>=``, ``in``, ``in~``, ``!in``, ``!in~``, ``has``,
``contains``, ``startswith``, ``endswith`` (each with its ``!`` form), ``and``, ``or``, ``not()``,
``+ - * / %``, member access (``properties.a.b``, ``x['a']``, ``x[0]``), literals (strings, numbers,
``true``/``false``, ``dynamic([...])``) and a few functions (see ``FUNCTIONS``).

Semantics follow the Kusto documentation where the product relies on them: ``=~``/``in~``/
``has``/``contains`` are case-insensitive; ``has`` matches whole terms (runs of letters and
digits); a comparison with null is false; ``order by`` sorts descending unless told ``asc``,
nulls last when descending and first when ascending; ``mv-expand`` of an empty array or bag gives
no row and of null one row with null. Anything outside the subset is a ``KqlError`` (the service
answers such queries 400), never a silent guess. Pure Python, no emulator state.
"""

import json
import re
from collections import OrderedDict

__all__ = ["KqlError", "Result", "run", "parse"]


class KqlError(ValueError):
    """The query is outside the subset or invalid; ``position`` is the offset in the query text."""

    def __init__(self, message, position=None):
        super().__init__(message)
        self.position = position


class Result:
    """The rows and columns of a query; ``limited`` when it used ``limit``/``take`` (no paging)."""

    def __init__(self, rows, columns, limited):
        self.rows = rows
        self.columns = columns
        self.limited = limited


# ---- tokens ---------------------------------------------------------------------------------

_HYPHENATED = ("mv-expand", "project-away", "project-rename", "project-keep", "mv-apply")
_TOKEN = re.compile(r"""
    (?P<ws>\s+|//[^\n]*)
  | (?P<string>@?'(?:[^'\\]|\\.)*'|@?"(?:[^"\\]|\\.)*")
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|=~|!~|<=|>=|[|()\[\],.=<>+\-*/%!~])
""", re.VERBOSE)


class Token:
    __slots__ = ("kind", "text", "value", "start", "end")

    def __init__(self, kind, text, value, start, end):
        self.kind = kind
        self.text = text
        self.value = value
        self.start = start
        self.end = end

    def __repr__(self):
        return "Token({}, {!r})".format(self.kind, self.text)


def _unquote(text):
    verbatim = text.startswith("@")
    body = text[2:-1] if verbatim else text[1:-1]
    if verbatim:
        return body
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), body)


def tokenize(query):
    tokens, position = [], 0
    lowered = query.lower()
    while position < len(query):
        dynamic = _DYNAMIC.match(query, position)
        if dynamic:
            end = _closing_paren(query, dynamic.end() - 1)
            text = query[dynamic.end():end]
            try:
                value = json.loads(text) if text.strip() else None
            except ValueError as error:
                raise KqlError("invalid dynamic literal: {}".format(error), position) from None
            tokens.append(Token("dynamic", query[position:end + 1], value, position, end + 1))
            position = end + 1
            continue
        hyphenated = next((word for word in _HYPHENATED if lowered.startswith(word, position)
                           and not _is_word_char(query, position + len(word))), None)
        if hyphenated:
            end = position + len(hyphenated)
            tokens.append(Token("word", query[position:end], hyphenated, position, end))
            position = end
            continue
        match = _TOKEN.match(query, position)
        if not match:
            raise KqlError("unexpected character {!r} at {}".format(query[position], position), position)
        kind = match.lastgroup
        text = match.group(kind)
        if kind == "string":
            tokens.append(Token("string", text, _unquote(text), position, match.end()))
        elif kind == "number":
            value = float(text) if any(c in text for c in ".eE") else int(text)
            tokens.append(Token("number", text, value, position, match.end()))
        elif kind in ("word", "op"):
            tokens.append(Token(kind, text, text.lower() if kind == "word" else text, position, match.end()))
        position = match.end()
    tokens.append(Token("end", "", None, len(query), len(query)))
    return tokens


_DYNAMIC = re.compile(r"dynamic\s*\(", re.IGNORECASE)


def _closing_paren(text, opening):
    """The index of the parenthesis closing the one at ``opening`` (quotes respected)."""
    depth, quote, index = 0, None, opening
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    raise KqlError("unclosed dynamic(", opening)


def _is_word_char(text, index):
    return index < len(text) and (text[index].isalnum() or text[index] == "_")


# ---- values ---------------------------------------------------------------------------------

def _lower(value):
    return value.lower() if isinstance(value, str) else value


def _text(value):
    """``tostring``: null is the empty string, dynamic values their compact JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _empty(value):
    return value is None or value == "" or value == [] or value == {}


def _has(haystack, needle):
    """Kusto ``has``: ``needle`` is a whole term (or run of terms) of ``haystack``, any case."""
    if haystack is None or needle is None:
        return False
    haystack, needle = _text(haystack).lower(), _text(needle).lower()
    if not needle:
        return True
    left = r"(?<![a-z0-9])" if needle[0].isalnum() else ""
    right = r"(?![a-z0-9])" if needle[-1].isalnum() else ""
    return re.search(left + re.escape(needle) + right, haystack) is not None


def _equal(left, right, insensitive=False):
    if left is None or right is None:
        return False
    if insensitive and isinstance(left, str) and isinstance(right, str):
        return left.lower() == right.lower()
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    return left == right


def _compare(left, right, operator):
    if left is None or right is None:
        return False
    numbers = (int, float)
    if isinstance(left, numbers) != isinstance(right, numbers):
        return False
    try:
        return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[operator]
    except TypeError:
        return False


def _string_op(name, left, right):
    if left is None or right is None:
        return False
    if name == "has":
        return _has(left, right)
    sensitive = name.endswith("_cs")
    base = name[:-3] if sensitive else name
    left, right = _text(left), _text(right)
    if not sensitive:
        left, right = left.lower(), right.lower()
    return {"contains": right in left, "startswith": left.startswith(right),
            "endswith": left.endswith(right), "has_cs": _has(left, right)}[base]


def _arith(operator, left, right):
    if left is None or right is None:
        return None
    if operator == "+" and isinstance(left, str):
        raise KqlError("'+' does not join strings in KQL: use strcat()")
    try:
        if operator == "+":
            return left + right
        if operator == "-":
            return left - right
        if operator == "*":
            return left * right
        if operator == "/":
            return left / right if isinstance(left, float) or isinstance(right, float) else int(left / right)
        return left % right
    except (TypeError, ZeroDivisionError):
        return None


def _to_int(value):
    if value is None or isinstance(value, (dict, list)):
        return None
    try:
        return int(float(value)) if not isinstance(value, bool) else int(value)
    except (TypeError, ValueError):
        return None


def _to_number(value):
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _to_bool(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if isinstance(value, (int, float)):
        return value != 0
    return None


def _coalesce(*values):
    for value in values:
        if value is not None and value != "":
            return value
    return values[-1] if values else None


FUNCTIONS = {
    "tolower": (1, 1, lambda v: _text(v).lower() if v is not None else ""),
    "toupper": (1, 1, lambda v: _text(v).upper() if v is not None else ""),
    "tostring": (1, 1, _text),
    "toint": (1, 1, _to_int),
    "tolong": (1, 1, _to_int),
    "todouble": (1, 1, _to_number),
    "toreal": (1, 1, _to_number),
    "tobool": (1, 1, _to_bool),
    "isempty": (1, 1, _empty),
    "isnotempty": (1, 1, lambda v: not _empty(v)),
    "isnull": (1, 1, lambda v: v is None),
    "isnotnull": (1, 1, lambda v: v is not None),
    "strlen": (1, 1, lambda v: None if v is None else len(_text(v))),
    "array_length": (1, 1, lambda v: len(v) if isinstance(v, list) else None),
    "strcat": (1, 64, lambda *v: "".join(_text(x) for x in v)),
    "split": (2, 2, lambda v, sep: None if v is None else _text(v).split(_text(sep))),
    "coalesce": (2, 64, _coalesce),
    "not": (1, 1, lambda v: None if not isinstance(v, bool) else not v),
    "iff": (3, 3, lambda c, a, b: a if c is True else b),
    "iif": (3, 3, lambda c, a, b: a if c is True else b),
}


# ---- expressions (compiled to closures) -------------------------------------------------------

_COMPARISONS = ("==", "!=", "=~", "!~", "<", "<=", ">", ">=")
_STRING_OPERATORS = ("has", "contains", "startswith", "endswith", "has_cs", "contains_cs", "startswith_cs",
                     "endswith_cs")


class _Parser:
    def __init__(self, query, table_columns):
        self.query = query
        self.tokens = tokenize(query)
        self.index = 0
        self.table_columns = table_columns
        self.columns = None

    # -- token helpers
    @property
    def token(self):
        return self.tokens[self.index]

    def peek(self, offset=1):
        return self.tokens[min(self.index + offset, len(self.tokens) - 1)]

    def advance(self):
        token = self.token
        self.index += 1
        return token

    def error(self, message, token=None):
        token = token or self.token
        return KqlError("{} at position {} ('{}')".format(message, token.start, token.text or "end of query"),
                        token.start)

    def is_word(self, *words):
        return self.token.kind == "word" and self.token.value in words

    def is_op(self, *ops):
        return self.token.kind == "op" and self.token.value in ops

    def expect_op(self, op):
        if not self.is_op(op):
            raise self.error("expected '{}'".format(op))
        return self.advance()

    def expect_word(self, *words):
        if not self.is_word(*words):
            raise self.error("expected {}".format(" or ".join(words)))
        return self.advance()

    def name(self):
        if self.token.kind != "word":
            raise self.error("expected a name")
        return self.advance().text

    def adjacent(self, first, second):
        return first.end == second.start

    # -- pipeline
    def pipeline(self):
        source = self.name()
        if source.lower() not in self.table_columns:
            raise KqlError("unknown table '{}' (this service knows: {})".format(
                source, ", ".join(sorted(self.table_columns))), 0)
        self.columns = list(self.table_columns[source.lower()])
        stages = []
        limited = False
        while self.is_op("|"):
            self.advance()
            operator = self.token
            if operator.kind != "word":
                raise self.error("expected a tabular operator")
            builder = _OPERATORS.get(operator.value)
            if builder is None:
                raise self.error("unsupported tabular operator '{}'".format(operator.text))
            self.advance()
            stages.append(builder(self))
            limited = limited or operator.value in ("limit", "take")
        if self.token.kind != "end":
            raise self.error("unexpected text")
        return source.lower(), stages, limited

    # -- expressions
    def expression(self):
        return self.or_expression()

    def or_expression(self):
        left = self.and_expression()
        while self.is_word("or"):
            self.advance()
            right = self.and_expression()
            left = (lambda a, b: lambda row: a(row) is True or b(row) is True)(left, right)
        return left

    def and_expression(self):
        left = self.comparison()
        while self.is_word("and"):
            self.advance()
            right = self.comparison()
            left = (lambda a, b: lambda row: a(row) is True and b(row) is True)(left, right)
        return left

    def comparison(self):
        left = self.additive()
        token = self.token
        if self.is_op(*_COMPARISONS):
            operator = self.advance().value
            right = self.additive()
            return _comparison(operator, left, right)
        negated = False
        if self.is_op("!") and self.peek().kind == "word" and self.adjacent(token, self.peek()):
            negated = True
            self.advance()
        if self.is_word(*_STRING_OPERATORS):
            name = self.advance().value
            right = self.additive()
            return _negate(negated, lambda row: _string_op(name, left(row), right(row)))
        if self.is_word("in"):
            word = self.advance()
            insensitive = self.is_op("~") and self.adjacent(word, self.token)
            if insensitive:
                self.advance()
            values = self.in_list()
            return _negate(negated, _membership(left, values, insensitive))
        if negated:
            raise self.error("expected an operator after '!'", token)
        return left

    def in_list(self):
        self.expect_op("(")
        items = [self.expression()]
        while self.is_op(","):
            self.advance()
            items.append(self.expression())
        self.expect_op(")")
        return items

    def additive(self):
        left = self.multiplicative()
        while self.is_op("+", "-"):
            operator = self.advance().value
            right = self.multiplicative()
            left = (lambda op, a, b: lambda row: _arith(op, a(row), b(row)))(operator, left, right)
        return left

    def multiplicative(self):
        left = self.unary()
        while self.is_op("*", "/", "%"):
            operator = self.advance().value
            right = self.unary()
            left = (lambda op, a, b: lambda row: _arith(op, a(row), b(row)))(operator, left, right)
        return left

    def unary(self):
        if self.is_op("-"):
            self.advance()
            operand = self.unary()
            return lambda row: None if operand(row) is None else -operand(row)
        return self.postfix()

    def postfix(self):
        value, _ = self.primary()
        while True:
            if self.is_op("."):
                self.advance()
                key = self.name()
                value = (lambda get, k: lambda row: _member(get(row), k))(value, key)
            elif self.is_op("["):
                self.advance()
                index = self.expression()
                self.expect_op("]")
                value = (lambda get, i: lambda row: _member(get(row), i(row)))(value, index)
            else:
                break
        return value

    def primary(self):
        token = self.token
        if token.kind == "string":
            self.advance()
            return (lambda v: lambda row: v)(token.value), None
        if token.kind in ("number", "dynamic"):
            self.advance()
            return (lambda v: lambda row: v)(token.value), None
        if self.is_op("("):
            self.advance()
            inner = self.expression()
            self.expect_op(")")
            return inner, None
        if token.kind != "word":
            raise self.error("expected a value")
        if token.value in ("true", "false"):
            self.advance()
            return (lambda v: lambda row: v)(token.value == "true"), None
        if token.value == "null":
            self.advance()
            return (lambda row: None), None
        if self.peek().kind == "op" and self.peek().value == "(":
            return self.call(), None
        self.advance()
        name = token.text
        if name not in self.columns:
            raise KqlError("Failed to resolve scalar expression named '{}'".format(name), token.start)
        return (lambda n: lambda row: row.get(n))(name), [name]

    def call(self):
        token = self.advance()
        name = token.value
        self.expect_op("(")
        if name not in FUNCTIONS:
            raise KqlError("unsupported function '{}'".format(token.text), token.start)
        arguments = []
        if not self.is_op(")"):
            arguments.append(self.expression())
            while self.is_op(","):
                self.advance()
                arguments.append(self.expression())
        self.expect_op(")")
        low, high, function = FUNCTIONS[name]
        if not low <= len(arguments) <= high:
            raise KqlError("function '{}' takes {} argument(s), got {}".format(
                name, low if low == high else "{}-{}".format(low, high), len(arguments)), token.start)
        return lambda row: function(*(argument(row) for argument in arguments))

    # -- helpers for operators
    def named_expression(self):
        """``name = expr`` or a column path (named after it: ``properties.a`` -> ``properties_a``)
        -> (name, function)."""
        if self.token.kind == "word" and self.peek().kind == "op" and self.peek().value == "=":
            name = self.advance().text
            self.advance()
            return name, self.expression()
        start = self.token
        path = self.bare_path()
        function = self.expression()
        if path is None:
            raise self.error("give the computed column a name (name = expression)", start)
        return "_".join(path), function

    def bare_path(self):
        """The names of ``a.b.c`` when the next expression is only that path, else None."""
        index, names = self.index, []
        while True:
            token = self.tokens[index]
            if token.kind != "word" or self.tokens[index + 1].kind == "op" and self.tokens[index + 1].value == "(":
                return None
            names.append(token.text)
            index += 1
            following = self.tokens[index]
            if following.kind == "op" and following.value == ".":
                index += 1
                continue
            ends = following.kind == "end" or (following.kind == "op" and following.value in (",", "|", ")")) \
                or (following.kind == "word" and following.value in ("to", "by", "asc", "desc"))
            return names if ends else None


def _member(container, key):
    if isinstance(container, dict) and isinstance(key, str):
        return container.get(key)
    if isinstance(container, list) and isinstance(key, int) and not isinstance(key, bool):
        return container[key] if -len(container) <= key < len(container) else None
    return None


def _negate(negated, function):
    if not negated:
        return function
    return lambda row: not function(row)


def _comparison(operator, left, right):
    if operator == "==":
        return lambda row: _equal(left(row), right(row))
    if operator == "=~":
        return lambda row: _equal(left(row), right(row), insensitive=True)
    if operator == "!=":
        return lambda row: (lambda a, b: a is not None and b is not None and not _equal(a, b))(left(row), right(row))
    if operator == "!~":
        return lambda row: (lambda a, b: a is not None and b is not None and not _equal(a, b, True))(
            left(row), right(row))
    return lambda row: _compare(left(row), right(row), operator)


def _membership(left, items, insensitive):
    def check(row):
        value = left(row)
        if value is None:
            return False
        candidates = []
        for item in items:
            item_value = item(row)
            candidates.extend(item_value if isinstance(item_value, list) else [item_value])
        return any(_equal(value, candidate, insensitive) for candidate in candidates)
    return check


# ---- tabular operators ------------------------------------------------------------------------

def _where(parser):
    predicate = parser.expression()
    return lambda rows: [row for row in rows if predicate(row) is True]


def _project(parser):
    columns = [parser.named_expression()]
    while parser.is_op(","):
        parser.advance()
        columns.append(parser.named_expression())
    parser.columns = [name for name, _ in columns]

    def project(rows):
        return [OrderedDict((name, function(row)) for name, function in columns) for row in rows]
    return project


def _project_away(parser):
    names = [parser.name()]
    while parser.is_op(","):
        parser.advance()
        names.append(parser.name())
    unknown = [name for name in names if name not in parser.columns]
    if unknown:
        raise KqlError("project-away: unknown column(s) {}".format(", ".join(unknown)))
    parser.columns = [column for column in parser.columns if column not in names]
    kept = list(parser.columns)
    return lambda rows: [OrderedDict((name, row.get(name)) for name in kept) for row in rows]


def _extend(parser):
    columns = [parser.named_expression()]
    while parser.is_op(","):
        parser.advance()
        columns.append(parser.named_expression())
    for name, _ in columns:
        if name not in parser.columns:
            parser.columns.append(name)

    def extend(rows):
        result = []
        for row in rows:
            new = OrderedDict(row)
            for name, function in columns:
                new[name] = function(row)
            result.append(new)
        return result
    return extend


def _mv_expand(parser):
    if parser.is_word("kind", "bagexpansion", "with_itemindex"):
        raise parser.error("mv-expand options are outside the supported subset")
    name, function = parser.named_expression()
    if parser.is_word("to"):
        parser.advance()
        parser.expect_word("typeof")
        parser.expect_op("(")
        parser.name()
        parser.expect_op(")")
    if parser.is_op(","):
        raise parser.error("mv-expand of several columns is outside the supported subset")
    if name not in parser.columns:
        parser.columns.append(name)

    def expand(rows):
        result = []
        for row in rows:
            value = function(row)
            if value is None:
                items = [None]
            elif isinstance(value, list):
                items = value
            elif isinstance(value, dict):
                items = [{key: item} for key, item in value.items()]
            else:
                items = [value]
            for item in items:
                new = OrderedDict(row)
                new[name] = item
                result.append(new)
        return result
    return expand


_AGGREGATES = {
    "count": (0, lambda values: len(values)),
    "countif": (1, lambda values: sum(1 for v in values if v is True)),
    "dcount": (1, lambda values: len({_text(v) for v in values if v is not None})),
    "sum": (1, lambda values: sum(v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool))),
    "min": (1, lambda values: min((v for v in values if v is not None), default=None)),
    "max": (1, lambda values: max((v for v in values if v is not None), default=None)),
    "avg": (1, lambda values: (lambda xs: sum(xs) / len(xs) if xs else None)(
        [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)])),
    "make_list": (1, lambda values: [v for v in values if v is not None]),
    "make_set": (1, lambda values: _unique(v for v in values if v is not None)),
    "take_any": (1, lambda values: next((v for v in values if v is not None), None)),
    "any": (1, lambda values: next((v for v in values if v is not None), None)),
}


def _unique(values):
    seen, result = set(), []
    for value in values:
        key = _text(value)
        if key not in seen:
            seen.add(key)
            result.append(value)
    return result


def _aggregate(parser):
    """``[name =] agg(expr)`` -> (name, aggregate name, argument function or None)."""
    name = None
    if parser.token.kind == "word" and parser.peek().kind == "op" and parser.peek().value == "=":
        name = parser.advance().text
        parser.advance()
    token = parser.token
    if token.kind != "word" or token.value not in _AGGREGATES:
        raise parser.error("expected an aggregation function ({})".format(", ".join(sorted(_AGGREGATES))))
    parser.advance()
    parser.expect_op("(")
    arity, _ = _AGGREGATES[token.value]
    argument, path = None, None
    if arity:
        path = parser.bare_path()
        argument = parser.expression()
    parser.expect_op(")")
    if name is None:
        name = "{}_{}".format(token.value, "_".join(path) if path else "")
    return name, token.value, argument


def _summarize(parser):
    aggregates = []
    if not parser.is_word("by"):
        aggregates.append(_aggregate(parser))
        while parser.is_op(","):
            parser.advance()
            aggregates.append(_aggregate(parser))
    groups = []
    if parser.is_word("by"):
        parser.advance()
        groups.append(parser.named_expression())
        while parser.is_op(","):
            parser.advance()
            groups.append(parser.named_expression())
    if not aggregates and not groups:
        raise parser.error("summarize needs an aggregation or a by clause")
    parser.columns = [name for name, _ in groups] + [name for name, _, _ in aggregates]

    def summarize(rows):
        buckets = OrderedDict()
        for row in rows:
            key_values = tuple(function(row) for _, function in groups)
            bucket = buckets.setdefault(tuple(_text(v) for v in key_values), (key_values, []))
            bucket[1].append(row)
        if not groups and not buckets:
            buckets[()] = ((), [])
        result = []
        for key_values, members in buckets.values():
            out = OrderedDict((name, value) for (name, _), value in zip(groups, key_values))
            for name, aggregate, argument in aggregates:
                values = [argument(row) for row in members] if argument else members
                out[name] = _AGGREGATES[aggregate][1](values)
            result.append(out)
        return result
    return summarize


def _count(parser):
    parser.columns = ["Count"]
    return lambda rows: [OrderedDict([("Count", len(rows))])]


def _distinct(parser):
    names = [parser.name()]
    while parser.is_op(","):
        parser.advance()
        names.append(parser.name())
    unknown = [name for name in names if name not in parser.columns]
    if unknown:
        raise KqlError("distinct: unknown column(s) {}".format(", ".join(unknown)))
    parser.columns = names

    def distinct(rows):
        seen, result = set(), []
        for row in rows:
            key = tuple(_text(row.get(name)) for name in names)
            if key not in seen:
                seen.add(key)
                result.append(OrderedDict((name, row.get(name)) for name in names))
        return result
    return distinct


def _order(parser):
    parser.expect_word("by")
    keys = []
    while True:
        function = parser.expression()
        descending = True
        if parser.is_word("asc", "desc"):
            descending = parser.advance().value == "desc"
        if parser.is_word("nulls"):
            raise parser.error("'nulls first/last' is outside the supported subset")
        keys.append((function, descending))
        if not parser.is_op(","):
            break
        parser.advance()

    def order(rows):
        result = list(rows)
        for function, descending in reversed(keys):
            present = [row for row in result if function(row) is not None]
            missing = [row for row in result if function(row) is None]
            present.sort(key=lambda row: _sort_key(function(row)), reverse=descending)
            result = present + missing if descending else missing + present
        return result
    return order


def _sort_key(value):
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, (int, float)):
        return (1, value)
    if isinstance(value, str):
        return (2, value)
    return (3, _text(value))


def _limit(parser):
    token = parser.token
    if token.kind != "number" or not isinstance(token.value, int):
        raise parser.error("expected a whole number of rows")
    parser.advance()
    return lambda rows: rows[:token.value]


_OPERATORS = {
    "where": _where, "filter": _where,
    "project": _project, "project-away": _project_away,
    "extend": _extend,
    "mv-expand": _mv_expand,
    "summarize": _summarize,
    "order": _order, "sort": _order,
    "limit": _limit, "take": _limit,
    "count": _count,
    "distinct": _distinct,
}


# ---- entry points -----------------------------------------------------------------------------

class Query:
    """A parsed query: ``table``, the columns it outputs, and ``evaluate(rows)``."""

    def __init__(self, table, stages, columns, limited):
        self.table = table
        self.stages = stages
        self.columns = columns
        self.limited = limited

    def evaluate(self, rows):
        for stage in self.stages:
            rows = stage(rows)
        return Result(rows, list(self.columns), self.limited)


def parse(query, table_columns):
    """Parse ``query`` against ``table_columns`` (table name, lower case -> its columns)."""
    if not isinstance(query, str) or not query.strip():
        raise KqlError("the query is empty", 0)
    parser = _Parser(query, table_columns)
    table, stages, limited = parser.pipeline()
    return Query(table, stages, parser.columns, limited)


def run(query, tables):
    """Evaluate ``query`` over ``tables`` (name, lower case -> (columns, rows))."""
    parsed = parse(query, {name: columns for name, (columns, _) in tables.items()})
    return parsed.evaluate(tables[parsed.table][1])
