"""Fold the observations into findings: one per failed operation, duplicates counted.

* The same error on the same resource is one finding; each further request (or command) that
  hit it again adds one to ``count``.
* A client's echo of the error its request just received (the ``ERROR:`` line after the response
  body, a PowerShell error record after the HTTP response) is the same failure: folded, not counted.
* A restatement right after an error (same code, one message the start of the other, as when
  Packer prints a message cut at its first line break and then in full) is the same failure too:
  the better-explained of the two is kept.
* An error whose details are separate failures (a deployment that failed on two resources) is one
  finding per failing detail; its client's echo is still the same failure as the whole error.
"""

from azext_sig_doctor.explain import match

MAX_FINDINGS = 1000


def _normal(text):
    return " ".join((text or "").lower().split())


class Folder:
    def __init__(self):
        self.findings = []
        self._by_key = {}
        self._last_serial = {}
        self._responses = {}  # serial -> findings answered by a response in that request
        self.dropped = 0
        self._previous = None  # (finding, observation) of the last observation added

    def _echo_target(self, observation):
        if observation.kind != "echo" or not observation.serial:
            return None
        for finding, top_code, top_message in self._responses.get(observation.serial, ()):
            if (observation.code and observation.code == top_code) or _normal(observation.message) == top_message:
                return finding
        return None

    def _restates_previous(self, observation):
        if self._previous is None or observation.kind != "echo":
            return False
        finding, previous = self._previous
        if previous.code != observation.code or abs(observation.line - previous.line) > 10 or \
                previous.serial != observation.serial:
            return False
        first, second = _normal(previous.message), _normal(observation.message)
        shorter, longer = sorted((first, second), key=len)
        return len(shorter) >= 20 and longer.startswith(shorter)

    def _replace(self, old, new, new_key):
        """Put the better finding ``new`` in the place (and line) of ``old``."""
        for key, value in list(self._by_key.items()):
            if value is old:
                del self._by_key[key]
                self._by_key[new_key] = old
                self._last_serial[new_key] = self._last_serial.pop(key, 0)
        line, count = old["line"], old["count"]
        old.clear()
        old.update(new, line=line, count=count)

    def add(self, observation):
        target = self._echo_target(observation)
        if target is not None:
            return
        for failure in match.failures(observation):
            self._add_failure(failure, observation)

    def _add_failure(self, observation, whole):
        """Add one failure of the error ``whole`` (the error itself when it is one failure)."""
        identity = match.identify(observation)
        key = match.fold_key(observation, identity)
        if self._restates_previous(observation):
            # What was said around the first statement is said about this one too.
            previous = self._previous[1]
            observation.kinds.update(previous.kinds)
            for key, value in previous.hints.items():
                observation.hints.setdefault(key, value)
            identity = match.identify(observation)
            key = match.fold_key(observation, identity)
            finding = match.to_finding(observation, identity)
            previous_finding = self._previous[0]
            if (finding["id"] and not previous_finding["id"]) or (
                    bool(finding["id"]) == bool(previous_finding["id"])
                    and len(finding["message"] or "") > len(previous_finding["message"] or "")):
                self._replace(previous_finding, finding, key)
            self._previous = (previous_finding, observation)
            return
        self._add_finding(observation, identity, key, whole)

    def _add_finding(self, observation, identity, key, whole):
        existing = self._by_key.get(key)
        if existing is not None:
            if observation.serial != self._last_serial.get(key) or not observation.serial and \
                    observation.kind == "response":
                existing["count"] += 1
            self._last_serial[key] = observation.serial
            finding = existing
        elif len(self.findings) >= MAX_FINDINGS:
            self.dropped += 1
            return
        else:
            finding = match.to_finding(observation, identity)
            self._by_key[key] = finding
            self._last_serial[key] = observation.serial
            self.findings.append(finding)
        if observation.kind == "response" and observation.serial:
            # The client echoes the whole error (its top code and message), not one of its details.
            self._responses.setdefault(observation.serial, []).append(
                (finding, whole.code, _normal(whole.message)))
        self._previous = (finding, observation)
