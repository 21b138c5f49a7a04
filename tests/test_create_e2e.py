"""Guarded creates with the real `az` against the emulator: checks, body, create, explained failures."""

import copy
import json
import os
import signal
import subprocess
import time

import pytest
import yaml

from tests.emulator import azenv

SCENARIOS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scenarios")
SUB = "00000000-0000-0000-0000-000000000001"
RG = "demo-rg"
VM_ID = "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute/virtualMachines/demoVm".format(SUB, RG)
RG_PATH = "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute".format(SUB, RG)
GALLERY_PATH = "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute/galleries/".format(SUB, RG)


def demo(**changes):
    """The demo world with some top-level sections replaced (replication, faults, ...)."""
    with open(os.path.join(SCENARIOS, "demo.yaml"), encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    data = copy.deepcopy(data)
    data.update(changes)
    return data


def puts(emulator, suffix):
    return puts_in(emulator.writes(), suffix)


def puts_in(journal, suffix):
    return [entry for entry in journal if entry["method"] == "PUT" and entry["path"].endswith(suffix)]


# ---- clean creates ----------------------------------------------------------------------------------

def test_clean_create_of_each_kind(emulator, az):
    emulator.load("demo.yaml")
    gallery = az("sig", "doctor", "create-gallery", "-g", RG, "-r", "doctorGallery", "--description", "made by doctor")
    assert gallery.exit_code == 0, gallery.stderr
    assert gallery.json["name"] == "doctorGallery" and gallery.json["provisioningState"] == "Succeeded"

    definition = az("sig", "doctor", "create-definition", "-g", RG, "-r", "doctorGallery", "-i", "doctorImage",
                    "--os-type", "Linux", "-p", "contoso", "-f", "doctor", "-s", "gen2", "--features",
                    "SecurityType=Standard")
    assert definition.exit_code == 0, definition.stderr
    assert definition.json["identifier"] == {"publisher": "contoso", "offer": "doctor", "sku": "gen2"}

    version = az("sig", "doctor", "create-version", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "5.0.0",
                 "--virtual-machine", VM_ID, "--target-regions", "eastus", "westus=2", "--poll-interval", "0.5")
    assert version.exit_code == 0, version.stderr
    assert version.json["replicationStatus"]["aggregatedState"] == "Completed"
    assert [entry["method"] for entry in emulator.writes()] == ["PUT", "PUT", "PUT"]
    sent = puts(emulator, "/versions/5.0.0")[0]["body"]
    assert sent["properties"]["publishingProfile"]["targetRegions"] == [
        {"name": "eastus"}, {"name": "westus", "regionalReplicaCount": 2}]


# ---- --dry-run sends nothing and shows the core's body ----------------------------------------------

DRY_RUN_CASES = [
    ("gallery", ["sig", "create", "-g", RG, "-r", "{name}", "--description", "d", "--tags", "team=images"],
     ["sig", "doctor", "create-gallery", "-g", RG, "-r", "{name}", "--description", "d", "--tags", "team=images"],
     GALLERY_PATH + "{name}"),
    ("gallery-soft-delete",
     ["sig", "create", "-g", RG, "-r", "{name}", "--soft-delete", "true", "--soft-delete-retention-period", "7",
      "--soft-delete-grace-period", "30"],
     ["sig", "doctor", "create-gallery", "-g", RG, "-r", "{name}", "--soft-delete", "true",
      "--soft-delete-retention-period", "7", "--soft-delete-grace-period", "30"],
     GALLERY_PATH + "{name}"),
    ("definition",
     ["sig", "image-definition", "create", "-g", RG, "-r", "demoGallery", "-i", "{name}", "--os-type", "Linux",
      "-p", "contoso", "-f", "{name}", "-s", "s1", "--minimum-cpu-core", "2", "--end-of-life-date", "2030-06-30",
      "--features", "IsAcceleratedNetworkSupported=true"],
     ["sig", "doctor", "create-definition", "-g", RG, "-r", "demoGallery", "-i", "{name}", "--os-type", "Linux",
      "-p", "contoso", "-f", "{name}", "-s", "s1", "--minimum-cpu-core", "2", "--end-of-life-date", "2030-06-30",
      "--features", "IsAcceleratedNetworkSupported=true"],
     GALLERY_PATH + "demoGallery/images/{name}"),
    ("version",
     ["sig", "image-version", "create", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "{name}",
      "--virtual-machine", VM_ID, "--target-regions", "eastus=1=Standard_ZRS", "westus=2", "--replica-count", "1",
      "--exclude-from-latest", "true", "--tags", "build=7"],
     ["sig", "doctor", "create-version", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "{name}",
      "--virtual-machine", VM_ID, "--target-regions", "eastus=1=Standard_ZRS", "westus=2", "--replica-count", "1",
      "--exclude-from-latest", "true", "--tags", "build=7"],
     GALLERY_PATH + "demoGallery/images/demoImage/versions/{name}"),
    # Sources named by "id": az's output adds "resourceGroup" next to any "id" it prints.
    ("version-managed-image",
     ["sig", "image-version", "create", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "{name}",
      "--managed-image", "demoManagedImage"],
     ["sig", "doctor", "create-version", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "{name}",
      "--managed-image", "demoManagedImage"],
     GALLERY_PATH + "demoGallery/images/demoImage/versions/{name}"),
    ("version-snapshots",
     ["sig", "image-version", "create", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "{name}",
      "--os-snapshot", "demoOsSnapshot", "--data-snapshots", "demoDataSnapshot", "--data-snapshot-luns", "0"],
     ["sig", "doctor", "create-version", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "{name}",
      "--os-snapshot", "demoOsSnapshot", "--data-snapshots", "demoDataSnapshot", "--data-snapshot-luns", "0"],
     GALLERY_PATH + "demoGallery/images/demoImage/versions/{name}"),
]


@pytest.mark.parametrize("kind, core_args, doctor_args, path", DRY_RUN_CASES, ids=[case[0] for case in DRY_RUN_CASES])
def test_dry_run_body_equals_the_core_commands_request(emulator, az, kind, core_args, doctor_args, path):
    emulator.load("demo.yaml")
    names = {"gallery": ("coreGallery", "doctorGallery2"), "gallery-soft-delete": ("coreGallery3", "doctorGallery3"),
             "definition": ("coreImage", "doctorImage2"),
             "version": ("7.0.0", "7.0.1"), "version-managed-image": ("7.1.0", "7.1.1"),
             "version-snapshots": ("7.2.0", "7.2.1")}[kind]
    is_version = kind.startswith("version")
    core = az(*[arg.format(name=names[0]) for arg in core_args], "--no-wait" if is_version else "--only-show-errors")
    assert core.exit_code == 0, core.stderr
    core_body = puts(emulator, path.format(name=names[0]))[0]["body"]

    emulator.clear_journal()
    dry = az(*[arg.format(name=names[1]) for arg in doctor_args], "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert not emulator.writes()
    assert dry.json["path"] == path.format(name=names[1])
    assert dry.json["checks"]["summary"]["fail"] == 0
    body = dry.json["body"]
    if kind == "definition":  # the only difference allowed: the name in the identifier's offer
        body["properties"]["identifier"]["offer"] = names[0]
    assert body == core_body


# ---- stopped by a check -------------------------------------------------------------------------------

def test_a_failing_check_stops_before_any_write(emulator, az, tmp_path):
    emulator.load("demo.yaml")
    running_vm = VM_ID.replace("demoVm", "runningVm")
    report = tmp_path / "checks.sarif"
    result = az("sig", "doctor", "create-version", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "6.0.0",
                "--virtual-machine", running_vm, "--report-format", "sarif", "--report-file", str(report))
    assert result.exit_code == 1
    assert "stopped the create before anything was written" in result.stderr
    assert "[version.os-state-mismatch]" in result.stderr
    assert "--skip-checks" in result.stderr
    assert not emulator.writes()
    assert "version.os-state-mismatch" in report.read_text(encoding="utf-8")


def test_skip_checks_sends_the_create_and_azure_refusal_is_explained(emulator, az):
    emulator.load("demo.yaml")
    running_vm = VM_ID.replace("demoVm", "runningVm")
    result = az("sig", "doctor", "create-version", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "6.0.1",
                "--virtual-machine", running_vm, "--skip-checks")
    assert result.exit_code != 0
    assert len(puts(emulator, "/versions/6.0.1")) == 1
    assert "Azure refused to create the image version demoGallery/demoImage/6.0.1" in result.stderr
    assert "Azure said: (" in result.stderr
    assert "Fix: " in result.stderr and "az sig doctor error show --id" in result.stderr


@pytest.mark.parametrize("vm, image, entry", [
    ("trustedVm", "demoImage", "version.security-type-mismatch"),
    ("armVm", "demoImage", "version.architecture-mismatch"),
])
def test_the_check_and_azure_agree_on_the_source(emulator, az, vm, image, entry):
    # The pre-check names the same entry that Azure's refusal is explained with.
    emulator.load("demo.yaml")
    args = ["-g", RG, "-r", "demoGallery", "-i", image, "-e", "6.0.2",
            "--virtual-machine", VM_ID.replace("demoVm", vm), "--target-regions", "eastus"]
    checked = az("sig", "doctor", "check-version", *args, "-o", "json")
    failed = {f["error_id"] for f in checked.json["findings"] if f["status"] == "fail"}
    assert failed == {entry}
    created = az("sig", "doctor", "create-version", *args, "--skip-checks")
    assert created.exit_code != 0
    assert len(puts(emulator, "/versions/6.0.2")) == 1
    assert "az sig doctor error show --id {}".format(entry) in created.stderr


def test_dry_run_masks_a_sas_signature_in_the_body(emulator, az):
    emulator.load("demo.yaml")
    uri = "https://demostorage.blob.core.windows.net/vhds/os.vhd?sv=2022-11-02&sr=b&sig=SASSECRETvalue123%3D"
    account = "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Storage/storageAccounts/demostorage".format(
        SUB, RG)
    result = az("sig", "doctor", "create-version", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "8.8.8",
                "--os-vhd-uri", uri, "--os-vhd-storage-account", account, "--target-regions", "eastus",
                "--dry-run", "--skip-checks", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert "SASSECRET" not in result.stdout + result.stderr
    sent = result.json["body"]["properties"]["storageProfile"]["osDiskImage"]["source"]["uri"]
    assert sent.startswith("https://demostorage.blob.core.windows.net/vhds/os.vhd?") and "sig=***" in sent
    assert emulator.writes() == []


# ---- passes the checks, fails in Azure ------------------------------------------------------------------

NOT_UNIQUE = ("The gallery name 'raceGallery' is not unique within the subscription '{}'. "
              "Please pick another gallery name.".format(SUB))


def test_a_race_after_the_checks_is_explained_with_the_right_entry(emulator, az):
    # Someone creates the same gallery name elsewhere between the checks and the PUT.
    emulator.load(demo(faults=[{"method": "PUT", "path": "/galleries/raceGallery$", "status": 409,
                                "code": "GalleryNameNotUnique", "message": NOT_UNIQUE}]))
    result = az("sig", "doctor", "create-gallery", "-g", RG, "-r", "raceGallery")
    assert result.exit_code == 1
    assert "[gallery.name-not-unique]" in result.error_line
    assert "Azure said: (GalleryNameNotUnique) " + NOT_UNIQUE in result.stderr
    assert "az sig list --subscription {}".format(SUB) in result.stderr
    assert len(puts(emulator, "/galleries/raceGallery")) == 1


def test_an_unknown_error_keeps_azures_code_and_message(emulator, az):
    message = "Zorblax quota of the flux capacitor exhausted."
    emulator.load(demo(faults=[{"method": "PUT", "path": "/galleries/oddGallery$", "status": 400,
                                "code": "ZorblaxExhausted", "message": message}]))
    result = az("sig", "doctor", "create-gallery", "-g", RG, "-r", "oddGallery")
    assert result.exit_code == 1
    assert result.error_line == "(ZorblaxExhausted) " + message
    assert "sig doctor error show" not in result.stderr
    # Still a recommendation: where to look, and how to hand the whole exchange to explain.
    assert "See what Azure made of it: az sig show -g demo-rg -r oddGallery" in result.stderr
    assert "az sig doctor explain --log sig-debug.log" in result.stderr
    assert "explain --message" not in result.stderr


def test_bad_doctor_options_fail_before_anything_is_sent(emulator, az):
    emulator.load("demo.yaml")
    result = az("sig", "doctor", "create-gallery", "-g", RG, "-r", "g2", "--report-format", "sarif")
    assert result.exit_code != 0 and "--report-format and --report-file go together" in result.stderr
    result = az("sig", "doctor", "create-version", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "8.0.0",
                "--virtual-machine", VM_ID, "--timeout", "soon")
    assert result.exit_code != 0 and "'soon' is not a duration" in result.stderr
    assert "Traceback" not in result.stderr
    assert not emulator.writes()


# ---- --no-wait as the core commands have it ------------------------------------------------------------

def test_create_gallery_no_wait_returns_once_azure_accepted_the_request(emulator, az):
    # The gallery's operation would last an hour: --no-wait must not wait for it, like az sig create --no-wait.
    emulator.load(demo(lro_seconds=3600))
    result = az("sig", "doctor", "create-gallery", "-g", RG, "-r", "noWaitGallery", "--no-wait")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert [entry["method"] for entry in emulator.writes()] == ["PUT"]
    shown = az("sig", "show", "-g", RG, "-r", "noWaitGallery", "-o", "json")
    assert shown.json["provisioningState"] == "Creating"


def test_create_definition_refuses_no_wait_like_the_core_command(emulator, az):
    emulator.load("demo.yaml")
    line = ["-g", RG, "-r", "demoGallery", "-i", "noWaitImage", "--os-type", "Linux", "-p", "contoso", "-f",
            "noWait", "-s", "s1", "--no-wait"]
    core = az("sig", "image-definition", "create", *line)
    doctor = az("sig", "doctor", "create-definition", *line)
    assert core.exit_code == doctor.exit_code == 2
    assert "unrecognized arguments: --no-wait" in core.stderr and "unrecognized arguments: --no-wait" in doctor.stderr
    assert not emulator.writes()


# ---- the wait of a gallery or definition create ---------------------------------------------------------

def _on_a_terminal(emulator, args):
    """Run `az *args` with stderr on a terminal (a pseudo-terminal: the CLI's progress shows only on a
    terminal) and stdout on a pipe; returns (exit code, stdout, what the terminal received)."""
    import pty
    import threading
    master, slave = pty.openpty()
    env = dict(os.environ, **emulator.env, AZURE_CORE_DISABLE_PROGRESS_BAR="false")
    process = subprocess.Popen([azenv.az_executable(), *args], env=env, stdout=subprocess.PIPE,  # pylint: disable=consider-using-with
                               stderr=slave)
    os.close(slave)
    received = []

    def drain():
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:   # the terminal closed with the process
                return
            if not data:
                return
            received.append(data)
    reader = threading.Thread(target=drain)
    reader.start()
    stdout, _ = process.communicate(timeout=120)
    reader.join(30)
    os.close(master)
    return process.returncode, stdout.decode(), b"".join(received).decode(errors="replace")


@pytest.mark.parametrize("args", [
    ["create-gallery", "-g", RG, "-r", "progressGallery"],
    ["create-definition", "-g", RG, "-r", "demoGallery", "-i", "progressImage", "--os-type", "Linux", "-p", "contoso",
     "-f", "progress", "-s", "s1"]], ids=["gallery", "definition"])
def test_a_create_waits_with_the_clis_progress_on_stderr(emulator, args):
    # The operation runs a few seconds: the CLI's LongRunningOperation shows the poller's status on the
    # terminal meanwhile, as `az sig create` does; stdout holds only the JSON.
    emulator.load(demo(lro_seconds=3))
    code, stdout, terminal = _on_a_terminal(emulator, ["sig", "doctor", *args, "--skip-checks", "-o", "json"])
    assert code == 0, terminal
    assert "InProgress" in terminal
    assert json.loads(stdout)["provisioningState"] == "Succeeded"


# ---- Ctrl-C says what state things are in ----------------------------------------------------------------

def _interrupt_when(emulator, args, seen):
    """Run `az *args`, send Ctrl-C (SIGINT) once ``seen(journal)`` holds (an event the emulator
    recorded, not a time); returns (exit code, stderr, the journal as it was when az had exited)."""
    env = dict(os.environ, **emulator.env)
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        [azenv.az_executable(), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60  # a guard against a hang, not a measurement
    while time.monotonic() < deadline and not seen(emulator.journal()) and process.poll() is None:
        time.sleep(0.05)
    assert process.poll() is None, "az ended before Ctrl-C: " + process.stderr.read()[-2000:]
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    return process.returncode, stderr, emulator.journal()


def test_ctrl_c_during_the_pre_checks_stops_at_once_and_says_nothing_was_sent(emulator):
    # The source VM takes 10 s to read; the other reads of the checks answer at once.
    slow_read = "/virtualMachines/demoVm$"
    emulator.load(demo(faults=[{"method": "GET", "path": slow_read, "latency_ms": 10000}]))
    args = ["sig", "doctor", "create-version", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "6.1.0",
            "--virtual-machine", VM_ID, "--target-regions", "eastus"]

    def checks_reading(journal):
        return any(entry["method"] == "GET" and entry["path"].endswith("/images/demoImage") for entry in journal)
    code, stderr, journal = _interrupt_when(emulator, args, checks_reading)
    assert code == 130  # 128 + SIGINT, as shells expect
    assert "Stopped before creating the image version demoGallery/demoImage/6.1.0: nothing was sent to Azure." \
        in stderr
    # az had exited before the slow read was answered: it did not wait for it.
    assert not any(entry["path"].endswith("/virtualMachines/demoVm") for entry in journal)
    assert "Traceback" not in stderr
    assert not emulator.writes()


def test_ctrl_c_after_the_put_was_sent_says_azure_may_still_create_it(emulator):
    # Azure takes the PUT and creates the version, and its answer is slow to come back: Ctrl-C comes
    # once the emulator has taken the PUT (its journal says so) and while az waits for the answer.
    put = "/versions/6.2.0$"
    emulator.load(demo(faults=[{"method": "PUT", "path": put, "hold_ms": 30000, "count": 1}]))
    args = ["sig", "doctor", "create-version", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "6.2.0",
            "--virtual-machine", VM_ID, "--target-regions", "eastus", "--skip-checks"]
    code, stderr, _ = _interrupt_when(emulator, args, lambda journal: puts_in(journal, "/versions/6.2.0"))
    assert code == 130
    assert "Stopped waiting for the create of the image version demoGallery/demoImage/6.2.0: the create request " \
        "was sent; Azure may still create the resource." in stderr
    assert "Check with: az sig image-version show -g demo-rg -r demoGallery -i demoImage -e 6.2.0 --expand " \
        "ReplicationStatus" in stderr
    assert "Follow its replication with: az sig doctor replication -g demo-rg -r demoGallery -i demoImage " \
        "-e 6.2.0 --wait" in stderr
    assert "Traceback" not in stderr
    # And Azure does create it: the message was right not to promise otherwise.
    assert [entry["status"] for entry in puts(emulator, "/versions/6.2.0")] == [201]
    shown = emulator.request("GET", RG_PATH + "/galleries/demoGallery/images/demoImage/versions/6.2.0")
    assert shown.status_code == 200, shown.text


def test_ctrl_c_while_waiting_for_a_gallery_names_the_command_that_shows_it(emulator):
    emulator.load(demo(lro_seconds=3600))
    args = ["sig", "doctor", "create-gallery", "-g", RG, "-r", "slowGallery", "--skip-checks"]
    code, stderr, _ = _interrupt_when(emulator, args, lambda journal: puts_in(journal, "/galleries/slowGallery"))
    assert code == 130
    assert "the create request was sent; Azure may still create the resource." in stderr
    assert "Check with: az sig show -g demo-rg -r slowGallery" in stderr
    assert "az sig doctor replication" not in stderr   # a gallery has no replication to follow
