"""What a finding says: the resource and operation from the request, values from the URL and body,
long-running operations, folding and counting, log order, unknown errors, table and report."""

import json

import pytest

from azext_sig_doctor import _format, knowledge
from azext_sig_doctor.explain import explain_text, render
from tests.test_explain_matrix import EXPECTED_RESOURCE, SUBSCRIPTION, VERSION_PATH, az_debug, az_error_only

REGION_MESSAGE = ("Gallery image version publishing profile regions 'westeurope' must contain the location of "
                  "image version 'eastus'.")
REPLICA_MESSAGE = ("The value 0 of parameter 'galleryImageVersion.properties.publishingProfile.replicaCount' is out "
                   "of range. The value must be between 1 and 100, inclusive.")
P = "DEBUG: cli.azure.cli.core.sdk.policies: "


def test_values_missing_from_the_message_come_from_the_url_and_body():
    [finding] = explain_text(az_debug("InvalidParameter", REPLICA_MESSAGE)).findings
    assert finding["id"] == "version.replica-count-out-of-range"
    values = finding["values"]
    assert values["min_value"] == "1" and values["value"] == "0"  # from the message
    assert (values["resource_group"], values["gallery"], values["image"], values["version"]) == \
        ("rg-img", "galA", "imgA", "1.2.3")  # from the URL
    # The step acts in the subscription of the resource the log names, whatever the default is.
    update = ("az sig image-version update -g rg-img -r galA -i imgA -e 1.2.3 --replica-count 1 --subscription "
              + VERSION_PATH.split("/")[2])
    assert update in finding["commands"]
    assert all("<" not in command for command in finding["commands"])
    # The body sent holds no replica count out of range (the message does): nothing to change in it.
    assert finding["fixed_command"] is None and finding["unresolved"].startswith("no change of the command")
    assert finding["operation"] == {"method": "PUT", "path": VERSION_PATH}
    assert {key: finding["resource"][key] for key in EXPECTED_RESOURCE} == EXPECTED_RESOURCE
    assert finding["resource"]["resource_id"] == VERSION_PATH
    assert finding["status"] == 400 and finding["source"] == "az-debug"


def test_message_values_win_over_the_request():
    [finding] = explain_text(az_debug("InvalidParameter", REGION_MESSAGE)).findings
    assert finding["values"]["regions"] == "westeurope" and finding["values"]["source_region"] == "eastus"
    assert "eastus" in finding["cause"] and "{" not in finding["cause"]


def test_long_running_operation_failure_is_tied_to_the_resource_that_was_put():
    poll = ("https://management.azure.com/subscriptions/{}/providers/Microsoft.Compute/locations/eastus/"
            "capsOperations/9c1d5e2a?api-version=2024-03-03".format(SUBSCRIPTION))
    status = json.dumps({"startTime": "2026-11-23T18:00:00+00:00", "status": "Failed", "name": "9c1d5e2a",
                         "error": {"code": "CrpPirReplicationJobsNotCompleted",
                                   "message": "Replication job not completed at region: westcentralus"}})
    log = "\n".join([
        P + "Request URL: 'https://management.azure.com{}?api-version=2024-03-03'".format(VERSION_PATH),
        P + "Request method: 'PUT'",
        P + "Response status: 201",
        P + "Request URL: '{}'".format(poll),
        P + "Request method: 'GET'",
        P + "Response status: 200",
        P + "Response content:",
        P + json.dumps({"status": "InProgress"}),
        P + "Request URL: '{}'".format(poll),
        P + "Request method: 'GET'",
        P + "Response status: 200",
        P + "Response content:",
        P + status,
        "ERROR: (CrpPirReplicationJobsNotCompleted) Replication job not completed at region: westcentralus",
        "Code: CrpPirReplicationJobsNotCompleted",
    ])
    [finding] = explain_text(log).findings
    assert finding["id"] == "replication.job-not-completed" and finding["line"] == 13
    assert finding["values"]["region"] == "westcentralus"
    assert finding["operation"] == {"method": "PUT", "path": VERSION_PATH}
    assert finding["resource"]["version"] == "1.2.3" and finding["count"] == 1


def test_bare_code_message_body_of_a_failed_response():
    log = "\n".join([P + "Request URL: 'https://management.azure.com{}?api-version=1'".format(VERSION_PATH),
                     P + "Request method: 'PUT'", P + "Response status: 400", P + "Response content:",
                     P + json.dumps({"code": "InvalidParameter", "message": REGION_MESSAGE})])
    [finding] = explain_text(log).findings
    assert finding["id"] == "version.source-region-not-targeted" and finding["line"] == 5


