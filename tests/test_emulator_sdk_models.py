"""Every resource shape the emulator returns survives the azure-mgmt-compute models the CLI
ships, and the SDK's own pipeline (paging, LRO polling, errors) works against it."""

import time

import pytest
from azure.core.credentials import AccessToken
from azure.core.exceptions import HttpResponseError, ResourceExistsError
from azure.mgmt.compute import ComputeManagementClient
from azure.mgmt.compute.v2019_04_01 import models as sku_models
from azure.mgmt.compute.v2022_03_02 import models as des_models
from azure.mgmt.compute.v2023_04_02 import models as disk_models
from azure.mgmt.compute.v2023_07_03 import models as gallery_models
from azure.mgmt.compute.v2023_10_02 import models as snapshot_models
from azure.mgmt.compute.v2024_11_01 import models as vm_models

SUB = "00000000-0000-0000-0000-000000000001"
RG = f"/subscriptions/{SUB}/resourceGroups/demo-rg/providers/Microsoft.Compute"

# The API versions azure-cli 2.91 uses: 2023-07-03 for gallery work (see azure-facts.md), the
# default profile for the rest.
MODELS = {
    "Microsoft.Compute/galleries": gallery_models.Gallery,
    "Microsoft.Compute/galleries/images": gallery_models.GalleryImage,
    "Microsoft.Compute/galleries/images/versions": gallery_models.GalleryImageVersion,
    "Microsoft.Compute/virtualMachines": vm_models.VirtualMachine,
    "Microsoft.Compute/images": vm_models.Image,
    "Microsoft.Compute/snapshots": snapshot_models.Snapshot,
    "Microsoft.Compute/disks": disk_models.Disk,
    "Microsoft.Compute/diskEncryptionSets": des_models.DiskEncryptionSet,
}
EXPANDS = {"Microsoft.Compute/galleries/images/versions": "ReplicationStatus",
           "Microsoft.Compute/virtualMachines": "instanceView"}



