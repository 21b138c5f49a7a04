"""Arguments of a guarded command -> a normalised spec (a plain dict) that rules and creates share.

Each ``*_spec_from_args`` takes the keyword arguments of the az command it mirrors (same names as
``az sig create``, ``az sig image-definition create``, ``az sig image-version create`` and
``az vm create``). Only syntax that the az CLI itself rejects before sending anything raises here
(an azclierror with a recommendation); everything the service would reject is kept as typed so a
rule can report it with its knowledge-base id.
"""

from azure.cli.core.azclierror import ArgumentUsageError, InvalidArgumentValueError, RequiredArgumentMissingError

from azext_sig_doctor.checks import ids

STORAGE_ACCOUNT_TYPES = ("Standard_LRS", "Standard_ZRS", "Premium_LRS", "PremiumV2_LRS")
CVM_ENCRYPTION_TYPES = ("EncryptedVMGuestStateOnlyWithPmk", "EncryptedWithPmk", "EncryptedWithCmk",
                        "NonPersistedTPM")
UNKNOWN_SUBSCRIPTION = "<subscription>"


def _usage(message, recommendation):
    error = ArgumentUsageError(message)
    error.set_recommendation(recommendation)
    return error


def _base(kind, subscription, resource_group, location):
    return {
        "kind": kind,
        "subscription": subscription or UNKNOWN_SUBSCRIPTION,
        "subscription_known": bool(subscription),
        "resource_group": resource_group,
        "location": location,
    }


def _require_community_publisher(permissions, publisher_uri, publisher_contact, eula, public_name_prefix):
    """az sig create refuses --permissions Community without all four publisher details, sending nothing."""
    if (permissions or "").lower() == "community" and not all(
            [publisher_uri, publisher_contact, eula, public_name_prefix]):
        error = RequiredArgumentMissingError(
            "If you want to share to the community, you need to fill in all the following parameters: "
            "--publisher-uri, --publisher-email, --eula, --public-name-prefix.")
        error.set_recommendation("Give all four, or leave out --permissions Community.")
        raise error


def gallery_spec_from_args(resource_group_name=None, gallery_name=None, location=None, subscription=None,
                           description=None, permissions=None, publisher_uri=None, publisher_contact=None, eula=None,
                           public_name_prefix=None, **_ignored):
    _require_community_publisher(permissions, publisher_uri, publisher_contact, eula, public_name_prefix)
    spec = _base("gallery", subscription, resource_group_name, location)
    spec.update({"gallery": gallery_name, "description": description})
    spec["gallery_id"] = ids.compute_id(spec["subscription"], resource_group_name, ("galleries", gallery_name))
    return spec


def parse_features(features):
    """``"SecurityType=TrustedLaunch IsAcceleratedNetworkSupported=true"`` -> ordered dict."""
    parsed = {}
    for item in (features or "").split():
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise _usage("usage error: --features KEY=VALUE [KEY=VALUE ...], got '{}'".format(item),
                         'Write each feature as NAME=VALUE, e.g. --features "SecurityType=TrustedLaunch".')
        parsed[key] = value
    return parsed


def definition_spec_from_args(resource_group_name=None, gallery_name=None, gallery_image_name=None,
                              os_type=None, publisher=None, offer=None, sku=None, os_state="Generalized",
                              end_of_life_date=None, location=None, minimum_cpu_core=None, maximum_cpu_core=None,
                              minimum_memory=None, maximum_memory=None, disallowed_disk_types=None,
                              plan_name=None, plan_publisher=None, plan_product=None, hyper_v_generation="V2",
                              features=None, architecture=None, subscription=None, **_ignored):
    spec = _base("definition", subscription, resource_group_name, location)
    feature_map = parse_features(features)
    # The az CLI declares Trusted Launch support by default for a Gen2 definition.
    if "SecurityType" not in feature_map and (hyper_v_generation or "V2") == "V2":
        feature_map["SecurityType"] = "TrustedLaunchSupported"
    spec.update({
        "gallery": gallery_name,
        "image": gallery_image_name,
        "publisher": publisher,
        "offer": offer,
        "sku": sku,
        "os_type": os_type,
        "os_state": os_state or "Generalized",
        "hyper_v_generation": hyper_v_generation or "V2",
        "architecture": architecture,
        "features": feature_map,
        "features_given": features is not None,
        "end_of_life_date": end_of_life_date,
        "recommended": {"vcpus": {"min": minimum_cpu_core, "max": maximum_cpu_core},
                        "memory": {"min": minimum_memory, "max": maximum_memory}},
        "disallowed_disk_types": list(disallowed_disk_types or []),
        "plan": ({"name": plan_name, "publisher": plan_publisher, "product": plan_product}
                 if any([plan_name, plan_publisher, plan_product]) else None),
    })
    spec["gallery_id"] = ids.compute_id(spec["subscription"], resource_group_name, ("galleries", gallery_name))
    spec["image_id"] = ids.compute_id(spec["subscription"], resource_group_name, ("galleries", gallery_name),
                                      ("images", gallery_image_name))
    return spec


