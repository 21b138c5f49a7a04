"""Rules of `check-version` that read the definition, the source and the target regions (live)."""

from azext_sig_doctor.checks.registry import UNVERIFIED, Outcome, failed, passed, rule, skipped
from azext_sig_doctor.checks.rules.version_arguments import encryption_entries
from azext_sig_doctor.domain import ids, regions
from azext_sig_doctor.i18n.catalog import msg

MAX_SOURCE_SIZE_GB = 2048


@rule("version.definition-exists", ("version.parent-not-found", "version.gallery-not-found"), "version",
      "The gallery and the image definition exist", live=True, requires="resource_group")
def parent_exists(ctx):
    """A version is created inside an existing definition of an existing gallery."""
    group = "version.definition-exists"
    request = ctx.request
    gallery_missing = ctx.gallery() is None
    if gallery_missing or ctx.definition() is None:
        # What the definition to create must be to take this source (the steps to run first say it).
        values = {}
        source = _source_or_none(ctx)
        if source:
            values = {"os_type": source.get("os_type"), "os_state": source.get("os_state"),
                      "hyperv_generation": source.get("hyper_v"),
                      "architecture": source.get("architecture") or "x64",
                      "security_type": source.get("security_type") or "Standard"}
        values = {k: v for k, v in values.items() if v}
        if gallery_missing:
            return failed(msg(group, "no-gallery", gallery=request.gallery, resource_group=request.resource_group),
                          error_id="version.gallery-not-found", name=request.gallery, region=ctx.location(),
                          **values)
        return failed(msg(group, "no-definition", gallery=request.gallery, image=request.image),
                      name="{}/{}".format(request.gallery, request.image), region=ctx.location(), **values)
    return passed(msg(group, "exist", gallery=request.gallery, image=request.image))


def _source_or_none(ctx):
    try:
        return ctx.source()
    except Exception:  # pylint: disable=broad-except
        return None


@rule("version.source-exists", ("version.source-does-not-exist", "version.source-not-found"), "version",
      "Every source resource exists, in the region the version is created in", live=True)
def source_exists(ctx):
    """Sources must exist, and a version is built in its source's region."""
    group = "version.source-exists"
    for _, source_id in ctx.request.source.resource_ids():
        if ids.is_resource_id(source_id) and ctx.data(("resource", source_id)) is None:
            return failed(msg(group, "missing", id=source_id), source_id=source_id, resource_id=source_id)
    if ctx.request.source.os_vhd_uri:
        # Fail closed: nothing this check can read says whether the blob exists or fits.
        return Outcome(UNVERIFIED, msg(group, "vhd-unreadable", uri=ctx.request.source.os_vhd_uri),
                       reason_class="blob")
    source = ctx.source()
    home = ctx.location()
    if source is None or not source.get("location") or not home:
        return passed(msg(group, "exists") if source is not None else msg(group, "nothing-to-look-up"))
    if not regions.same(source["location"], home):
        source_id = ctx.request.source.primary[1]
        return failed(msg(group, "other-region", source_region=source["location"], region=home),
                      error_id="version.source-not-found", source_id=source_id,
                      resource_id=source_id, region=home, source_region=source["location"])
    return passed(msg(group, "exists-in-region", region=home))


@rule("version.source-provisioned", "version.source-not-provisioned", "version",
      "The source has finished being created (provisioningState Succeeded)", live=True)
def source_provisioned(ctx):
    """A source still being created (or failed) cannot be captured."""
    for _, source_id in ctx.request.source.resource_ids():
        if not ids.is_resource_id(source_id):
            continue
        resource = ctx.data(("resource", source_id))
        state = ((resource or {}).get("properties") or {}).get("provisioningState")
        if resource is not None and state and state.lower() != "succeeded":
            return failed(msg("version.source-provisioned", "state", id=source_id, state=state),
                          source_id=source_id, resource_id=ctx.request.version_id)
    return passed(msg("version.source-provisioned", "succeeded"))


@rule("version.target-regions-include-source", "version.source-region-not-targeted", "version",
      "The target regions include the source's region", live=True, requires="source")
