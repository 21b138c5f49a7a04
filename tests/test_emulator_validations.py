"""Service-side validations, straight over HTTPS (fast; `az` is covered elsewhere)."""

import copy

import pytest

SUB = "00000000-0000-0000-0000-000000000001"
PROD_SUB = "00000000-0000-0000-0000-000000000002"
RG = f"/subscriptions/{SUB}/resourceGroups/demo-rg/providers/Microsoft.Compute"
GALLERY = f"{RG}/galleries/demoGallery"
DEFINITION = f"{GALLERY}/images/demoImage"
DES = f"{RG}/diskEncryptionSets/demoDes"
PROD_DES = f"/subscriptions/{PROD_SUB}/resourceGroups/demo-rg/providers/Microsoft.Compute/" \
           "diskEncryptionSets/prodDes"


def vm(name):
    return f"{RG}/virtualMachines/{name}"


def version_body(source=None, regions=("eastus",), **profile):
    body = {"location": "eastus", "properties": {
        "publishingProfile": {"targetRegions": [{"name": r} for r in regions], **profile},
        "storageProfile": {"source": {"virtualMachineId": source or vm("demoVm")}}}}
    return body


def definition_body(**properties):
    base = {"identifier": {"publisher": "contoso", "offer": "other", "sku": "s1"},
            "osType": "Linux", "osState": "Generalized", "hyperVGeneration": "V2"}
    base.update(properties)
    return {"location": "eastus", "properties": base}


def with_encryption(body, per_region):
    body = copy.deepcopy(body)
    for entry in body["properties"]["publishingProfile"]["targetRegions"]:
        if entry["name"] in per_region:
            entry["encryption"] = per_region[entry["name"]]
    return body


@pytest.fixture
def demo(emulator):
    emulator.load("demo.yaml")
    return emulator


def expect_error(emulator, method, path, body, status, code, message, target=None):
    response = emulator.request(method, path, body)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert (error["code"], error["message"]) == (code, message)
    if target is not None:
        assert error["target"] == target
    return error


