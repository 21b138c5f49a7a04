"""Pre-checks: fetch -> rule -> report (-> fix) for `az sig doctor check-*` and the guarded creates.

``run(cmd, request, offline=False, reader=None, line=None) -> Report``: every rule of the typed
request's kind (``azext_sig_doctor.domain.request``), only read requests made, and the fixed
command written onto ``line`` (the user's command line) when findings fail.
``Report.failed(fail_on)`` tells whether to stop.
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


def run(cmd, request, offline=False, reader=None, line=None, fix=True):
    """Evaluate every rule of ``request.kind``; only read (GET/list) requests are made."""
    from azext_sig_doctor.checks import fixing
    from azext_sig_doctor.checks.report import Report, make_finding
    from azext_sig_doctor.checks.runner import new_fetcher, run_rules
    if request.kind not in KINDS:
        raise ValueError("unknown check kind {!r}".format(request.kind))
    counting = None
    if not offline:
        if reader is None:
            from azext_sig_doctor.checks.readers import SdkReader
            reader = SdkReader(cmd.cli_ctx)
        counting = reader = CountingReader(reader)
    fetcher = new_fetcher(reader) if not offline else None
    outcomes, ctx = run_rules(request, fetcher, offline)

    typed_subscription = line.value("--subscription") if line is not None else None

    def make_findings(checked, pairs):
        return [make_finding(checked, rule, outcome, typed_subscription) for rule, outcome in pairs]

    findings = make_findings(request, outcomes)
    result = None
    if fix:
        result = fixing.compute(request, findings, ctx, line,
                                rerun=lambda fixed: run_rules(fixed, fetcher, offline)[0],
                                make_findings=make_findings)
        if result.get("details"):
            fixing.annotate_findings(findings, result["details"])
    return Report(request, findings, offline=offline, requests=counting.count if counting else 0, fix=result)
