"""Argument validators of ``az sig doctor``, attached with ``validator=`` in ``_params.py``.

az runs them after parsing the command line and before the command function, as it runs the core
commands' validators: a value that cannot work is refused with the option's name and what to give
instead, before anything is read or sent. A validator gets the parsed namespace (so it can look at a
pair of options) and changes only the values it normalises (a duration becomes seconds). Errors are
``azclierror`` classes with their recommendation.

Imported when az loads the arguments of a doctor command: nothing heavy at module level.
"""

import os
import re

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


# ---- durations: --timeout, --stall-timeout, --poll-interval, --stuck-after -----------------------

def _duration(dest, option):
    """A validator turning the duration ``option`` (namespace attribute ``dest``) into seconds."""
    def validate(namespace):
        value = getattr(namespace, dest, None)
        if value is None:
            return
        from azure.cli.core.azclierror import InvalidArgumentValueError
        from azext_sig_doctor.create.replication import parse_duration
        try:
            setattr(namespace, dest, parse_duration(value))
        except InvalidArgumentValueError as error:
            raise InvalidArgumentValueError("{} {}".format(option, error.error_msg), error.recommendations) from None
    validate.__name__ = "validate_" + dest
    validate.__doc__ = "{}: seconds, or a number with s, m, h or d.".format(option)
    return validate


validate_timeout = _duration("timeout", "--timeout")
validate_stall_timeout = _duration("stall_timeout", "--stall-timeout")
validate_poll_interval = _duration("interval", "--poll-interval")
validate_stuck_after = _duration("stuck_after", "--stuck-after")


# ---- the pipeline report: --report-format with --report-file --------------------------------------

def validate_report_file(namespace):
    """--report-format and --report-file go together, and the file can be written where it is named
    (its folder exists, and it is not a folder itself)."""
    from azure.cli.core.azclierror import FileOperationError, RequiredArgumentMissingError
    report_format, path = getattr(namespace, "report_format", None), getattr(namespace, "report_file", None)
    if bool(report_format) != bool(path):
        raise RequiredArgumentMissingError("--report-format and --report-file go together.",
                                           "Give both, e.g. --report-format sarif --report-file checks.sarif")
    if not path:
        return
    if os.path.isdir(path):
        raise FileOperationError("--report-file '{}' is a folder.".format(path),
                                 "Name the file to write, e.g. --report-file {}".format(
                                     os.path.join(path, "sig-doctor." + ("xml" if report_format == "junit"
                                                                         else "sarif"))))
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileOperationError("--report-file '{}': the folder '{}' does not exist.".format(path, folder),
                                 "Create the folder first, or write the report to an existing one.")


# ---- guarded creates and replication -------------------------------------------------------------

def validate_skip_checks(namespace):
    """--report-format reports the pre-checks: it makes no sense with --skip-checks."""
    if getattr(namespace, "skip_checks", False) and getattr(namespace, "report_format", None):
        from azure.cli.core.azclierror import MutuallyExclusiveArgumentError
        raise MutuallyExclusiveArgumentError(
            "--report-format reports the pre-checks, which --skip-checks skips.",
            "Drop --skip-checks to get the report, or drop --report-format/--report-file.")


def validate_wait(namespace):
    """--wait follows one image version: -e is needed."""
    if getattr(namespace, "wait", False) and not getattr(namespace, "gallery_image_version", None):
        from azure.cli.core.azclierror import RequiredArgumentMissingError
        raise RequiredArgumentMissingError("--wait follows one image version.",
                                           "Add -e VERSION, or leave out --wait for a summary of every version.")


# ---- the estate scan ----------------------------------------------------------------------------

def validate_scan_scope(namespace):
    """Either subscription ids or one management group."""
    from azure.cli.core.azclierror import InvalidArgumentValueError, MutuallyExclusiveArgumentError
    subscriptions = getattr(namespace, "subscriptions", None) or []
    if subscriptions and getattr(namespace, "management_group", None):
        raise MutuallyExclusiveArgumentError("--subscriptions and --management-group exclude each other.",
                                             "Scan either a list of subscriptions or one management group.")
    bad = [value for value in subscriptions if not _GUID.match(value)]
    if bad:
        raise InvalidArgumentValueError("--subscriptions takes subscription ids; not one: {}".format(
            ", ".join("'{}'".format(value) for value in bad[:3])),
            "List them with `az account list --query \"[].id\" -o tsv`.")


# ---- the knowledge base -------------------------------------------------------------------------

def validate_error_show(namespace):
    """`error show` takes --id or --code, one of them."""
    entry_id, code = getattr(namespace, "entry_id", None), getattr(namespace, "code", None)
    if entry_id and code:
        from azure.cli.core.azclierror import MutuallyExclusiveArgumentError
        raise MutuallyExclusiveArgumentError("--id and --code exclude each other.",
                                             "Show one entry with --id, or every entry an ARM code names with "
                                             "--code.")
    if not (entry_id or code):
        from azure.cli.core.azclierror import RequiredArgumentMissingError
        raise RequiredArgumentMissingError("Give --id (an entry id) or --code (an ARM error code).",
                                           "List the ids with: az sig doctor error list -o table")
