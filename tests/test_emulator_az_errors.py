"""Documented service errors come back through the real `az` with their code and message."""

from concurrent.futures import ThreadPoolExecutor

import pytest

SUB = "00000000-0000-0000-0000-000000000001"
RG = f"/subscriptions/{SUB}/resourceGroups/demo-rg/providers/Microsoft.Compute"
VERSION_CREATE = ["sig", "image-version", "create", "-g", "demo-rg", "-r", "demoGallery",
                  "-i", "demoImage", "-o", "json"]


def _vm(name):
    return f"{RG}/virtualMachines/{name}"


CASES = [
    ("gallery-name-dash", ["sig", "create", "-g", "demo-rg", "-r", "bad-name"],
     "InvalidParameter", "Gallery name is invalid. Allowed characters are English alphanumeric "
     "characters, with underscores, and periods allowed in the middle, up to 80 characters total. "
     "All other special characters, including dashes, are disallowed."),
    ("gallery-other-region", ["sig", "create", "-g", "demo-rg", "-r", "demoGallery",
                              "-l", "westus"],
     "InvalidResourceLocation", "The resource 'demoGallery' already exists in location 'eastus' "
     "in resource group 'demo-rg'. A resource with the same name cannot be created in location "
     "'westus'. Please select a new resource name."),
    ("gallery-name-not-unique", ["sig", "create", "-g", "demo-west-rg", "-r", "demoGallery"],
     "GalleryNameNotUnique", f"The gallery name demoGallery is not unique within the "
     f"subscription {SUB}. Please pick another gallery name."),
    ("gallery-delete-nested", ["sig", "delete", "-g", "demo-rg", "-r", "demoGallery"],
     "CannotDeleteResource", "Can not delete resource before nested resources are deleted."),
    ("definition-parent-missing", ["sig", "image-definition", "create", "-g", "demo-rg",
                                   "-r", "noSuchGallery", "-i", "d", "--publisher", "p",
                                   "--offer", "o", "--sku", "s", "--os-type", "Linux"],
     "ParentResourceNotFound", "Can not perform requested operation on nested resource. Parent "
     "resource 'noSuchGallery' not found."),
    ("definition-identifier-taken", ["sig", "image-definition", "create", "-g", "demo-rg",
                                     "-r", "demoGallery", "-i", "copy", "--publisher", "contoso",
                                     "--offer", "demo", "--sku", "ubuntu-22-gen2",
                                     "--os-type", "Linux", "--hyper-v-generation", "V2"],
     "OperationNotAllowed", "Gallery image: copy identified by (publisher:contoso, offer:demo, "
     "sku:ubuntu-22-gen2) already exists. Choose a different publisher, offer, sku combination."),
    ("definition-trailing-underscore", ["sig", "image-definition", "create", "-g", "demo-rg",
                                        "-r", "demoGallery", "-i", "newDef_", "--publisher", "p",
                                        "--offer", "o", "--sku", "s", "--os-type", "Linux"],
     "InvalidResourceName", "The provided resource name 'demoGallery/newDef_' has these invalid "
     "trailing characters: '_'. The name can not end with characters: '_'"),
    ("definition-gen1-trusted-launch", ["sig", "image-definition", "create", "-g", "demo-rg",
                                        "-r", "demoGallery", "-i", "newGen1", "--publisher", "p",
                                        "--offer", "o", "--sku", "s", "--os-type", "Linux",
                                        "--hyper-v-generation", "V1",
                                        "--features", "SecurityType=TrustedLaunch"],
     "InvalidParameter", "The value 'TrustedLaunch' for feature 'SecurityType' is invalid. "
     "Allowed characters are English alphanumerical characters with spaces and commas. The "
     "length of the value cannot exceed 100 characters."),
    ("definition-feature-added", ["sig", "image-definition", "update", "-g", "demo-rg",
                                  "-r", "demoGallery", "-i", "demoImage", "--add", "features",
                                  "name=IsAcceleratedNetworkSupported", "value=True"],
     "PropertyChangeNotAllowed", "Changing property 'IsAcceleratedNetworkSupported' is not "
     "allowed."),
    ("definition-os-state-change", ["sig", "image-definition", "update", "-g", "demo-rg",
                                    "-r", "demoGallery", "-i", "demoImage",
                                    "--set", "osState=Specialized"],
     "PropertyChangeNotAllowed", "Changing property 'galleryImage.properties.osState' is not "
     "allowed."),
    ("version-os-state", VERSION_CREATE + ["-e", "2.0.0", "--virtual-machine", _vm("runningVm")],
     "BadRequest", f"The resource with id '{_vm('runningVm')}' has a different OS state "
     "['Specialized'] than the parent gallery image OS state ['Generalized']."),
    ("version-hyperv", VERSION_CREATE + ["-e", "2.0.0", "--virtual-machine", _vm("gen1Vm")],
     "Conflict", f"The resource with id '{_vm('gen1Vm')}' has a different Hypervisor generation "
     "['V1'] than the parent gallery image Hypervisor generation ['V2']."),
    ("version-region-missing", VERSION_CREATE + ["-e", "2.0.0", "--virtual-machine", _vm("demoVm"),
                                                 "--target-regions", "westus"],
     "InvalidParameter", "Gallery image version publishing profile regions 'westus' must contain "
     "the location of image version 'eastus'."),
    ("version-too-big-replication", VERSION_CREATE + ["-e", "9.9.9", "--virtual-machine",
                                                      _vm("bigDiskVm")],
     "GallerySourceResourceExceedsMaxSize", "The GalleryImageVersion source resource size 2520 "
     "exceeds the max size 2048 supported."),
    ("update-drops-replicated-region", ["sig", "image-version", "update", "-g", "demo-rg",
                                        "-r", "demoGallery", "-i", "demoImage", "-e", "1.0.0",
                                        "--target-regions", "eastus"],
     "BadRequest", "Complete set of target locations not specified while updating gallery "
     f"artifact '{RG}/galleries/demoGallery/images/demoImage/versions/1.0.0'. Deletion of "
     "previously replicated locations is not allowed unless safetyProfile."
     "allowDeletionOfReplicatedLocations is set to true. Missing locations: 'West US'."),
    ("vm-source-as-plain-id", VERSION_CREATE + ["-e", "2.0.0", "--managed-image", _vm("demoVm")],
     "InvalidParameter", f"The gallery image version source id: '{_vm('demoVm')}' must be "
     "specified in 'galleryImageVersion.properties.storageProfile.source.virtualMachineId'."),
]