def regions_include_source(ctx):
    """A version is built in its source's region and copied from there, so that region is a target."""
    group = "version.target-regions-include-source"
    target = ctx.request.target_regions
    if not target:
        return passed(msg(group, "no-target-regions"))
    source = ctx.source()
    if not source.get("location"):
        return skipped(msg(group, "source-region-unknown"))
    names = [r.name for r in target]
    if not any(regions.same(name, source["location"]) for name in names):
        return failed(msg(group, "left-out", regions=", ".join(names), source_region=source["location"]),
                      regions=", ".join(names), source_region=regions.short_name(source["location"]))
    return passed(msg(group, "included", source_region=source["location"]))


def _compare(ctx, field, label, fact):
    """``label``: the key of the property's name in ``version.source-compare``."""
    group = "version.source-compare"
    label = msg(group, label)
    definition = ctx.definition()
    source = ctx.source()
    wanted = (definition.get("properties") or {}).get(field)
    if field == "hyperVGeneration":
        wanted = wanted or "V1"
    actual = source.get(fact)
    if not wanted or not actual:
        return skipped(msg(group, "unreadable", label=label, kind=source["kind"]))
    if wanted.lower() != actual.lower():
        source_id = ctx.request.source.primary[1]
        return failed(msg(group, "mismatch", label=label, actual=actual, wanted=wanted),
                      actual=actual, wanted=wanted, source_id=source_id, resource_id=source_id)
    return passed(msg(group, "match", label=label, actual=actual))


@rule("version.source-os-state", "version.os-state-mismatch", "version",
      "The source's OS state (generalized or specialized) matches the definition", live=True,
      requires=("definition", "source"))
def os_state_matches(ctx):
    """A generalized definition takes generalized sources, a specialized one specialized sources."""
    outcome = _compare(ctx, "osState", "os-state", "os_state")
    if outcome.status == "fail":
        outcome.values.update(os_state1=outcome.values["wanted"], os_state2=outcome.values["actual"])
    return outcome


@rule("version.source-hyperv-generation", "version.hyperv-generation-mismatch", "version",
      "The source's Hyper-V generation matches the definition", live=True, requires=("definition", "source"))
def hyperv_matches(ctx):
    """A Gen1 definition takes Gen1 sources, a Gen2 definition Gen2 sources."""
    outcome = _compare(ctx, "hyperVGeneration", "hyperv-generation", "hyper_v")
    if outcome.status == "fail":
        outcome.values.update(hyperv1=outcome.values["actual"], hyperv2=outcome.values["wanted"])
    return outcome


@rule("version.source-os-type", "version.os-type-mismatch", "version",
      "The source's OS type matches the definition", live=True, requires=("definition", "source"))
def os_type_matches(ctx):
    """A Linux definition takes Linux sources, a Windows one Windows sources."""
    outcome = _compare(ctx, "osType", "os-type", "os_type")
    if outcome.status == "fail":
        outcome.values.update(os_type1=outcome.values["actual"], os_type2=outcome.values["wanted"])
    return outcome


@rule("version.architecture-matches", "version.architecture-mismatch", "version",
      "The source's CPU architecture matches the definition", live=True, requires=("definition", "source"))
def architecture_matches(ctx):
    """An x64 definition takes x64 sources, an Arm64 one Arm64 sources."""
    wanted = (ctx.definition().get("properties") or {}).get("architecture") or "x64"
    source = ctx.source()
    actual = source.get("architecture")
    group = "version.architecture-matches"
    if not actual:
        return skipped(msg(group, "unreadable", kind=source["kind"]))
    if actual.lower() != wanted.lower():
        return failed(msg(group, "mismatch", actual=actual, wanted=wanted),
                      value=actual, architecture=wanted, source_id=ctx.request.source.primary[1])
    return passed(msg(group, "match", actual=actual))


@rule("version.source-no-ephemeral-os", "version.source-ephemeral-os-disk", "version",
      "A source VM does not use an ephemeral OS disk", live=True, requires="vm_source")
def no_ephemeral(ctx):
    """An ephemeral OS disk cannot be captured."""
    if ctx.source()["ephemeral_os_disk"]:
        return failed(msg("version.source-no-ephemeral-os", "ephemeral"), resource_id=ctx.request.source.primary[1])
    return passed(msg("version.source-no-ephemeral-os", "persistent"))


