"""The command functions behind `az sig doctor check-*`: build the spec, run, write, set the exit code."""

from azext_sig_doctor.checks.report import FAIL_ON

_DOCTOR_OPTIONS = ("cmd", "fail_on", "offline", "report_format", "report_file")


def subscription_of(cmd, offline=False):
    """The current subscription id; None when offline and not logged in (offline needs no login)."""
    from azure.cli.core.commands.client_factory import get_subscription_id
    try:
        return get_subscription_id(cmd.cli_ctx)
    except Exception as ex:  # pylint: disable=broad-except
        if offline:
            return None
        from azure.cli.core.azclierror import UnauthorizedError
        error = UnauthorizedError("The live checks need a login: {}".format(ex))
        error.set_recommendation("Run 'az login' (and 'az account set -s <subscription>'), or add --offline "
                                 "to check the arguments alone.")
        raise error from None


def spec_for(cmd, kind, arguments, offline=False):
    """The normalised spec of ``kind`` from a guarded command's arguments (doctor options ignored)."""
    from azext_sig_doctor.checks.spec import SPEC_BUILDERS
    core = {key: value for key, value in arguments.items() if key not in _DOCTOR_OPTIONS}
    core["subscription"] = subscription_of(cmd, offline)
    return SPEC_BUILDERS[kind](**core)


def _validate_options(fail_on, report_format, report_file):
    from azure.cli.core.azclierror import InvalidArgumentValueError, RequiredArgumentMissingError
    if fail_on not in FAIL_ON:
        error = InvalidArgumentValueError("--fail-on must be one of {}, got '{}'".format(", ".join(FAIL_ON), fail_on))
        error.set_recommendation("Use --fail-on error (default), warning or never.")
        raise error
    if bool(report_format) != bool(report_file):
        error = RequiredArgumentMissingError("--report-format and --report-file go together")
        error.set_recommendation("Give both, e.g. --report-format sarif --report-file checks.sarif")
        raise error


def write_report_file(report, report_format, path, fail_on):
    from azure.cli.core.azclierror import FileOperationError
    from azext_sig_doctor.checks.junit import write_junit
    from azext_sig_doctor.checks.sarif import write_sarif
    try:
        if report_format == "sarif":
            write_sarif(report, path)
        else:
            write_junit(report, path, fail_on)
    except OSError as ex:
        error = FileOperationError("cannot write the {} report to '{}': {}".format(report_format, path, ex.strerror))
        error.set_recommendation("Check that the folder exists and is writable.")
        raise error from None


def exit_after_output(cli_ctx, code):
    """Make `az` exit with ``code`` once it has printed the command's output.

    The CLI prints a command's result and then raises EVENT_CLI_SUCCESSFUL_EXECUTE; leaving
    from that event keeps the report on stdout and still gives pipelines a failing exit code.
    """
    from knack.events import EVENT_CLI_SUCCESSFUL_EXECUTE

    def _leave(_cli_ctx, **_kwargs):
        raise SystemExit(code)
    cli_ctx.register_event(EVENT_CLI_SUCCESSFUL_EXECUTE, _leave)


def check(cmd, kind, arguments):
    from azext_sig_doctor import checks
    fail_on = arguments.get("fail_on") or "error"
    offline = bool(arguments.get("offline"))
    _validate_options(fail_on, arguments.get("report_format"), arguments.get("report_file"))
    spec = spec_for(cmd, kind, arguments, offline)
    report = checks.run(cmd, kind, spec, offline=offline)
    if arguments.get("report_format"):
        write_report_file(report, arguments["report_format"], arguments["report_file"], fail_on)
    warn_unverified(report)
    code = report.exit_code(fail_on)
    if code:
        exit_after_output(cmd.cli_ctx, code)
    return report.to_dict()


def warn_unverified(report):
    """Say on stderr when rules could not run for lack of access: a pass of the gate is then partial."""
    unverified = report.unverified()
    if not unverified:
        return
    from knack.log import get_logger
    reasons = sorted({f["detail"] for f in unverified})
    get_logger(__name__).warning(
        "%d live rule(s) could not run, so this report does not cover them: %s. Grant the identity read "
        "access (Reader) to those resources, or expect Azure to decide them during the create.",
        len(unverified), "; ".join(reasons[:3]) + (" ..." if len(reasons) > 3 else ""))
