"""The emulator answers the requests Azure answered in the Azure CLI's own test recordings the way
Azure did: status, long-running-operation headers and body shape (tests/contract/*.yaml, derived
from the recordings by tests/contract/derive.py, replayed by tests/contract/replay.py)."""

import copy
import os
import re

import pytest

from tests.contract import replay
from tests.contract.derive import entries
from tests.contract.shapes import compare_body, derive
from tests.emulator.scenario import read_scenario

FIXTURES = replay.fixture_paths()
RECORDINGS = "src/azure-cli/azure/cli/command_modules/vm/tests/latest/recordings/"


def test_the_recordings_found_are_replayed():
    assert len(FIXTURES) >= 6
    counted = [entry for path in FIXTURES for entry in replay.load_fixture(path)["interactions"]
               if not entry.get("setup")]
    assert len(counted) >= 100


@pytest.mark.parametrize("path", FIXTURES, ids=os.path.basename)
def test_each_fixture_names_its_recording_and_license(path):
    fixture = replay.load_fixture(path)
    source = fixture["source"]
    assert source["repository"] == "Azure/azure-cli"
    assert source["path"] == RECORDINGS + os.path.basename(path)
    assert re.fullmatch(r"[0-9a-f]{40}", source["commit"])
    assert "MIT" in source["license"] and source["recorded"] and source["read"]
    read_scenario(fixture["scenario"])       # the prerequisites exist
    ids = [entry["id"] for entry in fixture["interactions"]]
    assert len(ids) == len(set(ids))
    times = [entry["at"] for entry in fixture["interactions"]]
    assert times == sorted(times)
    for entry in fixture["interactions"]:
        assert entry.get("setup") or entry["response"]["status"] in range(200, 500)
        assert entry.get("setup") is None or entry.get("note"), entry["id"]
        for ignored_path, reason in (entry.get("ignore") or {}).items():
            assert ignored_path and len(reason) > 20, entry["id"]


@pytest.mark.parametrize("path", FIXTURES, ids=os.path.basename)
def test_the_emulator_answers_each_recorded_request_as_azure_did(emulator, path):
    results = replay.replay(replay.load_fixture(path), replay.Client(emulator.emulator))
    failed_setup = [(r.id, r.differences) for r in results if not r.counted and r.differences]
    assert not failed_setup
    unexplained = [f"{r.id} ({r.command}): " + "; ".join(r.differences)
                   for r in results if r.counted and r.differences and not r.known_difference]
    assert not unexplained, "\n".join(unexplained)
    # A known difference that went away must be removed from the fixture (and from the README).
    stale = [r.id for r in results if r.known_difference and not r.differences]
    assert not stale


# --- the comparison itself -------------------------------------------------------------------

GALLERY = {"name": "g", "id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/"
           "galleries/g", "type": "Microsoft.Compute/galleries", "location": "eastus2",
           "tags": {"team": "x"},
           "properties": {"identifier": {"uniqueName": "s-G"}, "provisioningState": "Creating",
                          "features": [{"name": "SecurityType", "value": "TrustedLaunch"}]}}


def test_derive_keeps_shape_and_contract_values_not_data():
    contract = derive(GALLERY)
    assert contract["shape"]["tags"] == "object"
    assert contract["shape"]["properties"]["identifier"] == {"uniqueName": "str"}
    assert contract["values"] == {
        "type": "Microsoft.Compute/galleries", "location": "eastus2",
        "properties.provisioningState": "Creating",
        "properties.features[0].name": "SecurityType",
        "properties.features[0].value": "TrustedLaunch"}


@pytest.mark.parametrize("change,expected", [
    (lambda b: b["properties"].pop("identifier"), "properties.identifier: missing"),
    (lambda b: b["properties"].update(extra=1), "properties.extra: not in the recording"),
    (lambda b: b["properties"].update(ProvisioningState=b["properties"].pop("provisioningState")),
     "properties.provisioningState: missing (emulator has 'ProvisioningState')"),
    (lambda b: b["properties"]["identifier"].update(uniqueName=7),
     "properties.identifier.uniqueName: recorded str, emulator int"),
    (lambda b: b["properties"].update(provisioningState="Updating"),
     "properties.provisioningState: recorded 'Creating', emulator 'Updating'"),
    (lambda b: b["properties"]["features"].append({"name": "x", "value": "y"}),
     "properties.features: recorded 1 items, emulator 2"),
])
def test_the_comparison_catches_each_kind_of_difference(change, expected):
    answer = copy.deepcopy(GALLERY)
    change(answer)
    assert expected in compare_body(derive(GALLERY), answer)
    assert compare_body(derive(GALLERY), copy.deepcopy(GALLERY)) == []


