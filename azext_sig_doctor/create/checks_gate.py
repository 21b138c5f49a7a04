"""The pre-checks in front of a create: run them, write the report file, stop before any write.

The checks are those of ``az sig doctor check-*`` on the same typed request (``checks.run``), so
``--fail-on`` and ``--report-format/--report-file`` behave exactly as they do there, and a create
the checks stop says the fixed command to run instead.
"""

from knack.log import get_logger

logger = get_logger(__name__)

_PROBLEMS = ("fail", "warn")


def run_checks(cmd, request, line, fail_on="unverified", report_format=None, report_file=None):
    """The checks' Report; raises a ValidationError listing the findings when they reach ``fail_on``."""
    from azext_sig_doctor import checks
    from azext_sig_doctor.checks.cli import warn_unverified, write_report_file
    report = checks.run(cmd, request, offline=False, line=line)
    warn_unverified(report, fail_on)
    kind = request.kind
    if report_format:
        write_report_file(report, report_format, report_file, fail_on)
    if report.failed(fail_on):
        raise stopped_error(report, kind, fail_on)
    for finding in report.findings:
        if finding["status"] in _PROBLEMS:
            logger.warning("check %s (%s): %s", finding["rule"], finding["error_id"], finding["detail"])
    return report


def stopped_error(report, kind, fail_on):
    """The error that stops a create: what each blocking check found, then the fixed command (or why
    there is none) and each finding's fix and commands."""
    from azure.cli.core.azclierror import ValidationError
    from azext_sig_doctor.checks.report import FAIL_ON
    from azext_sig_doctor.domain import markers
    levels = FAIL_ON[fail_on]
    blocking = [finding for finding in report.findings if finding["status"] in levels]
    lines = [markers.checks_stopped(len(blocking))]
    lines += [markers.check_line(finding["error_id"], finding["title"], finding["detail"]) for finding in blocking]
    advice = []
    fix = report.to_dict()
    if fix["fixed_command"]:
        details = fix["fix_details"] or {}
        for step in details.get("before") or []:
            advice.append("{} {}".format(markers.FIRST, step["command"]))
        advice.append(markers.FIXED_COMMAND + " (every finding's fix applied, your other options kept):")
        advice.append("  " + fix["fixed_command"])
    elif (fix["fix_details"] or {}).get("unresolved"):
        advice.append("No fixed command can be written:")
        advice += ["  {}: {}".format(item["error_id"], item["reason"]) for item in fix["fix_details"]["unresolved"]]
    for finding in blocking:
        advice.append("{}: {}".format(finding["error_id"], finding["fix"] or finding["title"]))
        advice += ["  " + " ".join(command.split()) for command in finding.get("commands") or []]
    advice.append("{} az sig doctor check-{} with the same arguments; to create anyway: --skip-checks."
                  .format(markers.FULL_REPORT, kind))
    return ValidationError("\n".join(lines), "\n".join(advice))


def summary(report):
    """What ``--dry-run`` shows of the checks: the report as ``check-*`` prints it."""
    return None if report is None else report.to_dict()
