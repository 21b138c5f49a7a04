"""Findings and the report of one check run (the output contract scripts depend on).

``Report.to_dict()`` is what ``-o json`` prints: ``{target, summary, findings}``; every finding has
``rule``, ``status`` (pass|fail|warn|skip), ``error_id`` (the knowledge-base id), ``title``,
``detail`` (what was observed, with the real values), ``fix`` and ``commands``.
"""

from collections import OrderedDict

from azext_sig_doctor.checks.registry import FAIL, PASS, SKIP, WARN

STATUS_ORDER = (FAIL, WARN, SKIP, PASS)
FAIL_ON = ("error", "warning", "never")
# Spec keys worth echoing as the report's target (never credentials: the spec holds none).
_TARGET_KEYS = ("kind", "subscription", "resource_group", "location", "gallery", "image", "version",
                "gallery_id", "image_id", "version_id")


def _mask(text):
    from azext_sig_doctor.secrets import mask
    return mask(text) if isinstance(text, str) else text


def _entry(error_id):
    from azext_sig_doctor import knowledge
    try:
        return knowledge.get(error_id)
    except (KeyError, OSError):
        return None


def _placeholder_values(spec, values):
    base = {"subscription": spec.get("subscription"), "resource_group": spec.get("resource_group"),
            "gallery": spec.get("gallery"), "image": spec.get("image"),
            "version": spec.get("version"), "region": spec.get("location")}
    if spec["kind"] == "vm":
        base.update(_vm_placeholder_values(spec))
    if spec["kind"] == "version" and spec.get("source"):
        from azext_sig_doctor.checks.facts import primary_source
        base["source_id"] = primary_source(spec)[1]
    base.update({k: v for k, v in values.items() if v is not None})
    return {k: _mask(str(v)) for k, v in base.items() if v not in (None, "")}


def _vm_placeholder_values(spec):
    """A VM's gallery commands go to the gallery named by --image, which may be in another resource
    group or subscription than the VM; the VM's own group and name stay under vm_* (or disk)."""
    values = {"resource_group": spec.get("gallery_resource_group"), "subscription": spec.get("gallery_subscription"),
              "image": spec.get("image_name"), "image_id": spec.get("image"),
              "vm_resource_group": spec.get("resource_group"), "vm_subscription": spec.get("subscription")}
    values["disk" if spec.get("for_disk") else "vm"] = spec.get("vm_name")
    return values


def make_finding(spec, rule, outcome):
    values = _placeholder_values(spec, outcome.values)
    error_id = rule.error_id_for(outcome)
    problem = outcome.status in (FAIL, WARN)
    # Loading the knowledge base costs a few hundred ms; a clean report never needs it.
    entry = _entry(error_id) if problem else None
    finding = OrderedDict()
    finding["rule"] = rule.id
    finding["status"] = outcome.status
    finding["error_id"] = error_id
    finding["title"] = entry.title if (problem and entry is not None) else rule.title
    finding["detail"] = _mask(outcome.detail)
    if problem and entry is not None:
        from azext_sig_doctor.knowledge import fill
        finding["fix"] = fill(entry.data.get("fix") or "", values).strip()
        steps = entry.steps_for(values)
        finding["commands"] = [step.command for step in steps]
        finding["command_notes"] = [step.note for step in steps]
    else:
        finding["fix"] = ""
        finding["commands"] = []
        finding["command_notes"] = []
    finding["values"] = values if problem else {}
    return finding


class Report:
    def __init__(self, spec, findings, offline=False, requests=None):
        self.spec = spec
        self.offline = offline
        self.requests = requests
        order = {status: index for index, status in enumerate(STATUS_ORDER)}
        # Failures first; within a status the registry's order (offline rules before live ones).
        self.findings = sorted(findings, key=lambda f: order[f["status"]])

    @property
    def summary(self):
        counts = OrderedDict((status, 0) for status in (PASS, FAIL, WARN, SKIP))
        for finding in self.findings:
            counts[finding["status"]] += 1
        return counts

    def target(self):
        target = OrderedDict((key, self.spec.get(key)) for key in _TARGET_KEYS if self.spec.get(key))
        target["offline"] = self.offline
        return target

    def to_dict(self):
        return OrderedDict([("target", self.target()), ("summary", self.summary), ("findings", self.findings)])

    def failed(self, fail_on="error"):
        """True when the findings reach the ``--fail-on`` level (error, warning or never)."""
        if fail_on == "never":
            return False
        levels = (FAIL,) if fail_on == "error" else (FAIL, WARN)
        return any(f["status"] in levels for f in self.findings)

    def unverified(self):
        """Findings skipped because a read was refused or failed: rules this report does not cover."""
        from azext_sig_doctor.checks.fetch import NO_ACCESS, READ_FAILED
        return [f for f in self.findings if f["status"] == SKIP and f["detail"].startswith((NO_ACCESS, READ_FAILED))]

    def exit_code(self, fail_on="error"):
        return 1 if self.failed(fail_on) else 0
