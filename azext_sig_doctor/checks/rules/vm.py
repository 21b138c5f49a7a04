"""Rules of `check-vm`: az vm create / az vmss create --image <gallery image>, az disk create
--gallery-image-reference. The image may be a gallery definition or version in a resource group, a
community gallery image (/CommunityGalleries/...) or a direct-shared one (/SharedGalleries/...), or
its ``latest`` version."""

from azext_sig_doctor.checks.registry import failed, passed, rule, skipped, warned
from azext_sig_doctor.checks.runner import shared_key
from azext_sig_doctor.domain import facts, ids, regions
from azext_sig_doctor.i18n.catalog import joined, msg


def _props(resource):
    return (resource or {}).get("properties") or {}


def _reference(ctx):
    return ctx.request.reference


def _versions(ctx):
    """The versions of the image as this subscription sees them: for a community or direct-shared
    image, the ones available in the VM's region."""
    reference = _reference(ctx)
    if reference.scope == "gallery":
        listing = ctx.data(("versions_in_definition", reference.definition_id))
    else:
        listing = ctx.data(shared_key(ctx, "versions"))
    return (listing or {}).get("value") or []


def _version(ctx):
    """The version the request names, or for a gallery definition (or versions/latest) the version
    latest resolves to in the VM's region (None: it does not exist, or latest resolves to none)."""
    reference = _reference(ctx)
    if reference.is_latest:
        return ctx.memo("latest", lambda: _latest_in_region(ctx)) if reference.scope == "gallery" else None
    if reference.scope == "gallery":
        return ctx.data(("version", reference.version_id))
    return next((v for v in _versions(ctx) if (v.get("name") or "").lower() == reference.version.lower()), None)


def _latest_in_region(ctx):
    """The version the service gives a VM that names the definition, in the VM's region, resolved as
    ``az sig doctor latest`` resolves it (estate/latest.py). Versions whose state in the region
    decides it and is not known from the list (not Succeeded) are read with their replication status;
    if one still cannot be read, the rules that need the version cannot run."""
    from azext_sig_doctor.estate import latest, model
    region = ctx.location()
    if not region:
        return None
    listing = {item.get("id", "").lower(): item for item in _versions(ctx) if item.get("id")}
    versions = []
    for item in listing.values():
        parsed = ids.parse(item["id"])
        if parsed is None:
            continue
        version = model.Version(parsed, _props(item), item.get("location"))
        if version.provisioning_state != model.SUCCEEDED and version.target(regions.key(region)) is not None:
            read = ctx.data(("version", item["id"]))
            summary = (_props(read).get("replicationStatus") or {}).get("summary")
            if summary is not None:
                version.set_replication(summary)
        versions.append(version)
    resolution = latest.resolve(versions, region)
    if resolution.unverified:
        from azext_sig_doctor.checks.registry import Unavailable
        first = resolution.unverified[0]
        raise Unavailable(msg("vm.latest-version-exists", "latest-undecided", version=first.version.name,
                              region=region, why=first.reason))
    return listing.get(resolution.version.id.lower()) if resolution.version is not None else None


def _version_regions(version):
    return [r.get("name") for r in (_props(version).get("publishingProfile") or {}).get("targetRegions") or []]


def _excluded(version):
    props = _props(version)
    publishing = props.get("publishingProfile") or props
    return bool(publishing.get("excludeFromLatest") or publishing.get("excludedFromLatest"))


def _version_key(name):
    parts = (name or "").split(".")
    return tuple(int(p) if p.isdigit() else -1 for p in parts)


def _image_words(ctx):
    return ctx.request.image


@rule("vm.image-exists", "vm.image-not-found", "vm",
      "The gallery image (definition, and version when one is named) exists and is visible", live=True,
      requires="resource_group")
