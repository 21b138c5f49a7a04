"""Terraform (azurerm, go-azure-sdk) errors: the multi-line form of a failed long-running operation,
and several errors in one log, each on its own resource."""

import pytest

from azext_sig_doctor.explain import explain_text, toolchain

SUBSCRIPTION = "11111111-2222-3333-4444-555555555555"
REPLICATION_MESSAGE = "Replication job not completed at region: westcentralus"
LRO_BODY = ('{"startTime":"2026-11-20T10:00:00Z","endTime":"2026-11-20T12:10:00Z","status":"Failed",'
            '"error":{"code":"CrpPirReplicationJobsNotCompleted","message":"' + REPLICATION_MESSAGE + '"},'
            '"name":"abc"}')
# `terraform apply` after two hours of replication (go-azure-sdk's resourcemanager.Error in a box).
POLLING_FAILED_HEAD = """\
azurerm_shared_image_version.main: Still creating... [2h10m0s elapsed]
\u2577
\u2502 Error: creating Shared Image Version (Subscription: "{subscription}"
\u2502 Resource Group Name: "rg-img"
\u2502 Gallery Name: "galx"
\u2502 Image Name: "ubuntu"
\u2502 Version Name: "3.1.0"): polling after CreateOrUpdate: polling failed: the Azure API returned the following error:
\u2502 
\u2502 Status: "Failed"
\u2502 Code: "CrpPirReplicationJobsNotCompleted"
\u2502 Message: "{message}"
\u2502 Activity Id: ""
""".format(subscription=SUBSCRIPTION, message=REPLICATION_MESSAGE)
POLLING_FAILED_RESPONSE = """\
\u2502 
\u2502 ---
\u2502 
\u2502 API Response:
\u2502 
\u2502 ----[start]----
\u2502 {body}
\u2502 -----[end]-----
\u2502 
\u2502
\u2502   with azurerm_shared_image_version.main,
\u2502   on main.tf line 50, in resource "azurerm_shared_image_version" "main":
\u2502   50: resource "azurerm_shared_image_version" "main" {{
\u2502
\u2575
""".format(body=LRO_BODY)
POLLING_FAILED = POLLING_FAILED_HEAD + POLLING_FAILED_RESPONSE
# The same error copied without the quoted response.
POLLING_FAILED_SHORT = POLLING_FAILED_HEAD + "\u2575\n"
VERSION_RESOURCE = {"subscription": SUBSCRIPTION, "resource_group": "rg-img", "gallery": "galx", "image": "ubuntu",
                    "version": "3.1.0"}

# Two errors of one `terraform apply` (the older autorest form), each naming its own resource.
TWO_ERRORS = """\
Error: creating/updating Shared Image: (Image Name "cvm" / Gallery Name "galx" / Resource Group "rg-img"): \
compute.GalleryImagesClient#CreateOrUpdate: Failure sending request: StatusCode=400 -- Original Error: \
Code="InvalidParameter" Message="The value 'TrustedLaunchSupported' for feature 'SecurityType' is invalid for the \
image with hypervisor generation V1." Target="galleryImage.properties.features"

  on main.tf line 20, in resource "azurerm_shared_image" "cvm":
  20: resource "azurerm_shared_image" "cvm" {

Error: creating Gallery: (Gallery Name "gal-x" / Resource Group "rg-img"): compute.GalleriesClient#CreateOrUpdate: \
Failure sending request: StatusCode=400 -- Original Error: Code="InvalidParameter" Message="Gallery name is invalid. \
Allowed characters are English alphanumeric characters, with underscores, and periods allowed in the middle, up to \
80 characters total. All other special characters, including dashes, are disallowed." Target="galleryName"
"""


@pytest.mark.parametrize("text", [POLLING_FAILED, POLLING_FAILED_SHORT], ids=["with-response", "without-response"])
def test_polling_failed_block_gives_code_message_and_resource(text):
    [finding] = explain_text(text).findings
    assert finding["id"] == "replication.job-not-completed"
    assert (finding["code"], finding["message"]) == ("CrpPirReplicationJobsNotCompleted", REPLICATION_MESSAGE)
    assert finding["resource"] == VERSION_RESOURCE
    assert finding["source"] == "terraform" and finding["count"] == 1
    assert finding["commands"][0].startswith("az sig image-version show -g rg-img -r galx -i ubuntu -e 3.1.0 ")
    assert not any("<" + name + ">" in command for command in finding["commands"]
                   for name in ("resource_group", "gallery", "image", "version"))


def test_polling_failed_block_in_the_azure_provider_naming():
    # go-azure-sdk's own id naming ("Image Version (...)"), without the box (terraform -no-color in CI).
    text = POLLING_FAILED_SHORT.replace("Shared Image Version", "Image Version").replace("\u2502 ", "")
    [finding] = explain_text(text).findings
    assert finding["resource"] == VERSION_RESOURCE and finding["code"] == "CrpPirReplicationJobsNotCompleted"


def test_api_error_fields_are_go_unquoted():
    lines = ['Error: updating Gallery: polling failed: the Azure API returned the following error:', '',
             'Status: "Failed"', 'Code: "InvalidParameter"', r'Message: "The name \"a-b\" is invalid.\nTry again."',
             'Activity Id: ""', '', 'Error: next one']
    code, message, source, last = toolchain.parse_api_error(lines)
    assert (code, message, source, last) == ("InvalidParameter", 'The name "a-b" is invalid.\nTry again.',
                                             "terraform", 5)


def test_api_error_intro_without_fields_is_not_an_error_block():
    assert toolchain.parse_api_error(["x: the Azure API returned the following error:", "", "unrelated"]) is None


def test_second_error_keeps_its_own_resource():
    first, second = explain_text(TWO_ERRORS).findings
    assert first["id"] == "definition.feature-value-invalid"
    assert first["resource"] == {"resource_group": "rg-img", "gallery": "galx", "image": "cvm"}
    assert second["id"] == "gallery.name-invalid"
    assert second["resource"] == {"resource_group": "rg-img", "gallery": "gal-x"}


def test_error_after_a_closed_box_does_not_take_its_names():
    # A Packer build's error that states no names of its own, right after a Terraform box: the
    # names in the box are another resource's.
    text = POLLING_FAILED_SHORT + (
        "Build 'azure-arm' errored after 4 minutes: compute.GalleryImageVersionsClient#CreateOrUpdate: Failure "
        "sending request: StatusCode=409 -- Original Error: Code=\"OperationNotAllowed\" "
        "Message=\"Operation not allowed.\"\n")
    findings = explain_text(text).findings
    last = findings[-1]
    assert (last["code"], last["source"], last["resource"]) == ("OperationNotAllowed", "packer", {})
    assert [finding["resource"] for finding in findings] == [VERSION_RESOURCE, {}]


def test_nearest_statement_of_a_name_wins():
    text = 'Gallery Name: "old"\nImage Name: "img"\nGallery Name: "new"'
    assert toolchain.resource_names(text) == {"gallery": "new", "image": "img"}
