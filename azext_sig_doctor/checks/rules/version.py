"""Rules of `check-version` (az sig image-version create), as a create or as an update."""

from collections import Counter

from azext_sig_doctor.checks import facts, ids
from azext_sig_doctor.checks.registry import failed, passed, rule, skipped
from azext_sig_doctor.checks.rules.common import INT32_MAX, VERSION_NAME
from azext_sig_doctor.checks.spec import effective_regions, region_argument, source_ids

MAX_REPLICAS = 100
MAX_SOURCE_SIZE_GB = 2048
# Definitions whose versions are bound to their home region ("Images with the ConfidentialVM feature").
CVM_TYPES = ("ConfidentialVM", "ConfidentialVMSupported")


def _regions_text(regions):
    return ", ".join(r["name"] for r in regions)


# ---- offline: the arguments alone --------------------------------------------------------------

@rule("version.name-format", "version.name-format", "version",
      "Version name is Major.Minor.Patch with 32-bit integers")
def name_format(ctx):
    name = ctx.spec["version"] or ""
    match = VERSION_NAME.match(name)
    if not match:
        return failed("Version name '{}' is not Major(int).Minor(int).Patch(int).".format(name), version=name)
    too_big = [part for part in match.groups() if int(part) > INT32_MAX]
    if too_big:
        return failed("Version name '{}' has {} beyond the 32-bit limit {}.".format(
            name, ", ".join(too_big), INT32_MAX), version=name)
    return passed("Version name '{}' is valid.".format(name))


def _each_region_once(regions):
    """``--target-regions`` items with each region once (the first mention wins)."""
    seen = set()
    items = []
    for region in regions:
        if ids.region_key(region["name"]) not in seen:
            seen.add(ids.region_key(region["name"]))
            items.append(region_argument(region))
    return items


@rule("version.unique-regions", "version.duplicate-regions", "version",
      "No region appears twice in --target-regions")
def unique_regions(ctx):
    counts = Counter(ids.region_key(r["name"]) for r in ctx.spec["target_regions"])
    duplicates = [r["name"] for r in ctx.spec["target_regions"] if counts[ids.region_key(r["name"])] > 1]
    if duplicates:
        return failed("Target regions repeat: {}.".format(", ".join(duplicates)), regions=", ".join(duplicates),
                      region=duplicates[0], unique_regions=" ".join(_each_region_once(ctx.spec["target_regions"])))
    return passed("Every target region is listed once.")


@rule("version.replica-count-range", "version.replica-count-out-of-range", "version",
      "Replica counts lie between 1 and 100")
def replica_range(ctx):
    counts = [("--replica-count", ctx.spec.get("replica_count"))]
    counts += [("regionalReplicaCount of {}".format(r["name"]), r["replica_count"]) for r in ctx.spec["target_regions"]]
    for prop, count in counts:
        if count is not None and not 1 <= int(count) <= MAX_REPLICAS:
            return failed("{} is {}; it must be between 1 and {}.".format(prop, count, MAX_REPLICAS),
                          value=count, property=prop, min_value=1, max_value=MAX_REPLICAS)
    return passed("Replica counts are within 1..{}.".format(MAX_REPLICAS))


@rule("version.single-source", "version.source-missing-or-ambiguous", "version",
      "Exactly one kind of source: a VM, managed image or version, or disk snapshots/VHDs")
def single_source(ctx):
    source = ctx.spec["source"]
    top = [role for role in ("virtual_machine", "managed_image", "image_version") if source.get(role)]
    disk_level = [role for role in ("os_snapshot", "os_vhd_uri") if source.get(role)]
    if source["data_disks"]:
        disk_level.append("data disks")
    if not top and not disk_level:
        return failed("No source given: use --virtual-machine, --managed-image, --image-version, --os-snapshot "
                      "or --os-vhd-uri.")
    if len(top) > 1 or (top and disk_level) or len([r for r in disk_level if r != "data disks"]) > 1:
        return failed("More than one source kind given: {}.".format(", ".join(top + disk_level)))
    if not top and "data disks" in disk_level and len(disk_level) == 1:
        return failed("Data disk sources were given without an OS disk source (--os-snapshot or --os-vhd-uri).")
    return passed("One source kind: {}.".format(", ".join(top + disk_level)))


