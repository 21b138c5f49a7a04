"""Edits of an image version request (az sig image-version create)."""

import re
from dataclasses import replace

from azext_sig_doctor.domain import ids, regions
from azext_sig_doctor.domain.fixes import Edit, Unresolved, need, op
from azext_sig_doctor.domain.request import CvmEncryption, RegionEncryption, TargetRegion

MIN_REPLICAS, MAX_REPLICAS = 1, 100


def _names(items):
    return ", ".join(items)


def _with_regions(request, target_regions):
    return replace(request, target_regions=tuple(target_regions))


@op("unique_regions", "version")
def unique_regions(request, lookup):
    """Each target region once, where it was first listed, with what its mentions say (a count, a
    storage type, encryption); mentions that say different things are the user's to choose from."""
    groups = {}
    for region in request.target_regions:
        groups.setdefault(region.key, []).append(region)
    repeated = {key: mentions for key, mentions in groups.items() if len(mentions) > 1}
    if not repeated:
        return None
    merged = {}
    for key, mentions in repeated.items():
        fields = {}
        for name in ("replica_count", "storage_account_type", "encryption", "cvm"):
            values = []
            for mention in mentions:
                value = getattr(mention, name)
                if value is not None and value not in values:
                    values.append(value)
            if len(values) > 1:
                return Unresolved("{} is listed {} times with different {}: keep the one you mean".format(
                    mentions[0].name, len(mentions), name.replace("_", " ")))
            fields[name] = values[0] if values else None
        first = mentions[0]
        same = all(getattr(first, name) == value for name, value in fields.items())
        merged[key] = first if same else first.changed(**fields)

    def apply(current):
        seen, kept = set(), []
        for region in current.target_regions:
            if region.key in seen:
                continue
            seen.add(region.key)
            kept.append(merged.get(region.key, region))
        return _with_regions(current, kept)
    return Edit("list {} once in --target-regions".format(_names(m[0].name for m in repeated.values())), apply)


def _encryption_for(request, region_name, lookup):
    """The encryption a region added to ``request`` needs to match the others: a disk encryption set
    of its own (sets are regional) for each disk the other regions encrypt, and their Confidential
    VM encryption type. Returns (RegionEncryption or None, CvmEncryption or None) or an Unresolved."""
    others = [region for region in request.target_regions if region.key != regions.key(region_name)]
    encrypted = [region for region in others if region.encryption is not None and not region.encryption.is_empty]
    cvm_regions = [region for region in others if region.cvm is not None]
    encryption = None
    if any(region.encryption is not None for region in others):
        encryption = RegionEncryption()
    if encrypted:
        os_wanted = any(region.encryption.os_des for region in encrypted)
        luns = sorted({lun for region in encrypted for lun, _ in region.encryption.data})
        sets = need(lookup, "the disk encryption sets in {}".format(region_name)).disk_encryption_sets(region_name)
        if len(sets) != 1:
            return Unresolved(
                "the other target regions encrypt disks with disk encryption sets, and a set serves only its own "
                "region: {} needs one of its own ({}); create one there (az disk-encryption-set create -l {}) "
                "or name it in --target-region-encryption".format(
                    region_name, "none found in the subscription" if not sets else "several found: " + _names(sets),
                    regions.short_name(region_name)))
        des = sets[0]
        encryption = RegionEncryption(des if os_wanted else None, tuple((lun, des) for lun in luns))
    cvm = None
    if cvm_regions:
        kind = cvm_regions[0].cvm.type
        des = None
        if cvm_regions[0].cvm.des:
            sets = need(lookup, "the disk encryption sets in {}".format(region_name)).disk_encryption_sets(
                region_name)
            if len(sets) != 1:
                return Unresolved("the Confidential VM encryption of the other regions uses a disk encryption set; "
                                  "{} needs its own ({})".format(region_name, "none found" if not sets else
                                                                 "several found: " + _names(sets)))
            des = sets[0]
        cvm = CvmEncryption(kind, des)
    return encryption, cvm


@op("add_region", "version")
def add_region(request, lookup, region):
    """Add ``region`` (the source's home region) to --target-regions, first, with the encryption
    the other regions have."""
    if not request.target_regions or any(r.key == regions.key(region) for r in request.target_regions):
        return None
    encryption = _encryption_for(request, region, lookup)
    if isinstance(encryption, Unresolved):
        return encryption
    added = TargetRegion(regions.short_name(region), encryption=encryption[0], cvm=encryption[1])

    def apply(current):
        if any(r.key == added.key for r in current.target_regions):
            return current
        return _with_regions(current, (added,) + tuple(current.target_regions))
    return Edit("add {} to --target-regions".format(added.name), apply)


