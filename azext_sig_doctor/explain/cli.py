"""The command function behind ``az sig doctor explain``: arguments in, findings out.

The findings are the command's result (JSON, table, YAML ... as the user chose). A person at a
terminal also gets a short readable report on standard error, so piping ``-o json`` stays clean.
"""

import sys

from knack.log import get_logger

logger = get_logger(__name__)
_REPORT_FORMATS = ("json", "jsonc")


def _fail(error_class, message, recommendation):
    raise error_class(message, recommendation)


def explain(cmd, log=None, message=None):
    from azure.cli.core.azclierror import (FileOperationError, MutuallyExclusiveArgumentError,
                                           RequiredArgumentMissingError)
    from azext_sig_doctor import explain as engine

    if log is not None and message is not None:
        _fail(MutuallyExclusiveArgumentError, "Use either --log or --message, not both.",
              "Pass a log file with --log (or '-' for standard input), or a pasted error with --message.")
    nothing_given = ("Nothing to explain: give --log or --message, or pipe a log in.",
                     "Example: az sig doctor explain --log create.log, or --message \"<the error text>\", "
                     "or: terraform apply 2>&1 | az sig doctor explain")
    implicit_stdin = log is None and message is None
    if implicit_stdin:
        if _isatty(sys.stdin):
            _fail(RequiredArgumentMissingError, *nothing_given)
        log = "-"  # piped in: `terraform apply 2>&1 | az sig doctor explain`
    if log is not None and not log.strip():
        _fail(RequiredArgumentMissingError, "--log needs a file name (or '-' for standard input).", None)
    try:
        result = engine.explain_source(log) if log is not None else engine.explain_text(message)
    except engine.InputError as exc:
        _fail(FileOperationError, str(exc), exc.recommendation)
    except KeyboardInterrupt:
        from azext_sig_doctor import interrupted
        from azure.cli.core.azclierror import ManualInterrupt
        source = "standard input" if log == "-" else "the log" if log is not None else "the message"
        interrupted.exit(ManualInterrupt("Stopped reading {}: nothing was explained. explain only reads what it is "
                                         "given; it sends nothing and changes nothing.".format(source)))
    except (MemoryError, RecursionError) as exc:
        _fail(FileOperationError, "The input could not be processed ({}).".format(type(exc).__name__),
              "Cut the log down to the failed command and try again.")
    if result.bytes_read == 0 and implicit_stdin:
        _fail(RequiredArgumentMissingError, *nothing_given)
    if result.bytes_read == 0:
        logger.warning("The input is empty: nothing to explain.")
    elif not result.findings:
        logger.warning("No failed gallery operation was found in the input.")
    if result.skipped:
        logger.warning("%d part(s) of the input could not be parsed and were skipped.", result.skipped)
    if result.dropped:
        logger.warning("%d more distinct errors were not listed.", result.dropped)
    _report_to_terminal(cmd, result)
    return with_language(result.findings)


def with_language(findings):
    """Each finding says the language its words are in (the output stays a list of findings)."""
    from azext_sig_doctor.i18n import current
    language = current()
    for finding in findings:
        finding["language"] = language
    return findings


def _report_to_terminal(cmd, result):
    """Write the human report to stderr only for a person looking at JSON in a terminal."""
    data = getattr(getattr(cmd.cli_ctx, "invocation", None), "data", None) or {}
    if data.get("output") not in _REPORT_FORMATS or data.get("query_active") or not result.findings:
        return
    if not (_isatty(sys.stdout) and _isatty(sys.stderr)):
        return
    from azext_sig_doctor.explain import render
    sys.stderr.write(render.report(result.findings, result.bytes_read) + "\n\n")


def _isatty(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