@rule("version.source-id-format", "version.source-id-malformed", "version",
      "Source ids are fully qualified resource ids")
def source_id_format(ctx):
    for role, source_id in source_ids(ctx.spec):
        if not ids.is_fully_qualified(source_id):
            return failed("The {} '{}' is not a fully qualified resource id (/subscriptions/...).".format(
                role.replace("_", " "), source_id), resource_id=source_id)
    return passed("Every source id is fully qualified.")


@rule("version.vm-source-as-virtual-machine-id", "version.vm-source-as-source-id", "version",
      "A VM source is given with --virtual-machine, not as an image id")
def vm_source_field(ctx):
    managed = ctx.spec["source"].get("managed_image")
    if managed and ids.kind_of(managed) == "vm":
        return failed("--managed-image points at a virtual machine ({}); a VM goes in --virtual-machine.".format(
            managed), resource_id=managed, source_id=managed)
    return passed("No VM id is passed as an image source.")


@rule("version.source-kind", "version.source-not-image-or-vm", "version",
      "The top-level source is a VM, a managed image or a gallery image version")
def source_kind(ctx):
    source = ctx.spec["source"]
    expected = {"virtual_machine": ("vm",), "managed_image": ("managed-image", "vm"),
                "image_version": ("gallery-version",)}
    for role, kinds in expected.items():
        source_id = source.get(role)
        if source_id and ids.is_fully_qualified(source_id) and ids.kind_of(source_id) not in kinds:
            return failed("The {} '{}' is a {}, not a managed image, VM or gallery image version.".format(
                role.replace("_", " "), source_id, (ids.parse(source_id) or {}).get("type")), resource_id=source_id)
    return passed("The top-level source is of a supported kind.")


@rule("version.disk-source-kind", "version.source-not-disk-or-snapshot", "version",
      "OS and data disk sources are managed disks or snapshots")
def disk_source_kind(ctx):
    candidates = [ctx.spec["source"].get("os_snapshot")] + [d["source_id"] for d in ctx.spec["source"]["data_disks"]]
    for source_id in candidates:
        if source_id and ids.is_fully_qualified(source_id) and ids.kind_of(source_id) not in ("snapshot", "disk"):
            return failed("'{}' is not a managed disk or snapshot.".format(source_id), resource_id=source_id)
    return passed("Disk sources are disks or snapshots.")


@rule("version.unique-luns", "version.duplicate-luns", "version",
      "Data disk LUNs are unique")
def unique_luns(ctx):
    counts = Counter(d["lun"] for d in ctx.spec["source"]["data_disks"])
    duplicates = sorted(lun for lun, count in counts.items() if count > 1)
    if duplicates:
        return failed("LUN {} is used by more than one data disk.".format(", ".join(map(str, duplicates))),
                      lun=duplicates[0], luns=", ".join(map(str, duplicates)))
    return passed("Every data disk has its own LUN.")


@rule("version.unique-source-ids", ("version.duplicate-source-ids", "version.os-and-data-disk-same-source"),
      "version", "Each disk (OS and data) has its own source")
def unique_sources(ctx):
    source = ctx.spec["source"]
    keys = [(d["source_id"] or d["uri"] or "").lower() for d in source["data_disks"]]
    duplicates = sorted({k for k in keys if k and keys.count(k) > 1})
    if duplicates:
        return failed("Source '{}' is given for more than one data disk.".format(duplicates[0]),
                      resource_id=duplicates[0])
    os_source = (source.get("os_snapshot") or source.get("os_vhd_uri") or "").lower()
    for disk in source["data_disks"]:
        if os_source and (disk["source_id"] or disk["uri"] or "").lower() == os_source:
            return failed("LUN {} uses the OS disk's own source '{}'.".format(disk["lun"], os_source),
                          error_id="version.os-and-data-disk-same-source", source_id=os_source,
                          resource_id=os_source, lun=disk["lun"])
    return passed("Every disk source is distinct.")


def _encryption_entries(spec):
    """(region, lun or None for the OS disk, des id) for every encryption set given."""
    for region in spec["target_regions"]:
        encryption = region["encryption"]
        if encryption["os_des"] is not None:
            yield region["name"], None, encryption["os_des"]
        for data in encryption["data"]:
            yield region["name"], data["lun"], data["des"]


