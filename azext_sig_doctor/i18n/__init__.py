"""The language sig-doctor writes in: English, Simplified Chinese, Traditional Chinese, Swedish, Dutch.

``select`` picks the language of a command (``--language``, the ``sig_doctor.language`` setting,
the locale of the environment, else English) and makes it current for the command's whole run,
table transformers included. ``catalog`` holds the texts: the English ones where they are written
(``kb/*.yaml``, the rule registries, ``kb/i18n/en/``) and the translations as data beside them
(``kb/i18n/<language>/``), each part read the first time it is needed.

Only the standard library is imported here: ``select`` runs on the extension's load path.
"""

import contextlib
import contextvars

ENGLISH = "en"
# The languages of the seed documents, plus English; the folders of kb/i18n/ are named after them.
LANGUAGES = (ENGLISH, "zh-Hans", "zh-Hant", "sv", "nl")

_CURRENT = contextvars.ContextVar("sig_doctor_language", default=ENGLISH)


def current():
    """The language of the command that runs (English unless a command chose another)."""
    return _CURRENT.get()


def activate(language):
    """Make ``language`` current for the rest of the command (a command runs once per process)."""
    if language not in LANGUAGES:
        raise ValueError("unknown language {!r}".format(language))
    _CURRENT.set(language)


@contextlib.contextmanager
def using(language):
    """``language`` for the ``with`` block only (tests, and code that renders for someone else)."""
    if language not in LANGUAGES:
        raise ValueError("unknown language {!r}".format(language))
    token = _CURRENT.set(language)
    try:
        yield language
    finally:
        _CURRENT.reset(token)