@op("restore_regions", "version")
def restore_regions(request, lookup):
    """An update keeps every region the version already has (with its count, type and encryption)."""
    existing = need(lookup, "the existing version").existing()
    if existing is None:
        return None
    home = lookup.home_region()
    sent = request.regions_sent(home)
    have = {r.key for r in sent}
    missing = [r for r in _existing_regions(existing) if r.key not in have]
    if not missing:
        return None
    base = tuple(sent)

    def apply(current):
        present = {r.key for r in current.regions_sent(home)}
        added = tuple(r for r in missing if r.key not in present)
        return _with_regions(current, tuple(current.regions_sent(home)) + added)
    return Edit("keep {} in --target-regions (the version is replicated there)".format(
        _names(r.name for r in missing)), apply, sets=() if base else ())


def _existing_regions(version):
    """The target regions of an existing version, as requests write them."""
    result = []
    for item in ((version.get("properties") or {}).get("publishingProfile") or {}).get("targetRegions") or []:
        encryption = item.get("encryption") or {}
        os_image = encryption.get("osDiskImage") or {}
        data = tuple((d.get("lun"), d.get("diskEncryptionSetId")) for d in encryption.get("dataDiskImages") or [])
        region_encryption = RegionEncryption(os_image.get("diskEncryptionSetId"), data) \
            if (os_image.get("diskEncryptionSetId") or data) else None
        profile = os_image.get("securityProfile") or {}
        cvm = CvmEncryption(profile["confidentialVMEncryptionType"], profile.get("secureVMDiskEncryptionSetId")) \
            if profile.get("confidentialVMEncryptionType") else None
        result.append(TargetRegion(regions.short_name(item.get("name") or ""), item.get("regionalReplicaCount"),
                                   item.get("storageAccountType"), region_encryption, cvm))
    return result


def _asks_zrs(request):
    """The target regions stored as Standard_ZRS (their own type, or the version's default)."""
    default_zrs = (request.storage_account_type or "").lower() == "standard_zrs"
    return [region for region in request.target_regions if (region.storage_account_type or "").lower() ==
            "standard_zrs" or (region.storage_account_type is None and default_zrs)]


@op("zrs_to_lrs", "version")
def zrs_to_lrs(request, lookup, regions_without_zones=None):
    """Standard_LRS for the regions that have no availability zones; every other region, count and
    type stays as asked. ``regions_without_zones`` is a comma-separated list (a region's display name
    has spaces); without it (the service's message names no region), it is the one region that asks
    for ZRS, when only one does."""
    if regions_without_zones is None:
        asking = _asks_zrs(request)
        if len(asking) != 1:
            return Unresolved("the message does not say which region has no availability zones and {} regions "
                              "ask for Standard_ZRS: az sig doctor check-version with the same arguments reads "
                              "which ones".format(len(asking)))
        regions_without_zones = asking[0].name
    lacking = {regions.key(name) for name in regions_without_zones.split(",") if name.strip()}
    if not lacking:
        return None

    def apply(current):
        if not current.target_regions:
            if (current.storage_account_type or "").lower() == "standard_zrs":
                return replace(current, storage_account_type="Standard_LRS")
            return current
        default_zrs = (current.storage_account_type or "").lower() == "standard_zrs"
        changed = []
        for region in current.target_regions:
            asks_zrs = (region.storage_account_type or "").lower() == "standard_zrs" or (
                region.storage_account_type is None and default_zrs)
            if region.key in lacking and asks_zrs:
                region = region.changed(storage_account_type="Standard_LRS")
            changed.append(region)
        return _with_regions(current, changed)
    return Edit("store the version as Standard_LRS in {} (no availability zones there)".format(
        _names(sorted(lacking))), apply)


@op("clamp_replicas", "version")
def clamp_replicas(request, lookup):
    """Replica counts into 1..100 (the nearest allowed value)."""
    def clamp(count):
        return None if count is None else min(MAX_REPLICAS, max(MIN_REPLICAS, count))
    if clamp(request.replica_count) == request.replica_count and all(
            clamp(r.replica_count) == r.replica_count for r in request.target_regions):
        return None

    def apply(current):
        return replace(current, replica_count=clamp(current.replica_count),
                       target_regions=tuple(r if clamp(r.replica_count) == r.replica_count
                                            else r.changed(replica_count=clamp(r.replica_count))
                                            for r in current.target_regions))
    return Edit("bring replica counts into {}..{}".format(MIN_REPLICAS, MAX_REPLICAS), apply)


