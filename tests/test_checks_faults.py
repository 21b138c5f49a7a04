"""The real `az sig doctor check-version` when reads are throttled, refused or failing, its report
files (SARIF validated against the 2.1.0 schema, JUnit XML) and --offline."""

import json
import os
import time
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from tests.emulator.scenario import read_scenario
from tests.test_checks_e2e import GOOD_VM, VERSION

SARIF_SCHEMA = os.path.join(os.path.dirname(__file__), "schemas", "sarif-schema-2.1.0.json")
GOOD = VERSION + ["--virtual-machine", GOOD_VM, "--target-regions", "eastus", "westus"]


def _world(**extra):
    data = read_scenario("checks/world.yaml")
    for key, value in extra.items():
        data[key] = list(data.get(key) or []) + value
    return data


def _findings(result):
    assert result.json is not None, result.stderr[-2000:]
    return {f["rule"]: f for f in result.json["findings"]}


def test_throttled_reads_are_retried_after_the_servers_delay(emulator):
    emulator.load(_world(faults=[{"method": "GET", "path": "/virtualMachines/goodVm", "status": 429,
                                  "count": 2, "retry_after": 1}]))
    started = time.monotonic()
    result = emulator.az("sig", "doctor", *GOOD, "-o", "json")
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.stderr[-1000:]
    findings = _findings(result)
    assert findings["version.source-os-state"]["status"] == "pass"
    statuses = [e["status"] for e in emulator.journal() if e["path"].endswith("/virtualMachines/goodVm")]
    assert statuses == [429, 429, 200]
    assert elapsed >= 2.0   # two Retry-After: 1 waits


def test_a_refused_read_skips_the_rules_that_need_it(emulator, tmp_path):
    emulator.load(_world(access=[{"path": "/virtualMachines/goodVm", "methods": ["GET"],
                                  "code": "AuthorizationFailed"}]))
    sarif_path = tmp_path / "checks.sarif"
    result = emulator.az("sig", "doctor", *GOOD, "--report-format", "sarif", "--report-file", str(sarif_path),
                         "-o", "json")
    assert result.exit_code == 0, result.stderr[-1000:]
    findings = _findings(result)
    for rule in ("version.source-os-state", "version.source-hyperv-generation", "version.source-size"):
        assert findings[rule]["status"] == "skip"
        assert findings[rule]["detail"] == "no read access to the source VM goodVm"
    assert findings["version.definition-exists"]["status"] == "pass"
    assert findings["version.name-format"]["status"] == "pass"
    # Exit 0 (no rule failed), but stderr says the gate did not cover what it could not read.
    assert "rule(s) could not run, so this report does not cover them: no read access to the source VM goodVm" \
        in result.stderr
    with open(SARIF_SCHEMA, encoding="utf-8") as handle:
        schema = json.load(handle)
    with open(sarif_path, encoding="utf-8") as handle:
        sarif = json.load(handle)
    jsonschema.validate(sarif, schema)
    notes = {n["associatedRule"]["id"]: n for n in sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]}
    assert notes["version.source-os-state"]["message"]["text"] == "not checked: no read access to the source VM goodVm"
    assert sarif["runs"][0]["results"] == []


def test_a_failing_read_does_not_hide_the_other_findings(emulator, tmp_path):
    emulator.load(_world(faults=[{"method": "GET", "path": "/images/linuxGen2$", "status": 500}]))
    junit_path = tmp_path / "checks.xml"
    args = VERSION[:-1] + ["1.0", "--virtual-machine", GOOD_VM, "--target-regions", "westus"]
    result = emulator.az("sig", "doctor", *args, "--report-format", "junit", "--report-file", str(junit_path),
                         "-o", "table")
    assert result.exit_code == 1
    rows = [line for line in result.stdout.splitlines() if line.strip()]
    assert rows[0].split()[:2] == ["Status", "Rule"]
    statuses = [row.split()[0] for row in rows[2:]]
    assert statuses[:2] == ["FAIL", "FAIL"] and "PASS" in statuses
    assert statuses == sorted(statuses, key=["FAIL", "WARN", "SKIP", "PASS"].index)
    suite = ET.parse(str(junit_path)).getroot().find("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert cases["version.name-format"].find("failure") is not None
    assert cases["version.target-regions-include-source"].find("failure") is not None
    skipped = cases["version.source-os-state"].find("skipped")
    assert skipped is not None and "could not read the image definition: 500" in skipped.get("message")
    assert int(suite.get("failures")) == 2


def test_offline_sends_nothing(emulator):
    emulator.load("checks/world.yaml")
    args = VERSION[:-1] + ["1.0", "--virtual-machine", GOOD_VM]
    result = emulator.az("sig", "doctor", *args, "--offline", "-o", "json")
    assert result.exit_code == 1
    assert result.json["target"]["offline"] is True
    findings = _findings(result)
    assert findings["version.name-format"]["status"] == "fail"
    assert findings["version.source-os-state"]["detail"].startswith("not checked offline")
    assert [e for e in emulator.journal() if "/oauth2/" not in e["path"]] == []


@pytest.mark.parametrize("args,message", [
    (["check-vm", "-g", "chk-rg", "--image", "Ubuntu2204"], "not the id of a gallery image"),
    (VERSION + ["--virtual-machine", GOOD_VM, "--target-regions", "eastus=two=Standard_LRS"],
     "second part must be an integer"),
    (VERSION + ["--virtual-machine", GOOD_VM, "--report-format", "sarif"], "--report-format and --report-file"),
])
def test_bad_input_is_a_clear_error(emulator, args, message):
    result = emulator.az("sig", "doctor", *args, "--offline")
    assert result.exit_code != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_unregistered_provider_is_caught_before_the_create_and_the_create_fails(emulator):
    from tests.test_checks_e2e import SUB
    data = read_scenario("checks/world.yaml")
    data["unregistered_subscriptions"] = [SUB]
    emulator.load(data)
    gallery = ["-g", "chk-rg", "-r", "newGallery", "-l", "eastus"]
    checked = emulator.az("sig", "doctor", "check-gallery", *gallery, "-o", "json")
    assert checked.exit_code == 1, checked.stderr[-1000:]
    failing = {f["error_id"] for f in checked.json["findings"] if f["status"] == "fail"}
    assert failing == {"gallery.provider-not-registered"}
    assert [e for e in emulator.journal() if e["method"] != "GET"] == []
    created = emulator.az("sig", "create", *gallery)
    assert created.exit_code != 0 and "MissingSubscriptionRegistration" in created.stderr
    explained = emulator.az("sig", "doctor", "explain", "--log", "-", "-o", "json", input=created.stderr)
    assert [finding["id"] for finding in explained.json] == ["gallery.provider-not-registered"]

    data["unregistered_subscriptions"] = []
    emulator.load(data)
    fixed = emulator.az("sig", "doctor", "check-gallery", *gallery, "-o", "json")
    assert fixed.exit_code == 0, fixed.stderr[-1000:]
