"""check-build's own rules: a failing (or warning) case for each, and the way the generic rules
see a template (fail closed on unresolved values), without a CLI."""

import os

import pytest

from azext_sig_doctor.build import imagebuilder, packer, terraform
from azext_sig_doctor.build.cli import run_checks
from azext_sig_doctor.checks import registry
from azext_sig_doctor.checks.fetch import MISSING, OK, Read

ROOT = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(ROOT, "scenarios", "build")
SUB = "00000000-0000-0000-0000-000000000001"


class Reader:
    """Answers every read as missing except the keys given (as ARM JSON)."""

    def __init__(self, present=None):
        self.present = {key: value for key, value in (present or {}).items()}
        self.keys = []

    def read(self, key):
        self.keys.append(key)
        for known, data in self.present.items():
            if tuple(str(part).lower() for part in known) == tuple(str(part).lower() for part in key):
                return Read(OK, data)
        return Read(MISSING)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


DEST = """
source "azure-arm" "b" {{
  location = "westeurope"
  os_type  = "Linux"
  image_publisher = "Canonical"
  image_sku = "22_04-lts-gen2"
  {extra}
  shared_image_gallery_destination {{
    resource_group = "rg"
    gallery_name   = "g"
    image_name     = "d"
    image_version  = "1.0.0"
    {dest}
  }}
}}
build {{ sources = ["source.azure-arm.b"] }}
"""


def packer_template(tmp_path, extra="", dest=""):
    return packer.extract(write(tmp_path, "t.pkr.hcl", DEST.format(extra=extra, dest=dest)))


def outcome(template, rule_id, reader=None):
    run = run_checks([template], SUB, offline=reader is None, reader=reader)
    found = [finding for report in run.reports for finding in report.findings if finding["rule"] == rule_id]
    assert found, rule_id
    # Of several builds, the one the rule applies to (a rule skips the others).
    return next((finding for finding in found if finding["status"] != "skip"), found[0])


CASES = {
    "build.version-name-free": lambda tmp: (packer_template(tmp), Reader({
        ("version", "/subscriptions/{}/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/d/versions/"
                    "1.0.0".format(SUB)): {"name": "1.0.0", "properties": {}}}), "fail"),
    "build.packer-managed-image-security": lambda tmp: (
        packer.extract(os.path.join(FIXTURES, "packer", "trusted_launch_win2022.pkr.hcl")), None, "fail"),
    "build.packer-region-settings": lambda tmp: (packer_template(
        tmp, dest='replication_regions = ["westeurope"]\n    target_region { name = "northeurope" }'), None, "fail"),
    "build.packer-shallow-replication": lambda tmp: (packer_template(
        tmp, dest='use_shallow_replication = true\n    target_region { name = "northeurope" }'), None, "fail"),
    "build.packer-publish-timeout": lambda tmp: (
        packer.extract(os.path.join(FIXTURES, "packer", "ubuntu_sig.json")), None, "warn"),
    "build.imagebuilder-distribute-fields": lambda tmp: (imagebuilder.extract(write(tmp, "aib.json", """{
  "type": "Microsoft.VirtualMachineImages/imageTemplates", "apiVersion": "2020-02-14", "location": "westeurope",
  "properties": {"source": {"type": "PlatformImage", "publisher": "Canonical", "offer": "x", "sku": "22_04-lts-gen2"},
    "distribute": [{"type": "SharedImage", "runOutputName": "r",
      "galleryImageId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/d",
      "targetRegions": [{"name": "westeurope", "replicaCount": 1}]}]}}""")), None, "fail"),
    "build.terraform-location-targeted": lambda tmp: (terraform.extract(
        os.path.join(FIXTURES, "terraform", "gallery_definition_version.plan.json")), None, "fail"),
    "build.terraform-immutable-change": lambda tmp: (terraform.extract(
        os.path.join(FIXTURES, "terraform", "definition_immutable_update.plan.json")), None, "fail"),
    "build.terraform-definition-order": lambda tmp: (terraform.extract(
        os.path.join(FIXTURES, "terraform", "definition_version_unordered.plan.json")), None, "fail"),
}


def test_every_build_rule_has_a_case():
    assert sorted(rule.id for rule in registry.all_rules() if "build" in rule.kinds) == sorted(CASES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_each_build_rule_finds_its_case(rule_id, tmp_path):
    template, reader, status = CASES[rule_id](tmp_path)
    finding = outcome(template, rule_id, reader)
    assert finding["status"] == status, finding["detail"]
    assert finding["location"]["line"] >= 1 and finding["error_id"] == registry.get(rule_id).error_id


def test_the_clean_cases_pass(tmp_path):
    template = packer_template(tmp_path, dest='target_region { name = "westeurope" }')
    for rule_id in ("build.packer-region-settings", "build.packer-shallow-replication",
                    "build.packer-managed-image-security", "build.packer-publish-timeout"):
        assert outcome(template, rule_id)["status"] == "pass", rule_id
    assert outcome(template, "build.version-name-free", Reader())["status"] == "pass"


def test_a_value_unknown_offline_makes_the_rules_it_decides_unverified(tmp_path):
    template = packer_template(tmp_path, extra='managed_image_name = "img-${timestamp()}"')
    finding = outcome(template, "build.packer-managed-image-security")
    assert (finding["status"], finding["reason"]) == ("unverified", "unresolved")
    assert "timestamp()" in finding["detail"]
    name = outcome(template, "version.name-format")
    assert name["status"] == "pass"  # its value is known: only what an unknown decides is unverified


def test_an_unknown_version_is_never_reported_as_a_bad_name(tmp_path):
    template = packer_template(tmp_path)
    template.builds[0].settings["shared_image_gallery_destination.image_version"].value = packer.Unknown("env")
    assert outcome(template, "version.name-format")["status"] == "unverified"


def test_reads_are_shared_by_every_build(tmp_path):
    text = DEST.format(extra="", dest="")
    for index in range(5):
        write(tmp_path, "t{}.pkr.hcl".format(index), text.replace('"b"', '"b{}"'.format(index)).replace(
            "azure-arm.b", "azure-arm.b{}".format(index)))
    template = packer.extract(str(tmp_path))
    assert len(template.builds) == 5
    reader = Reader()
    run_checks([template], SUB, reader=reader)
    assert len(reader.keys) == len(set(reader.keys))


def test_the_fix_of_a_failing_finding_names_the_setting_and_value(tmp_path):
    template = terraform.extract(os.path.join(FIXTURES, "terraform", "gallery_definition_version.plan.json"))
    finding = outcome(template, "build.terraform-location-targeted")
    edit = finding["edit"]
    assert edit["setting"] == "target_region" and edit["path"][-1] == "target_region"
    assert [region["name"] for region in edit["value"]] == ["westeurope", "northeurope"]
    assert "target_region" in edit["summary"]
