"""Message signatures: the patterns that tie an error text to a knowledge-base entry.

A signature is either a ``template`` (the service's message with ``{placeholder}`` holes) or a
raw ``regex`` with named groups; an entry may list several (one per wording: older and newer API
versions, clients that reword), each with an optional ``note`` saying which it is. Key ``phrases``
(``compile_phrase``) are literal word sequences with the same tolerance and no placeholders.
Templates are compiled so that they tolerate what the service and the clients are known to vary:
straight or curly quotes or none at all, a trailing period or not, any run of white space
(including a line wrapped by a terminal), and letter case. ``anchors`` gives the words every match
of a template, regex or phrase contains: a message without them is not searched.

Placeholder types in templates, written ``{name}`` or ``{name:type}``:

* ``token`` (default): one word without white space, quotes, brackets or commas
  (names, resource ids, region short names, numbers);
* ``word``: like ``token`` but may end with a period (a rejected name that ends with one);
* ``text``: any text, as little as possible (display region names, lists, sentences);
* ``int``: digits.
"""

import re
from functools import lru_cache

_QUOTES = "'\"\u2018\u2019\u201c\u201d`"
_QUOTE_CLASS = "[" + re.escape(_QUOTES) + "]"
_PLACEHOLDER = re.compile(r"\{(?P<name>[a-z][a-z0-9_]*)(?::(?P<type>[a-z]+))?\}")
_TYPE_PATTERNS = {
    # A token never ends with a period: that period closes the sentence, not the value. Brackets
    # may only be inside it (a redacted "/resourceGroups/[redacted]/..."), never around it (a list).
    "token": r"[^\s'\"\u2018\u2019\u201c\u201d\[\],](?:[^\s'\"\u2018\u2019\u201c\u201d,]*"
             r"[^\s'\"\u2018\u2019\u201c\u201d\[\],.])?",
    # A word may end with a period (a rejected name such as "images."): use it where that matters.
    "word": r"[^\s'\"\u2018\u2019\u201c\u201d\[\],]+",
    "text": r".+?",
    "int": r"\d+",
}
_REGEX_META = re.compile(r"\\[a-zA-Z]|\\.|\(\?P<\w+>|\(\?[:=!<]+|[\[\]\(\)\?\*\+\{\}\|\^\$\.]|\d+,?\d*")


class SignatureError(ValueError):
    """A signature in the knowledge base cannot be compiled."""


def _compile_literal(text):
    parts = []
    for char in text:
        if char in _QUOTES:
            parts.append(_QUOTE_CLASS + "?")
        elif char.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def template_to_regex(template):
    """Compile a message template into a regular expression source string."""
    body = template.strip()
    trailing_period = body.endswith(".")
    if trailing_period:
        body = body[:-1]
    pieces = []
    position = 0
    seen = set()
    for match in _PLACEHOLDER.finditer(body):
        pieces.append(_compile_literal(body[position:match.start()]))
        name = match.group("name")
        kind = match.group("type") or "token"
        if kind not in _TYPE_PATTERNS:
            raise SignatureError("unknown placeholder type '{}' in template: {}".format(kind, template))
        if name in seen:
            # The same value can appear twice in one message; only the first occurrence is named.
            pieces.append("(?:{})".format(_TYPE_PATTERNS[kind]))
        else:
            seen.add(name)
            pieces.append("(?P<{}>{})".format(name, _TYPE_PATTERNS[kind]))
        # Quotes around a value come and go between API versions and clients.
        pieces[-1] = _QUOTE_CLASS + "?" + pieces[-1] + _QUOTE_CLASS + "?"
        position = match.end()
    pieces.append(_compile_literal(body[position:]))
    source = "".join(pieces)
    # The service ends most messages with a period, clients often drop it; a lazy placeholder at
    # the very end must still take the rest of the sentence, so stop it at a line or quote end.
    if source.endswith("+?)" + _QUOTE_CLASS + "?"):
        # ... or at the end of its sentence, when the next one follows on the same line.
        source += (r"(?=" + _QUOTE_CLASS + r"?\.?\s*(?:$|[\"}\]\n])|" + _QUOTE_CLASS + r"?\.\s+[A-Z]|" + _QUOTE_CLASS
                   + r"?\.?\s*(?:Error)?(?:Code|Message|Target):)")
    else:
        source += r"\.?"
    return source


def literal_weight(signature):
    """How much fixed text a signature demands: the more, the more specific the match."""
    if "template" in signature:
        text = _PLACEHOLDER.sub("", signature["template"])
        return len(re.sub(r"\s+", " ", text).strip())
    if "regex" in signature:
        return len(_REGEX_META.sub("", signature["regex"]))
    return 0


@lru_cache(maxsize=None)
def _compiled(source):
    try:
        return re.compile(source, re.IGNORECASE | re.DOTALL)
    except re.error as exc:
        raise SignatureError("invalid signature regex {!r}: {}".format(source, exc)) from exc


