"""`az sig doctor scan`: read the estate, read replication where needed, run the estate rules.

``run(client, reader, scope, ...)`` takes a ``graph.GraphClient`` and a ``checks`` reader so that
it runs against anything that answers like Azure; ``cli.scan`` wires in the real ones.
"""

from collections import Counter
from datetime import datetime, timezone

from azext_sig_doctor.estate import inventory as reading
from azext_sig_doctor.estate import report as reports
from azext_sig_doctor.estate import rules as estate_rules

DEFAULT_STUCK_AFTER = 6 * 3600   # the troubleshooting article: replication can take up to six hours
# Resource Graph is updated shortly after a change; a version changed this recently is read directly.
RECENT_SECONDS = 3600


class Scope:
    """What to scan: ``subscriptions`` (a list) or ``management_group``, and how it was chosen."""

    def __init__(self, subscriptions=None, management_group=None, source="given"):
        self.subscriptions = subscriptions
        self.management_group = management_group
        self.source = source

    def describe(self):
        if self.management_group is not None:
            return "management group {}".format(self.management_group)
        return "{} subscription(s)".format(len(self.subscriptions or []))


def run(client, reader, scope, stuck_after=DEFAULT_STUCK_AFTER, now=None, progress=None, run_jobs=None):
    """Scan ``scope``; returns a ``report.ScanReport``."""
    now = now or datetime.now(timezone.utc)
    progress = progress or _Silent()
    pages = {"rows": 0, "total": 0}

    def on_page(rows, total):
        pages["rows"] += rows
        progress.update("Resource Graph", pages["rows"], max(pages["rows"], pages["total"] + (total or 0)))

    progress.update("Resource Graph", 0, 1)
    estate = reading.read(client, scope.subscriptions, scope.management_group, on_page=on_page, run=run_jobs)
    needed = reading.versions_needing_replication(estate, now, RECENT_SECONDS)
    done = [0]

    def on_done():
        done[0] += 1
        progress.update("Replication status", done[0], len(needed))

    reading.read_replication(needed, reader, on_done=on_done, run=run_jobs)
    progress.update("Estate rules", 0, 1)
    scan = evaluate(estate, now, stuck_after, scope)
    scan.scope.update(graph_requests=client.requests, replication_reads=len(needed),
                      throttled_seconds=round(client.throttle.waited, 1))
    progress.end("scanned")
    return scan


def evaluate(estate, now, stuck_after, scope):
    """Every estate rule on every definition and version of ``estate``."""
    context = estate_rules.Context(estate, now, stuck_after)
    counts = Counter()
    targets = []
    if estate.problems:
        spec = reports.target_spec("scope", scope.describe())
        shown = []
        for what, rule in _READ_RULES.items():
            if what in estate.problems:
                outcome = estate_rules.unverified(estate.problems[what])
                counts[outcome.status] += 1
                shown.append(reports.finding(spec, rule, outcome))
        targets.append(reports.TargetReport(spec, shown))
    for kind, resources in ((estate_rules.DEFINITION, estate.definitions.values()),
                            (estate_rules.VERSION, estate.versions.values())):
        rules = estate_rules.rules_for(kind)
        for resource in sorted(resources, key=lambda item: item.id.lower()):
            shown = []
            for rule in rules:
                outcome = rule.func(context, resource)
                counts[outcome.status] += 1
                if outcome.status in reports.SHOWN:
                    shown.append((rule, outcome))
            if shown:
                spec = reports.target_spec(kind, resource.rid, getattr(resource, "location", None))
                targets.append(reports.TargetReport(spec, [reports.finding(spec, rule, outcome)
                                                           for rule, outcome in shown]))
    users_outside = sum(1 for user in estate.users if not _in_estate(estate, user))
    summary_scope = {
        "scanned": scope.describe(),
        "subscriptions": len(scope.subscriptions) if scope.subscriptions is not None else None,
        "management_group": scope.management_group,
        "galleries": len(estate.galleries), "definitions": len(estate.definitions),
        "versions": len(estate.versions), "vms": sum(1 for u in estate.users if u.kind == "vm"),
        "scale_sets": sum(1 for u in estate.users if u.kind == "vmss"),
        "users_of_images_outside_the_scan": users_outside,
        "stuck_after_hours": round(stuck_after / 3600.0, 2),
    }
    return reports.ScanReport(summary_scope, targets, counts,
                              list(_READ_RULES.values()) + list(estate_rules.RULES.values()))


def _in_estate(estate, user):
    return user.image_key in (estate.definitions if user.latest else estate.versions)


def _read_rules():
    """The reads every rule stands on, as rules of their own: unverified when a query failed."""
    from azext_sig_doctor.checks.registry import Rule
    return {
        reading.GALLERIES: Rule("estate.galleries-read", ("sharing.rbac-access",), ("scope",), True,
                                "Resource Graph returned every gallery, image definition and version of the scope",
                                None),
        reading.USERS: Rule("estate.users-read", ("sharing.rbac-access",), ("scope",), True,
                            "Resource Graph returned every VM and scale set of the scope", None),
    }


_READ_RULES = _read_rules()


class _Silent:
    def update(self, message, value, total):
        pass

    def end(self, message):
        pass

