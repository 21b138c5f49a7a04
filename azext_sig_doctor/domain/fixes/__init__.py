"""Fixes are edits of the typed request, not new command lines.

A knowledge-base entry names its edit as data (``edit: {op: add_region, region: "{source_region}"}``);
the op is a function here that, given the request, the entry's values and (for the checks) a
read-only ``lookup``, returns an ``Edit`` (what to change, as a pure function of the request), an
``Unresolved`` (why no command can be written: a value nobody can know offline, a choice only the
user can make), or None (nothing to change). ``plan.apply_all`` applies every edit of a report at
once and reports conflicts; the fixed command is then the user's own command line rewritten with
the changed options only (``commandline.CommandLine.rewrite``).

Explain has no lookup: an op that needs a read says so, and the user is sent to the check that can
make it.
"""

from dataclasses import dataclass, field, replace
from typing import Callable, Tuple

OPS = {}


@dataclass(frozen=True)
class Edit:
    """A change of the request: ``apply(request) -> request``. ``sets`` are the (field, value)
    pairs it forces, so that two edits that want different values for one field are told apart
    from edits that compose (adding two regions). ``tier``: edits that change what the other
    rules look at (the source, the definition, a name: 0; the version's region: 1) go before the
    others (2), which are worked out again once those are applied."""

    summary: str
    apply: Callable = field(compare=False)
    sets: Tuple[Tuple[str, object], ...] = ()
    tier: int = 2


@dataclass(frozen=True)
class Unresolved:
    """No edit can be written: ``reason`` says which value is missing or which choice is the user's."""

    reason: str


class NeedsLookup(Exception):
    """An op needs to read Azure and none is at hand (explain): ``what`` says what it would read."""

    def __init__(self, what):
        super().__init__(what)
        self.what = what


def op(name, kind, tier=2):
    """Register an op for requests of ``kind`` (an entry may name it for other commands too: a name
    rule is worded the same for galleries and definitions; it then does not apply); ``tier`` see Edit."""
    def register(function):
        OPS[name] = (function, kind, tier)
        return function
    return register


def build(spec, request, values, lookup=None):
    """The Edit, Unresolved or None of an entry's ``edit`` spec (``{op: name, param: "{placeholder}"}``)
    for ``request`` with the finding's ``values``."""
    from azext_sig_doctor.knowledge import fill
    _load()
    if not spec or request is None:
        return None
    if spec.get("op") not in OPS:
        raise KeyError("unknown edit op {!r}".format(spec.get("op")))
    function, kind, tier = OPS[spec["op"]]
    if request.kind != kind:
        return None
    import inspect
    optional = {name for name, parameter in inspect.signature(function).parameters.items()
                if parameter.default is not inspect.Parameter.empty}
    params = {}
    for key, value in spec.items():
        if key == "op":
            continue
        filled = fill(value, values) if isinstance(value, str) else value
        if isinstance(filled, str) and "<" in filled and ">" in filled:
            if key in optional:
                continue  # the op works it out from the request
            return Unresolved("the value of {} is not known from the input".format(key))
        params[key] = filled
    try:
        result = function(request, lookup, **params)
        return replace(result, tier=tier) if isinstance(result, Edit) else result
    except NeedsLookup as missing:
        return Unresolved("the fix needs to read {} in Azure; the pre-check with the same arguments "
                          "(az sig doctor check-{}) reads it and writes the whole command".format(missing.what,
                                                                                               request.kind))


def need(lookup, what):
    if lookup is None:
        raise NeedsLookup(what)
    return lookup


def _load():
    # Importing the modules registers their ops.
    from azext_sig_doctor.domain.fixes import definition, gallery, version, vm  # noqa: F401  pylint: disable=unused-import
