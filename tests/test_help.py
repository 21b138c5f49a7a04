"""Every command has help with a summary and examples that call that very command."""

import yaml
import pytest

from azext_sig_doctor import commands
from azext_sig_doctor._help import helps


class _Recorder:
    """Stands in for the CLI's command loader and records what the table registers."""

    def __init__(self):
        self.groups, self.commands = set(), []

    def command_group(self, name, **_):
        self.groups.add(name)
        return _Group(self, name)


class _Group:
    def __init__(self, recorder, name):
        self.recorder, self.name = recorder, name

    def __enter__(self):
        return self

    def __exit__(self, *_):
        return False

    def custom_command(self, name, function_name, **_):
        self.recorder.commands.append(("{} {}".format(self.name, name), function_name))

    custom_show_command = custom_command


RECORDER = _Recorder()
commands.load_command_table(RECORDER, None)
COMMANDS = [name for name, _ in RECORDER.commands]


def test_the_table_holds_every_documented_command():
    expected = {"explain", "error list", "error show", "check-gallery", "check-definition", "check-version",
                "check-vm", "create-gallery", "create-definition", "create-version", "replication",
                "latest", "scan", "check-build", "rule list", "rule show"}
    assert {name[len("sig doctor "):] for name in COMMANDS} == expected


@pytest.mark.parametrize("name", sorted(RECORDER.groups))
def test_group_has_help(name):
    entry = yaml.safe_load(helps[name])
    assert entry["type"] == "group" and entry["short-summary"]


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_with_examples_of_itself(name):
    entry = yaml.safe_load(helps[name])
    assert entry["type"] == "command" and entry["short-summary"]
    assert entry.get("examples"), "no examples"
    for example in entry["examples"]:
        assert example["name"] and example["text"]
        assert "az " + name in example["text"], example["text"]


@pytest.mark.parametrize("name,function_name", RECORDER.commands)
def test_command_function_exists(name, function_name):
    from azext_sig_doctor import custom
    assert callable(getattr(custom, function_name)), name
