"""Template deployment failures: a detail whose message is the resource provider's whole error body
in JSON, the resource named by a detail's target, and one finding per failed detail."""

import json

from azext_sig_doctor.explain import explain_text
from azext_sig_doctor.explain.armjson import error_from_object

SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-111122223333"
GROUP_PATH = "/subscriptions/{}/resourceGroups/rg-images".format(SUBSCRIPTION)
DEPLOYMENT_ID = GROUP_PATH + "/providers/Microsoft.Resources/deployments/gallery-deploy"
VERSION_ID = GROUP_PATH + "/providers/Microsoft.Compute/galleries/contoso_images/images/ubuntu-22/versions/1.0.0"
OTHER_VERSION_ID = VERSION_ID.replace("ubuntu-22", "win-2022")
SUMMARY = ("At least one resource deployment operation failed. Please list deployment operations for details. "
           "Please see https://aka.ms/arm-deployment-operations for usage details.")
REGION_MESSAGE = ("Gallery image version publishing profile regions 'westus' must contain the location of image "
                  "version 'eastus'.")
NAME_MESSAGE = ("Gallery name is invalid. Allowed characters are English alphanumeric characters, with "
                "underscores, and periods allowed in the middle, up to 80 characters total.")
REPLICA_MESSAGE = ("The value 0 of parameter 'galleryImageVersion.properties.publishingProfile.replicaCount' is "
                   "out of range. The value must be between 1 and 100, inclusive.")
RESOURCE_KEYS = ("subscription", "resource_group", "gallery", "image", "version")


def provider_body(code, message):
    """A resource provider's error body as a deployment operation quotes it (pretty, CRLF)."""
    body = {"error": {"code": code, "message": message,
                      "target": "galleryImageVersion.properties.publishingProfile.targetRegions"}}
    return json.dumps(body, indent=2).replace("\n", "\r\n")


def deployment_failure(*details):
    return {"status": "Failed", "error": {"code": "DeploymentFailed", "target": DEPLOYMENT_ID, "message": SUMMARY,
                                          "details": list(details)}}


def quoted_detail(target=VERSION_ID, code="InvalidParameter", message=REGION_MESSAGE):
    return {"code": "BadRequest", "target": target, "message": provider_body(code, message)}


NAME_DETAIL = {"code": "Conflict", "message": NAME_MESSAGE}


def explain(data):
    return explain_text(json.dumps(data, indent=2)).findings


def test_a_detail_quoting_the_providers_error_gives_its_code_message_and_resource():
    [finding] = explain(deployment_failure(quoted_detail()))
    assert finding["id"] == "version.source-region-not-targeted"
    assert (finding["code"], finding["message"]) == ("InvalidParameter", REGION_MESSAGE)
    assert finding["target"] == VERSION_ID
    assert {key: finding["resource"].get(key) for key in RESOURCE_KEYS} == {
        "subscription": SUBSCRIPTION, "resource_group": "rg-images", "gallery": "contoso_images",
        "image": "ubuntu-22", "version": "1.0.0"}
    assert finding["resource"]["resource_id"] == VERSION_ID
    # A template deployment is fixed in the template (no command line or request body of the version
    # to rewrite): the finding says so rather than inventing a command.
    assert finding["fixed_command"] is None and finding["unresolved"]


def test_the_unwrapped_error_keeps_the_outer_target_and_the_inner_details():
    inner = json.dumps({"error": {"code": "InvalidParameter", "message": REGION_MESSAGE, "target": "properties",
                                  "details": [{"code": "Inner", "message": "more"}]}})
    part = error_from_object({"code": "BadRequest", "target": VERSION_ID, "message": inner})
    assert (part.code, part.message, part.target) == ("InvalidParameter", REGION_MESSAGE, VERSION_ID)
    assert [(detail.code, detail.message) for detail in part.details] == [("Inner", "more")]


def test_a_message_that_only_looks_like_json_is_kept_as_it_is():
    for message in ('{"error": {"code": "X"', '{"not": "an error"}', "{}"):
        part = error_from_object({"code": "BadRequest", "message": message})
        assert (part.code, part.message) == ("BadRequest", message)