@op("set_location", "version", tier=1)
def set_location(request, lookup, region):
    """Create the version in ``region`` (where its source is)."""
    if regions.same(request.location, region):
        return None
    short = regions.short_name(region)
    return Edit("create the version in {} (--location), where its source is".format(short),
                lambda current: replace(current, location=short), sets=(("location", regions.key(short)),))


@op("shallow_replication", "version")
def shallow_replication(request, lookup):
    """Shallow replication takes sources up to 32 TB and, as Azure documents it, keeps the version in
    its own region only: the other target regions go (with none given, az sends the home region)."""
    if (request.replication_mode or "").lower() == "shallow":
        return None
    # Without the home region at hand every target region goes: az then sends the home region alone.
    home = request.location or (lookup.home_region() if lookup else None)
    kept = tuple(region for region in request.target_regions if home and regions.same(region.name, home))
    dropped = len(request.target_regions) - len(kept)
    summary = "replicate shallowly (--replication-mode Shallow takes sources up to 32 TB)"
    if dropped:
        summary += " in the version's own region only (--target-regions {})".format(
            " ".join(region.word() for region in kept) if kept else "left out")
    return Edit(summary, lambda current: replace(current, replication_mode="Shallow", target_regions=kept),
                sets=(("replication_mode", "shallow"),))


@op("vm_source_option", "version", tier=0)
def vm_source_option(request, lookup):
    """A VM id given as --managed-image goes in --virtual-machine (sent as source.virtualMachineId)."""
    source = request.source
    if not source.managed_image or ids.kind_of(source.managed_image) != "vm":
        return None
    vm_id = source.managed_image
    return Edit("give the VM with --virtual-machine instead of --managed-image",
                lambda current: replace(current, source=replace(current.source, managed_image=None,
                                                                virtual_machine=vm_id)),
                sets=(("source", vm_id.lower()),))


def _set_region_encryption(region, os_des=None, luns=(), des=None):
    encryption = region.encryption or RegionEncryption()
    data = dict(encryption.data)
    for lun in luns:
        data.setdefault(lun, des)
    return region.changed(encryption=RegionEncryption(os_des if os_des is not None else encryption.os_des,
                                                      tuple(sorted(data.items()))))


@op("encrypt_everywhere", "version")
def encrypt_everywhere(request, lookup, lun=None):
    """The OS disk (or data disk ``lun``) encrypted in every region, each region with a disk
    encryption set of its own; every other disk's encryption stays as given."""
    lun = int(lun) if lun not in (None, "") else None

    def lacks(region):
        encryption = region.encryption or RegionEncryption()
        if lun is None:
            return not encryption.os_des
        return lun not in dict(encryption.data)
    lacking = [region for region in request.target_regions if lacks(region)]
    if not lacking:
        return None
    chosen = {}
    for region in lacking:
        sets = need(lookup, "the disk encryption sets in {}".format(region.name)).disk_encryption_sets(region.name)
        if len(sets) != 1:
            return Unresolved("{} needs a disk encryption set of its own for the {} ({}); create one there or "
                              "name it in --target-region-encryption".format(
                                  region.name, "OS disk" if lun is None else "data disk at LUN {}".format(lun),
                                  "none found in the subscription" if not sets else "several found: " + _names(sets)))
        chosen[region.key] = sets[0]

    def apply(current):
        result = []
        for region in current.target_regions:
            if region.key in chosen and lacks(region):
                region = _set_region_encryption(region, os_des=chosen[region.key]) if lun is None else \
                    _set_region_encryption(region, luns=(lun,), des=chosen[region.key])
            result.append(region)
        return _with_regions(current, result)
    what = "the OS disk" if lun is None else "the data disk at LUN {}".format(lun)
    return Edit("encrypt {} in {} too ({})".format(what, _names(r.name for r in lacking),
                                                   _names(ids.parse(d).name if ids.parse(d) else d
                                                          for d in chosen.values())), apply)


@op("drop_encryption_luns", "version")
def drop_encryption_luns(request, lookup, allowed):
    """Leave out the encryption entries of LUNs that are no data disk of the source (``allowed``:
    the source's data disk LUNs)."""
    keep = {int(lun) for lun in re.findall(r"\d+", str(allowed))}
    drop = {lun for region in request.target_regions for lun, _ in (region.encryption or RegionEncryption()).data
            if lun not in keep}
    if not drop:
        return None

    def apply(current):
        result = []
        for region in current.target_regions:
            encryption = region.encryption
            if encryption is not None and any(lun in drop for lun, _ in encryption.data):
                region = region.changed(encryption=RegionEncryption(
                    encryption.os_des, tuple((lun, des) for lun, des in encryption.data if lun not in drop)))
            result.append(region)
        return _with_regions(current, result)
    return Edit("leave out the encryption of LUN {} (no such data disk)".format(_names(map(str, sorted(drop)))), apply)


