"""Estate rules: what `az sig doctor scan` checks on every definition and version it read.

Each rule is a ``checks.registry.Rule`` (the same shape as a pre-check rule, kept in this
module's own table, not the pre-checks' registry) preventing knowledge-base entries, and returns
an ``Outcome``: pass, fail, warn, skip (does not apply) or unverified (a read it needs failed).
Rules see a ``Context``: the inventory, who uses what, ``latest`` per definition and region, the
clock and the thresholds.
"""

import math
from collections import OrderedDict, defaultdict

from azext_sig_doctor.checks.registry import Outcome, Rule, description_of, failed, passed, skipped, warned
from azext_sig_doctor.domain import regions
from azext_sig_doctor.estate import latest
from azext_sig_doctor.estate.inventory import USERS
from azext_sig_doctor.estate.model import COMPLETED, FAILED, SUCCEEDED
from azext_sig_doctor.estate.report import UNVERIFIED

VERSION, DEFINITION = "version", "definition"
# One replica for every 20 VMs created at the same time (Azure Compute Gallery, "Scaling"); a
# version has at most 100 replicas per region.
VMS_PER_REPLICA = 20
MAX_REPLICAS = 100

RULES = OrderedDict()


def unverified(reason, **values):
    return Outcome(UNVERIFIED, reason, values)


def rule(rule_id, error_ids, target, title):
    """Register the decorated function as estate rule ``rule_id``; its docstring is the rule's
    description, as for the pre-checks' rules (``az sig doctor rule list``, SARIF)."""
    error_ids = (error_ids,) if isinstance(error_ids, str) else tuple(error_ids)

    def register(func):
        if rule_id in RULES:
            raise ValueError("duplicate estate rule {}".format(rule_id))
        RULES[rule_id] = Rule(rule_id, error_ids, (target,), True, title, func, description=description_of(func))
        return func
    return register


def rules_for(target):
    return [item for item in RULES.values() if target in item.kinds]


class Context:
    """What the rules read: ``inventory``, ``now`` (aware datetime), ``stuck_after`` (seconds)."""

    def __init__(self, inventory, now, stuck_after):
        self.inventory = inventory
        self.now = now
        self.stuck_after = stuck_after
        self.latest_users = defaultdict(list)   # definition id (lower) -> users of its latest
        self.pinned_users = defaultdict(list)   # version id (lower) -> users of that version
        for user in inventory.users:
            (self.latest_users if user.latest else self.pinned_users)[user.image_key].append(user)
        self._resolutions = {}

    @property
    def users_problem(self):
        return self.inventory.problems.get(USERS)

    def resolution(self, definition, region):
        key = (definition.key, region)
        if key not in self._resolutions:
            self._resolutions[key] = latest.resolve(definition.versions, region)
        return self._resolutions[key]

    def definition_of(self, version):
        return self.inventory.definitions.get(version.definition_key)

    def scale_sets_on(self, version, region):
        """Scale sets in ``region`` that use ``version``: by its id, or by ``latest`` resolving to it."""
        users = [u for u in self.pinned_users.get(version.id.lower(), ()) if u.region == region]
        definition = self.definition_of(version)
        latest_users = [u for u in self.latest_users.get(version.definition_key, ()) if u.region == region]
        if definition is not None and latest_users and self.resolution(definition, region).version is version:
            users += latest_users
        return [u for u in users if u.kind == "vmss"]


def _age(seconds):
    hours = seconds / 3600.0
    return "{:.0f} days".format(hours / 24) if hours >= 48 else "{:.1f} hours".format(hours)


def _region_list(names):
    return ", ".join(names)


def _users_text(users, limit=3):
    labels = [user.label for user in users[:limit]]
    more = len(users) - limit
    return ", ".join(labels) + (" and {} more".format(more) if more > 0 else "")


def _state_unknown(version):
    return version.replication is None and version.provisioning_state != SUCCEEDED


def _unread(version):
    return unverified("the per-region replication state of {} could not be read: {}".format(
        version.name, version.replication_error or "not read"))


