"""The command functions behind `az sig doctor latest` and `az sig doctor scan`."""

from knack.log import get_logger

logger = get_logger(__name__)

# Subscriptions Resource Graph can query (a disabled or deleted subscription holds nothing to use).
_USABLE_STATES = ("enabled", "warned", "pastdue")


# ---- az sig doctor latest -------------------------------------------------------------------------

def latest(cmd, resource_group_name, gallery_name, gallery_image_name, locations=None):
    from azext_sig_doctor.create import client as gallery
    from azext_sig_doctor.domain import regions
    from azext_sig_doctor.estate import inventory, latest as resolution, model
    sdk = gallery.gallery_client(cmd.cli_ctx)
    try:
        items = gallery.list_versions(sdk, resource_group_name, gallery_name, gallery_image_name)
    except Exception as error:  # pylint: disable=broad-except
        raise _read_error(error, "the versions of image definition '{}/{}' in resource group '{}'".format(
            gallery_name, gallery_image_name, resource_group_name)) from None
    versions = [item for item in (model.gallery_resource(data) for data in items) if isinstance(item, model.Version)]
    # One list call; a version's region states are read only when its provisioning state leaves them open.
    inventory.read_replication([v for v in versions if resolution.needs_replication_state(v)],
                               inventory.reader_for(cmd.cli_ctx))
    wanted = regions.unique([regions.key(name) for name in locations or [] if regions.key(name)]) \
        or resolution.regions_of(versions)
    if not versions:
        logger.warning("Image definition '%s/%s' has no versions: latest resolves to nothing anywhere.",
                       gallery_name, gallery_image_name)
    rows = [resolution.resolve(versions, region).to_dict() for region in wanted]
    uncertain = [row["region"] for row in rows if row["unverified"]]
    if uncertain:
        logger.warning("Latest could not be decided for sure in %s: the replication state of some versions could "
                       "not be read (see 'unverified'). Grant read access to the versions and run it again.",
                       ", ".join(uncertain))
        from azext_sig_doctor.checks.cli import exit_after_output
        exit_after_output(cmd.cli_ctx, 1)
    return rows


def _read_error(error, what):
    from azure.cli.core import azclierror
    status = getattr(error, "status_code", None)
    code = getattr(getattr(error, "error", None), "code", None)
    if status == 404:
        return azclierror.ResourceNotFoundError("Could not read {}: {}.".format(what, code or "not found"),
                                                "Check -g, -r and -i: `az sig image-definition list -g <resource "
                                                "group> -r <gallery> -o table` lists the definitions.")
    if status in (401, 403):
        return azclierror.UnauthorizedError("No read access to {} ({}).".format(what, code or status),
                                            "Ask for a role with read access (Reader) on the gallery.")
    return azclierror.AzureResponseError("Could not read {}: {}".format(what, code or type(error).__name__),
                                         "Run the command again; add --debug to see the service's answer.")


# ---- az sig doctor scan ---------------------------------------------------------------------------

def scan(cmd, subscriptions=None, management_group=None, stuck_after=None, fail_on=None, report_format=None,
         report_file=None):
    from azext_sig_doctor.create.replication import parse_duration
    from azext_sig_doctor.estate import graph, inventory, progress, report, scan as scanning
    fail_on = fail_on or report.DEFAULT_FAIL_ON
    # The options were validated by az (_validators: the scope, the report file, --stuck-after in seconds).
    threshold = parse_duration(stuck_after) if stuck_after is not None else scanning.DEFAULT_STUCK_AFTER
    if management_group:
        scope = scanning.Scope(management_group=management_group, source="management group")
    elif subscriptions:
        scope = scanning.Scope(subscriptions=_unique(subscriptions), source="given")
    else:
        scope = scanning.Scope(subscriptions=_readable_subscriptions(cmd.cli_ctx), source="readable")
        if not scope.subscriptions:
            logger.warning("The login lists no usable subscription, so there is nothing to scan. Name them with "
                           "--subscriptions, or scan a --management-group.")
    client = graph.GraphClient(graph.CliTransport(cmd.cli_ctx))
    result = scanning.run(client, inventory.reader_for(cmd.cli_ctx), scope, stuck_after=threshold,
                          progress=progress.make(cmd.cli_ctx))
    if report_format:
        _write(result, report_format, report_file, fail_on)
    _warn_unverified(result)
    code = result.exit_code(fail_on)
    if code:
        from azext_sig_doctor.checks.cli import exit_after_output
        exit_after_output(cmd.cli_ctx, code)
    return result.to_dict()


def _unique(values):
    seen, result = set(), []
    for value in values:
        if value.lower() not in seen:
            seen.add(value.lower())
            result.append(value)
    return result


def _readable_subscriptions(cli_ctx):
    """Every usable subscription the login can read in its tenant (one ARM list call)."""
    from azure.cli.core import azclierror
    from azext_sig_doctor._client_factory import cf_subscription
    client = cf_subscription(cli_ctx)
    try:
        found = [(sub.subscription_id, str(getattr(sub.state, "value", sub.state) or "").lower())
                 for sub in client.subscriptions.list()]
    except Exception as ex:  # pylint: disable=broad-except
        raise azclierror.AzureResponseError("Could not list the subscriptions to scan: {}".format(
            getattr(getattr(ex, "error", None), "code", None) or type(ex).__name__),
            "Name them with --subscriptions, or scan a --management-group.") from None
    return [sub for sub, state in found if state in _USABLE_STATES]


def _write(result, report_format, path, fail_on):
    from azext_sig_doctor.checks.cli import write_report_file
    from azext_sig_doctor.estate.report import write_junit, write_sarif
    write_report_file(result, report_format, path, fail_on, writers=(write_sarif, write_junit))


def _warn_unverified(result):
    unverified = result.unverified()
    if not unverified:
        return
    reasons = sorted({item["detail"] for item in unverified})
    logger.warning("%d rule outcome(s) could not be verified, so this scan does not cover them: %s. Grant the "
                   "identity read access (Reader) to what it could not read, and run the scan again.",
                   len(unverified), "; ".join(reasons[:3]) + (" ..." if len(reasons) > 3 else ""))