def test_details_on_different_resources_are_one_finding_each_in_order():
    findings = explain(deployment_failure(quoted_detail(), NAME_DETAIL))
    assert [finding["id"] for finding in findings] == ["version.source-region-not-targeted", "gallery.name-invalid"]
    assert [finding["code"] for finding in findings] == ["InvalidParameter", "Conflict"]
    assert [finding["message"] for finding in findings] == [REGION_MESSAGE, NAME_MESSAGE]
    version, gallery = findings
    assert version["target"] == VERSION_ID and version["resource"]["version"] == "1.0.0"
    # The detail without a target names no resource; the deployment's own id is none either.
    assert gallery["target"] is None and gallery["resource"] == {}
    assert all(finding["code"] != "DeploymentFailed" for finding in findings)


def test_the_same_entry_on_two_resources_is_two_findings():
    findings = explain(deployment_failure(quoted_detail(), quoted_detail(target=OTHER_VERSION_ID)))
    assert [finding["id"] for finding in findings] == ["version.source-region-not-targeted"] * 2
    assert [finding["resource"]["image"] for finding in findings] == ["ubuntu-22", "win-2022"]


def test_one_real_error_in_a_generic_envelope_stays_one_finding():
    [finding] = explain(deployment_failure({"code": "InvalidParameter", "target": VERSION_ID,
                                            "message": REGION_MESSAGE}))
    assert finding["id"] == "version.source-region-not-targeted" and finding["code"] == "InvalidParameter"
    # Two details of the same error on the same resource (or none named) are still one failure.
    [finding] = explain(deployment_failure(quoted_detail(), quoted_detail()))
    assert finding["id"] == "version.source-region-not-targeted" and finding["count"] == 1
    [finding] = explain({"error": {"code": "InvalidParameter", "message": REGION_MESSAGE, "details": [
        {"code": "InvalidParameter", "target": "properties", "message": REGION_MESSAGE},
        {"code": "Info", "message": "See the publishing profile."}]}})
    assert finding["id"] == "version.source-region-not-targeted"


def test_a_repeated_deployment_failure_counts_each_finding():
    body = json.dumps(deployment_failure(quoted_detail(), NAME_DETAIL))
    findings = explain_text(body + "\n\n" + body + "\n").findings
    assert [(finding["id"], finding["count"]) for finding in findings] == [
        ("version.source-region-not-targeted", 2), ("gallery.name-invalid", 2)]


def az_deployment_debug(failure):
    """``az deployment group create --debug``: the deployment PUT, the failed poll, az's error."""
    prefix = "DEBUG: cli.azure.cli.core.sdk.policies: "
    url = "https://management.azure.com" + DEPLOYMENT_ID + "?api-version=2022-09-01"
    poll = ("https://management.azure.com" + DEPLOYMENT_ID + "/operationStatuses/08584?api-version=2022-09-01")
    lines = [
        "DEBUG: cli.knack.cli: Command arguments: ['deployment', 'group', 'create', '--debug']",
        prefix + "Request URL: '{}'".format(url),
        prefix + "Request method: 'PUT'",
        prefix + "Request body:",
        prefix + json.dumps({"properties": {"mode": "Incremental", "template": {}}}),
        prefix + "Response status: 201",
        prefix + "Response content:",
        prefix + json.dumps({"id": DEPLOYMENT_ID, "properties": {"provisioningState": "Accepted"}}),
        prefix + "Request URL: '{}'".format(poll),
        prefix + "Request method: 'GET'",
        prefix + "Response status: 200",
        prefix + "Response content:",
        prefix + json.dumps(failure),
        "ERROR: cli.azure.cli.core.azclierror: " + json.dumps(failure),
        "ERROR: az_command_data_logger: " + json.dumps(failure),
    ]
    return "\n".join(lines) + "\n"


def test_a_deployment_log_names_each_failed_resource_and_folds_the_echo():
    failure = deployment_failure(quoted_detail(), quoted_detail(target=OTHER_VERSION_ID, message=REPLICA_MESSAGE))
    findings = explain_text(az_deployment_debug(failure)).findings
    assert [finding["id"] for finding in findings] == ["version.source-region-not-targeted",
                                                       "version.replica-count-out-of-range"]
    assert [finding["count"] for finding in findings] == [1, 1]
    # The resource is the one each detail names, not the deployment the request was about.
    assert [finding["resource"]["resource_id"] for finding in findings] == [VERSION_ID, OTHER_VERSION_ID]
    assert all(finding["operation"]["method"] == "PUT" for finding in findings)
