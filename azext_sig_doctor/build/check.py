"""Run the checks on every build of one or more templates: the same rules as check-version,
check-definition and check-vm on each build's typed request, then the tools' own rules, with one
fetcher for the whole run (each resource read once, the reads of all builds made together)."""

from dataclasses import replace

from azext_sig_doctor.build import rules as build_rules
from azext_sig_doctor.build.model import Unknown
from azext_sig_doctor.checks.fetch import MISSING, OK, Fetcher, Read, data_of
from azext_sig_doctor.checks.registry import FAIL, PASS, SKIP, UNVERIFIED, WARN, Outcome
from azext_sig_doctor.domain import ids, regions

NAMES = build_rules.NAMES
# The request fields each of the check rules' outcome depends on (the rest of a rule's inputs
# come from Azure). A rule not listed depends on the names, and on the version and location when it is live.
INPUTS = {
    "version.name-format": ("version",),
    "version.unique-regions": ("target_regions",),
    "version.replica-count-range": ("target_regions", "replica_count"),
    "version.single-source": ("source",),
    "version.source-id-format": ("source",),
    "version.vm-source-as-virtual-machine-id": ("source",),
    "version.source-kind": ("source",),
    "version.disk-source-kind": ("source",),
    "version.unique-luns": ("source",),
    "version.unique-source-ids": ("source",),
    "version.des-id-format": ("target_regions",),
    "version.encryption-all-regions": ("target_regions",),
    "version.encryption-unique-luns": ("target_regions",),
    "version.des-same-subscription": ("target_regions", "subscription"),
    "version.encryption-source-kind": ("target_regions", "source"),
    "version.encryption-luns-exist": ("target_regions", "source"),
    "definition.end-of-life-format": ("end_of_life_date",),
    "definition.end-of-life-in-future": ("end_of_life_date",),
    "definition.name-format": ("image",),
    "definition.required-properties": ("publisher", "offer", "sku", "os_type"),
    "definition.identifier-format": ("publisher", "offer", "sku"),
    "definition.recommended-range": (),
    "definition.security-type-valid": ("hyper_v_generation",),
    "gallery.name-format": ("gallery",),
    "version.source-hyperv-generation": NAMES + ("hyper_v", "source"),
    "version.architecture-matches": NAMES + ("architecture", "source"),
    "version.source-os-type": NAMES + ("os_type", "source"),
    "version.source-os-state": NAMES + ("os_state", "source"),
    "version.source-security-type": NAMES + ("security_type", "source"),
    "version.target-regions-include-source": ("target_regions", "location", "source"),
    "limits.within-gallery-quotas": NAMES + ("target_regions", "replica_count", "location"),
    "gallery.region-available": NAMES + ("target_regions", "location"),
    "definition.zrs-supported-in-region": NAMES + ("target_regions", "storage_account_type", "location"),
    "version.confidential-vm-home-region-only": NAMES + ("target_regions", "location"),
    "version.confidential-vm-security-profile": NAMES + ("target_regions", "location"),
}
INPUTS.update(build_rules.INPUTS)


def inputs_of(rule):
    if rule.id in INPUTS:
        return INPUTS[rule.id]
    return NAMES + ("version", "location", "image_ref") if rule.live else ()


class OverlayFetcher:
    """A view of the shared fetcher in which what a Terraform plan creates or changes reads as its
    planned state (the build's own resource excluded): the definition a version goes into, the
    version a VM is made from."""

    def __init__(self, shared, planned):
        self._shared = shared
        self._planned = planned

    @staticmethod
    def _norm(key):
        return tuple(part.lower() if isinstance(part, str) else part for part in key)

    def planned(self, key):
        return self._norm(key) in self._planned or _unnamed_version(key)

    def prefetch(self, keys):
        self._shared.prefetch([key for key in keys if not self.planned(key)])

    def get(self, key):
        if _unnamed_version(key):
            return Read(MISSING)
        planned = self._planned.get(self._norm(key))
        return Read(OK, planned) if planned is not None else self._shared.get(key)

    def data(self, key):
        return data_of(self.get(key), key)

    def reads(self):
        return self._shared.reads()


def _unnamed_version(key):
    """The read of a version whose name the service gives at build time (Image Builder with a
    definition id): no such version exists before the build, so there is nothing to read."""
    return key[0] == "version" and isinstance(key[1], str) and ids.kind_of(key[1]) != "gallery-version"


def _planned_reads(build, subscription):
    """A Terraform build's planned resources as fetcher keys (lower case)."""
    result = {}
    for key, data in build.planned.items():
        kind, group, names = key[0], key[1], key[2:]
        resource_id = ids.gallery_id(subscription, group, *names)
        result[OverlayFetcher._norm((kind, resource_id))] = dict(data, id=resource_id)
    return result


