"""Rules of `check-vm`: az vm create / az vmss create --image <gallery image>, az disk create
--gallery-image-reference. The image may be a gallery definition or version in a resource group, a
community gallery image (/CommunityGalleries/...) or a direct-shared one (/SharedGalleries/...), or
its ``latest`` version."""

from azext_sig_doctor.checks.registry import failed, passed, rule, skipped, warned
from azext_sig_doctor.checks.runner import shared_key
from azext_sig_doctor.domain import facts, ids, regions


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
    """The version the request names (None: it does not exist, or the request names the latest)."""
    reference = _reference(ctx)
    if reference.is_latest:
        return None
    if reference.scope == "gallery":
        return ctx.data(("version", reference.version_id))
    return next((v for v in _versions(ctx) if (v.get("name") or "").lower() == reference.version.lower()), None)


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
    reference = _reference(ctx)
    if ctx.definition() is None:
        where = {"gallery": "in resource group '{}'".format(reference.resource_id.resource_group if
                                                           reference.resource_id else "?"),
                 "community": "among the community galleries offered in '{}'".format(ctx.location()),
                 "shared": "among the galleries shared with this subscription in '{}'".format(ctx.location())}
        return failed("Image definition '{}' of gallery '{}' was not found {}.".format(
            reference.image, reference.gallery, where[reference.scope]), image_id=ctx.request.image,
            gallery=reference.gallery, image=reference.image, region=ctx.location())
    if not reference.is_latest and reference.scope == "gallery" and _version(ctx) is None:
        return failed("Image version '{}' of '{}/{}' was not found.".format(reference.version, reference.gallery,
                                                                           reference.image),
                      image_id=ctx.request.image, gallery=reference.gallery, image=reference.image,
                      version=reference.version)
    return passed("The image exists.")


@rule("vm.latest-version-exists", "vm.no-latest-version", "vm",
      "A definition reference (or versions/latest) has at least one version included in latest", live=True,
      requires="definition")
def latest_exists(ctx):
    """``latest`` picks among the versions not excluded from latest."""
    if not _reference(ctx).is_latest:
        return passed("--image names a specific version.")
    candidates = [v for v in _versions(ctx) if not _excluded(v)]
    if not candidates:
        return failed("Definition '{}' has no version that is included in latest{}.".format(
            _image_words(ctx), "" if _reference(ctx).scope == "gallery" else " in '{}'".format(ctx.location())),
            resource_id=_reference(ctx).definition_id or ctx.request.image)
    return passed("{} version(s) are included in latest.".format(len(candidates)))


@rule("vm.version-replicated-to-region", "vm.version-not-in-region", "vm",
      "The image version is replicated to the VM's region", live=True, requires=("definition", "image_version"))
def version_in_region(ctx):
    """A VM is made from a replica in its own region."""
    reference = _reference(ctx)
    region = ctx.location()
    if not region:
        return skipped("the VM's region is unknown")
    version = _version(ctx)
    if version is None:
        if reference.scope == "gallery":
            return skipped("the version does not exist (see vm.image-exists)")
        return failed("Version '{}' is not offered in '{}'.".format(reference.version, region),
                      resource_id=ctx.request.image, region=regions.short_name(region))
    if reference.scope != "gallery":
        return passed("The version is offered in '{}'.".format(region))
    names = _version_regions(version)
    if not any(regions.same(name, region) for name in names):
        return failed("Version '{}' is replicated to {} but not to '{}'.".format(
            reference.version, ", ".join(names), region), resource_id=reference.version_id,
            region=regions.short_name(region))
    status = _props(version).get("replicationStatus") or {}
    for summary in status.get("summary") or []:
        if regions.same(summary.get("region"), region) and (summary.get("state") or "").lower() not in (
                "completed", ""):
            return failed("Replication to '{}' is {} ({}%).".format(region, summary.get("state"),
                                                                    summary.get("progress")),
                          resource_id=reference.version_id, region=regions.short_name(region))
    return passed("The version is replicated to '{}'.".format(region))


