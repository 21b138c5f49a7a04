"""The texts sig-doctor writes for a person, in the current language, with English as the fallback.

Where the texts are (``kb/i18n/README.md`` tells translators the same):

- knowledge-base entries: English in ``kb/*.yaml``; translations in ``kb/i18n/<language>/entries.yaml``,
  by entry id: ``title``, ``cause``, ``fix``, ``notes`` (one per command of the entry, by position,
  null where the English command has no note);
- rules (pre-checks and estate): English titles and descriptions in the registries (``@rule``),
  English detail sentences in ``kb/i18n/en/rules.yaml``, by rule id (or a shared group) then key;
  translations in ``kb/i18n/<language>/rules.yaml``: the same groups and keys, plus ``title`` and
  ``description`` per rule id;
- what the reports, tables and notes say around the entries: ``kb/i18n/en/ui.yaml`` and
  ``kb/i18n/<language>/ui.yaml``, by group then key;
- help summaries: English in ``_help.py``; ``kb/i18n/<language>/help.yaml`` by command name
  (``short``, ``long``).

A text with values names them: ``"Gallery name '{name}' is invalid: {reason}."``. A text that
depends on a number is a map of plural forms, ``{one: ..., other: ...}``, picked by the value
``count``. ``msg(group, key, **values)`` makes a ``Message``: a ``str`` that reads as the English
text (so code and tests that compare English keep working) and renders in any language later, at
report time (``render``). Each file of a language is read the first time a text of it is needed.
"""

import os
import string
from functools import lru_cache

from azext_sig_doctor.i18n import ENGLISH, LANGUAGES, current

I18N_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "kb", "i18n")
# The files of a language (``<part>.yaml``); English has only the message parts: its entries, rule
# titles and help are where they are written.
PARTS = ("entries", "rules", "ui", "help")
MESSAGE_PARTS = ("rules", "ui")
# Keys of a rule's group that are not messages: the translated title and description of the rule
# (no English message may be named so).
RULE_FIELDS = ("title", "description")
ENTRY_FIELDS = ("title", "cause", "fix")
# Plural forms each language distinguishes (CLDR: Chinese has none, the others one and other).
PLURAL_FORMS = {"en": ("one", "other"), "sv": ("one", "other"), "nl": ("one", "other"),
                "zh-Hans": ("other",), "zh-Hant": ("other",)}

_FORMATTER = string.Formatter()


def path_of(language, part):
    return os.path.join(I18N_DIR, language, part + ".yaml")