def parse_target_region(text):
    """``region[=count][=sku]`` -> ``{name, replica_count, storage_account_type}`` (az CLI rules)."""
    parts = text.split("=", 2)
    replica_count = storage = None
    if len(parts) == 2:
        try:
            replica_count = int(parts[1])
        except ValueError:
            storage = parts[1]
    elif len(parts) == 3:
        try:
            replica_count = int(parts[1])
        except ValueError:
            raise _usage("usage error: {} is an invalid target region argument; the second part must be an "
                         "integer replica count.".format(text),
                         "Use region[=replica count][=storage account type], e.g. eastus=2=Standard_ZRS.") from None
        storage = parts[2]
    if storage is not None and storage.lower() not in [s.lower() for s in STORAGE_ACCOUNT_TYPES]:
        raise _usage("usage error: {} is an invalid target region argument; '{}' is not a storage account "
                     "type.".format(text, storage),
                     "Storage account types: {}.".format(", ".join(STORAGE_ACCOUNT_TYPES)))
    return {"name": parts[0], "replica_count": replica_count, "storage_account_type": storage}


def _lun(text, option):
    try:
        return int(text)
    except (TypeError, ValueError):
        raise _usage("usage error: {} takes integer LUNs, got '{}'".format(option, text),
                     "Give one integer LUN per data disk, e.g. {} 0 1 2.".format(option)) from None


def _parse_region_encryption(text, qualify_des):
    """``<os_des>,<lun1>,<lun1_des>,...`` with "null" as a placeholder (az CLI format)."""
    terms = text.split(",")
    # Only "null" means no set: az turns an empty name into ".../diskEncryptionSets/", which the
    # service refuses (the format rule reports the empty name).
    os_des = None if terms[0] == "null" else (qualify_des(terms[0]) if terms[0] else "")
    rest = terms[1:]
    if len(rest) % 2:
        raise _usage("usage error: LUN and disk encryption set for data disks must come in pairs in "
                     "--target-region-encryption, got '{}'".format(text),
                     "Example: osdes,0,datades0,1,datades1 (use null for no OS-disk encryption set).")
    data = [{"lun": _lun(rest[i], "--target-region-encryption"), "des": qualify_des(rest[i + 1])}
            for i in range(0, len(rest), 2)]
    return {"os_des": os_des, "data": data}


def _parse_cvm_encryption(text, qualify_des):
    terms = text.split(",")
    if len(terms) != 2:
        raise _usage("usage error: '{}' is an invalid --target-region-cvm-encryption value".format(text),
                     "Write <os_cvm_encryption_type>,<os_cvm_des> per region, e.g. EncryptedWithPmk, "
                     "(the set may be empty).")
    if terms[0] not in CVM_ENCRYPTION_TYPES:
        raise _usage("usage error: '{}' is not a Confidential VM encryption type".format(terms[0]),
                     "Use one of {}.".format(", ".join(CVM_ENCRYPTION_TYPES)))
    return {"type": terms[0], "des": qualify_des(terms[1]) if terms[1] else None}


