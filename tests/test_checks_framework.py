"""The check framework without az: KB alignment, request parsing, fetcher, report, SARIF and JUnit."""

import json
import os
import threading
import time
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from azure.cli.core.azclierror import ArgumentUsageError, InvalidArgumentValueError

from azext_sig_doctor import knowledge
from azext_sig_doctor.checks import registry
from azext_sig_doctor.checks.fetch import OK, Fetcher, Read
from azext_sig_doctor.domain import request as requests
from azext_sig_doctor.checks.junit import to_junit
from azext_sig_doctor.checks.sarif import to_sarif
from tests.test_checks_rules import IMAGE, VM, World, rid, run

SARIF_SCHEMA = os.path.join(os.path.dirname(__file__), "schemas", "sarif-schema-2.1.0.json")


# ---- rules and knowledge base name each other ----------------------------------------------------

def test_every_kb_rule_exists_with_that_entry():
    from azext_sig_doctor.estate import rules as estate_rules  # the scan's rules prevent entries too
    rules = {rule.id: rule for rule in registry.all_rules()}
    rules.update(estate_rules.RULES)
    for entry in knowledge.load():
        rule_id = entry.prevented_by_rule
        if rule_id:
            assert rule_id in rules, "{} names unknown rule {}".format(entry.id, rule_id)
            assert entry.id in rules[rule_id].error_ids, (entry.id, rule_id)


def test_every_rule_prevents_kb_entries_that_name_it():
    for rule in registry.all_rules():
        for error_id in rule.error_ids:
            entry = knowledge.get(error_id)
            assert entry.prevented_by_rule == rule.id, (rule.id, error_id, entry.prevented_by_rule)


def test_offline_rules_come_before_live_rules():
    lives = [rule.live for rule in registry.all_rules()]
    assert lives == sorted(lives)
    assert lives.count(False) >= 20 and lives.count(True) >= 20


# ---- the typed request reads the az CLI formats -------------------------------------------------

def _version(**overrides):
    args = dict(resource_group_name="rg", gallery_name="g", gallery_image_name="i", gallery_image_version="1.0.0")
    args.update(overrides)
    return requests.parse("version", args, "s")


def test_target_regions_and_encryption_are_parsed_like_az():
    request = _version(
        target_regions=["eastus", "westus=3", "westeurope=2=Standard_ZRS", "northeurope=Premium_LRS"],
        target_region_encryption=["des1,0,des2", "null", "null,1,des3", "null"],
        target_region_cvm_encryption=["EncryptedWithPmk,", "EncryptedWithCmk,des4", "NonPersistedTPM,", "EncryptedWithPmk,"],
        data_snapshots=["snap0", "snap1"], data_snapshot_luns=["3", "4"])
    regions = request.target_regions
    assert [(r.name, r.replica_count, r.storage_account_type) for r in regions] == [
        ("eastus", None, None), ("westus", 3, None), ("westeurope", 2, "Standard_ZRS"),
        ("northeurope", None, "Premium_LRS")]
    des = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/diskEncryptionSets/"
    assert regions[0].encryption.os_des == des + "des1"
    assert regions[0].encryption.data == ((0, des + "des2"),)
    assert regions[1].encryption.os_des is None
    assert (regions[1].cvm.type, regions[1].cvm.des) == ("EncryptedWithCmk", des + "des4")
    assert [d.lun for d in request.source.data_disks] == [3, 4]
    assert request.source.data_disks[0].source_id.endswith("/snapshots/snap0")
    # Written back as typed: the region words and encryption entries are the user's own.
    arguments = requests.arguments_of(request)
    assert arguments["target_regions"][2] == "westeurope=2=Standard_ZRS"
    assert arguments["target_region_encryption"][0] == "des1,0,des2"


@pytest.mark.parametrize("overrides,message", [
    (dict(target_regions=["eastus=x=Standard_LRS"]), "second part must be a valid integer"),
    (dict(target_regions=["eastus=Gold_LRS"]), "neither an integer replica count or a valid storage account type"),
    # az's validator takes PremiumV2_LRS only in --storage-account-type, not inside a target region.
    (dict(target_regions=["eastus=PremiumV2_LRS"]), "neither an integer replica count"),
    (dict(target_regions=["eastus=1=PremiumV2_LRS"]), "third part is not a valid storage account type"),
    (dict(target_regions=["eastus"], target_region_encryption=["des,0"]), "should appear in pair"),
    (dict(target_regions=["eastus"], target_region_cvm_encryption=["Fancy,"]), "invalid os_cvm_encryption_type"),
    (dict(data_snapshot_luns=["0"]), "must be used together"),
    (dict(data_snapshots=["a", "b"], data_snapshot_luns=["0"]), "should be equal"),
])
def test_bad_argument_syntax_is_a_clear_error(overrides, message):
    with pytest.raises(ArgumentUsageError) as caught:
        _version(**overrides)
    assert message in str(caught.value)
    assert caught.value.recommendations