@rule("version.source-no-ultra-ssd", "version.source-ultra-ssd", "version",
      "A source VM has no Ultra SSD disks", live=True, requires="vm_source")
def no_ultra(ctx):
    """Ultra disks cannot be captured into a gallery."""
    ultra = [d for d in ctx.source()["disks"] if (d.get("storage_type") or "").lower().startswith("ultrassd")]
    if ultra:
        return failed(msg("version.source-no-ultra-ssd", "ultra", id=ultra[0]["id"]),
                      resource_id=ctx.request.source.primary[1], disk_id=ultra[0]["id"])
    return passed(msg("version.source-no-ultra-ssd", "none"))


@rule("version.source-managed-disks", "version.source-unmanaged-disks", "version",
      "A source VM uses managed disks", live=True, requires="vm_source")
def managed_disks(ctx):
    """A VM on unmanaged (VHD blob) disks cannot be captured directly."""
    if ctx.source()["unmanaged"]:
        return failed(msg("version.source-managed-disks", "unmanaged"), resource_id=ctx.request.source.primary[1])
    return passed(msg("version.source-managed-disks", "managed"))


@rule("version.source-size", "version.source-too-large", "version",
      "No source disk exceeds 2 TB unless replication is shallow", live=True, requires="source")
def size_limit(ctx):
    """Full replication takes sources up to 2 TB; shallow replication up to 32 TB."""
    group = "version.source-size"
    source = ctx.source()
    if (ctx.request.replication_mode or "").lower() == "shallow":
        return passed(msg(group, "shallow"))
    large = [d for d in source["disks"] if d.get("size_gb") and int(d["size_gb"]) > MAX_SOURCE_SIZE_GB]
    if large:
        disk = large[0]
        return failed(msg(group, "too-large", disk=disk.get("id") or msg(group, "lun", lun=disk["lun"]),
                          size=disk["size_gb"], limit=MAX_SOURCE_SIZE_GB),
                      size_gb=disk["size_gb"], max_size_gb=MAX_SOURCE_SIZE_GB, disk_id=disk.get("id"),
                      source_region=source.get("location"))
    known = [d for d in source["disks"] if d.get("size_gb")]
    if not known:
        return skipped(msg(group, "unknown"))
    return passed(msg(group, "within", disks=len(known), limit=MAX_SOURCE_SIZE_GB))


@rule("version.encrypted-source-same-subscription", "version.encrypted-source-other-subscription", "version",
      "An encrypted source is in the gallery's subscription", live=True, requires="source")
def encrypted_source_subscription(ctx):
    """A source encrypted with a customer-managed key must be in the gallery's subscription."""
    source_id = ctx.request.source.primary[1]
    parsed = ids.parse(source_id)
    group = "version.encrypted-source-same-subscription"
    if parsed and parsed.subscription.lower() == ctx.request.sub.lower():
        return passed(msg(group, "same"))
    encrypted = [d for d in ctx.source()["disks"] if "customerkey" in (d.get("encryption_type") or "").lower()
                 or d.get("des_id")]
    if encrypted:
        return failed(msg(group, "other", subscription=parsed.subscription if parsed else "?",
                          gallery_subscription=ctx.request.sub),
                      resource_id=source_id, subscription=ctx.request.sub)
    return passed(msg(group, "other-unencrypted"))


@rule("version.des-exists", "version.des-not-found", "version",
      "Every disk encryption set exists", live=True)
def des_exists(ctx):
    """Each disk encryption set the request names must exist."""
    checked = set()
    for region, _, des_id in encryption_entries(ctx.request):
        if des_id in checked or not ids.is_resource_id(des_id):
            continue
        checked.add(des_id)
        if ctx.data(("resource", des_id)) is None:
            return failed(msg("version.des-exists", "missing", id=des_id, region=region), des_id=des_id)
    if not checked:
        return passed(msg("version.des-exists", "none"))
    return passed(msg("version.des-exists", "exist", sets=len(checked)))


@rule("definition.zrs-supported-in-region", "definition.zrs-not-supported", "version",
      "Zone-redundant storage is offered in every region that asks for it", live=True)
