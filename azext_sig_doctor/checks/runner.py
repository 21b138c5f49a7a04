"""Run the rules of one check: plan the reads, fetch them concurrently, evaluate every rule."""

import logging

from azext_sig_doctor.checks import facts, ids, registry
from azext_sig_doctor.checks.fetch import Fetcher, describe
from azext_sig_doctor.checks.registry import SKIP, Outcome, Unavailable

logger = logging.getLogger(__name__)


class Context:
    """What a rule sees: the spec and read access to live data (refused when offline)."""

    def __init__(self, spec, fetcher, offline):
        self.spec = spec
        self.offline = offline
        self._fetcher = fetcher
        self._memo = {}

    def data(self, key):
        if self.offline:
            raise Unavailable("not checked offline: needs {}".format(describe(key)))
        return self._fetcher.data(key)

    def raw(self, key):
        """The Read itself (status, code) for rules whose subject is the read's outcome."""
        if self.offline:
            raise Unavailable("not checked offline: needs {}".format(describe(key)))
        return self._fetcher.get(key)

    def memo(self, name, compute):
        """Compute a derived fact once per run (exceptions are remembered too)."""
        if name not in self._memo:
            try:
                self._memo[name] = (True, compute())
            except Unavailable as ex:
                self._memo[name] = (False, ex)
        ok, value = self._memo[name]
        if not ok:
            raise value
        return value

    # Shortcuts for the resources most rules look at.
    def gallery(self):
        return self.data(("gallery", self.spec["gallery_id"]))

    def definition(self):
        return self.data(("definition", self.spec["image_id"]))

    def existing_version(self):
        return self.data(("version", self.spec["version_id"]))

    def location(self):
        """The region the resource would be created in: --location, else its resource group's."""
        if self.spec.get("location"):
            return self.spec["location"]
        group = self.data(("resource_group", self.spec["subscription"], self.spec["resource_group"]))
        return (group or {}).get("location")

    def source(self):
        return self.memo("source", lambda: facts.source_facts(self))


def plan_reads(spec):
    """First-round reads for a spec: everything that does not depend on another read."""
    sub = spec["subscription"]
    keys = []
    if not spec.get("location") and spec.get("resource_group"):
        keys.append(("resource_group", sub, spec["resource_group"]))
    kind = spec["kind"]
    if kind in ("gallery", "definition", "version"):
        keys += [("gallery", spec["gallery_id"]), ("compute_provider", sub)]
    if kind == "gallery":
        keys.append(("galleries_in_subscription", sub))
    if kind == "definition":
        keys += [("definition", spec["image_id"]), ("definitions_in_gallery", spec["gallery_id"])]
    if kind == "version":
        keys += [("definition", spec["image_id"]), ("version", spec["version_id"])]
        for _, source_id in _source_ids(spec):
            if ids.is_fully_qualified(source_id):
                keys.append(("resource", source_id))
        for des_id in _des_ids(spec):
            if ids.is_fully_qualified(des_id):
                keys.append(("resource", des_id))
        storage_types = [spec.get("storage_account_type")] + [r["storage_account_type"] for r in spec["target_regions"]]
        if any((s or "").lower().endswith("_zrs") for s in storage_types):
            keys.append(("skus", sub))
    if kind == "vm" and spec.get("image_id"):
        keys.append(("definition", spec["image_id"]))
        if spec.get("version_id"):
            keys.append(("version", spec["version_id"]))
        else:
            keys.append(("versions_in_definition", spec["image_id"]))
    return keys


def _source_ids(spec):
    from azext_sig_doctor.checks.spec import source_ids
    return source_ids(spec)


def _des_ids(spec):
    found = []
    for region in spec.get("target_regions") or []:
        encryption = region["encryption"]
        candidates = [encryption["os_des"]] + [d["des"] for d in encryption["data"]]
        if encryption.get("cvm"):
            candidates.append(encryption["cvm"]["des"])
        for des_id in candidates:
            if des_id and des_id not in found:
                found.append(des_id)
    return found


def evaluate(rule, ctx):
    if rule.live and ctx.offline:
        return Outcome(SKIP, "not checked offline: this rule reads live resources")
    try:
        outcome = rule.func(ctx)
    except Unavailable as ex:
        return Outcome(SKIP, ex.reason)
    except Exception as ex:  # pylint: disable=broad-except
        # A bug in one rule must not hide the others; it is reported, not swallowed.
        logger.debug("rule %s raised", rule.id, exc_info=True)
        return Outcome(SKIP, "internal error in this rule: {}: {}".format(type(ex).__name__, ex))
    if outcome is None:
        raise TypeError("rule {} returned no outcome".format(rule.id))
    return outcome


def run_rules(spec, reader=None, offline=False):
    """(rule, outcome) pairs for every rule of the spec's kind, plus the fetcher used."""
    fetcher = Fetcher(reader) if reader is not None else None
    if not offline:
        fetcher.prefetch(plan_reads(spec))
        fetcher.prefetch(facts.follow_up_keys(spec, fetcher))
    ctx = Context(spec, fetcher, offline)
    return [(rule, evaluate(rule, ctx)) for rule in registry.rules_for(spec["kind"])], fetcher