def version_spec_from_args(resource_group_name=None, gallery_name=None, gallery_image_name=None,
                           gallery_image_version=None, location=None, target_regions=None,
                           storage_account_type=None, end_of_life_date=None, exclude_from_latest=None,
                           replica_count=None, os_snapshot=None, data_snapshots=None, managed_image=None,
                           data_snapshot_luns=None, target_region_encryption=None, os_vhd_uri=None,
                           os_vhd_storage_account=None, data_vhds_uris=None, data_vhds_luns=None,
                           data_vhds_storage_accounts=None, replication_mode=None,
                           target_region_cvm_encryption=None, virtual_machine=None, image_version=None,
                           allow_replicated_location_deletion=None, block_deletion_before_end_of_life=None,
                           subscription=None, **_ignored):
    spec = _base("version", subscription, resource_group_name, location)
    sub, rg = spec["subscription"], resource_group_name

    def qualify_des(name):
        return ids.qualify(name, sub, rg, "diskEncryptionSets")

    regions = [parse_target_region(text) for text in (target_regions or [])]
    for option, values in (("--target-region-encryption", target_region_encryption),
                           ("--target-region-cvm-encryption", target_region_cvm_encryption)):
        if values and len(values) != len(regions):
            raise _usage("usage error: {} needs one value per target region ({} given for {} regions)".format(
                option, len(values), len(regions)),
                "List --target-regions explicitly and give {} one entry per region, in the same order.".format(
                    option))
    for index, region in enumerate(regions):
        encryption = (_parse_region_encryption(target_region_encryption[index], qualify_des)
                      if target_region_encryption else {"os_des": None, "data": []})
        if target_region_cvm_encryption:
            encryption["cvm"] = _parse_cvm_encryption(target_region_cvm_encryption[index], qualify_des)
        else:
            encryption["cvm"] = None
        region["encryption"] = encryption

    data_snapshots = [ids.qualify(s, sub, rg, "snapshots") for s in (data_snapshots or [])]
    if data_snapshot_luns and not data_snapshots:
        raise _usage("usage error: --data-snapshot-luns must be used together with --data-snapshots",
                     "Give --data-snapshots with one snapshot per LUN.")
    if data_snapshot_luns and len(data_snapshot_luns) != len(data_snapshots):
        raise _usage("usage error: --data-snapshots and --data-snapshot-luns must have the same length",
                     "Give one LUN per data snapshot, in the same order.")
    luns = ([_lun(x, "--data-snapshot-luns") for x in data_snapshot_luns] if data_snapshot_luns
            else list(range(len(data_snapshots))))
    data_disks = [{"lun": lun, "source_id": source, "uri": None} for lun, source in zip(luns, data_snapshots)]

    if bool(os_vhd_uri) != bool(os_vhd_storage_account):
        raise _usage("usage error: --os-vhd-uri and --os-vhd-storage-account must be used together",
                     "Give the blob URI and the storage account that holds it.")
    if data_vhds_uris:
        vhd_luns = [_lun(x, "--data-vhds-luns") for x in data_vhds_luns] if data_vhds_luns \
            else list(range(len(data_vhds_uris)))
        accounts = list(data_vhds_storage_accounts or [])
        if not (len(vhd_luns) == len(data_vhds_uris) == len(accounts)):
            raise _usage("usage error: --data-vhds-uris, --data-vhds-luns and --data-vhds-storage-accounts "
                         "must have the same length", "Give one LUN and one storage account per VHD URI.")
        data_disks += [{"lun": lun, "source_id": None, "uri": uri} for lun, uri in zip(vhd_luns, data_vhds_uris)]

    spec.update({
        "gallery": gallery_name,
        "image": gallery_image_name,
        "version": gallery_image_version,
        "target_regions": regions,
        "target_regions_given": bool(regions),
        "replica_count": replica_count,
        "storage_account_type": storage_account_type,
        "replication_mode": replication_mode,
        "end_of_life_date": end_of_life_date,
        "exclude_from_latest": exclude_from_latest,
        "allow_replicated_location_deletion": allow_replicated_location_deletion,
        "block_deletion_before_end_of_life": block_deletion_before_end_of_life,
        "source": {
            "virtual_machine": virtual_machine,
            "managed_image": ids.qualify(managed_image, sub, rg, "images"),
            "image_version": image_version,
            "os_snapshot": ids.qualify(os_snapshot, sub, rg, "snapshots"),
            "os_vhd_uri": os_vhd_uri,
            "os_vhd_storage_account": ids.qualify(os_vhd_storage_account, sub, rg, "storageAccounts",
                                                  "Microsoft.Storage"),
            "data_disks": data_disks,
        },
    })
    spec["gallery_id"] = ids.compute_id(sub, rg, ("galleries", gallery_name))
    spec["image_id"] = ids.compute_id(sub, rg, ("galleries", gallery_name), ("images", gallery_image_name))
    spec["version_id"] = ids.compute_id(sub, rg, ("galleries", gallery_name), ("images", gallery_image_name),
                                        ("versions", gallery_image_version))
    return spec