@lru_cache(maxsize=None)
def part(language, name):
    """The mapping in ``kb/i18n/<language>/<name>.yaml`` ({} when the file is missing or empty). A
    file that cannot be read leaves its texts in English, with a warning: a broken translation must
    not cost the user the guidance."""
    if language not in LANGUAGES or name not in PARTS:
        raise ValueError("no part {!r} of language {!r}".format(name, language))
    path = path_of(language, name)
    if not os.path.exists(path):
        return {}
    import yaml
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with open(path, "r", encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        from knack.log import get_logger
        get_logger(__name__).warning("The %s texts in %s could not be read (%s): they are written in English.",
                                     language, os.path.relpath(path, I18N_DIR), str(error).splitlines()[0])
        return {}
    return data if isinstance(data, dict) else {}


@lru_cache(maxsize=None)
def messages(language):
    """group -> {key: text} of a language's message parts (rules and ui)."""
    merged = {}
    for name in MESSAGE_PARTS:
        for group, texts in part(language, name).items():
            if isinstance(texts, dict):
                merged.setdefault(group, {}).update(texts)
    return merged


def english(group, key):
    """The English text of a message; KeyError names a message the English catalog lacks."""
    try:
        return messages(ENGLISH)[group][key]
    except KeyError:
        raise KeyError("no English text for message {}/{} in kb/i18n/en/".format(group, key)) from None


def template(language, group, key):
    """The text of a message in ``language``, else the English one."""
    if language != ENGLISH:
        translated = messages(language).get(group, {}).get(key)
        if translated is not None:
            return translated
    return english(group, key)


def plural(text, language, count):
    """The form of ``text`` (a string, or a map of plural forms) for ``count`` in ``language``."""
    if not isinstance(text, dict):
        return text
    forms = PLURAL_FORMS.get(language, ("other",))
    form = "one" if "one" in forms and count == 1 else "other"
    return text.get(form) or text.get("other") or next(iter(text.values()))


def placeholders(text):
    """The names of the ``{name}`` fields of a text (every form of a plural map); ValueError for a
    text with a stray brace."""
    texts = text.values() if isinstance(text, dict) else [text]
    names = set()
    for item in texts:
        for _, name, _, _ in _FORMATTER.parse(str(item)):
            if name is not None:
                names.add(name.split(".")[0].split("[")[0])
    return names


class Message(str):
    """A text of the catalog with its values: reads as English, renders in any language."""

    def __new__(cls, group, key, values):
        self = super().__new__(cls, _render(ENGLISH, group, key, values))
        self.group, self.key, self.values = group, key, dict(values)
        return self

    def render(self, language=None):
        language = language or current()
        if language == ENGLISH:
            return str.__str__(self)
        try:
            return _render(language, self.group, self.key, self.values)
        except (KeyError, IndexError, ValueError, TypeError, AttributeError):
            # A translation naming a value the message does not have: the English text is right.
            return str.__str__(self)

    def __reduce__(self):
        return (Message, (self.group, self.key, self.values))

    def __repr__(self):
        return "Message({!r}, {!r}, {!r})".format(self.group, self.key, str.__str__(self))


class Joined:
    """Several values (messages among them) joined by ``separator`` in the language they render in."""

    __slots__ = ("items", "separator")

    def __init__(self, items, separator=", "):
        self.items = list(items)
        self.separator = separator

    def render(self, language=None):
        return self.separator.join(render(item, language) for item in self.items)

    def __str__(self):
        return self.render(ENGLISH)

    def __eq__(self, other):
        return str(self) == other

    def __hash__(self):
        return hash(str(self))


def _render(language, group, key, values):
    text = plural(template(language, group, key), language, values.get("count"))
    shown = {name: (value.render(language) if isinstance(value, (Message, Joined)) else value)
             for name, value in values.items()}
    return text.format_map(shown)


def msg(group, key, /, **values):
    """The message ``group``/``key`` with ``values`` (rendered later, in the language of the report)."""
    return Message(group, key, values)


def say(group, key, /, **values):
    """The message ``group``/``key`` with ``values``, as plain text in the current language."""
    return Message(group, key, values).render()


def joined(items, separator=", "):
    return Joined(items, separator)


def render(value, language=None):
    """Plain text of a message (or a joined list) in ``language`` (default: the current one); other
    values are returned as they are (None stays None)."""
    if isinstance(value, (Message, Joined)):
        return value.render(language)
    return value


# ---- knowledge-base entries and rules ---------------------------------------------------------------

def localized(entry, language=None):
    """``entry`` with its title, cause, fix and command notes in ``language`` where translated (the
    same Entry when nothing is): commands, placeholders and everything else stay as they are."""
    language = language or current()
    if language == ENGLISH:
        return entry
    texts = part(language, "entries").get(entry.id)
    if not isinstance(texts, dict):
        return entry
    data = dict(entry.data)
    for field in ENTRY_FIELDS:
        if isinstance(texts.get(field), str) and texts[field].strip():
            data[field] = texts[field]
    notes = texts.get("notes")
    if isinstance(notes, list) and data.get("commands"):
        commands = []
        for index, command in enumerate(data["commands"]):
            note = notes[index] if index < len(notes) else None
            if command.get("note") and isinstance(note, str) and note.strip():
                command = dict(command, note=note)
            commands.append(command)
        data["commands"] = commands
    return type(entry)(data)


def rule_text(rule, field="title", language=None):
    """A rule's ``title`` or ``description`` in ``language`` where translated, else its English one."""
    language = language or current()
    english_text = getattr(rule, field)
    if language == ENGLISH:
        return english_text
    translated = (part(language, "rules").get(rule.id) or {}).get(field)
    return translated if isinstance(translated, str) and translated.strip() else english_text
