"""az sig doctor check-build end to end: the real az, the real extension, the emulator's world
(tests/scenarios/build/world.yaml) and the fixtures of tests/scenarios/build/ as they were copied."""

import json
import os
import shutil

import jsonschema
import pytest

from tests.build import edit as template_edit

ROOT = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(ROOT, "scenarios", "build")
SARIF_SCHEMA = os.path.join(ROOT, "schemas", "sarif-schema-2.1.0.json")


def fixture(*parts):
    return os.path.join(FIXTURES, *parts)


def line_of(path, text):
    """The 1-based line of ``path`` holding ``text`` (tests say which setting, not which number)."""
    with open(path, encoding="utf-8") as handle:
        return next(number for number, line in enumerate(handle, 1) if text in line)


def failing(report, statuses=("fail",)):
    return {finding["rule"]: finding for finding in report["findings"] if finding["status"] in statuses}


def problems(report):
    return {rule: finding["detail"] for rule, finding in failing(report, ("fail", "unverified")).items()}


@pytest.fixture
def world(emulator):
    emulator.load(fixture("world.yaml"))
    return emulator


def check(az, *args):
    result = az("sig", "doctor", "check-build", *args, "-o", "json")
    assert "Traceback" not in result.stderr, result.stderr
    return result


# ---- every fixture reads, offline, into the output contract ----------------------------------

ALL = sorted([("--packer", fixture("packer", name)) for name in os.listdir(fixture("packer"))] +
             [("--image-template", fixture("imagebuilder", name)) for name in os.listdir(fixture("imagebuilder"))] +
             [("--terraform-plan", fixture("terraform", name)) for name in os.listdir(fixture("terraform"))])


@pytest.mark.parametrize("option,path", ALL, ids=[os.path.basename(path) for _, path in ALL])
def test_every_fixture_gives_the_report_contract_offline(az, option, path):
    result = check(az, option, path, "--offline", "--fail-on", "never")
    assert result.exit_code == 0, result.stderr
    assert isinstance(result.json, list)
    for report in result.json:
        assert set(report) == {"target", "summary", "fixed_command", "fixed_command_powershell", "fix_details",
                               "findings"}
        target = report["target"]
        assert target["file"] == path and target["line"] >= 1 and target["tool"] in ("packer", "imagebuilder",
                                                                                    "terraform")
        assert report["fixed_command"] is None and "template" in report["fix_details"]["why_no_command"]
        for finding in report["findings"]:
            if finding["status"] in ("fail", "warn", "unverified"):
                assert finding["location"]["file"] == path and finding["location"]["line"] >= 1


def test_counts_of_fixtures():
    assert len(os.listdir(fixture("packer"))) >= 10
    assert len(os.listdir(fixture("imagebuilder"))) >= 5
    assert len(os.listdir(fixture("terraform"))) >= 5


def test_a_template_without_gallery_destination_says_so_and_exits_0(az):
    result = check(az, "--packer", fixture("packer", "windows.json"), "--offline")
    assert (result.exit_code, result.json) == (0, [])
    assert "publishes to no gallery" in result.stderr
    assert "no gallery destination, so there is nothing to check" in result.stderr


def test_unresolved_values_are_unverified_and_fail_the_default_gate(az):
    result = check(az, "--packer", fixture("packer", "windows_sig.pkr.hcl"), "--offline")
    assert result.exit_code == 1
    found = {f["rule"]: f for f in result.json[0]["findings"]}
    name_rule = found["build.packer-managed-image-security"]
    assert name_rule["status"] == "unverified" and name_rule["reason"] == "unresolved"
    assert "regex_replace()" in name_rule["detail"]
    assert name_rule["location"]["line"] == line_of(fixture("packer", "windows_sig.pkr.hcl"), "managed_image_name ")
    assert "rule(s) could not run (" in result.stderr
    assert "because the template leaves a value unresolved offline)" in result.stderr


