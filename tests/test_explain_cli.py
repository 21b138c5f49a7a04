"""The real `az sig doctor explain` (subprocess, extension loaded from this source tree), and a
debug log captured from the real `az` failing against the local emulator."""

import json
import os
import subprocess

import pytest

from tests.emulator import azenv

ROOT = azenv.REPO_ROOT
SAMPLE = os.path.join(ROOT, "samples", "image-version-create.debug.log")
CONTRACT = {"id", "title", "code", "message", "values", "resource", "operation", "line", "cause", "fix", "commands",
            "docs", "count"}


def explain_runner(tmp_path_factory, text=True):
    """``az sig doctor explain`` with an isolated config dir and the dev extension, no login
    (explain needs none); ``text``: str in and out, else bytes."""
    azenv.ensure_egg_info()
    config = tmp_path_factory.mktemp("az-config")
    env = dict(os.environ, AZURE_CONFIG_DIR=str(config), AZURE_EXTENSION_DEV_SOURCES=ROOT,
               AZURE_CORE_COLLECT_TELEMETRY="false", AZURE_CORE_NO_COLOR="true")

    def run(*args, stdin=None):
        return subprocess.run([azenv.az_executable(), "sig", "doctor", "explain", *args], env=env, input=stdin,
                              capture_output=True, text=text, timeout=120, check=False)
    return run


@pytest.fixture(scope="module")
def plain_az(tmp_path_factory):
    return explain_runner(tmp_path_factory)


def test_json_output_keeps_the_contract(plain_az):
    completed = plain_az("--log", SAMPLE, "-o", "json")
    assert completed.returncode == 0, completed.stderr
    findings = json.loads(completed.stdout)
    assert len(findings) == 1 and CONTRACT <= set(findings[0])
    finding = findings[0]
    assert finding["id"] == "version.source-region-not-targeted"
    assert finding["resource"]["gallery"] == "demoGallery" and finding["operation"]["method"] == "PUT"
    assert finding["edit"] == "add eastus to --target-regions"
    assert finding["fixed_command"].endswith(" --location eastus --target-regions eastus westus northeurope")
    # Not a terminal: stderr has no human report, stdout only JSON.
    assert "failure found" not in completed.stderr


def test_table_output_and_stdin(plain_az):
    with open(SAMPLE, encoding="utf-8") as handle:
        completed = plain_az("--log", "-", "-o", "table", stdin=handle.read())
    assert completed.returncode == 0, completed.stderr
    assert "version.source-region-not-targeted" in completed.stdout and "demoGallery" in completed.stdout


def test_unknown_message_is_reported_honestly(plain_az):
    completed = plain_az("--message", "(ZzzQuotaExceeded) Gallery quota of unicorns exceeded for region eastus.",
                         "-o", "json")
    assert completed.returncode == 0, completed.stderr
    [finding] = json.loads(completed.stdout)
    assert finding["id"] is None and finding["code"] == "ZzzQuotaExceeded"
    assert "unicorns" in finding["message"] and isinstance(finding["nearest"], list)


def test_unreadable_input_exits_non_zero_without_traceback(plain_az, tmp_path):
    completed = plain_az("--log", str(tmp_path / "missing.log"))
    assert completed.returncode != 0
    assert "does not exist" in completed.stderr and "Traceback" not in completed.stderr
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 100)
    completed = plain_az("--log", str(binary))
    assert completed.returncode != 0 and "binary" in completed.stderr and "Traceback" not in completed.stderr


def test_missing_arguments_are_explained(plain_az):
    completed = plain_az(stdin="")  # nothing given, nothing piped in
    assert completed.returncode != 0 and "--log or --message" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_a_log_piped_in_without_arguments_is_explained(plain_az):
    completed = plain_az("-o", "json", stdin="ERROR: (InvalidParameter) Duplicate regions are not allowed in "
                                             "target publishing regions.\n")
    assert completed.returncode == 0, completed.stderr
    assert [finding["id"] for finding in json.loads(completed.stdout)] == ["version.duplicate-regions"]


def test_real_az_debug_log_from_the_emulator_is_explained(emulator, az):
    emulator.load("demo.yaml")
    vm_id = ("/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/demo-rg/providers/"
             "Microsoft.Compute/virtualMachines/demoVm")
    failed = az("sig", "image-version", "create", "-g", "demo-rg", "-r", "demoGallery", "-i", "demoImage",
                "-e", "1.0.7", "--virtual-machine", vm_id, "--location", "eastus",
                "--target-regions", "westus", "northeurope", "--debug")
    assert failed.exit_code != 0 and "Response status: 400" in failed.stderr
    explained = az("sig", "doctor", "explain", "--log", "-", "-o", "json", input=failed.stderr)
    assert explained.exit_code == 0, explained.stderr
    [finding] = explained.json
    assert finding["id"] == "version.source-region-not-targeted"
    assert finding["values"]["source_region"] == "eastus"
    assert finding["resource"]["version"] == "1.0.7" and finding["resource"]["image"] == "demoImage"
    assert finding["operation"] == {"method": "PUT", "path": finding["resource"]["resource_id"]}
    assert finding["fixed_command"] == ("az sig image-version create -g demo-rg -r demoGallery -i demoImage -e 1.0.7 "
                                        "--virtual-machine {} --location eastus --target-regions eastus westus "
                                        "northeurope".format(vm_id))
    assert finding["count"] == 1
    lines = failed.stderr.splitlines()
    assert '"error"' in lines[finding["line"] - 1]


