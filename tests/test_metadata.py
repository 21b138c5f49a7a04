"""What azext_metadata.json promises holds: the preview status az shows for every command, and the
oldest azure-cli the extension declares is the one it is tested with (and the README says so)."""

import json
import os
import re
import subprocess
from importlib.metadata import version

from tests.emulator import azenv

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PREVIEW = "Command group 'sig doctor' is in preview and under development."


def _metadata():
    with open(os.path.join(ROOT, "azext_sig_doctor", "azext_metadata.json"), encoding="utf-8") as handle:
        return json.load(handle)


def _read(name):
    with open(os.path.join(ROOT, name), encoding="utf-8") as handle:
        return handle.read()


def test_every_command_of_the_group_is_in_preview():
    from azure.cli.core.mock import DummyCli
    from azext_sig_doctor import SigDoctorCommandsLoader
    assert _metadata()["azext.isPreview"] is True
    loader = SigDoctorCommandsLoader(DummyCli())
    table = loader.load_command_table(None)
    assert len(table) >= 15
    for name in table:
        # az looks for the nearest group with a status, as it does before running the command.
        parts, status = name.split()[:-1], None
        while parts and status is None:
            group = loader.command_group_table.get(" ".join(parts))
            status = (getattr(group, "group_kwargs", None) or {}).get("preview_info")
            parts = parts[:-1]
        assert status is not None, name


def test_az_says_preview_on_stderr_and_keeps_stdout_json(tmp_path):
    azenv.ensure_egg_info()
    env = dict(os.environ, AZURE_EXTENSION_DEV_SOURCES=ROOT, AZURE_CORE_COLLECT_TELEMETRY="false",
               AZURE_CORE_NO_COLOR="true", AZURE_CONFIG_DIR=str(tmp_path))
    result = subprocess.run([azenv.az_executable(), "sig", "doctor", "explain", "--message",
                             "Duplicate regions are not allowed in target publishing regions.", "-o", "json"],
                            env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "WARNING: " + PREVIEW in result.stderr
    assert [finding["id"] for finding in json.loads(result.stdout)] == ["version.duplicate-regions"]
    shown = subprocess.run([azenv.az_executable(), "sig", "doctor", "-h"], env=env, capture_output=True, text=True,
                           timeout=120, check=False)
    assert "This command group is in preview and under development." in shown.stdout


def test_the_oldest_azure_cli_declared_is_the_one_tested():
    declared = _metadata()["azext.minCliCoreVersion"]
    pinned = re.search(r"^azure-cli==(\S+)$", _read("requirements-dev.txt"), re.M).group(1)
    assert declared == pinned == version("azure-cli-core")
    readme = _read("README.md")
    assert "The extension needs azure-cli {} or newer".format(declared) in readme
    assert re.findall(r"azure-cli (\d+\.\d+\.\d+) or newer", readme) == [declared]