@rule("vm.definition-has-version-in-region", "vm.definition-not-in-region", "vm",
      "A definition reference has a version in latest that is replicated to the VM's region", live=True,
      requires="definition")
def definition_in_region(ctx):
    """``latest`` is resolved among the versions replicated to the VM's region."""
    reference = _reference(ctx)
    if not reference.is_latest:
        return skipped("--image names a specific version")
    region = ctx.location()
    if not region:
        return skipped("the VM's region is unknown")
    candidates = [v for v in _versions(ctx) if not _excluded(v)]
    if not candidates:
        return skipped("the definition has no version in latest (see vm.latest-version-exists)")
    if reference.scope != "gallery":
        return passed("Versions in latest are offered in '{}'.".format(region))
    if not any(any(regions.same(name, region) for name in _version_regions(v)) for v in candidates):
        newest = max(candidates, key=lambda v: _version_key(v.get("name")))
        return failed("No version in latest of '{}' is replicated to '{}'.".format(ctx.request.image, region),
                      resource_id=reference.definition_id, region=regions.short_name(region),
                      version=newest.get("name"))
    return passed("A version in latest is replicated to '{}'.".format(region))


def _is_specialized_image(ctx):
    return (_props(ctx.definition()).get("osState") or "").lower() == "specialized"


@rule("vm.no-credentials-for-specialized", "vm.os-profile-with-specialized-image", "vm",
      "A VM from a specialized image is created with --specialized, so az sends no OS profile", live=True,
      requires="definition")
def specialized_credentials(ctx):
    """A specialized image keeps its accounts: the VM must get no OS profile."""
    if ctx.request.for_disk:
        return skipped("a disk takes no OS profile")
    if _is_specialized_image(ctx) and ctx.request.sends_os_profile:
        # Without --specialized az fills in an admin user (and a key or password) even when none was typed.
        return failed("The image is specialized, but without --specialized az sends an OS profile "
                      "(admin user name and SSH key or password).", resource_id=ctx.request.image)
    if _is_specialized_image(ctx):
        return passed("The image is specialized and --specialized makes az send no OS profile.")
    return passed("The image is generalized; see vm.credentials-for-generalized.")


@rule("vm.credentials-for-generalized", "vm.os-profile-missing-for-generalized-image", "vm",
      "A VM from a generalized image is created without --specialized, so az sends an OS profile", live=True,
      requires="definition")
def generalized_credentials(ctx):
    """A generalized image needs an OS profile (an admin account) for the new VM."""
    if ctx.request.for_disk:
        return skipped("a disk takes no OS profile")
    if not _is_specialized_image(ctx) and not ctx.request.sends_os_profile:
        return failed("The image is generalized, but --specialized makes az send no OS profile "
                      "(no admin user name, password or SSH key), whatever credentials were given.",
                      resource_id=ctx.request.image)
    if _is_specialized_image(ctx):
        return passed("The image is specialized; see vm.no-credentials-for-specialized.")
    # az fills a default admin user name and key or password itself, so no credential option is needed.
    return passed("The image is generalized and az sends an OS profile (without --specialized).")


def _requested_security(ctx):
    """The security type Azure applies: --security-type, else Standard. For a gallery image az vm
    create and az vmss create send no security type (their TrustedLaunch default only applies to
    marketplace images, see trusted_launch_set_default in the az CLI), and Azure then makes a Standard VM."""
    return ctx.request.security_type or "Standard"


def _requested_security_words(ctx):
    if ctx.request.security_type is not None:
        return ctx.request.security_type
    return "Standard (no --security-type: az sends none for a gallery image)"


@rule("vm.security-type-matches-image", "vm.trusted-launch-required", "vm",
      "The VM's security type is one the image requires", live=True, requires="definition")
