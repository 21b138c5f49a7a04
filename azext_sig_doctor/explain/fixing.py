"""The fixed command of a failed command in a log: the user's own command line (``Command
arguments:`` of an ``az --debug`` log), or the request its body was (when the log has no command
line), with the edit of every finding of that command applied at once.

The findings of one command are fixed together; each names its edit (``edit``) or why there is
none (``unresolved``). Explain reads nothing from Azure: a fix that needs a read (a disk encryption
set of another region, the existing version) is unresolved, and says which check makes that read.
Output of tools that are not az (Packer, Terraform, Bicep) gets no az command: the fix belongs in
their template (``tool_fix``).
"""

import json
import re
from collections import OrderedDict

from azext_sig_doctor.domain import commandline, options, powershell, tools
from azext_sig_doctor.domain import request as requests
from azext_sig_doctor.domain.fixes import Unresolved, build
from azext_sig_doctor.domain.fixes.plan import Proposal, apply_all, fixed_line, line_of
from azext_sig_doctor.explain.match import ORIGIN
from azext_sig_doctor.i18n.catalog import say

# Sources whose requests are az's or Az PowerShell's own: their failed command can be written again.
_COMMAND_SOURCES = ("az-debug", "powershell", "arm-json", "create", "message", "plain")
_TOOLS = ("packer", "terraform", "bicep", "pulumi", "ansible", "image-builder")


def add_fixed_commands(findings, existing=False):
    """Fill ``fixed_command``, ``fixed_command_powershell``, ``fix_details``, ``edit`` and
    ``unresolved`` of every finding (in place), and drop the findings' origins. ``existing``: the
    failed create is known to have left its resource behind (a replication that failed after it)."""
    groups = OrderedDict()
    for finding in findings:
        origin = finding.pop(ORIGIN, None)
        if origin is None:
            continue
        command, request, source, serial, tool, accepted = origin
        if source in _TOOLS:
            _tool_fix(finding, source, tool)
            continue
        # One failed request of one command: its findings (a deployment's failed details) are fixed together.
        key = (id(command), serial, id(request))
        group = groups.setdefault(key, [command, request, source, [], existing])
        group[3].append(finding)
        group[4] = group[4] or accepted
    for command, request, source, members, left_behind in groups.values():
        _fix_group(command, request, source, members, left_behind)
    return findings


# The resources Packer makes for a build and deletes when it ends (resource group, VM, disks): a
# command naming them after the build cannot find them.
_PACKER_TEMPORARY = re.compile(r"pkr-Resource-Group-|/pkrvm|/pkros|/pkrdd", re.IGNORECASE)


def _tool_fix(finding, source, tool):
    """A tool's failure is fixed in its template: which setting, and where the output says it is."""
    from azext_sig_doctor import knowledge
    finding.update(fixed_command=None, fixed_command_powershell=None, fix_details=None, edit=None, unresolved=None)
    setting = None
    if finding.get("id"):
        spec = knowledge.get(finding["id"]).data.get("edit") or {}
        where = tool.get("address")
        if where and tool.get("file"):
            where = "{} ({} line {})".format(where, tool["file"], tool["line"])
        setting = tools.setting(spec.get("op"), _TOOL_NAMES.get(source, source), finding.get("values") or {}, where) \
            if spec else None
    finding["tool_fix"] = dict(tool, tool=source, setting=setting)
    if source == "packer":
        for shell, notes in (("commands", "command_notes"), ("powershell", "powershell_notes")):
            kept = [(command, note) for command, note in zip(finding.get(shell) or [], finding.get(notes) or [])
                    if not _PACKER_TEMPORARY.search(command)]
            finding[shell], finding[notes] = [c for c, _ in kept], [n for _, n in kept]


_TOOL_NAMES = {"bicep": "bicep", "terraform": "terraform", "packer": "packer"}


