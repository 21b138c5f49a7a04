"""Rules particular to a tool, registered like every other check rule (kind ``build``).

They see a ``BuildRequest``: the build's typed request (``request``), the template's settings and
the facts the extractor kept (``build``). The rules every check runs (``checks/rules``) run on the
typed request itself; these add what only the template says: Packer's own refusals before the
build starts, Image Builder's distribution fields per API version, Terraform's plan actions.
Details are plain format strings with named values.
"""

from dataclasses import dataclass
from typing import ClassVar

from azext_sig_doctor.build.imagebuilder import TARGET_REGIONS_SINCE
from azext_sig_doctor.checks.registry import failed, passed, rule, skipped, warned
from azext_sig_doctor.domain import regions

KIND = "build"
NAMES = ("subscription", "resource_group", "gallery", "image")


@dataclass(frozen=True)
class BuildRequest:
    """A build as a rule's request: the typed request's names, and the build behind it."""

    kind: ClassVar[str] = KIND
    request: object
    build: object

    def __getattr__(self, name):
        # Everything a Context asks of a request (sub, gallery_id, image_id, location...) is the typed request's.
        return getattr(object.__getattribute__(self, "request"), name)

    @property
    def tool(self):
        return self.build.tool


# Request fields each rule's outcome depends on: a rule whose field the template leaves unresolved
# is unverified, never passed or failed (the generic rules' inputs are listed in check.py).
INPUTS = {
    "build.version-name-free": NAMES + ("version",),
    "build.packer-managed-image-security": ("managed_image", "security_type"),
    "build.packer-region-settings": ("target_regions", "replica_count"),
    "build.packer-shallow-replication": ("replication_mode", "target_regions", "location", "replica_count"),
    "build.packer-publish-timeout": ("timeout", "target_regions", "replica_count"),
    "build.imagebuilder-distribute-fields": ("target_regions", "storage_account_type"),
    "build.terraform-location-targeted": ("location", "target_regions"),
    "build.terraform-immutable-change": (),
    "build.terraform-definition-order": (),
}


# The tools a rule is about (a rule not listed applies to every tool).
APPLIES = {
    "build.packer-managed-image-security": ("packer",), "build.packer-region-settings": ("packer",),
    "build.packer-shallow-replication": ("packer",), "build.packer-publish-timeout": ("packer",),
    "build.imagebuilder-distribute-fields": ("imagebuilder",), "build.terraform-location-targeted": ("terraform",),
    "build.terraform-immutable-change": ("terraform",), "build.terraform-definition-order": ("terraform",),
}


def _tool(ctx, *tools):
    return ctx.request.tool in tools


@rule("build.version-name-free", "version.build-version-exists", KIND,
      "The version the build publishes does not exist yet", live=True)
def version_name_free(ctx):
    """Packer and Image Builder refuse to publish over an existing version, and a Terraform create of
    one fails as already existing: each only finds out after the build (or at apply)."""
    request, build = ctx.request.request, ctx.request.build
    if request.kind != "version":
        return skipped("the resource is not an image version")
    if build.tool == "terraform" and "create" not in build.facts.get("actions", ()):
        return skipped("the plan updates this version; it is meant to exist")
    if not request.version:
        return skipped("the service names the version (no version in galleryImageId)")
    if ctx.data(("version", request.version_id)) is None:
        return passed("Version {} of {}/{} does not exist yet.".format(request.version, request.gallery,
                                                                        request.image))
    return failed("Version {version} of {gallery}/{image} exists already.".format(
        version=request.version, gallery=request.gallery, image=request.image), version=request.version)


@rule("build.packer-managed-image-security", "version.packer-managed-image-security", KIND,
      "A Packer build with a managed image output is neither Trusted Launch, Confidential nor specialized")
def managed_image_security(ctx):
    """The azure-arm plugin refuses a managed image (managed_image_name) together with Secure Boot,
    vTPM or a ConfidentialVM security type, or a specialized destination: Azure's managed images
    hold none of them, so those builds publish to the gallery directly."""
    if not _tool(ctx, "packer"):
        return skipped("not a Packer build")
    facts = ctx.request.build.facts
    if not facts.get("managed_image"):
        return passed("The build publishes to the gallery without a managed image.")
    reasons = []
    if facts.get("security_type") in ("TrustedLaunch", "ConfidentialVM"):
        reasons.append("security_type {}".format(facts["security_type"]))
    if facts.get("secure_boot"):
        reasons.append("secure_boot_enabled")
    if facts.get("vtpm"):
        reasons.append("vtpm_enabled")
    if facts.get("specialized"):
        reasons.append("a specialized destination")
    if reasons:
        return failed("The build makes a managed image ({name}) and sets {settings}.".format(
            name=ctx.request.build.value("managed_image_name"), settings=", ".join(reasons)),
            security_type=facts.get("security_type"))
    return passed("The managed image output comes from a Standard, generalized build.")


