"""Following replication with the real `az` against the emulator: progress, failure, stall, resume."""

import os
import signal
import subprocess
import time

from tests.emulator import azenv
from tests.test_create_e2e import RG, VM_ID, demo

SHOW_PROGRESS = {"AZURE_CORE_DISABLE_PROGRESS_BAR": "false"}
# Two emulated minutes per region at 60x: about two real seconds.
SLOW = {"seconds": 120, "speed": 60}
# The knowledge base's cause for CrpPirReplicationJobsNotCompleted: Azure ended the operation as Failed.
NOT_COMPLETED_CAUSE = "so the operation reported Failed"


def create_version(az, version, *extra, env=None):
    """create-version without the pre-checks (test_create_e2e covers them): replication is the point here."""
    return az("sig", "doctor", "create-version", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", version,
              "--virtual-machine", VM_ID, "--target-regions", "eastus", "westus=2", "--poll-interval", "0.3",
              "--skip-checks", *extra, env=env)


def test_replication_completes_with_a_determinate_progress_bar(emulator, az):
    emulator.load(demo(replication=SLOW))
    result = create_version(az, "9.0.0", env=SHOW_PROGRESS)
    assert result.exit_code == 0, result.stderr
    assert result.json["replicationStatus"]["aggregatedState"] == "Completed"
    # The CLI's determinate bar: "\r<message>[####   ]  NN.NNNN%", rising to 100 % (the captured
    # text has its carriage returns turned into line ends).
    frames = [frame for frame in result.stderr.splitlines() if frame.startswith("Replicating 9.0.0")]
    assert len(frames) >= 3, result.stderr
    percents = [float(frame.rsplit("]", 1)[1].strip().rstrip("%").split()[0]) for frame in frames
                if "]" in frame and "%" in frame]
    assert percents == sorted(percents) and percents[0] < 100 and max(percents) == 100
    assert "East US: Completed (100%)" in result.stderr and "West US: Completed (100%)" in result.stderr


def test_progress_is_silent_with_only_show_errors_and_output_none(emulator, az):
    emulator.load("demo.yaml")
    quiet = create_version(az, "9.1.0", "--only-show-errors", env=SHOW_PROGRESS)
    assert quiet.exit_code == 0 and quiet.stderr == ""
    none = create_version(az, "9.1.1", "-o", "none", env=SHOW_PROGRESS)
    # No progress: only az's own word that the command group is in preview (a warning, which -o none keeps).
    assert none.exit_code == 0 and none.stdout == ""
    assert none.stderr.splitlines() == ["WARNING: Command group 'sig doctor' is in preview and under development. "
                                        "Reference and support levels: https://aka.ms/CLI_refstatus"]


def test_a_failed_region_ends_non_zero_with_the_retry_commands_and_keeps_the_version(emulator, az):
    emulator.load(demo(replication={"seconds": 60, "speed": 60, "fail_regions": {"westus": ""}}))
    result = create_version(az, "9.2.0")
    assert result.exit_code == 1
    assert "Replication of image version demoGallery/demoImage/9.2.0 failed in West US" in result.error_line
    assert "nothing was deleted" in result.stderr
    base = "az sig image-version update -g demo-rg -r demoGallery -i demoImage -e 9.2.0"
    assert base + " --remove publishingProfile.targetRegions 1" in result.stderr
    assert base + " --add publishingProfile.targetRegions name=westus regionalReplicaCount=2" in result.stderr
    assert "az sig doctor replication -g demo-rg -r demoGallery -i demoImage -e 9.2.0 --wait" in result.stderr
    assert "az sig doctor error show --id replication.failed-in-regions" in result.stderr
    assert [entry["method"] for entry in emulator.writes()] == ["PUT"]

    shown = az("sig", "doctor", "replication", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "9.2.0")
    assert shown.exit_code == 0
    states = {row["region"]: row["state"] for row in shown.json["regions"]}
    assert states == {"East US": "Completed", "West US": "Failed"}
    assert shown.json["retry_commands"][0] == base + " --remove publishingProfile.targetRegions 1"


