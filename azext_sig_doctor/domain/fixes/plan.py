"""Apply every edit of a report at once, and write the fixed command onto the user's line."""

from dataclasses import dataclass, field
from typing import List, Optional

from azext_sig_doctor.domain import options
from azext_sig_doctor.domain.commandline import words_for
from azext_sig_doctor.domain.fixes import Edit, Unresolved
from azext_sig_doctor.domain.request import arguments_of


@dataclass
class Proposal:
    """One finding's part of the fix."""

    rule: Optional[str]
    error_id: str
    result: object          # Edit, Unresolved or None
    before: List[object] = field(default_factory=list)   # knowledge.Step: run first


@dataclass
class Plan:
    request: object                   # the fixed request (the original when nothing applied)
    applied: List[tuple] = field(default_factory=list)     # (proposal, edit)
    unresolved: List[tuple] = field(default_factory=list)  # (proposal, reason)

    @property
    def complete(self):
        return not self.unresolved


def apply_all(request, proposals):
    """Apply every proposal's edit in order; two edits that force one field to different values
    both become unresolved (the user has to choose), as does every Unresolved proposal."""
    forced = {}
    conflicts = set()
    edits = [p for p in proposals if isinstance(p.result, Edit)]
    for proposal in edits:
        for name, value in proposal.result.sets:
            if name in forced and forced[name][1] != value:
                conflicts.add(id(proposal))
                conflicts.add(id(forced[name][0]))
            forced.setdefault(name, (proposal, value))
    plan = Plan(request)
    for proposal in proposals:
        if isinstance(proposal.result, Unresolved):
            plan.unresolved.append((proposal, proposal.result.reason))
    for proposal in edits:
        if id(proposal) in conflicts:
            others = [p.error_id for p in edits if id(p) in conflicts and p is not proposal]
            plan.unresolved.append((proposal, "its fix ({}) contradicts the fix of {}: choose one".format(
                proposal.result.summary, ", ".join(others))))
            continue
        plan.request = proposal.result.apply(plan.request)
        plan.applied.append((proposal, proposal.result))
    return plan


def changed_arguments(old, new, table):
    """``{dest: words or None}`` for every option whose value differs between two requests."""
    before, after = arguments_of(old), arguments_of(new)
    changes = {}
    for dest, option in table.items():
        if before.get(dest) != after.get(dest):
            changes[dest] = words_for(option, after.get(dest))
    return changes


def fixed_line(line, old, new, words=None):
    """``line`` (a CommandLine of ``old``'s command) with the options that differ in ``new`` rewritten."""
    table = options.table_of(words or line.command)
    return line.rewrite(changed_arguments(old, new, table), table)


_NAMING = ("resource_group_name", "gallery_name", "gallery_image_name", "gallery_image_version", "location",
           "vm_name")


def line_of(request, words):
    """A command line for a request that came without one (an in-process call): every option the
    request sets, in the table's order."""
    from azext_sig_doctor.domain.commandline import CommandLine, Group
    table = options.table_of(words)
    values = arguments_of(request)
    groups = []
    for dest, option in table.items():
        written = words_for(option, values.get(dest))
        if written is not None:
            # The short forms az's own examples use (-g, -r, -i, -e, -l, -n) for the names.
            short = [text for text in option.options if len(text) == 2]
            groups.append(Group(short[0] if short and dest in _NAMING else option.options[0], tuple(written)))
    return CommandLine("az", tuple(words), tuple(groups))
