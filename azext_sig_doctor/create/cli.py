"""The command functions behind ``create-gallery``, ``create-definition``, ``create-version`` and
``replication``; ``custom.py`` hands its arguments over unchanged."""

import contextlib

from knack.log import get_logger

from azext_sig_doctor.create import follow, replication, runner, status

logger = get_logger(__name__)

# Accepted by `az sig image-definition create` but left out of the body it sends (azure-cli 2.91).
_UNSENT_DEFINITION_OPTIONS = ("description", "privacy_statement_uri", "release_note_uri")

# Options of the doctor itself, not of the core command it mirrors.
_DOCTOR_OPTIONS = ("cmd", "skip_checks", "fail_on", "dry_run", "no_wait", "timeout", "stall_timeout", "interval",
                   "report_format", "report_file")


def _core_arguments(arguments):
    return {key: value for key, value in arguments.items() if key not in _DOCTOR_OPTIONS}


def create(kind, arguments):
    cmd = arguments["cmd"]
    if kind == "definition":
        unsent = [name for name in _UNSENT_DEFINITION_OPTIONS if arguments.get(name)]
        if unsent:
            logger.warning("Like az sig image-definition create, the doctor does not send %s; set them afterwards "
                           "with az sig image-definition update --set.",
                           ", ".join("--" + name.replace("_", "-") for name in unsent))
    follow_replication = None
    if kind == "version":
        timeout = _seconds(arguments.get("timeout"), replication.DEFAULT_TIMEOUT)
        stall_timeout = _seconds(arguments.get("stall_timeout"), replication.DEFAULT_STALL_TIMEOUT)
        interval = _seconds(arguments.get("interval"), replication.DEFAULT_INTERVAL)

        def follow_replication(command, request, poller, body):
            names = request.names
            target = follow.Target(names["resource_group"], names["gallery"], names["image"], names["version"],
                                   subscription=request.typed_subscription,
                                   subscription_id=request.request.subscription,
                                   command_words=request.command_words)
            return follow.follow_version(command, target, timeout=timeout, stall_timeout=stall_timeout,
                                         interval=interval, operation=poller, request_body=body)
    with _masked_output():
        return _masked(runner.run(cmd, kind, _core_arguments(arguments), skip_checks=bool(arguments.get("skip_checks")),
                                  fail_on=arguments.get("fail_on"), dry_run=bool(arguments.get("dry_run")),
                                  no_wait=bool(arguments.get("no_wait")), follow=follow_replication,
                                  report_format=arguments.get("report_format"),
                                  report_file=arguments.get("report_file")))


def replication_status(cmd, resource_group_name, gallery_name, gallery_image_name, gallery_image_version=None,
                       wait=False, timeout=None, stall_timeout=None, interval=None):
    try:
        with _masked_output():
            return _masked(status.show(cmd, resource_group_name, gallery_name, gallery_image_name,
                                       gallery_image_version, wait=wait, timeout=timeout, stall_timeout=stall_timeout,
                                       interval=interval))
    except KeyboardInterrupt:
        # Following (--wait) says how to resume; a plain read has nothing to resume.
        from azure.cli.core.azclierror import ManualInterrupt
        from azext_sig_doctor import interrupted
        interrupted.exit(ManualInterrupt("Stopped reading the replication status: nothing was changed (replication "
                                         "only reads)."))


def _masked(result):
    """What Azure sends back may echo a secret the request held (a VHD's SAS signature): never printed."""
    from azext_sig_doctor.secrets import mask_value
    return mask_value(result)


@contextlib.contextmanager
def _masked_output():
    """Errors leave with their texts masked too: Azure's message may echo a secret of the request,
    and an error az would print as it is (a read refused while following) becomes its CLI error."""
    from azure.cli.core.azclierror import AzCLIError
    from azure.core.exceptions import HttpResponseError
    from azext_sig_doctor import secrets
    try:
        yield
    except AzCLIError as error:
        secrets.mask_error(error)
        raise
    except HttpResponseError as error:
        from azext_sig_doctor.create import errors
        raise secrets.mask_error(errors.cli_error(error)) from None


def _seconds(value, default):
    return default if value is None else replication.parse_duration(value)