def test_scope_and_ignore_limit_the_comparison():
    answer = copy.deepcopy(GALLERY)
    answer["properties"]["identifier"] = {}
    answer["location"] = "westus"
    contract = derive(GALLERY)
    assert compare_body(contract, answer, scope=["properties.provisioningState"]) == []
    assert compare_body(contract, answer, ignore=["properties.identifier", "location"]) == []


def test_status_headers_and_operation_url_are_compared():
    recorded = {"status": 202, "headers": {"Azure-AsyncOperation": True, "Location": True,
                                           "Retry-After": False},
                "operation": {"kind": "DiskOperations", "location": "eastus2"}, "body": None}
    url = "https://h/subscriptions/s/providers/Microsoft.Compute/locations/eastus2/{}/1?a=b"
    answer = replay.Answer(201, {"Azure-AsyncOperation": url.format("capsOperations"),
                                 "Retry-After": "1"}, None)
    assert replay.compare_answer(recorded, answer) == [
        "status: recorded 202, emulator 201",
        "header Location: recorded present, emulator absent",
        "header Retry-After: recorded absent, emulator present",
        "operation URL: recorded .../DiskOperations/..., emulator .../capsOperations/..."]


def test_derive_turns_polls_of_an_operation_into_references():
    operation = ("https://management.azure.com/subscriptions/s/providers/Microsoft.Compute/"
                 "locations/eastus2/capsOperations/abc?api-version=2024-03-03")
    cassette = {"interactions": [
        {"request": {"method": "DELETE", "uri": "https://management.azure.com/subscriptions/s/"
                     "resourceGroups/r/providers/Microsoft.Compute/galleries/g?api-version=1",
                     "body": None, "headers": {"CommandName": ["sig delete"]}},
         "response": {"status": {"code": 202}, "body": {"string": ""},
                      "headers": {"date": ["Fri, 24 Apr 2026 02:43:24 GMT"],
                                  "azure-asyncoperation": [operation],
                                  "location": [operation.replace("?", "?monitor=true&")]}}},
        {"request": {"method": "GET", "uri": operation, "body": None, "headers": {}},
         "response": {"status": {"code": 200},
                      "body": {"string": '{"status": "Succeeded", "name": "abc"}'},
                      "headers": {"date": ["Fri, 24 Apr 2026 02:43:26 GMT"]}}},
        {"request": {"method": "GET", "uri": "https://vault.vault.azure.net/keys/k", "body": None,
                     "headers": {}},
         "response": {"status": {"code": 200}, "body": {"string": "{}"}, "headers": {}}}]}
    delete, poll = entries(cassette, "t")
    assert delete["response"]["headers"] == {"Azure-AsyncOperation": True, "Location": True,
                                             "Retry-After": False}
    assert delete["response"]["body"] is None
    assert poll["request"] == {"poll": "t-01"} and poll["at"] == 2
    assert poll["response"]["body"]["values"] == {"status": "Succeeded"}


# --- recorded behaviours the suite's default scenario trades for speed ------------------------

def test_retry_after_is_a_scenario_choice_the_recordings_do_not_make(emulator):
    gallery = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/" \
              "Microsoft.Compute/galleries/g"
    emulator.load({"resource_groups": [{"name": "rg", "location": "eastus"}]})
    assert emulator.request("PUT", gallery, {"location": "eastus"}).headers["Retry-After"] == "1"
    emulator.load({"resource_groups": [{"name": "rg", "location": "eastus"}],
                   "lro_retry_after": None,
                   "operation_seconds": {"DELETE galleries": 30}})
    created = emulator.request("PUT", gallery, {"location": "eastus"})
    assert "Retry-After" not in created.headers
    deleted = emulator.request("DELETE", gallery)
    assert emulator.request("GET", deleted.headers["Azure-AsyncOperation"]).json()["status"] == \
        "InProgress"
    emulator.advance(31)
    assert emulator.request("GET", deleted.headers["Azure-AsyncOperation"]).json()["status"] == \
        "Succeeded"
