"""Long-running operations and per-region replication over emulated time."""

from .store import region_key

EXCEEDS_MAX_SIZE = "The GalleryImageVersion source resource size {size} exceeds the max size {max} supported."


def target_regions(resource):
    profile = resource.get("properties", {}).get("publishingProfile") or {}
    regions = [region.get("name", "") for region in profile.get("targetRegions") or []]
    return regions or [resource.get("location", "")]


def _failure_reason(state, record, key):
    if key in state.replication.fail_regions:
        return state.replication.fail_regions[key] or None, True
    size = record.meta.get("source_size_gb", 0)
    profile = record.resource.get("properties", {}).get("publishingProfile") or {}
    limit = state.replication.max_source_size_gb
    if size > limit and (profile.get("replicationMode") or "Full") != "Shallow":
        return EXCEEDS_MAX_SIZE.format(size=size, max=limit), True
    return None, False


def region_statuses(state, record, now):
    """replicationStatus.summary of a version at emulated time `now`."""
    overrides = {region_key(k): v for k, v in (record.meta.get("replication") or {}).items()}
    starts = record.meta.get("region_start") or {}
    default_start = record.meta.get("replication_start", float("-inf"))
    seconds = max(state.replication.seconds, 1e-9)
    summary = []
    for name in target_regions(record.resource):
        key = region_key(name)
        if key in overrides:
            fixed = overrides[key]
            summary.append({"region": name, "state": fixed.get("state", "Completed"),
                            "details": fixed.get("details", ""),
                            "progress": int(fixed.get("progress", 100))})
            continue
        fraction = (now - starts.get(key, default_start)) / seconds
        progress = 100 if fraction >= 1 else max(0, int(fraction * 100))
        reason, fails = _failure_reason(state, record, key)
        if key in state.replication.stall_regions:
            summary.append({"region": name, "state": "Replicating", "details": "",
                            "progress": min(progress, state.replication.stall_at)})
        elif fails and fraction >= 0.5:
            details = f"Replication failed in this region due to '{reason.rstrip('.')}'" \
                if reason else \
                "Replication job not completed."
            summary.append({"region": name, "state": "Failed", "details": details,
                            "progress": 50})
        elif fraction >= 1 and not fails:
            summary.append({"region": name, "state": "Completed", "details": "", "progress": 100})
        else:
            summary.append({"region": name, "state": "Replicating", "details": "",
                            "progress": min(progress, 99)})
    return summary


def aggregated_state(summary):
    states = {item["state"] for item in summary}
    if states <= {"Completed"}:
        return "Completed"
    if "Replicating" in states or "Unknown" in states:
        return "InProgress"
    return "Failed"


def replication_error(state, record, summary):
    failed = [item for item in summary if item["state"] == "Failed"]
    if not failed:
        return None
    size = record.meta.get("source_size_gb", 0)
    if size > state.replication.max_source_size_gb:
        return {"code": "GallerySourceResourceExceedsMaxSize",
                "message": EXCEEDS_MAX_SIZE.format(size=size,
                                                   max=state.replication.max_source_size_gb)}
    reasons = [state.replication.fail_regions.get(region_key(item["region"])) for item in failed]
    if not any(reasons):
        return {"code": "CrpPirReplicationJobsNotCompleted",
                "message": f"Replication job not completed at region: "
                           f"{region_key(failed[0]['region'])}"}
    regions = ", ".join(region_key(item["region"]) for item in failed)
    return {"code": "GalleryReplicationJobsFailed",  # guessed code
            "message": f"Gallery replication jobs failed in one or more regions: '{regions}'. "
                       f"{failed[0]['details']} If retry does not work, then please do an update "
                       f"by removing the failed regions and update again by adding them back.",
            "details": [{"code": "ReplicationFailed", "target": item["region"],  # guessed code
                         "message": item["details"]} for item in failed]}


def operation_status(state, operation, now):
    """(status, error) of an operation at emulated time `now`."""
    if operation.error:
        return "Failed", operation.error
    record = state.resources.get(operation.resource_key)
    is_version = operation.resource_key.count("/versions/") == 1
    if operation.kind != "delete" and is_version and record is not None:
        summary = region_statuses(state, record, now)
        aggregate = aggregated_state(summary)
        if aggregate == "InProgress":
            return "InProgress", None
        if aggregate == "Failed":
            return "Failed", replication_error(state, record, summary)
        return "Succeeded", None
    if now - operation.start >= operation.duration:
        return "Succeeded", None
    return "InProgress", None


def provisioning_state(state, record, now):
    """What a GET shows while the resource's last operation is (or is not) running."""
    operation = state.operations.get(record.meta.get("operation_id", ""))
    if operation is None:
        return record.resource.get("properties", {}).get("provisioningState", "Succeeded")
    status, _ = operation_status(state, operation, now)
    if status == "InProgress":
        if operation.kind == "delete":
            return "Deleting"
        return "Creating" if operation.kind == "put" and record.meta.get("created") else "Updating"
    return "Succeeded" if status == "Succeeded" else "Failed"
