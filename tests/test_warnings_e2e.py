"""Every warning sig-doctor prints (outside the pre-checks, whose own tests cover theirs) reaches the
user on stderr through the real `az`: the knack logger, not the standard `logging` module, which the
CLI silences below CRITICAL. Each test would fail if its warning went silent."""

import os
import subprocess

import pytest

from azext_sig_doctor.explain import fold
from tests.emulator import azenv
from tests.test_create_e2e import RG, VM_ID, demo

ROOT = azenv.REPO_ROOT


@pytest.fixture(scope="module")
def explain_az(tmp_path_factory):
    """az sig doctor explain with an isolated config dir and the dev extension (no login needed)."""
    azenv.ensure_egg_info()
    env = dict(os.environ, AZURE_EXTENSION_DEV_SOURCES=ROOT, AZURE_CORE_COLLECT_TELEMETRY="false",
               AZURE_CORE_NO_COLOR="true", AZURE_CONFIG_DIR=str(tmp_path_factory.mktemp("az-config")))

    def run(*args, stdin=None):
        return subprocess.run([azenv.az_executable(), "sig", "doctor", "explain", *args], env=env, input=stdin,
                              capture_output=True, text=True, timeout=120, check=False)
    return run


# ---- create-* -------------------------------------------------------------------------------------------

def test_create_definition_warns_about_the_options_the_core_does_not_send(emulator, az):
    emulator.load("demo.yaml")
    result = az("sig", "doctor", "create-definition", "-g", RG, "-r", "demoGallery", "-i", "warnedImage",
                "--os-type", "Linux", "-p", "contoso", "-f", "warned", "-s", "s1", "--description", "not sent",
                "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "WARNING: Like az sig image-definition create, the doctor does not send --description; set them " \
           "afterwards with az sig image-definition update --set." in result.stderr


def test_create_version_warns_about_a_check_that_does_not_stop_it(emulator, az):
    emulator.load("demo.yaml")
    result = az("sig", "doctor", "create-version", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "7.7.0",
                "--virtual-machine", VM_ID, "--target-regions", "eastus=30", "westus=30", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "WARNING: check limits.within-gallery-quotas (limits.subscription-quotas): The version asks for 60 " \
           "replicas in total; more than 50 slows replication." in result.stderr
    assert not emulator.writes()


def test_create_version_warns_when_the_create_operation_can_no_longer_be_followed(emulator, az):
    # The operation's status answer is cut short: the version's own status then decides.
    emulator.load(demo(replication={"seconds": 120, "speed": 60}, faults=[
        {"method": "GET", "path": "/capsOperations/", "truncate": 10}]))
    result = az("sig", "doctor", "create-version", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "7.8.0",
                "--virtual-machine", VM_ID, "--target-regions", "eastus", "--poll-interval", "0.3", "--skip-checks")
    assert result.exit_code == 0, result.stderr
    assert "WARNING: The create operation of demoGallery/demoImage/7.8.0 stopped being followed (the answer was " \
           "cut short or is not JSON); its replication is followed from the version's status." in result.stderr
    assert result.json["replicationStatus"]["aggregatedState"] == "Completed"


# ---- explain --------------------------------------------------------------------------------------------

def test_explain_warns_about_an_empty_input(explain_az, tmp_path):
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    result = explain_az("--log", str(empty))
    assert result.returncode == 0, result.stderr
    assert "WARNING: The input is empty: nothing to explain." in result.stderr


def test_explain_warns_when_no_failure_is_found(explain_az):
    result = explain_az("--log", "-", stdin="DEBUG: cli.knack.cli: Command arguments: ['sig', 'list']\n" * 20)
    assert result.returncode == 0, result.stderr
    assert "WARNING: No failed gallery operation was found in the input." in result.stderr


def test_explain_warns_about_errors_beyond_the_listed_ones(explain_az):
    lines = ["ERROR: (Unlisted{0}Failure) Failure number {0} of a long run, unlike the others.".format(number)
             for number in range(fold.MAX_FINDINGS + 2)]
    result = explain_az("--log", "-", "-o", "none", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    assert "WARNING: 2 more distinct errors were not listed." in result.stderr


def test_explain_warns_about_parts_it_could_not_parse(monkeypatch, tmp_path, caplog):
    # A safety net for a parser bug: no input is known to trip it, so the bug is made here.
    from azext_sig_doctor.explain import cli, parse

    def broken(text, first_line=1):
        raise RuntimeError("a parser bug")
    monkeypatch.setattr(parse, "observations", broken)
    log = tmp_path / "one.log"
    log.write_text('{"error": {"code": "X", "message": "y"}}\n')

    class Command:
        class cli_ctx:  # noqa: N801 (stands for the CLI context object)
            invocation = None
    cli.explain(Command(), log=str(log))
    assert "1 part(s) of the input could not be parsed and were skipped." in caplog.text
