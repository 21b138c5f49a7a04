"""Packer's padded columns: a run of spaces that a log viewer put in the middle of a word or a
path (``Code="PropertyCha                  ngeNotAllowed"``), never between a label and its colon."""

import re

NAME = "packer-padding"

_RUN = re.compile(r"(?<=[^\s:])[ ]{6,}(?=[^\s:|])")
_PACKER = re.compile(r"==>|-->|azure-arm|Build '")


def detect(text):
    return "      " in text and bool(_PACKER.search(text))


def clean(message):
    return _RUN.sub("", message) if "      " in message else message


def rewrite(lines):
    return [line._replace(text=clean(line.text)) if _PACKER.search(line.text) else line for line in lines]
