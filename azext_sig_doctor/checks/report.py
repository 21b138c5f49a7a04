"""Findings and the report of one check run (the output contract scripts depend on).

``Report.to_dict()`` is what ``-o json`` prints: ``{target, summary, fixed_command,
fixed_command_powershell, fix_details, findings}``. Every finding has ``rule``, ``status``
(pass|fail|warn|skip|unverified), ``error_id`` (the knowledge-base id), ``title``, ``detail`` (what
was observed, with the real values), ``reason`` (why an unverified rule could not run), ``cause``,
``fix``, ``commands``/``command_notes``, ``powershell``/``powershell_notes``, ``docs``, ``values``,
``edit`` (what the fixed command changes for it) and ``unresolved`` (why no command can fix it).
``language`` (top level) is the language of the report's words: titles, details, causes, fixes and
notes are written in it; every key, id, status, value and command stays the same in any language.
"""

from collections import OrderedDict

from azext_sig_doctor.checks.registry import FAIL, PASS, SKIP, UNVERIFIED, WARN
from azext_sig_doctor.i18n import current
from azext_sig_doctor.i18n.catalog import render as render_text, rule_text, say

STATUS_ORDER = (FAIL, UNVERIFIED, WARN, SKIP, PASS)
# --fail-on levels, each with the statuses that make the command exit non-zero.
FAIL_ON = OrderedDict([("warning", (FAIL, UNVERIFIED, WARN)), ("unverified", (FAIL, UNVERIFIED)),
                       ("error", (FAIL,)), ("never", ())])
DEFAULT_FAIL_ON = "unverified"


def _mask(text):
    from azext_sig_doctor.secrets import mask
    return mask(text) if isinstance(text, str) else text


def _entry(error_id):
    from azext_sig_doctor import knowledge
    try:
        return knowledge.get(error_id)
    except (KeyError, OSError):
        return None


def target_of(request):
    """What a report is about, as ids and names (never credentials: requests hold none)."""
    target = OrderedDict([("kind", request.kind), ("subscription", request.subscription),
                          ("resource_group", request.resource_group), ("location", request.location)])
    if request.kind == "vm":
        reference = request.reference
        target.update(command=request.command, name=request.name, image=request.image,
                      image_scope=reference.scope, size=request.size)
    else:
        target["gallery"] = request.gallery
        if request.kind in ("definition", "version"):
            target["image"] = request.image
        if request.kind == "version":
            target["version"] = request.version
        target["resource_id"] = request.resource_id
    return OrderedDict((key, value) for key, value in target.items() if value not in (None, ""))


def placeholder_values(request, values):
    """The finding's values with what the request says (names, region, source)."""
    base = {"subscription": request.subscription, "resource_group": request.resource_group,
            "region": request.location}
    if request.kind == "vm":
        base.update(_vm_values(request))
    else:
        base.update(gallery=request.gallery, image=getattr(request, "image", None),
                    version=getattr(request, "version", None))
    if request.kind == "version" and getattr(request, "source", None) is not None:
        base["source_id"] = request.source.primary[1]
    base.update({k: v for k, v in values.items() if v is not None})
    return {k: _mask(str(v)) for k, v in base.items() if v not in (None, "")}


def _vm_values(request):
    """A VM's gallery commands go to the gallery named by --image, which may be in another resource
    group or subscription than the VM; the VM's own group and name stay under vm_* (or disk)."""
    reference = request.reference
    parsed = reference.resource_id
    values = {"gallery": reference.gallery, "image": reference.image, "image_id": request.image,
              "version": reference.version if not reference.is_latest else None,
              "vm_resource_group": request.resource_group, "vm_subscription": request.subscription,
              "resource_group": parsed.resource_group if parsed else None,
              "subscription": parsed.subscription if parsed else request.subscription}
    values["disk" if request.for_disk else "vm"] = request.name
    return values


def make_finding(request, rule, outcome, typed_subscription=None):
    """One finding of ``rule``'s ``outcome`` on ``request``. Its az steps act in the subscription the
    user typed (``typed_subscription``), or in the gallery's when it is not the request's (a VM from
    another subscription's image)."""
    from azext_sig_doctor.checks.fetch import REASONS
    values = placeholder_values(request, outcome.values)
    subscription = values.get("subscription")
    if not typed_subscription and subscription == getattr(request, "subscription", None):
        subscription = None
    error_id = rule.error_id_for(outcome)
    problem = outcome.status in (FAIL, WARN)
    # Loading the knowledge base costs a few hundred ms; a clean report never needs it.
    entry = _entry(error_id) if problem else None
    finding = OrderedDict([("rule", rule.id), ("status", outcome.status), ("error_id", error_id),
                           ("title", rule_text(rule)), ("detail", _mask(render_text(outcome.detail))),
                           ("reason", outcome.reason_class)])
    guidance = {"cause": None, "fix": "", "commands": [], "command_notes": [], "powershell": [],
                "powershell_notes": [], "docs": None}
    if problem and entry is not None:
        from azext_sig_doctor.domain.guidance import render
        rendered = render(entry, values, subscription=subscription)
        guidance.update(rendered.fields())
        finding["title"] = rendered.title
    elif outcome.status == UNVERIFIED:
        guidance["fix"] = say("checks.report", "could-not-run",
                              reason=REASONS.get(outcome.reason_class, REASONS["error"]))
    guidance.pop("title", None)
    finding.update(guidance)
    finding["values"] = values if problem else {}
    finding["edit"] = None
    finding["unresolved"] = None
    return finding


class Report:
    def __init__(self, request, findings, offline=False, requests=None, fix=None):
        self.request = request
        self.offline = offline
        self.requests = requests
        self.fix = fix or {}
        order = {status: index for index, status in enumerate(STATUS_ORDER)}
        # Failures first; within a status the registry's order (offline rules before live ones).
        self.findings = sorted(findings, key=lambda f: order[f["status"]])

    @property
    def summary(self):
        counts = OrderedDict((status, 0) for status in (PASS, FAIL, WARN, SKIP, UNVERIFIED))
        for finding in self.findings:
            counts[finding["status"]] += 1
        return counts

    def target(self):
        target = target_of(self.request)
        target["offline"] = self.offline
        return target

    def to_dict(self):
        fix = self.fix or {}
        return OrderedDict([("target", self.target()), ("summary", self.summary), ("language", current()),
                            ("fixed_command", fix.get("command")),
                            ("fixed_command_powershell", fix.get("powershell")),
                            ("fix_details", fix.get("details")), ("findings", self.findings)])

    def failed(self, fail_on=DEFAULT_FAIL_ON):
        """True when the findings reach the ``--fail-on`` level."""
        levels = FAIL_ON[fail_on]
        return any(f["status"] in levels for f in self.findings)

    def unverified(self):
        """Findings of rules that could not run because a read failed: what this report does not cover."""
        return [f for f in self.findings if f["status"] == UNVERIFIED]

    def exit_code(self, fail_on=DEFAULT_FAIL_ON):
        return 1 if self.failed(fail_on) else 0