def image_exists(ctx):
    """A VM, scale set or disk is made from an image that exists; a community or direct-shared image
    must be shared with this subscription and offered in the VM's region."""
    group = "vm.image-exists"
    reference = _reference(ctx)
    if ctx.definition() is None:
        return failed(msg(group, "no-definition-" + reference.scope, image=reference.image, gallery=reference.gallery,
                          resource_group=reference.resource_id.resource_group if reference.resource_id else "?",
                          region=ctx.location()),
                      image_id=ctx.request.image, gallery=reference.gallery, image=reference.image,
                      region=ctx.location())
    if not reference.is_latest and reference.scope == "gallery" and _version(ctx) is None:
        return failed(msg(group, "no-version", version=reference.version, gallery=reference.gallery,
                          image=reference.image),
                      image_id=ctx.request.image, gallery=reference.gallery, image=reference.image,
                      version=reference.version)
    return passed(msg(group, "exists"))


@rule("vm.latest-version-exists", "vm.no-latest-version", "vm",
      "A definition reference (or versions/latest) has at least one version included in latest", live=True,
      requires="definition")
def latest_exists(ctx):
    """``latest`` picks among the versions not excluded from latest."""
    group = "vm.latest-version-exists"
    if not _reference(ctx).is_latest:
        return passed(msg(group, "specific-version"))
    # A version being created, deleted or that failed is not picked (estate/latest.py).
    from azext_sig_doctor.estate.latest import UNPICKABLE_STATES
    candidates = [v for v in _versions(ctx) if not _excluded(v)
                  and _props(v).get("provisioningState") not in UNPICKABLE_STATES]
    if not candidates:
        text = msg(group, "none", image=_image_words(ctx)) if _reference(ctx).scope == "gallery" else \
            msg(group, "none-in-region", image=_image_words(ctx), region=ctx.location())
        return failed(text, resource_id=_reference(ctx).definition_id or ctx.request.image)
    return passed(msg(group, "some", versions=len(candidates)))


@rule("vm.version-replicated-to-region", "vm.version-not-in-region", "vm",
      "The image version is replicated to the VM's region", live=True, requires=("definition", "image_version"))
def version_in_region(ctx):
    """A VM is made from a replica in its own region."""
    group = "vm.version-replicated-to-region"
    reference = _reference(ctx)
    region = ctx.location()
    if not region:
        return skipped(msg(group, "region-unknown"))
    version = _version(ctx)
    if version is None:
        if reference.scope == "gallery":
            return skipped(msg(group, "no-version"))
        return failed(msg(group, "not-offered", version=reference.version, region=region),
                      resource_id=ctx.request.image, region=regions.short_name(region))
    if reference.scope != "gallery":
        return passed(msg(group, "offered", region=region))
    names = _version_regions(version)
    # With latest, the version is the one latest resolves to in the region.
    name, version_id = version.get("name") or reference.version, version.get("id") or reference.version_id
    if not any(regions.same(item, region) for item in names):
        return failed(msg(group, "not-replicated", version=name, regions=", ".join(names), region=region),
                      resource_id=version_id, region=regions.short_name(region))
    status = _props(version).get("replicationStatus") or {}
    for summary in status.get("summary") or []:
        if regions.same(summary.get("region"), region) and (summary.get("state") or "").lower() not in (
                "completed", ""):
            return failed(msg(group, "replicating", region=region, state=summary.get("state"),
                              progress=summary.get("progress")),
                          resource_id=version_id, region=regions.short_name(region))
    return passed(msg(group, "replicated", region=region))


@rule("vm.definition-has-version-in-region", "vm.definition-not-in-region", "vm",
      "A definition reference has a version in latest that is replicated to the VM's region", live=True,
      requires="definition")
