"""Rules of `check-vm` (az vm create / az vmss create --image <gallery id>, az disk create
--gallery-image-reference)."""

from azext_sig_doctor.checks import facts, ids
from azext_sig_doctor.checks.registry import failed, passed, rule, skipped, warned


def _props(resource):
    return (resource or {}).get("properties") or {}


def _is_gallery_reference(spec):
    return spec.get("image_id") is not None


def _region(ctx):
    return ctx.location()


def _versions(ctx):
    listing = ctx.data(("versions_in_definition", ctx.spec["image_id"]))
    return (listing or {}).get("value") or []


def _version_regions(version):
    return [r.get("name") for r in (_props(version).get("publishingProfile") or {}).get("targetRegions") or []]


def _excluded(version):
    publishing = _props(version).get("publishingProfile") or {}
    return bool(publishing.get("excludeFromLatest"))


def _guard(ctx):
    if not _is_gallery_reference(ctx.spec):
        return skipped("--image is not a gallery reference")
    if ctx.definition() is None:
        return failed("Image definition '{}' was not found.".format(ctx.spec["image_id"]),
                      resource_id=ctx.spec["image_id"])
    return None


@rule("vm.latest-version-exists", "vm.no-latest-version", "vm",
      "A definition reference has at least one version included in latest", live=True)
def latest_exists(ctx):
    if not _is_gallery_reference(ctx.spec) or ctx.spec["version_id"]:
        return passed("--image names a specific version.") if _is_gallery_reference(ctx.spec) else \
            skipped("--image is not a gallery reference")
    candidates = [v for v in _versions(ctx) if not _excluded(v)]
    if not candidates:
        return failed("Definition '{}' has no version that is included in latest.".format(ctx.spec["image_id"]),
                      resource_id=ctx.spec["image_id"])
    return passed("{} version(s) are included in latest.".format(len(candidates)))


@rule("vm.version-replicated-to-region", "vm.version-not-in-region", "vm",
      "The image version exists and is replicated to the VM's region", live=True)
def version_in_region(ctx):
    if not ctx.spec.get("version_id"):
        return skipped("--image names a definition, see vm.definition-has-version-in-region")
    region = _region(ctx)
    version = ctx.data(("version", ctx.spec["version_id"]))
    if version is None:
        return failed("Version '{}' does not exist, so it is not available in '{}'.".format(
            ctx.spec["version_id"], region), resource_id=ctx.spec["version_id"], region=region)
    if not region:
        return skipped("the VM's region is unknown")
    regions = _version_regions(version)
    if not any(ids.same_region(name, region) for name in regions):
        return failed("Version '{}' is replicated to {} but not to '{}'.".format(
            ctx.spec["version"] if ctx.spec.get("version") else ctx.spec["version_id"].rsplit("/", 1)[-1],
            ", ".join(regions), region), resource_id=ctx.spec["version_id"], region=region)
    status = _props(version).get("replicationStatus") or {}
    for summary in status.get("summary") or []:
        if ids.same_region(summary.get("region"), region) and (summary.get("state") or "").lower() not in (
                "completed", ""):
            return failed("Replication to '{}' is {} ({}%).".format(region, summary.get("state"),
                                                                    summary.get("progress")),
                          resource_id=ctx.spec["version_id"], region=region)
    return passed("The version is replicated to '{}'.".format(region))


@rule("vm.definition-has-version-in-region", "vm.definition-not-in-region", "vm",
      "A definition reference has a version in latest that is replicated to the VM's region", live=True)
def definition_in_region(ctx):
    if not _is_gallery_reference(ctx.spec) or ctx.spec["version_id"]:
        return skipped("--image names a specific version or no gallery image")
    region = _region(ctx)
    if not region:
        return skipped("the VM's region is unknown")
    candidates = [v for v in _versions(ctx) if not _excluded(v)]
    if not candidates:
        return skipped("the definition has no version in latest (see vm.latest-version-exists)")
    if not any(any(ids.same_region(name, region) for name in _version_regions(v)) for v in candidates):
        return failed("No version in latest of '{}' is replicated to '{}'.".format(ctx.spec["image_id"], region),
                      resource_id=ctx.spec["image_id"], region=region)
    return passed("A version in latest is replicated to '{}'.".format(region))


def _os_state(ctx):
    definition = ctx.definition()
    return _props(definition).get("osState")


def _is_specialized_image(ctx):
    return (_os_state(ctx) or "").lower() == "specialized"


def _os_profile_guard(ctx):
    outcome = _guard(ctx)
    if outcome:
        return outcome
    if ctx.spec["for_disk"]:
        return skipped("a disk takes no OS profile")
    return None


