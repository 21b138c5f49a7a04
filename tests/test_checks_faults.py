"""The real `az sig doctor check-*` when reads are throttled, refused or failing: a gate that could
not read what decides its outcome fails closed and says why (unverified, with the reason's class),
unless the user lowers the level; its report files (SARIF validated against the 2.1.0 schema,
JUnit XML) and --offline."""

import json
import os
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
    result = emulator.az("sig", "doctor", *GOOD, "-o", "json")
    assert result.exit_code == 0, result.stderr[-1000:]
    findings = _findings(result)
    assert findings["version.source-os-state"]["status"] == "pass"
    # Read again after each 429, the third time answered: the journal tells, not a clock.
    statuses = [e["status"] for e in emulator.journal() if e["path"].endswith("/virtualMachines/goodVm")]
    assert statuses == [429, 429, 200]


def test_throttling_that_outlasts_the_check_is_unverified_not_a_hang(emulator):
    # Retry-After: 3600 is not obeyed as is: the read gives up after its bounded retries, and the
    # rules that needed it are unverified (throttled), which fails the gate.
    emulator.load(_world(faults=[{"method": "GET", "path": "/virtualMachines/goodVm", "status": 429,
                                  "retry_after": 3600}]))
    result = emulator.az("sig", "doctor", *GOOD, "-o", "json", timeout=120)
    assert result.exit_code == 1, result.stderr[-1000:]
    finding = _findings(result)["version.source-os-state"]
    assert (finding["status"], finding["reason"]) == ("unverified", "throttled")
    assert "throttled" in result.stderr


