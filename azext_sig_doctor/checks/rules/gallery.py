"""Rules of `check-gallery` (az sig create), and the region rules every gallery resource shares."""

from azext_sig_doctor.checks.registry import failed, passed, rule, skipped
from azext_sig_doctor.checks.rules.common import GALLERY_NAME, gallery_regions, trailing_characters
from azext_sig_doctor.domain import ids, regions
from azext_sig_doctor.i18n.catalog import msg


_NAME = "gallery.name-format"


@rule("gallery.name-format", ("gallery.name-invalid", "gallery.name-trailing-characters"), "gallery",
      "Gallery name uses letters, digits, '_' and '.', up to 80 characters, and ends with a letter or digit")
def name_format(ctx):
    """The service refuses other characters (a hyphen too) and a trailing period or underscore."""
    name = ctx.request.gallery or ""
    trailing = trailing_characters(name)
    core = name[:len(name) - len(trailing)] if trailing else name
    if len(name) > 80 or not core or not GALLERY_NAME.match(core):
        bad = sorted({c for c in name if not (c.isalnum() and c.isascii()) and c not in "._"})
        reason = msg(_NAME, "too-long", count=len(name)) if len(name) > 80 else (
            msg(_NAME, "characters-not-allowed", characters=" ".join(repr(c) for c in bad)) if bad
            else msg(_NAME, "must-start-with-letter-or-digit"))
        return failed(msg(_NAME, "invalid", name=name, reason=reason), name=name, gallery=name)
    if trailing:
        return failed(msg(_NAME, "trailing", name=name, trailing=trailing),
                      error_id="gallery.name-trailing-characters", name=name, gallery=name, char=trailing[-1])
    return passed(msg(_NAME, "valid", name=name))


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
    group = "gallery.region-available"
    if not wanted:
        return skipped(msg(group, "region-unknown"))
    if offered is None:
        return skipped(msg(group, "no-galleries-type"))
    unknown = [name for name in wanted if regions.key(name) not in offered]
    if unknown:
        return failed(msg(group, "not-offered", regions=", ".join("'{}'".format(u) for u in unknown),
                          offered=len(offered)), region=unknown[0])
    return passed(msg(group, "offered", regions=", ".join(wanted), count=len(wanted)))


@rule("gallery.provider-serves-region-and-api", "gallery.provider-not-registered",
      ("gallery", "definition", "version"),
      "The Microsoft.Compute provider is registered and serves galleries", live=True)
def provider_registered(ctx):
    """A subscription must register Microsoft.Compute before it can hold galleries."""
    group = "gallery.provider-serves-region-and-api"
    provider = _compute_provider(ctx)
    if provider is None:
        return failed(msg(group, "no-provider"), name="galleries")
    state = provider.get("registrationState") or "Unknown"
    if state.lower() != "registered":
        return failed(msg(group, "not-registered", state=state), name="galleries", region=ctx.request.location)
    galleries = [t for t in provider.get("resourceTypes") or []
                 if (t.get("resourceType") or "").lower() == "galleries"]
    if not galleries:
        return failed(msg(group, "no-galleries-type"), name="galleries")
    versions = galleries[0].get("apiVersions") or []
    return passed(msg(group, "registered", versions=", ".join(versions[:4]) or msg(group, "not-listed")))


@rule("gallery.name-unique-in-subscription", ("gallery.name-not-unique", "gallery.name-exists-in-other-region"),
      "gallery", "No gallery of the same name exists elsewhere in the subscription or in another region",
      live=True, requires="resource_group")
def name_unique(ctx):
    """A gallery name is unique in its subscription, and an existing gallery cannot move region."""
    request = ctx.request
    region = ctx.location()
    existing = ctx.gallery()
    group = "gallery.name-unique-in-subscription"
    if existing is not None:
        if region and not regions.same(existing.get("location"), region):
            return failed(msg(group, "exists-in-other-region", name=request.gallery, existing=existing.get("location"),
                              region=region),
                          error_id="gallery.name-exists-in-other-region", region1=existing.get("location"),
                          region2=region, name=request.gallery)
        return passed(msg(group, "exists-here", name=request.gallery, region=existing.get("location")))
    galleries = (ctx.data(("galleries_in_subscription", request.sub)) or {}).get("value") or []
    for gallery in galleries:
        if (gallery.get("name") or "").lower() == (request.gallery or "").lower():
            parsed = ids.parse(gallery.get("id"))
            return failed(msg(group, "exists-in-subscription", name=gallery.get("name"),
                              resource_group=parsed.resource_group if parsed else "?"),
                          resource_id=gallery.get("id"), name=gallery.get("name"))
    return passed(msg(group, "unique", name=request.gallery))
