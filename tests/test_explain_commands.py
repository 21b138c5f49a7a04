"""The next commands of a finding and its fixed command: the notes that go with the commands, the
PowerShell lines, the user's own command line (or the request it sent) with the fix applied, and
the values filled in from the request body (az --debug) and from what Packer printed before failing."""

import json
import os
from types import SimpleNamespace

from azext_sig_doctor import knowledge
from azext_sig_doctor.checks import report
from azext_sig_doctor.checks.registry import FAIL, PASS
from azext_sig_doctor.domain import request as requests
from azext_sig_doctor.explain import explain_source, explain_text, render, toolchain
from tests.test_explain_matrix import SUBSCRIPTION

SAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "samples")
P = "DEBUG: cli.azure.cli.core.sdk.policies: "
COMPUTE = "/subscriptions/{}/resourceGroups/rg-img/providers/Microsoft.Compute".format(SUBSCRIPTION)
VERSION_PATH = COMPUTE + "/galleries/galA/images/imgA/versions/1.2.3"
DEFINITION_PATH = COMPUTE + "/galleries/galA/images/imgA"
VM_PATH = COMPUTE + "/virtualMachines/vm1"
SOURCE_ID = COMPUTE + "/images/src"
REPLICATION_MESSAGE = ("Gallery replication jobs failed in one or more regions. The failing regions' details are as "
                       "follows: '{region:westus2, detail:Failed with internal server error.}'.")
DUPLICATE_MESSAGE = "Duplicate regions are not allowed in target publishing regions."
IDENTIFIER_MESSAGE = ("Gallery image: imgA identified by (publisher:Contoso, offer:UbuntuServer, sku:22_04) already "
                      "exists. Choose a different publisher, offer, sku combination.")
TRUSTED_LAUNCH_MESSAGE = ("The provided gallery image only supports creation of VMs and VM Scale Sets with "
                          "'TrustedLaunch' security type.")


def debug_log(path, body, code, message, method="PUT"):
    """An az --debug log of one failed request to ``path`` that sent ``body``."""
    url = "https://management.azure.com{}?api-version=2023-07-03".format(path)
    return "\n".join([
        P + "Request URL: '{}'".format(url),
        P + "Request method: '{}'".format(method),
        P + "Request body:",
        P + json.dumps(body),
        P + "Response status: 400",
        P + "Response content:",
        P + json.dumps({"error": {"code": code, "message": message}}),
        "ERROR: ({}) {}".format(code, message),
    ]) + "\n"


def version_body(*regions):
    return {"location": "westeurope", "properties": {
        "publishingProfile": {"targetRegions": list(regions)}, "storageProfile": {"source": {"id": SOURCE_ID}}}}


# ---- notes ------------------------------------------------------------------------------------------

def test_notes_come_with_the_commands_they_explain_and_the_commands_stay_ready_to_paste():
    body = version_body({"name": "westeurope"}, {"name": "westus2"})
    [finding] = explain_text(debug_log(VERSION_PATH, body, "BadRequest", REPLICATION_MESSAGE)).findings
    assert finding["id"] == "replication.failed-in-regions"
    commands, notes = finding["commands"], finding["command_notes"]
    assert len(notes) == len(commands) == 3
    assert notes[0] == "the position of westus2 in this list (from 0) is the index to remove"
    assert "--allow-replicated-location-deletion" in notes[1]
    # The add only makes sense after the removal: its note says so, with the region filled in.
    # Every step acts in the subscription of the failed version (from the request URL).
    assert commands[2].endswith("--add publishingProfile.targetRegions name=westus2 --subscription " + SUBSCRIPTION)
    assert "westus2" in notes[2]
    assert all(isinstance(command, str) and "#" not in command and "{" not in command for command in commands)
    assert len(finding["powershell_notes"]) == len(finding["powershell"]) == 3
    assert json.loads(json.dumps(finding))["command_notes"] == notes


def test_report_prints_each_note_as_a_comment_under_its_command():
    [finding] = explain_text(debug_log(VERSION_PATH, version_body({"name": "westus2"}), "BadRequest",
                                       REPLICATION_MESSAGE)).findings
    lines = render.report([finding]).splitlines()
    remove = next(index for index, line in enumerate(lines) if "--remove publishingProfile.targetRegions" in line)
    assert lines[remove].startswith("   run: az sig image-version update -g rg-img")
    assert lines[remove + 1] == "        # " + finding["command_notes"][1]


