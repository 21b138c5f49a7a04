"""A failed VM, scale set or disk create: the gallery commands of a finding go to the gallery of the
image the request named (often another resource group than the VM's), the VM commands to the VM's."""

import json

import pytest

from azext_sig_doctor.explain import context, explain_text, match
from azext_sig_doctor.explain.model import Observation

SUBSCRIPTION = "11111111-2222-3333-4444-555555555555"
ARM = "https://management.azure.com"
GALLERY_PATH = "/subscriptions/{}/resourceGroups/rg-img/providers/Microsoft.Compute/galleries/galx".format(SUBSCRIPTION)
DEFINITION_ID = GALLERY_PATH + "/images/ubuntu-gen1"
VERSION_ID = DEFINITION_ID + "/versions/1.0.0"
APP_PATH = "/subscriptions/{}/resourceGroups/rg-app/providers/Microsoft.Compute".format(SUBSCRIPTION)
TRUSTED_LAUNCH_MESSAGE = ("Use of TrustedLaunch setting is not supported for the provided image. Please select "
                          "Trusted Launch Supported Gen2 OS Image.")

# `az vm create -g rg-app -n web04 --image <version id in rg-img> --debug`, the failed PUT.
AZ_DEBUG_VM_CREATE = """\
DEBUG: cli.azure.cli.core.sdk.policies: Request URL: '{arm}{app}/virtualMachines/web04?api-version=2024-07-01'
DEBUG: cli.azure.cli.core.sdk.policies: Request method: 'PUT'
DEBUG: cli.azure.cli.core.sdk.policies: Request body:
DEBUG: cli.azure.cli.core.sdk.policies: {{"location": "westeurope", "properties": {{"storageProfile": \
{{"imageReference": {{"id": "{image}"}}}}, "securityProfile": {{"securityType": "TrustedLaunch", "uefiSettings": \
{{"secureBootEnabled": true, "vTpmEnabled": true}}}}}}}}
DEBUG: cli.azure.cli.core.sdk.policies: Response status: 400
DEBUG: cli.azure.cli.core.sdk.policies: Response content:
DEBUG: cli.azure.cli.core.sdk.policies: {{"error": {{"code": "BadRequest", "message": "{message}"}}}}
ERROR: (BadRequest) {message}
""".format(arm=ARM, app=APP_PATH, image=VERSION_ID, message=TRUSTED_LAUNCH_MESSAGE)

# `New-AzVM ... -Debug` in a PowerShell transcript: the same failure, with secrets in the body.
PASSWORD, CUSTOM_DATA = "Sup3r$ecretPwd!", "I2Nsb3VkLWNvbmZpZwpwYXNzd29yZDogaHVudGVyMg=="
POWERSHELL_DEBUG_VM_CREATE = """\
PS C:\\> New-AzVM -ResourceGroupName rg-app -Name web03 -Location westeurope -Image {image} -Credential $cred -Debug
DEBUG: ============================ HTTP REQUEST ============================

HTTP Method:
PUT

Absolute Uri:
{arm}{app}/virtualMachines/web03?api-version=2024-03-01

Headers:
x-ms-client-request-id        : 0c7d3f52-2b1e-4a55-9bb1-5b8a3c7e2f10

Body:
{{
  "location": "westeurope",
  "properties": {{
    "storageProfile": {{
      "imageReference": {{
        "id": "{image}"
      }}
    }},
    "osProfile": {{
      "computerName": "web03",
      "adminUsername": "azureuser",
      "adminPassword": "{password}",
      "customData": "{custom_data}"
    }},
    "securityProfile": {{ "securityType": "TrustedLaunch" }}
  }}
}}


DEBUG: ============================ HTTP RESPONSE ============================

Status Code:
BadRequest

Headers:
x-ms-request-id               : 7f1e0c44-5b0e-4d61-8c6d-2a9b3e5f7d01

Body:
{{
  "error": {{
    "code": "BadRequest",
    "message": "{message}"
  }}
}}


New-AzVM: {message}
ErrorCode: BadRequest
ErrorMessage: {message}
StatusCode: 400
""".format(arm=ARM, app=APP_PATH, image=VERSION_ID, password=PASSWORD, custom_data=CUSTOM_DATA,
           message=TRUSTED_LAUNCH_MESSAGE)


def _gallery_commands(finding):
    return [command for command in finding["commands"] + finding["powershell"]
            if "az sig " in command or "AzGallery" in command]


def _assert_gallery_in_rg_img(finding):
    gallery_commands = _gallery_commands(finding)
    assert gallery_commands, finding["commands"]
    for command in gallery_commands:
        assert "rg-app" not in command, command
        assert "-g rg-img -r galx " in command or "-ResourceGroupName rg-img -GalleryName galx " in command, command
        if "-i <" not in command and "-Name <" not in command:  # not a new definition's name to choose
            assert "-i ubuntu-gen1" in command or " ubuntu-gen1" in command, command


@pytest.mark.parametrize("text,vm", [(AZ_DEBUG_VM_CREATE, "web04"), (POWERSHELL_DEBUG_VM_CREATE, "web03")],
                         ids=["az-debug", "ps-debug"])