def security_required(ctx):
    """An image that only supports Trusted Launch (or Confidential) VMs refuses other security types."""
    if ctx.request.for_disk:
        return skipped("a disk has no security type of its own here")
    image_type = facts.definition_security_type(ctx.definition())
    requested = _requested_security(ctx)
    if image_type in ("TrustedLaunch", "ConfidentialVM") and requested.lower() != image_type.lower():
        return failed("The image only supports {} VMs; the VM asks for {}.".format(
            image_type, _requested_security_words(ctx)), security_type=image_type)
    return passed("The image ({}) accepts a {} VM.".format(image_type, requested))


@rule("vm.trusted-launch-image-supported", "vm.trusted-launch-unsupported-image", "vm",
      "Trusted Launch is only requested for a Gen2 x64 image", live=True, requires="definition")
def trusted_launch_supported(ctx):
    """Trusted Launch needs a Gen2 x64 image."""
    if ctx.request.for_disk:
        return skipped("a disk has no security type of its own here")
    if _requested_security(ctx).lower() != "trustedlaunch":
        return passed("The VM asks for {}, not Trusted Launch.".format(_requested_security_words(ctx)))
    props = _props(ctx.definition())
    generation = props.get("hyperVGeneration") or "V1"
    architecture = props.get("architecture") or "x64"
    if generation == "V1" or architecture.lower() == "arm64":
        return failed("--security-type TrustedLaunch needs a Gen2 x64 image; this one is {} {}.".format(
            generation, architecture), security_type="TrustedLaunch", hyperv1=generation, value=architecture)
    return passed("The image is {} {}, fit for Trusted Launch.".format(generation, architecture))


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
    if ctx.request.for_disk or not ctx.request.size:
        return skipped("no --size given")
    capabilities = _size_capabilities(ctx)
    if capabilities is None:
        return skipped("the compute SKUs do not list size {} in '{}'".format(ctx.request.size, ctx.location()))
    props = _props(ctx.definition())
    generation = props.get("hyperVGeneration") or "V1"
    architecture = props.get("architecture") or "x64"
    problems = []
    generations = [g.strip().upper() for g in (capabilities.get("hypervgenerations") or "V1").split(",")]
    if generation.upper() not in generations:
        problems.append("it boots Hyper-V generation {} only, the image is {}".format(", ".join(generations),
                                                                                       generation))
    size_architecture = capabilities.get("cpuarchitecturetype") or "x64"
    if size_architecture.lower() != architecture.lower():
        problems.append("its CPU architecture is {}, the image's {}".format(size_architecture, architecture))
    security = _requested_security(ctx).lower()
    if security == "trustedlaunch" and (capabilities.get("trustedlaunchdisabled") or "").lower() == "true":
        problems.append("it does not run Trusted Launch VMs")
    if security.startswith("confidentialvm") and not capabilities.get("confidentialcomputingtype"):
        problems.append("it does not run Confidential VMs")
    if problems:
        return failed("Size {} does not fit the image: {}.".format(ctx.request.size, "; ".join(problems)),
                      vm_size=ctx.request.size, hyperv1=generation, architecture=architecture,
                      region=regions.short_name(ctx.location() or ""))
    return passed("Size {} boots a {} {} image.".format(ctx.request.size, generation, architecture))


@rule("vm.version-des-same-subscription", "vm.des-subscription-mismatch", "vm",
      "The version's disk encryption sets are in the VM's subscription", live=True,
      requires=("definition", "arm_image", "image_version"))
