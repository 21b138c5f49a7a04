"""Rules of `check-version` that the arguments alone decide (offline)."""

from collections import Counter

from azext_sig_doctor.checks.registry import failed, passed, rule, skipped
from azext_sig_doctor.checks.rules.common import INT32_MAX, VERSION_NAME
from azext_sig_doctor.domain import ids
from azext_sig_doctor.domain.request import RegionEncryption

MAX_REPLICAS = 100


@rule("version.name-format", "version.name-format", "version",
      "Version name is Major.Minor.Patch with 32-bit integers")
def name_format(ctx):
    """The service takes three whole numbers, each within a 32-bit integer."""
    name = ctx.request.version or ""
    match = VERSION_NAME.match(name)
    if not match:
        return failed("Version name '{}' is not Major(int).Minor(int).Patch(int).".format(name), version=name)
    too_big = [part for part in match.groups() if int(part) > INT32_MAX]
    if too_big:
        return failed("Version name '{}' has {} beyond the 32-bit limit {}.".format(
            name, ", ".join(too_big), INT32_MAX), version=name)
    return passed("Version name '{}' is valid.".format(name))


@rule("version.unique-regions", "version.duplicate-regions", "version",
      "No region appears twice in --target-regions")
def unique_regions(ctx):
    """The service refuses a region listed twice, whatever its spelling."""
    target = ctx.request.target_regions
    counts = Counter(r.key for r in target)
    duplicates = [r.name for r in target if counts[r.key] > 1]
    if duplicates:
        return failed("Target regions repeat: {}.".format(", ".join(duplicates)), regions=", ".join(duplicates),
                      region=duplicates[0])
    return passed("Every target region is listed once.")


@rule("version.replica-count-range", "version.replica-count-out-of-range", "version",
      "Replica counts lie between 1 and 100")
def replica_range(ctx):
    """Each replica count, the default and every region's, is 1 to 100."""
    request = ctx.request
    counts = [("--replica-count", request.replica_count)]
    counts += [("regionalReplicaCount of {}".format(r.name), r.replica_count) for r in request.target_regions]
    for prop, count in counts:
        if count is not None and not 1 <= int(count) <= MAX_REPLICAS:
            return failed("{} is {}; it must be between 1 and {}.".format(prop, count, MAX_REPLICAS),
                          value=count, property=prop, min_value=1, max_value=MAX_REPLICAS)
    return passed("Replica counts are within 1..{}.".format(MAX_REPLICAS))


@rule("version.single-source", "version.source-missing-or-ambiguous", "version",
      "Exactly one kind of source: a VM, managed image or version, or disk snapshots/VHDs")
def single_source(ctx):
    """A version is made from one VM, managed image or version, or from disks (snapshots or VHDs)."""
    source = ctx.request.source
    if getattr(ctx, "stated_source", None) is not None and source.primary[1] is None and not source.os_vhd_uri:
        return passed("The source is the VM the build creates and captures.")
    top = [role for role in ("virtual_machine", "managed_image", "image_version") if getattr(source, role)]
    disk_level = [role for role in ("os_snapshot", "os_vhd_uri") if getattr(source, role)]
    if source.data_disks:
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
    """az and the service take sources as /subscriptions/... ids."""
    for role, source_id in ctx.request.source.resource_ids():
        if not ids.is_resource_id(source_id):
            return failed("The {} '{}' is not a fully qualified resource id (/subscriptions/...).".format(
                role.replace("_", " "), source_id), resource_id=source_id)
    return passed("Every source id is fully qualified.")


@rule("version.vm-source-as-virtual-machine-id", "version.vm-source-as-source-id", "version",
      "A VM source is given with --virtual-machine, not as an image id")
