"""``az sig doctor replication``: where a version's replication stands, or every version's of a definition."""

from azext_sig_doctor.create import client, follow, replication


def version_status(version_json, target):
    """One version's replication, region by region (``publishingProfile.targetRegions`` order).

    A failed region names the knowledge-base entry of its details (``error_id``), as the failure of
    ``create-version`` does; ``retry_commands`` retry only the failed regions a retry can fix. Keys are
    snake_case like every doctor command's; the states are Azure's words.
    """
    regions = replication.read_regions(version_json)
    properties = version_json.get("properties", version_json)
    rows = [region.to_dict() for region in regions]
    result = {
        "version": target.version,
        "provisioning_state": properties.get("provisioningState"),
        "aggregated_state": replication.aggregated_state(version_json),
        "regions": rows,
    }
    failed = [(region, row) for region, row in zip(regions, rows) if region.failed]
    if not failed:
        return result
    # The version as read stands in for the request it was created with (it has the same shape).
    findings = follow.region_findings([region for region, _ in failed], target, version_json)
    for (_, row), finding in zip(failed, findings):
        row["error_id"] = finding["id"] if finding else follow.FAILED_ENTRY
    retryable = [region for (region, _), finding in zip(failed, findings) if follow.retry_can_help(finding)]
    if retryable:
        result["retry_commands"] = target.retries(retryable, replication.home_region(version_json))
    return result


def definition_summary(sdk, resource_group, gallery, image):
    """Every version of a definition with a one-line account of its replication."""
    rows = []
    for item in client.list_versions(sdk, resource_group, gallery, image):
        name = item.get("name")
        version_json = client.get_version(sdk, resource_group, gallery, image, name)
        regions = replication.read_regions(version_json)
        rows.append({
            "version": name,
            "provisioning_state": version_json.get("properties", {}).get("provisioningState"),
            "aggregated_state": replication.aggregated_state(version_json),
            "completed_regions": sum(1 for region in regions if region.done),
            "target_regions": len(regions),
            "failed_regions": [region.region for region in regions if region.failed],
        })
    rows.sort(key=lambda row: _version_key(row["version"]))
    return {"definition": "{}/{}".format(gallery, image), "versions": rows}


def _version_key(name):
    try:
        return tuple(int(part) for part in (name or "").split("."))
    except ValueError:
        return (float("inf"),)


def show(cmd, resource_group, gallery, image, version=None, wait=False, timeout=None, stall_timeout=None,
         interval=None):
    sdk = client.gallery_client(cmd.cli_ctx)
    if version is None:  # --wait needs a version (_validators.validate_wait)
        return definition_summary(sdk, resource_group, gallery, image)
    from azext_sig_doctor.checks.cli import command_line
    line = command_line(cmd, ("sig", "doctor", "replication"))
    target = follow.Target(resource_group, gallery, image, version,
                           subscription=line.value("--subscription") if line is not None else None,
                           subscription_id=client.subscription_id(cmd.cli_ctx))
    if wait:
        follow.follow_version(cmd, target, timeout=_seconds(timeout, replication.DEFAULT_TIMEOUT),
                              stall_timeout=_seconds(stall_timeout, replication.DEFAULT_STALL_TIMEOUT),
                              interval=_seconds(interval, replication.DEFAULT_INTERVAL), sdk=sdk)
    return version_status(client.get_version(sdk, resource_group, gallery, image, version), target)


def _seconds(value, default):
    return default if value is None else replication.parse_duration(value)
