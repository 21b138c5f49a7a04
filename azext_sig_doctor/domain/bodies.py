"""Request bodies: a typed request as the JSON its core command sends (azure-cli 2.91).

``body_of(request, location)`` gives the wire JSON (wire names, unset values left out, empty
objects and lists kept as the core's serializer keeps them), so ``--dry-run`` shows exactly what
goes on the wire and a guarded create sends these very bytes. ``location`` is the request's
``--location``, or its resource group's when none was given (as the core does).
"""

from azure.cli.core.azclierror import InvalidArgumentValueError, RequiredArgumentMissingError

from azext_sig_doctor.domain import ids
from azext_sig_doctor.domain.request import EDGE_ZONE_STORAGE_TYPES, usage_error


def prune(value):
    """Drop unset (None) values recursively; empty objects and lists stay, as the core sends them.

    Values become plain JSON types: the CLI hands defaults over as str/int subclasses that carry
    an ``is_default`` mark, which its output formatter would print as objects.
    """
    if isinstance(value, dict):
        return {key: prune(item) for key, item in value.items() if item is not None}
    if isinstance(value, (list, tuple)):
        return [prune(item) for item in value if item is not None]
    for plain in (bool, str, int, float):
        if isinstance(value, plain):
            return plain(value)
    return value


def iso_datetime(text):
    """An end-of-life date as the core sends it: a date alone gets 12:59:59Z, then ISO 8601."""
    if not text:
        return text
    if "t" not in text.lower():
        text += "T12:59:59Z"
    import dateutil.parser
    import dateutil.tz
    from msrest.serialization import Serializer
    try:
        moment = dateutil.parser.parse(text)
    except (ValueError, OverflowError):
        raise usage_error(InvalidArgumentValueError, "Unable to parse the end-of-life date '{}'.".format(text),
                          "Give a date such as 2030-12-31 or a time such as 2030-12-31T23:00:00Z.") from None
    if not moment.tzinfo:
        moment = moment.replace(tzinfo=dateutil.tz.tzlocal())
    return Serializer.serialize_iso(moment)


def body_of(request, location):
    return _BUILDERS[request.kind](request, location)


# ---- gallery (az sig create, API 2026-03-03 in the core) -----------------------------------------

def gallery_body(request, location):
    properties = {"description": request.description}
    community = prune({"eula": request.eula, "publicNamePrefix": request.public_name_prefix,
                       "publisherContact": request.publisher_contact, "publisherUri": request.publisher_uri})
    sharing = prune({"permissions": request.permissions, "communityGalleryInfo": community or None})
    if sharing:
        properties["sharingProfile"] = sharing
    soft_delete = prune({"isSoftDeleteEnabled": request.soft_delete,
                         "gracePeriodInDays": request.soft_delete_grace_period,
                         "retentionPeriodInDays": request.soft_delete_retention_period})
    if soft_delete:
        properties["softDeletePolicy"] = soft_delete
    return prune({"location": location, "identity": _identity(request), "properties": prune(properties) or None,
                  "tags": request.tags})


def _identity(request):
    if not request.identity_system and not request.identity_user:
        return None
    kinds = (["SystemAssigned"] if request.identity_system else []) + \
        (["UserAssigned"] if request.identity_user else [])
    identity = {"type": ",".join(kinds)}
    if request.identity_user:
        identity["userAssignedIdentities"] = {identity_id: {} for identity_id in request.identity_user}
    return identity


# ---- image definition (az sig image-definition create, API 2021-10-01 in the core) --------------

def definition_body(request, location):
    """The core does not send --description, --privacy-statement-uri or --release-note-uri."""
    r = request
    recommended = None
    if any([r.min_vcpus, r.max_vcpus, r.min_memory, r.max_memory]):
        recommended = {
            "vCPUs": {"min": r.min_vcpus, "max": r.max_vcpus} if any([r.min_vcpus, r.max_vcpus]) else None,
            "memory": {"min": r.min_memory, "max": r.max_memory} if any([r.min_memory, r.max_memory]) else None,
        }
    features = r.sent_features
    properties = {
        "identifier": {"publisher": r.publisher, "offer": r.offer, "sku": r.sku},
        "osType": r.os_type,
        "osState": r.os_state,
        "endOfLifeDate": iso_datetime(r.end_of_life_date),
        "recommended": recommended,
        "disallowed": {"diskTypes": list(r.disallowed_disk_types) or None},
        "purchasePlan": r.plan,
        "eula": r.eula,
        "hyperVGeneration": r.hyper_v_generation,
        "features": [{"name": name, "value": value} for name, value in features] if features is not None else None,
        "architecture": r.architecture,
    }
    return prune({"location": location, "tags": r.tags or {}, "properties": properties})


# ---- image version (az sig image-version create, API 2024-03-03 in the core) --------------------