CASES = [
    # --- galleries and definitions -----------------------------------------------------------
    ("gallery-trailing-period", "PUT", f"{RG}/galleries/demo.", {"location": "eastus"}, 400,
     "InvalidResourceName", "The provided resource name 'demo.' has these invalid trailing "
     "characters: '.'. The name can not end with characters: '.'"),
    ("gallery-region-unavailable", "PUT", f"{RG}/galleries/g2", {"location": "Brazil Southeast"},
     400, "LocationNotAvailableForResourceType", "The provided location 'Brazil Southeast' is not "
     "available for resource type 'Microsoft.Compute/galleries'. List of available regions for "
     "the resource type is 'eastus,eastus2,westus,westus2,westcentralus,northeurope,westeurope,"
     "southeastasia'."),
    ("definition-trailing-underscore", "PUT", f"{GALLERY}/images/newDef_", definition_body(), 400,
     "InvalidResourceName", "The provided resource name 'demoGallery/newDef_' has these invalid "
     "trailing characters: '_'. The name can not end with characters: '_'"),
    ("definition-name-rule", "PUT", f"{GALLERY}/images/-bad", definition_body(), 400,
     "InvalidParameter", "The entity name '-bad' is invalid according to its validation rule: "
     r"^[^_\W][\w-._]{0,79}(?<![-.])$."),
    ("definition-identifier", "PUT", f"{GALLERY}/images/x", definition_body(
        identifier={"publisher": "contoso.", "offer": "o", "sku": "s"}), 400, "InvalidParameter",
     "Asset name galleryImage.properties.identifier.publisher is not valid. It cannot be empty. "
     "Allowed characters are uppercase or lowercase letters, digits, hyphen(-), period (.), "
     "underscore (_). Names are not allowed to end with period(.). The length of the name cannot "
     "exceed 128 characters."),
    ("definition-end-of-life", "PUT", f"{GALLERY}/images/x",
     definition_body(endOfLifeDate="2021-05-01T00:00:00Z"), 400, "InvalidParameter",
     "EndOfLifeDate must be set to a future date."),
    ("definition-bad-date", "PUT", f"{GALLERY}/images/x",
     definition_body(endOfLifeDate="next year"), 400, "InvalidRequestContent",
     "Could not convert string to DateTimeOffset: next year. Path 'properties.endOfLifeDate'"),
    ("definition-recommended", "PUT", f"{GALLERY}/images/x",
     definition_body(recommended={"vCPUs": {"min": 8, "max": 2}}), 400, "InvalidParameter",
     "The minimum value of vCPUs must not be greater than the maximum value of vCPUs."),
    ("definition-feature-change", "PUT", DEFINITION, definition_body(
        identifier={"publisher": "contoso", "offer": "demo", "sku": "ubuntu-22-gen2"},
        architecture="x64", features=[{"name": "SecurityType", "value": "TrustedLaunch"}]),
     409, "PropertyChangeNotAllowed", "Changing property 'SecurityType' is not allowed."),
    ("definition-feature-added", "PUT", DEFINITION, definition_body(
        identifier={"publisher": "contoso", "offer": "demo", "sku": "ubuntu-22-gen2"},
        features=[{"name": "SecurityType", "value": "Standard"},
                  {"name": "IsAcceleratedNetworkSupported", "value": "True"}]),
     409, "PropertyChangeNotAllowed",
     "Changing property 'IsAcceleratedNetworkSupported' is not allowed."),
    ("definition-first-feature-added", "PUT", f"{GALLERY}/images/demoImageGen1", definition_body(
        identifier={"publisher": "contoso", "offer": "demo", "sku": "ubuntu-22-gen1"},
        hyperVGeneration="V1", features=[{"name": "DiskControllerTypes", "value": "SCSI, NVMe"}]),
     409, "PropertyChangeNotAllowed", "Changing property 'DiskControllerTypes' is not allowed."),
    ("definition-feature-removed", "PUT", DEFINITION, definition_body(
        identifier={"publisher": "contoso", "offer": "demo", "sku": "ubuntu-22-gen2"},
        features=[]),
     409, "PropertyChangeNotAllowed", "Changing property 'SecurityType' is not allowed."),
    ("definition-other-region", "PUT", DEFINITION, dict(definition_body(), location="westus"),
     409, "InvalidResourceLocation", "The resource 'demoGallery/demoImage' already exists in "
     "location 'eastus' in resource group 'demo-rg'. A resource with the same name cannot be "
     "created in location 'westus'. Please select a new resource name."),
    ("definition-delete-nested", "DELETE", DEFINITION, None, 409, "CannotDeleteResource",
     "Can not delete resource before nested resources are deleted."),
    # --- versions: profile -----------------------------------------------------------------------
    ("version-parent", "PUT", f"{GALLERY}/images/nope/versions/1.0.0", version_body(), 404,
     "ParentResourceNotFound", "Can not perform requested operation on nested resource. Parent "
     "resource 'demoGallery/nope' not found."),
    ("version-name-int32", "PUT", f"{DEFINITION}/versions/1.0.2147483648", version_body(), 400,
     "InvalidParameter", "The image version name is invalid. The image version name should follow "
     "Major(int).Minor(int).Patch(int) format, for e.g: 1.0.0, 2018.12.1 etc"),
    ("version-duplicate-regions", "PUT", f"{DEFINITION}/versions/2.0.0",
     version_body(regions=("eastus", "East US")), 400, "InvalidParameter",
     "Duplicate regions are not allowed in target publishing regions."),
    ("version-regional-replicas", "PUT", f"{DEFINITION}/versions/2.0.0", {
        "location": "eastus", "properties": {
            "publishingProfile": {"targetRegions": [{"name": "eastus",
                                                     "regionalReplicaCount": 0}]},
            "storageProfile": {"source": {"virtualMachineId": vm("demoVm")}}}}, 400,
     "InvalidParameter", "The value 0 of parameter galleryImageVersion.properties."
     "publishingProfile.targetRegions.regionalReplicaCount is out of range. The value must be "
     "between 1 and 100, inclusive."),
    ("version-end-of-life", "PUT", f"{DEFINITION}/versions/2.0.0",
     version_body(endOfLifeDate="2020-01-01T00:00:00Z"), 400, "InvalidParameter",
     "EndOfLifeDate must be set to a future date."),
    ("version-replica-count", "PUT", f"{DEFINITION}/versions/2.0.0", version_body(replicaCount=101),
     400, "InvalidParameter", "The value 101 of parameter galleryImageVersion.properties."
     "publishingProfile.replicaCount is out of range. The value must be between 1 and 100, "
     "inclusive."),
    ("version-zrs-region", "PUT", f"{DEFINITION}/versions/2.0.0",
     version_body(regions=("eastus", "westus"), storageAccountType="Standard_ZRS"), 400,
     "InvalidParameter", "ZRS storage account type is not supported in this region."),
    # --- versions: sources -----------------------------------------------------------------------
    ("source-none", "PUT", f"{DEFINITION}/versions/2.0.0", {"location": "eastus", "properties": {
        "storageProfile": {}}}, 400, "InvalidParameter",
     "The gallery artifact version source can only be specified either directly under "
     "storageProfile or within individual OS or data disks. One and only one source type (user "
     "image, snapshot, disk, virtual machine) can be provided."),
    ("source-not-found", "PUT", f"{DEFINITION}/versions/2.0.0", version_body(vm("ghost")), 400,
     "InvalidParameter", f"Source {vm('ghost')} is not found. Please check source exists, and is "
     "in the same region as gallery image version being created."),
    ("source-relative-id", "PUT", f"{DEFINITION}/versions/2.0.0", {"location": "eastus",
     "properties": {"storageProfile": {"source": {"id": "resourceGroups/demo-rg/images/x"}}}},
     400, "LinkedInvalidPropertyId", "Property id 'resourceGroups/demo-rg/images/x' at path "
     "'properties.storageProfile.source.id' is invalid. Expect fully qualified resource Id that "
     "start with '/subscriptions/{subscriptionId}' or '/providers/{resourceProviderNamespace}/'."),
    ("source-wrong-kind", "PUT", f"{DEFINITION}/versions/2.0.0", {"location": "eastus",
     "properties": {"storageProfile": {"source": {"id": f"{RG}/snapshots/demoOsSnapshot"}}}},
     400, "InvalidParameter", f"The source id: {RG}/snapshots/demoOsSnapshot must either be a "
     "managed image, virtual machine or another gallery image version"),
    ("disk-source-wrong-kind", "PUT", f"{DEFINITION}/versions/2.0.0", {"location": "eastus",
     "properties": {"storageProfile": {"osDiskImage": {"source": {"id": vm("demoVm")}}}}},
     400, "InvalidParameter", f"The source id: {vm('demoVm')} must be a managed disk or snapshot"),
    ("disk-source-missing", "PUT", f"{DEFINITION}/versions/2.0.0", {"location": "eastus",
     "properties": {"storageProfile": {"osDiskImage": {"source": {
         "id": f"{RG}/snapshots/ghost"}}}}}, 400, "InvalidParameter",
     f"Source was not found: {RG}/snapshots/ghost. Please make sure the source exists"),
    ("duplicate-luns", "PUT", f"{DEFINITION}/versions/2.0.0", {"location": "eastus",
     "properties": {"storageProfile": {
         "osDiskImage": {"source": {"id": f"{RG}/snapshots/demoOsSnapshot"}},
         "dataDiskImages": [{"lun": 1, "source": {"id": f"{RG}/snapshots/demoDataSnapshot"}},
                            {"lun": 1, "source": {"id": f"{RG}/disks/demoVm_data1"}}]}}},
     400, "InvalidParameter", "Duplicated lun numbers have been detected in the input data disks. "
     "Lun number must be unique for each data disk."),
    ("duplicate-source-ids", "PUT", f"{DEFINITION}/versions/2.0.0", {"location": "eastus",
     "properties": {"storageProfile": {
         "osDiskImage": {"source": {"id": f"{RG}/snapshots/demoOsSnapshot"}},
         "dataDiskImages": [{"lun": 0, "source": {"id": f"{RG}/snapshots/demoDataSnapshot"}},
                            {"lun": 1, "source": {"id": f"{RG}/snapshots/demoDataSnapshot"}}]}}},
     400, "InvalidParameter", "Duplicated source ids are found in the input disks. Source id "
     "should be unique for each disk."),
    ("os-and-data-same-blob", "PUT", f"{DEFINITION}/versions/2.0.0", {"location": "eastus",
     "properties": {"storageProfile": {
         "osDiskImage": {"source": {"id": f"{RG}/snapshots/demoOsSnapshot"}},
         "dataDiskImages": [{"lun": 0, "source": {"id": f"{RG}/snapshots/demoOsSnapshot"}}]}}},
     400, "InvalidParameter", f"OSDiskImage and DataDiskImage cannot point to same blob "
     f"{RG}/snapshots/demoOsSnapshot"),
    ("ephemeral-os-disk", "PUT", f"{DEFINITION}/versions/2.0.0", version_body(vm("ephemeralVm")),
     400, "InvalidParameter", f"Source virtual machine {vm('ephemeralVm')} cannot contain an "
     "ephemeral OS disk."),
    ("ultra-disk", "PUT", f"{DEFINITION}/versions/2.0.0", version_body(vm("ultraVm")), 400,
     "InvalidParameter", f"Source virtual machine {vm('ultraVm')} cannot contain disk "
     f"['{RG}/disks/ultraVm_data0'] stored in an UltraSSD account type."),
    ("unmanaged-disks", "PUT", f"{GALLERY}/images/demoImageGen1/versions/2.0.0",
     version_body(vm("unmanagedVm")), 400, "InvalidParameter",
     f"Source virtual machine {vm('unmanagedVm')} must be created from Managed Disks."),
    ("os-type", "PUT", f"{DEFINITION}/versions/2.0.0", version_body(vm("windowsVm")), 409,
     "Conflict", f"The resource with id '{vm('windowsVm')}' has a different OS type ['Windows'] "
     "than the parent gallery image OS type generation ['Linux']"),
    ("managed-image-os-state", "PUT", f"{GALLERY}/images/demoImageSpecialized/versions/2.0.0",
     {"location": "eastus", "properties": {"storageProfile": {"source": {
         "id": f"{RG}/images/demoManagedImage"}}}}, 400, "BadRequest",
     f"Cannot create Gallery Image Version from: {RG}/images/demoManagedImage since the OS State "
     "in the parent gallery image (Specialized) is not Generalized."),
    ("security-type", "PUT", f"{DEFINITION}/versions/2.0.0", version_body(vm("trustedVm")), 409,
     "Conflict", f"The resource with id '{vm('trustedVm')}' has a different security type "
     "['TrustedLaunch'] than the parent gallery image security type ['Standard']."),
    ("architecture", "PUT", f"{DEFINITION}/versions/2.0.0", version_body(vm("armVm")), 409,
     "Conflict", f"The resource with id '{vm('armVm')}' has a different architecture ['Arm64'] "
     "than the parent gallery image architecture ['x64']."),
    ("plan", "PUT", f"{DEFINITION}/versions/2.0.0", version_body(vm("planVm")), 400, "BadRequest",
     f"The resource with id '{vm('planVm')}' has a different plan ['{{\"name\":\"cis-ubuntu2204-"
     "l1\",\"publisher\":\"center-for-internet-security-inc\",\"product\":\"cis-ubuntu-linux-2204-"
     "l1\",\"promotionCode\":null}'] than the parent gallery image plan ['null']."),
    ("source-other-region", "PUT", f"{DEFINITION}/versions/2.0.0", version_body(
        f"/subscriptions/{SUB}/resourceGroups/demo-west-rg/providers/Microsoft.Compute/"
        "virtualMachines/westVm"), 400, "InvalidParameter",
     f"Source /subscriptions/{SUB}/resourceGroups/demo-west-rg/providers/Microsoft.Compute/"
     "virtualMachines/westVm is not found. Please check source exists, and is in the same region "
     "as gallery image version being created."),
    # --- versions: encryption --------------------------------------------------------------------
    ("des-not-found", "PUT", f"{DEFINITION}/versions/2.0.0", with_encryption(version_body(), {
        "eastus": {"osDiskImage": {"diskEncryptionSetId": f"{RG}/diskEncryptionSets/ghost"}}}),
     400, "InvalidParameter", f"The disk encryption set {RG}/diskEncryptionSets/ghost was not "
     "found."),
    ("des-other-subscription", "PUT", f"{DEFINITION}/versions/2.0.0", with_encryption(
        version_body(), {"eastus": {"osDiskImage": {"diskEncryptionSetId": PROD_DES}}}), 400,
     "InvalidParameter", f"The disk encryption set '{PROD_DES}' must be in the same subscription "
     f"'{SUB}' as the gallery resource."),
    ("des-malformed", "PUT", f"{DEFINITION}/versions/2.0.0", with_encryption(version_body(), {
        "eastus": {"dataDiskImages": [{"lun": 0, "diskEncryptionSetId": "demoDes"}]}}), 400,
     "InvalidParameter", "The value of parameter galleryArtifactVersion.properties."
     "publishingProfile.targetRegions.encryption.dataDiskImages.diskEncryptionSetId is invalid."),
    ("des-every-region", "PUT", f"{DEFINITION}/versions/2.0.0", with_encryption(
        version_body(regions=("eastus", "westus")),
        {"eastus": {"osDiskImage": {"diskEncryptionSetId": DES}}}), 400, "InvalidParameter",
     "A disk encryption set is required for disk 'galleryArtifactVersion.properties."
     "publishingProfile.targetRegions.encryption.osDiskImage.diskEncryptionSetId' in target "
     f"region 'westus' since disk encryption set '{DES}' is used for the corresponding disk in "
     "region 'eastus'."),
    ("des-every-region-lun", "PUT", f"{DEFINITION}/versions/2.0.0", with_encryption(
        version_body(regions=("eastus", "westus")),
        {"eastus": {"dataDiskImages": [{"lun": 1, "diskEncryptionSetId": DES}]}}), 400,
     "InvalidParameter", "A disk encryption set is required for disk 'LUN 1' in target region "
     f"'westus' since disk encryption set '{DES}' is used for the corresponding disk in region "
     "'eastus'."),
    ("des-lun-not-in-source", "PUT", f"{DEFINITION}/versions/2.0.0", with_encryption(
        version_body(), {"eastus": {"dataDiskImages": [{"lun": 9, "diskEncryptionSetId": DES}]}}),
     400, "InvalidParameter", "An invalid lun [9] was specified in encryption.dataDiskImages. The "
     "lun must be one of the following values ['0,1']."),
    ("des-duplicate-luns", "PUT", f"{DEFINITION}/versions/2.0.0", with_encryption(
        version_body(), {"eastus": {"dataDiskImages": [{"lun": 0, "diskEncryptionSetId": DES},
                                                       {"lun": 0, "diskEncryptionSetId": DES}]}}),
     400, "InvalidParameter", "Duplicate luns '0' were specified in target region 'eastus' "
     "encryption.dataDiskImages."),
    # --- updates of the existing, replicated version 1.0.0 ---------------------------------------
    ("update-drops-replicated-region", "PUT", f"{DEFINITION}/versions/1.0.0", version_body(), 400,
     "BadRequest", f"Complete set of target locations not specified while updating gallery "
     f"artifact '{DEFINITION}/versions/1.0.0'. Deletion of previously replicated locations is not "
     "allowed unless safetyProfile.allowDeletionOfReplicatedLocations is set to true. Missing "
     "locations: 'West US'."),
    ("update-changes-source", "PUT", f"{DEFINITION}/versions/1.0.0",
     version_body(vm("runningVm"), regions=("eastus", "westus")), 409,
     "PropertyChangeNotAllowed", "Changing property 'galleryImageVersion.properties."
     "storageProfile.source.virtualMachineId' is not allowed."),
]


