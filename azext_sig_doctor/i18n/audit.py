"""What a language must translate, and how its translation stands: for ``scripts/i18n_missing.py``
and the tests (``tests/test_i18n_*.py``). Not used when a command runs.

The texts to translate are found where they are written, never listed by hand: every entry of
``kb/*.yaml`` (title, cause, fix, each command's note), every rule of both registries (title,
description), every message of ``kb/i18n/en/`` and every help summary of ``_help.py``. A new entry,
rule or message is therefore missing in every language until it is translated.
"""

import string
from collections import namedtuple

from azext_sig_doctor.i18n import ENGLISH, LANGUAGES
from azext_sig_doctor.i18n import catalog

# Languages whose translation is complete: their completeness tests are strict (no xfail), and
# `scripts/i18n_missing.py --check` fails when one of their texts is missing. A translator adds the
# language here in the change that completes it.
COMPLETE = ("zh-Hans", "zh-Hant", "sv", "nl")

TRANSLATED = tuple(language for language in LANGUAGES if language != ENGLISH)

# One text to translate: the file part, the path of keys in it, and the English text.
Text = namedtuple("Text", "part path english")
# One problem of a translation: the Text it is about (or None), what is wrong, the translated text.
Problem = namedtuple("Problem", "text kind detail")

_FORMATTER = string.Formatter()


def expected():
    """Every text a translation must have (English texts, where they are written)."""
    texts = []
    from azext_sig_doctor import knowledge
    for entry in knowledge.load():
        for field in catalog.ENTRY_FIELDS:
            if entry.data.get(field):
                texts.append(Text("entries", (entry.id, field), entry.data[field]))
        for index, command in enumerate(entry.data.get("commands") or []):
            if command.get("note"):
                texts.append(Text("entries", (entry.id, "notes", index), command["note"]))
    for rule in all_rules():
        texts.append(Text("rules", (rule.id, "title"), rule.title))
        if rule.description:
            texts.append(Text("rules", (rule.id, "description"), rule.description))
    for part in catalog.MESSAGE_PARTS:
        for group, messages in catalog.part(ENGLISH, part).items():
            for key, text in messages.items():
                texts.append(Text(part, (group, key), text))
    for name, summaries in sorted(help_summaries().items()):
        for key, text in summaries.items():
            texts.append(Text("help", (name, key), text))
    return texts


def all_rules():
    """The pre-check rules and the estate rules."""
    from azext_sig_doctor.checks import registry
    from azext_sig_doctor.estate import rules as estate_rules
    return list(registry.all_rules()) + list(estate_rules.RULES.values())


def help_summaries():
    """command name -> {short, long}: the English summaries of ``_help.py``."""
    import yaml
    from azext_sig_doctor._help import helps
    summaries = {}
    for name, text in helps.items():
        if not name.startswith("sig doctor"):
            continue
        data = yaml.safe_load(text) or {}
        found = {key: " ".join(str(data[field]).split()) for key, field in (("short", "short-summary"),
                                                                            ("long", "long-summary"))
                 if data.get(field)}
        if found:
            summaries[name] = found
    return summaries


def translated(language, text):
    """The translation of ``text`` in ``language``, or None."""
    value = catalog.part(language, text.part)
    path = text.path
    if text.part == "entries" and path[1] == "notes":
        notes = (value.get(path[0]) or {}).get("notes")
        return notes[path[2]] if isinstance(notes, list) and path[2] < len(notes) else None
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def missing(language, texts=None):
    """The texts ``language`` has no translation of."""
    return [text for text in (texts if texts is not None else expected()) if _empty(translated(language, text))]


def _empty(value):
    if isinstance(value, dict):
        return not value or any(_empty(form) for form in value.values())
    return not isinstance(value, str) or not value.strip()


def placeholder_names(text):
    """The ``{name}`` fields of a text (or of every form of a plural map); ValueError on a stray brace."""
    return catalog.placeholders(text)


def problems(language, texts=None):
    """What is wrong in what ``language`` translated: placeholders other than the English text's,
    stray braces, plural forms the language does not have, notes where the English command has none,
    and keys that translate nothing (a renamed or removed English text)."""
    texts = texts if texts is not None else expected()
    found = []
    for text in texts:
        value = translated(language, text)
        if _empty(value):
            continue
        if isinstance(value, dict) and (not isinstance(text.english, dict) or "other" not in value
                                        or set(value) - set(catalog.PLURAL_FORMS[language])):
            found.append(Problem(text, "plural", "plural forms {} (allowed: {}; English: {})".format(
                sorted(value), list(catalog.PLURAL_FORMS[language]),
                sorted(text.english) if isinstance(text.english, dict) else "a single text")))
            continue
        try:
            names = placeholder_names(value)
        except ValueError as error:
            found.append(Problem(text, "braces", "{}: {!r}".format(error, value)))
            continue
        wanted = placeholder_names(text.english)
        if names != wanted:
            found.append(Problem(text, "placeholders", "has {}, English has {}".format(sorted(names), sorted(wanted))))
    found.extend(Problem(None, "unknown", key) for key in unknown_keys(language, texts))
    return found


def unknown_keys(language, texts=None):
    """Keys of the language's files that translate no English text (``part:path``)."""
    texts = texts if texts is not None else expected()
    known = {(text.part,) + tuple(text.path) for text in texts}
    entry_notes = {(text.path[0], text.path[2]) for text in texts if text.part == "entries" and text.path[1] == "notes"}
    unknown = []
    for part in catalog.PARTS:
        for key, value in catalog.part(language, part).items():
            if not isinstance(value, dict):
                unknown.append("{}:{}".format(part, key))
                continue
            for field, text in value.items():
                if part == "entries" and field == "notes":
                    for index, note in enumerate(text if isinstance(text, list) else [text]):
                        if note is not None and (key, index) not in entry_notes:
                            unknown.append("{}:{}.notes[{}]".format(part, key, index))
                    continue
                if (part, key, field) not in known:
                    unknown.append("{}:{}.{}".format(part, key, field))
    return unknown


def texts_of(language):
    """(English, translated) pairs of every text ``language`` translates (plural forms one by one)."""
    pairs = []
    for text in expected():
        value = translated(language, text)
        if _empty(value):
            continue
        forms = value.values() if isinstance(value, dict) else [value]
        english = text.english.get("other") if isinstance(text.english, dict) else text.english
        pairs.extend((english, form) for form in forms)
    return pairs