def definition_in_region(ctx):
    """``latest`` is resolved among the versions replicated to the VM's region."""
    group = "vm.definition-has-version-in-region"
    reference = _reference(ctx)
    if not reference.is_latest:
        return skipped(msg(group, "specific-version"))
    region = ctx.location()
    if not region:
        return skipped(msg(group, "region-unknown"))
    candidates = [v for v in _versions(ctx) if not _excluded(v)]
    if not candidates:
        return skipped(msg(group, "none-in-latest"))
    if reference.scope != "gallery":
        return passed(msg(group, "offered", region=region))
    if not any(any(regions.same(name, region) for name in _version_regions(v)) for v in candidates):
        newest = max(candidates, key=lambda v: _version_key(v.get("name")))
        return failed(msg(group, "not-replicated", image=ctx.request.image, region=region),
                      resource_id=reference.definition_id, region=regions.short_name(region),
                      version=newest.get("name"))
    return passed(msg(group, "replicated", region=region))


def _is_specialized_image(ctx):
    return (_props(ctx.definition()).get("osState") or "").lower() == "specialized"


@rule("vm.no-credentials-for-specialized", "vm.os-profile-with-specialized-image", "vm",
      "A VM from a specialized image is created with --specialized, so az sends no OS profile", live=True,
      requires="definition")
def specialized_credentials(ctx):
    """A specialized image keeps its accounts: the VM must get no OS profile."""
    group = "vm.no-credentials-for-specialized"
    if ctx.request.for_disk:
        return skipped(msg("vm.os-profile", "disk"))
    if _is_specialized_image(ctx) and ctx.request.sends_os_profile:
        # Without --specialized az fills in an admin user (and a key or password) even when none was typed.
        return failed(msg(group, "profile-sent"), resource_id=ctx.request.image)
    if _is_specialized_image(ctx):
        return passed(msg(group, "no-profile"))
    return passed(msg(group, "generalized"))


@rule("vm.credentials-for-generalized", "vm.os-profile-missing-for-generalized-image", "vm",
      "A VM from a generalized image is created without --specialized, so az sends an OS profile", live=True,
      requires="definition")
def generalized_credentials(ctx):
    """A generalized image needs an OS profile (an admin account) for the new VM."""
    group = "vm.credentials-for-generalized"
    if ctx.request.for_disk:
        return skipped(msg("vm.os-profile", "disk"))
    if not _is_specialized_image(ctx) and not ctx.request.sends_os_profile:
        return failed(msg(group, "no-profile"), resource_id=ctx.request.image)
    if _is_specialized_image(ctx):
        return passed(msg(group, "specialized"))
    # az fills a default admin user name and key or password itself, so no credential option is needed.
    return passed(msg(group, "profile-sent"))


def _requested_security(ctx):
    """The security type Azure applies: --security-type, else Standard. For a gallery image az vm
    create and az vmss create send no security type (their TrustedLaunch default only applies to
    marketplace images, see trusted_launch_set_default in the az CLI), and Azure then makes a Standard VM."""
    return ctx.request.security_type or "Standard"


def _requested_security_words(ctx):
    if ctx.request.security_type is not None:
        return ctx.request.security_type
    return msg("vm.security", "standard-by-default")


@rule("vm.security-type-matches-image", "vm.trusted-launch-required", "vm",
      "The VM's security type is one the image requires", live=True, requires="definition")
def security_required(ctx):
    """An image that only supports Trusted Launch (or Confidential) VMs refuses other security types."""
    group = "vm.security-type-matches-image"
    if ctx.request.for_disk:
        return skipped(msg("vm.security", "disk"))
    image_type = facts.definition_security_type(ctx.definition())
    requested = _requested_security(ctx)
    if image_type in ("TrustedLaunch", "ConfidentialVM") and requested.lower() != image_type.lower():
        return failed(msg(group, "required", image_type=image_type, requested=_requested_security_words(ctx)),
                      security_type=image_type)
    return passed(msg(group, "accepts", image_type=image_type, requested=requested))


@rule("vm.trusted-launch-image-supported", "vm.trusted-launch-unsupported-image", "vm",
      "Trusted Launch is only requested for a Gen2 x64 image", live=True, requires="definition")