def test_variables_given_as_packer_build_takes_them(az, tmp_path):
    var_file = tmp_path / "prod.pkrvars.hcl"
    var_file.write_text('resource_group_name = "rg-images"\n')
    result = check(az, "--packer", fixture("packer", "windows_sig.pkr.hcl"), "--var-file", str(var_file),
                   "--var", "resource_prefix=contoso", "--offline", "--fail-on", "never")
    target = result.json[0]["target"]
    assert (target["resource_group"], target["gallery"], target["image"]) == ("rg-images", "contoso_acctestgallery",
                                                                               "contoso-windows-sig")


# ---- live: the rule engine against the world, located at the setting to change -----------------

def test_packer_specialized_build_into_a_generalized_definition(world, az, tmp_path):
    path = fixture("packer", "arm_linux_specialized.pkr.hcl")
    result = check(az, "--packer", path)
    assert result.exit_code == 1, result.stderr
    report = result.json[0]
    fails = failing(report)
    assert set(fails) == {"version.source-os-state"}, json.dumps(fails, indent=1)
    finding = fails["version.source-os-state"]
    line = line_of(path, "image_name ")
    assert finding["location"]["line"] == line
    assert finding["edit"]["setting"] == "shared_image_gallery_destination.image_name"
    assert finding["edit"]["value"] == "arm-linux-specialized" and finding["edit"]["line"] == line
    assert not world.writes()
    # The promise: the edit applied to a copy, the check passes and nothing new fails.
    copy = tmp_path / os.path.basename(path)
    shutil.copy(path, copy)
    template_edit.apply(finding["edit"], str(copy))
    again = check(az, "--packer", str(copy))
    assert again.exit_code == 0, problems(again.json[0]) + again.stderr
    assert failing(again.json[0]) == {}


def test_image_builder_gen1_source_into_a_gen2_definition(world, az, tmp_path):
    # The sample's README fills its <placeholders> with sed before use; the test does the same.
    text = open(fixture("imagebuilder", "helloImageTemplateforSIG.json"), encoding="utf-8").read()
    for placeholder, value in (("<subscriptionID>", "00000000-0000-0000-0000-000000000001"),
                               ("<rgName>", "packer-acceptance-test"), ("<sharedImageGalName>", "acctestgallery"),
                               ("<imageDefName>", "ubuntu-gen2"), ("<region1>", "southcentralus"),
                               ("<region2>", "eastus")):
        text = text.replace(placeholder, value)
    path = tmp_path / "helloImageTemplateforSIG.json"
    path.write_text(text)
    result = check(az, "--image-template", str(path))
    fails = failing(result.json[0])
    assert set(fails) == {"version.source-hyperv-generation"}, json.dumps(fails, indent=1)
    finding = fails["version.source-hyperv-generation"]
    assert finding["edit"]["setting"] == "distribute.galleryImageId"
    assert finding["edit"]["value"].endswith("/galleries/acctestgallery/images/ubuntu-gen1")
    template_edit.apply(finding["edit"], str(path))
    again = check(az, "--image-template", str(path))
    assert again.exit_code == 0, problems(again.json[0])


def test_terraform_version_location_not_targeted(world, az, tmp_path):
    path = fixture("terraform", "gallery_definition_version.plan.json")
    result = check(az, "--terraform-plan", path)
    assert result.exit_code == 1
    by_build = {report["target"]["build"]: report for report in result.json}
    fails = failing(by_build["azurerm_shared_image_version.example"])
    assert "build.terraform-location-targeted" in fails, json.dumps(fails, indent=1)
    finding = fails["build.terraform-location-targeted"]
    assert finding["edit"]["setting"] == "target_region"
    assert [region["name"] for region in finding["edit"]["value"]] == ["westeurope", "northeurope"]
    assert failing(by_build["azurerm_shared_image.example"]) == {}
    copy = tmp_path / "plan.json"
    shutil.copy(path, copy)
    template_edit.apply(finding["edit"], str(copy))
    again = check(az, "--terraform-plan", str(copy))
    assert again.exit_code == 0, json.dumps([failing(r) for r in again.json], indent=1)


