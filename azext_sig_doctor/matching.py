"""Recognise an error: which knowledge-base entry it is, how sure that is, and on what evidence.

What the input shows of one error is a ``Clue``: its message, its code, its target (a property
path), the kinds of resource the failing operation was about (from the request URL, a tool's
summary, the ids the message names) and whether a gallery is involved. Each entry is compared with
it on five signals:

* ``message``: one of the entry's wordings (``signatures``: templates or regexes, one per API
  version or client that words it differently) is in the message; the values come from it;
* ``phrase``: one or more of the entry's key ``phrases`` (the words that survive a rewording) are;
* ``code``: the error code is one of the entry's ``codes`` (supporting only), or a code no other
  error uses (a ``{code: ...}`` signature, weak on its own);
* ``target``: the error target is one of the entry's ``targets``;
* ``operation``: the failing operation was about one of the entry's ``resources``.

A match needs a wording, a phrase or a distinctive code: a shared code, a target or an operation
alone never names an entry (the error then stays unknown, with the nearest entries). An entry's
``requires`` keeps it for errors whose context shows what it is about (``gallery``, or a kind of
resource such as ``vm``); a ``family`` entry (an authorization failure, a missing resource, a
refused state change of a gallery resource) is general guidance: it loses to any specific entry.

Confidence: ``high`` for a wording, or a phrase backed by a second signal; ``medium`` for a phrase
alone, or a distinctive code backed by the target or the operation; ``low`` for a distinctive code
alone and for family guidance.
"""

import re
from functools import lru_cache

from azext_sig_doctor import signatures

SIGNALS = ("message", "phrase", "code", "target", "operation")
HIGH, MEDIUM, LOW = "high", "medium", "low"
# Resource kinds an entry's ``resources`` / ``requires`` may name, besides ``gallery`` (any gallery
# resource is involved).
KINDS = ("gallery", "definition", "version", "vm", "vmss", "image", "disk", "snapshot", "application",
         "image-template")

# Scores: a wording outranks phrases, phrases outrank a code; the supporting signals break ties.
_MESSAGE, _PHRASE, _CODE, _SUPPORT, _FAMILY = 1000, 400, 100, 30, -2000
# A gallery resource named anywhere in the error's text.
_GALLERY = re.compile(r"microsoft\.compute/galleries|/(?:community|shared)galleries/|\bgallery\s?image|"
                      r"\bgallery\s?artifact|\bgallery\s?application|\bshared\s+image\b|\bcompute\s+gallery\b",
                      re.IGNORECASE)
# Kinds a message can show by its own words (a VM's kind is only taken from the context: too many
# messages about images name a VM).
_NAMED_KINDS = {
    "application": re.compile(r"\bgallery\s?application|/applications/", re.IGNORECASE),
    "image-template": re.compile(r"azvmimagebuilder|\bimage\s+builder\b|imageTemplates|\bImageTemplate\.|"
                                 r"PACKER OUT|customization\.log", re.IGNORECASE),
    # The cause lines of the zh-TW and zh-CN editions say "creating a VM or scale set" in so many words.
    "vm": re.compile(r"建立\s*VM|创建\s*VM|建立虛擬機器|创建虚拟机"),
    "vmss": re.compile(r"虛擬機器擴展集|虚拟机规模集"),
}


# Runs of blanks: a wording's gaps are whitespace-tolerant, and a long run (a padded table, a
# console cut) between them costs a regex time that grows with its length; a message says no more
# with one blank than with two hundred.
_BLANK_RUN = re.compile(r"[ \t\u00a0]{2,}")
_LINE_RUN = re.compile(r"[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*){2,}")


def _compact_blanks(message):
    if "  " in message or "\t" in message or "\u00a0" in message:
        message = _BLANK_RUN.sub(" ", message)
    if "\n\n" in message or "\n \n" in message or "\r\n\r\n" in message:
        message = _LINE_RUN.sub("\n", message)
    return message


class Clue:
    """What the input shows of one error. ``kinds``: the kinds of resource (see ``KINDS``) the
    failing operation was about; ``gallery``: a gallery resource is involved (the text is also
    searched for one)."""

    __slots__ = ("message", "code", "target", "kinds", "gallery")

    def __init__(self, message, code=None, target=None, kinds=(), gallery=False):
        self.message = _compact_blanks(message or "")
        self.code = code or None
        self.target = target or None
        self.kinds = frozenset(kinds or ())
        self.gallery = bool(gallery)

    def key(self):
        return (self.message, self.code, self.target, self.kinds, self.gallery)

    def names(self, kind):
        """True when the context or the message's own words show a resource of ``kind``."""
        return kind in self.kinds or bool(_NAMED_KINDS[kind].search(self.message))

    def names_gallery(self):
        return self.gallery or "gallery" in self.kinds or bool(
            _GALLERY.search(self.message) or (self.target and _GALLERY.search(self.target)))