# ---- replication ------------------------------------------------------------------------------

@rule("estate.replication-failed", ("replication.failed-in-regions", "version.publishing-failed-pir"), VERSION,
      "No target region of the version failed to replicate")
def replication_failed(ctx, version):
    """A target region whose replication failed leaves VMs in that region without the version; a version in the
    Failed provisioning state without a failed region failed to publish."""
    if _state_unknown(version):
        return _unread(version)
    broken = [(replica, version.region_state(replica.region)) for replica in version.targets]
    broken = [(replica, state) for replica, state in broken if state is not None and state.state == FAILED]
    if broken:
        first, state = broken[0]
        return failed("Replication of {} failed in {}{}.".format(
            version.name, _region_list(replica.name for replica, _ in broken),
            " ({})".format(state.details) if state.details else ""),
            "replication.failed-in-regions", region=first.region, value=state.details or "no details given")
    if version.provisioning_state == "Failed":
        return failed("Version {} is in the Failed provisioning state, without a failed region.".format(
            version.name), "version.publishing-failed-pir")
    return passed("Every target region of {} replicated or is replicating.".format(version.name))


@rule("estate.replication-stuck", "replication.slow-or-unfinished", VERSION,
      "No target region of the version has been replicating past the threshold")
def replication_stuck(ctx, version):
    """Replication normally ends within hours; a region still replicating --stuck-after (default 6h) after the
    version was published is stuck or very slow."""
    if _state_unknown(version):
        return _unread(version)
    pending = [replica for replica in version.targets
               if version.region_state(replica.region).state not in (COMPLETED, FAILED)]
    if not pending:
        return passed("No region of {} is still replicating.".format(version.name))
    if version.published is None:
        return skipped("{} has regions still replicating but no publishing date to tell for how long".format(
            version.name))
    age = (ctx.now - version.published).total_seconds()
    if age < ctx.stuck_after:
        return passed("{} is replicating to {} since {:.0f} minutes, under the threshold.".format(
            version.name, _region_list(r.name for r in pending), age / 60))
    return warned("{} was published {} ago and {} not finished replicating: {}.".format(
        version.name, _age(age), "has" if len(pending) == 1 else "its regions have",
        _region_list("{} ({}%)".format(r.name, version.region_state(r.region).progress) for r in pending)),
        region=pending[0].region)


@rule("estate.storage-types-consistent", "replication.storage-type-inconsistent", VERSION,
      "The version is stored with the same storage account type in every region")
def storage_types(ctx, version):
    """Regions stored with different storage account types (Standard_LRS here, Standard_ZRS there) give VMs
    different resilience and performance depending on where they are made."""
    kinds = OrderedDict()
    for replica in version.targets:
        kinds.setdefault(replica.storage_type, []).append(replica.name)
    if len(kinds) <= 1:
        return passed("Every region of {} uses {}.".format(version.name, next(iter(kinds), version.storage_type)))
    detail = "; ".join("{} in {}".format(kind, _region_list(names)) for kind, names in kinds.items())
    weakest = next((kind for kind in ("Standard_LRS", "Premium_LRS") if kind in kinds), list(kinds)[-1])
    return warned("{} is stored differently per region: {}.".format(version.name, detail),
                  region=regions.key(kinds[weakest][0]), value=weakest)


# ---- where the version is used ----------------------------------------------------------------

@rule("estate.version-where-used", "vm.version-not-in-region", VERSION,
      "VMs and scale sets that name the version run where it is replicated")
