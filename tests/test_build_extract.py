"""Reading templates: HCL2 values as Packer resolves them, legacy JSON, Image Builder and ARM
templates, Terraform plans, and the line of every setting."""

import json
import os

import pytest

from azext_sig_doctor.build import hcl, imagebuilder, packer, terraform
from azext_sig_doctor.build.locate import JsonError, load_json
from azext_sig_doctor.build.model import Unknown
from azext_sig_doctor.build.packer import TemplateError

ROOT = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(ROOT, "scenarios", "build")


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


TEMPLATE = """variable "region" {
  type    = string
  default = "westeurope"
}
variable "version" { type = string }
variable "regions" { type = list(string) }
locals {
  gallery = "g_${var.region}"
  home    = var.region
  stamp   = formatdate("YYYYMMDD", timestamp())
}
source "azure-arm" "ubuntu" {
  location = local.home
  shared_image_gallery_destination {
    resource_group      = "rg"
    gallery_name        = local.gallery
    image_name          = "ubuntu-${local.stamp}"
    image_version       = var.version
    replication_regions = var.regions
  }
}
build {
  sources = ["source.azure-arm.ubuntu"]
}
"""


def test_defaults_locals_and_references_resolve_and_functions_stay_unknown(tmp_path):
    template = packer.extract(write(tmp_path, "t.pkr.hcl", TEMPLATE))
    build = template.builds[0]
    assert build.value("location") == "westeurope"
    assert build.value("shared_image_gallery_destination.gallery_name") == "g_westeurope"
    image = build.value("shared_image_gallery_destination.image_name")
    assert isinstance(image, Unknown) and "formatdate()" in image.reason
    version = build.value("shared_image_gallery_destination.image_version")
    assert isinstance(version, Unknown) and "no default" in version.reason
    assert build.settings["shared_image_gallery_destination.image_version"].line == 18
    assert set(build.unresolved()) == {"image", "version", "target_regions"}


def test_variables_come_as_packer_build_takes_them(tmp_path):
    path = write(tmp_path, "t.pkr.hcl", TEMPLATE)
    var_file = write(tmp_path, "a.pkrvars.hcl", 'regions = ["northeurope"]\nversion = "1.0.0"\n')
    json_file = write(tmp_path, "b.json", json.dumps({"version": "2.0.0"}))
    template = packer.extract(path, [var_file, json_file], ["region=eastus"], environ={"PKR_VAR_version": "3.0.0"})
    build = template.builds[0]
    # --var wins over the environment, which wins over the files; the last file wins over the first.
    assert build.value("location") == "eastus"
    assert build.request.version == "3.0.0"
    assert [r.name for r in build.request.target_regions] == ["northeurope", "eastus"]  # the plugin adds the home
    again = packer.extract(path, [var_file], ["version=4.0.0", 'regions=["a", "b"]'])
    assert again.builds[0].value("shared_image_gallery_destination.replication_regions") == ["a", "b"]


def test_a_directory_of_files_and_auto_var_files(tmp_path):
    write(tmp_path, "variables.pkr.hcl", TEMPLATE.split("source")[0])
    write(tmp_path, "source.pkr.hcl", "source" + TEMPLATE.split("source", 1)[1])
    write(tmp_path, "x.auto.pkrvars.hcl", 'version = "1.2.3"\nregions = []\n')
    template = packer.extract(str(tmp_path))
    assert template.builds[0].request.version == "1.2.3"
    assert template.builds[0].file.endswith("source.pkr.hcl")


def test_parse_errors_name_the_file_line_and_what_was_expected(tmp_path):
    path = write(tmp_path, "bad.pkr.hcl", 'source "azure-arm" "x" {\n  location = \n}\n')
    with pytest.raises(TemplateError) as raised:
        packer.extract(path)
    assert raised.value.line == 2 and "expected" in raised.value.message and path in str(raised.value)


