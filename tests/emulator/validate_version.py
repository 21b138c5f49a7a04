"""Service-side rules for PUT/PATCH/DELETE of an image version (publishing profile, update
rules); the source and encryption rules live in version_source.py / version_encryption.py."""

import copy
from datetime import datetime, timezone

from . import names, version_encryption, version_source
from .common import check_end_of_life, check_same_location, parse_date, property_change, \
    require_parents
from .errors import ArmError, bad_request, invalid_parameter
from .replication import region_statuses, target_regions
from .store import region_key

PROFILE = "galleryImageVersion.properties.publishingProfile"


def check_put(ctx, rid, body, existing):
    state = ctx.state
    names.check_version_name(rid.name)
    require_parents(state, rid)
    location = body.get("location") or ""
    check_same_location(rid, existing, location)
    properties = body.get("properties") or {}
    profile = properties.get("publishingProfile") or {}
    regions = _check_target_regions(state, location, profile)
    check_end_of_life(profile.get("endOfLifeDate"), "properties.publishingProfile.endOfLifeDate",
                      f"{PROFILE}.endOfLifeDate")
    if existing is not None:
        _check_update(ctx, existing, properties, regions)
    definition = state.get(rid.parent()).resource.get("properties") or {}
    facts = version_source.check(ctx, rid, location, properties, definition, regions, existing)
    version_encryption.check(ctx, rid, profile, facts, location)
    now = state.clock.now()
    old_starts = (existing.meta.get("region_start") or {}) if existing else {}
    old_regions = {region_key(r) for r in target_regions(existing.resource)} if existing else set()
    default_start = existing.meta.get("replication_start", now) if existing else now
    starts = {key: (old_starts.get(key, default_start) if key in old_regions else now)
              for key in regions}
    return {"region_start": starts, "replication_start": now,
            "source_size_gb": facts.max_size_gb if facts else 0}


def _check_target_regions(state, location, profile):
    entries = profile.get("targetRegions") or [{"name": location}]
    keys = [region_key(state.location_name(e.get("name")) or e.get("name")) for e in entries]
    if len(set(keys)) != len(keys):
        raise invalid_parameter("Duplicate regions are not allowed in target publishing regions.",
                                f"{PROFILE}.targetRegions")
    home = region_key(state.location_name(location) or location)
    if home not in keys:
        listed = ",".join(e.get("name", "") for e in entries)
        raise invalid_parameter(
            f"Gallery image version publishing profile regions '{listed}' must contain the "
            f"location of image version '{location}'.", f"{PROFILE}.targetRegions")
    _check_replica_count(profile.get("replicaCount"), f"{PROFILE}.replicaCount")
    for entry in entries:
        _check_replica_count(entry.get("regionalReplicaCount"),
                             f"{PROFILE}.targetRegions.regionalReplicaCount")
        account = entry.get("storageAccountType") or profile.get("storageAccountType") or ""
        short = state.location_name(entry.get("name"))
        if account.lower() == "standard_zrs" and short not in state.zrs_locations:
            raise invalid_parameter(  # guessed code
                "ZRS storage account type is not supported in this region.",
                f"{PROFILE}.targetRegions.storageAccountType")
    return keys


def _check_replica_count(value, path):
    if value is None:
        return
    if not 1 <= int(value) <= 100:
        raise invalid_parameter(f"The value {value} of parameter {path} is out of range. The "
                                f"value must be between 1 and 100, inclusive.", path)


def _check_update(ctx, existing, properties, regions):
    old = existing.resource.get("properties") or {}
    old_storage, new_storage = old.get("storageProfile") or {}, properties.get("storageProfile") or {}
    # The source is immutable; naming none means "unchanged" (version_source.keep_source).
    for path, before, after in version_source.source_pairs(old_storage, new_storage):
        if after and (before or "").lower() != after.lower():
            raise property_change(f"galleryImageVersion.properties.storageProfile.{path}")
    # The REST spec: replicationMode "is not updatable" (a mode left out keeps the old one). The
    # code and text are guessed, worded like the source's.
    old_mode = ((old.get("publishingProfile") or {}).get("replicationMode") or "Full").lower()
    new_mode = (properties.get("publishingProfile") or {}).get("replicationMode")
    if new_mode and new_mode.lower() != old_mode:
        raise property_change("galleryImageVersion.properties.publishingProfile.replicationMode")
    old_luns = {d.get("lun") for d in old_storage.get("dataDiskImages") or []}
    new_luns = {d.get("lun") for d in new_storage.get("dataDiskImages") or []}
    if new_storage.get("dataDiskImages") is not None and new_luns - old_luns:
        raise invalid_parameter(  # guessed code
            "Adding new Data Disks or changing the LUN of a Data Disk in an existing Image is not "
            "allowed.", "galleryImageVersion.properties.storageProfile.dataDiskImages")
    version_encryption.check_update(old.get("publishingProfile") or {},
                                    properties.get("publishingProfile") or {})
    _check_dropped_regions(ctx, existing, properties, regions)