def test_a_doctor_debug_log_stopped_by_its_checks_names_the_checks_entries(emulator, az):
    # The pre-checks read concurrently (a 404 for the version that does not exist yet, answered
    # between other reads): that read is no failure; the checks' own verdict is.
    emulator.load("demo.yaml")
    vm_id = ("/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/demo-rg/providers/"
             "Microsoft.Compute/virtualMachines/runningVm")
    stopped = az("sig", "doctor", "create-version", "-g", "demo-rg", "-r", "demoGallery", "-i", "demoImage",
                 "-e", "7.0.0", "--virtual-machine", vm_id, "--debug")
    assert stopped.exit_code != 0 and "Response status: 404" in stopped.stderr
    explained = az("sig", "doctor", "explain", "--log", "-", "-o", "json", input=stopped.stderr)
    [finding] = explained.json
    assert finding["id"] == "version.os-state-mismatch"
    assert finding["resource"] == {"resource_group": "demo-rg", "gallery": "demoGallery", "image": "demoImage",
                                   "version": "7.0.0"}
    assert finding["operation"] is None
    assert "az vm get-instance-view --ids {}".format(vm_id) in " ".join(finding["commands"])


def test_a_doctor_debug_log_of_a_refused_create_is_matched_on_azures_words(emulator, az):
    emulator.load("demo.yaml")
    refused = az("sig", "doctor", "create-gallery", "-g", "demo-rg", "-r", "bad-gal", "-l", "eastus",
                 "--skip-checks", "--debug")
    assert refused.exit_code != 0
    explained = az("sig", "doctor", "explain", "--log", "-", "-o", "json", input=refused.stderr)
    [finding] = explained.json
    assert (finding["id"], finding["code"]) == ("gallery.name-invalid", "InvalidParameter")
    assert finding["operation"]["method"] == "PUT" and finding["resource"]["gallery"] == "bad-gal"
    assert finding["message"].startswith("Gallery name is invalid.")
    # The user's own doctor command, with a name the service takes (the hyphen an underscore).
    assert finding["fixed_command"] == "az sig doctor create-gallery -g demo-rg -r bad_gal -l eastus --skip-checks"


# ---- the command function itself (no subprocess) -------------------------------------------------

class _FakeCmd:
    def __init__(self, output, query=False):
        invocation = type("Invocation", (), {"data": {"output": output, "query_active": query}})()
        self.cli_ctx = type("Ctx", (), {"invocation": invocation})()


def test_terminal_gets_a_short_report_on_stderr_only_for_json(monkeypatch, capsys):
    from azext_sig_doctor.explain import cli
    monkeypatch.setattr(cli, "_isatty", lambda stream: True)
    message = ("Gallery image version publishing profile regions 'westeurope' must contain the location of "
               "image version 'eastus'.")
    findings = cli.explain(_FakeCmd("json"), message=message)
    assert findings[0]["id"] == "version.source-region-not-targeted"
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("1 failure found.")
    cli.explain(_FakeCmd("table"), message=message)
    cli.explain(_FakeCmd("json", query=True), message=message)
    assert capsys.readouterr().err == ""


def test_unreadable_input_becomes_an_az_error_with_a_recommendation(tmp_path):
    from azure.cli.core.azclierror import FileOperationError, MutuallyExclusiveArgumentError
    from azext_sig_doctor.explain import cli
    with pytest.raises(FileOperationError) as error:
        cli.explain(_FakeCmd("json"), log=str(tmp_path))
    assert "directory" in str(error.value) and error.value.recommendations
    with pytest.raises(MutuallyExclusiveArgumentError):
        cli.explain(_FakeCmd("json"), log="a.log", message="text")


def test_real_long_running_failure_is_tied_to_the_version_that_was_put(emulator, az):
    from tests.test_create_e2e import RG, VM_ID, demo
    emulator.load(demo(replication={"seconds": 60, "speed": 60, "fail_regions": {"westus": ""}}))
    failed = az("sig", "image-version", "create", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "1.0.8",
                "--virtual-machine", VM_ID, "--location", "eastus", "--target-regions", "eastus", "westus",
                "--debug", timeout=120)
    assert failed.exit_code != 0 and "CrpPirReplicationJobsNotCompleted" in failed.stderr
    explained = az("sig", "doctor", "explain", "--log", "-", "-o", "json", input=failed.stderr)
    assert explained.exit_code == 0, explained.stderr
    [finding] = explained.json
    assert finding["resource"]["version"] == "1.0.8"  # from the PUT, not from the poll URL
    assert finding["operation"]["method"] == "PUT"
    assert finding["id"] == "replication.job-not-completed" and finding["values"]["region"] == "westus"


def test_nothing_given_at_a_terminal_is_a_clear_error(monkeypatch):
    from azure.cli.core.azclierror import RequiredArgumentMissingError
    from azext_sig_doctor.explain import cli

    class _Terminal:
        def isatty(self):
            return True

    monkeypatch.setattr(cli.sys, "stdin", _Terminal())
    with pytest.raises(RequiredArgumentMissingError) as raised:
        cli.explain(None)
    assert "--log" in str(raised.value) and raised.value.recommendations


def test_piped_input_is_read_without_any_argument(monkeypatch):
    import io
    from azext_sig_doctor.explain import cli

    piped = io.TextIOWrapper(io.BytesIO(b"Duplicate regions are not allowed in target publishing regions.\n"))
    monkeypatch.setattr(cli.sys, "stdin", piped)

    class _Cmd:
        cli_ctx = None

    findings = cli.explain(_Cmd())
    assert [finding["id"] for finding in findings] == ["version.duplicate-regions"]