def version_where_used(ctx, version):
    """A VM or scale set that names the version in a region where it is not replicated (or not completed) cannot
    be created, scaled out or reimaged there."""
    users = ctx.pinned_users.get(version.id.lower(), [])
    if not users:
        if ctx.users_problem:
            return unverified(ctx.users_problem)
        return skipped("no VM or scale set names {}".format(version.name))
    missing, unknown = [], []
    for region in sorted({user.region for user in users}):
        here = [user for user in users if user.region == region]
        replica = version.target(region)
        state = version.region_state(region) if replica else None
        if replica is None or (state is not None and state.state != COMPLETED):
            why = "not a target region" if replica is None else "replica {}".format(state.state)
            missing.append((region, here, why))
        elif state is None:
            unknown.append(region)
    if missing:
        region, here, why = missing[0]
        return failed("{} is used where it has no usable replica: {}.".format(version.name, "; ".join(
            "{} in {} ({})".format(_users_text(u), r, w) for r, u, w in missing)), region=region,
            **_user_values(here))
    if unknown:
        return _unread(version)
    if ctx.users_problem:
        return unverified(ctx.users_problem)
    return passed("{} is replicated wherever it is used.".format(version.name))


@rule("estate.latest-where-used", ("vm.definition-not-in-region", "vm.no-latest-version"), DEFINITION,
      "Where VMs or scale sets use the definition's latest, a version can be picked")
def latest_where_used(ctx, definition):
    """A VM or scale set that names the definition gets its latest version in its region: where latest resolves
    to no version (excluded, not replicated there, failed), creating or scaling fails."""
    users = ctx.latest_users.get(definition.key, [])
    if not users:
        if ctx.users_problem:
            return unverified(ctx.users_problem)
        return skipped("no VM or scale set uses the latest version of {}".format(definition.name))
    empty, uncertain = [], []
    for region in sorted({user.region for user in users}):
        resolution = ctx.resolution(definition, region)
        if resolution.version is None:
            (uncertain if resolution.unverified else empty).append((region, resolution))
    if empty:
        region, resolution = empty[0]
        here = [user for user in users if user.region == region]
        none_in_latest = all(version.excluded for version in definition.versions)
        reasons = "; ".join("{}: {}".format(skip.version.name, skip.reason) for skip in resolution.skipped[:4]) \
            or "the definition has no versions"
        return failed("Latest of {} resolves to no version in {}, where {} use{} it ({}).".format(
            definition.name, _region_list(r for r, _ in empty), _users_text(here),
            "s" if len(here) == 1 else "", reasons),
            "vm.no-latest-version" if none_in_latest else "vm.definition-not-in-region",
            region=region, resource_id=definition.id, **_user_values(here))
    if uncertain:
        region, resolution = uncertain[0]
        return unverified("latest of {} in {} depends on versions whose state could not be read: {}".format(
            definition.name, region, "; ".join(skip.reason for skip in resolution.unverified[:2])))
    if ctx.users_problem:
        return unverified(ctx.users_problem)
    return passed("Latest of {} resolves to a version wherever it is used.".format(definition.name))


@rule("estate.replicas-for-scale-sets", "replication.replicas-below-guidance", VERSION,
      "Each region has one replica of the version per 20 scale set instances using it")
def replicas_for_scale_sets(ctx, version):
    """Azure Compute Gallery's scaling guidance is one replica per 20 VMs created at the same time: fewer
    replicas in a region than its scale sets on the version (by id or through latest) need slow their
    deployments down."""
    short = []
    for replica in version.targets:
        scale_sets = ctx.scale_sets_on(version, replica.region)
        instances = sum(user.capacity for user in scale_sets)
        wanted = min(MAX_REPLICAS, int(math.ceil(instances / float(VMS_PER_REPLICA))))
        if scale_sets and replica.replica_count < wanted:
            short.append((replica, instances, wanted, scale_sets))
    if short:
        replica, instances, wanted, scale_sets = short[0]
        return warned("{} has fewer replicas than its scale sets need: {}.".format(version.name, "; ".join(
            "{} replica(s) in {} for {} instances of {} (guidance: {})".format(
                r.replica_count, r.name, n, _users_text(s), w) for r, n, w, s in short)),
            region=replica.region, number=str(wanted), value=str(replica.replica_count),
            **_user_values(scale_sets))
    if ctx.users_problem:
        return unverified(ctx.users_problem)
    return passed("The replicas of {} cover the scale sets that use it.".format(version.name))