@pytest.mark.parametrize("overrides,message", [
    (dict(target_regions=["eastus"], target_region_encryption=["a", "b"]), "Length of --target-region-encryption"),
    (dict(data_snapshots=["a"], data_snapshot_luns=["zero"]), "invalid int value"),
])
def test_bad_argument_values_are_a_clear_error(overrides, message):
    with pytest.raises(InvalidArgumentValueError) as caught:
        _version(**overrides)
    assert message in str(caught.value)


def test_check_vm_needs_a_gallery_image_id():
    with pytest.raises(InvalidArgumentValueError) as caught:
        requests.parse("vm", dict(resource_group_name="rg", image="Ubuntu2204"), "s")
    assert "not the id of a gallery image" in str(caught.value)


@pytest.mark.parametrize("image, scope, latest", [
    ("/CommunityGalleries/contoso-1a2b/Images/ubuntu/Versions/latest", "community", True),
    ("/SharedGalleries/0b9c-CORPGALLERY/Images/ubuntu/Versions/1.2.0", "shared", False),
    (rid("galleries/gal/images/img"), "gallery", True),
])
def test_check_vm_takes_community_shared_and_latest_references(image, scope, latest):
    request = requests.parse("vm", dict(resource_group_name="rg", image=image), "s")
    assert (request.reference.scope, request.reference.is_latest) == (scope, latest)


def test_definition_request_sends_what_az_sends():
    request = requests.parse("definition", dict(resource_group_name="rg", gallery_name="g", gallery_image_name="i",
                                                os_type="Linux", publisher="p", offer="o", sku="s"), "s")
    assert request.hyper_v_generation == "V2" and request.os_state == "Generalized"
    assert request.sent_features == (("SecurityType", "TrustedLaunchSupported"),)
    standard = requests.parse("definition", dict(resource_group_name="rg", features="SecurityType=Standard"), "s")
    assert standard.sent_features == () and standard.security_type == "Standard"


# ---- fetcher: concurrent, once per key ------------------------------------------------------------

class SlowReader:
    def __init__(self, delay):
        self.delay = delay
        self.calls = []
        self.lock = threading.Lock()
        self.active = self.peak = 0

    def read(self, key):
        with self.lock:
            self.calls.append(key)
            self.active += 1
            self.peak = max(self.peak, self.active)
        time.sleep(self.delay)
        with self.lock:
            self.active -= 1
        return Read(OK, {"key": list(key)})


def test_prefetch_runs_reads_concurrently_and_once():
    reader = SlowReader(0.2)
    fetcher = Fetcher(reader)
    keys = [("resource", "r%d" % i) for i in range(8)]
    fetcher.prefetch(keys + keys)
    assert sorted(reader.calls) == sorted(keys)
    # All eight were under way at once: concurrent, told by the reader, not by a clock.
    assert reader.peak == 8


