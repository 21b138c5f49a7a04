"""Rules of `check-gallery` (az sig create), and the region rules every gallery resource shares."""

from azext_sig_doctor.checks.registry import failed, passed, rule, skipped
from azext_sig_doctor.checks.rules.common import GALLERY_NAME, gallery_regions, trailing_characters
from azext_sig_doctor.domain import ids, regions


@rule("gallery.name-format", ("gallery.name-invalid", "gallery.name-trailing-characters"), "gallery",
      "Gallery name uses letters, digits, '_' and '.', up to 80 characters, and ends with a letter or digit")
def name_format(ctx):
    """The service refuses other characters (a hyphen too) and a trailing period or underscore."""
    name = ctx.request.gallery or ""
    trailing = trailing_characters(name)
    core = name[:len(name) - len(trailing)] if trailing else name
    if len(name) > 80 or not core or not GALLERY_NAME.match(core):
        bad = sorted({c for c in name if not (c.isalnum() and c.isascii()) and c not in "._"})
        reason = "{} characters".format(len(name)) if len(name) > 80 else (
            "characters not allowed: {}".format(" ".join(repr(c) for c in bad)) if bad
            else "it must start with a letter or digit")
        return failed("Gallery name '{}' is invalid: {}.".format(name, reason), name=name, gallery=name)
    if trailing:
        return failed("Gallery name '{}' ends with '{}'.".format(name, trailing),
                      error_id="gallery.name-trailing-characters", name=name, gallery=name, char=trailing[-1])
    return passed("Gallery name '{}' is valid.".format(name))


def _requested_regions(ctx):
    if ctx.kind == "version":
        return [r.name for r in ctx.request.regions_sent(ctx.location())]
    region = ctx.location()
    return [region] if region else []


def _compute_provider(ctx):
    return ctx.data(("compute_provider", ctx.request.sub))


@rule("gallery.region-available", "gallery.region-not-available", ("gallery", "definition", "version"),
      "Every region asked for offers galleries to this subscription", live=True, requires="resource_group")
def region_available(ctx):
    """Galleries, definitions and versions exist only in the regions the Microsoft.Compute provider
    offers the galleries resource type in, for this subscription."""
    provider = _compute_provider(ctx)
    offered = gallery_regions(provider)
    wanted = _requested_regions(ctx)
    if not wanted:
        return skipped("the region is unknown (no --location and the resource group could not be read)")
    if offered is None:
        return skipped("the Microsoft.Compute registration lists no 'galleries' resource type")
    unknown = [name for name in wanted if regions.key(name) not in offered]
    if unknown:
        return failed("Region {} is not among the {} regions offering galleries to this subscription.".format(
            ", ".join("'{}'".format(u) for u in unknown), len(offered)), region=unknown[0])
    return passed("{} offer{} galleries.".format(", ".join(wanted), "s" if len(wanted) == 1 else ""))


@rule("gallery.provider-serves-region-and-api", "gallery.provider-not-registered",
      ("gallery", "definition", "version"),
      "The Microsoft.Compute provider is registered and serves galleries", live=True)
def provider_registered(ctx):
    """A subscription must register Microsoft.Compute before it can hold galleries."""
    provider = _compute_provider(ctx)
    if provider is None:
        return failed("The subscription has no Microsoft.Compute provider.", name="galleries")
    state = provider.get("registrationState") or "Unknown"
    if state.lower() != "registered":
        return failed("Microsoft.Compute is '{}' in this subscription, not 'Registered'.".format(state),
                      name="galleries", region=ctx.request.location)
    galleries = [t for t in provider.get("resourceTypes") or []
                 if (t.get("resourceType") or "").lower() == "galleries"]
    if not galleries:
        return failed("Microsoft.Compute is registered but serves no 'galleries' resource type.", name="galleries")
    versions = galleries[0].get("apiVersions") or []
    return passed("Microsoft.Compute is registered; galleries API versions {}.".format(
        ", ".join(versions[:4]) or "not listed"))


@rule("gallery.name-unique-in-subscription", ("gallery.name-not-unique", "gallery.name-exists-in-other-region"),
      "gallery", "No gallery of the same name exists elsewhere in the subscription or in another region",
      live=True, requires="resource_group")
def name_unique(ctx):
    """A gallery name is unique in its subscription, and an existing gallery cannot move region."""
    request = ctx.request
    region = ctx.location()
    existing = ctx.gallery()
    if existing is not None:
        if region and not regions.same(existing.get("location"), region):
            return failed("Gallery '{}' already exists in '{}' in this resource group; the request asks for "
                          "'{}'.".format(request.gallery, existing.get("location"), region),
                          error_id="gallery.name-exists-in-other-region", region1=existing.get("location"),
                          region2=region, name=request.gallery)
        return passed("Gallery '{}' already exists here in '{}' (see gallery.create-is-new).".format(
            request.gallery, existing.get("location")))
    galleries = (ctx.data(("galleries_in_subscription", request.sub)) or {}).get("value") or []
    for gallery in galleries:
        if (gallery.get("name") or "").lower() == (request.gallery or "").lower():
            parsed = ids.parse(gallery.get("id"))
            return failed("Gallery '{}' already exists in resource group '{}' of this subscription.".format(
                gallery.get("name"), parsed.resource_group if parsed else "?"), resource_id=gallery.get("id"),
                name=gallery.get("name"))
    return passed("No gallery named '{}' exists in the subscription.".format(request.gallery))