@rule("version.des-id-format", ("version.os-disk-des-id-invalid", "version.data-disk-des-id-invalid"), "version",
      "Disk encryption set ids are resource ids of disk encryption sets")
def des_id_format(ctx):
    for region, lun, des_id in _encryption_entries(ctx.spec):
        parts = ids.parse(des_id)
        if not parts or parts["type"].lower() != "diskencryptionsets":
            if lun is None:
                return failed("OS disk encryption set '{}' for {} is not a disk encryption set id.".format(
                    des_id, region), des_id=des_id, region=region)
            return failed("Data disk encryption set '{}' (LUN {}, {}) is not a disk encryption set id.".format(
                des_id, lun, region), error_id="version.data-disk-des-id-invalid", des_id=des_id, region=region,
                lun=lun)
    return passed("Disk encryption set ids are well formed.")


@rule("version.encryption-all-regions", ("version.os-disk-encryption-not-in-all-regions",
                                          "version.data-disk-encryption-not-in-all-regions"), "version",
      "A disk encrypted with a set in one region is encrypted in every region")
def encryption_everywhere(ctx):
    regions = ctx.spec["target_regions"]
    with_des = [r for r in regions if r["encryption"]["os_des"]]
    without = [r for r in regions if not r["encryption"]["os_des"]]
    if with_des and without:
        return failed("The OS disk uses '{}' in {} but no encryption set in {}.".format(
            with_des[0]["encryption"]["os_des"], with_des[0]["name"], _regions_text(without)),
            region1=without[0]["name"], region2=with_des[0]["name"], des_id=with_des[0]["encryption"]["os_des"])
    by_region = [(r["name"], {d["lun"]: d["des"] for d in r["encryption"]["data"]}) for r in regions]
    for lun in sorted({lun for _, luns in by_region for lun in luns}):
        having = [(name, luns[lun]) for name, luns in by_region if lun in luns]
        missing = [name for name, luns in by_region if lun not in luns]
        if missing:
            region2, des_id = having[0]
            return failed("LUN {} is encrypted with '{}' in {} but not in {}.".format(
                lun, des_id, region2, ", ".join(missing)), error_id="version.data-disk-encryption-not-in-all-regions",
                lun=lun, number=lun, region1=missing[0], region2=region2, des_id=des_id)
    return passed("Disk encryption is consistent across regions.")


@rule("version.encryption-unique-luns", "version.encryption-duplicate-luns", "version",
      "No LUN appears twice in one region's encryption settings")
def encryption_unique_luns(ctx):
    for region in ctx.spec["target_regions"]:
        counts = Counter(d["lun"] for d in region["encryption"]["data"])
        duplicates = sorted(lun for lun, count in counts.items() if count > 1)
        if duplicates:
            return failed("LUN {} is listed twice in the encryption of {}.".format(duplicates[0], region["name"]),
                          lun=duplicates[0], region=region["name"])
    return passed("Encryption LUNs are unique per region.")


@rule("version.des-same-subscription", "version.des-other-subscription", "version",
      "Disk encryption sets are in the gallery's subscription")
def des_same_subscription(ctx):
    if not ctx.spec["subscription_known"]:
        return skipped("the subscription is unknown offline; log in or give full ids")
    for region, _, des_id in _encryption_entries(ctx.spec):
        parts = ids.parse(des_id)
        if parts and parts["subscription"].lower() != ctx.spec["subscription"].lower():
            return failed("Encryption set '{}' ({}) is in subscription {}, the gallery in {}.".format(
                des_id, region, parts["subscription"], ctx.spec["subscription"]),
                des_id=des_id, subscription=ctx.spec["subscription"])
    return passed("Every encryption set is in the gallery's subscription.")


@rule("version.encryption-source-kind", "version.encryption-unsupported-source", "version",
      "Encryption sets are only used with VM, disk, snapshot or managed image sources")
def encryption_source(ctx):
    uses_des = any(True for _ in _encryption_entries(ctx.spec))
    source = ctx.spec["source"]
    if uses_des and (source.get("os_vhd_uri") or any(d["uri"] for d in source["data_disks"])):
        uri = source.get("os_vhd_uri") or next(d["uri"] for d in source["data_disks"] if d["uri"])
        return failed("Encryption sets are given for a VHD blob source '{}'.".format(uri), source_id=uri)
    return passed("No encryption set is combined with a VHD source.")