def test_a_stalled_region_is_reported(emulator, az):
    emulator.load(demo(replication={"seconds": 60, "speed": 60, "stall_regions": ["westus"], "stall_at": 40}))
    result = create_version(az, "9.3.0", "--stall-timeout", "2s")
    assert result.exit_code == 1
    assert "West US (Replicating, 40%) has not progressed for 2s (--stall-timeout)" in result.error_line
    assert "Azure reported no failure" in result.error_line
    assert "--remove publishingProfile.targetRegions 1" in result.stderr
    assert "Resume following (a longer --timeout or --stall-timeout waits longer): az sig doctor replication " \
        "-g demo-rg -r demoGallery -i demoImage -e 9.3.0 --wait" in result.stderr
    assert "az sig doctor error show --id replication.slow-or-unfinished" in result.stderr
    assert NOT_COMPLETED_CAUSE not in result.stderr   # nothing failed: not the "job not completed" error


def test_timeout_stops_following(emulator, az):
    emulator.load(demo(replication={"seconds": 3600, "speed": 1}))
    result = create_version(az, "9.4.0", "--timeout", "2s")
    assert result.exit_code == 1
    assert "it timed out after 2s (--timeout) with East US (Replicating, 0%), West US (Replicating, 0%) still " \
        "to finish" in result.error_line
    assert "az sig doctor replication -g demo-rg -r demoGallery -i demoImage -e 9.4.0 --wait" in result.stderr
    assert "az sig image-version show -g demo-rg -r demoGallery -i demoImage -e 9.4.0 --expand " \
        "ReplicationStatus" in result.stderr
    assert NOT_COMPLETED_CAUSE not in result.stderr


def test_no_wait_returns_after_the_put_and_replication_wait_follows_it(emulator, az):
    emulator.load(demo(replication=SLOW))
    result = create_version(az, "9.5.0", "--no-wait")
    assert result.exit_code == 0 and result.stdout == ""
    assert [entry["method"] for entry in emulator.writes()] == ["PUT"]
    # It did not follow the replication: not one read of the version's status.
    assert _status_reads(emulator, "9.5.0") == []

    table = az("sig", "doctor", "replication", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "9.5.0",
               "-o", "table")
    assert table.exit_code == 0
    assert table.stdout.splitlines()[0].split() == ["Region", "State", "Progress", "Replicas", "Details"]

    waited = az("sig", "doctor", "replication", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "9.5.0",
                "--wait", "--poll-interval", "0.3")
    assert waited.exit_code == 0, waited.stderr
    assert waited.json["aggregated_state"] == "Completed"
    assert {row["state"] for row in waited.json["regions"]} == {"Completed"}

    summary = az("sig", "doctor", "replication", "-g", RG, "-r", "demoGallery", "-i", "demoImage")
    assert summary.exit_code == 0
    rows = {row["version"]: row for row in summary.json["versions"]}
    assert rows["9.5.0"]["completed_regions"] == 2 and rows["9.5.0"]["target_regions"] == 2
    assert "1.0.0" in rows


def test_wait_on_a_definition_needs_a_version(emulator, az):
    emulator.load("demo.yaml")
    result = az("sig", "doctor", "replication", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "--wait")
    assert result.exit_code != 0 and "--wait follows one image version" in result.stderr