@op("drop_repeated_encryption_luns", "version")
def drop_repeated_encryption_luns(request, lookup):
    """A LUN listed twice with the same set in a region's encryption: once is enough. Two different
    sets for one disk are the user's choice to make."""
    for region in request.target_regions:
        seen = {}
        for lun, des in (region.encryption or RegionEncryption()).data:
            if lun in seen and not ids.same_id(seen[lun], des):
                return Unresolved("LUN {} is given two disk encryption sets in {} ({} and {}): keep the one the "
                                  "disk should use".format(lun, region.name, seen[lun], des))
            seen[lun] = des

    def apply(current):
        result = []
        for region in current.target_regions:
            encryption = region.encryption
            if encryption is not None:
                unique = dict(encryption.data)
                if len(unique) != len(encryption.data):
                    region = region.changed(encryption=RegionEncryption(encryption.os_des, tuple(unique.items())))
            result.append(region)
        return _with_regions(current, result)
    return Edit("list each LUN once per region in --target-region-encryption", apply)


@op("regional_des", "version")
def regional_des(request, lookup):
    """A disk encryption set serves its own region of its own subscription: each set of another
    subscription or region is replaced with the gallery subscription's set of the target region."""
    finder = need(lookup, "the disk encryption sets of the target regions")
    swaps = {}
    for region in request.target_regions:
        encryption = region.encryption or RegionEncryption()
        for des in [encryption.os_des] + [d for _, d in encryption.data]:
            parsed = ids.parse(des) if des else None
            if parsed is None or (region.key, des.lower()) in swaps:
                continue
            other_subscription = request.subscription and parsed.subscription.lower() != request.subscription.lower()
            location = finder.resource_location(des)
            if not other_subscription and (location is None or regions.same(location, region.name)):
                continue
            sets = finder.disk_encryption_sets(region.name)
            if len(sets) != 1:
                return Unresolved("{} serves {}; {} needs a disk encryption set of its own region and of the "
                                  "gallery's subscription ({})".format(
                                      des, "another subscription" if other_subscription else location or "elsewhere",
                                      region.name, "none found" if not sets else "several found: " + _names(sets)))
            swaps[(region.key, des.lower())] = sets[0]
    if not swaps:
        return None

    def swap(region_key, des):
        return swaps.get((region_key, (des or "").lower()), des)

    def apply(current):
        result = []
        for region in current.target_regions:
            encryption = region.encryption
            if encryption is not None:
                new = RegionEncryption(swap(region.key, encryption.os_des) if encryption.os_des else encryption.os_des,
                                       tuple((lun, swap(region.key, des)) for lun, des in encryption.data))
                if new != encryption:
                    region = region.changed(encryption=new)
            result.append(region)
        return _with_regions(current, result)
    return Edit("use each target region's own disk encryption set ({})".format(
        _names(sorted({ids.parse(d).name for d in swaps.values()}))), apply)


@op("cvm_encryption", "version")
def cvm_encryption(request, lookup, type="EncryptedVMGuestStateOnlyWithPmk"):  # pylint: disable=redefined-builtin
    """Give every region a Confidential VM OS-disk encryption type (platform-managed keys need no set)."""
    home = need(lookup, "the version's home region").home_region() if not request.target_regions else None
    target = request.regions_sent(home)
    if target and all(region.cvm is not None for region in target):
        return None
    if not target:
        return Unresolved("the version's region is unknown: give --location")

    def apply(current):
        base = current.regions_sent(home)
        return _with_regions(current, tuple(r if r.cvm is not None else r.changed(cvm=CvmEncryption(type))
                                            for r in base))
    return Edit("set --target-region-cvm-encryption {}, for every region".format(type), apply)


