"""The command functions behind `az sig doctor check-*`: build the typed request, run, write, set the exit code."""

from knack.log import get_logger

from azext_sig_doctor.checks.registry import UNVERIFIED
from azext_sig_doctor.checks.report import DEFAULT_FAIL_ON, FAIL_ON

logger = get_logger(__name__)

_DOCTOR_OPTIONS = ("cmd", "fail_on", "offline", "report_format", "report_file", "language")


def subscription_of(cmd, offline=False):
    """The current subscription id (--subscription or the default one); None when offline and not
    logged in (offline needs no login). A subscription az does not know is an error either way."""
    from azext_sig_doctor._client_factory import subscription_id
    try:
        return subscription_id(cmd.cli_ctx)
    except Exception as ex:  # pylint: disable=broad-except
        text = str(ex)
        from azure.cli.core.azclierror import UnauthorizedError, ValidationError
        if "subscription" in text.lower() and ("not found" in text.lower() or "doesn't exist" in text.lower()):
            raise ValidationError("The subscription is not one this sign-in knows: {}".format(text),
                                  "List the subscriptions you can use with 'az account list -o table', then give "
                                  "one of them to --subscription (or sign in to its tenant: az login --tenant "
                                  "<tenant>).") from None
        if offline:
            return None
        raise UnauthorizedError("The live checks need a login: {}".format(text),
                                "Run 'az login' (and 'az account set -s <subscription>'), or add --offline to check "
                                "the arguments alone.") from None


def command_line(cmd, words):
    """The user's command line (a ``CommandLine`` of the doctor command ``words``), or None when az
    did not hand the words over (an in-process call)."""
    from azext_sig_doctor.domain.commandline import CommandLine
    argv = (cmd.cli_ctx.data or {}).get("sig_doctor_argv") if cmd is not None else None
    return CommandLine.parse(argv, words) if argv else None


def request_for(cmd, kind, arguments, offline=False, line=None):
    """The typed request of ``kind`` from a guarded command's arguments (doctor options ignored)."""
    from azext_sig_doctor.domain import request
    from azext_sig_doctor.domain.commandline import vm_command_words
    core = {key: value for key, value in arguments.items() if key not in _DOCTOR_OPTIONS}
    subscription = subscription_of(cmd, offline)
    extra = {}
    if kind == "vm":
        words = vm_command_words(line) if line is not None else (("disk", "create")
                                                                 if core.get("gallery_image_reference")
                                                                 else ("vm", "create"))
        extra["command"] = words[0]
    if kind == "definition":
        extra["latest_profile"] = getattr(cmd.cli_ctx.cloud, "profile", "latest") == "latest"
    return request.parse(kind, core, subscription, **extra)


def write_report_file(report, report_format, path, fail_on, writers=None):
    """Write ``report`` as SARIF or JUnit to ``path``; ``writers`` (``write_sarif(report, path)``,
    ``write_junit(report, path, fail_on)``) default to the checks' own (the scan passes its own)."""
    from azure.cli.core.azclierror import FileOperationError
    if writers is None:
        from azext_sig_doctor.checks.junit import write_junit
        from azext_sig_doctor.checks.sarif import write_sarif
        writers = (write_sarif, write_junit)
    write_sarif, write_junit = writers
    try:
        if report_format == "sarif":
            write_sarif(report, path)
        else:
            write_junit(report, path, fail_on)
    except OSError as ex:
        raise FileOperationError("cannot write the {} report to '{}': {}".format(report_format, path, ex.strerror),
                                 "Check that the folder exists and is writable.") from None


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
    fail_on = arguments.get("fail_on") or DEFAULT_FAIL_ON
    offline = bool(arguments.get("offline"))
    line = command_line(cmd, ("sig", "doctor", "check-" + kind))
    request = request_for(cmd, kind, arguments, offline, line)
    try:
        report = checks.run(cmd, request, offline=offline, line=line)
    except KeyboardInterrupt:
        from azure.cli.core.azclierror import ManualInterrupt
        from azext_sig_doctor import interrupted
        interrupted.exit(ManualInterrupt(
            "Stopped the checks of az sig doctor check-{}: no report was written, and nothing was changed (the "
            "checks only read).".format(kind), "Run the same command again to get the report."))
    if arguments.get("report_format"):
        write_report_file(report, arguments["report_format"], arguments["report_file"], fail_on)
    warn_unverified(report, fail_on)
    code = report.exit_code(fail_on)
    if code:
        exit_after_output(cmd.cli_ctx, code)
    return report.to_dict()


def warn_unverified(report, fail_on=DEFAULT_FAIL_ON):
    """Say on stderr when rules could not run, why, and what that does to the exit code: a gate
    that could not read what decides its outcome has not passed."""
    unverified = report.unverified()
    if not unverified:
        return
    from azext_sig_doctor.checks.fetch import REASONS
    classes = []
    for finding in unverified:
        if finding["reason"] not in classes:
            classes.append(finding["reason"])
    from azext_sig_doctor.i18n.catalog import say
    reasons = " ".join("{}: {}.".format(name, say("checks.reasons", name if name in REASONS else "error",
                                                  tenant="<tenant>")) for name in classes)
    # With failures of its own the check fails whatever the unverified rules do: no --fail-on advice.
    failing = [f for f in report.findings if f["status"] in FAIL_ON[fail_on] and f["status"] != UNVERIFIED]
    key = "unverified-and-failures" if failing else \
        "unverified-fails" if UNVERIFIED in FAIL_ON[fail_on] else "unverified-accepted"
    logger.warning("%s", say("checks.report", key, count=len(unverified), level=fail_on, reasons=reasons))
