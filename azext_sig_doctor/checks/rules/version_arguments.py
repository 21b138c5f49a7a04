"""Rules of `check-version` that the arguments alone decide (offline)."""

from collections import Counter

from azext_sig_doctor.checks.registry import failed, passed, rule, skipped
from azext_sig_doctor.checks.rules.common import INT32_MAX, VERSION_NAME
from azext_sig_doctor.domain import ids
from azext_sig_doctor.domain.request import RegionEncryption
from azext_sig_doctor.i18n.catalog import joined, msg

MAX_REPLICAS = 100


def role_words(role):
    """A source's role (``virtual_machine``, ``os_snapshot`` ...) in words: "virtual machine"."""
    return msg("version.source-roles", role.replace("_", "-"))


@rule("version.name-format", "version.name-format", "version",
      "Version name is Major.Minor.Patch with 32-bit integers")
def name_format(ctx):
    """The service takes three whole numbers, each within a 32-bit integer."""
    name = ctx.request.version or ""
    match = VERSION_NAME.match(name)
    group = "version.name-format"
    if not match:
        return failed(msg(group, "not-semver", name=name), version=name)
    too_big = [part for part in match.groups() if int(part) > INT32_MAX]
    if too_big:
        return failed(msg(group, "too-big", name=name, parts=", ".join(too_big), limit=INT32_MAX), version=name)
    return passed(msg(group, "valid", name=name))


@rule("version.unique-regions", "version.duplicate-regions", "version",
      "No region appears twice in --target-regions")
def unique_regions(ctx):
    """The service refuses a region listed twice, whatever its spelling."""
    target = ctx.request.target_regions
    counts = Counter(r.key for r in target)
    duplicates = [r.name for r in target if counts[r.key] > 1]
    if duplicates:
        return failed(msg("version.unique-regions", "repeat", regions=", ".join(duplicates)),
                      regions=", ".join(duplicates), region=duplicates[0])
    return passed(msg("version.unique-regions", "once"))


@rule("version.replica-count-range", "version.replica-count-out-of-range", "version",
      "Replica counts lie between 1 and 100")
def replica_range(ctx):
    """Each replica count, the default and every region's, is 1 to 100."""
    group = "version.replica-count-range"
    request = ctx.request
    counts = [("--replica-count", None, request.replica_count)]
    counts += [("regionalReplicaCount of {}".format(r.name), r.name, r.replica_count) for r in request.target_regions]
    for prop, region, count in counts:
        if count is not None and not 1 <= int(count) <= MAX_REPLICAS:
            text = msg(group, "default-out-of-range", replicas=count, maximum=MAX_REPLICAS) if region is None \
                else msg(group, "region-out-of-range", region=region, replicas=count, maximum=MAX_REPLICAS)
            return failed(text, value=count, property=prop, min_value=1, max_value=MAX_REPLICAS)
    return passed(msg(group, "within", maximum=MAX_REPLICAS))


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
    group = "version.single-source"
    # Named by the options that give them (--os-vhd-uri), not by the request's field names.
    kinds = joined(msg(group, "data-disks") if kind == "data disks" else "--" + kind.replace("_", "-")
                   for kind in top + disk_level)
    if not top and not disk_level:
        return failed(msg(group, "none"))
    if len(top) > 1 or (top and disk_level) or len([r for r in disk_level if r != "data disks"]) > 1:
        return failed(msg(group, "several", kinds=kinds))
    if not top and "data disks" in disk_level and len(disk_level) == 1:
        return failed(msg(group, "data-without-os"))
    return passed(msg(group, "one", kinds=kinds))


@rule("version.source-id-format", "version.source-id-malformed", "version",
      "Source ids are fully qualified resource ids")
def source_id_format(ctx):
    """az and the service take sources as /subscriptions/... ids."""
    for role, source_id in ctx.request.source.resource_ids():
        if not ids.is_resource_id(source_id):
            return failed(msg("version.source-id-format", "not-an-id", role=role_words(role), id=source_id),
                          resource_id=source_id)
    return passed(msg("version.source-id-format", "ids"))