def test_terraform_vm_from_a_version_not_in_its_region(world, az):
    result = check(az, "--terraform-plan", fixture("terraform", "vm_from_version.plan.json"))
    fails = failing(result.json[0])
    assert "vm.version-replicated-to-region" in fails
    assert fails["vm.version-replicated-to-region"]["location"]["setting"] == "location"


def test_sarif_locates_each_result_at_the_template_line(world, az, tmp_path):
    report = tmp_path / "build.sarif"
    result = az("sig", "doctor", "check-build", "--packer", fixture("packer", "arm_linux_specialized.pkr.hcl"),
                "--report-format", "sarif", "--report-file", str(report), "-o", "none")
    assert result.exit_code == 1
    document = json.loads(report.read_text())
    jsonschema.validate(document, json.load(open(SARIF_SCHEMA, encoding="utf-8")))
    results = document["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["version.source-os-state"]
    physical = results[0]["locations"][0]["physicalLocation"]
    assert physical["region"]["startLine"] == line_of(fixture("packer", "arm_linux_specialized.pkr.hcl"), "image_name ")
    assert physical["artifactLocation"]["uri"].endswith("tests/scenarios/build/packer/arm_linux_specialized.pkr.hcl")


def test_junit_report(world, az, tmp_path):
    report = tmp_path / "build.xml"
    az("sig", "doctor", "check-build", "--terraform-plan", fixture("terraform", "vm_from_version.plan.json"),
       "--report-format", "junit", "--report-file", str(report), "-o", "none")
    text = report.read_text()
    assert "check-build azurerm_linux_virtual_machine.example" in text and "vm.version-replicated-to-region" in text


def test_each_resource_is_read_once_for_every_build(world, az, tmp_path):
    source = open(fixture("packer", "arm_linux_specialized.pkr.hcl"), encoding="utf-8").read()
    (tmp_path / "a.pkr.hcl").write_text(source)
    (tmp_path / "b.pkr.hcl").write_text(source.replace('"linux-sig"', '"linux-sig-2"').replace(
        "source.azure-arm.linux-sig", "source.azure-arm.linux-sig-2").replace("locals {", "locals_b {"))
    world.clear_journal()
    result = check(az, "--packer", str(tmp_path))
    assert len(result.json) == 2
    reads = [(entry["method"], entry["path"].lower()) for entry in world.journal()
             if entry["method"] == "GET" and "/providers/" in entry["path"]]
    assert reads and len(reads) == len(set(reads)), reads


def test_the_readme_pipeline_runs_check_build_before_packer_build(world, az, tmp_path):
    import re
    import shlex
    import yaml
    readme = open(os.path.join(os.path.dirname(ROOT), "README.md"), encoding="utf-8").read()
    block = re.search(r"### Before `packer build` in a pipeline.*?```yaml\n(.*?)```", readme, re.S).group(1)
    steps = yaml.safe_load(block)
    names = [step["name"] for step in steps]
    assert names.index("Check the template before the build") < names.index("Build and publish")
    run = next(step["run"] for step in steps if step["name"] == "Check the template before the build")
    words = shlex.split(run.replace("\\\n", " ").replace("${{ github.run_number }}", "7"))[1:]
    # The world's template in place of the example's, with its variable file.
    var_file = tmp_path / "prod.pkrvars.hcl"
    var_file.write_text("")
    words = [fixture("packer", "arm_linux_specialized.pkr.hcl") if word.endswith("ubuntu.pkr.hcl") else
             str(var_file) if word.endswith("prod.pkrvars.hcl") else
             str(tmp_path / word) if word.endswith(".sarif") else word for word in words]
    result = az(*words)
    assert "Traceback" not in result.stderr
    assert result.exit_code == 1 and "version.source-os-state" in result.stdout  # the world's mismatch, found
    assert (tmp_path / "check-build.sarif").exists()