@pytest.fixture(scope="module")
def results(emulator):
    """Every case's `az` run. None of them changes anything, so they run side by side (each az
    start costs about a second of CPU)."""
    emulator.load("demo.yaml")
    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = pool.map(lambda case: emulator.az(*case[1]), CASES)
        return {case[0]: outcome for case, outcome in zip(CASES, outcomes)}


@pytest.mark.parametrize("case_id, code, message", [(c[0], c[2], c[3]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_documented_error_reaches_az(results, case_id, code, message):
    result = results[case_id]
    assert result.exit_code != 0
    assert f"({code}) {message}" in result.stderr, result.stderr


def test_only_the_oversized_source_was_accepted_and_it_failed_later(emulator, results):
    accepted = [entry for entry in emulator.writes() if entry["status"] < 400]
    assert [(e["method"], e["path"].rsplit("/", 1)[-1]) for e in accepted] == [("PUT", "9.9.9")]
    assert accepted[0]["body"]["properties"]["storageProfile"]["source"]["virtualMachineId"] \
        == _vm("bigDiskVm")
    version = emulator.request("GET", f"{RG}/galleries/demoGallery/images/demoImage/versions/"
                                      "9.9.9?$expand=ReplicationStatus").json()
    assert version["properties"]["provisioningState"] == "Failed"
    assert version["properties"]["replicationStatus"]["aggregatedState"] == "Failed"
