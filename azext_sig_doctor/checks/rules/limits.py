"""The documented per-subscription, per-region limits of galleries, definitions and replicas."""

from azext_sig_doctor.checks.registry import failed, passed, rule, skipped, warned
from azext_sig_doctor.domain import regions
from azext_sig_doctor.i18n.catalog import msg

MAX_GALLERIES_PER_REGION = 100
MAX_REPLICAS = 100
RECOMMENDED_REPLICAS = 50


def _galleries_in_region(ctx, region):
    galleries = (ctx.data(("galleries_in_subscription", ctx.request.sub)) or {}).get("value") or []
    return [g for g in galleries if regions.same(g.get("location"), region)]


@rule("limits.within-gallery-quotas", "limits.subscription-quotas", ("gallery", "version"),
      "The request stays within the documented gallery limits (100 galleries per region, 100 replicas)",
      live=True, requires="resource_group")
def within_quotas(ctx):
    """100 galleries per subscription and region; 100 replicas per version (50 recommended)."""
    group = "limits.within-gallery-quotas"
    request = ctx.request
    if ctx.kind == "version":
        default = request.replica_count or 1
        total = sum(r.replica_count or default for r in request.regions_sent(ctx.location()))
        if total > MAX_REPLICAS:
            return failed(msg(group, "too-many-replicas", total=total, limit=MAX_REPLICAS), name="replicas",
                          number=total)
        if total > RECOMMENDED_REPLICAS:
            return warned(msg(group, "many-replicas", total=total, recommended=RECOMMENDED_REPLICAS),
                          name="replicas", number=total)
        return passed(msg(group, "replicas", total=total))
    region = ctx.location()
    if not region:
        return skipped(msg(group, "region-unknown"))
    if ctx.gallery() is not None:
        return passed(msg(group, "gallery-exists"))
    count = len(_galleries_in_region(ctx, region))
    if count >= MAX_GALLERIES_PER_REGION:
        return failed(msg(group, "too-many-galleries", used=count, region=region, limit=MAX_GALLERIES_PER_REGION),
                      name="galleries", region=region, number=count)
    return passed(msg(group, "galleries", used=count, limit=MAX_GALLERIES_PER_REGION, region=region))
