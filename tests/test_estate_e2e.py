"""`az sig doctor scan` and `az sig doctor latest` through the real `az` against the emulator.

tests/scenarios/estate/world.yaml holds, for every estate rule, a resource that triggers it and
one that passes it (each resource says which); estate/clean.yaml passes every rule.
"""

import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest
import yaml

from tests.emulator.scenario import read_scenario
from tests.test_checks_framework import SARIF_SCHEMA

SUB1, SUB2, SUB3 = ("00000000-0000-0000-0000-00000000000{}".format(n) for n in (1, 2, 3))
IMAGES = "/subscriptions/{}/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/contosoImages".format(SUB1)
ARG_PATH = "/providers/Microsoft.ResourceGraph/resources"

# (rule, resource under contosoImages) -> status, for every finding the world must produce.
EXPECTED = {
    ("estate.latest-where-used", "ubuntu"): "fail",
    ("estate.version-where-used", "ubuntu/1.0.0"): "fail",
    ("estate.replication-failed", "ubuntu/2.0.0"): "fail",
    ("estate.deletion-blocked", "ubuntu/2.0.0"): "warn",
    ("estate.storage-types-consistent", "ubuntu/1.1.0"): "warn",
    ("estate.replication-stuck", "ubuntu/2.1.0"): "warn",
    ("estate.replicas-for-scale-sets", "ubuntu/2.1.0"): "warn",
    ("estate.end-of-life-latest", "legacy/1.0.0"): "warn",
    ("estate.definition-trusted-launch", "legacy"): "warn",
}
# Resources of the world that pass the rule beside them (they are evaluated and must stay quiet).
PASSING = [
    ("estate.version-where-used", "ubuntu/1.1.0"),          # tools runs in northeurope, where 1.1.0 is
    ("estate.replicas-for-scale-sets", "win/1.1.0"),       # batch: 40 instances on 2 replicas
    ("estate.end-of-life-latest", "win/1.0.0"),            # past end of life, but 1.1.0 is latest
    ("estate.replication-failed", "ubuntu/2.1.0"),         # still replicating, not failed
    ("estate.replication-stuck", "ubuntu/2.0.0"),          # failed, not stuck
    ("estate.storage-types-consistent", "ubuntu/1.0.0"),   # LRS everywhere
    ("estate.deletion-blocked", "win/1.1.0"),              # protected until 2099, and healthy
    ("estate.definition-trusted-launch", "ubuntu"),        # Gen2, TrustedLaunchSupported
    ("estate.latest-where-used", "win"),                   # nobody uses its latest
]


def findings(report):
    found = {}
    for target in report["targets"]:
        where = target["target"]
        resource = "/".join(where[key] for key in ("image", "version") if where.get(key)) or where.get("scope")
        for item in target["findings"]:
            found[(item["rule"], resource)] = item
    return found


@pytest.fixture(scope="module")
def world_scan(emulator):
    emulator.load("estate/world.yaml")
    result = emulator.az("sig", "doctor", "scan", "-o", "json")
    return result, emulator.journal()


def test_every_rule_fires_where_the_world_triggers_it_and_nowhere_else(world_scan):
    result, _ = world_scan
    assert result.exit_code == 1, result.stderr
    found = findings(result.json)
    assert {key: item["status"] for key, item in found.items()} == EXPECTED
    for key in PASSING:
        assert key not in found, key
    assert result.json["summary"]["fail"] == 3 and result.json["summary"]["warn"] == 6
    assert result.json["summary"]["unverified"] == 0 and result.json["summary"]["pass"] > 20
    scope = result.json["scope"]
    assert (scope["subscriptions"], scope["galleries"], scope["definitions"], scope["versions"],
            scope["scale_sets"], scope["vms"]) == (3, 2, 4, 8, 3, 2)


def test_findings_carry_the_knowledge_base_fix_and_commands_with_the_values(world_scan):
    result, _ = world_scan
    found = findings(result.json)
    failed = found[("estate.replication-failed", "ubuntu/2.0.0")]
    assert failed["error_id"] == "replication.failed-in-regions"
    assert failed["values"]["region"] == "westeurope" and failed["values"]["version"] == "2.0.0"
    assert any(command.endswith("--add publishingProfile.targetRegions name=westeurope")
               for command in failed["commands"])
    assert len(failed["command_notes"]) == len(failed["commands"])
    latest = found[("estate.latest-where-used", "ubuntu")]
    assert latest["error_id"] == "vm.definition-not-in-region" and "scale set web" in latest["detail"]
    assert "westus2" in latest["fix"]
    replicas = found[("estate.replicas-for-scale-sets", "ubuntu/2.1.0")]
    assert replicas["commands"][1].endswith("regionalReplicaCount=3")
    # The checks' finding contract, field for field.
    assert set(found[("estate.version-where-used", "ubuntu/1.0.0")]) == {
        "rule", "status", "error_id", "title", "detail", "reason", "cause", "fix", "commands", "command_notes",
        "powershell", "powershell_notes", "docs", "values", "edit", "unresolved"}


