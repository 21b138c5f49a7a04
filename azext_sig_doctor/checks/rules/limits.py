"""The documented per-subscription, per-region limits of galleries, definitions and replicas."""

from azext_sig_doctor.checks.registry import failed, passed, rule, skipped, warned
from azext_sig_doctor.domain import regions

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
    request = ctx.request
    if ctx.kind == "version":
        default = request.replica_count or 1
        total = sum(r.replica_count or default for r in request.regions_sent(ctx.location()))
        if total > MAX_REPLICAS:
            return failed("The version asks for {} replicas in total; at most {} are allowed.".format(
                total, MAX_REPLICAS), name="replicas", number=total)
        if total > RECOMMENDED_REPLICAS:
            return warned("The version asks for {} replicas in total; more than {} slows replication.".format(
                total, RECOMMENDED_REPLICAS), name="replicas", number=total)
        return passed("{} replica(s) in total.".format(total))
    region = ctx.location()
    if not region:
        return skipped("the gallery's region is unknown")
    if ctx.gallery() is not None:
        return passed("The gallery exists already: no new gallery counts against the limit.")
    count = len(_galleries_in_region(ctx, region))
    if count >= MAX_GALLERIES_PER_REGION:
        return failed("The subscription already has {} galleries in '{}' (limit {}).".format(
            count, region, MAX_GALLERIES_PER_REGION), name="galleries", region=region, number=count)
    return passed("{} of {} galleries used in '{}'.".format(count, MAX_GALLERIES_PER_REGION, region))