# ---- live: gallery, definition, existing version, sources ------------------------------------

@rule("version.definition-exists", "version.parent-not-found", "version",
      "The gallery and the image definition exist", live=True)
def parent_exists(ctx):
    if ctx.gallery() is None:
        return failed("Gallery '{}' was not found in resource group '{}'.".format(
            ctx.spec["gallery"], ctx.spec["resource_group"]), name=ctx.spec["gallery"])
    if ctx.definition() is None:
        return failed("Image definition '{}/{}' was not found.".format(ctx.spec["gallery"], ctx.spec["image"]),
                      name="{}/{}".format(ctx.spec["gallery"], ctx.spec["image"]))
    return passed("Gallery '{}' and definition '{}' exist.".format(ctx.spec["gallery"], ctx.spec["image"]))


def _home_region(ctx):
    return ctx.location()


@rule("version.source-exists", ("version.source-does-not-exist", "version.source-not-found"), "version",
      "Every source resource exists, in the region the version is created in", live=True)
def source_exists(ctx):
    for _, source_id in source_ids(ctx.spec):
        if ids.is_fully_qualified(source_id) and ctx.data(("resource", source_id)) is None:
            return failed("Source '{}' was not found.".format(source_id), source_id=source_id,
                          resource_id=source_id)
    source = ctx.source()
    home = _home_region(ctx)
    if source is None or not source.get("location") or not home:
        return passed("Every source exists." if source is not None else "No resource source to look up.")
    if not ids.same_region(source["location"], home):
        _, source_id = facts.primary_source(ctx.spec)
        return failed("The source is in '{}' but the version would be created in '{}'.".format(
            source["location"], home), error_id="version.source-not-found", source_id=source_id,
            resource_id=source_id, region=home, source_region=source["location"])
    return passed("Every source exists, in '{}' like the version.".format(home))


@rule("version.source-provisioned", "version.source-not-provisioned", "version",
      "The source has finished being created (provisioningState Succeeded)", live=True)
def source_provisioned(ctx):
    for _, source_id in source_ids(ctx.spec):
        if not ids.is_fully_qualified(source_id):
            continue
        resource = ctx.data(("resource", source_id))
        state = ((resource or {}).get("properties") or {}).get("provisioningState")
        if resource is not None and state and state.lower() != "succeeded":
            return failed("Source '{}' is in provisioningState '{}'.".format(source_id, state),
                          source_id=source_id, resource_id=ctx.spec["version_id"])
    return passed("Every source has been created successfully.")


@rule("version.target-regions-include-source", "version.source-region-not-targeted", "version",
      "The target regions include the source's region", live=True)
def regions_include_source(ctx):
    if not ctx.spec["target_regions"]:
        return passed("No --target-regions given: the version's own region is used.")
    source = ctx.source()
    if source is None or not source.get("location"):
        return skipped("the source's region is unknown")
    names = [r["name"] for r in ctx.spec["target_regions"]]
    if not any(ids.same_region(name, source["location"]) for name in names):
        # In az's --target-regions form (each once, counts and storage types kept): the command re-sends them.
        return failed("Target regions {} leave out the source's region '{}'.".format(", ".join(names),
                                                                                     source["location"]),
                      regions=" ".join(_each_region_once(ctx.spec["target_regions"])),
                      source_region=source["location"])
    return passed("Target regions include the source's region '{}'.".format(source["location"]))


def _compare(ctx, field, label, values_name):
    definition = ctx.definition()
    source = ctx.source()
    if definition is None or source is None:
        return skipped("the definition or the source is missing")
    wanted = (definition.get("properties") or {}).get(field)
    if field == "hyperVGeneration":
        wanted = wanted or "V1"
    actual = source.get(values_name)
    if not wanted or not actual:
        return skipped("the source's {} cannot be read from a {} source".format(label, source["kind"]))
    if wanted.lower() != actual.lower():
        source_id = facts.primary_source(ctx.spec)[1]
        return failed("The source's {} is {}; the definition's is {}.".format(label, actual, wanted),
                      actual=actual, wanted=wanted, source_id=source_id, resource_id=source_id)
    return passed("The source's {} ({}) matches the definition.".format(label, actual))


