"""The real `az sig image-version update` against the emulator: az reads the version, strips its
source and PUTs the rest back; the service takes a missing source as "unchanged" and refuses a
different one (the source of a version is immutable)."""

import pytest

SUB = "00000000-0000-0000-0000-000000000001"
RG = f"/subscriptions/{SUB}/resourceGroups/demo-rg/providers/Microsoft.Compute"
VERSION = ("-g", "demo-rg", "-r", "demoGallery", "-i", "demoImage", "-e", "1.0.0")
VERSION_PATH = f"{RG}/galleries/demoGallery/images/demoImage/versions/1.0.0"
DEMO_VM = f"{RG}/virtualMachines/demoVm"


@pytest.fixture
def demo(emulator):
    emulator.load("demo.yaml")
    return emulator


def _update(az, *args):
    return az("sig", "image-version", "update", *VERSION, *args, "-o", "json")


def _stored(demo):
    return demo.request("GET", VERSION_PATH).json()["properties"]


def _sent_puts(demo):
    return [e for e in demo.journal() if e["method"] == "PUT" and e["path"] == VERSION_PATH]


def test_update_target_regions_sends_no_source_and_keeps_it(demo, az):
    result = _update(az, "--target-regions", "eastus", "westus", "westus2=2")
    assert result.exit_code == 0, result.stderr
    put = _sent_puts(demo)[-1]
    assert "source" not in put["body"]["properties"]["storageProfile"]   # what az 2.91 sends
    regions = {r["name"]: r["regionalReplicaCount"]
               for r in result.json["publishingProfile"]["targetRegions"]}
    assert regions == {"East US": 1, "West US": 1, "West US 2": 2}
    storage = _stored(demo)["storageProfile"]
    assert storage["source"] == {"virtualMachineId": DEMO_VM}
    assert storage["osDiskImage"]["sizeInGB"] == 30
    assert [(d["lun"], d["sizeInGB"]) for d in storage["dataDiskImages"]] == [(0, 128), (1, 256)]


def test_update_with_add_and_set_changes_only_the_publishing_profile(demo, az):
    added = _update(az, "--add", "publishingProfile.targetRegions", "name=westus2")
    assert added.exit_code == 0, added.stderr
    assert [r["name"] for r in added.json["publishingProfile"]["targetRegions"]] == \
        ["East US", "West US", "West US 2"]
    changed = _update(az, "--set", "publishingProfile.excludeFromLatest=true",
                      "publishingProfile.endOfLifeDate=2099-01-01T00:00:00+00:00")
    assert changed.exit_code == 0, changed.stderr
    profile = _stored(demo)["publishingProfile"]
    assert profile["excludeFromLatest"] is True
    assert profile["endOfLifeDate"].startswith("2099-01-01")
    assert _stored(demo)["storageProfile"]["source"] == {"virtualMachineId": DEMO_VM}


def test_update_does_not_read_the_source_again(demo, az):
    # A version outlives its source (capture a VM, then delete it): updates still work.
    assert demo.request("DELETE", DEMO_VM).status_code in (200, 202, 204)
    assert demo.request("GET", DEMO_VM).status_code == 404
    result = _update(az, "--replica-count", "2")
    assert result.exit_code == 0, result.stderr
    assert result.json["publishingProfile"]["replicaCount"] == 2
    assert result.json["storageProfile"]["source"] == {"virtualMachineId": DEMO_VM}


def test_update_naming_another_source_is_refused_as_immutable(demo, az):
    other = f"{RG}/virtualMachines/gen1Vm"
    result = _update(az, "--set", f'storageProfile.source={{"virtualMachineId": "{other}"}}')
    assert result.exit_code != 0
    assert "(PropertyChangeNotAllowed) Changing property 'galleryImageVersion.properties." \
        "storageProfile.source.virtualMachineId' is not allowed." in result.error_line
    assert _sent_puts(demo)[-1]["body"]["properties"]["storageProfile"]["source"] == \
        {"virtualMachineId": other}
    assert _stored(demo)["storageProfile"]["source"] == {"virtualMachineId": DEMO_VM}


def test_update_naming_the_same_source_is_accepted(demo, az):
    result = _update(az, "--set", f'storageProfile.source={{"virtualMachineId": "{DEMO_VM}"}}',
                     "publishingProfile.replicaCount=3")
    assert result.exit_code == 0, result.stderr
    assert result.json["publishingProfile"]["replicaCount"] == 3