@pytest.mark.parametrize("method, path, body, status, code, message",
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_service_validation(demo, method, path, body, status, code, message):
    expect_error(demo, method, path, body, status, code, message)
    assert all(entry["status"] >= 400 for entry in demo.writes())


def test_property_change_names_the_property_as_target(demo):
    body = definition_body(identifier={"publisher": "contoso", "offer": "demo",
                                       "sku": "ubuntu-22-gen2"}, hyperVGeneration="V1")
    expect_error(demo, "PUT", DEFINITION, body, 409, "PropertyChangeNotAllowed",
                 "Changing property 'galleryImage.properties.hyperVGeneration' is not allowed.",
                 target="galleryImage.properties.hyperVGeneration")


NON_STANDARD_SECURITY_TYPES = ["TrustedLaunch", "TrustedLaunchSupported", "ConfidentialVM",
                               "ConfidentialVMSupported",
                               "TrustedLaunchAndConfidentialVmSupported"]


@pytest.mark.parametrize("security_type", NON_STANDARD_SECURITY_TYPES)
def test_gen1_definition_refuses_a_trusted_launch_or_confidential_security_type(demo,
                                                                               security_type):
    body = definition_body(hyperVGeneration="V1",
                           features=[{"name": "SecurityType", "value": security_type}])
    expect_error(demo, "PUT", f"{GALLERY}/images/newGen1", body, 400, "InvalidParameter",
                 f"The value '{security_type}' for feature 'SecurityType' is invalid. Allowed "
                 "characters are English alphanumerical characters with spaces and commas. The "
                 "length of the value cannot exceed 100 characters.",
                 target="galleryImage.properties.features")
    assert demo.request("GET", f"{GALLERY}/images/newGen1").status_code == 404


def test_gen1_definition_takes_the_standard_security_type_and_gen2_takes_the_others(demo):
    standard = definition_body(hyperVGeneration="V1",
                               features=[{"name": "SecurityType", "value": "Standard"}])
    assert demo.request("PUT", f"{GALLERY}/images/gen1Std", standard).status_code == 201
    for number, security_type in enumerate(NON_STANDARD_SECURITY_TYPES):
        body = definition_body(identifier={"publisher": "contoso", "offer": "gen2",
                                           "sku": f"s{number}"},
                               features=[{"name": "SecurityType", "value": security_type}])
        response = demo.request("PUT", f"{GALLERY}/images/gen2n{number}", body)
        assert response.status_code == 201, response.text


def test_definition_update_that_keeps_or_omits_the_features_succeeds(demo):
    stored = demo.request("GET", DEFINITION).json()
    same = {"location": "eastus", "properties": copy.deepcopy(stored["properties"])}
    same["properties"]["features"] = [{"name": "securitytype", "value": "standard"}]
    same["properties"]["description"] = "same features, other spelling"
    response = demo.request("PUT", DEFINITION, same)
    assert response.status_code == 200, response.text
    omitted = copy.deepcopy(same)
    for kept in ("features", "hyperVGeneration", "architecture"):
        del omitted["properties"][kept]
    response = demo.request("PUT", DEFINITION, omitted)
    assert response.status_code == 200, response.text
    shown = demo.request("GET", DEFINITION).json()["properties"]
    assert shown["features"] == [{"name": "securitytype", "value": "standard"}]
    assert (shown["hyperVGeneration"], shown["architecture"]) == ("V2", "x64")


def test_update_adding_an_encrypted_lun_is_refused(demo):
    body = with_encryption(version_body(regions=("eastus", "westus")), {
        region: {"dataDiskImages": [{"lun": 0, "diskEncryptionSetId": DES}]}
        for region in ("eastus", "westus")})
    expect_error(demo, "PUT", f"{DEFINITION}/versions/1.0.0", body, 400, "InvalidParameter",
                 "Cannot specify new data disk image encryption lun [0] with a disk encryption "
                 "set in region [eastus] for update gallery image version request. To update this "
                 "version, remove the new lun. If you need to change the data disk image "
                 "encryption settings, you must create a new gallery image version with the "
                 "correct settings.")


def test_trusted_launch_supported_definition_refuses_a_vm_source(demo):
    demo.request("PUT", f"{GALLERY}/images/tls", definition_body(
        features=[{"name": "SecurityType", "value": "TrustedLaunchSupported"}]))
    expect_error(demo, "PUT", f"{GALLERY}/images/tls/versions/1.0.0", version_body(), 400,
                 "InvalidParameter",
                 f"The security type 'TrustedLaunchSupported' is not supported for the source id "
                 f"'{vm('demoVm')}'. Currently only Vhd Blob, User Image and Gallery Image Version "
                 f"sources are supported for 'TrustedLaunchSupported' images.")


def test_confidential_vm_rules(demo):
    demo.request("PUT", f"{GALLERY}/images/cvm", definition_body(
        features=[{"name": "SecurityType", "value": "ConfidentialVM"}]))
    expect_error(demo, "PUT", f"{GALLERY}/images/cvm/versions/1.0.0", {
        "location": "eastus", "properties": {"storageProfile": {"source": {
            "id": f"{RG}/images/demoManagedImage"}}}}, 400, "InvalidParameter",
        f"Confidential VM is not supported for the source id '{RG}/images/demoManagedImage'. "
        "Currently Snapshot, Disk and VM sources are supported for the Confidential VM security "
        "type.")
    snapshot_source = {"osDiskImage": {"source": {"id": f"{RG}/snapshots/demoOsSnapshot"}}}
    expect_error(demo, "PUT", f"{GALLERY}/images/cvm/versions/1.0.0", {
        "location": "eastus", "properties": {"storageProfile": snapshot_source,
                                             "publishingProfile": {"targetRegions": [
                                                 {"name": "eastus"}]}}}, 400,
        "InvalidParameter", "The regional encryption.osDiskImage.securityProfile.type must be "
        "specified when the SecurityType of the image definition is ConfidentialVM.")
    regions = [{"name": r, "encryption": {"osDiskImage": {"securityProfile": {
        "confidentialVMEncryptionType": "EncryptedVMGuestStateOnlyWithPmk"}}}}
        for r in ("eastus", "westus")]
    expect_error(demo, "PUT", f"{GALLERY}/images/cvm/versions/1.0.0", {
        "location": "eastus", "properties": {"storageProfile": snapshot_source,
                                             "publishingProfile": {"targetRegions": regions}}},
        400, "InvalidParameter", "Only the home region 'eastus' can be specified as a target "
        "region for Images with the ConfidentialVM feature unless the Confidential VM encryption "
        "type is set to 'NonPersistedTPM'.")


def test_delete_blocked_before_end_of_life(demo):
    body = version_body(endOfLifeDate="2999-01-01T00:00:00Z")
    body["properties"]["safetyProfile"] = {"blockDeletionBeforeEndOfLife": True}
    assert demo.request("PUT", f"{DEFINITION}/versions/3.0.0", body).status_code == 201
    expect_error(demo, "DELETE", f"{DEFINITION}/versions/3.0.0", None, 409,
                 "DeleteGalleryImageVersionBlockedBeforeEndOfLife",
                 "Deletion of Gallery image version is not allowed because the image is enabled "
                 "for blockDeletionBeforeEndOfLife and its endOfLifeDate has not reached yet.")


def test_new_data_disk_on_update_is_refused(demo):
    body = {"location": "eastus", "properties": {
        "publishingProfile": {"targetRegions": [{"name": "eastus"}, {"name": "westus"}]},
        "storageProfile": {"source": {"virtualMachineId": vm("demoVm")},
                           "dataDiskImages": [{"lun": 0}, {"lun": 1}, {"lun": 5}]}}}
    expect_error(demo, "PUT", f"{DEFINITION}/versions/1.0.0", body, 400, "InvalidParameter",
                 "Adding new Data Disks or changing the LUN of a Data Disk in an existing Image "
                 "is not allowed.")


# --- VMs from gallery images ------------------------------------------------------------------

def vm_body(image_id, location="eastus", os_profile=True, security_type=None):
    properties = {"hardwareProfile": {"vmSize": "Standard_D2s_v5"},
                  "storageProfile": {"imageReference": {"id": image_id}}}
    if os_profile:
        properties["osProfile"] = {"computerName": "app", "adminUsername": "azureuser"}
    if security_type:
        properties["securityProfile"] = {"securityType": security_type}
    return {"location": location, "properties": properties}


def test_vm_from_version_not_replicated_to_its_region(demo):
    version = f"{DEFINITION}/versions/1.0.0"
    error = expect_error(demo, "PUT", vm("app"), vm_body(version, "northeurope"), 404,
                         "GalleryImageNotFound",
                         f"The gallery image {version} is not available in northeurope region. "
                         f"Please contact image owner to replicate to this region, or change "
                         f"your requested region.")
    assert error["target"] == "imageReference"
    expect_error(demo, "PUT", vm("app"), vm_body(DEFINITION, "westeurope"), 404,
                 "GalleryImageNotFound",
                 f"The gallery image {DEFINITION} is not available in westeurope region. Please "
                 f"contact image owner to replicate to this region, or change your requested "
                 f"region.")


def test_vm_os_profile_rules(demo):
    expect_error(demo, "PUT", vm("app"), vm_body(f"{DEFINITION}/versions/1.0.0",
                                                 os_profile=False), 400, "InvalidParameter",
                 "Required parameter 'osProfile' is missing (null).", target="osProfile")
    demo.request("PUT", f"{GALLERY}/images/demoImageSpecialized/versions/1.0.0",
                 version_body(vm("runningVm")))
    demo.advance(120)
    expect_error(demo, "PUT", vm("app"), vm_body(
        f"{GALLERY}/images/demoImageSpecialized/versions/1.0.0"), 400, "InvalidParameter",
        "Parameter 'osProfile' is not allowed.", target="osProfile")


def test_vm_security_type_rules(demo):
    demo.request("PUT", f"{GALLERY}/images/demoImageTrusted/versions/1.0.0",
                 version_body(vm("trustedVm")))
    demo.request("PUT", f"{GALLERY}/images/demoImageGen1/versions/1.0.0",
                 version_body(vm("gen1Vm")))
    demo.advance(120)
    expect_error(demo, "PUT", vm("app"), vm_body(f"{GALLERY}/images/demoImageTrusted/versions/"
                                                 "1.0.0"), 400, "BadRequest",
                 "The provided gallery image only supports creation of VMs and VM Scale Sets "
                 "with 'TrustedLaunch' security type.")
    expect_error(demo, "PUT", vm("app"), vm_body(f"{GALLERY}/images/demoImageGen1/versions/1.0.0",
                                                 security_type="TrustedLaunch"), 400,
                 "BadRequest", "Use of TrustedLaunch setting is not supported for the provided "
                 "image. Please select Trusted Launch Supported Gen2 OS Image.")
    created = demo.request("PUT", vm("app"), vm_body(f"{GALLERY}/images/demoImageTrusted/"
                                                     "versions/1.0.0",
                                                     security_type="TrustedLaunch"))
    assert created.status_code == 201
    assert created.json()["properties"]["storageProfile"]["osDisk"]["osType"] == "Linux"


# --- replication outcomes ---------------------------------------------------------------------

def test_replication_failure_in_a_chosen_region_fails_the_operation(emulator):
    emulator.load("demo.yaml")
    emulator.state.replication.fail_regions = {"westus": ""}
    created = emulator.request("PUT", f"{DEFINITION}/versions/4.0.0",
                               version_body(regions=("eastus", "westus")))
    operation_url = created.headers["Azure-AsyncOperation"]
    assert created.headers["Retry-After"] == "1"
    assert emulator.request("GET", operation_url).json()["status"] == "InProgress"
    emulator.advance(120)
    operation = emulator.request("GET", operation_url).json()
    assert operation["status"] == "Failed"
    assert operation["error"] == {"code": "CrpPirReplicationJobsNotCompleted",
                                  "message": "Replication job not completed at region: westus"}
    emulator.state.replication.fail_regions = {"westus": "Disk copy timed out."}
    status = emulator.request("GET", f"{DEFINITION}/versions/4.0.0?$expand=ReplicationStatus") \
        .json()["properties"]["replicationStatus"]
    assert status["aggregatedState"] == "Failed"
    assert status["summary"][1] == {"region": "West US", "state": "Failed", "progress": 50,
                                    "details": "Replication failed in this region due to 'Disk "
                                               "copy timed out'"}


def test_disk_from_a_version_needs_an_existing_lun_and_a_replica(demo):
    version = f"{DEFINITION}/versions/1.0.0"

    def disk_body(lun, location="eastus"):
        return {"location": location, "properties": {"creationData": {
            "createOption": "FromImage", "galleryImageReference": {"id": version, "lun": lun}}}}

    error = expect_error(demo, "PUT", f"{RG}/disks/fromVersion", disk_body(7), 400,
                         "InvalidParameter", "The value of parameter imageReference is invalid.")
    assert error["target"] == "imageReference"
    expect_error(demo, "PUT", f"{RG}/disks/fromVersion", disk_body(0, "westeurope"), 404,
                 "GalleryImageNotFound", f"The gallery image {version} is not available in "
                 "westeurope region. Please contact image owner to replicate to this region, or "
                 "change your requested region.")
    # The disk RP answers a create with 202 (recorded: tests/contract/test_gallery_specialized.yaml).
    assert demo.request("PUT", f"{RG}/disks/fromVersion", disk_body(1)).status_code == 202


def test_a_version_being_deleted_refuses_updates_until_the_delete_ends(demo):
    demo.state.lro_seconds = 300
    version = f"{DEFINITION}/versions/1.0.0"
    deleted = demo.request("DELETE", version)
    assert deleted.status_code == 202
    assert demo.request("GET", version).json()["properties"]["provisioningState"] == "Deleting"
    expect_error(demo, "PUT", version, version_body(regions=("eastus", "westus")), 409,
                 "OperationNotAllowed", "Operation 'Update Gallery Image Version' is not on "
                 "allowed on 1.0.0; since it is marked for deletion. You can only retry the Delete "
                 "operation (or wait for an ongoing one to complete).")
    assert demo.request("GET", deleted.headers["Azure-AsyncOperation"]).json()["status"] == \
        "InProgress"
    demo.advance(300)
    assert demo.request("GET", deleted.headers["Azure-AsyncOperation"]).json()["status"] == \
        "Succeeded"
    assert demo.request("GET", version).status_code == 404
