"""The knowledge base of gallery errors: loading, lookup and matching.

The entries are data (``kb/*.yaml`` inside the package), loaded once and only when a command
needs them. ``explain``, the pre-checks and the guarded creates all speak in the entries' ids.
"""

import difflib
import os
import re
import string
from collections import namedtuple
from functools import lru_cache


KB_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kb")
# The messages as the localized editions of the troubleshooting article print them, one file per
# edition (kb/recognition/<locale>.yaml: entry id -> signatures and samples). They are recognised
# whatever language the guidance is shown in, so they load with the entries.
RECOGNITION_DIR = os.path.join(KB_DIR, "recognition")

# Sections in the order of the troubleshooting article, then those learned in the field: managed
# images, VM applications, and the tools around a gallery (Packer, Image Builder, SDKs, CAPZ).
SECTIONS = (
    "gallery",
    "definition",
    "version",
    "vm",
    "disk",
    "sharing",
    "replication",
    "limits",
    "image",
    "application",
    "tooling",
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

    def steps_for(self, values, shell="az"):
        """The entry's next commands for ``shell`` (az or powershell) as ``Step(command, note)``,
        with ``values`` and what follows from them (``derived_values``) filled in; the note too:
        it may name a region or an id.

        A placeholder without a value stays visible as ``<name>`` (or as its hint, see ``fill``) so
        the user sees what to fill. A step with no PowerShell line gives its az line; unless the
        entry marks that line ``same_in_powershell``, the note says it is an az line.
        """
        steps = []
        values_for = {line_shell: derived_values(values, line_shell) for line_shell in ("az", "powershell")}
        for command in self.data.get("commands") or []:
            text, borrowed = _text_for(command, shell)
            if not text or not step_applies(command, values):
                continue
            # An az line stands in for PowerShell as it is: its values take the az form too.
            line_values = values_for["powershell" if shell == "powershell" and command.get("powershell") else "az"]
            note = fill(command["note"], line_values) if command.get("note") else None
            if borrowed:
                note = az_in_powershell_note(note)
            steps.append(Step(fill(text, line_values), note))
        return steps

    def before_steps(self, az_steps, ps_steps, values):
        """The (az, PowerShell) steps marked ``before`` (run before the fixed command)."""
        commands = [c for c in self.data.get("commands") or [] if c.get("az") and step_applies(c, values)]
        return [(az_steps[index], ps_steps[index] if index < len(ps_steps) else None)
                for index, command in enumerate(commands) if command.get("before")]

    def commands_for(self, values, shell="az"):
        """The ready-to-paste command lines of ``steps_for`` (notes left out)."""
        return [step.command for step in self.steps_for(values, shell)]

    def to_dict(self):
        return dict(self.data)

    def __repr__(self):
        return "Entry({!r})".format(self.id)


# Step of an entry's commands: the command line and the note that gives it its context (or None).
Step = namedtuple("Step", "command note")

def az_in_powershell_note(note=None):
    """Said of an az line given where a PowerShell line was asked for, when the entry does not mark
    it ``same_in_powershell`` (az runs in PowerShell, but its quoting may need changes there), before
    the step's own ``note``; in the current language."""
    from azext_sig_doctor.i18n.catalog import say
    return say("notes", "az-in-powershell-and", note=note) if note else say("notes", "az-in-powershell")


def _text_for(command, shell):
    """``(text, borrowed)``: the line of ``command`` for ``shell``; ``borrowed`` when it is the az
    line standing in for a missing PowerShell line without the entry saying it is the same."""
    if shell == "az":
        return command.get("az"), False
    if shell == "powershell":
        if command.get("powershell"):
            return command["powershell"], False
        return command.get("az"), not command.get("same_in_powershell")
    return None, False


class _Missing:
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


class _Filler(string.Formatter):
    """``{name}`` -> value; without a value ``<name>``, or ``<hint>`` for ``{name:hint}`` (in a
    command a format spec is the placeholder's hint to the reader, never a number format)."""

    def get_value(self, key, args, kwargs):
        value = kwargs.get(key) if isinstance(key, str) else None
        return _Missing(key) if value in (None, "") else value

    def format_field(self, value, format_spec):
        if isinstance(value, _Missing):
            return "<{}>".format(format_spec or value.name)
        return str(value)


_FILLER = _Filler()


def with_id_parts(values):
    """``values`` plus ``<x>_resource_group`` and ``<x>_name`` for every ``<x>_id`` that is a
    resource id, for commands that take -g and a name (az vm disk detach -g ... --vm-name ...)."""
    from azext_sig_doctor.domain import ids
    derived = dict(values or {})
    for key, value in (values or {}).items():
        parsed = ids.parse(value) if key.endswith("_id") and isinstance(value, str) else None
        if parsed:
            derived.setdefault(key[:-3] + "_resource_group", parsed.resource_group)
            derived.setdefault(key[:-3] + "_name", parsed.name)
    return derived


def derived_values(values, shell="az"):  # pylint: disable=unused-argument
    """``values`` plus what follows from them for a command line: the id parts (``with_id_parts``)
    and the group of the VM, scale set or disk being made (``vm_resource_group``: a check knows it
    apart from the gallery's; in a failed request it is the group the request went to)."""
    derived = with_id_parts(values)
    if not derived.get("vm_resource_group") and derived.get("resource_group"):
        derived["vm_resource_group"] = derived["resource_group"]
    return derived


_VM_IDS = re.compile(r"^az vm \S+.*--ids \{(\w+)")


def step_applies(command, values):
    """False for an ``az vm`` step whose --ids value is known to name something else (a managed
    image or a snapshot as the source of a version): that step would fail as pasted."""
    found = _VM_IDS.match(command.get("az") or "")
    if not found or not isinstance((values or {}).get(found.group(1)), str):
        return True
    from azext_sig_doctor.domain import ids
    parsed = ids.parse(values[found.group(1)])
    return parsed is None or parsed.kind == "vm"


def fill(text, values):
    """Fill ``{name}`` placeholders of ``text``; unknown names become ``<name>`` (``{name:hint}``
    becomes ``<hint>``). Text that is not a string (a flag of the entry) is returned as it is."""
    if not isinstance(text, str):
        return text
    try:
        return _FILLER.vformat(text, (), dict(values or {}))
    except (ValueError, IndexError, AttributeError, KeyError, TypeError):
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
    _add_localized_messages({entry.id: entry.data for entry in entries})
    order = {section: index for index, section in enumerate(SECTIONS)}
    entries.sort(key=lambda entry: order.get(entry.data.get("section"), len(order)))
    return tuple(entries)


def _add_localized_messages(data_by_id):
    """Each edition's signatures and samples join their entry's, tagged with the edition's locale."""
    for name in sorted(os.listdir(RECOGNITION_DIR)):  # missing: a packaging bug, not a quiet English-only
        if not name.endswith(".yaml"):
            continue
        lang = name[:-len(".yaml")]
        for entry_id, extra in (_load_yaml(os.path.join(RECOGNITION_DIR, name)) or {}).items():
            data = data_by_id[entry_id]  # an unknown id is a bug of the file: tests/test_knowledge.py
            for field in ("signatures", "samples"):
                data[field] = list(data.get(field) or []) + [dict(item, lang=lang) for item in extra.get(field) or []]


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
    """An entry matched to a message, with the placeholder values taken from the message, the score
    that ranked it, the confidence and the signals that matched (see ``matching``)."""

    __slots__ = ("entry", "values", "weight", "confidence", "matched_by")

    def __init__(self, entry, values, weight, confidence="high", matched_by=("message",)):
        self.entry = entry
        self.values = values
        self.weight = weight
        self.confidence = confidence
        self.matched_by = tuple(matched_by)

    def __repr__(self):
        return "Match({!r}, {!r})".format(self.entry.id, self.values)


def _as_match(candidate):
    return Match(candidate.entry, candidate.values, candidate.score, candidate.confidence, candidate.matched_by)


def match_all(message, code=None, target=None, kinds=(), gallery=False):
    """Every entry the error names, the best first (``matching``: its wordings, key phrases, code,
    target and the kinds of resource the failing operation was about)."""
    from azext_sig_doctor import matching
    clue = matching.Clue(message, code, target, kinds, gallery)
    return [_as_match(candidate) for candidate in matching.candidates(clue)]


def best_match(message, code=None, target=None, kinds=(), gallery=False):
    """The best entry for the error, or None (cached)."""
    from azext_sig_doctor import matching
    candidate = matching.best(matching.Clue(message, code, target, kinds, gallery))
    return _as_match(candidate) if candidate is not None else None
