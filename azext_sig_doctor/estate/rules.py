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
from azext_sig_doctor.i18n.catalog import joined, msg

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


_WORDS = "estate.words"


def _age(seconds):
    hours = seconds / 3600.0
    return msg(_WORDS, "days", days=hours / 24) if hours >= 48 else msg(_WORDS, "hours", hours=hours)


def _region_list(names):
    return ", ".join(names)


def _users_text(users, limit=3):
    labels = ", ".join(user.label for user in users[:limit])
    more = len(users) - limit
    return msg(_WORDS, "users-and-more", users=labels, more=more) if more > 0 else labels


def _state_unknown(version):
    return version.replication is None and version.provisioning_state != SUCCEEDED


def _unread(version):
    return unverified(msg(_WORDS, "replication-unread", version=version.name,
                          why=version.replication_error or msg(_WORDS, "not-read")))


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
    group = "estate.replication-failed"
    if broken:
        first, state = broken[0]
        names = _region_list(replica.name for replica, _ in broken)
        text = msg(group, "failed-with-details", version=version.name, regions=names, details=state.details) \
            if state.details else msg(group, "failed", version=version.name, regions=names)
        return failed(text, "replication.failed-in-regions", region=first.region,
                      value=state.details or "no details given")
    if version.provisioning_state == "Failed":
        return failed(msg(group, "provisioning-failed", version=version.name), "version.publishing-failed-pir")
    return passed(msg(group, "fine", version=version.name))


@rule("estate.replication-stuck", "replication.slow-or-unfinished", VERSION,
      "No target region of the version has been replicating past the threshold")
def replication_stuck(ctx, version):
    """Replication normally ends within hours; a region still replicating --stuck-after (default 6h) after the
    version was published is stuck or very slow."""
    if _state_unknown(version):
        return _unread(version)
    pending = [replica for replica in version.targets
               if version.region_state(replica.region).state not in (COMPLETED, FAILED)]
    group = "estate.replication-stuck"
    if not pending:
        return passed(msg(group, "done", version=version.name))
    if version.published is None:
        return skipped(msg(group, "no-date", version=version.name))
    age = (ctx.now - version.published).total_seconds()
    if age < ctx.stuck_after:
        return passed(msg(group, "under-threshold", version=version.name,
                          regions=_region_list(r.name for r in pending), minutes=age / 60))
    return warned(msg(group, "stuck", version=version.name, age=_age(age), count=len(pending),
                      regions=_region_list("{} ({}%)".format(r.name, version.region_state(r.region).progress)
                                           for r in pending)),
                  region=pending[0].region)


@rule("estate.storage-types-consistent", "replication.storage-type-inconsistent", VERSION,
      "The version is stored with the same storage account type in every region")
def storage_types(ctx, version):
    """Regions stored with different storage account types (Standard_LRS here, Standard_ZRS there) give VMs
    different resilience and performance depending on where they are made."""
    kinds = OrderedDict()
    for replica in version.targets:
        kinds.setdefault(replica.storage_type, []).append(replica.name)
    group = "estate.storage-types-consistent"
    if len(kinds) <= 1:
        return passed(msg(group, "same", version=version.name, storage=next(iter(kinds), version.storage_type)))
    detail = joined((msg(group, "storage-in", storage=kind, regions=_region_list(names))
                     for kind, names in kinds.items()), "; ")
    weakest = next((kind for kind in ("Standard_LRS", "Premium_LRS") if kind in kinds), list(kinds)[-1])
    return warned(msg(group, "differ", version=version.name, detail=detail),
                  region=regions.key(kinds[weakest][0]), value=weakest)


# ---- where the version is used ----------------------------------------------------------------

@rule("estate.version-where-used", "vm.version-not-in-region", VERSION,
      "VMs and scale sets that name the version run where it is replicated")
def version_where_used(ctx, version):
    """A VM or scale set that names the version in a region where it is not replicated (or not completed) cannot
    be created, scaled out or reimaged there."""
    group = "estate.version-where-used"
    users = ctx.pinned_users.get(version.id.lower(), [])
    if not users:
        if ctx.users_problem:
            return unverified(ctx.users_problem)
        return skipped(msg(group, "unused", version=version.name))
    missing, unknown = [], []
    for region in sorted({user.region for user in users}):
        here = [user for user in users if user.region == region]
        replica = version.target(region)
        state = version.region_state(region) if replica else None
        if replica is None or (state is not None and state.state != COMPLETED):
            why = msg(group, "not-a-target") if replica is None else msg(group, "replica-state", state=state.state)
            missing.append((region, here, why))
        elif state is None:
            unknown.append(region)
    if missing:
        region, here, why = missing[0]
        places = joined((msg(group, "users-in", users=_users_text(u), region=r, why=w) for r, u, w in missing), "; ")
        return failed(msg(group, "no-replica", version=version.name, places=places), region=region,
                      **_user_values(here))
    if unknown:
        return _unread(version)
    if ctx.users_problem:
        return unverified(ctx.users_problem)
    return passed(msg(group, "replicated", version=version.name))


@rule("estate.latest-where-used", ("vm.definition-not-in-region", "vm.no-latest-version"), DEFINITION,
      "Where VMs or scale sets use the definition's latest, a version can be picked")