def _leaf_paths(value, prefix=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaf_paths(item, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list):
        for item in value:
            yield from _leaf_paths(item, prefix)
    elif value is not None:
        yield prefix


def _all_demo_resources(emulator):
    state = emulator.request("GET", "/_emulator/state").json()
    for resource_id in state["resources"]:
        type_name = emulator.request("GET", resource_id).json()["type"]
        expand = EXPANDS.get(type_name)
        path = resource_id + (f"?$expand={expand}" if expand else "")
        yield type_name, emulator.request("GET", path).json()


@pytest.fixture
def demo(emulator):
    emulator.load("demo.yaml")
    return emulator


def test_every_wire_field_of_every_demo_resource_survives_the_sdk_models(demo):
    seen_types = set()
    for type_name, raw in _all_demo_resources(demo):
        model = MODELS[type_name].deserialize(raw)
        back = model.serialize(keep_readonly=True)
        lost = set(_leaf_paths(raw)) - set(_leaf_paths(back))
        assert not lost, f"{raw['id']}: fields the SDK does not know: {sorted(lost)}"
        assert model.id == raw["id"] and model.name == raw["name"]
        seen_types.add(type_name)
    assert seen_types == set(MODELS)


def test_the_field_comparison_would_notice_a_misspelled_wire_name():
    raw = {"id": "/x", "name": "x", "location": "eastus",
           "properties": {"hyperVGeneration": "V2", "hyperVGen": "V2"}}
    back = gallery_models.GalleryImage.deserialize(raw).serialize(keep_readonly=True)
    assert set(_leaf_paths(raw)) - set(_leaf_paths(back)) == {"properties.hyperVGen"}


def test_key_fields_read_through_the_models(demo):
    version = gallery_models.GalleryImageVersion.deserialize(demo.request(
        "GET", f"{RG}/galleries/demoGallery/images/demoImage/versions/1.0.0"
               "?$expand=ReplicationStatus").json())
    assert version.replication_status.aggregated_state == "Completed"
    assert [s.region for s in version.replication_status.summary] == ["East US", "West US"]
    assert version.storage_profile.source.virtual_machine_id.endswith("/virtualMachines/demoVm")
    assert [d.lun for d in version.storage_profile.data_disk_images] == [0, 1]

    definition = gallery_models.GalleryImage.deserialize(demo.request(
        "GET", f"{RG}/galleries/demoGallery/images/demoImageTrusted").json())
    assert (definition.hyper_v_generation, definition.architecture) == ("V2", "x64")
    assert [(f.name, f.value) for f in definition.features] == [("SecurityType", "TrustedLaunch")]

    vm = vm_models.VirtualMachine.deserialize(demo.request(
        "GET", f"{RG}/virtualMachines/ephemeralVm?$expand=instanceView").json())
    assert vm.storage_profile.os_disk.diff_disk_settings.option == "Local"
    assert "OSState/generalized" in [s.code for s in vm.instance_view.statuses]
    assert vm.instance_view.hyper_v_generation == "V2"
    ultra = vm_models.VirtualMachine.deserialize(demo.request(
        "GET", f"{RG}/virtualMachines/ultraVm").json())
    assert ultra.storage_profile.data_disks[0].managed_disk.storage_account_type == "UltraSSD_LRS"
    trusted = vm_models.VirtualMachine.deserialize(demo.request(
        "GET", f"{RG}/virtualMachines/trustedVm").json())
    assert trusted.security_profile.security_type == "TrustedLaunch"
    plan = vm_models.VirtualMachine.deserialize(demo.request(
        "GET", f"{RG}/virtualMachines/planVm").json())
    assert plan.plan.publisher == "center-for-internet-security-inc"
    unmanaged = vm_models.VirtualMachine.deserialize(demo.request(
        "GET", f"{RG}/virtualMachines/unmanagedVm").json())
    assert unmanaged.storage_profile.os_disk.vhd.uri.endswith(".vhd")

    view = vm_models.VirtualMachineInstanceView.deserialize(demo.request(
        "GET", f"{RG}/virtualMachines/demoVm/instanceView").json())
    assert [d.name for d in view.disks] == ["demoVm_OsDisk", "demoVm_data0", "demoVm_data1"]

    disk = disk_models.Disk.deserialize(demo.request("GET", f"{RG}/disks/demoVm_OsDisk").json())
    assert (disk.os_type, disk.hyper_v_generation, disk.disk_size_gb) == ("Linux", "V2", 30)
    assert disk.supported_capabilities.architecture == "x64"
    trusted_disk = disk_models.Disk.deserialize(demo.request(
        "GET", f"{RG}/disks/trustedVm_OsDisk").json())
    assert trusted_disk.security_profile.security_type == "TrustedLaunch"


def test_skus_provider_and_locations_deserialise(demo):
    skus = demo.request("GET", f"/subscriptions/{SUB}/providers/Microsoft.Compute/skus").json()
    parsed = [sku_models.ResourceSku.deserialize(item) for item in skus["value"]]
    zoned = {s.locations[0] for s in parsed if s.resource_type == "disks"
             and s.location_info[0].zones}
    assert "eastus" in zoned and "westus" not in zoned
    only_west = demo.request("GET", f"/subscriptions/{SUB}/providers/Microsoft.Compute/skus"
                                    "?$filter=location eq 'westus'").json()["value"]
    assert only_west and {item["locations"][0] for item in only_west} == {"westus"}
    provider = demo.request("GET", f"/subscriptions/{SUB}/providers/Microsoft.Compute").json()
    galleries = next(t for t in provider["resourceTypes"] if t["resourceType"] == "galleries")
    assert "East US" in galleries["locations"]
    assert "Australia Central 2" not in galleries["locations"]


class _Token:
    def __init__(self, emulator):
        self._emulator = emulator

    def get_token(self, *scopes, **kwargs):  # pylint: disable=unused-argument
        return AccessToken(self._emulator.emulator.token(), int(time.time()) + 3600)


def _client(emulator, **kwargs):
    return ComputeManagementClient(_Token(emulator), SUB, base_url=emulator.url,
                                   connection_verify=emulator.ca_path,
                                   credential_scopes=["https://management.core.windows.net/.default"],
                                   **kwargs)


def test_sdk_pipeline_pages_polls_and_raises_service_errors(emulator):
    emulator.load({"page_size": 1, "resources": [
        {"id": f"{RG}/galleries/g{n}", "location": "eastus"} for n in range(3)]})
    client = _client(emulator, api_version="2023-07-03")
    assert sorted(g.name for g in client.galleries.list_by_resource_group("demo-rg")) == \
        ["g0", "g1", "g2"]
    assert sorted(g.name for g in client.galleries.list()) == ["g0", "g1", "g2"]

    poller = client.gallery_images.begin_create_or_update(
        "demo-rg", "g0", "def", gallery_models.GalleryImage(
            location="eastus", os_type="Linux", os_state="Generalized",
            identifier=gallery_models.GalleryImageIdentifier(publisher="p", offer="o", sku="s")))
    created = poller.result()
    assert created.provisioning_state == "Succeeded"

    updated = client.galleries.begin_update(
        "demo-rg", "g0", gallery_models.GalleryUpdate(description="patched")).result()
    assert updated.description == "patched"

    with pytest.raises(ResourceExistsError) as conflict:
        client.gallery_images.begin_create_or_update(
            "demo-rg", "g0", "def", gallery_models.GalleryImage(
                location="eastus", os_type="Windows", os_state="Generalized",
                identifier=gallery_models.GalleryImageIdentifier(publisher="p", offer="o",
                                                                 sku="s"))).result()
    assert conflict.value.error.code == "PropertyChangeNotAllowed"
    assert conflict.value.error.target == "galleryImage.properties.osType"

    with pytest.raises(HttpResponseError) as missing_parent:
        client.gallery_image_versions.begin_create_or_update(
            "demo-rg", "g0", "nope", "1.0.0", gallery_models.GalleryImageVersion(
                location="eastus", storage_profile=gallery_models.GalleryImageVersionStorageProfile(
                    source=gallery_models.GalleryArtifactVersionFullSource(
                        virtual_machine_id=f"{RG}/virtualMachines/x")))).result()
    assert missing_parent.value.status_code == 404
    assert missing_parent.value.error.code == "ParentResourceNotFound"

    client.gallery_images.begin_delete("demo-rg", "g0", "def").result()
    assert [i.name for i in client.gallery_images.list_by_gallery("demo-rg", "g0")] == []