def _typed(command, request, source):
    """(typed request, command line, core words) of what failed, or (None, None, reason)."""
    if command is not None:
        for words in list(options.CORE_COMMANDS) + list(options.DOCTOR_COMMANDS):
            line = commandline.CommandLine.parse(command.words, words)
            if line is None:
                continue
            core = options.DOCTOR_COMMANDS.get(tuple(words), tuple(words))
            kind = options.CORE_COMMANDS[core].kind if core in options.CORE_COMMANDS else None
            if kind == "vm" and words[-1].startswith("check-"):
                core = commandline.vm_command_words(line)
            try:
                extra = {"command": core[0]} if kind == "vm" else {}
                typed = requests.parse(kind, line.arguments(options.table_of(core)), command.get("subscription"),
                                       **extra)
            except Exception as error:  # pylint: disable=broad-except
                return None, None, say("fixes", "command-unreadable", error=error)
            if typed.resource_group:
                return typed, line, core
            break  # a line cut short (no names): the request it sent says more
        else:
            return None, None, say("fixes", "not-rewritable")
    if request is not None and (request.method or "").upper() == "PUT" and source in _COMMAND_SOURCES:
        resource = request.resource() or {}
        body = _load(request.body)
        typed = requests.from_body(resource.get("resource_id"), body)
        if typed is not None:
            words = options.KIND_COMMANDS[typed.kind]
            return typed, None, words
    return None, None, None


def _load(text):
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _fix_group(command, request, source, members, left_behind=False):
    typed, line, words = _typed(command, request, source)
    known = [finding for finding in members if finding.get("id")]
    proposals = [_proposal(finding, typed) for finding in known]
    details = {"edits": [], "before": [], "unresolved": [], "powershell_note": None, "secrets_left_out": [],
               "also_fixed": [],
               # Errors of the same command the knowledge base does not know: the fixed command does
               # not address them, and may still meet them.
               "not_covered": [finding.get("code") or finding.get("message") for finding in members
                               if not finding.get("id")]}
    fixed = twin = None
    if typed is None:
        reason = words or say("fixes", "nothing-to-rewrite")
        details["unresolved"] = [{"error_id": finding["id"], "reason": reason} for finding in members]
        for finding in members:
            finding["unresolved"] = reason
    else:
        # What the pre-checks find in the same request without reading Azure (a name az refuses, a
        # region listed twice ...): fixed too, or the fixed command would fail on the next problem.
        known_ids = {finding["id"] for finding in known}
        extra = [proposal for proposal in _offline_proposals(typed, known_ids)]
        details["also_fixed"] = [{"error_id": proposal.error_id, "rule": proposal.rule} for proposal in extra]
        plan = apply_all(typed, proposals + extra)
        for proposal, edit in plan.applied:
            details["edits"].append({"error_id": proposal.error_id, "edit": edit.summary})
        for proposal, reason in plan.unresolved:
            details["unresolved"].append({"error_id": proposal.error_id, "reason": reason})
        for proposal in proposals:
            for az_step, ps_step in proposal.before:
                if all(az_step.command != b["command"] for b in details["before"]):
                    details["before"].append({"command": az_step.command,
                                              "powershell": ps_step.command if ps_step else None,
                                              "note": az_step.note, "error_id": proposal.error_id})
        if plan.complete and (plan.applied or details["before"]):
            step = _delete_step(typed, line) if left_behind and plan.request.resource_id == typed.resource_id \
                else None
            if step:
                details["before"].insert(0, step)
            user_line = commandline.core_line(line, words) if line is not None else line_of(typed, words)
            rewritten = fixed_line(user_line, typed, plan.request, words)
            fixed = rewritten.render()
            # A secret is never printed: the user puts their own value back in these options.
            details["secrets_left_out"] = rewritten.secrets_left_out()
            subscription = user_line.value("--subscription")
            location = plan.request.location or (_load(request.body) or {}).get("location") if request is not None \
                else plan.request.location
            twin, details["powershell_note"] = powershell.twin(plan.request, location, subscription)
        by_error = {item["error_id"]: item for item in details["edits"]}
        reasons = {item["error_id"]: item["reason"] for item in details["unresolved"]}
        for finding in members:
            finding["edit"] = by_error.get(finding["id"], {}).get("edit")
            finding["unresolved"] = reasons.get(finding["id"]) if finding.get("id") else \
                say("fixes", "unknown-error")
    for finding in members:
        finding.update(fixed_command=fixed, fixed_command_powershell=twin, fix_details=details)