def compile_signature(signature):
    """Return the compiled regular expression of one signature mapping."""
    if "template" in signature:
        return _compiled(template_to_regex(signature["template"]))
    if "regex" in signature:
        return _compiled(signature["regex"])
    raise SignatureError("a signature needs a 'template' or a 'regex': {!r}".format(signature))


@lru_cache(maxsize=None)
def template_anchor(template):
    """The longest plain word a template demands, lower-cased (None when it has none).

    Every match of the compiled template contains this word, so a message without it cannot
    match: checking for it first spares compiling and running most patterns on most messages.
    """
    words = re.findall(r"[A-Za-z0-9]+", _PLACEHOLDER.sub(" ", template))
    longest = max(words, key=len, default="")
    return longest.lower() if len(longest) >= 4 else None


@lru_cache(maxsize=None)
def compile_phrase(phrase):
    """A key phrase as a pattern: its words in order, with the tolerance of templates (quotes,
    white space, letter case); a phrase has no placeholders."""
    body = phrase.strip()
    if body.endswith("."):
        body = body[:-1]
    return _compiled(_compile_literal(body))


@lru_cache(maxsize=None)
def phrase_anchor(phrase):
    """The longest word of a phrase, lower-cased (a message without it cannot hold the phrase)."""
    words = re.findall(r"[A-Za-z0-9]+", phrase)
    longest = max(words, key=len, default="")
    return longest.lower() if len(longest) >= 3 else None


def _top_level_alternation(source):
    """True when ``source`` has a ``|`` outside any group or class (its words are then optional)."""
    depth, index, in_class = 0, 0, False
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
        index += 1
    return False


_ANCHOR_WORD = re.compile(r"[A-Za-z0-9]{4,}|[\u3000-\u9fff\uff00-\uffef]{2,}")


@lru_cache(maxsize=None)
def anchors(signature_text, kind):
    """Every word (of four letters or more, or two CJK characters) a match of a ``template`` or a
    raw ``regex`` must contain, lower-cased: a message without one of them is not searched."""
    if kind == "template":
        literal = _PLACEHOLDER.sub(" ", signature_text)
    elif kind == "regex" and not _top_level_alternation(signature_text):
        literal = _required_literal(signature_text)
    else:
        return ()
    # The longest first: the rarest words turn most messages away at the first test.
    return tuple(sorted({word.lower() for word in _ANCHOR_WORD.findall(literal)}, key=lambda word: (-len(word), word)))


_CASE_PAIR = re.compile(r"\[([A-Za-z])([A-Za-z])\]")


def _group_end(source, index):
    """The index after the group that opens at ``source[index]``."""
    depth = 0
    in_class = False
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return index


def _class_end(source, index):
    index += 1
    if source[index:index + 1] == "^":
        index += 1
    if source[index:index + 1] == "]":
        index += 1
    while index < len(source) and source[index] != "]":
        index += 2 if source[index] == "\\" else 1
    return index + 1


def _optional(source, index):
    """True when the quantifier at ``index`` lets the item before it be absent."""
    return source[index:index + 1] in ("?", "*") or source[index:index + 3] in ("{0,", "{0}")


def _required_literal(source):
    """The literal text every match of a regex contains, at its top level (groups, classes and
    quantified items are left out as word breaks; ``[Xx]`` counts as the letter)."""
    out = []
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            following = source[index + 1:index + 2]
            index += 2
            if following.isalnum() or not following:
                out.append(" ")  # \s, \d, \w ...: a break
                continue
            item = following
        elif char == "(":
            index = _group_end(source, index)
            item = " "
        elif char == "[":
            case = _CASE_PAIR.match(source, index)
            end = _class_end(source, index)
            item = case.group(1).lower() if case and case.group(1).lower() == case.group(2).lower() else " "
            index = end
        elif char in ".^$":
            index += 1
            item = " "
        elif char in "+*?{":
            # A quantifier on nothing we kept: skip it.
            index = source.find("}", index) + 1 if char == "{" else index + 1
            continue
        else:
            index += 1
            item = char
        if _optional(source, index):
            out.append(" ")
        else:
            out.append(item)
            if source[index:index + 1] in ("+", "{"):
                out.append(" ")
    return "".join(out)


def search(signature, message, lowered=None):
    """Search ``message`` for the signature; return the placeholder values, or None.

    ``lowered`` is ``message.lower()``, passed in by callers that try many signatures. A message
    without the signature's anchor word (``template_anchor``, ``regex_anchor``) is not searched.
    """
    kind = "template" if "template" in signature else "regex"
    required = anchors(signature.get(kind) or "", kind)
    if required:
        lowered = message.lower() if lowered is None else lowered
        if not all(word in lowered for word in required):
            return None
    found = compile_signature(signature).search(message)
    if not found:
        return None
    return {name: value.strip().strip(_QUOTES).strip()
            for name, value in found.groupdict().items() if value is not None}