def test_same_failure_twice_is_folded_with_a_count_and_echoes_are_not_counted():
    once = az_debug("InvalidParameter", REGION_MESSAGE)
    findings = explain_text(once + once).findings
    assert len(findings) == 1
    assert findings[0]["count"] == 2 and findings[0]["line"] == 14


def test_different_resources_or_errors_stay_apart_in_log_order():
    other = az_debug("InvalidParameter", REPLICA_MESSAGE)
    elsewhere = az_debug("InvalidParameter", REGION_MESSAGE).replace("galleries/galA", "galleries/galB")
    findings = explain_text(az_debug("InvalidParameter", REGION_MESSAGE) + other + elsewhere).findings
    assert [(f["id"], f["resource"]["gallery"]) for f in findings] == [
        ("version.source-region-not-targeted", "galA"), ("version.replica-count-out-of-range", "galA"),
        ("version.source-region-not-targeted", "galB")]
    assert [f["line"] for f in findings] == sorted(f["line"] for f in findings)
    assert all(f["count"] == 1 for f in findings)


def test_unknown_error_is_honest_with_nearest_known_entries():
    message = ("Gallery image version publishing profile regions list is too long for the location of image "
               "version and the unicorns.")
    [finding] = explain_text(az_error_only("InvalidParameter", message)).findings
    assert finding["id"] is None and finding["code"] == "InvalidParameter" and finding["message"] == message
    assert finding["cause"] is None and finding["commands"] == []
    assert "version.source-region-not-targeted" in finding["nearest"]
    assert set(finding["nearest"]) <= set(knowledge.ids())


def test_unknown_code_only_message_gets_no_forced_entry():
    [finding] = explain_text("(SomeNewCode) The fluxgate capacitor is offline.").findings
    assert finding["id"] is None and finding["code"] == "SomeNewCode"


def test_plain_messages_in_a_file_each_get_a_finding():
    text = REGION_MESSAGE + "\n\n" + REPLICA_MESSAGE + "\n"
    assert [f["id"] for f in explain_text(text).findings] == [
        "version.source-region-not-targeted", "version.replica-count-out-of-range"]


def test_aad_token_errors_are_reported_as_unknown():
    line = ('DEBUG: msal.token_cache: {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid '
            'client secret provided."}')
    [finding] = explain_text(line).findings
    assert finding["id"] is None and finding["code"] == "invalid_client"


def test_table_rows_and_human_report():
    findings = explain_text(az_debug("InvalidParameter", REGION_MESSAGE) + az_error_only(
        "Weird", "Something nobody knows about.")).findings
    rows = _format.explain_table(findings)
    assert [row["Id"] for row in rows] == ["version.source-region-not-targeted", "(unknown)"]
    assert rows[0]["Resource"] == "galA/imgA/1.2.3" and rows[0]["Line"] == 14
    report = render.report(findings)
    assert report.startswith("2 failures found.")
    assert "fixed command: az sig image-version create -g rg-img -r galA -i imgA -e 1.2.3" in report
    assert "Something nobody knows about." in report
    assert render.report([], bytes_read=0).startswith("The input is empty")


def _get_404(name):
    path = VERSION_PATH.replace("versions/1.2.3", "versions/" + name)
    return "\n".join([P + "Request URL: 'https://management.azure.com{}?api-version=1'".format(path),
                      P + "Request method: 'GET'", P + "Response status: 404", P + "Response content:",
                      P + json.dumps({"error": {"code": "ResourceNotFound", "message": "The Resource "
                                                "'Microsoft.Compute/galleries/galA/images/imgA/versions/{}' under "
                                                "resource group 'rg-img' was not found.".format(name)}}), ""])


def test_existence_check_404_that_the_client_tolerated_is_not_a_failure():
    findings = explain_text(_get_404("1.2.3") + az_debug("InvalidParameter", REGION_MESSAGE)).findings
    assert [f["id"] for f in findings] == ["version.source-region-not-targeted"]


def test_404_that_ended_the_command_is_a_failure():
    findings = explain_text(_get_404("9.9.9") + "ERROR: (ResourceNotFound) The Resource was not found.\n").findings
    assert [(f["code"], f["resource"]["version"]) for f in findings] == [("ResourceNotFound", "9.9.9")]