def test_a_refused_read_fails_the_gate_unless_the_level_is_lowered(emulator, tmp_path):
    emulator.load(_world(access=[{"path": "/virtualMachines/goodVm", "methods": ["GET"],
                                  "code": "AuthorizationFailed"}]))
    sarif_path = tmp_path / "checks.sarif"
    result = emulator.az("sig", "doctor", *GOOD, "--report-format", "sarif", "--report-file", str(sarif_path),
                         "-o", "json")
    assert result.exit_code == 1, result.stderr[-1000:]
    findings = _findings(result)
    for rule in ("version.source-os-state", "version.source-hyperv-generation", "version.source-size"):
        assert (findings[rule]["status"], findings[rule]["reason"]) == ("unverified", "forbidden")
        assert findings[rule]["detail"].startswith("could not read the source VM goodVm (403 AuthorizationFailed)")
    assert findings["version.definition-exists"]["status"] == "pass"
    assert findings["version.name-format"]["status"] == "pass"
    assert result.json["summary"]["fail"] == 0 and result.json["summary"]["unverified"] >= 3
    # stderr says how many rules could not run, why, and what that does to the exit code.
    assert "rules could not run, so the check fails (exit code 1)" in result.stderr
    assert "forbidden: the signed-in identity may not read it" in result.stderr
    lowered = emulator.az("sig", "doctor", *GOOD, "--fail-on", "error", "-o", "json")
    assert lowered.exit_code == 0, lowered.stderr[-1000:]
    assert "--fail-on error lets the check pass without them" in lowered.stderr
    with open(SARIF_SCHEMA, encoding="utf-8") as handle:
        schema = json.load(handle)
    with open(sarif_path, encoding="utf-8") as handle:
        sarif = json.load(handle)
    jsonschema.validate(sarif, schema)
    # An unverified rule is a result to review, so a dashboard shows it; no result is an error.
    results = {r["ruleId"]: r for r in sarif["runs"][0]["results"]}
    assert (results["version.source-os-state"]["kind"], results["version.source-os-state"]["level"]) == \
        ("review", "warning")
    assert all(r["level"] != "error" for r in results.values())


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
    assert statuses[:2] == ["FAIL", "FAIL"] and "PASS" in statuses and "UNVERIFIED" in statuses
    assert statuses == sorted(statuses, key=["FAIL", "UNVERIFIED", "WARN", "SKIP", "PASS"].index)
    suite = ET.parse(str(junit_path)).getroot().find("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert cases["version.name-format"].find("failure") is not None
    assert cases["version.target-regions-include-source"].find("failure") is not None
    # The default level fails on what could not be verified: those rules are failures too.
    unverified = cases["version.source-os-state"].find("failure")
    assert unverified is not None and "could not read the image definition (500" in unverified.text
    assert int(suite.get("failures")) > 2


def test_offline_sends_nothing(emulator):
    emulator.load("checks/world.yaml")
    args = VERSION[:-1] + ["1.0", "--virtual-machine", GOOD_VM]
    result = emulator.az("sig", "doctor", *args, "--offline", "-o", "json")
    assert result.exit_code == 1
    assert result.json["target"]["offline"] is True
    findings = _findings(result)
    assert findings["version.name-format"]["status"] == "fail"
    assert findings["version.source-os-state"]["detail"].startswith("not checked: --offline")
    assert result.json["summary"]["unverified"] == 0
    assert [e for e in emulator.journal() if "/oauth2/" not in e["path"]] == []


@pytest.mark.parametrize("args,message", [
    (["check-vm", "-g", "chk-rg", "--image", "Ubuntu2204"], "not the id of a gallery image"),
    (VERSION + ["--virtual-machine", GOOD_VM, "--target-regions", "eastus=two=Standard_LRS"],
     "second part must be a valid integer replica count"),
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


# ---- fail closed: a gate that could not read what decides its outcome says so and exits non-zero --------

def test_azure_out_of_reach_fails_the_gate_and_says_why(emulator):
    emulator.load(_world(faults=[{"path": "/providers/Microsoft.Compute", "drop": True}]))
    result = emulator.az("sig", "doctor", *GOOD, "-o", "json")
    assert result.exit_code == 1, result.stderr[-1000:]
    unverified = [f for f in result.json["findings"] if f["status"] == "unverified"]
    assert unverified and {f["reason"] for f in unverified} == {"network"}
    assert "network: Azure could not be reached" in result.stderr


def test_an_unknown_subscription_is_an_error_not_a_pass(emulator):
    emulator.load("checks/world.yaml")
    result = emulator.az("sig", "doctor", *GOOD, "--subscription", "nope")
    assert result.exit_code != 0
    assert "not one this sign-in knows" in result.stderr and "az account list" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_resource_group_fails_with_its_entry(emulator):
    emulator.load("checks/world.yaml")
    result = emulator.az("sig", "doctor", "check-version", "-g", "nope-rg", "-r", "chkGallery", "-i", "linuxGen2",
                         "-e", "2.0.0", "--virtual-machine", GOOD_VM, "-l", "eastus", "-o", "json")
    assert result.exit_code == 1
    failing = {f["error_id"] for f in result.json["findings"] if f["status"] == "fail"}
    # One finding says what is wrong; the rules that need the group say they do not apply.
    assert failing == {"gallery.resource-group-not-found"}
    before = result.json["fix_details"]["before"]
    assert before and before[0]["command"] == "az group create -n nope-rg -l eastus"


def test_a_malformed_subscription_in_the_image_fails_the_gate(emulator):
    emulator.load("checks/world.yaml")
    image = "/subscriptions/not-a-subscription/resourceGroups/chk-rg/providers/Microsoft.Compute/galleries/" \
            "chkGallery/images/linuxGen2/versions/1.0.0"
    result = emulator.az("sig", "doctor", "check-vm", "-g", "chk-rg", "-l", "eastus", "--image", image, "-o", "json")
    assert result.exit_code == 1, result.stdout[-2000:]
    statuses = {f["status"] for f in result.json["findings"]}
    assert statuses & {"fail", "unverified"}


def test_ctrl_c_during_the_checks_exits_130_and_says_nothing_was_changed(emulator):
    from tests.test_create_e2e import _interrupt_when
    # The source VM takes 10 s to read; the other reads of the checks answer at once.
    emulator.load(_world(faults=[{"method": "GET", "path": "/virtualMachines/goodVm$", "latency_ms": 10000}]))

    def checks_reading(journal):
        return any(entry["method"] == "GET" and entry["path"].endswith("/images/linuxGen2") for entry in journal)
    code, stderr, journal = _interrupt_when(emulator, ["sig", "doctor", *GOOD], checks_reading)
    assert code == 130  # 128 + SIGINT, as shells expect (the CLI would say 1)
    assert "Stopped the checks of az sig doctor check-version: no report was written, and nothing was changed " \
           "(the checks only read)." in stderr
    assert "Run the same command again to get the report." in stderr
    # az had exited before the slow read was answered: it did not wait for it.
    assert not any(entry["path"].endswith("/virtualMachines/goodVm") for entry in journal)
    assert "Traceback" not in stderr
    assert not emulator.writes()
