"""The argument validators (`_validators.py`): each refuses what cannot work, naming the option and
what to give instead, and az runs it before the command does anything (nothing is read or sent)."""

import argparse

import pytest
from azure.cli.core.azclierror import (FileOperationError, InvalidArgumentValueError, MutuallyExclusiveArgumentError,
                                       RequiredArgumentMissingError)

from azext_sig_doctor import _validators
from tests.test_create_e2e import RG, VM_ID

GUID = "00000000-0000-0000-0000-000000000001"


def namespace(**values):
    return argparse.Namespace(**values)


@pytest.mark.parametrize("text,seconds", [("90", 90.0), ("90s", 90.0), ("30m", 1800.0), ("6h", 21600.0),
                                          ("1d", 86400.0), ("0.5", 0.5)])
def test_durations_become_seconds(text, seconds):
    given = namespace(timeout=text, stall_timeout=None)
    _validators.validate_timeout(given)
    _validators.validate_stall_timeout(given)
    assert given.timeout == seconds and given.stall_timeout is None


@pytest.mark.parametrize("text", ["soon", "0", "-5m", "6 hours", "1w"])
def test_a_duration_that_is_not_one_names_its_option(text):
    with pytest.raises(InvalidArgumentValueError) as raised:
        _validators.validate_stuck_after(namespace(stuck_after=text))
    assert raised.value.error_msg == "--stuck-after '{}' is not a duration.".format(text)
    assert raised.value.recommendations == ["Give seconds (900) or a number with s, m, h or d (15m, 6h)."]


def test_report_format_and_file_go_together(tmp_path):
    with pytest.raises(RequiredArgumentMissingError):
        _validators.validate_report_file(namespace(report_format="sarif", report_file=None))
    with pytest.raises(RequiredArgumentMissingError):
        _validators.validate_report_file(namespace(report_format=None, report_file=str(tmp_path / "a.sarif")))
    _validators.validate_report_file(namespace(report_format=None, report_file=None))
    _validators.validate_report_file(namespace(report_format="junit", report_file=str(tmp_path / "checks.xml")))


def test_a_report_file_is_written_where_a_file_can_be(tmp_path):
    with pytest.raises(FileOperationError) as raised:
        _validators.validate_report_file(namespace(report_format="junit", report_file=str(tmp_path)))
    assert "is a folder" in raised.value.error_msg
    assert raised.value.recommendations == ["Name the file to write, e.g. --report-file {}".format(
        tmp_path / "sig-doctor.xml")]
    missing = tmp_path / "nowhere" / "checks.sarif"
    with pytest.raises(FileOperationError) as raised:
        _validators.validate_report_file(namespace(report_format="sarif", report_file=str(missing)))
    assert "the folder '{}' does not exist".format(tmp_path / "nowhere") in raised.value.error_msg


def test_skip_checks_has_no_report():
    with pytest.raises(MutuallyExclusiveArgumentError):
        _validators.validate_skip_checks(namespace(skip_checks=True, report_format="sarif"))
    _validators.validate_skip_checks(namespace(skip_checks=True, report_format=None))
    _validators.validate_skip_checks(namespace(skip_checks=False, report_format="sarif"))


def test_wait_follows_one_version():
    with pytest.raises(RequiredArgumentMissingError):
        _validators.validate_wait(namespace(wait=True, gallery_image_version=None))
    _validators.validate_wait(namespace(wait=True, gallery_image_version="1.0.0"))
    _validators.validate_wait(namespace(wait=False, gallery_image_version=None))


def test_scan_scope():
    with pytest.raises(MutuallyExclusiveArgumentError):
        _validators.validate_scan_scope(namespace(subscriptions=[GUID], management_group="platform"))
    with pytest.raises(InvalidArgumentValueError) as raised:
        _validators.validate_scan_scope(namespace(subscriptions=[GUID, "Contoso Dev"], management_group=None))
    assert "'Contoso Dev'" in raised.value.error_msg and GUID not in raised.value.error_msg
    _validators.validate_scan_scope(namespace(subscriptions=[GUID], management_group=None))
    _validators.validate_scan_scope(namespace(subscriptions=None, management_group="platform"))


def test_error_show_takes_an_id_or_a_code():
    with pytest.raises(MutuallyExclusiveArgumentError):
        _validators.validate_error_show(namespace(entry_id="version.source-too-large", code="X"))
    with pytest.raises(RequiredArgumentMissingError):
        _validators.validate_error_show(namespace(entry_id=None, code=None))
    _validators.validate_error_show(namespace(entry_id=None, code="X"))


# ---- attached to the commands: the real az refuses before the command runs --------------------------------

VERSION_LINE = ["-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "8.0.1", "--virtual-machine", VM_ID]
CASES = [
    (["create-version", *VERSION_LINE, "--timeout", "soon"], "--timeout 'soon' is not a duration."),
    (["create-version", *VERSION_LINE, "--stall-timeout", "0"], "--stall-timeout '0' is not a duration."),
    (["replication", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "1.0.0", "--wait", "--poll-interval",
      "often"], "--poll-interval 'often' is not a duration."),
    (["replication", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "--wait"], "--wait follows one image version."),
    (["scan", "--stuck-after", "never"], "--stuck-after 'never' is not a duration."),
    (["scan", "--subscriptions", "Contoso Dev"], "--subscriptions takes subscription ids; not one: 'Contoso Dev'"),
    (["scan", "--subscriptions", GUID, "--management-group", "platform"],
     "--subscriptions and --management-group exclude each other."),
    (["check-version", *VERSION_LINE, "--report-format", "sarif"], "--report-format and --report-file go together."),
    (["create-gallery", "-g", RG, "-r", "g3", "--skip-checks", "--report-format", "sarif", "--report-file",
      "g3.sarif"], "--report-format reports the pre-checks, which --skip-checks skips."),
    (["scan", "--report-format", "junit", "--report-file", "/nonexistent-folder/scan.xml"],
     "--report-file '/nonexistent-folder/scan.xml': the folder '/nonexistent-folder' does not exist."),
    (["error", "show"], "Give --id (an entry id) or --code (an ARM error code)."),
    (["error", "show", "--id", "version.source-too-large", "--code", "X"], "--id and --code exclude each other."),
]


@pytest.mark.parametrize("args,said", CASES, ids=[" ".join(args[:1] + [args[-2], args[-1]]) for args, _ in CASES])
def test_az_refuses_before_the_command_runs(emulator, az, args, said):
    emulator.load("demo.yaml")
    result = az("sig", "doctor", *args)
    assert result.exit_code == 1, result.stderr
    assert "ERROR: " + said in result.stderr
    assert "Traceback" not in result.stderr
    # Refused by the validator: the command never ran, so nothing at all was asked of Azure.
    assert [entry for entry in emulator.journal() if "/oauth2/" not in entry["path"]] == []