class Candidate:
    """An entry matched to a clue: the values its wording gave, the score (for ranking), the
    confidence and the signals that matched (in ``SIGNALS`` order)."""

    __slots__ = ("entry", "values", "score", "confidence", "matched_by")

    def __init__(self, entry, values, score, confidence, matched_by):
        self.entry = entry
        self.values = values
        self.score = score
        self.confidence = confidence
        self.matched_by = matched_by

    def __repr__(self):
        return "Candidate({!r}, {}, {})".format(self.entry.id, self.confidence, "+".join(self.matched_by))


class _Signals:
    """An entry's signals, compiled once."""

    __slots__ = ("entry", "position", "wordings", "codes", "distinct_codes", "phrases", "targets", "resources",
                 "requires", "family")

    def __init__(self, entry, position):
        data = entry.data
        self.entry = entry
        self.position = position
        self.wordings = [signature for signature in entry.signatures
                         if "template" in signature or "regex" in signature]
        self.codes = frozenset(code.lower() for code in entry.codes)
        self.distinct_codes = frozenset(signature["code"].lower() for signature in entry.signatures
                                        if "code" in signature and "template" not in signature
                                        and "regex" not in signature)
        # Phrases are compiled when a message holds their words (most messages hold none).
        self.phrases = [(signatures.anchors(phrase, "template"), phrase, len(phrase))
                        for phrase in data.get("phrases") or []]
        self.targets = tuple(target.lower() for target in data.get("targets") or [])
        self.resources = frozenset(data.get("resources") or ())
        self.requires = frozenset(data.get("requires") or ())
        self.family = bool(data.get("family"))

    def allowed(self, clue):
        if not self.requires:
            return True
        if "gallery" in self.requires and clue.names_gallery():
            return True
        return bool(self.requires & clue.kinds) or any(clue.names(kind) for kind in self.requires
                                                       if kind in _NAMED_KINDS)

    def target_matches(self, target):
        target = (target or "").strip().strip("'\"").lower()
        if not target or not self.targets:
            return False
        return any(target == wanted or target.startswith(wanted + ".") or target.endswith("." + wanted)
                   or wanted.endswith("." + target) for wanted in self.targets)


def _best_wording(signals, message, lowered):
    best = None
    for signature in signals.wordings:
        values = signatures.search(signature, message, lowered)
        if values is None:
            continue
        weight = signatures.literal_weight(signature)
        if best is None or weight > best[1]:
            best = (values, weight)
    return best


def _phrases(signals, message, lowered):
    found = [length for words, phrase, length in signals.phrases
             if all(word in lowered for word in words) and signatures.compile_phrase(phrase).search(message)]
    return len(found), sum(found)


def _confidence(signals, matched, phrase_count):
    if signals.family:
        return LOW
    if "message" in matched:
        return HIGH
    if "phrase" in matched:
        return HIGH if phrase_count > 1 or {"code", "target", "operation"} & matched else MEDIUM
    return MEDIUM if {"target", "operation"} & matched else LOW


def score(signals, clue, lowered):
    """The Candidate of one entry for ``clue``, or None when nothing names it."""
    if not signals.allowed(clue):
        return None
    matched = set()
    values = {}
    total = 0
    wording = _best_wording(signals, clue.message, lowered) if signals.wordings else None
    if wording is not None:
        values, weight = wording
        matched.add("message")
        total += _MESSAGE + weight
    phrase_count, phrase_length = _phrases(signals, clue.message, lowered) if signals.phrases else (0, 0)
    if phrase_count:
        matched.add("phrase")
        total += _PHRASE + 10 * (phrase_count - 1) + phrase_length
    code = (clue.code or "").lower()
    if code and code in signals.distinct_codes:
        matched.add("code")
        total += _CODE
    if not matched:
        return None
    if code and code in signals.codes and "code" not in matched:
        matched.add("code")
        total += _SUPPORT
    if signals.target_matches(clue.target):
        matched.add("target")
        total += _SUPPORT
    if signals.resources & clue.kinds or signals.requires:
        # The failing operation was about what the entry speaks of (a met requirement says so too).
        matched.add("operation")
        total += _SUPPORT
    if signals.family:
        total += _FAMILY
    by = tuple(signal for signal in SIGNALS if signal in matched)
    return Candidate(signals.entry, values, total, _confidence(signals, matched, phrase_count), by)


@lru_cache(maxsize=1)
def _compiled():
    from azext_sig_doctor import knowledge
    return tuple(_Signals(entry, position) for position, entry in enumerate(knowledge.load())
                 if entry.data.get("origin") != "guidance" or entry.signatures or entry.data.get("phrases"))


def candidates(clue):
    """Every entry the clue names, the best first (score, then the order of the knowledge base)."""
    lowered = clue.message.lower()
    found = []
    for signals in _compiled():
        candidate = score(signals, clue, lowered)
        if candidate is not None:
            found.append((candidate.score, -signals.position, candidate))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [item[2] for item in found]


@lru_cache(maxsize=4096)
def _best(key):
    found = candidates(Clue(*key))
    return found[0] if found else None


def best(clue):
    """The best Candidate for ``clue``, or None (cached: logs repeat their errors)."""
    return _best(clue.key())
