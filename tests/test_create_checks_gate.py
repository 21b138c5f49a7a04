"""What stops a create: the checks' findings at the --fail-on level, reported as one CLI error."""

import pytest
from azure.cli.core.azclierror import InvalidArgumentValueError, RequiredArgumentMissingError, ValidationError

from azext_sig_doctor.checks.report import Report
from azext_sig_doctor.create import checks_gate


def finding(status, error_id, detail, commands=()):
    return {"rule": error_id.replace(".", "-"), "status": status, "error_id": error_id, "title": "Title of " + error_id,
            "detail": detail, "fix": "Fix for " + error_id if status in ("fail", "warn") else "",
            "commands": list(commands), "values": {}}


REPORT = Report({"kind": "version", "gallery": "gal"}, [
    finding("pass", "version.ok", "fine"),
    finding("warn", "version.replica-count-high", "60 replicas in eastus"),
    finding("fail", "version.os-state-mismatch", "source is Specialized",
            ["az vm generalize   --ids "
             "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/v"]),
])


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


def test_fail_on_warning_stops_on_warnings_too():
    text = str(checks_gate.stopped_error(REPORT, "version", "warning"))
    assert "(2 finding(s))" in text and "[version.replica-count-high]" in text


def test_doctor_options_are_validated():
    with pytest.raises(InvalidArgumentValueError):
        checks_gate.validate_options("sometimes", None, None)
    with pytest.raises(RequiredArgumentMissingError):
        checks_gate.validate_options("error", "sarif", None)
    checks_gate.validate_options("never", "junit", "report.xml")


def test_dry_run_summary_is_the_check_report():
    summary = checks_gate.summary(REPORT)
    assert summary["summary"]["fail"] == 1 and summary["summary"]["warn"] == 1
    assert checks_gate.summary(None) is None
