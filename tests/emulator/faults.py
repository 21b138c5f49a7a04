"""Injected faults: latency, throttling, server errors and dropped connections.

A scenario lists rules; each rule matches a method and a path regex and fires for its first
`count` matches (every match when `count` is absent).
"""

import re
import threading

from .errors import ArmError


class FaultRule:
    def __init__(self, spec):
        self.method = (spec.get("method") or "*").upper()
        self.path = re.compile(spec.get("path", ".*"), re.IGNORECASE)
        self.status = spec.get("status")
        self.count = spec.get("count")
        self.retry_after = spec.get("retry_after", 1)
        self.drop = bool(spec.get("drop", False))
        self.latency_ms = spec.get("latency_ms", 0)
        self.code = spec.get("code")
        self.message = spec.get("message")
        self.fired = 0

    def matches(self, method, path):
        if self.method not in ("*", method):
            return False
        if not self.path.search(path):
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
    """What the fault layer decided for one request."""

    def __init__(self, latency_ms=0, drop=False, error=None):
        self.latency_ms = latency_ms
        self.drop = drop
        self.error = error


class Faults:
    def __init__(self, specs=(), latency_ms=0):
        self._lock = threading.Lock()
        self._rules = [FaultRule(spec) for spec in specs]
        self._latency_ms = latency_ms

    def decide(self, method, path):
        outcome = Outcome(latency_ms=self._latency_ms)
        with self._lock:
            for rule in self._rules:
                if not rule.matches(method, path):
                    continue
                rule.fired += 1
                outcome.latency_ms += rule.latency_ms
                if rule.drop:
                    outcome.drop = True
                    return outcome
                if rule.status:
                    outcome.error = rule.error()
                    return outcome
        return outcome
