"""Rules with an identity: `az sig doctor rule list/show`, docs/rules.md and the SARIF rule descriptors
all say what `rule_catalog` says, generated from the two registries."""

import os

import pytest
import yaml
from azure.cli.core.azclierror import ResourceNotFoundError

from azext_sig_doctor import knowledge, rule_catalog
from azext_sig_doctor.checks import registry, sarif
from azext_sig_doctor.estate import rules as estate_rules

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EVERY_RULE = [rule.id for rule in registry.all_rules()] + list(estate_rules.RULES)


def test_docs_rules_md_is_what_the_script_writes():
    with open(os.path.join(ROOT, rule_catalog.DOC_PATH), encoding="utf-8") as handle:
        written = handle.read()
    assert written == rule_catalog.markdown(), "docs/rules.md is out of date: run bash scripts/rules_doc.sh"


def test_docs_rules_md_has_a_section_for_every_rule():
    text = rule_catalog.markdown()
    for rule_id in EVERY_RULE:
        assert "\n## {}\n".format(rule_id) in text


@pytest.mark.parametrize("rule_id", EVERY_RULE)
def test_every_rule_says_why_it_matters(rule_id):
    described = rule_catalog.show_rule(rule_id)
    assert len(described["description"]) >= 20, "give the rule function a docstring"
    assert described["prevents"] and all(item["docs"].startswith("https://") for item in described["prevents"])
    assert [item["id"] for item in described["prevents"]] == [knowledge.get(item["id"]).id
                                                               for item in described["prevents"]]


def test_a_rule_lists_its_commands_kinds_and_requirements():
    described = rule_catalog.show_rule("VERSION.SOURCE-OS-STATE")   # any case
    assert described["id"] == "version.source-os-state"
    assert described["commands"] == ["check-version", "create-version", "check-build"]
    assert described["live"] is True and described["kinds"] == ["version"]
    assert "source" in described["requires"] or "vm_source" in described["requires"]
    scan = rule_catalog.show_rule("estate.replication-failed")
    assert scan["commands"] == ["scan"] and scan["live"] is True


def test_an_unknown_rule_names_the_closest():
    with pytest.raises(ResourceNotFoundError) as raised:
        rule_catalog.show_rule("version.source-os-stat")
    assert "version.source-os-state" in " ".join(raised.value.recommendations)


@pytest.mark.parametrize("rule", list(registry.all_rules()) + list(estate_rules.RULES.values()),
                         ids=lambda rule: rule.id)
def test_sarif_descriptors_read_the_same_description(rule):
    where = rule_catalog.SCAN if rule.id in estate_rules.RULES else rule_catalog.CHECK
    described = rule_catalog.describe(rule, where)
    descriptor = sarif.rule_descriptor(rule)
    assert descriptor["fullDescription"]["text"] == described["description"]
    assert descriptor["helpUri"] == described["docs"]
    assert descriptor["defaultConfiguration"]["level"] == described["level"]
    assert described["description"] in descriptor["help"]["text"]


# ---- through the real az -----------------------------------------------------------------------------

def test_rule_list_and_show_in_every_output_format(emulator, az):
    listed = az("sig", "doctor", "rule", "list")
    assert listed.exit_code == 0, listed.stderr
    assert [row["id"] for row in listed.json] == EVERY_RULE
    table = az("sig", "doctor", "rule", "list", "-o", "table")
    assert table.stdout.splitlines()[0].split() == ["Id", "Runs", "in", "Live", "Level", "Prevents"]
    assert len(table.stdout.splitlines()) == len(EVERY_RULE) + 2
    tsv = az("sig", "doctor", "rule", "list", "--query", "[?live].[id, level]", "-o", "tsv")
    rows = [line.split("\t") for line in tsv.stdout.splitlines()]
    assert rows and all(len(row) == 2 for row in rows)
    assert ["estate.replication-failed", "error"] in rows and not any(row[0] == "gallery.name-format" for row in rows)
    shown = az("sig", "doctor", "rule", "show", "--id", "Estate.Replicas-For-Scale-Sets", "-o", "yaml")
    assert shown.exit_code == 0, shown.stderr
    data = yaml.safe_load(shown.stdout)
    assert data["id"] == "estate.replicas-for-scale-sets" and "20 VMs" in data["description"]
    missing = az("sig", "doctor", "rule", "show", "--id", "version.nope")
    assert missing.exit_code != 0 and "No rule has the id 'version.nope'." in missing.stderr
    assert "Traceback" not in missing.stderr
