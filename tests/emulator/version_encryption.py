"""Per-region encryption rules of an image version (disk encryption sets, LUNs, CVM)."""

from .errors import invalid_parameter
from .routing import parse_resource_id
from .store import region_key

ENCRYPTION = "galleryArtifactVersion.properties.publishingProfile.targetRegions.encryption"
OS_DES_PATH = f"{ENCRYPTION}.osDiskImage.diskEncryptionSetId"


def _des_refs(entry):
    """[(lun or None, des id)] named in one target region's encryption."""
    encryption = entry.get("encryption") or {}
    refs = []
    os_des = (encryption.get("osDiskImage") or {}).get("diskEncryptionSetId")
    if os_des:
        refs.append((None, os_des))
    for disk in encryption.get("dataDiskImages") or []:
        refs.append((disk.get("lun"), disk.get("diskEncryptionSetId")))
    return refs


def _check_des(ctx, rid, lun, des_id, region=None):
    parsed = parse_resource_id(des_id or "")
    if parsed is None or parsed.type_path != "diskEncryptionSets" or parsed.is_collection:
        disk = "osDiskImage" if lun is None else "dataDiskImages"
        raise invalid_parameter(f"The value of parameter {ENCRYPTION}.{disk}.diskEncryptionSetId "
                                f"is invalid.", f"{ENCRYPTION}.{disk}.diskEncryptionSetId")
    if parsed.subscription.lower() != rid.subscription.lower():
        raise invalid_parameter(f"The disk encryption set '{des_id}' must be in the same "
                                f"subscription '{rid.subscription}' as the gallery resource.")
    record = ctx.state.get(parsed)
    if record is None:
        raise invalid_parameter(f"The disk encryption set {des_id} was not found.")  # guessed code
    # A disk encryption set serves its own region only (the article: "can be used only in the same
    # subscription and region in which they were created"); the message is a guess.
    location = record.resource.get("location")
    if region and location and region_key(location) != region_key(region):
        raise invalid_parameter(f"The disk encryption set '{des_id}' is in region '{location}' and cannot be "
                                f"used for target region '{region}'.")


def check(ctx, rid, profile, facts, location):
    entries = profile.get("targetRegions") or []
    source_luns = facts.data_luns if facts is not None else None
    for entry in entries:
        luns = [lun for lun, _ in _des_refs(entry) if lun is not None]
        for lun in luns:
            if luns.count(lun) > 1:
                raise invalid_parameter(f"Duplicate luns '{lun}' were specified in target region "
                                        f"'{entry.get('name')}' encryption.dataDiskImages.")
        for lun, des_id in _des_refs(entry):
            _check_des(ctx, rid, lun, des_id, entry.get("name"))
            if lun is not None and source_luns is not None and lun not in source_luns:
                allowed = ",".join(str(n) for n in source_luns)
                raise invalid_parameter(f"An invalid lun [{lun}] was specified in "
                                        f"encryption.dataDiskImages. The lun must be one of the "
                                        f"following values ['{allowed}'].")
    _check_consistent(entries)
    _check_confidential(ctx, rid, entries, location)


def _check_consistent(entries):
    """A disk encrypted in one region must be encrypted in every region."""
    by_region = {entry.get("name"): dict(_des_refs(entry)) for entry in entries}
    for region, disks in by_region.items():
        for lun, des_id in disks.items():
            for other, other_disks in by_region.items():
                if lun in other_disks:
                    continue
                disk = OS_DES_PATH if lun is None else f"LUN {lun}"
                raise invalid_parameter(
                    f"A disk encryption set is required for disk '{disk}' in target region "
                    f"'{other}' since disk encryption set '{des_id}' is used for the "
                    f"corresponding disk in region '{region}'.")


def _check_confidential(ctx, rid, entries, location):
    definition = ctx.state.get(rid.parent())
    features = {f.get("name", "").lower(): f.get("value", "") for f in
                (definition.resource.get("properties", {}).get("features") or [])}
    if features.get("securitytype", "").lower() != "confidentialvm":
        return
    home = region_key(ctx.state.location_name(location) or location)
    for entry in entries:
        profile = ((entry.get("encryption") or {}).get("osDiskImage") or {}).get(
            "securityProfile") or {}
        if not profile.get("confidentialVMEncryptionType"):
            raise invalid_parameter(
                "The regional encryption.osDiskImage.securityProfile.type must be specified when "
                "the SecurityType of the image definition is ConfidentialVM.")
        region = region_key(ctx.state.location_name(entry.get("name")) or entry.get("name"))
        if region != home and profile["confidentialVMEncryptionType"] != "NonPersistedTPM":
            raise invalid_parameter(
                f"Only the home region '{home}' can be specified as a target region for Images "
                f"with the ConfidentialVM feature unless the Confidential VM encryption type is "
                f"set to 'NonPersistedTPM'.")


def check_update(old_profile, new_profile):
    """Encryption of a data disk cannot be added to an existing version."""
    old = {region_key(e.get("name")): {lun for lun, _ in _des_refs(e) if lun is not None}
           for e in old_profile.get("targetRegions") or []}
    for entry in new_profile.get("targetRegions") or []:
        key = region_key(entry.get("name"))
        if key not in old:
            continue
        for lun, _ in _des_refs(entry):
            if lun is not None and lun not in old[key]:
                raise invalid_parameter(
                    f"Cannot specify new data disk image encryption lun [{lun}] with a disk "
                    f"encryption set in region [{entry.get('name')}] for update gallery image "
                    f"version request. To update this version, remove the new lun. If you need to "
                    f"change the data disk image encryption settings, you must create a new "
                    f"gallery image version with the correct settings.")