def trusted_launch_supported(ctx):
    """Trusted Launch needs a Gen2 x64 image."""
    group = "vm.trusted-launch-image-supported"
    if ctx.request.for_disk:
        return skipped(msg("vm.security", "disk"))
    if _requested_security(ctx).lower() != "trustedlaunch":
        return passed(msg(group, "not-asked", requested=_requested_security_words(ctx)))
    props = _props(ctx.definition())
    generation = props.get("hyperVGeneration") or "V1"
    architecture = props.get("architecture") or "x64"
    if generation == "V1" or architecture.lower() == "arm64":
        return failed(msg(group, "unfit", generation=generation, architecture=architecture),
                      security_type="TrustedLaunch", hyperv1=generation, value=architecture)
    return passed(msg(group, "fit", generation=generation, architecture=architecture))


def _size_capabilities(ctx):
    """The capabilities of --size in the VM's region, or None when the SKUs do not list it there."""
    region = ctx.location()
    for sku in (ctx.data(("skus", ctx.request.sub)) or {}).get("value") or []:
        if (sku.get("resourceType") or "").lower() != "virtualmachines" or \
                (sku.get("name") or "").lower() != ctx.request.size.lower():
            continue
        if region and not any(regions.same(location, region) for location in sku.get("locations") or []):
            continue
        return {(c.get("name") or "").lower(): c.get("value") for c in sku.get("capabilities") or []}
    return None


@rule("vm.size-fits-image", "vm.size-not-supported-for-image", "vm",
      "The VM size boots the image: its Hyper-V generation, CPU architecture and security type", live=True,
      requires="definition")
def size_fits(ctx):
    """A size lists the Hyper-V generations and the CPU architecture it boots, and whether it runs
    Trusted Launch or Confidential VMs."""
    group = "vm.size-fits-image"
    if ctx.request.for_disk or not ctx.request.size:
        return skipped(msg(group, "no-size"))
    capabilities = _size_capabilities(ctx)
    if capabilities is None:
        return skipped(msg(group, "not-listed", size=ctx.request.size, region=ctx.location()))
    props = _props(ctx.definition())
    generation = props.get("hyperVGeneration") or "V1"
    architecture = props.get("architecture") or "x64"
    problems = []
    generations = [g.strip().upper() for g in (capabilities.get("hypervgenerations") or "V1").split(",")]
    if generation.upper() not in generations:
        problems.append(msg(group, "generation", generations=", ".join(generations), generation=generation))
    size_architecture = capabilities.get("cpuarchitecturetype") or "x64"
    if size_architecture.lower() != architecture.lower():
        problems.append(msg(group, "architecture", size_architecture=size_architecture, architecture=architecture))
    security = _requested_security(ctx).lower()
    if security == "trustedlaunch" and (capabilities.get("trustedlaunchdisabled") or "").lower() == "true":
        problems.append(msg(group, "no-trusted-launch"))
    if security.startswith("confidentialvm") and not capabilities.get("confidentialcomputingtype"):
        problems.append(msg(group, "no-confidential"))
    if problems:
        return failed(msg(group, "unfit", size=ctx.request.size, problems=joined(problems, "; ")),
                      vm_size=ctx.request.size, hyperv1=generation, architecture=architecture,
                      region=regions.short_name(ctx.location() or ""))
    return passed(msg(group, "fits", size=ctx.request.size, generation=generation, architecture=architecture))


@rule("vm.version-des-same-subscription", "vm.des-subscription-mismatch", "vm",
      "The version's disk encryption sets are in the VM's subscription", live=True,
      requires=("definition", "arm_image", "image_version"))