def des_subscription(ctx):
    """A VM can use an encrypted version only with encryption sets of its own subscription."""
    version = _version(ctx)
    if version is None:
        return skipped("the version does not exist")
    for region in (_props(version).get("publishingProfile") or {}).get("targetRegions") or []:
        encryption = region.get("encryption") or {}
        des_ids = [(encryption.get("osDiskImage") or {}).get("diskEncryptionSetId")]
        des_ids += [d.get("diskEncryptionSetId") for d in encryption.get("dataDiskImages") or []]
        for des_id in filter(None, des_ids):
            parsed = ids.parse(des_id)
            if parsed and parsed.subscription.lower() != ctx.request.sub.lower():
                return failed("The version uses '{}' of subscription {}; the VM is in {}.".format(
                    des_id, parsed.subscription, ctx.request.sub), des_id=des_id, subscription=parsed.subscription)
    return passed("The version's encryption sets are in the VM's subscription.")


@rule("disk.lun-exists", "disk.image-reference-lun-missing", "vm",
      "The LUN asked for with --gallery-image-reference-lun is a data disk of the version", live=True,
      requires=("definition", "arm_image", "image_version"))
def disk_lun(ctx):
    """A disk made from a version's data disk names it by its LUN."""
    if not ctx.request.for_disk or ctx.request.lun is None:
        return skipped("no --gallery-image-reference-lun given")
    version = _version(ctx)
    if version is None:
        return skipped("the version does not exist")
    luns = sorted(d.get("lun") for d in (_props(version).get("storageProfile") or {}).get("dataDiskImages") or [])
    if int(ctx.request.lun) not in luns:
        return failed("LUN {} is not a data disk of the version (LUNs: {}).".format(
            ctx.request.lun, ", ".join(map(str, luns)) or "none"), lun=ctx.request.lun)
    return passed("LUN {} is a data disk of the version.".format(ctx.request.lun))


@rule("vm.image-version-readable", ("vm.no-read-access-to-image", "vm.cross-tenant-linked-subscription",
                                    "sharing.rbac-access"), "vm",
      "The signed-in identity may read the gallery image", live=True, requires="arm_image")
def image_readable(ctx):
    """Creating from a gallery image needs read access to it; from another tenant, that tenant's token."""
    reference = _reference(ctx)
    key = ("version", reference.version_id) if reference.version_id else ("definition", reference.definition_id)
    result = ctx.raw(key)
    if result.status == "failed" and result.reason in ("forbidden", "tenant"):
        if result.reason == "tenant":
            return failed("The image's subscription {} is in a tenant this sign-in cannot reach ({}).".format(
                reference.resource_id.subscription, result.message), error_id="vm.cross-tenant-linked-subscription",
                resource_id=key[1], subscription=reference.resource_id.subscription, image_tenant=result.tenant)
        return failed("Reading '{}' was refused ({}).".format(key[1], result.message), resource_id=key[1])
    if result.status == "failed":
        ctx.data(key)  # unverified, with the read's reason
    return passed("The image can be read by the signed-in identity." if result.status == "ok"
                  else "The image does not exist (see vm.image-exists); access is not in question.")


@rule("vm.os-type-matches-source", "vm.slow-create-os-type-mismatch", "vm",
      "The version's source has the OS type its definition declares (else the create hangs)", live=True,
      requires=("definition", "arm_image", "image_version"))
def os_type_matches_source(ctx):
    """A version whose source runs another OS than the definition says makes a VM that never finishes booting."""
    version = _version(ctx)
    if version is None:
        return skipped("the version does not exist")
    source_id = facts.version_source_id(version)
    if not source_id or not ids.is_resource_id(source_id):
        return skipped("the version's source is not recorded")
    source = ctx.data(("resource", source_id))
    if source is None:
        return skipped("the version's source no longer exists, so its OS cannot be compared")
    actual = facts.resource_os_type(source)
    wanted = _props(ctx.definition()).get("osType")
    if actual and wanted and actual.lower() != wanted.lower():
        return warned("The definition says {} but the version's source '{}' runs {}.".format(wanted, source_id, actual),
                      resource_id=source_id, os_type1=wanted, os_type2=actual)
    return passed("The version's source OS type ({}) matches the definition.".format(actual or wanted))