def vm_source_field(ctx):
    """A VM goes in source.virtualMachineId (--virtual-machine); the service refuses it as source.id."""
    managed = ctx.request.source.managed_image
    if managed and ids.kind_of(managed) == "vm":
        return failed("--managed-image points at a virtual machine ({}); a VM goes in --virtual-machine.".format(
            managed), resource_id=managed, source_id=managed)
    return passed("No VM id is passed as an image source.")


@rule("version.source-kind", "version.source-not-image-or-vm", "version",
      "The top-level source is a VM, a managed image or a gallery image version")
def source_kind(ctx):
    """Each source option takes one kind of resource."""
    source = ctx.request.source
    expected = {"virtual_machine": ("vm",), "managed_image": ("managed-image", "vm"),
                "image_version": ("gallery-version",)}
    for role, kinds in expected.items():
        source_id = getattr(source, role)
        if source_id and ids.is_resource_id(source_id) and ids.kind_of(source_id) not in kinds:
            return failed("The {} '{}' is a {}, not a managed image, VM or gallery image version.".format(
                role.replace("_", " "), source_id, ids.parse(source_id).type), resource_id=source_id)
    return passed("The top-level source is of a supported kind.")


@rule("version.disk-source-kind", "version.source-not-disk-or-snapshot", "version",
      "OS and data disk sources are managed disks or snapshots")
def disk_source_kind(ctx):
    """Disk sources are managed disks or snapshots."""
    source = ctx.request.source
    for source_id in [source.os_snapshot] + [d.source_id for d in source.data_disks]:
        if source_id and ids.is_resource_id(source_id) and ids.kind_of(source_id) not in ("snapshot", "disk"):
            return failed("'{}' is not a managed disk or snapshot.".format(source_id), resource_id=source_id)
    return passed("Disk sources are disks or snapshots.")


@rule("version.unique-luns", "version.duplicate-luns", "version", "Data disk LUNs are unique")
def unique_luns(ctx):
    """Two data disks cannot share a LUN."""
    counts = Counter(d.lun for d in ctx.request.source.data_disks)
    duplicates = sorted(lun for lun, count in counts.items() if count > 1)
    if duplicates:
        return failed("LUN {} is used by more than one data disk.".format(", ".join(map(str, duplicates))),
                      lun=duplicates[0], luns=", ".join(map(str, duplicates)))
    return passed("Every data disk has its own LUN.")


@rule("version.unique-source-ids", ("version.duplicate-source-ids", "version.os-and-data-disk-same-source"),
      "version", "Each disk (OS and data) has its own source")
def unique_sources(ctx):
    """A snapshot, disk or VHD is the source of one disk only."""
    source = ctx.request.source
    keys = [(d.source or "").lower() for d in source.data_disks]
    duplicates = sorted({k for k in keys if k and keys.count(k) > 1})
    if duplicates:
        return failed("Source '{}' is given for more than one data disk.".format(duplicates[0]),
                      resource_id=duplicates[0])
    os_source = (source.os_snapshot or source.os_vhd_uri or "").lower()
    for disk in source.data_disks:
        if os_source and (disk.source or "").lower() == os_source:
            return failed("LUN {} uses the OS disk's own source '{}'.".format(disk.lun, os_source),
                          error_id="version.os-and-data-disk-same-source", source_id=os_source,
                          resource_id=os_source, lun=disk.lun)
    return passed("Every disk source is distinct.")


def encryption_entries(request):
    """(region, lun or None for the OS disk, set id) for every disk encryption set given."""
    for region in request.target_regions:
        encryption = region.encryption or RegionEncryption()
        if encryption.os_des is not None:
            yield region.name, None, encryption.os_des
        for lun, des in encryption.data:
            yield region.name, lun, des


@rule("version.des-id-format", ("version.os-disk-des-id-invalid", "version.data-disk-des-id-invalid"), "version",
      "Disk encryption set ids are resource ids of disk encryption sets")
