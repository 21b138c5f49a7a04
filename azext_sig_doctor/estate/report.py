"""The scan's report, built on the checks' report contract, SARIF and JUnit writers.

This is the one module that ties the scan to ``checks.report``, ``checks.sarif`` and
``checks.junit``: findings are made by ``checks.report.make_finding`` (same fields as a check's)
and each gallery resource with something to say is a ``checks.report.Report`` of its own, about a
``ScannedTarget``. The statuses and ``--fail-on`` levels are the checks' own; what is added here
is a report of many targets in one SARIF run and one JUnit document.
"""

from collections import Counter, OrderedDict
from dataclasses import dataclass
from typing import Optional

from azext_sig_doctor.checks.registry import FAIL, PASS, SKIP, UNVERIFIED, WARN
from azext_sig_doctor.checks.report import DEFAULT_FAIL_ON, FAIL_ON as _REACHED, Report, make_finding

SUMMARY_ORDER = (PASS, FAIL, WARN, SKIP, UNVERIFIED)
FAIL_ON = tuple(_REACHED)
# What a target lists: the findings someone must act on or know about. Passes and skips are counted.
SHOWN = (FAIL, UNVERIFIED, WARN)


def finding(target, rule, outcome):
    return make_finding(target, rule, outcome)


@dataclass(frozen=True)
class ScannedTarget:
    """One scanned resource (kind gallery, definition, version) or the scope itself, read by the
    checks' report like a typed request: names for the knowledge base's commands and the id SARIF
    points at. A scan has no source to tell, so ``source`` is None."""

    kind: str
    subscription: Optional[str] = None
    resource_group: Optional[str] = None
    location: Optional[str] = None
    gallery: Optional[str] = None
    image: Optional[str] = None
    version: Optional[str] = None
    resource_id: Optional[str] = None
    scope: Optional[str] = None
    source = None


def target_spec(kind, resource_id, location=None):
    """The scanned resource as a ``ScannedTarget``; ``resource_id`` is the scope's text for kind scope."""
    if kind == "scope":
        return ScannedTarget(kind="scope", scope=resource_id)
    names = resource_id.names
    return ScannedTarget(kind=kind, subscription=resource_id.subscription,
                         resource_group=resource_id.resource_group, location=location or None,
                         gallery=names[0], image=names[1] if len(names) > 1 else None,
                         version=names[2] if len(names) > 2 else None, resource_id=str(resource_id))


class TargetReport(Report):
    """One gallery resource's findings, in the checks' ``{target, summary, findings}`` shape."""

    def target(self):
        target = super().target()
        target.pop("offline", None)
        if self.request.scope:
            target["scope"] = self.request.scope
        return target

    def to_dict(self):
        # A scan suggests commands per finding; there is no one command line to fix.
        return OrderedDict([("target", self.target()), ("summary", self.summary), ("findings", self.findings)])


class ScanReport:
    """``scope`` (what was scanned and how), ``counts`` of every rule outcome (shown or not),
    ``targets`` (``TargetReport`` of each resource with a finding to show), ``rules`` evaluated."""

    def __init__(self, scope, targets, counts, rules):
        self.scope = scope
        self.targets = targets
        self.counts = Counter(counts)
        self.rules = rules

    @property
    def summary(self):
        return OrderedDict((status, self.counts.get(status, 0)) for status in SUMMARY_ORDER)

    def findings(self, statuses=SHOWN):
        return [item for target in self.targets for item in target.findings if item["status"] in statuses]

    def to_dict(self):
        from azext_sig_doctor.i18n import current
        return OrderedDict([("scope", self.scope), ("summary", self.summary), ("language", current()),
                            ("targets", [target.to_dict() for target in self.targets])])

    def failed(self, fail_on=DEFAULT_FAIL_ON):
        return bool(self.findings(_REACHED[fail_on]))

    def exit_code(self, fail_on=DEFAULT_FAIL_ON):
        return 1 if self.failed(fail_on) else 0

    def unverified(self):
        return self.findings((UNVERIFIED,))


# ---- SARIF: one run, every result located at its own resource -----------------------------------

