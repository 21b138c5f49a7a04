"""SARIF 2.1.0 writer: the findings of a report as one run of the tool ``sig-doctor``."""

import json

from azext_sig_doctor.checks import registry
from azext_sig_doctor.checks.registry import FAIL, PASS, SKIP, WARN

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://learn.microsoft.com/azure/virtual-machines/troubleshooting-shared-images"

# SARIF: only results of kind "fail" carry a level other than "none".
_KIND_AND_LEVEL = {FAIL: ("fail", "error"), WARN: ("fail", "warning"), PASS: ("pass", "none"),
                   SKIP: ("notApplicable", "none")}


def _tool_version():
    try:
        from importlib.metadata import version
        return version("sig-doctor")
    except Exception:  # pylint: disable=broad-except
        return None


def to_sarif(report):
    rules, index = [], {}
    for finding in report.findings:
        if finding["rule"] in index:
            continue
        index[finding["rule"]] = len(rules)
        rules.append({
            "id": finding["rule"],
            "name": finding["rule"].replace(".", "/"),
            "shortDescription": {"text": registry.get(finding["rule"]).title},
            "helpUri": INFORMATION_URI,
            "properties": {"error_id": finding["error_id"]},
        })
    target = report.target()
    location_name = target.get("version_id") or target.get("image_id") or target.get("gallery_id") or \
        target.get("image") or target.get("kind")
    results = []
    for finding in report.findings:
        kind, level = _KIND_AND_LEVEL[finding["status"]]
        text = finding["detail"]
        if finding["fix"]:
            text = "{} Fix: {}".format(text, finding["fix"])
        results.append({
            "ruleId": finding["rule"],
            "ruleIndex": index[finding["rule"]],
            "kind": kind,
            "level": level,
            "message": {"text": text or finding["title"]},
            "locations": [{"logicalLocations": [{"fullyQualifiedName": location_name, "kind": "resource"}]}],
            "properties": {"error_id": finding["error_id"], "status": finding["status"],
                           "title": finding["title"], "commands": finding["commands"]},
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
            "invocations": [{"executionSuccessful": True}],
            "properties": {"target": dict(target), "summary": dict(report.summary)},
            "results": results,
        }],
    }


def write_sarif(report, path):
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(to_sarif(report), handle, indent=2)