def source_ids(spec):
    """The (role, id) pairs of a version spec's resource sources, the VM/image/version first."""
    source = spec["source"]
    pairs = [(role, source[role]) for role in ("virtual_machine", "managed_image", "image_version", "os_snapshot")
             if source.get(role)]
    pairs += [("data_disk", disk["source_id"]) for disk in source["data_disks"] if disk["source_id"]]
    return pairs


def region_argument(region, storage_account_type=None):
    """A parsed target region back in az's ``--target-regions`` form: ``name[=count][=type]``
    (az also takes ``name=type``); ``storage_account_type`` replaces the region's own."""
    parts = [region["name"].replace(" ", "").lower()]
    if region["replica_count"] is not None:
        parts.append(str(region["replica_count"]))
    storage = storage_account_type or region["storage_account_type"]
    if storage:
        parts.append(storage)
    return "=".join(parts)


def effective_regions(spec, home_region):
    """Target regions as the request would send them: the version's region alone when none given."""
    if spec["target_regions"]:
        return spec["target_regions"]
    if not home_region:
        return []
    return [{"name": home_region, "replica_count": None, "storage_account_type": None,
             "encryption": {"os_des": None, "data": [], "cvm": None}}]


def vm_spec_from_args(resource_group_name=None, image=None, location=None, admin_username=None,
                      admin_password=None, ssh_key_value=None, generate_ssh_keys=False, authentication_type=None,
                      security_type=None, plan_name=None, plan_publisher=None, plan_product=None,
                      specialized=None, size=None, gallery_image_reference=None, gallery_image_reference_lun=None,
                      vm_name=None, subscription=None, **_ignored):
    spec = _base("vm", subscription, resource_group_name, location)
    reference = gallery_image_reference or image
    if not reference:
        error = InvalidArgumentValueError("usage error: give --image (or --gallery-image-reference for a disk)")
        error.set_recommendation("Pass the id of a gallery image version or image definition, e.g. --image "
                                 "/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Compute/galleries/"
                                 "<gallery>/images/<definition>/versions/1.0.0")
        raise error
    spec.update({
        "image": reference,
        "for_disk": bool(gallery_image_reference),
        "lun": gallery_image_reference_lun,
        # Credential values never enter the spec, and whether any were given does not decide the
        # osProfile: az vm/vmss create send one (a default admin user name, a default or generated
        # SSH key or a prompted password) unless --specialized is given (az's vm
        # _template_builder.py); az disk create sends none.
        "sends_os_profile": not gallery_image_reference and not specialized,
        "authentication_type": authentication_type,
        "security_type": security_type,
        "security_type_given": security_type is not None,
        "plan": ({"name": plan_name, "publisher": plan_publisher, "product": plan_product}
                 if any([plan_name, plan_publisher, plan_product]) else None),
        "specialized": specialized,
        "size": size,
        "vm_name": vm_name,
    })
    parts = ids.parse(reference)
    types = [t.lower() for t in parts["types"]] if parts else []
    if types not in (["galleries", "images"], ["galleries", "images", "versions"]) or \
            parts["namespace"].lower() != "microsoft.compute":
        error = InvalidArgumentValueError("'{}' is not the id of a gallery image definition or version".format(
            reference))
        error.set_recommendation("check-vm checks VMs made from Azure Compute Gallery images: pass an id like "
                                 "/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Compute/galleries/"
                                 "<gallery>/images/<definition>[/versions/<version>]")
        raise error
    spec["gallery"], spec["image_name"] = parts["names"][0], parts["names"][1]
    # The gallery may live in another resource group or subscription than the VM.
    spec["gallery_resource_group"], spec["gallery_subscription"] = parts["resource_group"], parts["subscription"]
    spec["gallery_id"] = ids.compute_id(parts["subscription"], parts["resource_group"],
                                        ("galleries", parts["names"][0]))
    spec["image_id"] = ids.compute_id(parts["subscription"], parts["resource_group"],
                                      ("galleries", parts["names"][0]), ("images", parts["names"][1]))
    spec["version_id"] = reference if len(parts["names"]) == 3 else None
    spec["version"] = parts["names"][2] if len(parts["names"]) == 3 else None
    return spec


SPEC_BUILDERS = {
    "gallery": gallery_spec_from_args,
    "definition": definition_spec_from_args,
    "version": version_spec_from_args,
    "vm": vm_spec_from_args,
}
