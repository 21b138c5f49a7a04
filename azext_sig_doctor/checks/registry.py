"""The rule registry: one small function per documented error that can be caught before the call.

A rule is registered with ``@rule(id, error_id, kinds, live=...)`` and returns an ``Outcome``
(``passed``, ``failed``, ``warned`` or ``skipped``). Offline rules look at the spec alone; live
rules read through ``ctx.read(key)``, which returns plain data (wire names) or None for a
resource that does not exist, and raises ``Unavailable`` when the read was refused or failed: the
runner turns that into a ``skip`` with the reason, so one bad read never hides other findings.
"""

from collections import OrderedDict

KINDS = ("gallery", "definition", "version", "vm")

PASS, FAIL, WARN, SKIP = "pass", "fail", "warn", "skip"


class Unavailable(Exception):
    """A read the rule needs could not be made (no access, throttled out, server error)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class Outcome:
    """A rule's verdict; ``error_id`` picks one of the rule's entries when it prevents several."""

    __slots__ = ("status", "detail", "values", "error_id")

    def __init__(self, status, detail, values=None, error_id=None):
        self.status = status
        self.detail = detail
        self.values = values or {}
        self.error_id = error_id

    def __repr__(self):
        return "Outcome({}, {!r})".format(self.status, self.detail)


def passed(detail, **values):
    return Outcome(PASS, detail, values)


def failed(detail, error_id=None, **values):
    return Outcome(FAIL, detail, values, error_id)


def warned(detail, error_id=None, **values):
    return Outcome(WARN, detail, values, error_id)


def skipped(reason, **values):
    return Outcome(SKIP, reason, values)


class Rule:
    """``error_ids``: the knowledge-base entries the rule prevents, the usual one first."""

    __slots__ = ("id", "error_ids", "kinds", "live", "title", "func")

    def __init__(self, rule_id, error_ids, kinds, live, title, func):
        self.id = rule_id
        self.error_ids = error_ids
        self.kinds = kinds
        self.live = live
        self.title = title
        self.func = func

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

    def __repr__(self):
        return "Rule({!r})".format(self.id)


RULES = OrderedDict()


def rule(rule_id, error_ids, kinds, title, live=False):
    """Register the decorated function as rule ``rule_id`` preventing KB entries ``error_ids``."""
    kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    error_ids = (error_ids,) if isinstance(error_ids, str) else tuple(error_ids)

    def register(func):
        if rule_id in RULES:
            raise ValueError("duplicate rule id {}".format(rule_id))
        RULES[rule_id] = Rule(rule_id, error_ids, kinds, live, title, func)
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
    from azext_sig_doctor.checks.rules import gallery, definition, version, vm, limits  # noqa: F401  pylint: disable=unused-import
