"""Control endpoints, routing details, identity endpoints and the stand-alone entry point."""

import os
import subprocess
import sys
import time

import pytest
import requests

SUB = "00000000-0000-0000-0000-000000000001"
RG = f"/subscriptions/{SUB}/resourceGroups/demo-rg/providers/Microsoft.Compute"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def control(emulator, method, action, body=None):
    return requests.request(method, f"{emulator.url}/_emulator/{action}", json=body,
                            verify=emulator.ca_path, timeout=10)


def test_scenario_load_reset_and_clock_over_http(emulator):
    assert control(emulator, "POST", "scenario", {"file": "demo.yaml"}).json() == \
        {"loaded": "demo"}
    assert emulator.request("GET", f"{RG}/galleries/demoGallery").status_code == 200
    inline = {"name": "tiny", "resources": [{"id": f"{RG}/galleries/only", "location": "eastus"}]}
    assert control(emulator, "POST", "scenario", inline).json() == {"loaded": "tiny"}
    assert emulator.request("GET", f"{RG}/galleries/demoGallery").status_code == 404
    emulator.request("DELETE", f"{RG}/galleries/only")
    assert emulator.request("GET", f"{RG}/galleries/only").status_code == 404
    control(emulator, "POST", "reset")
    assert emulator.request("GET", f"{RG}/galleries/only").status_code == 200
    before = control(emulator, "POST", "clock", {"advance": 0}).json()["now"]
    after = control(emulator, "POST", "clock", {"advance": 600}).json()["now"]
    assert after - before >= 600
    assert control(emulator, "GET", "state").json()["resources"] == [f"{RG}/galleries/only"]
    refused = control(emulator, "POST", "scenario", {"pagesize": 2})
    assert (refused.status_code, refused.json()["error"]["code"]) == (400, "InvalidScenario")
    assert control(emulator, "POST", "scenario", {"file": "no-such.yaml"}).status_code == 400
    assert emulator.internal_errors == []


def test_paths_with_double_slashes_any_api_version_and_case_insensitive_routes(emulator):
    emulator.load("demo.yaml")
    headers = emulator.auth_headers()
    url = f"{emulator.url}/{RG.lower()}/GALLERIES/demogallery?api-version=2026-03-03"
    response = requests.get(url.replace(emulator.url + "/", emulator.url + "//"), headers=headers,
                            verify=emulator.ca_path, timeout=10)
    assert response.status_code == 200
    assert response.json()["name"] == "demoGallery"


def test_next_links_are_absolute_and_keep_the_query(emulator):
    emulator.load({"page_size": 2, "resources": [
        {"id": f"{RG}/galleries/g{n}", "location": "eastus"} for n in range(3)]})
    first = emulator.request("GET", f"/subscriptions/{SUB}/providers/Microsoft.Compute/galleries"
                                    "?api-version=2023-07-03").json()
    assert len(first["value"]) == 2
    assert first["nextLink"].startswith(emulator.url + "/subscriptions/")
    assert "api-version=2023-07-03" in first["nextLink"]
    second = emulator.request("GET", first["nextLink"]).json()
    assert [g["name"] for g in second["value"]] == ["g2"] and "nextLink" not in second


def test_identity_and_subscription_endpoints(emulator):
    emulator.load("demo.yaml")
    metadata = requests.get(f"{emulator.url}/metadata/endpoints?api-version=2022-09-01",
                            verify=emulator.ca_path, timeout=10).json()
    assert metadata["resourceManager"] == emulator.url + "/"
    assert metadata["authentication"]["loginEndpoint"] == emulator.url + "/"
    tenant = emulator.state.principal["tenant"]
    openid = requests.get(f"{emulator.url}/{tenant}/v2.0/.well-known/openid-configuration",
                          verify=emulator.ca_path, timeout=10).json()
    assert openid["token_endpoint"] == f"{emulator.url}/{tenant}/oauth2/v2.0/token"
    refused = requests.post(openid["token_endpoint"], data={
        "client_id": emulator.state.principal["app_id"], "client_secret": "wrong",
        "grant_type": "client_credentials"}, verify=emulator.ca_path, timeout=10)
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"
    assert len(emulator.request("GET", "/tenants").json()["value"]) == 2
    providers = emulator.request("GET", f"/subscriptions/{SUB}/providers").json()["value"]
    assert [p["namespace"] for p in providers] == ["Microsoft.Compute"]
    subscription = emulator.request("GET", f"/subscriptions/{SUB}").json()
    assert (subscription["state"], subscription["tenantId"]) == ("Enabled", tenant)
    locations = emulator.request("GET", f"/subscriptions/{SUB}/locations").json()["value"]
    assert {"name": "eastus", "displayName": "East US"}.items() <= locations[0].items()
    assert emulator.request("HEAD", f"/subscriptions/{SUB}/resourcegroups/demo-rg").status_code \
        == 204
    assert emulator.request("HEAD", f"/subscriptions/{SUB}/resourcegroups/nope").status_code \
        == 404
    missing_group = emulator.request("GET", f"/subscriptions/{SUB}/resourceGroups/nope/providers/"
                                            "Microsoft.Compute/galleries/x")
    assert missing_group.json()["error"] == {
        "code": "ResourceGroupNotFound", "message": "Resource group 'nope' could not be found."}


