"""Injected faults: latency, throttling, server errors, dropped connections and damaged answers.

A scenario lists rules; each rule matches a method, a path regex and (optionally) a regex of the
query string, and fires for its first `count` matches (every match when `count` is absent).

* `drop`: the connection is closed before the request is handled (nothing happens).
* `hold_ms: N`: the request is handled (a PUT creates) and recorded in the journal, then its answer
  is held back for N ms: a test can act (press Ctrl-C) once the request has been taken, while the
  client still waits for the answer.
* `truncate: N`: the request is handled and answered, but only the first N bytes of the body are
  sent, as a complete response (its Content-Length says N): a body cut short, invalid JSON.
"""

import re
import threading

from .errors import ArmError


class FaultRule:
    def __init__(self, spec):
        self.method = (spec.get("method") or "*").upper()
        self.path = re.compile(spec.get("path", ".*"), re.IGNORECASE)
        self.query = re.compile(spec["query"], re.IGNORECASE) if spec.get("query") else None
        self.status = spec.get("status")
        self.count = spec.get("count")
        self.retry_after = spec.get("retry_after", 1)
        self.drop = bool(spec.get("drop", False))
        self.hold_ms = spec.get("hold_ms")
        self.truncate = spec.get("truncate")
        self.latency_ms = spec.get("latency_ms", 0)
        self.code = spec.get("code")
        self.message = spec.get("message")
        self.fired = 0

    def matches(self, method, path, query=""):
        if self.method not in ("*", method):
            return False
        if not self.path.search(path):
            return False
        if self.query is not None and not self.query.search(query):
            return False
        return self.count is None or self.fired < self.count

    def error(self):
        if self.status == 429:
            return ArmError(429, self.code or "TooManyRequests",
                            self.message or "The request is being throttled as the limit has been "
                            "reached for operation type. Please retry after the time given in "
                            "the Retry-After header.",
                            headers={"Retry-After": str(self.retry_after)})
        status = self.status or 500
        return ArmError(status, self.code or "InternalServerError",
                        self.message or "An internal execution error occurred. Please retry later.")


class Outcome:
    """What the fault layer decided for one request; ``hold_ms`` and ``truncate`` apply to the
    answer of a request that is handled."""

    def __init__(self, latency_ms=0, drop=False, error=None, hold_ms=0, truncate=None):
        self.latency_ms = latency_ms
        self.drop = drop
        self.error = error
        self.hold_ms = hold_ms
        self.truncate = truncate


class Faults:
    def __init__(self, specs=(), latency_ms=0):
        self._lock = threading.Lock()
        self._rules = [FaultRule(spec) for spec in specs]
        self._latency_ms = latency_ms

    def decide(self, method, path, query=""):
        outcome = Outcome(latency_ms=self._latency_ms)
        with self._lock:
            for rule in self._rules:
                if not rule.matches(method, path, query):
                    continue
                rule.fired += 1
                outcome.latency_ms += rule.latency_ms
                if rule.drop:
                    outcome.drop = True
                    return outcome
                if rule.hold_ms or rule.truncate is not None:
                    outcome.hold_ms = int(rule.hold_ms or 0)
                    outcome.truncate = None if rule.truncate is None else int(rule.truncate)
                    return outcome
                if rule.status:
                    outcome.error = rule.error()
                    return outcome
        return outcome
