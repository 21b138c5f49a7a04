"""Wrapper forms: what each tool puts around an Azure error, taken off before parsing and matching.

Every form has a module with ``NAME``, ``detect(text)`` (a cheap test that the form may be in a
text) and ``rewrite(lines)``: ``lines`` is a list of ``Line(number, text, source)`` (the line number
in the input, the text, and the tool that printed it when a form knows); the module returns the
list with its form turned into the canonical shapes the parser reads:

* ``(Code) message`` on one line, an optional ``Target: path`` line after it (az's own form);
* ``ERROR: message`` for an error without a code;
* ``Request URL: '...'`` / ``Request method: '...'`` for the request an error answered;
* ARM error JSON left as JSON (or unescaped into it).

A rewritten line keeps the number of the input line it came from, so findings point at the input.
The forms run in ``FORMS`` order: first what hides the text (Markdown, escapes, padding, gutters,
console cuts), then what frames the error (each tool's wrapper).

``clean_message(message)`` is the message-level part: what a wrapper leaves inside a message that
was read anyway (emphasis, escapes, padded columns, doubled quotes, PowerShell gutters).
"""

from collections import namedtuple

from azext_sig_doctor.explain.forms import (ansible, autorest, console, deployment, escapes, exceptions, gosdk,
                                            gutters, imagebuilder, markup, padding, pulumi)

Line = namedtuple("Line", "number text source")
AZ_VALIDATION = exceptions.AZ_VALIDATION  # the source of an error az's argument validators raised

FORMS = (markup, escapes, padding, gutters, console, autorest, gosdk, exceptions, ansible, pulumi, deployment,
         imagebuilder)


def detect(text, lines=None):
    """The forms that may be in ``text`` (cheap: substring tests). With ``lines`` (the lines of which
    ``text`` holds the part a tool could have wrapped) the console's cuts are judged on ``lines``:
    they show in the lengths of consecutive lines, whoever wrote them."""
    return [form for form in FORMS
            if (console.detect_lines(lines) if form is console and lines is not None else form.detect(text))]


def rewrite(text, first_line=1, forms=None):
    """``(text, numbers, sources)``: ``text`` with the detected forms rewritten, the input line number
    of each of its lines, and ``{line number: tool}`` for the lines a tool's form recognised."""
    forms = detect(text) if forms is None else forms
    lines = [Line(first_line + index, raw[:-1] if raw.endswith("\r") else raw, None)
             for index, raw in enumerate(text.split("\n"))]
    for form in forms:
        lines = form.rewrite(lines)
    sources = {}
    for line in lines:
        if line.source:
            sources.setdefault(line.number, line.source)
    return "\n".join(line.text for line in lines), [line.number for line in lines], sources


def clean_message(message, padded=False):
    """A message as matching wants it: without the decorations a wrapper left inside it (runs of
    spaces inside words only when ``padded``: a message Packer printed; elsewhere such a run is a
    table's columns)."""
    if not message:
        return message
    for form in ((escapes, markup, padding, gutters, pulumi) if padded else (escapes, markup, gutters, pulumi)):
        message = form.clean(message)
    return message
    for form in (escapes, markup, gutters, pulumi):
        message = form.clean(message)
    return message