@rule("build.packer-region-settings", "version.packer-region-settings-conflict", KIND,
      "Packer's region settings are used as the plugin version expects them")
def region_settings(ctx):
    """target_region blocks supersede replication_regions (deprecated) and carry their own replica
    counts: the plugin refuses replication_regions or shared_image_gallery_replica_count beside them."""
    if not _tool(ctx, "packer"):
        return skipped("not a Packer build")
    facts, build = ctx.request.build.facts, ctx.request.build
    if facts.get("uses_target_region") and facts.get("uses_replication_regions"):
        return failed("Both replication_regions and target_region blocks are set.",
                      property="replication_regions")
    if facts.get("uses_target_region") and build.value("shared_image_gallery_replica_count"):
        return failed("shared_image_gallery_replica_count is set beside target_region blocks.",
                      property="shared_image_gallery_replica_count")
    if facts.get("uses_replication_regions"):
        return warned("replication_regions is deprecated in plugin 2.x (target_region blocks replace it); older "
                      "plugins publish only to the regions it lists.", property="replication_regions")
    return passed("The region settings are those of the plugin's current versions.")


@rule("build.packer-shallow-replication", "version.packer-shallow-replication-regions", KIND,
      "A shallow-replicated build targets only its own region, with one replica")
def shallow_replication(ctx):
    """With use_shallow_replication the version stays in the build region with one replica: the
    plugin refuses any other region or a replica count above one."""
    if not _tool(ctx, "packer"):
        return skipped("not a Packer build")
    build, request = ctx.request.build, ctx.request.request
    if not build.facts.get("shallow"):
        return passed("The build does not use shallow replication.")
    listed = build.facts.get("regions_listed") or []
    others = [name for name in listed if not regions.same(name, request.location)]
    if len(listed) > 1 or others:
        return failed("use_shallow_replication is set and the destination lists {regions}.".format(
            regions=", ".join(listed)), regions=", ".join(listed), region=request.location)
    counts = [request.replica_count or 1] + [r.replica_count or 1 for r in request.target_regions]
    if max(counts) > 1:
        return failed("use_shallow_replication is set with {count} replicas.".format(count=max(counts)),
                      number=max(counts))
    return passed("Shallow replication to the build region alone.")


# Our estimate, not a service figure: a first copy in the build region, then each further region and
# replica (Azure copies regions in parallel but gives no duration; these keep a margin).
MINUTES_FIRST_REGION, MINUTES_PER_REGION, MINUTES_PER_REPLICA = 20, 10, 2


def publish_estimate(request):
    regions_sent = request.regions_sent(request.location) or ()
    replicas = sum((r.replica_count or request.replica_count or 1) for r in regions_sent)
    return MINUTES_FIRST_REGION + MINUTES_PER_REGION * max(0, len(regions_sent) - 1) + \
        MINUTES_PER_REPLICA * max(0, replicas - len(regions_sent))


@rule("build.packer-publish-timeout", "replication.packer-timeout-short", KIND,
      "shared_image_gallery_timeout leaves time for the regions and replicas asked for")
def publish_timeout(ctx):
    """Packer waits shared_image_gallery_timeout (default 60m) for the version to be published in
    every target region, then fails the build while Azure goes on replicating."""
    if not _tool(ctx, "packer"):
        return skipped("not a Packer build")
    build, request = ctx.request.build, ctx.request.request
    timeout = build.facts.get("timeout_minutes")
    estimate = publish_estimate(request)
    if timeout is not None and timeout < estimate:
        return warned("shared_image_gallery_timeout is {timeout:g} minutes; {regions} regions with their replicas "
                      "may take about {estimate} minutes.".format(timeout=timeout, regions=len(
                          request.regions_sent(request.location)), estimate=estimate),
                      number=estimate, value="{}m".format(int(timeout)))
    return passed("shared_image_gallery_timeout ({:g} minutes) covers the estimate of {} minutes.".format(
        timeout, estimate))


def _api_at_least(template_api, since):
    return isinstance(template_api, str) and template_api[:10] >= since


@rule("build.imagebuilder-distribute-fields", "version.imagebuilder-distribute-fields", KIND,
      "The SharedImage distribution uses the fields of the template's API version")
