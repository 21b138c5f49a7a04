"""Request bodies of the guarded creates, built the way the core commands build them.

Each function mirrors one core command of azure-cli 2.91 for the same arguments:

* ``gallery_body``: ``az sig create`` (the AAZ command ``sig create``);
* ``definition_body``: ``az sig image-definition create`` (``custom.create_gallery_image``);
* ``version_body``: ``az sig image-version create`` (``process_gallery_image_version_namespace``,
  ``process_image_resource_id_namespace`` and ``custom.create_image_version``).

The result is the JSON the core sends (wire names, unset values left out, empty objects and lists
kept as the core's serializer keeps them), so ``--dry-run`` shows exactly what goes on the wire
and the create sends these very bytes. Argument names are the core's parameter names.
"""

from azure.cli.core.azclierror import (ArgumentUsageError, InvalidArgumentValueError,
                                       MutuallyExclusiveArgumentError, RequiredArgumentMissingError)

# The storage types the core accepts inside --target-regions / --target-edge-zones entries.
_REGION_STORAGE_TYPES = ["standard_lrs", "standard_zrs", "premium_lrs"]
_EDGE_ZONE_STORAGE_TYPES = ["standard_lrs", "standard_zrs", "premium_lrs", "standardssd_lrs"]
_CVM_ENCRYPTION_TYPES = ["EncryptedVMGuestStateOnlyWithPmk", "EncryptedWithPmk", "EncryptedWithCmk",
                         "NonPersistedTPM"]
# The core warns and leaves this SecurityType value out of the features it sends.
_COMPATIBLE_SECURITY_TYPE = "Standard"


