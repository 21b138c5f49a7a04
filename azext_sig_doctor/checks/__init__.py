"""Pre-checks: fetch -> rule -> report for `az sig doctor check-*`.

``run(cmd, kind, spec, offline=False) -> Report`` is the entry point shared with the guarded
creates; specs come from ``spec_for(cmd, kind, arguments)`` (or ``checks.spec.*_spec_from_args``)
with the guarded command's arguments. ``Report.failed(fail_on)`` tells whether to stop.
"""

from azext_sig_doctor.checks.registry import KINDS


class CountingReader:
    """Wraps a reader to count the requests a run made (for the report and the benchmark)."""

    def __init__(self, reader):
        self._reader = reader
        self.count = 0

    def read(self, key):
        self.count += 1
        return self._reader.read(key)


def spec_for(cmd, kind, arguments, offline=False):
    """The spec of ``kind`` from the guarded command's keyword arguments (doctor options ignored)."""
    from azext_sig_doctor.checks.cli import spec_for as build
    return build(cmd, kind, arguments, offline)


def run(cmd, kind, spec, offline=False, reader=None):
    """Evaluate every rule of ``kind`` on ``spec``; only read (GET/list) requests are made."""
    from azext_sig_doctor.checks.report import Report, make_finding
    from azext_sig_doctor.checks.runner import run_rules
    if kind not in KINDS:
        raise ValueError("unknown check kind {!r}".format(kind))
    if spec.get("kind") != kind:
        raise ValueError("spec of kind {!r} given to a {!r} check".format(spec.get("kind"), kind))
    counting = None
    if not offline:
        if reader is None:
            from azext_sig_doctor.checks.readers import SdkReader
            reader = SdkReader(cmd.cli_ctx)
        counting = reader = CountingReader(reader)
    outcomes, _ = run_rules(spec, reader=reader, offline=offline)
    findings = [make_finding(spec, rule, outcome) for rule, outcome in outcomes]
    return Report(spec, findings, offline=offline, requests=counting.count if counting else 0)