def test_a_command_without_a_note_gets_no_comment_line():
    [finding] = explain_text(debug_log(VERSION_PATH, version_body({"name": "westus2"}), "InvalidParameter",
                                       DUPLICATE_MESSAGE)).findings
    finding = dict(finding, command_notes=[None] * len(finding["commands"]))
    assert "#" not in render.report([finding])


def check_finding(error_id, status=FAIL):
    request = requests.parse("version", {"resource_group_name": "rg", "gallery_name": "gal",
                                         "gallery_image_name": "img",
                                         "gallery_image_version": "1.0.0", "location": "eastus"}, "s")
    rule = SimpleNamespace(id="version.test-rule", title="a rule", error_id_for=lambda outcome: error_id)
    return report.make_finding(request, rule, SimpleNamespace(status=status, values={}, detail="observed",
                                                               reason_class=None))


def test_check_findings_carry_the_note_of_each_command():
    finding = check_finding("version.update-drops-regions")
    assert finding["commands"][1] == "az sig image-version update -g rg -r gal -i img -e 1.0.0 " \
        "--allow-replicated-location-deletion true"
    assert finding["command_notes"] == [None, "only when removing a region is really intended"]
    assert check_finding("version.update-drops-regions", PASS)["command_notes"] == []


# ---- PowerShell -------------------------------------------------------------------------------------

def test_an_az_step_offered_for_powershell_says_so_unless_the_entry_marks_it_the_same():
    [finding] = explain_text(debug_log(VERSION_PATH, version_body({"name": "westus2"}), "BadRequest",
                                       REPLICATION_MESSAGE)).findings
    # The removal and the new copy have no cmdlet of their own; the entry marks their az lines
    # as running unchanged in PowerShell, so they come without the warning.
    assert finding["powershell"][1:] == finding["commands"][1:]
    assert knowledge.az_in_powershell_note() not in " ".join(note or "" for note in finding["powershell_notes"])
    assert finding["powershell"][0].startswith("(Get-AzGalleryImageVersion -ResourceGroupName rg-img")


def test_a_powershell_input_gets_the_powershell_lines_in_the_report():
    [finding] = explain_source(os.path.join(SAMPLES, "new-azgalleryimagedefinition.powershell-debug.txt")).findings
    assert finding["source"] == "powershell"
    runs = [line for line in render.report([finding]).splitlines() if line.startswith("   run: ")]
    assert runs and all(not line.startswith("   run: az ") for line in runs)
    assert runs[0] == "   run: " + finding["powershell"][0]


# ---- duplicate regions ------------------------------------------------------------------------------

def test_a_new_definition_takes_the_os_type_and_state_that_were_sent():
    body = {"location": "westeurope", "properties": {
        "osType": "Linux", "osState": "Generalized", "hyperVGeneration": "V2",
        "identifier": {"publisher": "Contoso", "offer": "UbuntuServer", "sku": "22_04"}}}
    [finding] = explain_text(debug_log(DEFINITION_PATH, body, "OperationNotAllowed", IDENTIFIER_MESSAGE)).findings
    assert finding["id"] == "definition.identifier-taken"
    # Which SKU to take instead is the user's choice: no command is written, the reason is.
    assert finding["fixed_command"] is None and finding["unresolved"].startswith("no change of the command fixes it")
    assert "$_.Identifier.Sku -eq '22_04'" in finding["powershell"][0]


def test_a_vm_create_is_written_again_with_the_security_type_the_image_needs():
    body = {"location": "westeurope", "properties": {"storageProfile": {"imageReference": {"id": VERSION_PATH}}}}
    line = ("DEBUG: cli.knack.cli: Command arguments: ['vm', 'create', '-g', 'rg-img', '-n', 'vm1', '--image', '{}', "
            "'--admin-username', 'azureuser', '--generate-ssh-keys', '--nsg', '', '--size', 'Standard_D2s_v5']"
            .format(VERSION_PATH))
    [finding] = explain_text(line + "\n" + debug_log(VM_PATH, body, "BadRequest", TRUSTED_LAUNCH_MESSAGE)).findings
    assert finding["id"] == "vm.trusted-launch-required"
    # The user's line, every option kept (an empty --nsg too), the security type added.
    assert finding["fixed_command"] == (
        "az vm create -g rg-img -n vm1 --image {} --admin-username azureuser --generate-ssh-keys --nsg '' "
        "--size Standard_D2s_v5 --security-type TrustedLaunch".format(VERSION_PATH))
    assert finding["edit"] == "create the VM with --security-type TrustedLaunch"