@rule("version.source-os-state", "version.os-state-mismatch", "version",
      "The source's OS state (generalized or specialized) matches the definition", live=True)
def os_state_matches(ctx):
    outcome = _compare(ctx, "osState", "OS state", "os_state")
    if outcome.status == "fail":
        outcome.values.update(os_state1=outcome.values["wanted"], os_state2=outcome.values["actual"])
    return outcome


@rule("version.source-hyperv-generation", "version.hyperv-generation-mismatch", "version",
      "The source's Hyper-V generation matches the definition", live=True)
def hyperv_matches(ctx):
    outcome = _compare(ctx, "hyperVGeneration", "Hyper-V generation", "hyper_v")
    if outcome.status == "fail":
        outcome.values.update(hyperv1=outcome.values["actual"], hyperv2=outcome.values["wanted"])
    return outcome


@rule("version.source-os-type", "version.os-type-mismatch", "version",
      "The source's OS type matches the definition", live=True)
def os_type_matches(ctx):
    outcome = _compare(ctx, "osType", "OS type", "os_type")
    if outcome.status == "fail":
        outcome.values.update(os_type1=outcome.values["actual"], os_type2=outcome.values["wanted"])
    return outcome


@rule("version.architecture-matches", "version.architecture-mismatch", "version",
      "The source's CPU architecture matches the definition", live=True)
def architecture_matches(ctx):
    definition = ctx.definition()
    source = ctx.source()
    if definition is None or source is None:
        return skipped("the definition or the source is missing")
    wanted = (definition.get("properties") or {}).get("architecture") or "x64"
    actual = source.get("architecture")
    if not actual:
        return skipped("the source's architecture cannot be read from a {} source".format(source["kind"]))
    if actual.lower() != wanted.lower():
        return failed("The source's CPU architecture is {}; the definition is {}.".format(actual, wanted),
                      value=actual, architecture=wanted, source_id=facts.primary_source(ctx.spec)[1])
    return passed("The source's architecture ({}) matches the definition.".format(actual))


def _vm_source(ctx):
    source = ctx.source()
    if source is None:
        return None
    return source if source["kind"] == "vm" else None


@rule("version.source-no-ephemeral-os", "version.source-ephemeral-os-disk", "version",
      "A source VM does not use an ephemeral OS disk", live=True)
def no_ephemeral(ctx):
    vm = _vm_source(ctx)
    if vm is None:
        return skipped("the source is not a VM")
    if vm["ephemeral_os_disk"]:
        return failed("The source VM runs on an ephemeral OS disk.", resource_id=facts.primary_source(ctx.spec)[1])
    return passed("The source VM's OS disk is persistent.")


@rule("version.source-no-ultra-ssd", "version.source-ultra-ssd", "version",
      "A source VM has no Ultra SSD disks", live=True)
def no_ultra(ctx):
    vm = _vm_source(ctx)
    if vm is None:
        return skipped("the source is not a VM")
    ultra = [d for d in vm["disks"] if (d.get("storage_type") or "").lower().startswith("ultrassd")]
    if ultra:
        return failed("Disk '{}' of the source VM is an Ultra SSD.".format(ultra[0]["id"]),
                      resource_id=facts.primary_source(ctx.spec)[1], disk_id=ultra[0]["id"])
    return passed("The source VM has no Ultra SSD disks.")


@rule("version.source-managed-disks", "version.source-unmanaged-disks", "version",
      "A source VM uses managed disks", live=True)
def managed_disks(ctx):
    vm = _vm_source(ctx)
    if vm is None:
        return skipped("the source is not a VM")
    if vm["unmanaged"]:
        return failed("The source VM uses unmanaged (VHD blob) disks.",
                      resource_id=facts.primary_source(ctx.spec)[1])
    return passed("The source VM uses managed disks.")


@rule("version.source-size", "version.source-too-large", "version",
      "No source disk exceeds 2 TB unless replication is shallow", live=True)
