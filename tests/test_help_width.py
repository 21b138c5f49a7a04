"""Help that reads well in an 80-column terminal: what sig-doctor writes (each command's summary line, long
summary and examples, and the rows of the group listings) fits in 80 columns as the real `az` prints it,
so the terminal never wraps it in the middle of a word. az lays help out 100 columns wide whatever the
terminal (knack's textwrap width), so the texts themselves must be short enough; the argument tables are
az's own layout (their name column is as wide as its longest global option) and are not measured here."""

import functools
import os
import subprocess

import pytest
import yaml

from azext_sig_doctor._help import helps
from tests.emulator import azenv
from tests.test_help import COMMANDS, RECORDER

WIDTH = 80
GROUPS = sorted(RECORDER.groups)


@pytest.fixture(scope="module")
def help_of(tmp_path_factory):
    azenv.ensure_egg_info()
    env = dict(os.environ, AZURE_EXTENSION_DEV_SOURCES=azenv.REPO_ROOT, AZURE_CORE_COLLECT_TELEMETRY="false",
               AZURE_CORE_NO_COLOR="true", AZURE_CONFIG_DIR=str(tmp_path_factory.mktemp("az-config")),
               COLUMNS=str(WIDTH))

    @functools.lru_cache(maxsize=None)
    def run(name):
        result = subprocess.run([azenv.az_executable(), *name.split(), "-h"], env=env, capture_output=True,
                                text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr
        return tuple(result.stdout.splitlines())
    return run


def _shown(lines, expected):
    """``expected`` is a line of the output (az did not re-wrap it) and fits the terminal."""
    assert expected in lines, "az re-wrapped: {!r}".format(expected)
    assert len(expected) <= WIDTH, "{} columns: {!r}".format(len(expected), expected)


@pytest.mark.parametrize("name", COMMANDS + GROUPS)
def test_what_sig_doctor_writes_fits_80_columns(help_of, name):
    lines = help_of(name)
    entry = yaml.safe_load(helps[name])
    # The summary is one line after the command's name.
    assert "\n" not in entry["short-summary"].strip()
    _shown(lines, "    az {} : {}".format(name, entry["short-summary"].strip()))
    for line in (entry.get("long-summary") or "").splitlines():
        if line.strip():
            _shown(lines, "        " + line)
    for example in entry.get("examples") or []:
        _shown(lines, "    " + example["name"])
        for line in example["text"].strip().splitlines():
            _shown(lines, "        " + line)


@pytest.mark.parametrize("name", GROUPS)
def test_the_listing_of_a_group_gives_each_command_one_line(help_of, name):
    lines = help_of(name)
    children = sorted({command[len(name) + 1:].split()[0] for command in COMMANDS + GROUPS
                       if command.startswith(name + " ")})
    assert children
    for child in children:
        rows = [line for line in lines if line.strip().startswith(child + " ")]
        assert len(rows) == 1, (child, rows)
        summary = yaml.safe_load(helps["{} {}".format(name, child)])["short-summary"].strip()
        assert rows[0].endswith(": " + summary) and len(rows[0]) <= WIDTH, rows[0]


def _options_in_help(lines):
    """Every option string the help lists (the command's own arguments and the global ones)."""
    options = set()
    for line in lines:
        words = line.split(" : ")[0].split()
        if words and words[0].startswith("-"):
            options.update(word for word in words if word.startswith("-"))
    return options


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_of_an_example_is_one_of_the_command(help_of, name):
    # What azdev's example check does: fold continued lines, take each `az <command>` of the example
    # and look its options up among the command's (with the values that follow them left alone).
    import shlex
    options = _options_in_help(help_of(name))
    assert "--query" in options and "--output" in options   # the help was read
    for example in yaml.safe_load(helps[name])["examples"]:
        text = example["text"].replace("\\\n", " ")
        for part in text.replace("&&", "\n").replace("|", "\n").splitlines():
            if "az " + name not in part:
                continue
            words = shlex.split(part[part.index("az " + name):])[len(name.split()) + 1:]
            unknown = [word for word in words if word.startswith("-") and word != "-" and word not in options]
            assert not unknown, (example["name"], unknown)
