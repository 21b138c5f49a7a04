"""The rule registry: one small function per documented error that can be caught before the call.

A rule is registered with ``@rule(id, error_ids, kinds, title, live=..., requires=...)`` and returns
an ``Outcome``: ``passed``, ``failed``, ``warned`` or ``skipped`` (the rule does not apply).
Offline rules look at the typed request alone; live rules read through ``ctx.data(key)``, which
returns plain data (wire names) or None for a resource that does not exist, and raises
``Unavailable`` when the read was refused or failed: the runner turns that into ``unverified`` with
the reason's class, so one bad read never hides other findings and never passes for a pass.

``requires`` names what a rule needs to be meaningful (``definition``, ``source``, ``existing``,
...; see ``runner.REQUIREMENTS``): when it is missing the runner answers for the rule (a skip
saying why), so rules do not repeat guard code.
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable, Dict, Optional, Tuple

KINDS = ("gallery", "definition", "version", "vm")

PASS, FAIL, WARN, SKIP, UNVERIFIED = "pass", "fail", "warn", "skip", "unverified"
STATUSES = (PASS, FAIL, WARN, SKIP, UNVERIFIED)


class Unavailable(Exception):
    """A read the rule needs could not be made; ``reason_class`` says why (``fetch.REASONS``)."""

    def __init__(self, reason, reason_class="error", offline=False):
        super().__init__(reason)
        self.reason = reason
        self.reason_class = reason_class
        self.offline = offline


@dataclass
class Outcome:
    """A rule's verdict; ``error_id`` picks one of the rule's entries when it prevents several;
    ``reason_class`` says why an unverified rule could not run."""

    status: str
    detail: str
    values: Dict[str, object] = field(default_factory=dict)
    error_id: Optional[str] = None
    reason_class: Optional[str] = None


def passed(detail, **values):
    return Outcome(PASS, detail, values)


def failed(detail, error_id=None, **values):
    return Outcome(FAIL, detail, values, error_id)


def warned(detail, error_id=None, **values):
    return Outcome(WARN, detail, values, error_id)


def skipped(reason, **values):
    return Outcome(SKIP, reason, values)


@dataclass(frozen=True)
class Rule:
    """``error_ids``: the knowledge-base entries the rule prevents, the usual one first."""

    id: str  # pylint: disable=invalid-name
    error_ids: Tuple[str, ...]
    kinds: Tuple[str, ...]
    live: bool
    title: str
    func: Callable = field(compare=False, repr=False)
    requires: Tuple[str, ...] = ()
    description: str = ""

    @property
    def error_id(self):
        return self.error_ids[0]

    def error_id_for(self, outcome):
        if outcome.error_id is None:
            return self.error_id
        if outcome.error_id not in self.error_ids:
            raise ValueError("rule {} reported {} outside its entries {}".format(self.id, outcome.error_id,
                                                                               self.error_ids))
        return outcome.error_id


RULES = OrderedDict()


def description_of(func):
    """A rule's description: its function's docstring on one line (why the rule matters)."""
    return " ".join((func.__doc__ or "").split())


def rule(rule_id, error_ids, kinds, title, live=False, requires=()):
    """Register the decorated function as rule ``rule_id`` preventing KB entries ``error_ids``; its
    docstring is the rule's description (shown by ``az sig doctor rule list`` and in SARIF)."""
    kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    error_ids = (error_ids,) if isinstance(error_ids, str) else tuple(error_ids)
    requires = (requires,) if isinstance(requires, str) else tuple(requires)

    def register(func):
        if rule_id in RULES:
            raise ValueError("duplicate rule id {}".format(rule_id))
        RULES[rule_id] = Rule(rule_id, error_ids, kinds, live, title, func, requires, description_of(func))
        return func
    return register


def all_rules():
    """Every rule, offline rules first, each group in registration order."""
    _load_rule_modules()
    rules = list(RULES.values())
    return [r for r in rules if not r.live] + [r for r in rules if r.live]


def rules_for(kind):
    return [r for r in all_rules() if kind in r.kinds]


def get(rule_id):
    _load_rule_modules()
    return RULES[rule_id]


def _load_rule_modules():
    # Importing the modules registers their rules; kept lazy so the registry imports nothing heavy.
    from azext_sig_doctor.checks.rules import (common, definition, gallery, limits, version_arguments,  # noqa: F401  pylint: disable=unused-import
                                               version_security, version_source, version_update, vm)
    from azext_sig_doctor.build import rules as build_rules  # noqa: F401  pylint: disable=unused-import