def size_limit(ctx):
    source = ctx.source()
    if source is None:
        return skipped("the source is missing or is a VHD blob")
    if (ctx.spec.get("replication_mode") or "").lower() == "shallow":
        return passed("Shallow replication accepts sources up to 32 TB.")
    large = [d for d in source["disks"] if d.get("size_gb") and int(d["size_gb"]) > MAX_SOURCE_SIZE_GB]
    if large:
        disk = large[0]
        return failed("Source disk {} is {} GB, above the {} GB that full replication supports.".format(
            disk.get("id") or "LUN {}".format(disk["lun"]), disk["size_gb"], MAX_SOURCE_SIZE_GB),
            size_gb=disk["size_gb"], max_size_gb=MAX_SOURCE_SIZE_GB, disk_id=disk.get("id"),
            source_region=source.get("location"))
    known = [d for d in source["disks"] if d.get("size_gb")]
    if not known:
        return skipped("the source's disk sizes cannot be read")
    return passed("All {} source disks are within {} GB.".format(len(known), MAX_SOURCE_SIZE_GB))


@rule("version.encrypted-source-same-subscription", "version.encrypted-source-other-subscription", "version",
      "An encrypted source is in the gallery's subscription", live=True)
def encrypted_source_subscription(ctx):
    source = ctx.source()
    if source is None:
        return skipped("the source is missing or is a VHD blob")
    role, source_id = facts.primary_source(ctx.spec)
    parts = ids.parse(source_id) or {}
    if (parts.get("subscription") or "").lower() == ctx.spec["subscription"].lower():
        return passed("The source is in the gallery's subscription.")
    encrypted = [d for d in source["disks"] if "customerkey" in (d.get("encryption_type") or "").lower()
                 or d.get("des_id")]
    if encrypted:
        return failed("The source in subscription {} is encrypted with a customer-managed key; the gallery is "
                      "in {}.".format(parts.get("subscription"), ctx.spec["subscription"]),
                      resource_id=source_id, subscription=ctx.spec["subscription"])
    return passed("The source is in another subscription but is not encrypted with a customer key.")


@rule("version.des-exists", "version.des-not-found", "version",
      "Every disk encryption set exists", live=True)
def des_exists(ctx):
    checked = set()
    for region, _, des_id in _encryption_entries(ctx.spec):
        if des_id in checked or not ids.is_fully_qualified(des_id):
            continue
        checked.add(des_id)
        if ctx.data(("resource", des_id)) is None:
            return failed("Disk encryption set '{}' (used in {}) was not found.".format(des_id, region), des_id=des_id)
    if not checked:
        return passed("No disk encryption sets are used.")
    return passed("All {} disk encryption sets exist.".format(len(checked)))


@rule("version.encryption-luns-exist", "version.encryption-lun-invalid", "version",
      "Encryption LUNs match data disks of the source")
def encryption_lun_exists(ctx):
    wanted = sorted({lun for _, lun, _ in _encryption_entries(ctx.spec) if lun is not None})
    if not wanted:
        return passed("No data disk encryption is given.")
    data_disks = ctx.spec["source"]["data_disks"]
    if data_disks:
        luns = sorted({d["lun"] for d in data_disks})
    else:
        source = ctx.source()
        if source is None:
            return skipped("the source is missing, so its data disks are unknown")
        luns = sorted({d["lun"] for d in source["disks"] if d["lun"] is not None})
    invalid = [lun for lun in wanted if lun not in luns]
    if invalid:
        return failed("Encryption names LUN {}, but the source's data disks use {}.".format(
            invalid[0], ", ".join(map(str, luns)) or "no LUNs"), lun=invalid[0], luns=",".join(map(str, luns)))
    return passed("Encryption LUNs {} match the source's data disks.".format(", ".join(map(str, wanted))))


# ---- security type and Confidential VM (newer failure modes) --------------------------------

def _security_type(ctx):
    """(the definition's SecurityType, None) or (None, a skip outcome when it is missing)."""
    definition = ctx.definition()
    if definition is None:
        return None, skipped("the image definition is missing")
    return facts.definition_security_type(definition), None


@rule("version.trusted-launch-supported-source", "version.trusted-launch-supported-vm-source", "version",
      "A TrustedLaunchSupported definition takes a VHD, managed image or image version source, not a VM",
      live=True)
