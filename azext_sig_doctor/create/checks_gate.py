"""The pre-checks in front of a create: run them, write the report file, stop before any write.

The checks are those of ``az sig doctor check-*`` with the same arguments (``checks.run`` on the
spec ``checks.spec_for`` builds), so ``--fail-on`` and ``--report-format/--report-file``
behave exactly as they do there.
"""

from knack.log import get_logger

logger = get_logger(__name__)

_PROBLEMS = ("fail", "warn")


def validate_options(fail_on, report_format, report_file):
    """Bad doctor options fail before anything is read or written."""
    from azure.cli.core.azclierror import InvalidArgumentValueError, RequiredArgumentMissingError
    from azext_sig_doctor.checks.report import FAIL_ON
    if fail_on not in FAIL_ON:
        error = InvalidArgumentValueError("--fail-on must be one of {}, got '{}'.".format(", ".join(FAIL_ON), fail_on))
        error.set_recommendation("Use --fail-on error (the default), warning or never.")
        raise error
    if bool(report_format) != bool(report_file):
        error = RequiredArgumentMissingError("--report-format and --report-file go together.")
        error.set_recommendation("Give both, e.g. --report-format sarif --report-file checks.sarif.")
        raise error


def run_checks(cmd, kind, arguments, fail_on="error", report_format=None, report_file=None):
    """The checks' Report; raises a ValidationError listing the findings when they reach ``fail_on``."""
    from azext_sig_doctor import checks
    from azext_sig_doctor.checks.cli import warn_unverified, write_report_file
    spec = checks.spec_for(cmd, kind, arguments)
    report = checks.run(cmd, kind, spec, offline=False)
    warn_unverified(report)
    if report_format:
        write_report_file(report, report_format, report_file, fail_on)
    if report.failed(fail_on):
        raise stopped_error(report, kind, fail_on)
    for finding in report.findings:
        if finding["status"] in _PROBLEMS:
            logger.warning("check %s (%s): %s", finding["rule"], finding["error_id"], finding["detail"])
    return report


def stopped_error(report, kind, fail_on):
    """The error that stops a create: what each blocking check found, then its fix and commands."""
    from azure.cli.core.azclierror import ValidationError
    levels = ("fail",) if fail_on == "error" else _PROBLEMS
    blocking = [finding for finding in report.findings if finding["status"] in levels]
    lines = ["The pre-checks stopped the create before anything was written ({} finding(s)):".format(len(blocking))]
    lines += ["  [{}] {}: {}".format(finding["error_id"], finding["title"], finding["detail"]) for finding in blocking]
    error = ValidationError("\n".join(lines))
    advice = []
    for finding in blocking:
        advice.append("{}: {}".format(finding["error_id"], finding["fix"] or finding["title"]))
        advice += ["  " + " ".join(command.split()) for command in finding.get("commands") or []]
    advice.append("Full report: az sig doctor check-{} with the same arguments; to create anyway: --skip-checks."
                  .format(kind))
    error.set_recommendation("\n".join(advice))
    return error


def summary(report):
    """What ``--dry-run`` shows of the checks: the report as ``check-*`` prints it."""
    return None if report is None else report.to_dict()