def zrs_supported(ctx):
    """Standard_ZRS needs availability zones, which not every region has."""
    request = ctx.request
    default = request.storage_account_type
    sent = request.regions_sent(ctx.location())
    asking = [r.name for r in sent if ((r.storage_account_type or default) or "").lower() == "standard_zrs"]
    group = "definition.zrs-supported-in-region"
    if not asking:
        return passed(msg(group, "not-asked"))
    skus = (ctx.data(("skus", request.sub)) or {}).get("value") or []
    zoned = set()
    for sku in skus:
        for info in sku.get("locationInfo") or []:
            if info.get("zones"):
                zoned.add(regions.key(info.get("location")))
    lacking = [name for name in asking if regions.key(name) not in zoned]
    if lacking:
        return failed(msg(group, "no-zones", regions=", ".join(lacking)),
                      region=lacking[0], source_region=ctx.location(), regions=", ".join(lacking))
    return passed(msg(group, "zones", regions=", ".join(asking)))


@rule("vm.plan-matches", "vm.plan-mismatch", ("vm", "version"),
      "The purchase plan of the VM (or of a source VM) matches the image definition's plan", live=True,
      requires="definition")
def plan_matches(ctx):
    """A marketplace plan carries over: the VM's (or source VM's) plan must be the definition's."""
    group = "vm.plan-matches"
    wanted = (ctx.definition().get("properties") or {}).get("purchasePlan") or None
    if ctx.kind == "version":
        source = ctx.source()
        if source is None or source["kind"] != "vm":
            return skipped(msg(group, "source-not-vm"))
        plan, who, resource_id = source.get("plan"), "source-vm", ctx.request.source.primary[1]
    else:
        plan, who, resource_id = ctx.request.plan, "vm-request", ctx.request.image
        if plan is None:
            return passed(msg(group, "no-plan"))
    if _plan_key(plan) != _plan_key(wanted):
        return failed(msg(group, who + "-mismatch", plan=plan, wanted=wanted),
                      resource_id=resource_id, sku=(plan or {}).get("name"), publisher=(plan or {}).get("publisher"),
                      offer=(plan or {}).get("product"))
    return passed(msg(group, who + "-match"))


def _plan_key(plan):
    return tuple(((plan or {}).get(k) or "").lower() for k in ("name", "publisher", "product")) if plan else None



@rule("version.source-tenant-signed-in", "version.cross-tenant-source", "version",
      "A source in another tenant or subscription is one this sign-in reaches", live=True)
def source_reachable(ctx):
    """For a source in another tenant az sends that tenant's token along with the create (an
    auxiliary token), which it can only do when that tenant is signed in too."""
    _, source_id = ctx.request.source.primary
    parsed = ids.parse(source_id) if source_id else None
    group = "version.source-tenant-signed-in"
    if parsed is None:
        return skipped(msg(group, "not-an-id"))
    read = ctx.raw(("resource", source_id))
    if read.status == "failed" and read.reason in ("tenant", "subscription"):
        return failed(msg(group, "other-tenant" if read.reason == "tenant" else "unknown-subscription",
                          subscription=parsed.subscription, why=read.message or read.code), source_id=source_id,
                      subscription=parsed.subscription, tenant=read.tenant)
    if read.status == "failed":
        return passed(msg(group, "reachable"))
    return passed(msg(group, "readable"))


@rule("version.des-in-target-region", "version.des-other-region", "version",
      "Each disk encryption set is in the target region it encrypts", live=True)
def des_in_region(ctx):
    """A disk encryption set is a regional resource: each target region needs its own."""
    for region in ctx.request.target_regions:
        encryption = region.encryption
        for des in ([encryption.os_des] + [d for _, d in encryption.data]) if encryption else []:
            if not des or not ids.is_resource_id(des):
                continue
            resource = ctx.data(("resource", des))
            location = (resource or {}).get("location")
            if location and not regions.same(location, region.name):
                return failed(msg("version.des-in-target-region", "other-region", id=des, location=location,
                                  region=region.name),
                              des_id=des, region=regions.short_name(region.name), region2=location)
    return passed(msg("version.des-in-target-region", "same-region"))