def distribute_fields(ctx):
    """targetRegions exists from API version 2022-07-01 and supersedes replicationRegions and
    storageAccountType, which may not be given beside it; storage types are Standard_LRS,
    Standard_ZRS and Premium_LRS."""
    if not _tool(ctx, "imagebuilder"):
        return skipped("not an Image Builder template")
    build = ctx.request.build
    template_api = build.facts.get("api_version")  # the template's own apiVersion
    has_targets = any(name.startswith("distribute.targetRegions") for name in build.settings)
    has_replication = "distribute.replicationRegions" in build.settings
    if has_targets and not _api_at_least(template_api, TARGET_REGIONS_SINCE):
        return failed("targetRegions needs apiVersion {since} or later; the template uses {api}.".format(
            since=TARGET_REGIONS_SINCE, api=template_api), property="targetRegions", value=template_api)
    if has_targets and has_replication:
        return failed("Both replicationRegions and targetRegions are given.", property="replicationRegions")
    if has_targets and "distribute.storageAccountType" in build.settings:
        return failed("storageAccountType is given beside targetRegions (give it per target region).",
                      property="storageAccountType")
    allowed = ("standard_lrs", "standard_zrs", "premium_lrs")
    types = [build.value(name) for name in build.settings
             if name.endswith("storageAccountType") and isinstance(build.value(name), str)]
    bad = [value for value in types if value.lower() not in allowed]
    if bad:
        return failed("Storage account type {value} is not Standard_LRS, Standard_ZRS or Premium_LRS.".format(
            value=bad[0]), property="storageAccountType", value=bad[0])
    if not has_targets and not has_replication:
        return failed("The distribution names no region (replicationRegions or targetRegions).",
                      property="replicationRegions")
    if has_replication and _api_at_least(template_api, TARGET_REGIONS_SINCE):
        return warned("replicationRegions is deprecated from API version {}; targetRegions replaces it.".format(
            TARGET_REGIONS_SINCE),
                      property="replicationRegions", value=template_api)
    return passed("The distribution's fields are those of API version {}.".format(template_api))


@rule("build.terraform-location-targeted", "version.terraform-location-not-targeted", KIND,
      "The version's location is one of its target_region blocks")
def location_targeted(ctx):
    """azurerm sends exactly the target_region blocks it is given; the version is created in its
    location and copied from there, so that region must be one of them."""
    if not _tool(ctx, "terraform") or ctx.request.request.kind != "version":
        return skipped("not a Terraform image version")
    request = ctx.request.request
    names = [r.name for r in request.target_regions]
    if request.location and names and not any(regions.same(name, request.location) for name in names):
        return failed("location {region} is not among the target regions {regions}.".format(
            region=request.location, regions=", ".join(names)), region=regions.short_name(request.location),
            source_region=regions.short_name(request.location), regions=", ".join(names))
    return passed("The version's location is one of its target regions.")


@rule("build.terraform-immutable-change", "definition.terraform-immutable-change", KIND,
      "The plan changes no property Azure keeps fixed, and replaces no gallery resource")
def immutable_change(ctx):
    """An update that changes a fixed property (OS type, generation, identifier, source, ...) is
    refused by Azure at apply; a replace deletes the definition or version first."""
    from azext_sig_doctor.build.terraform import IMMUTABLE
    if not _tool(ctx, "terraform"):
        return skipped("not a Terraform plan")
    facts = ctx.request.build.facts
    kind, actions = facts.get("type"), facts.get("actions") or []
    if kind not in IMMUTABLE:
        return skipped("not a shared image or image version")
    before, after = facts.get("before") or {}, facts.get("after") or {}
    changed = [name for name in IMMUTABLE[kind] if name in before and name in after and before[name] != after[name]]
    if "update" in actions and changed:
        return failed("The plan updates {address} in place and changes {properties}.".format(
            address=facts.get("address"), properties=", ".join(changed)), property=changed[0])
    if "delete" in actions and "create" in actions:
        return warned("The plan replaces {address} (delete, then create){because}.".format(
            address=facts.get("address"), because=": " + ", ".join(changed) if changed else ""),
            property=changed[0] if changed else "")
    return passed("No fixed property changes.")


@rule("build.terraform-definition-order", "version.terraform-definition-created-alongside", KIND,
      "A version created with its definition in one plan refers to it, so Terraform creates it first")
def definition_order(ctx):
    """Terraform creates resources in parallel unless one refers to another: a version whose
    image_name is a plain string is created while its definition may not exist yet."""
    if not _tool(ctx, "terraform") or ctx.request.request.kind != "version":
        return skipped("not a Terraform image version")
    facts = ctx.request.build.facts
    if "create" not in facts.get("actions", ()):
        return skipped("the version exists already")
    request = ctx.request.request
    wanted = ("definition", (request.resource_group or "").lower(), (request.gallery or "").lower(),
              (request.image or "").lower())
    if wanted not in facts.get("created", ()):
        return passed("The plan does not create the version's definition.")
    references = facts.get("references") or {}
    named = [ref for key in ("image_name", "gallery_name", "depends_on") for ref in references.get(key) or []]
    if any(str(ref).startswith("azurerm_shared_image.") for ref in named):
        return passed("The version refers to the definition the plan creates.")
    return failed("The plan creates definition {image} and version {version} without a reference between them.".format(
        image=request.image, version=request.version), image=request.image, version=request.version)
