"""Every warning sig-doctor prints reaches the user on stderr through the real `az`: the knack logger,
not the standard `logging` module, which the CLI silences below CRITICAL. Each test would fail if its
warning went silent; the last test holds every `logger.warning` of the package to having one."""

import ast
import copy
import os
import re
import subprocess

import pytest

from azext_sig_doctor.explain import fold
from tests.emulator import azenv, defaults
from tests.emulator.scenario import read_scenario
from tests.test_checks_e2e import GOOD_VM, VERSION
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

    def broken(text, first_line=1, numbers=None, sources=None):
        raise RuntimeError("a parser bug")
    monkeypatch.setattr(parse, "read", broken)
    log = tmp_path / "one.log"
    log.write_text('{"error": {"code": "X", "message": "y"}}\n')

    class Command:
        class cli_ctx:  # noqa: N801 (stands for the CLI context object)
            invocation = None
    cli.explain(Command(), log=str(log))
    assert "1 part(s) of the input could not be parsed and were skipped." in caplog.text


# ---- check-* ---------------------------------------------------------------------------------------------

def test_check_warns_that_rules_could_not_run_and_what_that_does_to_the_exit_code(emulator, az):
    data = read_scenario("checks/world.yaml")
    data["access"] = [{"path": "/virtualMachines/goodVm", "methods": ["GET"], "code": "AuthorizationFailed"}]
    emulator.load(data)
    line = ["sig", "doctor", *VERSION, "--virtual-machine", GOOD_VM, "--target-regions", "eastus", "-o", "none"]
    why = "forbidden: the signed-in identity may not read it: grant it read access (the Reader role) on the " \
          "resource or its resource group, or run the check as an identity that can read it."
    failing = az(*line)
    assert failing.exit_code == 1, failing.stderr
    assert "rules could not run, so the check fails (exit code 1); to accept that, lower the level with " \
           "--fail-on error. " + why in failing.stderr
    assert "\nWARNING: " in "\n" + failing.stderr
    lowered = az(*line, "--fail-on", "error")
    assert lowered.exit_code == 0, lowered.stderr
    assert "rules could not run, and --fail-on error lets the check pass without them. " + why in lowered.stderr


# ---- latest and scan ----------------------------------------------------------------------------------------

def test_latest_warns_about_a_definition_without_versions(emulator, az):
    data = read_scenario("estate/world.yaml")
    ubuntu = next(item for item in data["resources"] if item["id"].endswith("/images/ubuntu"))
    empty = copy.deepcopy(ubuntu)
    empty["id"] = ubuntu["id"].replace("/images/ubuntu", "/images/empty")
    empty["properties"]["identifier"] = {"publisher": "contoso", "offer": "empty", "sku": "1"}
    data["resources"].append(empty)
    emulator.load(data)
    result = az("sig", "doctor", "latest", "-g", "rg-images", "-r", "contosoImages", "-i", "empty", "-l", "eastus")
    assert result.exit_code == 0, result.stderr
    assert result.json == [{"region": "eastus", "version": None, "skipped": [], "unverified": []}]
    assert "WARNING: Image definition 'contosoImages/empty' has no versions: latest resolves to nothing " \
           "anywhere." in result.stderr


def _world_with_an_unreadable_version():
    """The estate world where version 2.1.0 may not be read."""
    data = read_scenario("estate/world.yaml")
    data["access"] = [{"path": "/versions/2.1.0", "methods": ["GET"]}]
    return data


def test_latest_warns_when_it_could_not_decide(emulator, az):
    emulator.load(_world_with_an_unreadable_version())
    result = az("sig", "doctor", "latest", "-g", "rg-images", "-r", "contosoImages", "-i", "ubuntu", "-l", "eastus")
    assert result.exit_code == 1
    assert "WARNING: Latest could not be decided for sure in eastus: the replication state of some versions " \
           "could not be read (see 'unverified'). Grant read access to the versions and run it again." \
           in result.stderr


def test_scan_warns_when_the_login_lists_no_usable_subscription(emulator, az):
    data = read_scenario("estate/world.yaml")
    data["subscriptions"] = [dict(item, state="Disabled") for item in copy.deepcopy(defaults.SUBSCRIPTIONS)]
    emulator.load(data)
    result = az("sig", "doctor", "scan", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert result.json["targets"] == []
    assert "WARNING: The login lists no usable subscription, so there is nothing to scan. Name them with " \
           "--subscriptions, or scan a --management-group." in result.stderr


def test_scan_warns_about_rule_outcomes_it_could_not_verify(emulator, az):
    emulator.load(_world_with_an_unreadable_version())
    result = az("sig", "doctor", "scan", "--fail-on", "never", "-o", "none")
    assert result.exit_code == 0, result.stderr
    assert "rule outcome(s) could not be verified, so this scan does not cover them: " in result.stderr
    assert "Grant the identity read access (Reader) to what it could not read, and run the scan again." \
        in result.stderr


# ---- every warning of the package has its test ----------------------------------------------------------

def _warnings_of_the_package():
    """(module, the literal parts of the format string) of every ``logger.warning(...)`` call."""
    package = os.path.join(ROOT, "azext_sig_doctor")
    for folder, _, files in os.walk(package):
        for name in files:
            if not name.endswith(".py"):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as handle:
                tree = ast.parse(handle.read())
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                        and node.func.attr == "warning" and getattr(node.func.value, "id", None) == "logger":
                    first = node.args[0] if node.args else None
                    assert isinstance(first, ast.Constant), "{}:{}: a warning's text is a literal".format(
                        path, node.lineno)
                    yield os.path.relpath(path, ROOT), first.value


def _test_sources():
    """The tests' source with string literals that continue on the next line joined, so a sentence
    asserted over several source lines reads as one."""
    texts = []
    for name in sorted(os.listdir(os.path.join(ROOT, "tests"))):
        if name.startswith("test_") and name.endswith(".py"):
            with open(os.path.join(ROOT, "tests", name), encoding="utf-8") as handle:
                texts.append(handle.read())
    text = " ".join(" ".join(texts).replace("\\\n", " ").split())
    return text.replace('" "', "").replace("' '", "")


def test_every_warning_of_the_package_is_asserted_by_a_test():
    tests = _test_sources()
    found = list(_warnings_of_the_package())
    assert len(found) >= 13, found   # the walk found the warnings at all
    missing = []
    for module, text in found:
        # Each fixed part of the format string (between %s, %d ...) that says something must be asserted.
        parts = [part.strip(" .,;:") for part in re.split(r"%[sdr]", text) if len(part.strip(" .,;:")) >= 8]
        if not all(part in tests for part in parts):
            missing.append("{}: {!r}".format(module, text))
    assert not missing, "warnings no test asserts:\n" + "\n".join(missing)
