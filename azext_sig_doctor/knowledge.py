"""The knowledge base of gallery errors: loading, lookup and matching.

The entries are data (``kb/*.yaml`` inside the package), loaded once and only when a command
needs them. ``explain``, the pre-checks and the guarded creates all speak in the entries' ids.
"""

import difflib
import os
import string
from functools import lru_cache

from azext_sig_doctor import signatures

KB_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kb")

# Sections in the order of the troubleshooting article.
SECTIONS = (
    "gallery",
    "definition",
    "version",
    "vm",
    "disk",
    "sharing",
    "replication",
    "limits",
)

ARTICLE_URL = "https://learn.microsoft.com/azure/virtual-machines/troubleshooting-shared-images"


class UnknownEntryError(KeyError):
    """No entry has the requested id; ``suggestions`` holds the closest ids."""

    def __init__(self, entry_id, suggestions):
        super().__init__(entry_id)
        self.entry_id = entry_id
        self.suggestions = suggestions


class Entry:
    """One known error (or guidance topic) of the knowledge base."""

    __slots__ = ("data",)

    def __init__(self, data):
        self.data = data

    def __getattr__(self, name):
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def id(self):  # pylint: disable=invalid-name
        return self.data["id"]

    @property
    def signatures(self):
        return self.data.get("signatures") or []

    @property
    def codes(self):
        return self.data.get("codes") or []

    @property
    def prevented_by_rule(self):
        prevented = self.data.get("prevented_by") or {}
        return prevented.get("rule")

    def commands_for(self, values, shell="az"):
        """The entry's next commands for ``shell`` (az or powershell) with ``values`` filled in.

        A placeholder without a value stays visible as ``<name>`` so the user sees what to fill.
        """
        rendered = []
        for command in self.data.get("commands") or []:
            text = command.get(shell) or (command.get("az") if shell == "powershell" else None)
            if text:
                rendered.append(fill(text, values))
        return rendered

    def to_dict(self):
        return dict(self.data)

    def __repr__(self):
        return "Entry({!r})".format(self.id)


class _Blank(dict):
    def __missing__(self, key):
        return "<{}>".format(key)


def fill(text, values):
    """Fill ``{name}`` placeholders of ``text``; unknown names become ``<name>``."""
    formatter = string.Formatter()
    try:
        return formatter.vformat(text, (), _Blank({k: v for k, v in (values or {}).items() if v not in (None, "")}))
    except (ValueError, IndexError, AttributeError):
        return text


def _load_yaml(path):
    import yaml
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, "r", encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader) or []


@lru_cache(maxsize=1)
def load():
    """Every entry, in section order, then in the order of their files."""
    entries = []
    for name in sorted(os.listdir(KB_DIR)):
        if name.endswith(".yaml"):
            for data in _load_yaml(os.path.join(KB_DIR, name)):
                entries.append(Entry(data))
    order = {section: index for index, section in enumerate(SECTIONS)}
    entries.sort(key=lambda entry: order.get(entry.data.get("section"), len(order)))
    return tuple(entries)


@lru_cache(maxsize=1)
def _by_id():
    return {entry.id: entry for entry in load()}


def ids():
    return [entry.id for entry in load()]


def get(entry_id):
    """The entry with ``entry_id``; raises UnknownEntryError with the closest ids."""
    try:
        return _by_id()[entry_id]
    except KeyError:
        raise UnknownEntryError(entry_id, closest_ids(entry_id)) from None


def closest_ids(text, limit=3):
    """The ids that look most like ``text`` (a mistyped id or a word of one)."""
    all_ids = ids()
    close = difflib.get_close_matches(text, all_ids, n=limit, cutoff=0.5)
    if len(close) < limit:
        lowered = text.lower()
        for entry_id in all_ids:
            if lowered and lowered in entry_id and entry_id not in close:
                close.append(entry_id)
            if len(close) >= limit:
                break
    return close


def entries_in(section=None):
    return [entry for entry in load() if section is None or entry.data.get("section") == section]


class Match:
    """An entry matched to a message, with the placeholder values taken from the message."""

    __slots__ = ("entry", "values", "weight")

    def __init__(self, entry, values, weight):
        self.entry = entry
        self.values = values
        self.weight = weight

    def __repr__(self):
        return "Match({!r}, {!r})".format(self.entry.id, self.values)


def match_all(message, code=None):
    """Every entry whose signature is found in ``message``, the most specific first.

    Specificity is the amount of fixed text a signature demands; an entry that lists the error
    ``code`` among its known codes wins a tie. A signature may also be a bare ``code`` for codes
    that only one error uses: it counts as weak evidence and loses to any message match.
    """
    found = []
    lowered = message.lower()
    for position, entry in enumerate(load()):
        best = None
        for signature in entry.signatures:
            if "code" in signature and "template" not in signature and "regex" not in signature:
                if code and code.lower() == signature["code"].lower():
                    candidate = ({}, 1)
                else:
                    continue
            else:
                values = signatures.search(signature, message, lowered)
                if values is None:
                    continue
                candidate = (values, signatures.literal_weight(signature) + 10)
            if best is None or candidate[1] > best[1]:
                best = candidate
        if best is not None:
            bonus = 5 if code and code in entry.codes else 0
            found.append((best[1] + bonus, -position, Match(entry, best[0], best[1] + bonus)))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [item[2] for item in found]


def best_match(message, code=None):
    matches = match_all(message, code)
    return matches[0] if matches else None