def version_body(request, location):
    r = request
    source = r.source
    if not (source.managed_image or source.virtual_machine or source.image_version or source.os_snapshot
            or source.os_vhd_uri):
        raise usage_error(RequiredArgumentMissingError,
                          "usage error: Please provide --managed-image or --os-snapshot or --vhd",
                          "Give --managed-image, --virtual-machine, --image-version, --os-snapshot or --os-vhd-uri "
                          "with --os-vhd-storage-account.")
    # az's process_image_resource_id_namespace refuses a VM or version source that is not such an id.
    for given, kind, words in ((source.virtual_machine, "vm", "VM resource"),
                               (source.image_version, "gallery-version", "gallery image version")):
        if given and ids.kind_of(given) != kind:
            raise usage_error(InvalidArgumentValueError, "usage error: {} is an invalid {} id".format(given, words),
                              "Give the full resource id: /subscriptions/<sub>/resourceGroups/<group>/providers/"
                              "Microsoft.Compute/...")
    publishing = {
        "excludeFromLatest": r.exclude_from_latest,
        "endOfLifeDate": iso_datetime(r.end_of_life_date),
        "targetRegions": [_target_region(region) for region in r.target_regions] or [{"name": location}],
        "replicaCount": r.replica_count,
        "storageAccountType": r.storage_account_type,
    }
    if r.target_edge_zones:
        publishing["targetExtendedLocations"] = edge_zones(r)
    if r.replication_mode is not None:
        publishing["replicationMode"] = r.replication_mode

    top = None
    if source.virtual_machine is not None:
        top = {"virtualMachineId": source.virtual_machine}
    elif source.managed_image or source.image_version:
        top = {"id": source.managed_image or source.image_version}
    os_disk_image = {"source": {"id": source.os_snapshot}} if source.os_snapshot else None
    if source.os_vhd_uri:
        os_disk_image = {"source": {"storageAccountId": source.os_vhd_storage_account, "uri": source.os_vhd_uri}}
    data_disk_images = [
        {"source": {"id": disk.source_id} if disk.source_id else
         {"storageAccountId": disk.storage_account, "uri": disk.uri}, "lun": disk.lun}
        for disk in source.data_disks] or None

    properties = {
        "publishingProfile": publishing,
        "storageProfile": {"source": top, "osDiskImage": os_disk_image, "dataDiskImages": data_disk_images},
    }
    if r.allow_replicated_location_deletion is not None or r.block_deletion_before_end_of_life is not None:
        properties["safetyProfile"] = {
            "allowDeletionOfReplicatedLocations": r.allow_replicated_location_deletion,
            "blockDeletionBeforeEndOfLife": r.block_deletion_before_end_of_life,
        }
    return prune({"location": location, "tags": r.tags or {}, "properties": properties})


def _target_region(region):
    encryption = None
    os_image = None
    if region.encryption is not None and region.encryption.os_des is not None:
        os_image = {"diskEncryptionSetId": region.encryption.os_des}
    if region.cvm is not None:
        os_image = dict(os_image or {})
        os_image["securityProfile"] = {"confidentialVMEncryptionType": region.cvm.type,
                                       "secureVMDiskEncryptionSetId": region.cvm.des}
    data_images = None
    if region.encryption is not None and region.encryption.data:
        data_images = [{"lun": lun, "diskEncryptionSetId": des} for lun, des in region.encryption.data]
    if os_image or data_images:
        encryption = {"osDiskImage": os_image, "dataDiskImages": data_images}
    return {"name": region.name, "regionalReplicaCount": region.replica_count,
            "storageAccountType": region.storage_account_type, "encryption": encryption}


def edge_zones(request):
    """``--target-edge-zones`` entries (``region=zone[=count][=storage]``) as the core sends them."""
    from azext_sig_doctor.domain.request import ArgumentUsageError, parse_region_encryption
    words = request.target_edge_zones
    if len(words) == 1 and words[0].lower() == "none":
        return []
    zones = []
    for index, entry in enumerate(words):
        parts = entry.split("=", 3)
        if len(parts) < 2:
            continue
        count = storage = None
        if len(parts) >= 3:
            try:
                count = int(parts[2])
            except ValueError:
                if len(parts) == 4:
                    raise usage_error(ArgumentUsageError, "usage error: {} is an invalid target edge zone argument. "
                                                          "The third part must be a valid integer replica count."
                                      .format(entry)) from None
                storage = parts[2]
            if len(parts) == 4:
                storage = parts[3]
            if storage is not None and storage.lower() not in [t.lower() for t in EDGE_ZONE_STORAGE_TYPES]:
                raise usage_error(ArgumentUsageError, "usage error: {} is an invalid target edge zone argument. "
                                                      "Storage account types must be one of {}.".format(
                                                          entry, ", ".join(t.lower() for t in EDGE_ZONE_STORAGE_TYPES)))
        encryption = None
        if request.target_zone_encryption:
            terms = request.target_zone_encryption[index].split(",")
            if len(terms) < 2:
                break  # the core stops reading edge zones at a malformed encryption entry
            parsed = parse_region_encryption(",".join(terms[1:]), lambda name: request.qualify(
                name, "diskEncryptionSets"))
            os_image = {"diskEncryptionSetId": parsed.os_des} if parsed.os_des is not None else None
            data_images = [{"lun": lun, "diskEncryptionSetId": des} for lun, des in parsed.data] or None
            if os_image or data_images:
                encryption = {"osDiskImage": os_image, "dataDiskImages": data_images}
        zones.append({"name": parts[0], "extendedLocationReplicaCount": count,
                      "extendedLocation": {"name": parts[1], "type": "EdgeZone"},
                      "storageAccountType": storage, "encryption": encryption})
    return zones


_BUILDERS = {"gallery": gallery_body, "definition": definition_body, "version": version_body}