def test_same_key_asked_by_two_threads_is_read_once():
    reader = SlowReader(0.1)
    fetcher = Fetcher(reader)
    threads = [threading.Thread(target=fetcher.get, args=(("gallery", "g"),)) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert reader.calls == [("gallery", "g")]


def test_reader_exception_becomes_an_error_read():
    class Broken:
        def read(self, key):
            raise RuntimeError("boom")
    result = Fetcher(Broken()).get(("gallery", "g"))
    assert (result.status, result.reason) == ("failed", "error") and "boom" in result.message


# ---- report contract, exit logic, SARIF, JUnit --------------------------------------------------

def _broken_report():
    world = World()
    world.edit(IMAGE, osType="Windows")
    return run("version", world, gallery_image_version="1.0", target_regions=["westus"],
               target_region_encryption=["null"], replica_count=60)


def test_report_contract():
    report = _broken_report()
    data = json.loads(json.dumps(report.to_dict()))
    assert set(data) == {"target", "summary", "language", "fixed_command", "fixed_command_powershell", "fix_details",
                         "findings"}
    assert data["language"] == "en"
    assert data["target"]["kind"] == "version" and data["target"]["gallery"] == "gal"
    assert sum(data["summary"].values()) == len(data["findings"])
    for finding in data["findings"]:
        assert {"rule", "status", "error_id", "title", "detail", "reason", "cause", "fix", "commands",
                "command_notes", "powershell", "powershell_notes", "docs", "values", "edit", "unresolved"} <= set(finding)
        assert finding["status"] in ("pass", "fail", "warn", "skip", "unverified")
        knowledge.get(finding["error_id"])
    order = [f["status"] for f in data["findings"]]
    assert order == sorted(order, key=("fail", "unverified", "warn", "skip", "pass").index)
    failed = {f["error_id"]: f for f in data["findings"] if f["status"] == "fail"}
    assert {"version.name-format", "version.os-type-mismatch", "version.source-region-not-targeted"} <= set(failed)
    assert "Windows" in failed["version.os-type-mismatch"]["detail"]
    assert failed["version.source-region-not-targeted"]["edit"] == "add eastus to --target-regions"
    # The name 1.0 is fixed (1.0.0), but no other definition of the gallery fits the source's OS
    # type: nothing can write a command that works, and the report says why.
    assert data["fixed_command"] is None
    # Quotas are unresolved too: no argument of the command raises a quota.
    assert "version.os-type-mismatch" in {u["error_id"] for u in data["fix_details"]["unresolved"]}


def test_fail_on_levels():
    report = _broken_report()
    assert report.exit_code("error") == 1 and report.exit_code("never") == 0
    assert report.exit_code() == report.exit_code("unverified") == 1
    warn_only = run("version", target_regions=["eastus=30", "westus=30"])
    assert {f["status"] for f in warn_only.findings} == {"pass", "warn", "skip"} or \
        {f["status"] for f in warn_only.findings} == {"pass", "warn"}
    assert warn_only.exit_code("error") == 0
    assert warn_only.exit_code("warning") == 1


def test_sarif_validates_against_the_schema():
    with open(SARIF_SCHEMA, encoding="utf-8") as handle:
        schema = json.load(handle)
    report = _broken_report()
    sarif = to_sarif(report)
    jsonschema.validate(sarif, schema)
    run = sarif["runs"][0]
    results = run["results"]
    # Failures and warnings are results; passes are listed; skips are tool notifications.
    problems = [f for f in report.findings if f["status"] in ("fail", "warn")]
    assert len(results) == len(problems)
    levels = {r["ruleId"]: (r["kind"], r["level"]) for r in results}
    assert levels["version.name-format"] == ("fail", "error")
    assert levels["limits.within-gallery-quotas"] == ("fail", "warning")
    assert "version.unique-luns" in run["properties"]["passed"]
    assert len(run["properties"]["passed"]) == sum(f["status"] == "pass" for f in report.findings)
    notified = [n["associatedRule"]["id"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert notified == [f["rule"] for f in report.findings if f["status"] == "skip"]
    rules = run["tool"]["driver"]["rules"]
    assert all(results[i]["ruleId"] == rules[results[i]["ruleIndex"]]["id"] for i in range(len(results)))
    # GitHub's upload-sarif refuses a result without a physical artifact location.
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results)
    assert len({r["partialFingerprints"]["primaryLocationLineHash"] for r in results}) == len(results)


def test_sarif_schema_rejects_a_broken_log():
    with open(SARIF_SCHEMA, encoding="utf-8") as handle:
        schema = json.load(handle)
    sarif = to_sarif(_broken_report())
    sarif["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(sarif, schema)


def test_junit_is_well_formed_and_counts_right(tmp_path):
    report = _broken_report()
    path = tmp_path / "checks.xml"
    tree = to_junit(report, "error")
    assert report.summary["unverified"] == 0
    tree.write(str(path), encoding="utf-8", xml_declaration=True)
    root = ET.parse(str(path)).getroot()
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(report.findings) == int(suite.get("tests"))
    failures = [c for c in cases if c.find("failure") is not None]
    assert len(failures) == report.summary["fail"] == int(suite.get("failures"))
    assert int(suite.get("skipped")) == report.summary["skip"]
    strict = to_junit(report, "warning").getroot().find("testsuite")
    assert int(strict.get("failures")) == report.summary["fail"] + report.summary["warn"]


def test_secrets_in_arguments_never_reach_the_report():
    report = run("vm", admin_password="Sup3r$ecretPassw0rd!", image=rid("galleries/gal/images/img"))
    text = json.dumps(report.to_dict())
    assert "Sup3r$ecret" not in text


def test_source_vm_facts_come_from_its_disks():
    world = World()
    report = run("version", world)
    assert ("resource", rid("disks/data2")) in world.keys and ("resource", VM) in world.keys
    found = {f["rule"]: f for f in report.findings}
    assert "4 source disks" in found["version.source-size"]["detail"]
    assert found["version.architecture-matches"]["status"] == "pass"


def test_live_checks_without_a_login_say_how_to_go_on():
    from azure.cli.core.azclierror import UnauthorizedError
    from azext_sig_doctor.checks.cli import subscription_of

    class _NotLoggedIn:
        cli_ctx = None  # the CLI's profile cannot find an account through it

    assert subscription_of(_NotLoggedIn(), offline=True) is None
    with pytest.raises(UnauthorizedError) as raised:
        subscription_of(_NotLoggedIn(), offline=False)
    assert "--offline" in " ".join(raised.value.recommendations)