def test_the_scan_reads_through_resource_graph_and_expands_only_the_versions_that_need_it(world_scan):
    _, journal = world_scan
    calls = [entry for entry in journal if "/oauth2/" not in entry["path"]]
    assert all(entry["method"] in ("GET", "POST") for entry in calls)
    posts = [entry for entry in calls if entry["method"] == "POST"]
    assert all(entry["path"] == ARG_PATH for entry in posts) and len(posts) == 2
    assert all(entry["body"]["subscriptions"] == [SUB1, SUB2, SUB3] for entry in posts)
    expanded = sorted(entry["path"].rsplit("/", 1)[1] for entry in calls
                      if entry["query"].get("$expand") == "ReplicationStatus")
    assert expanded == ["2.0.0", "2.1.0"]
    assert len(calls) == 1 + 2 + 2   # the subscription list, two queries, two versions


def test_a_clean_estate_passes_every_rule(emulator, az):
    emulator.load("estate/clean.yaml")
    result = az("sig", "doctor", "scan", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert result.json["targets"] == []
    summary = result.json["summary"]
    assert (summary["fail"], summary["warn"], summary["unverified"]) == (0, 0, 0) and summary["pass"] >= 6


def test_table_tsv_yaml_and_query(emulator, az):
    emulator.load("estate/world.yaml")
    table = az("sig", "doctor", "scan", "-o", "table")
    lines = table.stdout.splitlines()
    assert lines[0].split()[:4] == ["Status", "Rule", "Error", "id"]
    statuses = [line.split()[0] for line in lines[2:]]
    assert statuses == ["FAIL"] * 3 + ["WARN"] * 6
    tsv = az("sig", "doctor", "scan", "--query", "targets[].findings[?status=='fail'][].[rule, error_id]", "-o", "tsv")
    assert sorted(tuple(line.split("\t")) for line in tsv.stdout.splitlines()) == [
        ("estate.latest-where-used", "vm.definition-not-in-region"),
        ("estate.replication-failed", "replication.failed-in-regions"),
        ("estate.version-where-used", "vm.version-not-in-region")]
    as_yaml = yaml.safe_load(az("sig", "doctor", "scan", "-o", "yaml").stdout)
    assert as_yaml["summary"]["fail"] == 3
    count = az("sig", "doctor", "scan", "--query", "summary.warn", "-o", "tsv")
    assert count.stdout.strip() == "6"


def test_sarif_and_junit_reports(emulator, az, tmp_path):
    emulator.load("estate/world.yaml")
    sarif_path, junit_path = tmp_path / "scan.sarif", tmp_path / "scan.xml"
    assert az("sig", "doctor", "scan", "--report-format", "sarif", "--report-file", sarif_path, "-o", "none"
              ).exit_code == 1
    sarif = json.loads(sarif_path.read_text())
    with open(SARIF_SCHEMA, encoding="utf-8") as handle:
        jsonschema.validate(sarif, json.load(handle))
    run = sarif["runs"][0]
    assert sorted((r["ruleId"], r["level"]) for r in run["results"]) == sorted(
        (rule, "error" if status == "fail" else "warning") for (rule, _), status in EXPECTED.items())
    located = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert IMAGES.lstrip("/") + "/images/ubuntu/versions/2.0.0" in located
    assert az("sig", "doctor", "scan", "--report-format", "junit", "--report-file", junit_path, "--fail-on",
              "warning", "-o", "none").exit_code == 1
    root = ET.parse(junit_path).getroot()
    assert root.get("failures") == "9"
    names = {suite.get("name") for suite in root}
    assert "sig-doctor scan {}/images/legacy".format(IMAGES) in names


def _unverified_world():
    data = read_scenario("estate/clean.yaml")
    data["resources"].append({
        "id": data["resources"][2]["id"].replace("1.0.0", "1.1.0"), "location": "eastus",
        "properties": {"provisioningState": "Updating", "publishingProfile": {
            "targetRegions": [{"name": "East US", "regionalReplicaCount": 2}]}}})
    data["access"] = [{"path": "/versions/1.1.0", "methods": ["GET"]}]
    return data


def test_fail_on_levels_and_unverified_reads(emulator, az, tmp_path):
    emulator.load("estate/world.yaml")
    assert az("sig", "doctor", "scan", "-o", "none").exit_code == 1
    assert az("sig", "doctor", "scan", "--fail-on", "never", "-o", "none").exit_code == 0
    assert az("sig", "doctor", "scan", "--fail-on", "bogus", "-o", "none").exit_code != 0
    emulator.load(_unverified_world())
    result = az("sig", "doctor", "scan", "-o", "json")
    assert result.exit_code == 1
    unverified = [item for item in findings(result.json).values() if item["status"] == "unverified"]
    assert unverified and all("no read access" in item["detail"] for item in unverified)
    assert "could not be verified" in result.stderr
    report = tmp_path / "unverified.sarif"
    assert az("sig", "doctor", "scan", "--fail-on", "error", "--report-format", "sarif", "--report-file", report,
              "-o", "none").exit_code == 0
    sarif = json.loads(report.read_text())
    with open(SARIF_SCHEMA, encoding="utf-8") as handle:
        jsonschema.validate(sarif, json.load(handle))
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes and all(note["message"]["text"].startswith("not verified: ") for note in notes)
    assert sarif["runs"][0]["results"] == []
    assert az("sig", "doctor", "scan", "--fail-on", "warning", "-o", "none").exit_code == 1


def test_paging_gives_the_same_findings(emulator, az, world_scan):
    data = read_scenario("estate/world.yaml")
    data["resource_graph"] = {"page_size": 3}
    emulator.load(data)
    result = az("sig", "doctor", "scan", "-o", "json")
    assert findings(result.json).keys() == findings(world_scan[0].json).keys()
    posts = [entry for entry in emulator.journal() if entry["method"] == "POST"]
    # 2 galleries + 4 definitions + 8 versions in pages of 3, and 5 VMs and scale sets.
    assert len(posts) == 5 + 2
    paged = [entry for entry in posts if "$skipToken" in entry["body"]["options"]]
    assert paged and all(entry["body"]["query"] in {p["body"]["query"] for p in posts} for entry in paged)


def test_throttling_is_waited_out(emulator, az, world_scan):
    data = read_scenario("estate/world.yaml")
    data["faults"] = [{"method": "POST", "path": "ResourceGraph", "status": 429, "count": 2, "retry_after": 1}]
    data["resource_graph"] = {"quota": 1, "window_seconds": 2}
    emulator.load(data)
    result = az("sig", "doctor", "scan", "-o", "json")
    assert result.exit_code == 1 and findings(result.json).keys() == findings(world_scan[0].json).keys()
    statuses = [entry["status"] for entry in emulator.journal() if entry["method"] == "POST"]
    assert statuses.count(200) == 2 and statuses.count(429) >= 2
    assert result.json["scope"]["throttled_seconds"] >= 2


def test_a_resource_graph_that_refuses_makes_the_scan_unverified_not_clean(emulator, az):
    data = read_scenario("estate/world.yaml")
    data["access"] = [{"path": "ResourceGraph", "methods": ["POST"]}]
    emulator.load(data)
    result = az("sig", "doctor", "scan", "-o", "json")
    assert result.exit_code == 1
    scope_findings = [item for key, item in findings(result.json).items()
                      if key[0] in ("estate.galleries-read", "estate.users-read")]
    assert len(scope_findings) == 2 and all(item["status"] == "unverified" for item in scope_findings)
    assert "403" in scope_findings[0]["detail"]
    assert az("sig", "doctor", "scan", "--fail-on", "error", "-o", "none").exit_code == 0


def test_many_subscriptions_go_in_batches_of_a_thousand(emulator, az):
    emulator.load("estate/clean.yaml")
    many = [SUB1] + ["{:08x}-0000-4000-8000-000000000000".format(n) for n in range(1500)]
    result = az("sig", "doctor", "scan", "--subscriptions", *many, "-o", "json")
    assert result.exit_code == 0, result.stderr
    posts = [entry for entry in emulator.journal() if entry["method"] == "POST"]
    assert sorted(len(entry["body"]["subscriptions"]) for entry in posts) == [501, 501, 1000, 1000]
    assert result.json["scope"]["subscriptions"] == 1501 and result.json["scope"]["versions"] == 1


def test_a_management_group_is_one_scope(emulator, az):
    data = read_scenario("estate/world.yaml")
    data["resource_graph"] = {"management_groups": {"platform": [SUB3]}}
    emulator.load(data)
    result = az("sig", "doctor", "scan", "--management-group", "platform", "-o", "json")
    assert result.exit_code == 0, result.stderr   # only the team gallery, which is fine
    assert result.json["scope"]["galleries"] == 1 and result.json["scope"]["management_group"] == "platform"
    posts = [entry for entry in emulator.journal() if entry["method"] == "POST"]
    assert all(entry["body"]["managementGroups"] == ["platform"] for entry in posts)
    assert not any(entry["path"] == "/subscriptions" for entry in emulator.journal())


def test_a_generated_estate_costs_its_pages_plus_one_read_per_unfinished_version(emulator, az):
    from tests.scenarios.estate.generate import estate, needs_replication_read
    scenario = estate(subscriptions=40, galleries=4, definitions=40, versions=400, scale_sets=80)
    scenario["resource_graph"] = {"page_size": 200, "quota": 100}
    needed = needs_replication_read(scenario)
    emulator.load(scenario)
    result = az("sig", "doctor", "scan", "-o", "json")
    assert result.exit_code == 1 and result.json["scope"]["versions"] == 400
    calls = [entry for entry in emulator.journal() if "/oauth2/" not in entry["path"]]
    # The subscription list, 444 gallery rows in 3 pages, 80 scale sets in 1, and the unfinished versions.
    assert len(calls) == 1 + 3 + 1 + needed and needed > 0
    assert result.json["scope"]["replication_reads"] == needed
    statuses = {item["rule"] for target in result.json["targets"] for item in target["findings"]}
    assert {"estate.replication-failed", "estate.replication-stuck", "estate.definition-trusted-launch"} <= statuses


@pytest.mark.parametrize("args,words", [
    (["--subscriptions", "not-a-subscription"], "not-a-subscription"),
    (["--subscriptions", SUB1, "--management-group", "platform"], "--management-group"),
    (["--report-format", "sarif"], "--report-file"),
    (["--stuck-after", "soon"], "soon"),
])
def test_bad_input_is_named(emulator, az, args, words):
    emulator.load("estate/clean.yaml")
    result = az("sig", "doctor", "scan", *args)
    assert result.exit_code != 0 and words in result.stderr
    assert "Traceback" not in result.stderr


# ---- az sig doctor latest ---------------------------------------------------------------------------

def test_latest_per_region_with_reasons(emulator, az):
    emulator.load("estate/world.yaml")
    result = az("sig", "doctor", "latest", "-g", "rg-images", "-r", "contosoImages", "-i", "ubuntu", "-o", "json")
    assert result.exit_code == 0, result.stderr
    rows = {row["region"]: row for row in result.json}
    assert {region: row["version"] for region, row in rows.items()} == {
        "eastus": "2.1.0", "westeurope": "2.1.0", "northeurope": "1.1.0", "westus2": None}
    assert rows["westus2"]["skipped"][0] == {"version": "2.1.0", "reason": "replication in progress there (40%)"}
    assert rows["northeurope"]["skipped"] == [
        {"version": "2.1.0", "reason": "not replicated to this region"},
        {"version": "2.0.0", "reason": "not replicated to this region"}]
    calls = [entry for entry in emulator.journal() if "/oauth2/" not in entry["path"]]
    assert [entry["path"].rsplit("/", 1)[1] for entry in calls if entry["query"].get("$expand")] in (
        ["2.0.0", "2.1.0"], ["2.1.0", "2.0.0"])
    assert [entry["path"].endswith("/images/ubuntu/versions") for entry in calls].count(True) == 1
    assert len(calls) == 3 and all(entry["method"] == "GET" for entry in calls)


def test_latest_in_chosen_regions_as_table_and_tsv(emulator, az):
    emulator.load("estate/world.yaml")
    table = az("sig", "doctor", "latest", "-g", "rg-images", "-r", "contosoImages", "-i", "ubuntu",
               "-l", "West Europe", "westus2", "japaneast", "-o", "table")
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["Region", "Version", "Skipped", "Unverified"]
    assert [line.split()[:2] for line in lines[2:]] == [["westeurope", "2.1.0"], ["westus2", "(none)"],
                                                         ["japaneast", "(none)"]]
    tsv = az("sig", "doctor", "latest", "-g", "rg-images", "-r", "contosoImages", "-i", "ubuntu",
             "--query", "[?version==null].region", "-o", "tsv")
    assert tsv.stdout.split() == ["westus2"]


def test_latest_that_could_not_be_decided_says_so_and_exits_1(emulator, az):
    data = read_scenario("estate/world.yaml")
    data["access"] = [{"path": "/versions/2.1.0", "methods": ["GET"]}]
    emulator.load(data)
    result = az("sig", "doctor", "latest", "-g", "rg-images", "-r", "contosoImages", "-i", "ubuntu",
                "-l", "eastus", "-o", "json")
    assert result.exit_code == 1
    [row] = result.json
    assert row["version"] == "1.1.0" and row["unverified"][0]["version"] == "2.1.0"
    assert "no read access" in row["unverified"][0]["reason"]
    assert "could not be decided" in result.stderr


def test_latest_of_a_definition_that_does_not_exist(emulator, az):
    emulator.load("estate/world.yaml")
    result = az("sig", "doctor", "latest", "-g", "rg-images", "-r", "contosoImages", "-i", "nope")
    assert result.exit_code != 0 and "contosoImages/nope" in result.stderr and "Traceback" not in result.stderr
