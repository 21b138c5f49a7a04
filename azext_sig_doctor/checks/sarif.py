"""SARIF 2.1.0 writer: the findings of a report as one run of the tool ``sig-doctor``."""

import hashlib
import json

from azext_sig_doctor.checks import registry
from azext_sig_doctor.checks.registry import FAIL, PASS, SKIP, UNVERIFIED, WARN
from azext_sig_doctor.rule_catalog import INFORMATION_URI

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"

# A rule that could not run is no pass: it is a result to review, so a dashboard shows it.
_KIND_AND_LEVEL = {FAIL: ("fail", "error"), WARN: ("fail", "warning"), UNVERIFIED: ("review", "warning")}


def _tool_version():
    try:
        from importlib.metadata import version
        return version("sig-doctor")
    except Exception:  # pylint: disable=broad-except
        return None


def _artifact_uri(target):
    """Where the results point: the Azure resource checked, as a relative URI (its resource id
    without the leading slash). Code scanning services (GitHub's upload-sarif) refuse results
    without a physical location, and there is no source file behind an Azure resource."""
    resource = target.get("resource_id") or (target.get("image") if target.get("kind") == "vm" else None)
    if resource:
        return resource.lstrip("/")
    return "sig-doctor/{}".format(target.get("kind") or "check")


def _fingerprint(rule_id, uri):
    # Stable across runs for the same rule on the same resource, so a dashboard keeps one alert.
    return hashlib.sha256("{}|{}".format(rule_id, uri.lower()).encode("utf-8")).hexdigest()[:32]


def rule_descriptor(rule):
    """A rule's SARIF descriptor, from the one description of a rule (``rule_catalog``): its docstring,
    its knowledge-base entry's documentation as help, and the level its findings have."""
    from azext_sig_doctor import rule_catalog
    return {
        "id": rule.id,
        "name": rule.id.replace(".", "/"),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description or rule.title},
        "help": {"text": rule_catalog.help_text(rule)},
        "helpUri": rule_catalog.docs(rule),
        "defaultConfiguration": {"level": rule_catalog.level(rule)},
        "properties": {"error_id": rule.error_id, "error_ids": list(rule.error_ids), "live": rule.live},
    }


def to_sarif(report):
    """Failures and warnings are the results; a rule that could not run is a tool notification
    (kind "notApplicable" results become alerts on some dashboards), and the passed rules are
    listed in the run's properties, so nothing of the report is lost."""
    rules, index = [], {}
    for finding in report.findings:
        if finding["rule"] in index:
            continue
        index[finding["rule"]] = len(rules)
        rules.append(rule_descriptor(registry.get(finding["rule"])))
    target = report.target()
    uri = _artifact_uri(target)
    location = {"physicalLocation": {"artifactLocation": {"uri": uri}},
                "logicalLocations": [{"fullyQualifiedName": "/" + uri if "/" in uri else uri, "kind": "resource"}]}
    results, notifications, passed = [], [], []
    for finding in report.findings:
        if finding["status"] == PASS:
            passed.append(finding["rule"])
            continue
        reference = {"id": finding["rule"], "index": index[finding["rule"]]}
        if finding["status"] == SKIP:
            notifications.append({"level": "note", "message": {"text": "not checked: " + finding["detail"]},
                                  "associatedRule": reference})
            continue
        kind, level = _KIND_AND_LEVEL[finding["status"]]
        text = finding["detail"]
        if finding["fix"]:
            text = "{} Fix: {}".format(text, finding["fix"])
        if finding.get("edit"):
            text = "{} The fixed command {}.".format(text, finding["edit"])
        results.append({
            "ruleId": finding["rule"],
            "ruleIndex": index[finding["rule"]],
            "kind": kind,
            "level": level,
            "message": {"text": text or finding["title"]},
            "locations": [location],
            "partialFingerprints": {"primaryLocationLineHash": _fingerprint(finding["rule"], uri)},
            "properties": {"error_id": finding["error_id"], "status": finding["status"],
                           "title": finding["title"], "commands": finding["commands"],
                           "reason": finding.get("reason")},
        })
    driver = {"name": "sig-doctor", "informationUri": INFORMATION_URI, "rules": rules}
    version = _tool_version()
    if version:
        driver["version"] = version
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
            "properties": {"target": dict(target), "summary": dict(report.summary), "passed": passed,
                           "fixed_command": report.to_dict()["fixed_command"]},
            "results": results,
        }],
    }


def write_sarif(report, path):
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(to_sarif(report), handle, indent=2)