def test_ctrl_c_stops_following_and_says_how_to_resume(emulator):
    emulator.load(demo(replication={"seconds": 3600, "speed": 1}))
    env = dict(os.environ)
    env.update(emulator.env)
    created = emulator.az("sig", "doctor", "create-version", "-g", RG, "-r", "demoGallery", "-i", "demoImage",
                          "-e", "9.6.0", "--virtual-machine", VM_ID, "--no-wait", "--skip-checks")
    assert created.exit_code == 0, created.stderr
    emulator.clear_journal()  # the create's checks read the version too; wait for the follower's reads
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        [azenv.az_executable(), "sig", "doctor", "replication", "-g", RG, "-r", "demoGallery", "-i", "demoImage",
         "-e", "9.6.0", "--wait", "--poll-interval", "0.3"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(
            entry["query"].get("$expand") == "ReplicationStatus" for entry in emulator.journal()):
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130  # 128 + SIGINT, as shells expect
    assert "Stopped following the replication of demoGallery/demoImage/9.6.0" in stderr
    assert "az sig doctor replication -g demo-rg -r demoGallery -i demoImage -e 9.6.0 --wait" in stderr
    assert "Traceback" not in stderr


def test_a_region_failure_the_knowledge_base_knows_is_explained_by_its_entry(emulator, az):
    reason = "The GalleryImageVersion source resource size 2520 exceeds the max size 2048 supported."
    emulator.load(demo(replication={"seconds": 60, "speed": 60, "fail_regions": {"westus": reason}}))
    result = create_version(az, "9.7.0")
    assert result.exit_code == 1
    assert "az sig doctor error show --id version.source-too-large" in result.stderr
    # The source stays too large: a plain retry of the region would fail again.
    assert "--remove publishingProfile.targetRegions 1" not in result.stderr
    assert "Retrying the region(s) would fail the same way" in result.stderr


def test_an_unknown_error_while_following_keeps_azures_words_and_says_where_to_look(emulator, az):
    message = "Something unexpected happened to the gallery, qwzx."
    emulator.load(demo(replication=SLOW, faults=[{"method": "GET", "path": "/versions/9.8.0$", "status": 400,
                                                  "count": 1, "code": "GalleryHiccup", "message": message}]))
    result = create_version(az, "9.8.0")
    assert result.exit_code == 1
    assert result.error_line == "(GalleryHiccup) " + message   # as az prints it
    assert "az sig doctor replication -g demo-rg -r demoGallery -i demoImage -e 9.8.0\n" in result.stderr
    assert "az sig image-version show -g demo-rg -r demoGallery -i demoImage -e 9.8.0 --expand ReplicationStatus" \
        in result.stderr
    assert "--debug 2> sig-debug.log, then: az sig doctor explain --log sig-debug.log" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_source_too_large_gets_a_fixed_command_that_works_when_pasted(emulator, az):
    # demo.yaml's bigDiskVm has a 2520 GiB data disk: Azure accepts the version, then replication fails.
    emulator.load("demo.yaml")
    big_vm = VM_ID.replace("demoVm", "bigDiskVm")
    result = az("sig", "doctor", "create-version", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "9.9.0",
                "--virtual-machine", big_vm, "--target-regions", "eastus", "westus", "--poll-interval", "0.3",
                "--skip-checks", env=SHOW_PROGRESS)
    assert result.exit_code == 1
    assert "az sig doctor error show --id version.source-too-large" in result.stderr
    assert "--remove publishingProfile.targetRegions" not in result.stderr
    # The bar's last frame says how it ended.
    frames = [frame for frame in result.stderr.splitlines() if frame.startswith("Replicating 9.9.0")]
    assert frames[-1].startswith("Replicating 9.9.0 failed"), frames[-3:]
    assert not any(frame.startswith("Replicating 9.9.0 done") for frame in frames)

    # The user's own command with shallow replication in the version's own region, after deleting
    # the failed version (a replication mode cannot be updated).
    lines = result.stderr.splitlines()
    first = next(line[len("First: "):] for line in lines if line.startswith("First: "))
    fixed = next(line[len("Fixed command: "):] for line in lines if line.startswith("Fixed command: "))
    assert first == "az sig image-version delete -g {} -r demoGallery -i demoImage -e 9.9.0".format(RG)
    assert fixed.startswith("az sig doctor create-version -g {} -r demoGallery -i demoImage -e 9.9.0 "
                            "--virtual-machine {}".format(RG, big_vm)), fixed
    assert "--replication-mode Shallow" in fixed and "westus" not in fixed and "--poll-interval 0.3" in fixed

    shown = az("sig", "doctor", "replication", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "9.9.0",
               "-o", "json")
    assert shown.exit_code == 0, shown.stderr
    assert "retry_commands" not in shown.json   # a retry would fail the same way
    assert {row["region"]: row["error_id"] for row in shown.json["regions"]} == {
        "East US": "version.source-too-large", "West US": "version.source-too-large"}

    # Without the delete, the fixed command is refused: the replication mode cannot change.
    refused = emulator.bash(fixed)
    assert refused.returncode != 0 and "replicationMode" in refused.stderr, refused.stderr[-2000:]
    assert emulator.bash(first).returncode == 0
    emulator.clear_journal()
    ran = emulator.bash(fixed)
    assert ran.returncode == 0, ran.stderr[-3000:]
    put = next(entry for entry in emulator.journal() if entry["method"] == "PUT")
    profile = put["body"]["properties"]["publishingProfile"]
    assert profile["replicationMode"] == "Shallow"
    assert [region["name"] for region in profile.get("targetRegions") or [{"name": put["body"]["location"]}]] == [
        put["body"]["location"]]

# ---- status reads that fail for a passing reason (faults injected by the emulator) ----------------------

def _status_reads(emulator, version):
    return [entry["status"] for entry in emulator.journal()
            if entry["method"] == "GET" and entry["path"].endswith("/versions/" + version)
            and entry["query"].get("$expand") == "ReplicationStatus"]


def test_create_version_rides_out_a_dropped_connection_a_cut_body_and_500s(emulator, az):
    # Only the follower's reads (with $expand=ReplicationStatus) fail: the create operation's own reads do not.
    read = {"method": "GET", "path": "/versions/9.10.0$", "query": "expand=ReplicationStatus"}
    emulator.load(demo(replication=SLOW, faults=[dict(read, drop=True, count=1), dict(read, truncate=40, count=1),
                                                 dict(read, status=500, count=2)]))
    result = create_version(az, "9.10.0", "--stall-timeout", "10m")
    assert result.exit_code == 0, result.stderr
    assert result.json["replicationStatus"]["aggregatedState"] == "Completed"
    said = "WARNING: Could not read the replication status of demoGallery/demoImage/9.10.0: "
    assert said + "the connection failed; reading again in 1s. Azure goes on replicating meanwhile." \
        in result.stderr
    assert said + "the answer was cut short or is not JSON; reading again in 1s." in result.stderr
    assert said + "Azure answered 500; reading again in" in result.stderr
    assert "Traceback" not in result.stderr and "Connection aborted" not in result.stderr
    # Each fault hit one of the follower's reads (none was retried inside the SDK), then reads succeeded.
    reads = _status_reads(emulator, "9.10.0")
    assert reads[:4] == [0, 200, 500, 500] and reads[-1] == 200


def test_replication_wait_does_not_obey_an_hour_of_retry_after_beyond_its_timeout(emulator, az):
    emulator.load(demo(replication={"seconds": 3600, "speed": 1}))
    created = create_version(az, "9.11.0", "--no-wait")
    assert created.exit_code == 0, created.stderr
    emulator.load(demo(replication={"seconds": 3600, "speed": 1}, faults=[
        {"method": "GET", "path": "/versions/9.11.0$", "status": 429, "retry_after": 3600}]))
    # The version is gone with the reload: put it back as it was, throttled from now on.
    recreated = create_version(az, "9.11.0", "--no-wait")
    assert recreated.exit_code == 0, recreated.stderr
    emulator.clear_journal()
    result = az("sig", "doctor", "replication", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "9.11.0",
                "--wait", "--poll-interval", "0.3", "--timeout", "3s", timeout=120)
    assert result.exit_code == 1
    assert "WARNING: Could not read the replication status of demoGallery/demoImage/9.11.0: Azure throttled the " \
           "read (429); reading again in 3s." in result.stderr
    assert "Stopped following the replication of image version demoGallery/demoImage/9.11.0: it timed out after " \
           "3s (--timeout)." in result.error_line
    assert "The last reads of its status failed (Azure throttled the read (429))." in result.error_line
    assert "az sig doctor replication -g demo-rg -r demoGallery -i demoImage -e 9.11.0 --wait" in result.stderr
    # Read once, waited what --timeout left (not an hour), read once more at the deadline.
    assert _status_reads(emulator, "9.11.0") == [429, 429]


def test_replication_wait_rides_out_throttling_that_asks_for_a_short_wait(emulator, az):
    emulator.load(demo(replication=SLOW, faults=[
        {"method": "GET", "path": "/versions/9.12.0$", "status": 429, "retry_after": 1, "count": 2}]))
    created = create_version(az, "9.12.0", "--no-wait")
    assert created.exit_code == 0, created.stderr
    emulator.clear_journal()
    result = az("sig", "doctor", "replication", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "9.12.0",
                "--wait", "--poll-interval", "0.3")
    assert result.exit_code == 0, result.stderr
    assert result.json["aggregated_state"] == "Completed"
    assert result.stderr.count("Azure throttled the read (429); reading again in 1s.") == 2
    assert _status_reads(emulator, "9.12.0")[:3] == [429, 429, 200]


def test_reads_failing_for_the_stall_time_end_without_a_verdict_on_the_replication(emulator, az):
    emulator.load(demo(replication={"seconds": 3600, "speed": 1}, faults=[
        {"method": "GET", "path": "/versions/9.13.0$", "drop": True}]))
    created = create_version(az, "9.13.0", "--no-wait")
    assert created.exit_code == 0, created.stderr
    result = az("sig", "doctor", "replication", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "9.13.0",
                "--wait", "--poll-interval", "0.3", "--stall-timeout", "3s")
    assert result.exit_code == 1
    assert "its status could not be read for 3s (--stall-timeout): the connection failed. Azure reported no " \
           "failure and may still be replicating" in result.error_line
    assert "az sig doctor replication -g demo-rg -r demoGallery -i demoImage -e 9.13.0 --wait" in result.stderr
    assert "Traceback" not in result.stderr