@op("keep_source", "version", tier=0)
def keep_source(request, lookup):
    """An update names the source the version was built from."""
    existing = need(lookup, "the existing version").existing()
    if existing is None:
        return None
    from azext_sig_doctor.domain.request import VersionSource
    storage = (existing.get("properties") or {}).get("storageProfile") or {}
    top = storage.get("source") or {}
    os_source = ((storage.get("osDiskImage") or {}).get("source") or {}).get("id")
    if top.get("virtualMachineId"):
        source = VersionSource(virtual_machine=top["virtualMachineId"])
    elif top.get("id"):
        kind = ids.kind_of(top["id"])
        source = VersionSource(image_version=top["id"]) if kind == "gallery-version" else \
            VersionSource(managed_image=top["id"])
    elif os_source:
        source = VersionSource(os_snapshot=os_source)
    else:
        return Unresolved("the existing version does not say what it was built from")
    data = tuple(disk for disk in request.source.data_disks)
    source = replace(source, data_disks=data)
    return Edit("name the version's own source ({})".format(source.primary[1]),
                lambda current: replace(current, source=source), sets=(("source", str(source.primary[1]).lower()),))


@op("keep_data_disks", "version")
def keep_data_disks(request, lookup):
    """An update leaves the data disks out (the version keeps its own)."""
    if not request.source.data_disks:
        return None
    return Edit("leave the data disks out of the update (the version keeps its own)",
                lambda current: replace(current, source=replace(current.source, data_disks=())))


@op("keep_encryption", "version")
def keep_encryption(request, lookup):
    """An update adds no data disk encryption the version does not have."""
    existing = need(lookup, "the existing version").existing()
    if existing is None:
        return None
    before = {r.key: {lun for lun, _ in (r.encryption or RegionEncryption()).data} for r in _existing_regions(existing)}

    def apply(current):
        result = []
        for region in current.target_regions:
            encryption = region.encryption
            if encryption is not None and encryption.data:
                kept = tuple((lun, des) for lun, des in encryption.data if lun in before.get(region.key, set()))
                if kept != encryption.data:
                    region = region.changed(encryption=RegionEncryption(encryption.os_des, kept))
            result.append(region)
        return _with_regions(current, result)
    return Edit("leave out the data disk encryption the version does not have", apply)


@op("version_name", "version", tier=0)
def version_name(request, lookup):
    """``1.0`` -> ``1.0.0``, ``v1.2.3`` -> ``1.2.3``; anything else is the user's to name."""
    name = (request.version or "").strip()
    numbers = re.fullmatch(r"[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?", name)
    if not numbers:
        return Unresolved("'{}' is no version number; name it MAJOR.MINOR.PATCH, e.g. 1.0.0".format(name))
    fixed = ".".join(part or "0" for part in numbers.groups())
    if fixed == name or any(int(part) > 2147483647 for part in fixed.split(".")):
        return Unresolved("name the version MAJOR.MINOR.PATCH with numbers up to 2147483647")
    return Edit("name the version {}".format(fixed), lambda current: replace(current, version=fixed),
                sets=(("version", fixed),))


@op("matching_definition", "version", tier=0)
def matching_definition(request, lookup):
    """Publish into the gallery's definition that matches the source (OS type and state, Hyper-V
    generation, architecture, security type), when exactly one does."""
    finder = need(lookup, "the gallery's image definitions and the source")
    source = finder.source()
    if source is None:
        return Unresolved("the source could not be read, so no definition can be matched to it")
    candidates = [d for d in finder.definitions() if _fits(d, source)]
    names = sorted(d.get("name") for d in candidates)
    if len(names) != 1:
        return Unresolved("the source ({}) fits {} of the gallery's definitions{}; publish into one that fits or "
                          "create one for it".format(_describe(source), len(names) or "none",
                                                     ": " + _names(names) if names else ""))
    return Edit("publish into definition {} (it fits the source)".format(names[0]),
                lambda current: replace(current, image=names[0]), sets=(("image", names[0].lower()),))


def _fits(definition, source):
    from azext_sig_doctor.domain.facts import definition_security_type, security_types_compatible
    props = definition.get("properties") or {}
    pairs = ((props.get("osType"), source.get("os_type")), (props.get("osState"), source.get("os_state")),
             (props.get("hyperVGeneration") or "V1", source.get("hyper_v")),
             (props.get("architecture") or "x64", source.get("architecture") or "x64"))
    if any(wanted and actual and wanted.lower() != actual.lower() for wanted, actual in pairs):
        return False
    # A plan carries over from a marketplace source: the definition's must be the source's.
    plan = props.get("purchasePlan") or None
    if (plan or None) != (source.get("plan") or None) and not (plan is None and source.get("kind") != "vm"):
        return False
    return security_types_compatible(definition_security_type(definition), source)


def _describe(source):
    return ", ".join(str(value) for value in (source.get("os_type"), source.get("os_state"), source.get("hyper_v"),
                                             source.get("architecture"), source.get("security_type")) if value)