def prune(value):
    """Drop unset (None) values recursively; empty objects and lists stay, as the core sends them.

    Values become plain JSON types: the CLI hands defaults over as str/int subclasses that carry
    an ``is_default`` mark, which its output formatter would print as objects.
    """
    if isinstance(value, dict):
        return {key: prune(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
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
        error = InvalidArgumentValueError("Unable to parse the end-of-life date '{}'.".format(text))
        error.set_recommendation("Give a date such as 2030-12-31 or a time such as 2030-12-31T23:00:00Z.")
        raise error from None
    if not moment.tzinfo:
        moment = moment.replace(tzinfo=dateutil.tz.tzlocal())
    return Serializer.serialize_iso(moment)


def resource_id(value, subscription, resource_group, namespace, kind):
    """A name becomes the full id of that resource in ``resource_group``; an id stays as it is."""
    from azure.mgmt.core.tools import is_valid_resource_id
    from azure.mgmt.core.tools import resource_id as build_id
    if value is None or is_valid_resource_id(value):
        return value
    return build_id(subscription=subscription, resource_group=resource_group, namespace=namespace,
                    type=kind, name=value)


# ---- gallery ----------------------------------------------------------------------------------

def gallery_body(location, description=None, tags=None, permissions=None, soft_delete=None,
                 soft_delete_grace_period=None, soft_delete_retention_period=None, publisher_uri=None,
                 publisher_contact=None, eula=None, public_name_prefix=None, mi_system_assigned=None,
                 mi_user_assigned=None):
    """The body of ``az sig create`` (API 2026-03-03 in the core)."""
    if permissions == "Community" and not all([publisher_uri, publisher_contact, eula, public_name_prefix]):
        error = RequiredArgumentMissingError(
            "Sharing a gallery with the community needs --publisher-uri, --publisher-email, --eula and "
            "--public-name-prefix.")
        error.set_recommendation("Give all four, or leave out --permissions Community.")
        raise error
    properties = {"description": description}
    community = prune({"eula": eula, "publicNamePrefix": public_name_prefix,
                       "publisherContact": publisher_contact, "publisherUri": publisher_uri})
    sharing = prune({"permissions": permissions, "communityGalleryInfo": community or None})
    if sharing:
        properties["sharingProfile"] = sharing
    soft_delete_policy = prune({"isSoftDeleteEnabled": soft_delete, "gracePeriodInDays": soft_delete_grace_period,
                                "retentionPeriodInDays": soft_delete_retention_period})
    if soft_delete_policy:
        properties["softDeletePolicy"] = soft_delete_policy
    body = {"location": location, "identity": _identity(mi_system_assigned, mi_user_assigned),
            "properties": prune(properties) or None, "tags": tags}
    return prune(body)


def _identity(system_assigned, user_assigned):
    # The core's --mi-system-assigned is a flag whose value arrives as the string "True".
    system = bool(system_assigned) and str(system_assigned).lower() not in ("false", "0", "no")
    if not system and not user_assigned:
        return None
    kinds = (["SystemAssigned"] if system else []) + (["UserAssigned"] if user_assigned else [])
    identity = {"type": ",".join(kinds)}
    if user_assigned:
        identity["userAssignedIdentities"] = {identity_id: {} for identity_id in user_assigned}
    return identity


# ---- image definition -------------------------------------------------------------------------

def definition_body(location, os_type, publisher, offer, sku, os_state="Generalized", end_of_life_date=None,
                    eula=None, minimum_cpu_core=None, maximum_cpu_core=None, minimum_memory=None,
                    maximum_memory=None, disallowed_disk_types=None, plan_name=None, plan_publisher=None,
                    plan_product=None, tags=None, hyper_v_generation="V2", features=None, architecture=None,
                    latest_profile=True):
    """The body of ``az sig image-definition create`` (API 2021-10-01 in the core).

    Like the core, a V2 definition gets ``SecurityType=TrustedLaunchSupported`` unless the
    features name a security type, and ``SecurityType=Standard`` is left out of what is sent.
    The core does not send --description, --privacy-statement-uri or --release-note-uri.
    """
    recommended = None
    if any([minimum_cpu_core, maximum_cpu_core, minimum_memory, maximum_memory]):
        recommended = {
            "vCPUs": {"min": minimum_cpu_core, "max": maximum_cpu_core}
            if any([minimum_cpu_core, maximum_cpu_core]) else None,
            "memory": {"min": minimum_memory, "max": maximum_memory}
            if any([minimum_memory, maximum_memory]) else None,
        }
    purchase_plan = None
    if any([plan_name, plan_publisher, plan_product]):
        purchase_plan = {"name": plan_name, "publisher": plan_publisher, "product": plan_product}

    feature_list = None
    if features:
        feature_list, names_security_type = parse_features(features)
        if not names_security_type and hyper_v_generation == "V2":
            feature_list.append({"name": "SecurityType", "value": "TrustedLaunchSupported"})
    if features is None and latest_profile and hyper_v_generation == "V2":
        feature_list = [{"name": "SecurityType", "value": "TrustedLaunchSupported"}]

    properties = {
        "identifier": {"publisher": publisher, "offer": offer, "sku": sku},
        "osType": os_type,
        "osState": os_state,
        "endOfLifeDate": iso_datetime(end_of_life_date),
        "recommended": recommended,
        "disallowed": {"diskTypes": disallowed_disk_types},
        "purchasePlan": purchase_plan,
        "eula": eula,
        "hyperVGeneration": hyper_v_generation,
        "features": feature_list,
        "architecture": architecture,
    }
    return prune({"location": location, "tags": tags or {}, "properties": properties})


def parse_features(features):
    """``"Key=Value Key=Value"`` -> (feature list as sent, whether a SecurityType was named)."""
    feature_list = []
    names_security_type = False
    for item in features.split():
        if "=" not in item:
            error = InvalidArgumentValueError("The feature '{}' is not of the form KEY=VALUE.".format(item))
            error.set_recommendation('Write --features "SecurityType=TrustedLaunch IsAcceleratedNetworkSupported=true".')
            raise error
        key, value = item.split("=", 1)
        if key == "SecurityType":
            names_security_type = True
            if value == _COMPATIBLE_SECURITY_TYPE:
                continue
        feature_list.append({"name": key, "value": value})
    return feature_list, names_security_type


# ---- image version ----------------------------------------------------------------------------

def version_body(location, subscription, resource_group, target_regions=None, storage_account_type=None,
                 end_of_life_date=None, exclude_from_latest=None, replica_count=None, tags=None,
                 os_snapshot=None, data_snapshots=None, managed_image=None, data_snapshot_luns=None,
                 target_region_encryption=None, os_vhd_uri=None, os_vhd_storage_account=None,
                 data_vhds_uris=None, data_vhds_luns=None, data_vhds_storage_accounts=None,
                 replication_mode=None, target_region_cvm_encryption=None, virtual_machine=None,
                 image_version=None, target_zone_encryption=None, target_edge_zones=None,
                 allow_replicated_location_deletion=None, block_deletion_before_end_of_life=None):
    """The body of ``az sig image-version create`` (API 2024-03-03 in the core).

    ``target_regions`` and ``target_edge_zones`` are the raw argument strings
    (``westus=2=Standard_ZRS``), parsed as the core's validator parses them.
    """
    def full_id(value, namespace, kind):
        return resource_id(value, subscription, resource_group, namespace, kind)

    sources = [source for source in (managed_image, virtual_machine, image_version) if source]
    if len(sources) > 1:
        raise MutuallyExclusiveArgumentError(
            "Give only one of --managed-image, --virtual-machine and --image-version.")
    if virtual_machine or image_version:
        managed_image = virtual_machine or image_version
    if managed_image is None and os_snapshot is None and os_vhd_uri is None:
        error = RequiredArgumentMissingError("An image version needs a source.")
        error.set_recommendation("Give --managed-image, --virtual-machine, --image-version, --os-snapshot or "
                                 "--os-vhd-uri with --os-vhd-storage-account.")
        raise error
    managed_image = full_id(managed_image, "Microsoft.Compute", "images")
    os_snapshot = full_id(os_snapshot, "Microsoft.Compute", "snapshots")
    data_snapshots = [full_id(snapshot, "Microsoft.Compute", "snapshots") for snapshot in data_snapshots or []]

    regions = parse_target_regions(target_regions, target_region_encryption, target_region_cvm_encryption,
                                   full_id)
    publishing = {
        "excludeFromLatest": exclude_from_latest,
        "endOfLifeDate": iso_datetime(end_of_life_date),
        "targetRegions": regions or [{"name": location}],
        "replicaCount": replica_count,
        "storageAccountType": storage_account_type,
    }
    if target_edge_zones:
        publishing["targetExtendedLocations"] = parse_edge_zones(target_edge_zones, target_zone_encryption, full_id)
    if replication_mode is not None:
        publishing["replicationMode"] = replication_mode

    source = None
    if virtual_machine is not None:
        source = {"virtualMachineId": virtual_machine}
    elif managed_image is not None:
        source = {"id": managed_image}
    os_disk_image = {"source": {"id": os_snapshot}} if os_snapshot is not None else None
    data_disk_images = _snapshot_disks(data_snapshots, data_snapshot_luns)
    if bool(os_vhd_uri) != bool(os_vhd_storage_account):
        raise ArgumentUsageError("--os-vhd-uri and --os-vhd-storage-account go together.")
    if os_vhd_uri:
        account = full_id(os_vhd_storage_account, "Microsoft.Storage", "storageAccounts")
        os_disk_image = {"source": {"storageAccountId": account, "uri": os_vhd_uri}}
    vhd_disks = _vhd_disks(data_vhds_uris, data_vhds_luns, data_vhds_storage_accounts, full_id)
    if vhd_disks:
        data_disk_images = (data_disk_images or []) + vhd_disks

    properties = {
        "publishingProfile": publishing,
        "storageProfile": {"source": source, "osDiskImage": os_disk_image, "dataDiskImages": data_disk_images},
    }
    if allow_replicated_location_deletion is not None or block_deletion_before_end_of_life is not None:
        properties["safetyProfile"] = {
            "allowDeletionOfReplicatedLocations": allow_replicated_location_deletion,
            "blockDeletionBeforeEndOfLife": block_deletion_before_end_of_life,
        }
    return prune({"location": location, "tags": tags or {}, "properties": properties})


def _snapshot_disks(data_snapshots, luns):
    if luns and not data_snapshots:
        raise ArgumentUsageError("--data-snapshot-luns needs --data-snapshots.")
    if not data_snapshots:
        return None
    if luns and len(luns) != len(data_snapshots):
        raise ArgumentUsageError("--data-snapshots and --data-snapshot-luns must have as many values each.")
    luns = luns or list(range(len(data_snapshots)))
    return [{"source": {"id": snapshot}, "lun": _lun(lun)} for snapshot, lun in zip(data_snapshots, luns)]


def _vhd_disks(uris, luns, accounts, full_id):
    if bool(uris) != bool(accounts):
        raise ArgumentUsageError("--data-vhds-uris and --data-vhds-storage-accounts go together.")
    if luns and not uris:
        raise ArgumentUsageError("--data-vhds-luns needs --data-vhds-uris.")
    if not uris:
        return None
    luns = luns if luns is not None else list(range(len(uris)))
    if not len(uris) == len(luns) == len(accounts):
        raise ArgumentUsageError("--data-vhds-uris, --data-vhds-luns and --data-vhds-storage-accounts must have "
                                 "as many values each.")
    return [{"source": {"storageAccountId": full_id(account, "Microsoft.Storage", "storageAccounts"), "uri": uri},
             "lun": _lun(lun)} for uri, lun, account in zip(uris, luns, accounts)]


def _lun(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidArgumentValueError("The LUN '{}' is not a whole number.".format(value)) from None


def _count_or_storage(entry, text, storage_types, what):
    """The part after a region: a replica count, else a storage account type."""
    try:
        return int(text), None
    except ValueError:
        if text.lower() not in storage_types:
            raise ArgumentUsageError(
                "{} is an invalid {} entry: '{}' is neither a replica count nor one of {}.".format(
                    entry, what, text, ", ".join(storage_types))) from None
        return None, text


def _count_and_storage(entry, count_text, storage_text, storage_types, what):
    try:
        count = int(count_text)
    except ValueError:
        raise ArgumentUsageError("{} is an invalid {} entry: '{}' must be a replica count.".format(
            entry, what, count_text)) from None
    if storage_text.lower() not in storage_types:
        raise ArgumentUsageError("{} is an invalid {} entry: '{}' is not one of {}.".format(
            entry, what, storage_text, ", ".join(storage_types)))
    return count, storage_text


def parse_target_regions(target_regions, encryption=None, cvm_encryption=None, full_id=lambda value, *_: value):
    """``--target-regions`` entries (``region[=count][=storage]``) as the core sends them."""
    if not target_regions:
        return None
    for name, values in (("--target-region-encryption", encryption),
                         ("--target-region-cvm-encryption", cvm_encryption)):
        if values and len(values) != len(target_regions):
            raise InvalidArgumentValueError("{} needs one value per target region.".format(name))
    regions = []
    for index, entry in enumerate(target_regions):
        parts = entry.split("=", 2)
        count = storage = None
        if len(parts) == 2:
            count, storage = _count_or_storage(entry, parts[1], _REGION_STORAGE_TYPES, "target region")
        elif len(parts) == 3:
            count, storage = _count_and_storage(entry, parts[1], parts[2], _REGION_STORAGE_TYPES, "target region")
        os_image, data_images = None, None
        if encryption:
            os_image, data_images = _parse_encryption(encryption[index].split(","), full_id,
                                                      "--target-region-encryption", "osdes,0,datades0,1,datades1")
        if cvm_encryption:
            os_image = _add_cvm_encryption(os_image, cvm_encryption[index], full_id)
        region_encryption = None
        if os_image or data_images:
            region_encryption = {"osDiskImage": os_image, "dataDiskImages": data_images}
        regions.append({"name": parts[0], "regionalReplicaCount": count, "storageAccountType": storage,
                        "encryption": region_encryption})
    return regions


def _parse_encryption(terms, full_id, option, example):
    """``osdes,lun,des,lun,des`` -> (osDiskImage, dataDiskImages); 'null' leaves the OS disk out."""
    os_image = None if terms[0] == "null" else {"diskEncryptionSetId": full_id(
        terms[0], "Microsoft.Compute", "diskEncryptionSets")}
    data_images = None
    if len(terms) > 1:
        pairs = terms[1:]
        if len(pairs) % 2:
            raise ArgumentUsageError("{} takes a LUN and a disk encryption set for each data disk, e.g. {}."
                                     .format(option, example))
        data_images = [{"lun": _lun(pairs[i]),
                        "diskEncryptionSetId": full_id(pairs[i + 1], "Microsoft.Compute", "diskEncryptionSets")}
                       for i in range(0, len(pairs), 2)]
    return os_image, data_images


def _add_cvm_encryption(os_image, value, full_id):
    terms = value.split(",")
    if len(terms) != 2:
        raise ArgumentUsageError("--target-region-cvm-encryption takes <encryption type>,<disk encryption set> "
                                 "for each region, got '{}'.".format(value))
    if terms[0] not in _CVM_ENCRYPTION_TYPES:
        raise ArgumentUsageError("'{}' is not a confidential VM encryption type; use one of {}.".format(
            terms[0], ", ".join(_CVM_ENCRYPTION_TYPES)))
    profile = {"confidentialVMEncryptionType": terms[0],
               "secureVMDiskEncryptionSetId": full_id(terms[1], "Microsoft.Compute", "diskEncryptionSets")
               if terms[1] else None}
    os_image = dict(os_image or {})
    os_image["securityProfile"] = profile
    return os_image


def parse_edge_zones(target_edge_zones, zone_encryption=None, full_id=lambda value, *_: value):
    """``--target-edge-zones`` entries (``region=zone[=count][=storage]``) as the core sends them."""
    if len(target_edge_zones) == 1 and target_edge_zones[0].lower() == "none":
        return []
    if zone_encryption and len(zone_encryption) != len(target_edge_zones):
        raise InvalidArgumentValueError("--target-edge-zone-encryption needs one value per edge zone.")
    zones = []
    for index, entry in enumerate(target_edge_zones):
        parts = entry.split("=", 3)
        if len(parts) < 2:
            continue
        count = storage = None
        if len(parts) == 3:
            count, storage = _count_or_storage(entry, parts[2], _EDGE_ZONE_STORAGE_TYPES, "target edge zone")
        elif len(parts) == 4:
            count, storage = _count_and_storage(entry, parts[2], parts[3], _EDGE_ZONE_STORAGE_TYPES,
                                                "target edge zone")
        os_image = data_images = None
        if zone_encryption:
            terms = zone_encryption[index].split(",")
            if len(terms) < 2:
                break  # the core stops reading edge zones at a malformed encryption entry
            os_image, data_images = _parse_encryption(terms[1:], full_id, "--target-edge-zone-encryption",
                                                      "1,osdes,0,datades0,1,datades1")
        zone_encryption_body = None
        if os_image or data_images:
            zone_encryption_body = {"osDiskImage": os_image, "dataDiskImages": data_images}
        zones.append({"name": parts[0], "extendedLocationReplicaCount": count,
                      "extendedLocation": {"name": parts[1], "type": "EdgeZone"},
                      "storageAccountType": storage, "encryption": zone_encryption_body})
    return zones