def trusted_launch_source(ctx):
    security, outcome = _security_type(ctx)
    if outcome:
        return outcome
    role, source_id = facts.primary_source(ctx.spec)
    kind = ids.kind_of(source_id) if source_id else None
    if security in ("TrustedLaunchSupported", "TrustedLaunchAndConfidentialVmSupported") and kind == "vm":
        return failed("The definition declares {} and the source is a VM ({}).".format(security, source_id),
                      security_type=security, source_id=source_id)
    return passed("Security type {} accepts a {} source.".format(security, kind or role or "given"))


# Definition security types that a VM source must match exactly (the "...Supported" types accept
# sources of several kinds and have their own rules above and below).
EXACT_SECURITY_TYPES = ("Standard", "TrustedLaunch", "ConfidentialVM")


@rule("version.source-security-type", "version.security-type-mismatch", "version",
      "A VM source runs with the security type the definition declares", live=True)
def source_security_type(ctx):
    security, outcome = _security_type(ctx)
    if outcome:
        return outcome
    if security not in EXACT_SECURITY_TYPES:
        return passed("Security type {} does not require one exact source security type.".format(security))
    source = _vm_source(ctx)
    if source is None:
        return passed("The source is not a VM; its security type is checked by the service per source kind.")
    actual = source.get("security_type") or "Standard"
    if actual.lower() != security.lower():
        source_id = facts.primary_source(ctx.spec)[1]
        return failed("The source VM {} runs as {}; the definition declares {}.".format(source_id, actual, security),
                      source_id=source_id, source_security_type=actual, security_type=security)
    return passed("The source VM's security type ({}) matches the definition.".format(actual))


@rule("version.confidential-vm-source", "version.cvm-unsupported-source", "version",
      "A Confidential VM definition takes a snapshot, disk or VM source", live=True)
def confidential_source(ctx):
    security, outcome = _security_type(ctx)
    if outcome:
        return outcome
    role, source_id = facts.primary_source(ctx.spec)
    kind = ids.kind_of(source_id) if source_id else ("vhd" if role == "os_vhd" else None)
    if security in ("ConfidentialVM", "ConfidentialVMSupported") and kind not in ("snapshot", "disk", "vm", None):
        return failed("The definition declares {} and the source is a {} ({}).".format(
            security, kind, source_id or ctx.spec["source"].get("os_vhd_uri")),
            security_type=security, source_id=source_id)
    return passed("Security type {} accepts this source.".format(security))


@rule("version.confidential-vm-home-region-only", "version.cvm-home-region-only", "version",
      "A Confidential VM version targets only its home region unless it uses NonPersistedTPM", live=True)
def confidential_home_region(ctx):
    security, outcome = _security_type(ctx)
    if outcome:
        return outcome
    if security not in CVM_TYPES:
        return passed("The definition is not a Confidential VM definition ({}).".format(security))
    home = _home_region(ctx)
    if not home:
        return skipped("the version's home region is unknown")
    others = [r for r in effective_regions(ctx.spec, home) if not ids.same_region(r["name"], home)
              and (r["encryption"].get("cvm") or {}).get("type") != "NonPersistedTPM"]
    if others:
        return failed("Regions {} are beyond the home region '{}' without NonPersistedTPM.".format(
            _regions_text(others), home), region=home)
    return passed("The Confidential VM version stays in its home region or uses NonPersistedTPM.")


@rule("version.confidential-vm-security-profile", "version.cvm-security-profile-missing", "version",
      "Every region of a Confidential VM version has an OS disk security profile", live=True)
def confidential_profile(ctx):
    security, outcome = _security_type(ctx)
    if outcome:
        return outcome
    if security != "ConfidentialVM":
        return passed("The definition's security type is {}.".format(security))
    lacking = [r["name"] for r in effective_regions(ctx.spec, _home_region(ctx)) if not r["encryption"].get("cvm")]
    if lacking:
        return failed("No --target-region-cvm-encryption for {}.".format(", ".join(lacking)), region=lacking[0],
                      security_type=security)
    return passed("Every region has a Confidential VM encryption type.")


# ---- update of an existing version ----------------------------------------------------------

def _existing(ctx):
    existing = ctx.existing_version()
    return existing, (existing or {}).get("properties") or {}