def des_id_format(ctx):
    """Each encryption set is named by the id of a disk encryption set."""
    for region, lun, des_id in encryption_entries(ctx.request):
        parsed = ids.parse(des_id)
        if not parsed or parsed.type.lower() != "diskencryptionsets":
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
    """Encryption is all or nothing per disk: a disk encrypted in one target region is encrypted in all."""
    target = ctx.request.target_regions
    with_des = [r for r in target if (r.encryption or RegionEncryption()).os_des]
    without = [r for r in target if not (r.encryption or RegionEncryption()).os_des]
    if with_des and without:
        return failed("The OS disk uses '{}' in {} but no encryption set in {}.".format(
            with_des[0].encryption.os_des, with_des[0].name, ", ".join(r.name for r in without)),
            region1=without[0].name, region2=with_des[0].name, des_id=with_des[0].encryption.os_des)
    by_region = [(r.name, dict((r.encryption or RegionEncryption()).data)) for r in target]
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
    """One encryption set per data disk and region."""
    for region in ctx.request.target_regions:
        counts = Counter(lun for lun, _ in (region.encryption or RegionEncryption()).data)
        duplicates = sorted(lun for lun, count in counts.items() if count > 1)
        if duplicates:
            return failed("LUN {} is listed twice in the encryption of {}.".format(duplicates[0], region.name),
                          lun=duplicates[0], region=region.name)
    return passed("Encryption LUNs are unique per region.")


@rule("version.des-same-subscription", "version.des-other-subscription", "version",
      "Disk encryption sets are in the gallery's subscription")
def des_same_subscription(ctx):
    """The service takes encryption sets of the gallery's own subscription only."""
    request = ctx.request
    if not request.subscription:
        return skipped("the subscription is unknown offline; log in or give full ids")
    for region, _, des_id in encryption_entries(request):
        parsed = ids.parse(des_id)
        if parsed and parsed.subscription.lower() != request.subscription.lower():
            return failed("Encryption set '{}' ({}) is in subscription {}, the gallery in {}.".format(
                des_id, region, parsed.subscription, request.subscription),
                des_id=des_id, subscription=request.subscription)
    return passed("Every encryption set is in the gallery's subscription.")


@rule("version.encryption-source-kind", "version.encryption-unsupported-source", "version",
      "Encryption sets are only used with VM, disk, snapshot or managed image sources")
def encryption_source(ctx):
    """A VHD blob source cannot be encrypted with a disk encryption set."""
    source = ctx.request.source
    uses_des = any(True for _ in encryption_entries(ctx.request))
    vhds = [source.os_vhd_uri] + [d.uri for d in source.data_disks]
    if uses_des and any(vhds):
        uri = next(uri for uri in vhds if uri)
        return failed("Encryption sets are given for a VHD blob source '{}'.".format(uri), source_id=uri)
    return passed("No encryption set is combined with a VHD source.")


@rule("version.encryption-luns-exist", "version.encryption-lun-invalid", "version",
      "Encryption LUNs match data disks of the source")
def encryption_lun_exists(ctx):
    """Encryption names data disks by LUN; each LUN must be a data disk of the source."""
    wanted = sorted({lun for _, lun, _ in encryption_entries(ctx.request) if lun is not None})
    if not wanted:
        return passed("No data disk encryption is given.")
    data_disks = ctx.request.source.data_disks
    if data_disks:
        luns = sorted({d.lun for d in data_disks})
    else:
        source = ctx.source()
        if source is None:
            return skipped("the source is missing, so its data disks are unknown")
        luns = sorted({d["lun"] for d in source["disks"] if d["lun"] is not None})
    invalid = [lun for lun in wanted if lun not in luns]
    if invalid:
        return failed("Encryption names LUN {}, but the source's data disks use {}.".format(
            ", ".join(map(str, invalid)), ", ".join(map(str, luns)) or "no LUNs"), lun=invalid[0],
            luns=",".join(map(str, luns)))
    return passed("Encryption LUNs {} match the source's data disks.".format(", ".join(map(str, wanted))))