def test_vm_create_log_points_gallery_commands_at_the_images_group(text, vm):
    [finding] = explain_text(text).findings
    assert finding["id"] == "vm.trusted-launch-unsupported-image"
    # The finding is about the VM; its gallery values come from the image id it was made from.
    assert (finding["resource"]["resource_group"], finding["resource"]["vm"]) == ("rg-app", vm)
    assert {key: finding["values"].get(key) for key in ("resource_group", "gallery", "image")} \
        == {"resource_group": "rg-img", "gallery": "galx", "image": "ubuntu-gen1"}
    assert finding["commands"] == [
        'az sig image-definition show -g rg-img -r galx -i ubuntu-gen1 --query "[hyperVGeneration, architecture, '
        'features]" -o json --subscription ' + SUBSCRIPTION]
    assert finding["powershell"][0].startswith(
        "Get-AzGalleryImageDefinition -ResourceGroupName rg-img -GalleryName galx -Name ubuntu-gen1 ")
    if "Command arguments" in text:
        # The VM goes to its own group: the user's az vm create, --security-type Standard added.
        assert finding["fixed_command"].startswith("az vm create -g rg-app -n {} ".format(vm))
        assert finding["fixed_command"].endswith("--security-type Standard")
    shown = json.dumps(finding)
    assert PASSWORD not in shown and CUSTOM_DATA not in shown


def _failed_request(path, body):
    request = context.Request(1, method="PUT", url=ARM + path + "?api-version=2024-07-01")
    request.body = json.dumps(body)
    return request


def _vm_body(image_id):
    return {"location": "westeurope", "properties": {"storageProfile": {"imageReference": {"id": image_id}}}}


def _vmss_body(image_id):
    return {"location": "westeurope", "properties": {"virtualMachineProfile": {
        "storageProfile": {"imageReference": {"id": image_id}}}}}


def _disk_body(image_id):
    return {"location": "westeurope", "properties": {"creationData": {
        "createOption": "FromImage", "galleryImageReference": {"id": image_id, "lun": 3}}}}


REQUESTS = {
    "vm": (APP_PATH + "/virtualMachines/web04", _vm_body, VERSION_ID),
    "vmss": (APP_PATH + "/virtualMachineScaleSets/web", _vmss_body, DEFINITION_ID),
    "disk": (APP_PATH + "/disks/data01", _disk_body, VERSION_ID),
}
ENTRIES = [
    ("vm.no-latest-version", "vmss"),
    ("vm.version-not-in-region", "vm"),
    ("vm.definition-not-in-region", "vmss"),
    ("vm.slow-create-os-type-mismatch", "vm"),
    ("vm.trusted-launch-unsupported-image", "vm"),
    ("disk.image-reference-lun-missing", "disk"),
]


def _finding(entry_id, kind, image_id=None):
    path, body, default_image = REQUESTS[kind]
    observation = Observation(1, None, "", "response", "az-debug")
    observation.known_id = entry_id  # the entry itself, whatever its message extracts
    observation.request = observation.resource_request = _failed_request(path, body(image_id or default_image))
    return match.to_finding(observation)


@pytest.mark.parametrize("entry_id,kind", ENTRIES)
def test_gallery_commands_of_vm_entries_go_to_the_images_group(entry_id, kind):
    finding = _finding(entry_id, kind)
    assert finding["id"] == entry_id and finding["resource"]["resource_group"] == "rg-app"
    _assert_gallery_in_rg_img(finding)
    if "{version}" in json.dumps(finding["commands"]) or kind == "vmss":
        return
    # A version id names the version the gallery commands show.
    assert all(" -e 1.0.0 " in command for command in finding["commands"] if " -e " in command)


def test_image_outside_a_gallery_leaves_the_gallerys_group_unknown():
    managed_image = APP_PATH + "/images/golden"
    finding = _finding("vm.trusted-launch-unsupported-image", "vm", image_id=managed_image)
    [gallery_command] = [command for command in finding["commands"] if "az sig " in command]
    assert gallery_command.startswith("az sig image-definition show -g <resource_group> ")


def test_a_refused_image_read_in_a_vm_creates_debug_log_is_the_vms():
    # az vm create reads the gallery image while validating; the log's command line says what ran.
    scope = ("/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-images/providers/"
             "Microsoft.Compute/galleries/corpGallery/images/ubuntu2204")
    message = ("The client 'deploy@contoso.com' with object id '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f' does not have "
               "authorization to perform action 'Microsoft.Compute/galleries/images/read' over scope '{}' or the "
               "scope is invalid. If access was recently granted, please refresh your credentials.".format(scope))
    policies = "DEBUG: cli.azure.cli.core.sdk.policies: "

    def log(command):
        return "\n".join([
            "DEBUG: cli.knack.cli: Command arguments: {}".format(command),
            policies + "Request URL: 'https://management.azure.com{}?api-version=2023-07-03'".format(scope),
            policies + "Request method: 'GET'",
            policies + "Response status: 403",
            policies + "Response content:",
            policies + json.dumps({"error": {"code": "AuthorizationFailed", "message": message}}),
            "ERROR: cli.azure.cli.core.azclierror: (AuthorizationFailed) " + message,
            "INFO: az_command_data_logger: exit code: 1", ""])

    [finding] = explain_text(log(["vm", "create", "-g", "rg-vms", "-n", "vm1", "--image", scope])).findings
    assert finding["id"] == "vm.no-read-access-to-image" and finding["values"]["resource_id"] == scope
    [finding] = explain_text(log(["sig", "image-definition", "show", "-g", "rg-images", "-r", "corpGallery",
                                  "-i", "ubuntu2204"])).findings
    assert finding["id"] == "sharing.authorization-failed"