def test_a_body_of_an_unexpected_shape_gives_a_finding_not_a_traceback():
    body = {"location": ["x"], "properties": {"publishingProfile": "x", "storageProfile": [1], "features": "y",
                                              "identifier": 3, "virtualMachineProfile": []}}
    [finding] = explain_text(debug_log(VERSION_PATH, body, "InvalidParameter", DUPLICATE_MESSAGE)).findings
    assert finding["id"] == "version.duplicate-regions" and finding["resource"]["gallery"] == "galA"


# ---- values from Packer's output ---------------------------------------------------------------------

def packer_log(regions="[westeurope northeurope westeurope]", message=DUPLICATE_MESSAGE, build="azure-arm"):
    """Packer's azure-arm builder as it prints: the build resource group with the location, the
    provisioning, then the gallery it publishes to, then the failure."""
    say = "==> {}: ".format(build)
    return "\n".join(
        [say + "Creating resource group ...",
         say + " -> ResourceGroupName : 'pkr-Resource-Group-abc'",
         say + " -> Location          : 'westeurope'"]
        + ["    {}: provisioning step {}".format(build, number) for number in range(60)]
        + [say + "Publishing to Shared Image Gallery ...",
           say + " -> MDI ID used for SIG publish           : '{}'".format(SOURCE_ID),
           say + " -> SIG publish resource group            : 'rg-images'",
           say + " -> SIG gallery name                      : 'contoso_images'",
           say + " -> SIG image name                        : 'ubuntu-22'",
           say + " -> SIG image version                     : '1.5.0'",
           say + " -> SIG replication regions               : '{}'".format(regions),
           say + " -> SIG storage account type              : 'Standard_LRS'",
           say + "ERROR: -> InvalidParameter : {}".format(message),
           "Build '{}' errored after 12 minutes 3 seconds: compute.GalleryImageVersionsClient#CreateOrUpdate: "
           "Failure sending request: StatusCode=400 -- Original Error: Code=\"InvalidParameter\" "
           "Message=\"{}\"".format(build, message)]) + "\n"


def test_packer_statements_fill_the_gallery_target_location_and_regions():
    [finding] = explain_text(packer_log()).findings
    assert finding["id"] == "version.duplicate-regions" and finding["count"] == 1
    assert {key: finding["resource"].get(key) for key in ("resource_group", "gallery", "image", "version")} == \
        {"resource_group": "rg-images", "gallery": "contoso_images", "image": "ubuntu-22", "version": "1.5.0"}
    # Packer's failure is fixed in its template, not with an az command beside it.
    assert finding["fixed_command"] is None
    assert finding["tool_fix"] == {"tool": "packer", "build": "azure-arm", "setting": "list each region once in "
                                   "shared_image_gallery_destination.replication_regions"}


def test_packer_values_of_another_build_are_not_taken():
    other = packer_log(build="azure-arm.other").replace("'westeurope'", "'eastus'")
    mine = packer_log(build="azure-arm.mine")
    # The other build's lines come last, nearest to the error, but they are not this build's.
    lines = mine.splitlines()
    text = "\n".join(lines[:-2] + other.splitlines()[:-2] + lines[-2:]) + "\n"
    [finding] = explain_text(text).findings
    assert finding["values"].get("region") in (None, "westeurope") and finding["tool_fix"]["build"] == "azure-arm.mine"


def test_the_shipped_packer_sample_fills_the_region_from_the_gallery_region():
    [finding] = explain_source(os.path.join(SAMPLES, "packer-azure-arm.txt")).findings
    assert finding["values"]["region"] == "eastus"
    # The build VM is Packer's and gone once the build failed: no command names it.
    assert "pkrvm" in finding["values"]["source_id"] and finding["commands"] == []
    assert "shared_image_gallery_destination" in finding["tool_fix"]["setting"]


def test_packer_region_lists_that_cannot_be_split_are_left_out():
    assert toolchain.packer_label("==> azure-arm:  -> SIG replication regions : '[eastus westus2]'")[1] == \
        {"regions": "eastus, westus2", "unique_regions": "eastus, westus2"}
    # Go prints a list of display names as one run of words: where one ends is lost.
    assert toolchain.packer_label("==> azure-arm:  -> SIG replication regions : '[East US West US 2]'") is None