def des_subscription(ctx):
    """A VM can use an encrypted version only with encryption sets of its own subscription."""
    version = _version(ctx)
    if version is None:
        return skipped(msg("vm.version", "missing"))
    for region in (_props(version).get("publishingProfile") or {}).get("targetRegions") or []:
        encryption = region.get("encryption") or {}
        des_ids = [(encryption.get("osDiskImage") or {}).get("diskEncryptionSetId")]
        des_ids += [d.get("diskEncryptionSetId") for d in encryption.get("dataDiskImages") or []]
        for des_id in filter(None, des_ids):
            parsed = ids.parse(des_id)
            if parsed and parsed.subscription.lower() != ctx.request.sub.lower():
                return failed(msg("vm.version-des-same-subscription", "other", id=des_id,
                                  subscription=parsed.subscription, vm_subscription=ctx.request.sub),
                              des_id=des_id, subscription=parsed.subscription)
    return passed(msg("vm.version-des-same-subscription", "same"))


@rule("disk.lun-exists", "disk.image-reference-lun-missing", "vm",
      "The LUN asked for with --gallery-image-reference-lun is a data disk of the version", live=True,
      requires=("definition", "arm_image", "image_version"))
def disk_lun(ctx):
    """A disk made from a version's data disk names it by its LUN."""
    group = "disk.lun-exists"
    if not ctx.request.for_disk or ctx.request.lun is None:
        return skipped(msg(group, "no-lun"))
    version = _version(ctx)
    if version is None:
        return skipped(msg("vm.version", "missing"))
    luns = sorted(d.get("lun") for d in (_props(version).get("storageProfile") or {}).get("dataDiskImages") or [])
    if int(ctx.request.lun) not in luns:
        return failed(msg(group, "missing", lun=ctx.request.lun, luns=", ".join(map(str, luns)) or msg(group, "none")),
                      lun=ctx.request.lun)
    return passed(msg(group, "exists", lun=ctx.request.lun))


@rule("vm.image-version-readable", ("vm.no-read-access-to-image", "vm.cross-tenant-linked-subscription",
                                    "sharing.rbac-access"), "vm",
      "The signed-in identity may read the gallery image", live=True, requires="arm_image")
def image_readable(ctx):
    """Creating from a gallery image needs read access to it; from another tenant, that tenant's token."""
    reference = _reference(ctx)
    key = ("version", reference.version_id) if reference.version_id else ("definition", reference.definition_id)
    result = ctx.raw(key)
    group = "vm.image-version-readable"
    if result.status == "failed" and result.reason in ("forbidden", "tenant"):
        if result.reason == "tenant":
            return failed(msg(group, "other-tenant", subscription=reference.resource_id.subscription,
                              why=result.message),
                          error_id="vm.cross-tenant-linked-subscription", resource_id=key[1],
                          subscription=reference.resource_id.subscription, image_tenant=result.tenant)
        return failed(msg(group, "refused", id=key[1], why=result.message), resource_id=key[1])
    if result.status == "failed":
        ctx.data(key)  # unverified, with the read's reason
    return passed(msg(group, "readable") if result.status == "ok" else msg(group, "missing"))


@rule("vm.os-type-matches-source", "vm.slow-create-os-type-mismatch", "vm",
      "The version's source has the OS type its definition declares (else the create hangs)", live=True,
      requires=("definition", "arm_image", "image_version"))
def os_type_matches_source(ctx):
    """A version whose source runs another OS than the definition says makes a VM that never finishes booting."""
    group = "vm.os-type-matches-source"
    version = _version(ctx)
    if version is None:
        return skipped(msg("vm.version", "missing"))
    source_id = facts.version_source_id(version)
    if not source_id or not ids.is_resource_id(source_id):
        return skipped(msg(group, "not-recorded"))
    source = ctx.data(("resource", source_id))
    if source is None:
        return skipped(msg(group, "source-gone"))
    actual = facts.resource_os_type(source)
    wanted = _props(ctx.definition()).get("osType")
    if actual and wanted and actual.lower() != wanted.lower():
        return warned(msg(group, "mismatch", wanted=wanted, id=source_id, actual=actual),
                      resource_id=source_id, os_type1=wanted, os_type2=actual)
    return passed(msg(group, "match", os_type=actual or wanted))