@rule("version.vm-source-as-virtual-machine-id", "version.vm-source-as-source-id", "version",
      "A VM source is given with --virtual-machine, not as an image id")
def vm_source_field(ctx):
    """A VM goes in source.virtualMachineId (--virtual-machine); the service refuses it as source.id."""
    managed = ctx.request.source.managed_image
    if managed and ids.kind_of(managed) == "vm":
        return failed(msg("version.vm-source-as-virtual-machine-id", "vm-as-image", id=managed),
                      resource_id=managed, source_id=managed)
    return passed(msg("version.vm-source-as-virtual-machine-id", "fine"))


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
            return failed(msg("version.source-kind", "unsupported", role=role_words(role), id=source_id,
                              type=ids.parse(source_id).type), resource_id=source_id)
    return passed(msg("version.source-kind", "supported"))


@rule("version.disk-source-kind", "version.source-not-disk-or-snapshot", "version",
      "OS and data disk sources are managed disks or snapshots")
def disk_source_kind(ctx):
    """Disk sources are managed disks or snapshots."""
    source = ctx.request.source
    for source_id in [source.os_snapshot] + [d.source_id for d in source.data_disks]:
        if source_id and ids.is_resource_id(source_id) and ids.kind_of(source_id) not in ("snapshot", "disk"):
            return failed(msg("version.disk-source-kind", "unsupported", id=source_id), resource_id=source_id)
    return passed(msg("version.disk-source-kind", "supported"))


@rule("version.unique-luns", "version.duplicate-luns", "version", "Data disk LUNs are unique")
def unique_luns(ctx):
    """Two data disks cannot share a LUN."""
    counts = Counter(d.lun for d in ctx.request.source.data_disks)
    duplicates = sorted(lun for lun, count in counts.items() if count > 1)
    if duplicates:
        return failed(msg("version.unique-luns", "shared", luns=", ".join(map(str, duplicates))),
                      lun=duplicates[0], luns=", ".join(map(str, duplicates)))
    return passed(msg("version.unique-luns", "unique"))


@rule("version.unique-source-ids", ("version.duplicate-source-ids", "version.os-and-data-disk-same-source"),
      "version", "Each disk (OS and data) has its own source")
def unique_sources(ctx):
    """A snapshot, disk or VHD is the source of one disk only."""
    source = ctx.request.source
    keys = [(d.source or "").lower() for d in source.data_disks]
    duplicates = sorted({k for k in keys if k and keys.count(k) > 1})
    group = "version.unique-source-ids"
    if duplicates:
        return failed(msg(group, "shared", source=duplicates[0]), resource_id=duplicates[0])
    os_source = (source.os_snapshot or source.os_vhd_uri or "").lower()
    for disk in source.data_disks:
        if os_source and (disk.source or "").lower() == os_source:
            return failed(msg(group, "os-source", lun=disk.lun, source=os_source),
                          error_id="version.os-and-data-disk-same-source", source_id=os_source,
                          resource_id=os_source, lun=disk.lun)
    return passed(msg(group, "distinct"))


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
                return failed(msg("version.des-id-format", "os-disk", id=des_id, region=region), des_id=des_id,
                              region=region)
            return failed(msg("version.des-id-format", "data-disk", id=des_id, lun=lun, region=region),
                          error_id="version.data-disk-des-id-invalid", des_id=des_id, region=region, lun=lun)
    return passed(msg("version.des-id-format", "well-formed"))


@rule("version.encryption-all-regions", ("version.os-disk-encryption-not-in-all-regions",
                                          "version.data-disk-encryption-not-in-all-regions"), "version",
      "A disk encrypted with a set in one region is encrypted in every region")
