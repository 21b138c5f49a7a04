"""Which language a command writes in: --language, else the sig_doctor.language setting, else the
locale (LC_ALL, LC_MESSAGES, LANG), else English; every usual spelling read."""

import os
import subprocess

import pytest

from azext_sig_doctor.i18n import select
from tests.emulator import azenv

SPELLINGS = [
    ("zh-CN", "zh-Hans"), ("zh_CN.UTF-8", "zh-Hans"), ("zh-Hans", "zh-Hans"), ("zh-SG", "zh-Hans"),
    ("zh", "zh-Hans"), ("ZH-hans-CN", "zh-Hans"), ("zh-TW", "zh-Hant"), ("zh-HK", "zh-Hant"),
    ("zh-Hant", "zh-Hant"), ("zh_TW.Big5", "zh-Hant"), ("zh-Hant-TW", "zh-Hant"), ("zh-Hans-HK", "zh-Hans"),
    ("sv", "sv"), ("sv-SE", "sv"), ("sv_FI", "sv"), ("sv_SE.UTF-8@euro", "sv"), ("nl", "nl"), ("nl-NL", "nl"),
    ("nl-BE", "nl"), ("nl_NL.UTF-8", "nl"), ("en", "en"), ("en_US.UTF-8", "en"), ("en-GB", "en"), ("C", "en"),
    ("POSIX", "en"), ("C.UTF-8", "en"),
]


@pytest.mark.parametrize("given, language", SPELLINGS)
def test_usual_spellings_are_read(given, language):
    assert select.normalise(given) == language


@pytest.mark.parametrize("given", ["fr", "fr_FR.UTF-8", "de-DE", "", "  ", "zh-", "sv SE", "12", None, "english"])
def test_other_languages_and_malformed_values_are_not_read(given):
    assert select.normalise(given) is None


def test_the_flag_wins_over_the_setting_and_the_environment():
    choice = select.choose("sv-SE", "nl", {"LC_ALL": "zh_TW.UTF-8"})
    assert (choice.language, choice.source, choice.notice) == ("sv", "--language", None)


def test_the_setting_wins_over_the_environment():
    assert select.choose(None, "zh-Hant", {"LANG": "sv_SE.UTF-8"}).language == "zh-Hant"


@pytest.mark.parametrize("environ, language, source", [
    ({"LC_ALL": "nl_NL.UTF-8", "LC_MESSAGES": "sv_SE.UTF-8", "LANG": "zh_CN.UTF-8"}, "nl", "LC_ALL"),
    ({"LC_MESSAGES": "sv_SE.UTF-8", "LANG": "zh_CN.UTF-8"}, "sv", "LC_MESSAGES"),
    ({"LC_ALL": "", "LANG": "zh_CN.UTF-8"}, "zh-Hans", "LANG"),
    # The first variable set decides, as for every program: C is English even when LANG says Swedish.
    ({"LC_ALL": "C", "LANG": "sv_SE.UTF-8"}, "en", "LC_ALL"),
    # A locale in a language sig-doctor does not write is English, quietly (the machine's choice).
    ({"LANG": "fr_FR.UTF-8"}, "en", "LANG"),
    ({}, "en", "default"),
])
def test_the_environment_is_read_in_the_order_of_posix(environ, language, source):
    choice = select.choose(None, None, environ)
    assert (choice.language, choice.source, choice.notice) == (language, source, None)


@pytest.mark.parametrize("flag, setting", [("fr", None), ("", None), (None, "klingon")])
def test_an_unknown_language_asked_for_is_english_with_a_notice(flag, setting):
    choice = select.choose(flag, setting, {"LANG": "sv_SE.UTF-8"})
    assert choice.language == "en"
    assert choice.notice and "using English" in choice.notice and "\n" not in choice.notice


def test_the_flag_is_found_on_a_raw_command_line():
    assert select.flag_in(["sig", "doctor", "explain", "--language", "sv", "-h"]) == "sv"
    assert select.flag_in(["sig", "doctor", "explain", "--language=zh-TW"]) == "zh-TW"
    assert select.flag_in(["sig", "doctor", "explain", "-h"]) is None


# ---- through the real az: az config set in an isolated AZURE_CONFIG_DIR ------------------------------

@pytest.fixture(scope="module")
def isolated(tmp_path_factory):
    """A fresh az config dir (no login: error show needs none) with the extension from this tree."""
    azenv.ensure_egg_info()
    config = tmp_path_factory.mktemp("azconfig")
    env = {key: value for key, value in os.environ.items()
           if key not in ("LC_ALL", "LC_MESSAGES", "LANG", "AZURE_SIG_DOCTOR_LANGUAGE")}
    env.update(AZURE_CONFIG_DIR=str(config), AZURE_EXTENSION_DEV_SOURCES=azenv.REPO_ROOT,
               AZURE_CORE_COLLECT_TELEMETRY="false", AZURE_CORE_SURVEY_MESSAGE="false")

    def az(*args, **extra):
        completed = subprocess.run([azenv.az_executable(), *args], env=dict(env, **extra), capture_output=True,
                                   text=True, timeout=180, check=False)
        return completed
    return az


def _language(az, *args, **env):
    shown = az("sig", "doctor", "error", "show", "--id", "gallery.name-invalid", *args, **env)
    assert shown.returncode == 0, shown.stderr
    import json
    # az's own preview notice for the group is not sig-doctor's to count.
    stderr = "".join(line for line in shown.stderr.splitlines(keepends=True) if "is in preview" not in line)
    return json.loads(shown.stdout)["language"], stderr


def test_selection_order_through_the_real_az(isolated):
    az = isolated
    assert _language(az) == ("en", "")
    assert _language(az, LANG="nl_NL.UTF-8")[0] == "nl"
    assert _language(az, LC_ALL="C", LANG="nl_NL.UTF-8")[0] == "en"
    assert _language(az, LANG="fr_FR.UTF-8") == ("en", "")     # quietly English
    configured = az("config", "set", "sig_doctor.language=sv-SE")
    assert configured.returncode == 0, configured.stderr
    try:
        assert _language(az, LANG="nl_NL.UTF-8")[0] == "sv"     # the setting before the environment
        assert _language(az, "--language", "zh-TW", LANG="nl_NL.UTF-8")[0] == "zh-Hant"   # the flag first
        language, stderr = _language(az, "--language", "fr")
        assert language == "en" and "WARNING: --language 'fr' is not a language sig-doctor writes" in stderr
    finally:
        az("config", "unset", "sig_doctor.language")
    assert _language(az)[0] == "en"
    # knack reads the same setting from AZURE_<SECTION>_<OPTION>.
    assert _language(az, AZURE_SIG_DOCTOR_LANGUAGE="zh_CN.UTF-8")[0] == "zh-Hans"


def test_an_unknown_setting_says_so_once_and_writes_english(isolated):
    language, stderr = _language(isolated, AZURE_SIG_DOCTOR_LANGUAGE="klingon")
    assert language == "en"
    assert stderr.count("WARNING:") == 1 and "the sig_doctor.language setting 'klingon'" in stderr
