"""Rules of `check-gallery` (az sig create)."""

from azext_sig_doctor.checks import ids
from azext_sig_doctor.checks.registry import failed, passed, rule, skipped
from azext_sig_doctor.checks.rules.common import GALLERY_NAME, gallery_regions, trailing_characters


@rule("gallery.name-format", "gallery.invalid-name", "gallery",
      "Gallery name uses only letters, digits, underscores and periods, up to 80 characters")
def name_format(ctx):
    name = ctx.spec["gallery"] or ""
    core = name.rstrip("._")
    if len(name) > 80 or not core or not GALLERY_NAME.match(core):
        bad = sorted({c for c in name if not (c.isalnum() and c.isascii()) and c not in "._"})
        reason = "{} characters".format(len(name)) if len(name) > 80 else (
            "characters not allowed: {}".format(" ".join(repr(c) for c in bad)) if bad
            else "must start with a letter or digit")
        return failed("Gallery name '{}' is invalid ({}).".format(name, reason), name=name)
    return passed("Gallery name '{}' is valid.".format(name))


@rule("gallery.name-trailing-characters", "gallery.invalid-trailing-characters", "gallery",
      "Gallery name does not end with a period or underscore")
def name_trailing(ctx):
    name = ctx.spec["gallery"] or ""
    trailing = trailing_characters(name)
    if trailing and set(trailing) <= set("._"):
        return failed("Gallery name '{}' ends with '{}'.".format(name, trailing), name=name, char=trailing[-1])
    return passed("Gallery name '{}' ends with a letter or digit.".format(name))


@rule("gallery.location-available", "gallery.location-not-available", "gallery",
      "The region offers galleries to this subscription", live=True)
def location_available(ctx):
    region = ctx.location()
    regions = gallery_regions(ctx.data(("compute_provider", ctx.spec["subscription"])))
    if not region:
        return skipped("the region is unknown (no --location and the resource group could not be read)")
    if regions is None:
        return skipped("the provider registration lists no 'galleries' resource type")
    if ids.region_key(region) not in regions:
        return failed("Region '{}' is not among the {} regions that offer galleries.".format(region, len(regions)),
                      region=region)
    return passed("Region '{}' offers galleries.".format(region))


@rule("gallery.name-unique-in-subscription", "gallery.name-not-unique", "gallery",
      "No gallery of the same name exists in another resource group of the subscription", live=True)
def name_unique(ctx):
    name = (ctx.spec["gallery"] or "").lower()
    galleries = (ctx.data(("galleries_in_subscription", ctx.spec["subscription"])) or {}).get("value") or []
    for gallery in galleries:
        parts = ids.parse(gallery.get("id")) or {}
        if (gallery.get("name") or "").lower() == name and \
                (parts.get("resource_group") or "").lower() != (ctx.spec["resource_group"] or "").lower():
            return failed("Gallery '{}' already exists in resource group '{}' of this subscription.".format(
                gallery.get("name"), parts.get("resource_group")),
                gallery=gallery.get("name"), resource_id=gallery.get("id"))
    return passed("No other resource group of the subscription has a gallery named '{}'.".format(ctx.spec["gallery"]))


@rule("gallery.same-location-as-existing", "gallery.exists-in-other-location", "gallery",
      "An existing gallery of the same name is in the requested region", live=True)
def same_location(ctx):
    existing = ctx.gallery()
    if existing is None:
        return passed("No gallery '{}' exists yet in resource group '{}'.".format(
            ctx.spec["gallery"], ctx.spec["resource_group"]))
    region = ctx.location()
    if region and not ids.same_region(existing.get("location"), region):
        return failed("Gallery '{}' already exists in '{}'; the request asks for '{}'.".format(
            ctx.spec["gallery"], existing.get("location"), region),
            region1=existing.get("location"), region2=region, name=ctx.spec["gallery"])
    return passed("Gallery '{}' exists in '{}', the requested region.".format(ctx.spec["gallery"],
                                                                              existing.get("location")))