@rule("vm.no-credentials-for-specialized", "vm.os-profile-with-specialized-image", "vm",
      "A VM from a specialized image is created with --specialized, so az sends no OS profile", live=True)
def specialized_credentials(ctx):
    outcome = _os_profile_guard(ctx)
    if outcome:
        return outcome
    if _is_specialized_image(ctx) and ctx.spec["sends_os_profile"]:
        # Without --specialized az fills in an admin user (and a key or password) even when none was typed.
        return failed("The image is specialized, but without --specialized az sends an OS profile "
                      "(admin user name and SSH key or password).", resource_id=ctx.spec["image_id"])
    if _is_specialized_image(ctx):
        return passed("The image is specialized and --specialized makes az send no OS profile.")
    return passed("The image is {}; see vm.credentials-for-generalized.".format(_os_state(ctx) or "generalized"))


@rule("vm.credentials-for-generalized", "vm.os-profile-missing-for-generalized-image", "vm",
      "A VM from a generalized image is created without --specialized, so az sends an OS profile", live=True)
def generalized_credentials(ctx):
    outcome = _os_profile_guard(ctx)
    if outcome:
        return outcome
    if not _is_specialized_image(ctx) and not ctx.spec["sends_os_profile"]:
        return failed("The image is generalized, but --specialized makes az send no OS profile "
                      "(no admin user name, password or SSH key), whatever credentials were given.",
                      resource_id=ctx.spec["image_id"])
    if _is_specialized_image(ctx):
        return passed("The image is specialized; see vm.no-credentials-for-specialized.")
    # az fills a default admin user name and key or password itself, so no credential option is needed.
    return passed("The image is generalized and az sends an OS profile (without --specialized).")


def _requested_security(ctx):
    """The security type Azure applies: --security-type, else Standard. For a gallery image id az vm
    create and az vmss create send no security type (their TrustedLaunch default only applies to
    marketplace images, see trusted_launch_set_default in the az CLI), and Azure then makes a Standard VM."""
    return ctx.spec.get("security_type") or "Standard"


def _requested_security_words(ctx):
    if ctx.spec["security_type_given"]:
        return ctx.spec["security_type"]
    return "Standard (no --security-type: az sends none for a gallery image)"


@rule("vm.security-type-matches-image", "vm.trusted-launch-required", "vm",
      "The VM's security type is one the image requires", live=True)
def security_required(ctx):
    outcome = _guard(ctx)
    if outcome:
        return outcome
    if ctx.spec["for_disk"]:
        return skipped("a disk has no security type of its own here")
    image_type = facts.definition_security_type(ctx.definition())
    requested = _requested_security(ctx)
    if image_type in ("TrustedLaunch", "ConfidentialVM") and requested.lower() != image_type.lower():
        return failed("The image only supports {} VMs; the VM asks for {}.".format(
            image_type, _requested_security_words(ctx)), security_type=image_type)
    return passed("The image ({}) accepts a {} VM.".format(image_type, requested))


@rule("vm.trusted-launch-image-supported", "vm.trusted-launch-unsupported-image", "vm",
      "Trusted Launch is only requested for a Gen2 x64 image", live=True)
def trusted_launch_supported(ctx):
    outcome = _guard(ctx)
    if outcome:
        return outcome
    if ctx.spec["for_disk"]:
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


@rule("vm.version-des-same-subscription", "vm.des-subscription-mismatch", "vm",
      "The version's disk encryption sets are in the VM's subscription", live=True)
def des_subscription(ctx):
    if not ctx.spec.get("version_id"):
        return skipped("--image names no specific version")
    version = ctx.data(("version", ctx.spec["version_id"]))
    if version is None:
        return skipped("the version does not exist")
    for region in (_props(version).get("publishingProfile") or {}).get("targetRegions") or []:
        encryption = region.get("encryption") or {}
        des_ids = [(encryption.get("osDiskImage") or {}).get("diskEncryptionSetId")]
        des_ids += [d.get("diskEncryptionSetId") for d in encryption.get("dataDiskImages") or []]
        for des_id in filter(None, des_ids):
            parts = ids.parse(des_id) or {}
            if (parts.get("subscription") or "").lower() != ctx.spec["subscription"].lower():
                return failed("The version uses '{}' of subscription {}; the VM is in {}.".format(
                    des_id, parts.get("subscription"), ctx.spec["subscription"]), des_id=des_id,
                    subscription=parts.get("subscription"))
    return passed("The version's encryption sets are in the VM's subscription.")