def latest_where_used(ctx, definition):
    """A VM or scale set that names the definition gets its latest version in its region: where latest resolves
    to no version (excluded, not replicated there, failed), creating or scaling fails."""
    group = "estate.latest-where-used"
    users = ctx.latest_users.get(definition.key, [])
    if not users:
        if ctx.users_problem:
            return unverified(ctx.users_problem)
        return skipped(msg(group, "unused", definition=definition.name))
    empty, uncertain = [], []
    for region in sorted({user.region for user in users}):
        resolution = ctx.resolution(definition, region)
        if resolution.version is None:
            (uncertain if resolution.unverified else empty).append((region, resolution))
    if empty:
        region, resolution = empty[0]
        here = [user for user in users if user.region == region]
        none_in_latest = all(version.excluded for version in definition.versions)
        reasons = joined((msg(group, "skipped", version=skip.version.name, reason=skip.reason)
                          for skip in resolution.skipped[:4]), "; ") if resolution.skipped else \
            msg(group, "no-versions")
        return failed(msg(group, "resolves-to-nothing", definition=definition.name,
                          regions=_region_list(r for r, _ in empty), users=_users_text(here), count=len(here),
                          reasons=reasons),
                      "vm.no-latest-version" if none_in_latest else "vm.definition-not-in-region",
                      region=region, resource_id=definition.id, **_user_values(here))
    if uncertain:
        region, resolution = uncertain[0]
        return unverified(msg(group, "uncertain", definition=definition.name, region=region,
                              reasons=joined((skip.reason for skip in resolution.unverified[:2]), "; ")))
    if ctx.users_problem:
        return unverified(ctx.users_problem)
    return passed(msg(group, "resolves", definition=definition.name))


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
    group = "estate.replicas-for-scale-sets"
    if short:
        replica, instances, wanted, scale_sets = short[0]
        places = joined((msg(group, "replicas-in", replicas=r.replica_count, region=r.name, instances=n,
                             users=_users_text(s), guidance=w) for r, n, w, s in short), "; ")
        return warned(msg(group, "too-few", version=version.name, places=places),
                      region=replica.region, number=str(wanted), value=str(replica.replica_count),
                      **_user_values(scale_sets))
    if ctx.users_problem:
        return unverified(ctx.users_problem)
    return passed(msg(group, "enough", version=version.name))


# ---- life cycle -------------------------------------------------------------------------------

@rule("estate.end-of-life-latest", "version.end-of-life-still-latest", VERSION,
      "A version past its end of life is not what latest picks")
def end_of_life_latest(ctx, version):
    """An end-of-life date is informational: latest still picks a version past it, so new VMs get an image its
    publisher meant to retire."""
    group = "estate.end-of-life-latest"
    if version.end_of_life is None or version.end_of_life > ctx.now:
        return skipped(msg(group, "not-past", version=version.name))
    definition = ctx.definition_of(version)
    if definition is None:
        return skipped(msg(group, "definition-unread", version=version.name))
    picked_in = [replica.name for replica in version.targets
                 if ctx.resolution(definition, replica.region).version is version]
    if picked_in:
        return warned(msg(group, "still-picked", version=version.name, date=version.end_of_life,
                          regions=_region_list(picked_in)), region=regions.key(picked_in[0]))
    return passed(msg(group, "not-picked", version=version.name))


@rule("estate.deletion-blocked", "version.delete-blocked-before-end-of-life", VERSION,
      "A version that cannot be deleted before its end of life is one worth keeping")
def deletion_blocked(ctx, version):
    """A version that blocks its deletion before its end of life cannot be deleted without an end-of-life date,
    and one that failed to publish stays in the way until that date."""
    group = "estate.deletion-blocked"
    if not version.block_deletion:
        return skipped(msg(group, "unprotected", version=version.name))
    if version.end_of_life is not None and version.end_of_life <= ctx.now:
        return passed(msg(group, "deletable", version=version.name))
    if version.end_of_life is None:
        return warned(msg(group, "no-date", version=version.name))
    broken = version.provisioning_state == "Failed" or any(
        (state := version.region_state(replica.region)) is not None and state.state == FAILED
        for replica in version.targets)
    if broken:
        return warned(msg(group, "failed-but-blocked", version=version.name, date=version.end_of_life))
    return passed(msg(group, "protected", version=version.name, date=version.end_of_life))


# ---- the definition ---------------------------------------------------------------------------

@rule("estate.definition-trusted-launch", "definition.trusted-launch-not-supported", DEFINITION,
      "The definition can serve Trusted Launch VMs (Gen2 with a Trusted Launch security type)")
def definition_trusted_launch(ctx, definition):
    """VMs that ask for Trusted Launch need a Gen2 definition that declares a Trusted Launch security type; an
    x64 definition that is Gen1 or declares none cannot serve them."""
    group = "estate.definition-trusted-launch"
    if definition.architecture.lower() == "arm64":
        return skipped(msg(group, "arm64", definition=definition.name))
    if definition.security_type.lower().startswith("confidentialvm"):
        return skipped(msg(group, "confidential", definition=definition.name))
    if definition.trusted_launch_capable:
        return passed(msg(group, "capable", definition=definition.name, security_type=definition.security_type))
    users = ctx.latest_users.get(definition.key, []) + [
        user for version in definition.versions for user in ctx.pinned_users.get(version.id.lower(), ())]
    values = dict(definition=definition.name, generation=definition.hyperv_generation,
                  security_type=definition.security_type)
    text = msg(group, "incapable-used", users=_users_text(users), **values) if users else \
        msg(group, "incapable", **values)
    return warned(text, hyperv_generation=definition.hyperv_generation, security_type=definition.security_type,
                  os_type=definition.os_type)


def _user_values(users):
    """Placeholder values naming the first VM or scale set (the entries' commands take one)."""
    if not users:
        return {}
    user = users[0]
    key = "vmss" if user.kind == "vmss" else "vm"
    return {key: user.name, "vm_resource_group": user.rid.resource_group}