def test_a_resource_id_value_gives_its_group_and_name_to_commands():
    # The VM to detach from is named by the source id, not by the gallery's resource group.
    message = ("Source virtual machine /subscriptions/{sub}/resourceGroups/rg-build/providers/Microsoft.Compute/"
               "virtualMachines/sql-build-01 cannot contain disk ['/subscriptions/{sub}/resourceGroups/rg-build/"
               "providers/Microsoft.Compute/disks/sql-build-01-ultra'] stored in an UltraSSD account type."
               ).format(sub=SUBSCRIPTION)
    finding = explain_text(message).findings[0]
    assert finding["id"] == "version.source-ultra-ssd"
    detach = next(command for command in finding["commands"] if "disk detach" in command)
    assert detach.startswith("az vm disk detach -g rg-build --vm-name sql-build-01 --disk-ids /subscriptions/")


def test_id_parts_leave_values_that_are_not_resource_ids_alone():
    values = knowledge.with_id_parts({"source_id": "buildVm", "des_id": COMPUTE + "/diskEncryptionSets/des1"})
    assert "source_resource_group" not in values and "source_name" not in values
    assert (values["des_resource_group"], values["des_name"]) == ("rg-img", "des1")


# ---- the source of a version ---------------------------------------------------------------------------

HOME_MESSAGE = ("Gallery image version publishing profile regions 'westus' must contain the location of image "
                "version 'eastus'.")


def test_a_missing_home_region_joins_the_regions_as_sent_with_their_counts_and_types():
    body = {"location": "eastus", "properties": {
        "publishingProfile": {"targetRegions": [
            {"name": "westus", "regionalReplicaCount": 2, "storageAccountType": "Premium_LRS"}]},
        "storageProfile": {"source": {"virtualMachineId": VM_PATH}}}}
    [finding] = explain_text(debug_log(VERSION_PATH, body, "InvalidParameter", HOME_MESSAGE)).findings
    assert finding["id"] == "version.source-region-not-targeted"
    assert finding["values"]["regions"] == "westus"  # the message's words stay in the cause
    # No command line in the log: the request it sent is written as a command, the home region added.
    assert finding["fixed_command"] == ("az sig image-version create -g rg-img -r galA -i imgA -e 1.2.3 -l eastus "
                                        "--target-regions eastus westus=2=Premium_LRS --virtual-machine " + VM_PATH)
    assert ("-TargetRegion @(@{Name='eastus'}, @{Name='westus'; ReplicaCount=2; StorageAccountType='Premium_LRS'})"
            in finding["fixed_command_powershell"]) and "-SourceImageVMId '{}'".format(VM_PATH) in \
        finding["fixed_command_powershell"]


def test_a_snapshot_source_comes_back_with_its_data_disks():
    os_snapshot, data_snapshot = COMPUTE + "/snapshots/os0", COMPUTE + "/disks/data1"
    body = {"location": "westeurope", "properties": {
        "publishingProfile": {"targetRegions": [{"name": "westeurope"}, {"name": "westeurope"}]},
        "storageProfile": {"osDiskImage": {"source": {"id": os_snapshot}},
                           "dataDiskImages": [{"lun": 1, "source": {"id": data_snapshot}}]}}}
    [finding] = explain_text(debug_log(VERSION_PATH, body, "InvalidParameter", DUPLICATE_MESSAGE)).findings
    assert finding["fixed_command"].endswith(
        "--target-regions westeurope --os-snapshot {} --data-snapshots {} --data-snapshot-luns 1".format(
            os_snapshot, data_snapshot))
    assert "-OSDiskImage @{{Source=@{{Id='{}'}}}} -DataDiskImage @(@{{Source=@{{Id='{}'}}; Lun=1}})".format(
        os_snapshot, data_snapshot) in finding["fixed_command_powershell"]


def test_without_a_request_the_source_comes_from_the_command_line():
    log = "\n".join([
        "DEBUG: cli.knack.cli: Command arguments: ['sig', 'image-version', 'create', '-g', 'rg-img', '-r', 'galA', "
        "'-i', 'imgA', '-e', '1.2.3', '--managed-image', 'golden', '--target-regions', 'westus', 'westus']",
        "ERROR: (InvalidParameter) " + DUPLICATE_MESSAGE]) + "\n"
    [finding] = explain_text(log).findings
    # The user's own line: the image by its name, each region once.
    assert finding["fixed_command"] == ("az sig image-version create -g rg-img -r galA -i imgA -e 1.2.3 "
                                        "--managed-image golden --target-regions westus")


def test_the_shipped_replication_sample_removes_the_region_before_adding_it_back():
    [finding] = explain_source(os.path.join(SAMPLES, "replication-failed.lro-status.json")).findings
    assert finding["id"] == "replication.job-not-completed"
    commands, notes = finding["commands"], finding["command_notes"]
    remove = next(index for index, command in enumerate(commands) if "--remove publishingProfile" in command)
    add = next(index for index, command in enumerate(commands) if "--add publishingProfile" in command)
    assert remove < add and commands[add].endswith("name=westcentralus")
    assert "<index of westcentralus>" in commands[remove]
    assert "wait until the removal" in notes[add]