class Prepared:
    """A build made ready to run: its request with the subscription filled in, what it leaves
    unresolved, and whether it can be checked live."""

    def __init__(self, build, subscription):
        self.build = build
        request = build.request
        if request.subscription is None and subscription:
            request = replace(request, subscription=subscription)
        self.request = request
        self.unresolved = build.unresolved()
        missing = [name for name in _names_of(request) if not getattr(request, name, None)]
        self.live_blocked = [name for name in _names_of(request) if name in self.unresolved] + missing

    def set_location(self, location):
        """The build's region found live (Packer's build_resource_group_name): the plugin then adds
        it to the target regions like a given location."""
        from azext_sig_doctor.domain.request import TargetRegion
        request = self.request
        target = request.target_regions
        if target and not any(regions.same(r.name, location) for r in target):
            cvm = target[0].cvm
            target = tuple(target) + (TargetRegion(location, cvm=cvm),)
        self.request = replace(request, location=location, target_regions=target)
        if self.build.stated_source is not None:
            self.build.stated_source = dict(self.build.stated_source, location=location)


def _names_of(request):
    if request.kind == "vm":
        return ("image",)
    return ("resource_group", "gallery", "image")


def run(templates, subscription, offline=False, reader=None):
    """[(Prepared, [(rule, outcome)], [(rule, outcome)], ctx)] for every build, and the count of reads."""
    from azext_sig_doctor import checks
    from azext_sig_doctor.checks.runner import follow_up_keys, plan_reads, run_rules
    counting = checks.CountingReader(reader) if not offline else None
    shared = Fetcher(counting) if counting is not None else None
    prepared = [Prepared(build, subscription) for template in templates for build in template.builds]
    views = {}
    for item in prepared:
        live = not offline and not item.live_blocked
        views[id(item)] = OverlayFetcher(shared, _planned_reads(item.build, item.request.sub)) if live else None
    _locate_builds(prepared, views)
    # Every build's reads in one concurrent batch, then the reads that depend on them.
    live_items = [item for item in prepared if views[id(item)] is not None]
    if live_items:
        shared.prefetch([key for item in live_items for key in plan_reads(item.request)
                         if not views[id(item)].planned(key)])
        shared.prefetch([key for item in live_items for key in follow_up_keys(item.request, views[id(item)])])
    results = []
    for item in prepared:
        view = views[id(item)]
        item_offline = view is None
        outcomes, ctx = run_rules(item.request, view, item_offline, item.build.stated_source)
        tool_outcomes, _ = run_rules(build_rules.BuildRequest(item.request, item.build), view, item_offline)
        outcomes = [(rule, _decide(item, rule, outcome, offline)) for rule, outcome in outcomes]
        tool_outcomes = [(rule, _decide(item, rule, outcome, offline)) for rule, outcome in tool_outcomes
                         if item.build.tool in build_rules.APPLIES.get(rule.id, (item.build.tool,))]
        results.append((item, outcomes, tool_outcomes, ctx))
    return results, (counting.count if counting else 0)


def _locate_builds(prepared, views):
    """Packer builds in an existing build_resource_group_name are in that group's region."""
    for item in prepared:
        group = item.build.facts.get("build_resource_group")
        view = views[id(item)]
        if item.request.location or not group or not isinstance(group, str) or view is None:
            continue
        try:
            found = view.data(("resource_group", item.request.sub, group))
        except Exception:  # pylint: disable=broad-except
            found = None
        if found and found.get("location"):
            item.set_location(found["location"])


def _decide(item, rule, outcome, offline):
    """Fail closed: a rule whose deciding value the template leaves unresolved is unverified; a
    live rule of a build whose names are unresolved could not read what it needs."""
    not_applicable = (item.build.facts.get("not_applicable") or {}).get(rule.id)
    if not_applicable:
        return Outcome(SKIP, not_applicable)
    wanted = inputs_of(rule)
    unknown = [(name, item.unresolved[name]) for name in wanted if name in item.unresolved]
    # A skip stays a skip (offline, or the rule does not apply) unless the rule could not read live.
    blocked_skip = outcome.status == SKIP and rule.live and not offline and bool(item.live_blocked)
    if unknown and (outcome.status in (PASS, FAIL, WARN) or blocked_skip):
        name, value = unknown[0]
        setting = item.build.fields.get(name, name)
        line = item.build.settings[setting].line if setting in item.build.settings else item.build.line
        return Outcome(UNVERIFIED, "{} (line {}) is not known offline: {}".format(
            setting, line, value.reason if isinstance(value, Unknown) else value), reason_class="unresolved")
    if rule.live and not offline and item.live_blocked and outcome.status == SKIP:
        return Outcome(UNVERIFIED, "not read: the template does not give {} offline".format(
            ", ".join(item.build.fields.get(name, name) for name in item.live_blocked)), reason_class="unresolved")
    return outcome