# ---- life cycle -------------------------------------------------------------------------------

@rule("estate.end-of-life-latest", "version.end-of-life-still-latest", VERSION,
      "A version past its end of life is not what latest picks")
def end_of_life_latest(ctx, version):
    """An end-of-life date is informational: latest still picks a version past it, so new VMs get an image its
    publisher meant to retire."""
    if version.end_of_life is None or version.end_of_life > ctx.now:
        return skipped("{} is not past an end-of-life date".format(version.name))
    definition = ctx.definition_of(version)
    if definition is None:
        return skipped("the definition of {} was not read".format(version.name))
    picked_in = [replica.name for replica in version.targets
                 if ctx.resolution(definition, replica.region).version is version]
    if picked_in:
        return warned("{} reached its end of life on {:%Y-%m-%d} but latest still picks it in {}.".format(
            version.name, version.end_of_life, _region_list(picked_in)), region=regions.key(picked_in[0]))
    return passed("{} is past its end of life and latest no longer picks it.".format(version.name))


@rule("estate.deletion-blocked", "version.delete-blocked-before-end-of-life", VERSION,
      "A version that cannot be deleted before its end of life is one worth keeping")
def deletion_blocked(ctx, version):
    """A version that blocks its deletion before its end of life cannot be deleted without an end-of-life date,
    and one that failed to publish stays in the way until that date."""
    if not version.block_deletion:
        return skipped("{} is not protected from deletion".format(version.name))
    if version.end_of_life is not None and version.end_of_life <= ctx.now:
        return passed("{} is past its end-of-life date, so it can be deleted.".format(version.name))
    if version.end_of_life is None:
        return warned("{} blocks its deletion until an end-of-life date it does not have: it cannot be deleted "
                      "until the protection is switched off.".format(version.name))
    broken = version.provisioning_state == "Failed" or any(
        (state := version.region_state(replica.region)) is not None and state.state == FAILED
        for replica in version.targets)
    if broken:
        return warned("{} failed to publish but blocks its deletion until {:%Y-%m-%d}.".format(
            version.name, version.end_of_life))
    return passed("{} is protected from deletion until {:%Y-%m-%d}.".format(version.name, version.end_of_life))


# ---- the definition ---------------------------------------------------------------------------

@rule("estate.definition-trusted-launch", "definition.trusted-launch-not-supported", DEFINITION,
      "The definition can serve Trusted Launch VMs (Gen2 with a Trusted Launch security type)")
def definition_trusted_launch(ctx, definition):
    """VMs that ask for Trusted Launch need a Gen2 definition that declares a Trusted Launch security type; an
    x64 definition that is Gen1 or declares none cannot serve them."""
    if definition.architecture.lower() == "arm64":
        return skipped("{} is an Arm64 image; Trusted Launch is for x64 images".format(definition.name))
    if definition.security_type.lower().startswith("confidentialvm"):
        return skipped("{} is a Confidential VM definition".format(definition.name))
    if definition.trusted_launch_capable:
        return passed("{} is Gen2 with security type {}.".format(definition.name, definition.security_type))
    users = ctx.latest_users.get(definition.key, []) + [
        user for version in definition.versions for user in ctx.pinned_users.get(version.id.lower(), ())]
    used = " It is used by {}.".format(_users_text(users)) if users else ""
    return warned("{} is Hyper-V generation {} with security type {}: VMs that ask for Trusted Launch cannot "
                  "be made from it.{}".format(definition.name, definition.hyperv_generation,
                                              definition.security_type, used),
                  hyperv_generation=definition.hyperv_generation, security_type=definition.security_type,
                  os_type=definition.os_type)


def _user_values(users):
    """Placeholder values naming the first VM or scale set (the entries' commands take one)."""
    if not users:
        return {}
    user = users[0]
    key = "vmss" if user.kind == "vmss" else "vm"
    return {key: user.name, "vm_resource_group": user.rid.resource_group}
