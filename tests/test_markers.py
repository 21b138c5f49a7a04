"""sig-doctor's own error wording (domain/markers.py) is written by the creates and read back by explain:
what a stopped or refused create prints, pasted into explain, names the same knowledge-base entries."""

import os
import subprocess

from azext_sig_doctor.checks.report import Report
from azext_sig_doctor.create import checks_gate, errors
from azext_sig_doctor.domain import markers
from azext_sig_doctor.domain import request as requests
from azext_sig_doctor.explain import explain_text
from tests.emulator import azenv
from tests.test_create_e2e import RG, VM_ID, demo


def printed(error):
    """An Azure CLI error as az prints it on stderr: the message after ERROR:, then each recommendation."""
    return "\n".join(["ERROR: " + error.error_msg] + list(error.recommendations)) + "\n"


def finding(status, error_id, detail):
    return {"rule": error_id, "status": status, "error_id": error_id, "title": "Title of " + error_id,
            "detail": detail, "fix": "Fix it.", "commands": [], "values": {}, "reason": None}


REQUEST = requests.parse("version", {"resource_group_name": "rg", "gallery_name": "gal", "gallery_image_name": "img",
                                     "gallery_image_version": "1.0.0"}, "s")


def test_a_create_the_checks_stopped_is_read_back_finding_by_finding():
    report = Report(REQUEST, [
        finding("fail", "version.os-state-mismatch", "the source is Specialized, the definition Generalized"),
        finding("pass", "version.duplicate-regions", "each region once"),
        finding("fail", "version.source-region-not-targeted", "eastus is not among the target regions"),
    ], fix={"command": None, "powershell": None, "details": {"edits": [], "before": [], "unresolved": []}})
    error = checks_gate.stopped_error(report, "version", "error")
    assert error.error_msg.startswith(markers.CHECKS_STOPPED)
    explained = explain_text(printed(error)).findings
    assert [item["id"] for item in explained] == ["version.os-state-mismatch", "version.source-region-not-targeted"]


def test_a_create_azure_refused_is_read_back_as_azures_error():
    code, message = "GallerySourceResourceExceedsMaxSize", ("The GalleryImageVersion source resource size 4095 "
                                                             "exceeds the max size 2048 supported.")
    known = errors.match_error(code, message)
    error = errors.build_cli_error(errors.ServiceError(code, message, status=400), known, "image version gal/img/1.0.0")
    assert markers.AZURE_SAID in error.error_msg
    [explained] = explain_text(printed(error)).findings
    assert (explained["id"], explained["code"]) == (known["id"], code)
    assert explained["values"] == known["values"]
    # The advice lines after the message are not part of Azure's message.
    assert explained["message"] == message


def test_the_real_az_stopped_create_pasted_into_explain(emulator, az):
    # The demo world's VM is running (not generalized): the checks stop the create before any write.
    emulator.load(demo())
    stopped = az("sig", "doctor", "create-version", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "6.9.0",
                 "--virtual-machine", VM_ID, "--target-regions", "eastus", "eastus")
    assert stopped.exit_code == 1, stopped.stderr
    assert markers.CHECKS_STOPPED in stopped.stderr
    assert not emulator.writes()
    blocking = [line.split("]")[0].strip(" [") for line in stopped.stderr.splitlines()
                if markers.CHECK_LINE.match(line)]
    assert blocking
    env = dict(os.environ, **emulator.env)
    explained = subprocess.run([azenv.az_executable(), "sig", "doctor", "explain", "--log", "-", "--query", "[].id",
                                "-o", "tsv"], input=stopped.stderr, env=env, capture_output=True, text=True,
                               timeout=120, check=False)
    assert explained.returncode == 0, explained.stderr
    assert explained.stdout.split() == blocking


def test_the_english_guidance_labels_start_with_the_markers_explain_reads():
    """The guidance lines are translatable (kb/i18n/en/ui.yaml): their English must begin with the
    labels explain stops a message at."""
    from azext_sig_doctor.i18n.catalog import say
    from azext_sig_doctor.domain import markers
    labels = {"why": markers.WHY, "fix": markers.FIX, "first": markers.FIRST, "fixed-command": markers.FIXED_COMMAND,
              "next": markers.NEXT, "more": markers.MORE}
    values = {"text": "x", "command": "az x", "id": "gallery.name-invalid", "reason": "x"}
    for key, label in labels.items():
        assert str(say("guidance", key, **values)).startswith(label), key