def test_gallery_delete_is_a_long_running_operation(emulator):
    emulator.load({"resources": [{"id": f"{RG}/galleries/g", "location": "eastus"}]})
    deleted = emulator.request("DELETE", f"{RG}/galleries/g")
    assert deleted.status_code == 202
    assert deleted.headers["Retry-After"] == "1"
    status = emulator.request("GET", deleted.headers["Azure-AsyncOperation"]).json()
    assert status["status"] == "Succeeded"
    assert emulator.request("GET", deleted.headers["Location"]).status_code == 200


def test_stand_alone_emulator_writes_an_env_file_az_can_use(tmp_path):
    env_file = tmp_path / "env"
    process = subprocess.Popen([sys.executable, "-m", "tests.emulator", "--port", "0",
                                "--scenario", "tests/scenarios/demo.yaml",
                                "--write-env", str(env_file), "--work-dir", str(tmp_path / "w")],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    try:
        deadline = time.monotonic() + 60
        while not env_file.exists() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
        assert env_file.exists(), process.stdout.read() if process.poll() is not None else ""
        shown = subprocess.run(["bash", "-c", f"source {env_file} && "
                                f"{os.path.dirname(sys.executable)}/az sig show -g demo-rg "
                                "-r demoGallery --query name -o tsv"],
                               capture_output=True, text=True, timeout=60)
        assert shown.stdout.strip() == "demoGallery", shown.stderr
        assert "REQUESTS_CA_BUNDLE=" in env_file.read_text()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_unregistered_provider_is_reported_and_refuses_writes(emulator):
    emulator.load({"unregistered_subscriptions": [SUB],
                   "resource_groups": [{"name": "demo-rg", "location": "eastus"}]})
    provider = emulator.request("GET", f"/subscriptions/{SUB}/providers/Microsoft.Compute").json()
    assert provider["registrationState"] == "NotRegistered"
    refused = emulator.request("PUT", f"{RG}/galleries/g", {"location": "eastus"})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "MissingSubscriptionRegistration"
    assert emulator.internal_errors == []


@pytest.mark.parametrize("body", [
    {"location": "eastus", "properties": {"publishingProfile": {"targetRegions": "eastus"},
                                          "storageProfile": {"source": {"virtualMachineId": 7}}}},
    {"location": "eastus", "properties": ["not", "an", "object"]},
    {"location": "eastus", "properties": {"storageProfile": {"dataDiskImages": [{"lun": "x"}],
                                                             "osDiskImage": "x"}}},
], ids=["regions-as-string", "properties-as-list", "disk-image-as-string"])
def test_malformed_bodies_get_400_not_a_crash(emulator, body):
    emulator.load("demo.yaml")
    response = emulator.request("PUT", f"{RG}/galleries/demoGallery/images/demoImage/versions/"
                                       "5.0.0", body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] in ("InvalidRequestContent", "InvalidParameter")
    assert emulator.internal_errors == []


def test_a_misspelt_scenario_key_is_refused():
    from tests.emulator.scenario import ScenarioError, build_state
    with pytest.raises(ScenarioError, match="unknown scenario key.* in replication: sped"):
        build_state({"replication": {"sped": 60}})
    with pytest.raises(ScenarioError, match="unknown scenario key.*: pagesize"):
        build_state({"pagesize": 2})
