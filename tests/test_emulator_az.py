"""The real `az` against the emulator: login, gallery creates with long-running operations and
replication, reads with expands, paging."""

import pytest

SUB = "00000000-0000-0000-0000-000000000001"
RG = f"/subscriptions/{SUB}/resourceGroups/demo-rg/providers/Microsoft.Compute"


@pytest.fixture
def demo(emulator):
    emulator.load("demo.yaml")
    return emulator


def test_az_is_logged_in_as_the_service_principal_with_the_home_tenant_subscriptions(demo, az):
    result = az("account", "list", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert sorted(s["name"] for s in result.json) == ["Contoso Dev", "Contoso Prod",
                                                       "Contoso Shared Images"]
    assert {s["user"]["type"] for s in result.json} == {"servicePrincipal"}
    assert [s["id"] for s in result.json if s["isDefault"]] == [SUB]


def test_create_gallery_definition_and_version_then_read_replication(demo, az):
    gallery = az("sig", "create", "-g", "demo-rg", "-r", "newGallery", "-o", "json")
    assert gallery.exit_code == 0, gallery.stderr
    assert gallery.json["provisioningState"] == "Succeeded"
    assert gallery.json["identifier"]["uniqueName"] == f"{SUB}-NEWGALLERY"
    assert gallery.json["location"] == "eastus"   # taken from the resource group

    definition = az("sig", "image-definition", "create", "-g", "demo-rg", "-r", "newGallery",
                    "-i", "web", "--publisher", "contoso", "--offer", "web", "--sku", "22",
                    "--os-type", "Linux", "--hyper-v-generation", "V2",
                    "--features", "SecurityType=Standard", "-o", "json")
    assert definition.exit_code == 0, definition.stderr
    assert definition.json["osState"] == "Generalized"
    assert definition.json["hyperVGeneration"] == "V2"

    version = az("sig", "image-version", "create", "-g", "demo-rg", "-r", "newGallery",
                 "-i", "web", "-e", "1.0.0", "--virtual-machine", f"{RG}/virtualMachines/demoVm",
                 "--target-regions", "eastus", "westus2=2", "-o", "json")
    assert version.exit_code == 0, version.stderr
    assert version.json["provisioningState"] == "Succeeded"
    assert [r["name"] for r in version.json["publishingProfile"]["targetRegions"]] == \
        ["East US", "West US 2"]
    assert version.json["storageProfile"]["osDiskImage"]["sizeInGB"] == 30
    assert [d["lun"] for d in version.json["storageProfile"]["dataDiskImages"]] == [0, 1]

    polls = [e for e in demo.journal() if "/capsOperations/" in e["path"]]
    assert polls, "the create should have been a long-running operation"
    put = [e for e in demo.journal() if e["method"] == "PUT" and e["path"].endswith("/1.0.0")]
    assert put[0]["status"] == 201
    assert put[0]["body"]["properties"]["storageProfile"]["source"]["virtualMachineId"] \
        .endswith("/demoVm")

    shown = az("sig", "image-version", "show", "-g", "demo-rg", "-r", "newGallery", "-i", "web",
               "-e", "1.0.0", "--expand", "ReplicationStatus", "-o", "json")
    assert shown.exit_code == 0, shown.stderr
    status = shown.json["replicationStatus"]
    assert status["aggregatedState"] == "Completed"
    assert {(s["region"], s["state"], s["progress"]) for s in status["summary"]} == \
        {("East US", "Completed", 100), ("West US 2", "Completed", 100)}


def test_replication_in_progress_then_complete_after_clock_advance(emulator, az):
    emulator.load({"resource_groups": [{"name": "rg", "location": "eastus"}],
                   "replication": {"seconds": 3600, "stall_regions": ["westus"]},
                   "resources": _gallery_with_definition_and_vm()})
    created = az("sig", "image-version", "create", "-g", "rg", "-r", "g", "-i", "d", "-e", "1.0.0",
                 "--virtual-machine", f"/subscriptions/{SUB}/resourceGroups/rg/providers/"
                 "Microsoft.Compute/virtualMachines/vm", "--target-regions", "eastus", "westus",
                 "--no-wait", "-o", "json")
    assert created.exit_code == 0, created.stderr
    emulator.advance(1800)
    half = az("sig", "image-version", "show", "-g", "rg", "-r", "g", "-i", "d", "-e", "1.0.0",
              "--expand", "ReplicationStatus", "--query", "replicationStatus", "-o", "json")
    assert half.json["aggregatedState"] == "InProgress"
    progress = {s["region"]: (s["state"], s["progress"]) for s in half.json["summary"]}
    assert progress["East US"][0] == "Replicating" and 45 <= progress["East US"][1] <= 60
    assert progress["West US"] == ("Replicating", 40)   # stalled at the scenario's stall_at
    emulator.advance(3600)
    done = emulator.request("GET", f"/subscriptions/{SUB}/resourceGroups/rg/providers/"
                            "Microsoft.Compute/galleries/g/images/d/versions/1.0.0"
                            "?$expand=ReplicationStatus").json()
    states = {s["region"]: s["state"] for s in done["properties"]["replicationStatus"]["summary"]}
    assert states == {"East US": "Completed", "West US": "Replicating"}
    assert done["properties"]["provisioningState"] == "Creating"


def test_definition_update_and_identical_rerun_keep_the_features_and_succeed(demo, az):
    # `update` sends the stored features back; an identical re-run of `create` sends the same ones.
    updated = az("sig", "image-definition", "update", "-g", "demo-rg", "-r", "demoGallery",
                 "-i", "demoImage", "--set", "description=refreshed", "-o", "json")
    assert updated.exit_code == 0, updated.stderr
    assert updated.json["features"] == [{"name": "SecurityType", "value": "Standard"}]
    create = ["sig", "image-definition", "create", "-g", "demo-rg", "-r", "demoGallery", "-i",
              "tl", "--publisher", "contoso", "--offer", "tl", "--sku", "s", "--os-type", "Linux",
              "--hyper-v-generation", "V2", "--features", "SecurityType=TrustedLaunch",
              "-o", "json"]
    for _ in range(2):
        result = az(*create)
        assert result.exit_code == 0, result.stderr
        assert result.json["features"] == [{"name": "SecurityType", "value": "TrustedLaunch"}]


def test_vm_show_with_instance_view_reports_generalized_state(demo, az):
    result = az("vm", "show", "-g", "demo-rg", "-n", "demoVm", "-d", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert result.json["storageProfile"]["osDisk"]["osType"] == "Linux"
    assert [d["lun"] for d in result.json["storageProfile"]["dataDisks"]] == [0, 1]
    view = az("vm", "get-instance-view", "-g", "demo-rg", "-n", "demoVm",
              "--query", "instanceView.statuses[].code", "-o", "json")
    assert "OSState/generalized" in view.json


def test_lists_are_paged_and_az_follows_next_links(emulator, az):
    emulator.load({"page_size": 2, "resources": [
        {"id": f"{RG.replace('demo-rg', 'paged')}/galleries/g{n}", "location": "eastus"}
        for n in range(5)]})
    result = az("sig", "list", "-g", "paged", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert sorted(g["name"] for g in result.json) == ["g0", "g1", "g2", "g3", "g4"]
    pages = [e for e in emulator.journal() if e["path"].endswith("/galleries")]
    assert len(pages) == 3 and pages[1]["query"]["$skiptoken"] == "2"


def _gallery_with_definition_and_vm():
    base = f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Compute"
    return [
        {"id": f"{base}/galleries/g", "location": "eastus"},
        {"id": f"{base}/galleries/g/images/d", "location": "eastus", "properties": {
            "identifier": {"publisher": "p", "offer": "o", "sku": "s"}, "osType": "Linux",
            "osState": "Generalized", "hyperVGeneration": "V1"}},
        {"id": f"{base}/virtualMachines/vm", "location": "eastus",
         "x-emulator": {"generalized": True, "hyperVGeneration": "V1"},
         "properties": {"storageProfile": {"osDisk": {"osType": "Linux", "diskSizeGB": 30,
                                                      "managedDisk": {}}}}},
    ]
