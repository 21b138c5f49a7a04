"""Which language a command writes in: ``--language``, else the ``sig_doctor.language`` setting
(``az config set sig_doctor.language=sv``, or ``AZURE_SIG_DOCTOR_LANGUAGE``), else the locale of the
environment (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, the first one set), else English.

``choose`` is the decision, a pure function; ``install`` ties it to az: every ``az sig doctor``
command gets ``--language`` (the way az gives every command ``--subscription``: an argument whose
name starts with ``_`` never reaches the command function), and once az has parsed the command
line the chosen language becomes current for the whole run. On the load path: standard library
and knack only.
"""

import os
import re
from collections import namedtuple

from azext_sig_doctor.i18n import ENGLISH, LANGUAGES, activate

SETTING = ("sig_doctor", "language")
ENVIRONMENT = ("LC_ALL", "LC_MESSAGES", "LANG")
OPTION = "--language"
COMMAND_PREFIX = "sig doctor"
_TAG = re.compile(r"^[a-z]{1,8}(-[a-z0-9]{1,8})*$")
_TRADITIONAL_REGIONS = ("tw", "hk", "mo")

HELP = ("Language of the guidance: en, zh-Hans, zh-Hant, sv or nl (zh-CN, zh_TW.UTF-8, sv-SE, nl-BE ... are "
        "read too). Default: the sig_doctor.language setting (az config set sig_doctor.language=sv), else the "
        "locale (LC_ALL, LC_MESSAGES, LANG), else English. Commands, ids, codes and Azure's messages stay as "
        "they are.")

# The language a command writes in, where that came from (--language, the setting, an environment
# variable, or default), the text that was read, and the one-line notice for a value not understood.
Choice = namedtuple("Choice", "language source given notice")


def normalise(text):
    """``zh-CN``, ``zh_CN.UTF-8``, ``zh-Hans``, ``zh-SG`` -> ``zh-Hans``; ``zh-TW``, ``zh-HK``,
    ``zh-Hant`` -> ``zh-Hant``; ``sv``, ``sv-SE``, ``sv_FI`` -> ``sv``; ``nl``, ``nl-NL``, ``nl-BE`` ->
    ``nl``; ``en``, ``en_US.UTF-8``, ``C``, ``POSIX`` -> ``en``; anything else -> None."""
    if not isinstance(text, str):
        return None
    # A locale's codeset and modifier say nothing of the language: zh_CN.UTF-8, sv_FI@euro.
    tag = text.strip().split(".", 1)[0].split("@", 1)[0].replace("_", "-").lower()
    if tag in ("c", "posix"):
        return ENGLISH
    if not _TAG.match(tag):
        return None
    base, *rest = tag.split("-")
    if base == "zh":
        if "hant" in rest or (("hans" not in rest) and any(part in _TRADITIONAL_REGIONS for part in rest)):
            return "zh-Hant"
        return "zh-Hans"
    return base if base in LANGUAGES else None


def choose(flag=None, setting=None, environ=None):
    """The ``Choice`` for a command: ``flag`` (the value of --language, None when not given), else
    ``setting``, else the first of LC_ALL, LC_MESSAGES, LANG that is set in ``environ``, else English.

    A value given to sig-doctor (the flag, the setting) that names no language it speaks gives
    English and a notice; a locale of the environment in another language gives English quietly: it
    is the machine's choice for every program, not a request to this one.
    """
    for source, given in ((OPTION, flag), ("the sig_doctor.language setting", setting)):
        if given is None or (source != OPTION and not str(given).strip()):
            continue
        language = normalise(given)
        if language:
            return Choice(language, source, given, None)
        notice = "{} '{}' is not a language sig-doctor writes ({}): using English.".format(
            source, given, ", ".join(LANGUAGES))
        return Choice(ENGLISH, source, given, notice)
    environ = os.environ if environ is None else environ
    for name in ENVIRONMENT:
        value = environ.get(name)
        if value:
            return Choice(normalise(value) or ENGLISH, name, value, None)
    return Choice(ENGLISH, "default", None, None)


def setting_of(cli_ctx):
    """The persisted setting (``az config set sig_doctor.language=...``, or the AZURE_SIG_DOCTOR_LANGUAGE
    variable knack reads for it), or None."""
    config = getattr(cli_ctx, "config", None)
    if config is None:
        return None
    try:
        return config.get(SETTING[0], SETTING[1], None)
    except Exception:  # pylint: disable=broad-except
        return None  # an unreadable config file is az's to report, not a reason to fail here


def choose_for(cli_ctx, flag=None, warn=True):
    """``choose`` with the CLI's setting and this process's environment; the notice goes to stderr."""
    choice = choose(flag, setting_of(cli_ctx))
    if choice.notice and warn:
        from knack.log import get_logger
        get_logger(__name__).warning(choice.notice)
    return choice


def flag_in(args):
    """The value of --language on a raw command line (``--language sv`` or ``--language=sv``), or None."""
    args = list(args or [])
    for index, word in enumerate(args):
        if word == OPTION and index + 1 < len(args):
            return args[index + 1]
        if word.startswith(OPTION + "="):
            return word.split("=", 1)[1]
    return None


def _is_doctor_command(name):
    return isinstance(name, str) and (name == COMMAND_PREFIX or name.startswith(COMMAND_PREFIX + " "))


def install(loader, args):
    """Give every doctor command --language and make the chosen language current once az has parsed
    the command line; when help is asked for, write the summaries in that language."""
    cli_ctx = getattr(loader, "cli_ctx", None)
    if cli_ctx is None or getattr(cli_ctx, "data", None) is None:
        return
    if not cli_ctx.data.get("sig_doctor_language_installed"):
        cli_ctx.data["sig_doctor_language_installed"] = True
        from azure.cli.core.commands.events import EVENT_INVOKER_PRE_LOAD_ARGUMENTS
        from knack.events import EVENT_INVOKER_POST_PARSE_ARGS
        cli_ctx.register_event(EVENT_INVOKER_PRE_LOAD_ARGUMENTS, _add_language_argument)
        cli_ctx.register_event(EVENT_INVOKER_POST_PARSE_ARGS, _activate_chosen_language)
    words = list(args or [])
    if "-h" in words or "--help" in words:
        language = choose_for(cli_ctx, flag_in(words), warn=False).language
        if language != ENGLISH:
            from azext_sig_doctor.i18n import helptext
            helptext.localize(language)


def _add_language_argument(_cli_ctx, **kwargs):
    loader = kwargs.get("commands_loader")
    for name, command in (getattr(loader, "command_table", None) or {}).items():
        if _is_doctor_command(name):
            command.add_argument("_language", OPTION, arg_group="Language", help=HELP)


def _activate_chosen_language(cli_ctx, **kwargs):
    if not _is_doctor_command(kwargs.get("command")):
        return
    args = kwargs.get("args")
    choice = choose_for(cli_ctx, getattr(args, "_language", None))
    activate(choice.language)
    cli_ctx.data["sig_doctor_language"] = choice.language