PS_BINDING_ERROR = """\
New-AzGalleryImageDefinition : Cannot bind parameter 'OsState'. Cannot convert value "Generalised" to type \
"Microsoft.Azure.Management.Compute.Models.OperatingSystemStateTypes". Error: "Unable to match the identifier name \
Generalised to a valid enumerator name. Specify one of the following enumerator names and try again:
Generalized, Specialized"
At line:1 char:98
+ ... -OsState Generalised
+          ~~~~~~~~~~~
    + CategoryInfo          : InvalidArgument: (:) [New-AzGalleryImageDefinition], ParameterBindingException
    + FullyQualifiedErrorId : CannotConvertArgumentNoMessage,Microsoft.Azure.Commands.Compute.Automation.\
NewAzureRmGalleryImage
"""


def test_powershell_parameter_binding_record_deep_in_a_big_transcript():
    noise = "VERBOSE: Performing the operation on target contoso.\n" * 30000  # past the small-input fallback
    [finding] = explain_text(noise + PS_BINDING_ERROR + noise).findings
    assert finding["id"] == "definition.powershell-enum-binding" and finding["line"] == 30001
    assert finding["values"]["value"] == "Generalised" and finding["source"] == "powershell"


def test_ci_annotations_and_powershell_wrapped_az_lines():
    lines = ["2026-11-23T18:00:00.1234567Z ##[error]ERROR: (InvalidParameter) " + REGION_MESSAGE,
             "az : ERROR: (InvalidParameter) " + REPLICA_MESSAGE,
             "At line:1 char:1",
             "+ az sig image-version create -g rg-img ...",
             "    + CategoryInfo          : NotSpecified: (ERROR: (InvalidParameter) ...:String) [], RemoteException"]
    findings = explain_text("\n\n".join(lines)).findings
    assert [f["id"] for f in findings] == ["version.source-region-not-targeted", "version.replica-count-out-of-range"]


SAMPLES = {
    "image-version-create.debug.log": ("version.source-region-not-targeted", {"gallery": "demoGallery",
                                                                             "version": "1.0.1"}),
    "new-azgalleryimagedefinition.powershell-debug.txt": ("definition.identifier-taken",
                                                          {"gallery": "contoso_images", "image": "ubuntu-22-base-v2"}),
    "packer-azure-arm.txt": ("version.trusted-launch-supported-vm-source",
                             {"gallery": "contoso_images", "image": "ubuntu-22-tl", "version": "1.4.0"}),
    "terraform-apply.txt": ("version.update-drops-regions", {"resource_group": "rg-images", "version": "1.3.0"}),
    "replication-failed.lro-status.json": ("replication.job-not-completed", {}),
}


def test_each_shipped_sample_gives_one_finding_on_its_resource():
    import os
    from azext_sig_doctor.explain import explain_source
    folder = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "samples")
    assert set(SAMPLES) <= set(os.listdir(folder))
    for name, (entry_id, resource) in SAMPLES.items():
        [finding] = explain_source(os.path.join(folder, name)).findings
        assert finding["id"] == entry_id and finding["count"] == 1, name
        assert {key: finding["resource"].get(key) for key in resource} == resource, name
        # The message is the service's text alone: no frame, no source lines of the tool around it.
        assert not any(mark in finding["message"] for mark in ("\u2502", "main.tf", "==>")), name


def test_colour_codes_from_a_terminal_capture_are_ignored():
    text = "\x1b[91mERROR: (InvalidParameter) " + REGION_MESSAGE + "\x1b[0m\n\x1b[91mCode: InvalidParameter\x1b[0m\n"
    [finding] = explain_text(text).findings
    assert finding["id"] == "version.source-region-not-targeted" and "\x1b" not in finding["message"]


@pytest.mark.parametrize("source,vm_steps", [("virtualMachines/build-vm", 3), ("images/golden", 0),
                                             ("snapshots/os-snap", 0)])
def test_vm_steps_are_offered_only_for_a_vm_source(source, vm_steps):
    # `az vm generalize --ids <a managed image>` fails as pasted: such a step is left out.
    source_id = ("/subscriptions/3f2c8a1e-5b7d-4e9a-9c61-2d4b8f0a7e15/resourceGroups/rg/providers/Microsoft.Compute/"
                 + source)
    text = ("Cannot create Gallery Image Version from: {} since the OS State in the parent gallery image "
            "(Specialized) is not Generalized.".format(source_id))
    [finding] = explain_text(text).findings
    assert finding["id"] == "version.os-state-mismatch"
    assert sum(command.startswith("az vm ") for command in finding["commands"]) == vm_steps
    assert len(finding["commands"]) == len(finding["command_notes"]) == len(finding["powershell"])