# ---- the definition a taken identifier is about -------------------------------------------------------

def transcript(prompt_line, message=HOME_MESSAGE):
    """A PowerShell transcript (no -Debug) of one gallery cmdlet that failed."""
    return "\n".join([
        "**********************", "PowerShell transcript start", "**********************",
        prompt_line,
        "New-AzGalleryImageVersion: " + message,
        "ErrorCode: InvalidParameter",
        "ErrorMessage: " + message,
        "ErrorTarget:",
        "StatusCode: 400",
        "ReasonPhrase: Bad Request",
        "OperationID : 4c1d7a10-0000-4e55-9bb1-5b8a3c7e2f10",
        "**********************", "PowerShell transcript end", "**********************"]) + "\n"


def test_a_transcripts_prompt_line_names_the_resource_and_the_source():
    line = ("PS C:\\build> New-AzGalleryImageVersion -ResourceGroupName rg-img -GalleryName gal01 "
            "-GalleryImageDefinitionName win22 -Name 1.2.0 -Location eastus -SourceImageVMId " + VM_PATH +
            " -TargetRegion $regions -Tag @{owner='s3cret-tag'}")
    [finding] = explain_text(transcript(line)).findings
    assert finding["id"] == "version.source-region-not-targeted" and finding["source"] == "powershell"
    assert {key: finding["resource"].get(key) for key in ("resource_group", "gallery", "image", "version")} == \
        {"resource_group": "rg-img", "gallery": "gal01", "image": "win22", "version": "1.2.0"}
    # A cmdlet's line is no az command line: nothing is rewritten, and the finding says so.
    assert finding["fixed_command"] is None and finding["unresolved"]
    assert "s3cret-tag" not in json.dumps(finding)


def test_only_the_named_parameters_of_a_gallery_cmdlet_are_read():
    from azext_sig_doctor.explain import powershell
    definition = ("PS> New-AzGalleryImageDefinition -ResourceGroupName:'rg one' -GalleryName \"gal`\"01\" "
                  "-Name $name -Location:westus -Publisher P -Description 'password=hunter2' -OsState Generalized")
    assert powershell.command_values(definition) == {"resource_group": "rg one", "gallery": 'gal"01',
                                                     "region": "westus"}
    assert powershell.command_values("PS C:\\> Update-AzGallery -ResourceGroupName rg -Name gal") == \
        {"resource_group": "rg", "gallery": "gal"}
    # -Name of another gallery cmdlet is not a gallery, definition or version.
    assert powershell.command_values("PS C:\\> New-AzGalleryApplication -ResourceGroupName rg -Name app") == \
        {"resource_group": "rg"}
    assert powershell.command_values("PS C:\\> New-AzVM -ResourceGroupName rg -Name vm1") == {}
    assert powershell.command_values("New-AzGalleryImageVersion -ResourceGroupName rg") == {}
    assert powershell.command_values("PS C:\\> New-AzGalleryImageVersion -GalleryName \"$g\" -Name") == {}


def test_explain_also_fixes_what_the_pre_checks_find_offline_in_the_failed_command():
    """The service names the first problem only: the fixed command must not fail on the next one
    (a SKU az refuses, Trusted Launch on Gen1), which the offline pre-checks see in the same line."""
    from azext_sig_doctor.explain import explain_error
    words = ["sig", "image-definition", "create", "-g", "rg", "-r", "gal", "-i", "tl def", "--os-type", "Linux",
             "-p", "p", "-f", "f", "-s", "s 1", "--hyper-v-generation", "V1", "--features",
             "SecurityType=TrustedLaunch"]
    finding = explain_error("InvalidParameter", "The entity name 'tl def' is invalid according to its validation "
                            "rule: ^[^_\\W][\\w-._]{0,79}(?<![-.])$.", command_words=words)
    assert finding["id"] == "definition.name-invalid"
    assert finding["fixed_command"] == ("az sig image-definition create -g rg -r gal -i tl-def --os-type Linux -p p "
                                        "-f f -s s-1 --hyper-v-generation V2 --features SecurityType=TrustedLaunch")
    assert {item["error_id"] for item in finding["fix_details"]["also_fixed"]} == {
        "definition.identifier-invalid", "definition.feature-value-invalid"}