def to_sarif(scan, locate=None):
    """The checks' SARIF layout (``checks.sarif``) over many targets: failures and warnings are
    results located at their resource (or where ``locate(target, finding)`` says: check-build
    points at the template's file and line); unverified rules are tool notifications; rules
    without a problem anywhere are listed in the run's properties."""
    from azext_sig_doctor.checks import sarif
    descriptors, index = [], {}
    for item in scan.rules:
        index[item.id] = len(descriptors)
        descriptors.append(sarif.rule_descriptor(item))
    results, notifications, troubled = [], [], set()
    for target in scan.targets:
        uri = sarif._artifact_uri(target.target())  # pylint: disable=protected-access
        location = {"physicalLocation": {"artifactLocation": {"uri": uri}},
                    "logicalLocations": [{"fullyQualifiedName": "/" + uri if "/" in uri else uri,
                                          "kind": "resource"}]}
        for item in target.findings:
            troubled.add(item["rule"])
            reference = {"id": item["rule"], "index": index[item["rule"]]}
            if locate is not None:
                location = locate(target, item)
            if item["status"] == UNVERIFIED:
                notifications.append({"level": "warning", "message": {"text": "not verified: " + item["detail"]},
                                      "associatedRule": reference, "locations": [location]})
                continue
            if item["status"] not in (FAIL, WARN):
                continue
            text = item["detail"] + (" Fix: " + item["fix"] if item["fix"] else "")
            results.append({
                "ruleId": item["rule"], "ruleIndex": index[item["rule"]], "kind": "fail",
                "level": "error" if item["status"] == FAIL else "warning",
                "message": {"text": text or item["title"]}, "locations": [location],
                "partialFingerprints": {"primaryLocationLineHash": sarif._fingerprint(  # pylint: disable=protected-access
                    item["rule"], location["physicalLocation"]["artifactLocation"]["uri"])},
                "properties": {"error_id": item["error_id"], "status": item["status"], "title": item["title"],
                               "commands": item["commands"]},
            })
    driver = {"name": "sig-doctor", "informationUri": sarif.INFORMATION_URI, "rules": descriptors}
    version = sarif._tool_version()  # pylint: disable=protected-access
    if version:
        driver["version"] = version
    return {"$schema": sarif.SCHEMA_URI, "version": "2.1.0", "runs": [{
        "tool": {"driver": driver},
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "properties": {"scope": scan.scope, "summary": dict(scan.summary),
                       "passed": [item.id for item in scan.rules if item.id not in troubled]},
        "results": results}]}


def write_sarif(scan, path):
    import json
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(to_sarif(scan), handle, indent=2)


# ---- JUnit: one test suite per resource, through the checks' writer ------------------------------

class _JunitView:
    """A target as ``checks.junit`` reads it, with ``unverified`` told in the statuses it knows:
    a failure when ``--fail-on`` reaches it, else skipped."""

    def __init__(self, target, fail_on):
        unverified_as = FAIL if UNVERIFIED in _REACHED[fail_on] else SKIP
        self.request = target.request
        self.findings = [dict(item, status=unverified_as, title="not verified: " + item["title"])
                         if item["status"] == UNVERIFIED else item for item in target.findings]


def to_junit(scan, fail_on=DEFAULT_FAIL_ON, label="scan", name_of=None):
    """One test suite per target (named by ``name_of(target)``, default its resource id)."""
    import xml.etree.ElementTree as ET
    from azext_sig_doctor.checks.junit import to_junit as target_junit
    # checks.junit knows error, warning and never; unverified is mapped above, so "error" is its level.
    check_level = {"unverified": "error"}.get(fail_on, fail_on)
    suites = ET.Element("testsuites", name="sig-doctor")
    troubled = set()
    for target in scan.targets:
        suite = target_junit(_JunitView(target, fail_on), check_level).getroot().find("testsuite")
        resource = target.target()
        suite.set("name", "sig-doctor {} {}".format(label, name_of(target) if name_of else (
            resource.get("resource_id") or resource.get("scope") or "scope")))
        suites.append(suite)
        troubled.update(item["rule"] for item in target.findings)
    clean = ET.SubElement(suites, "testsuite", name="sig-doctor {}: rules without findings".format(label))
    for item in scan.rules:
        if item.id not in troubled:
            ET.SubElement(clean, "testcase", classname="sig-doctor.{}".format(label), name=item.id)
    clean.set("tests", str(len(clean)))
    for attribute in ("failures", "errors", "skipped"):
        clean.set(attribute, "0")
    for attribute in ("tests", "failures", "errors"):
        suites.set(attribute, str(sum(int(suite.get(attribute, "0")) for suite in suites)))
    return ET.ElementTree(suites)


def write_junit(scan, path, fail_on=DEFAULT_FAIL_ON):
    import xml.etree.ElementTree as ET
    tree = to_junit(scan, fail_on)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