@rule("disk.lun-exists", "disk.image-reference-lun-missing", "vm",
      "The LUN asked for with --gallery-image-reference-lun is a data disk of the version", live=True)
def disk_lun(ctx):
    if not ctx.spec["for_disk"] or ctx.spec.get("lun") is None:
        return skipped("no --gallery-image-reference-lun given")
    if not ctx.spec.get("version_id"):
        return skipped("--gallery-image-reference names no version")
    version = ctx.data(("version", ctx.spec["version_id"]))
    if version is None:
        return skipped("the version does not exist")
    luns = sorted(d.get("lun") for d in (_props(version).get("storageProfile") or {}).get("dataDiskImages") or [])
    if int(ctx.spec["lun"]) not in luns:
        return failed("LUN {} is not a data disk of the version (LUNs: {}).".format(
            ctx.spec["lun"], ", ".join(map(str, luns)) or "none"), lun=ctx.spec["lun"])
    return passed("LUN {} is a data disk of the version.".format(ctx.spec["lun"]))


@rule("vm.image-version-readable", ("vm.no-read-access-to-image", "vm.cross-tenant-linked-subscription",
                                    "sharing.rbac-access"), "vm",
      "The signed-in identity may read the gallery image", live=True)
def image_readable(ctx):
    key = ("version", ctx.spec["version_id"]) if ctx.spec.get("version_id") else \
        ("definition", ctx.spec["image_id"])
    result = ctx.raw(key)
    if result.status == "denied":
        if (result.code or "").lower() == "linkedauthorizationfailed":
            parts = ids.parse(key[1]) or {}
            return failed("The image's subscription {} is in a tenant this sign-in cannot reach ({}).".format(
                parts.get("subscription"), result.message), error_id="vm.cross-tenant-linked-subscription",
                resource_id=key[1], subscription=parts.get("subscription"))
        return failed("Reading '{}' was refused ({}).".format(key[1], result.message), resource_id=key[1])
    if result.status == "error":
        return skipped("could not read the image: {}".format(result.message))
    return passed("The image can be read by the signed-in identity." if result.status == "ok"
                  else "The image does not exist (see the availability rules); access is not in question.")


def _plan_key(plan):
    return tuple(((plan or {}).get(k) or "").lower() for k in ("name", "publisher", "product")) if plan else None


@rule("vm.plan-matches", "vm.plan-mismatch", ("vm", "version"),
      "The purchase plan of the VM (or of a source VM) matches the image definition's plan", live=True)
def plan_matches(ctx):
    definition = ctx.definition()
    if definition is None:
        return skipped("the image definition is missing")
    wanted = _props(definition).get("purchasePlan") or None
    if ctx.spec["kind"] == "version":
        source = ctx.source()
        if source is None or source["kind"] != "vm":
            return skipped("the source is not a VM")
        plan, who, resource_id = source.get("plan"), "source VM", facts.primary_source(ctx.spec)[1]
    else:
        plan, who, resource_id = ctx.spec.get("plan"), "VM request", ctx.spec["image"]
        if plan is None:
            return passed("The VM request carries no plan of its own.")
    if _plan_key(plan) != _plan_key(wanted):
        return failed("The {} has plan {}; the definition's plan is {}.".format(who, plan, wanted),
                      resource_id=resource_id, sku=(plan or {}).get("name"), publisher=(plan or {}).get("publisher"),
                      offer=(plan or {}).get("product"))
    return passed("The {}'s plan matches the definition.".format(who))


@rule("vm.os-type-matches-source", "vm.slow-create-os-type-mismatch", "vm",
      "The version's source has the OS type its definition declares (else the create hangs)", live=True)
def os_type_matches_source(ctx):
    if not ctx.spec.get("version_id"):
        return skipped("--image names no specific version")
    version = ctx.data(("version", ctx.spec["version_id"]))
    definition = ctx.definition()
    if version is None or definition is None:
        return skipped("the version or its definition does not exist")
    source_id = facts.version_source_id(version)
    if not source_id or not ids.is_fully_qualified(source_id):
        return skipped("the version's source is not recorded")
    source = ctx.data(("resource", source_id))
    if source is None:
        return skipped("the version's source no longer exists, so its OS cannot be compared")
    actual = facts.resource_os_type(source)
    wanted = _props(definition).get("osType")
    if actual and wanted and actual.lower() != wanted.lower():
        return warned("The definition says {} but the version's source '{}' runs {}.".format(wanted, source_id, actual),
                      resource_id=source_id, os_type1=wanted, os_type2=actual)
    return passed("The version's source OS type ({}) matches the definition.".format(actual or wanted))
