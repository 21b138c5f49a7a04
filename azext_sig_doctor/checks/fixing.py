"""The fixed command of a check report: every failing finding's edit applied to the user's request
at once, proved by running the rules again on the result.

Each failing finding asks its knowledge-base entry for its edit (``domain.fixes``), with the
finding's values and read access through the check's own fetcher (a disk encryption set of the
missing region, the existing definition, ...). The edits are applied together; the rules then run
on the fixed request (reads shared with the first run): what still fails and has an edit is
fixed in another round (a region added to the targets may need encryption of its own), what still
fails without one is unresolved. The command is written only when nothing stays unresolved: a
line that cannot work is never printed, the reasons are. Findings whose entry fixes them with
steps to run first (create the missing gallery, generalize the VM) are met by those steps, listed
in ``before``.
"""

from azext_sig_doctor.checks.registry import FAIL, Unavailable
from azext_sig_doctor.domain import commandline, options, powershell
from azext_sig_doctor.domain.fixes import Edit, Unresolved, build
from azext_sig_doctor.domain.fixes.plan import Plan, Proposal, apply_all, fixed_line, line_of
from azext_sig_doctor.i18n.catalog import render as render_text, say

MAX_ROUNDS = 6


class CheckLookup:
    """The reads a fix may need, made through the check's context (each resource read once)."""

    def __init__(self, ctx):
        self._ctx = ctx

    def disk_encryption_sets(self, region):
        listing = self._ctx.data(("disk_encryption_sets", self._ctx.request.sub)) or {}
        from azext_sig_doctor.domain import regions
        return sorted(item["id"] for item in listing.get("value") or []
                      if item.get("id") and regions.same(item.get("location"), region))

    def resource_location(self, resource_id):
        return (self._ctx.data(("resource", resource_id)) or {}).get("location")

    def existing(self):
        return self._ctx.existing()

    def definitions(self):
        listing = self._ctx.data(("definitions_in_gallery", self._ctx.request.gallery_id)) or {}
        return listing.get("value") or []

    def source(self):
        return self._ctx.source()

    def home_region(self):
        return self._ctx.location()

    def image_definition(self):
        return self._ctx.definition()

    def image_version(self):
        from azext_sig_doctor.checks.rules.vm import _version
        return _version(self._ctx)


def _entry(error_id):
    from azext_sig_doctor import knowledge
    try:
        return knowledge.get(error_id)
    except KeyError:
        return None


def proposals_for(request, findings, ctx, subscription=None):
    """One Proposal per failing finding: its edit, or why there is none, and its steps to run first."""
    from azext_sig_doctor.domain.guidance import render
    lookup = CheckLookup(ctx) if not ctx.offline else None
    proposals = []
    for finding in findings:
        if finding["status"] != FAIL:
            continue
        entry = _entry(finding["error_id"])
        spec = (entry.data.get("edit") if entry is not None else None)
        guidance = render(entry, finding["values"], subscription=subscription) if entry is not None else None
        before = guidance.before if guidance is not None else []
        try:
            result = build(spec, request, finding["values"], lookup) if spec else None
        except Unavailable as ex:
            result = Unresolved(render_text(ex.reason))
        if result is None and not before:
            result = Unresolved(_no_edit_reason(finding))
        proposals.append(Proposal(finding["rule"], finding["error_id"], result, before))
    return proposals


def _no_edit_reason(finding):
    return say("fixes", "no-change-fixes-it", fix=(finding.get("fix") or finding["detail"]).rstrip(".。"))


def compute(request, findings, ctx, line, rerun, make_findings):
    """``{command, powershell, details}`` of the report: ``rerun(request)`` runs the rules again.

    Edits that change what other rules look at (the source, the definition, a name, then the
    version's region) are applied first, and the rules run again before the others are worked
    out: an edit is always computed on the request it will apply to. The loop ends when nothing
    that an edit can fix fails any more; what still fails then is unresolved.
    """
    typed_subscription = line.value("--subscription") if line is not None else None
    proposals = proposals_for(request, findings, ctx, typed_subscription)
    if not proposals:
        return {"command": None, "powershell": None, "details": None}
    plan = Plan(request)
    current = proposals
    for _ in range(MAX_ROUNDS):
        edits = [p for p in current if isinstance(p.result, Edit)]
        if not edits:
            break
        tier = min(p.result.tier for p in edits)
        step = apply_all(plan.request, [p for p in edits if p.result.tier == tier])
        plan.applied += step.applied
        if step.unresolved:
            plan.unresolved += step.unresolved
            break
        if step.request == plan.request:
            break  # the edits changed nothing: what still fails is unresolved
        plan.request = step.request
        again = [f for f in make_findings(plan.request, rerun(plan.request)) if f["status"] == FAIL]
        current = proposals_for(plan.request, again, ctx, typed_subscription)
    if not plan.unresolved:
        plan.unresolved = [(p, p.result.reason if isinstance(p.result, Unresolved) else
                            "still fails after the other edits")
                           for p in current if not (p.result is None and p.before)
                           and not (isinstance(p.result, Edit) and (p, p.result) in plan.applied)]
    # The steps to run first are those of what still fails at the end (a missing gallery, ...).
    return _describe(request, plan, current, line, ctx)


def _describe(request, plan, proposals, line, ctx):
    before = []
    for proposal in proposals:
        for az_step, ps_step in proposal.before:
            if all(az_step.command != b["command"] for b in before):
                before.append({"command": az_step.command, "powershell": ps_step.command if ps_step else None,
                               "note": az_step.note, "error_id": proposal.error_id})
    details = {"edits": [{"rule": p.rule, "error_id": p.error_id, "edit": e.summary} for p, e in plan.applied],
               "before": before,
               "unresolved": [{"rule": p.rule, "error_id": p.error_id, "reason": r} for p, r in plan.unresolved],
               "powershell_note": None, "secrets_left_out": []}
    if not plan.complete or (not plan.applied and not before):
        return {"command": None, "powershell": None, "details": details}
    words = core_words(request, line)
    user_line = commandline.core_line(line, words) if line is not None else line_of(request, words)
    fixed = fixed_line(user_line, request, plan.request, words)
    command = fixed.render()
    # A secret is never printed: the user puts their own value back in these options.
    details["secrets_left_out"] = fixed.secrets_left_out()
    subscription = user_line.value("--subscription")
    twin, why = powershell.twin(plan.request, plan.request.location or _safe_location(ctx), subscription)
    details["powershell_note"] = why
    return {"command": _mask(command), "powershell": _mask(twin) if twin else None, "details": details}


def annotate_findings(findings, proposals_details):
    """Copy each finding's edit summary or unresolved reason into it (by rule)."""
    edits = {item["rule"]: item["edit"] for item in proposals_details.get("edits") or []}
    unresolved = {item["rule"]: item["reason"] for item in proposals_details.get("unresolved") or []}
    for finding in findings:
        if finding["rule"] in edits:
            finding["edit"] = edits[finding["rule"]]
        if finding["rule"] in unresolved:
            finding["unresolved"] = unresolved[finding["rule"]]


def core_words(request, line):
    if request.kind == "vm":
        return {"vm": ("vm", "create"), "vmss": ("vmss", "create"), "disk": ("disk", "create")}[request.command]
    return options.KIND_COMMANDS[request.kind]


def _safe_location(ctx):
    try:
        return ctx.location()
    except Unavailable:
        return None


def _mask(text):
    from azext_sig_doctor.secrets import mask
    return mask(text) if isinstance(text, str) else text