def encryption_everywhere(ctx):
    """Encryption is all or nothing per disk: a disk encrypted in one target region is encrypted in all."""
    target = ctx.request.target_regions
    with_des = [r for r in target if (r.encryption or RegionEncryption()).os_des]
    without = [r for r in target if not (r.encryption or RegionEncryption()).os_des]
    group = "version.encryption-all-regions"
    if with_des and without:
        return failed(msg(group, "os-disk", des=with_des[0].encryption.os_des, region=with_des[0].name,
                          regions=", ".join(r.name for r in without)),
                      region1=without[0].name, region2=with_des[0].name, des_id=with_des[0].encryption.os_des)
    by_region = [(r.name, dict((r.encryption or RegionEncryption()).data)) for r in target]
    for lun in sorted({lun for _, luns in by_region for lun in luns}):
        having = [(name, luns[lun]) for name, luns in by_region if lun in luns]
        missing = [name for name, luns in by_region if lun not in luns]
        if missing:
            region2, des_id = having[0]
            return failed(msg(group, "data-disk", lun=lun, des=des_id, region=region2, regions=", ".join(missing)),
                          error_id="version.data-disk-encryption-not-in-all-regions",
                          lun=lun, number=lun, region1=missing[0], region2=region2, des_id=des_id)
    return passed(msg(group, "consistent"))


@rule("version.encryption-unique-luns", "version.encryption-duplicate-luns", "version",
      "No LUN appears twice in one region's encryption settings")
def encryption_unique_luns(ctx):
    """One encryption set per data disk and region."""
    for region in ctx.request.target_regions:
        counts = Counter(lun for lun, _ in (region.encryption or RegionEncryption()).data)
        duplicates = sorted(lun for lun, count in counts.items() if count > 1)
        if duplicates:
            return failed(msg("version.encryption-unique-luns", "twice", lun=duplicates[0], region=region.name),
                          lun=duplicates[0], region=region.name)
    return passed(msg("version.encryption-unique-luns", "unique"))


@rule("version.des-same-subscription", "version.des-other-subscription", "version",
      "Disk encryption sets are in the gallery's subscription")
def des_same_subscription(ctx):
    """The service takes encryption sets of the gallery's own subscription only."""
    request = ctx.request
    group = "version.des-same-subscription"
    if not request.subscription:
        return skipped(msg(group, "subscription-unknown"))
    for region, _, des_id in encryption_entries(request):
        parsed = ids.parse(des_id)
        if parsed and parsed.subscription.lower() != request.subscription.lower():
            return failed(msg(group, "other", id=des_id, region=region, subscription=parsed.subscription,
                              gallery_subscription=request.subscription),
                          des_id=des_id, subscription=request.subscription)
    return passed(msg(group, "same"))


@rule("version.encryption-source-kind", "version.encryption-unsupported-source", "version",
      "Encryption sets are only used with VM, disk, snapshot or managed image sources")
def encryption_source(ctx):
    """A VHD blob source cannot be encrypted with a disk encryption set."""
    source = ctx.request.source
    uses_des = any(True for _ in encryption_entries(ctx.request))
    vhds = [source.os_vhd_uri] + [d.uri for d in source.data_disks]
    if uses_des and any(vhds):
        uri = next(uri for uri in vhds if uri)
        return failed(msg("version.encryption-source-kind", "vhd", uri=uri), source_id=uri)
    return passed(msg("version.encryption-source-kind", "fine"))


@rule("version.encryption-luns-exist", "version.encryption-lun-invalid", "version",
      "Encryption LUNs match data disks of the source")
def encryption_lun_exists(ctx):
    """Encryption names data disks by LUN; each LUN must be a data disk of the source."""
    group = "version.encryption-luns-exist"
    wanted = sorted({lun for _, lun, _ in encryption_entries(ctx.request) if lun is not None})
    if not wanted:
        return passed(msg(group, "none"))
    data_disks = ctx.request.source.data_disks
    if data_disks:
        luns = sorted({d.lun for d in data_disks})
    else:
        source = ctx.source()
        if source is None:
            return skipped(msg(group, "source-unknown"))
        luns = sorted({d["lun"] for d in source["disks"] if d["lun"] is not None})
    invalid = [lun for lun in wanted if lun not in luns]
    if invalid:
        return failed(msg(group, "invalid", luns=", ".join(map(str, invalid)),
                          source_luns=", ".join(map(str, luns)) or msg(group, "no-luns")),
                      lun=invalid[0], luns=",".join(map(str, luns)))
    return passed(msg(group, "match", luns=", ".join(map(str, wanted))))