def _offline_proposals(typed, known_ids):
    """The edits of the pre-checks' offline rules that fail on ``typed`` (errors the log does not show
    yet), except the ones the log's findings already fix; a rule with no edit is left to the check."""
    from azext_sig_doctor.checks.fixing import proposals_for
    from azext_sig_doctor.checks.report import make_finding
    from azext_sig_doctor.checks.runner import run_rules
    from azext_sig_doctor.domain.fixes import Edit
    try:
        outcomes, ctx = run_rules(typed, None, offline=True)
    except Exception:  # pylint: disable=broad-except
        return []  # a request the rules cannot read: explain's own fix stands alone
    failing = [make_finding(typed, rule, outcome) for rule, outcome in outcomes if outcome.status == "fail"]
    failing = [finding for finding in failing if finding["error_id"] not in known_ids]
    return [proposal for proposal in proposals_for(typed, failing, ctx) if isinstance(proposal.result, Edit)]


_DELETES = {
    "gallery": ("az sig delete -g {rg} -r {gallery}",
                "Remove-AzGallery -ResourceGroupName {rg} -Name {gallery} -Force"),
    "definition": ("az sig image-definition delete -g {rg} -r {gallery} -i {image}",
                   "Remove-AzGalleryImageDefinition -ResourceGroupName {rg} -GalleryName {gallery} -Name {image} "
                   "-Force"),
    "version": ("az sig image-version delete -g {rg} -r {gallery} -i {image} -e {version}",
                "Remove-AzGalleryImageVersion -ResourceGroupName {rg} -GalleryName {gallery} "
                "-GalleryImageDefinitionName {image} -Name {version} -Force"),
}


def _delete_step(typed, line):
    """The step before a fixed create whose failed create left the resource behind: under the same
    name the fixed command would update the failed resource, and what the fixes change (a source, a
    replication mode, an OS type) cannot be updated."""
    if typed.kind not in _DELETES:
        return None
    names = {"rg": commandline.quote(typed.resource_group or ""), "gallery": commandline.quote(typed.gallery or ""),
             "image": commandline.quote(getattr(typed, "image", None) or ""),
             "version": commandline.quote(getattr(typed, "version", None) or "")}
    az_line, ps_line = (template.format(**names) for template in _DELETES[typed.kind])
    subscription = line.value("--subscription") if line is not None else None
    if subscription:
        az_line += " --subscription " + commandline.quote(subscription)
    noun = {"gallery": "gallery", "definition": "image definition", "version": "image version"}[typed.kind]
    return {"command": az_line, "powershell": None if subscription else ps_line, "error_id": None,
            "note": "the failed create left the {} behind (provisioning state Failed); under the same name the fixed "
                    "command would update it, and what the fix changes cannot be updated: delete it first".format(noun)}


def _proposal(finding, typed):
    from azext_sig_doctor import knowledge
    from azext_sig_doctor.domain.guidance import render
    entry = knowledge.get(finding["id"])
    guidance = render(entry, finding.get("values") or {},
                      subscription=(finding.get("resource") or {}).get("subscription"))
    spec = entry.data.get("edit")
    result = build(spec, typed, finding.get("values") or {}) if spec and typed is not None else None
    if result is None and not guidance.before:
        result = Unresolved(say("fixes", "no-change-of-the-command", fix=(finding.get("fix") or "").rstrip(".。")))
    return Proposal(None, finding["id"], result, guidance.before)