def test_legacy_json_templates(tmp_path):
    template = packer.extract(os.path.join(FIXTURES, "packer", "ubuntu_sig.json"), variables=["image_version=9.9.9"])
    build = template.builds[0]
    assert build.request.version == "9.9.9" and build.request.resource_group == "packer-acceptance-test"
    lines = open(os.path.join(FIXTURES, "packer", "ubuntu_sig.json")).read().split("\n")
    assert '"image_name"' in lines[build.settings["shared_image_gallery_destination.image_name"].line - 1]
    assert build.request.replica_count == 2
    env_only = packer.extract(os.path.join(FIXTURES, "packer", "windows.json"))
    assert env_only.builds == [] and "no gallery" in env_only.notes[0]


def test_locate_gives_lines_and_errors_with_line_and_column():
    value, lines = load_json('{\n  "a": {\n    "b": [1,\n      {"c": true}]\n  }\n}')
    assert value["a"]["b"][1]["c"] is True
    assert lines[("a",)] == 2 and lines[("a", "b")] == 3 and lines[("a", "b", 1, "c")] == 4
    with pytest.raises(JsonError) as raised:
        load_json('{\n  "a": 1,\n  "b" 2\n}')
    assert (raised.value.line, raised.value.column) == (3, 7) and "':'" in raised.value.message


def test_arm_parameters_with_defaults_resolve_and_placeholders_do_not(tmp_path):
    path = write(tmp_path, "arm.json", json.dumps({
        "parameters": {"loc": {"type": "string", "defaultValue": "westeurope"}, "api": {"type": "string"}},
        "resources": [{"type": "Microsoft.VirtualMachineImages/imageTemplates", "name": "t",
                       "apiVersion": "[parameters('api')]", "location": "[parameters('loc')]",
                       "properties": {"source": {"type": "PlatformImage", "publisher": "Canonical", "sku": "x"},
                                      "distribute": [{"type": "SharedImage", "runOutputName": "r",
                                                      "galleryImageId": "<galleryImageId>",
                                                      "replicationRegions": ["[parameters('loc')]"]}]}}]}, indent=1))
    build = imagebuilder.extract(path).builds[0]
    assert build.value("location") == "westeurope"
    assert isinstance(build.value("apiVersion"), Unknown)
    assert isinstance(build.value("distribute.galleryImageId"), Unknown)
    assert [r.name for r in build.request.target_regions] == ["westeurope"]


def test_terraform_values_known_after_apply_are_unknown(tmp_path):
    plan = json.load(open(os.path.join(FIXTURES, "terraform", "shared_image_version_example.plan.json")))
    plan["resource_changes"][0]["change"]["after_unknown"]["location"] = True
    build = terraform.extract(write(tmp_path, "p.json", json.dumps(plan))).builds[0]
    assert isinstance(build.value("location"), Unknown) and "location" in build.unresolved()


@pytest.mark.parametrize("text,message", [
    ('{"format_version": "0.1", "resource_changes": []}', "format_version 1.x"),
    ('{"format_version": "1.0", "values": {}}', "no resource_changes"),
    ("[]", "format_version"),
])
def test_what_is_not_a_plan_is_said_so(tmp_path, text, message):
    with pytest.raises(TemplateError) as raised:
        terraform.extract(write(tmp_path, "p.json", text))
    assert message in str(raised.value)


@pytest.mark.parametrize("publisher,sku,generation", [
    ("Canonical", "22_04-lts-gen2", "V2"), ("canonical", "22_04-lts", "V1"), ("MicrosoftWindowsServer",
                                                                              "2022-datacenter-g2", "V2"),
    ("MicrosoftWindowsServer", "2019-datacenter-gensecond", "V2"), ("MicrosoftWindowsServer", "2022-datacenter", "V1"),
    ("contoso", "custom", None)])
def test_platform_image_generation_from_the_publishers_naming(publisher, sku, generation):
    assert packer.platform_image_generation(publisher, sku) == generation


def test_hcl_string_interpolation_and_escapes():
    resolver = hcl.Resolver({"a": "x"}, {})
    assert resolver.value('"${var.a}-\\"q\\"-$${literal}"') == 'x-"q"-${literal}'
    assert isinstance(resolver.value('"%{ if true }a%{ endif }"'), Unknown)
