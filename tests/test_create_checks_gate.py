"""What stops a create: the checks' findings at the --fail-on level, reported as one CLI error."""

from azure.cli.core.azclierror import ValidationError

from azext_sig_doctor.checks.report import Report
from azext_sig_doctor.create import checks_gate
from azext_sig_doctor.domain import request as requests


def finding(status, error_id, detail, commands=()):
    return {"rule": error_id.replace(".", "-"), "status": status, "error_id": error_id, "title": "Title of " + error_id,
            "detail": detail, "fix": "Fix for " + error_id if status in ("fail", "warn") else "",
            "commands": list(commands), "values": {}, "reason": None}


REQUEST = requests.parse("version", {"resource_group_name": "rg", "gallery_name": "gal", "gallery_image_name": "img",
                                     "gallery_image_version": "1.0.0"}, "s")
FIX = {"command": None, "powershell": None, "details": {"edits": [], "before": [], "unresolved": [
    {"rule": "version-os-state-mismatch", "error_id": "version.os-state-mismatch", "reason": "generalize the VM"}]}}
REPORT = Report(REQUEST, [
    finding("pass", "version.ok", "fine"),
    finding("warn", "version.replica-count-high", "60 replicas in eastus"),
    finding("fail", "version.os-state-mismatch", "source is Specialized",
            ["az vm generalize   --ids "
             "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/v"]),
], fix=FIX)


def test_errors_stop_and_list_only_the_failures_by_default():
    error = checks_gate.stopped_error(REPORT, "version", "error")
    assert isinstance(error, ValidationError)
    text = str(error)
    assert "before anything was written (1 finding(s))" in text
    assert "[version.os-state-mismatch] Title of version.os-state-mismatch: source is Specialized" in text
    assert "replica-count-high" not in text
    advice = "\n".join(error.recommendations)
    assert "Fix for version.os-state-mismatch" in advice
    assert "  az vm generalize --ids /subscriptions/s/" in advice  # commands on one line, spaces folded
    assert "check-version" in advice and "--skip-checks" in advice
    # No fixed command can be written: the reason is said instead.
    assert "No fixed command can be written:" in advice and "version.os-state-mismatch: generalize the VM" in advice


def test_a_fixed_command_comes_first_with_what_to_run_before_it():
    fixed = Report(REQUEST, REPORT.findings, fix={"command": "az sig image-version create -g rg --fixed",
                                                  "powershell": None,
                                                  "details": {"edits": [], "unresolved": [], "before": [
                                                      {"command": "az group create -n rg -l eastus"}]}})
    advice = "\n".join(checks_gate.stopped_error(fixed, "version", "error").recommendations).splitlines()
    assert advice[:3] == ["First: az group create -n rg -l eastus",
                          "Fixed command (every finding's fix applied, your other options kept):",
                          "  az sig image-version create -g rg --fixed"]


def test_fail_on_warning_stops_on_warnings_too():
    text = str(checks_gate.stopped_error(REPORT, "version", "warning"))
    assert "(2 finding(s))" in text and "[version.replica-count-high]" in text


def test_dry_run_summary_is_the_check_report():
    summary = checks_gate.summary(REPORT)
    assert summary["summary"]["fail"] == 1 and summary["summary"]["warn"] == 1
    assert checks_gate.summary(None) is None
