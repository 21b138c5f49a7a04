"""Fold the observations into findings: one per failed operation, duplicates counted.

* The same error on the same resource is one finding; each further request (or command) that
  hit it again adds one to ``count``.
* A client's echo of the error its request just received (the ``ERROR:`` line after the response
  body, a PowerShell error record after the HTTP response) is the same failure: folded, not counted.
"""

from azext_sig_doctor.explain import match

MAX_FINDINGS = 10000


def _normal(text):
    return " ".join((text or "").lower().split())


class Folder:
    def __init__(self):
        self.findings = []
        self._by_key = {}
        self._last_serial = {}
        self._responses = {}  # serial -> findings answered by a response in that request
        self.dropped = 0

    @staticmethod
    def _key(finding):
        resource = finding["resource"] or {}
        where = resource.get("id") or tuple(sorted(resource.items()))
        if finding["id"]:
            return (finding["id"], tuple(sorted(finding["values"].items())), where)
        return (None, finding["code"], _normal(finding["message"]), where)

    def _echo_target(self, observation):
        if observation.kind != "echo" or not observation.serial:
            return None
        for finding, top_code, top_message in self._responses.get(observation.serial, ()):
            if (observation.code and observation.code == top_code) or _normal(observation.message) == top_message:
                return finding
        return None

    def add(self, observation):
        target = self._echo_target(observation)
        if target is not None:
            return
        finding = match.to_finding(observation)
        key = self._key(finding)
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
            self._by_key[key] = finding
            self._last_serial[key] = observation.serial
            self.findings.append(finding)
        if observation.kind == "response" and observation.serial:
            self._responses.setdefault(observation.serial, []).append(
                (finding, observation.code, _normal(observation.message)))
