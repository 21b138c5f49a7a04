"""The option table the doctor reads command lines with (domain/options.py) agrees with the parsers
the real az 2.91 builds for the core commands: every option's aliases and how many values it takes.
A new az release that renames an option or changes its arity fails here."""

import json
import os
import subprocess
import sys

import pytest

from azext_sig_doctor.domain import options

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORE = {"sig create": options.GALLERY_CREATE, "sig image-definition create": options.DEFINITION_CREATE,
        "sig image-version create": options.VERSION_CREATE, "vm create": options.VM_CREATE,
        "vmss create": options.VMSS_CREATE, "disk create": options.DISK_CREATE}


def _actions(command):
    from tests.test_checks_arguments import _parser
    parser = _parser(command)
    result = []
    for action in parser._actions:  # pylint: disable=protected-access
        strings = [s for s in action.option_strings if not s.startswith("--__") and s != "--cmd"]
        if strings:
            result.append({"options": sorted(strings), "nargs": action.nargs if not isinstance(action.nargs, int)
                           else str(action.nargs), "const": action.const is not None})
    return result


def print_actions():
    """Entry point for a child process with az's environment: JSON {command: [action]}."""
    print(json.dumps({command: _actions(command) for command in sys.argv[1:]}))


@pytest.fixture(scope="module")
def actions(emulator):
    code = "from tests.test_options_table import print_actions; print_actions()"
    completed = subprocess.run([sys.executable, "-c", code, *CORE], cwd=REPO_ROOT, capture_output=True, text=True,
                               timeout=300, env=dict(os.environ, **emulator.env), check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout)


def _arity(action):
    nargs = action["nargs"]
    if nargs in ("+", "*"):
        return options.MANY
    if nargs == "0":
        return options.FLAG
    if nargs == "?":
        return options.TRI
    return options.ONE


@pytest.mark.parametrize("command", sorted(CORE))
def test_every_option_of_the_table_is_the_core_commands_with_its_arity(actions, command):
    by_options = {tuple(action["options"]): action for action in actions[command]}
    for option in CORE[command].values():
        action = by_options.get(tuple(sorted(option.options)))
        assert action is not None, (command, option.options)
        assert _arity(action) == option.arity, (command, option.options, action)
