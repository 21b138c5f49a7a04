"""Log line prefixes: timestamps, levels and logger names put in front of the text by az,
Az PowerShell and CI systems, taken off so every parser sees the same text."""

import re

_PREFIX = re.compile(
    r"^\ufeff?"
    r"(?:\[?\d{4}-\d\d-\d\d[T ][\d:.,]+(?:Z|[+-]\d\d:?\d\d)?\]?\s+)?"  # CI timestamps
    r"(?:##\[[a-z]+\]|::[a-z]+::)?"  # Azure Pipelines / GitHub Actions annotations
    r"(?:az ?: )?"  # az run from PowerShell: its stderr lines become "az : ..." error records
    r"(?:\[?(?P<level>DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|VERBOSE)\]?:?[ \t]+)?"
    r"(?:(?P<logger>(?:cli|azure|msal|urllib3|az_command_data_logger|knack|adal|msrest|requests)"
    r"(?:\.[A-Za-z0-9_]+)*)[ \t]?:[ \t]?)?"
)


# A frame line of a Python traceback (az --debug prints the client's own).
PYTHON_FRAME = '  File "'

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def strip_colours(line):
    """The line without terminal colour codes (a log captured from a terminal has them)."""
    return _ANSI.sub("", line) if "\x1b" in line else line


# Prefixes seen ending with a logger name and ": " -> (level, logger). Such a prefix is split the
# same way whatever follows it (the pattern ends with the logger, and looks at nothing after the
# space), so a line that starts with one is split without the pattern: a log repeats a few
# prefixes over and over.
_KNOWN = {}
_KNOWN_MAX = 512


def split(line):
    """``(level, logger, text)`` of one log line; level and logger are None when absent.

    Colour codes (a log captured from a terminal) are dropped first."""
    line = strip_colours(line)
    first = line.find(": ")
    if first > 0:
        second = line.find(": ", first + 2)
        for end in (second, first):
            known = _KNOWN.get(line[:end + 2]) if end > 0 else None
            if known is not None:
                return known[0], known[1], line[end + 2:]
    found = _PREFIX.match(line)
    level = found.group("level")
    logger = found.group("logger")
    end = found.end()
    if logger and line.startswith(": ", end - 2) and len(_KNOWN) < _KNOWN_MAX:
        _KNOWN[line[:end]] = (level, logger)
    return level, logger, line[end:]


def strip(line):
    return line[_PREFIX.match(line).end():]


def has_prefix(line):
    """True when the line starts with a level or a logger name (so it is not a wrapped remainder)."""
    found = _PREFIX.match(line)
    return bool(found.group("level") or found.group("logger"))