@rule("version.not-being-deleted", "version.update-while-deleting", "version",
      "The existing version is not being deleted", live=True)
def not_deleting(ctx):
    existing, props = _existing(ctx)
    if existing is None:
        return passed("The version does not exist yet.")
    if (props.get("provisioningState") or "").lower() == "deleting":
        return failed("Version '{}' is being deleted.".format(ctx.spec["version"]), version=ctx.spec["version"])
    return passed("The existing version is {}.".format(props.get("provisioningState") or "present"))


def _existing_source_id(props):
    storage = props.get("storageProfile") or {}
    source = storage.get("source") or {}
    return (source.get("virtualMachineId") or source.get("id")
            or ((storage.get("osDiskImage") or {}).get("source") or {}).get("id"))


@rule("version.source-unchanged", "version.source-id-change-not-allowed", "version",
      "An update keeps the version's source", live=True)
def source_unchanged(ctx):
    existing, props = _existing(ctx)
    if existing is None:
        return passed("The version does not exist yet: this is a create.")
    old = _existing_source_id(props)
    _, new = facts.primary_source(ctx.spec)
    if old and new and not ids.same_id(old, new):
        return failed("The version was built from '{}'; the request names '{}'.".format(old, new),
                      resource_id=new, property="storageProfile.source.id")
    return passed("The source is unchanged.")


@rule("version.update-keeps-luns", "version.update-changes-data-disks", "version",
      "An update adds no data disk and changes no LUN", live=True)
def data_disks_unchanged(ctx):
    existing, props = _existing(ctx)
    if existing is None:
        return passed("The version does not exist yet.")
    given = ctx.spec["source"]["data_disks"]
    if not given:
        return passed("The request names no data disks.")
    old = sorted(d.get("lun") for d in (props.get("storageProfile") or {}).get("dataDiskImages") or [])
    new = sorted(d["lun"] for d in given)
    if old != new:
        return failed("The version has data disk LUNs {}; the request has {}.".format(old, new),
                      luns=",".join(map(str, new)))
    return passed("Data disk LUNs are unchanged.")


def _existing_encrypted_luns(props):
    luns = {}
    for region in (props.get("publishingProfile") or {}).get("targetRegions") or []:
        for data in ((region.get("encryption") or {}).get("dataDiskImages") or []):
            luns.setdefault(ids.region_key(region.get("name")), set()).add(data.get("lun"))
    return luns


@rule("version.update-no-new-encryption", "version.update-adds-disk-encryption", "version",
      "An update adds no data disk encryption", live=True)
def no_encryption_added(ctx):
    existing, props = _existing(ctx)
    if existing is None:
        return passed("The version does not exist yet.")
    before = _existing_encrypted_luns(props)
    for region in ctx.spec["target_regions"]:
        for data in region["encryption"]["data"]:
            if data["lun"] not in before.get(ids.region_key(region["name"]), set()):
                return failed("LUN {} gets an encryption set in {} but was not encrypted there.".format(
                    data["lun"], region["name"]), lun=data["lun"], region=region["name"])
    return passed("No encryption is added to the existing version.")


@rule("version.replicated-regions-kept", "version.update-drops-regions", "version",
      "An update keeps every region the version is already replicated to", live=True)
def regions_kept(ctx):
    existing, props = _existing(ctx)
    if existing is None:
        return passed("The version does not exist yet.")
    if ctx.spec.get("allow_replicated_location_deletion"):
        return passed("--allow-replicated-location-deletion is set.")
    if ((props.get("safetyProfile") or {}).get("allowDeletionOfReplicatedLocations")):
        return passed("The version allows removing replicated regions.")
    old = [r.get("name") for r in (props.get("publishingProfile") or {}).get("targetRegions") or []]
    # Without --target-regions az sends the version's own region alone, not the existing list.
    sent = effective_regions(ctx.spec, _home_region(ctx))
    if not sent:
        return skipped("the version's region is unknown (no --location, and its resource group could not be read)")
    new = {ids.region_key(r["name"]) for r in sent}
    dropped = [name for name in old if ids.region_key(name) not in new]
    if dropped:
        return failed("The update drops {} where the version is already replicated.".format(", ".join(dropped)),
                      regions=", ".join(dropped), region=dropped[0])
    return passed("Every replicated region is kept.")