def _check_dropped_regions(ctx, existing, properties, regions):
    safety = properties.get("safetyProfile") or {}
    if safety.get("allowDeletionOfReplicatedLocations"):
        return
    summary = region_statuses(ctx.state, existing, ctx.state.clock.now())
    replicated = [s["region"] for s in summary if s["state"] == "Completed"]
    dropped = [r for r in replicated
               if region_key(ctx.state.location_name(r) or r) not in regions]
    if dropped:
        raise bad_request(
            "BadRequest",
            f"Complete set of target locations not specified while updating gallery artifact "
            f"'{existing.resource['id']}'. Deletion of previously replicated locations is not "
            f"allowed unless safetyProfile.allowDeletionOfReplicatedLocations is set to true. "
            f"Missing locations: '{', '.join(dropped)}'.")


def complete(ctx, rid, resource, existing):
    properties = resource["properties"]
    profile = properties.setdefault("publishingProfile", {})
    profile.setdefault("targetRegions", [{"name": ctx.state.display_name(resource["location"])}])
    profile.setdefault("replicaCount", 1)
    profile.setdefault("excludeFromLatest", False)
    profile.setdefault("storageAccountType", "Standard_LRS")
    for entry in profile["targetRegions"]:
        entry["name"] = ctx.state.display_name(entry["name"])
        entry.setdefault("regionalReplicaCount", profile["replicaCount"])
        entry.setdefault("storageAccountType", profile["storageAccountType"])
        os_encryption = (entry.get("encryption") or {}).get("osDiskImage")
        if isinstance(os_encryption, dict):
            os_encryption.setdefault("securityProfile", {})   # recorded: test_gallery_e2e 1.1.3
    # Recorded (test_gallery_e2e, API 2024-03-03): every version reports these.
    safety = properties.setdefault("safetyProfile", {})
    safety.setdefault("reportedForPolicyViolation", False)
    safety.setdefault("allowDeletionOfReplicatedLocations", False)
    kept = (existing.resource.get("properties") or {}).get("validationsProfile") \
        if existing else None   # an update keeps what the service worked out (guessed)
    validations = properties.setdefault(
        "validationsProfile", copy.deepcopy(kept) or {"validationOperationStatus": "NotExecuted"})
    if existing is None:
        attributes = _platform_attributes(ctx.state, properties)
        if attributes:
            validations["platformAttributes"] = attributes
    old_profile = (existing.resource.get("properties") or {}).get("publishingProfile", {}) \
        if existing else {}
    profile["publishedDate"] = old_profile.get("publishedDate") or \
        datetime.now(timezone.utc).isoformat()
    if existing is not None:
        version_source.keep_source(existing.resource.get("properties") or {}, properties)
    version_source.fill_disk_images(ctx, properties)


def _platform_attributes(state, properties):
    """Recorded (test_image_version_create_for_diff_source): a version made from a VM that runs a
    marketplace image names that image in validationsProfile.platformAttributes (a version made
    from a managed image or another version does not)."""
    vm_id = ((properties.get("storageProfile") or {}).get("source") or {}).get("virtualMachineId")
    vm = state.get(vm_id) if vm_id else None
    if vm is None:
        return []
    image = ((vm.resource.get("properties") or {}).get("storageProfile") or {}).get(
        "imageReference") or {}
    return [{"name": f"source_image_{key}", "value": image[key]}
            for key in ("publisher", "offer", "sku") if image.get(key)]


def answer(ctx, rid, view, sent, existing):
    """The PUT's own answer (recorded: test_gallery_e2e 1.1.3 create and 1.1.2 update,
    test_gallery_specialized 1.0.0): a create shows the storage profile as sent, host caching
    filled in, the disk images, sizes and platform attributes the service works out only
    appearing once it is created; an update's answer has no validationsProfile."""
    properties = view["properties"]
    if existing is None:
        storage = copy.deepcopy((sent.get("properties") or {}).get("storageProfile") or {})
        if isinstance(storage.get("osDiskImage"), dict):
            storage["osDiskImage"].setdefault("hostCaching", "ReadWrite")
        for disk in storage.get("dataDiskImages") or []:
            disk.setdefault("hostCaching", version_source.SENT_DATA_DISK_CACHING)  # as stored
        properties["storageProfile"] = storage
        (properties.get("validationsProfile") or {}).pop("platformAttributes", None)
    else:
        properties.pop("validationsProfile", None)
    return view


def check_delete(ctx, rid, record):
    properties = record.resource.get("properties") or {}
    safety = properties.get("safetyProfile") or {}
    end_of_life = (properties.get("publishingProfile") or {}).get("endOfLifeDate")
    if safety.get("blockDeletionBeforeEndOfLife") and end_of_life and \
            parse_date(end_of_life, "endOfLifeDate") > datetime.now(timezone.utc):
        raise ArmError(409, "DeleteGalleryImageVersionBlockedBeforeEndOfLife",
                       "Deletion of Gallery image version is not allowed because the image is "
                       "enabled for blockDeletionBeforeEndOfLife and its endOfLifeDate has not "
                       "reached yet.")
