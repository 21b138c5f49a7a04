"""Injected faults, access denials and the request journal."""

import threading
import time

import pytest
import requests

from tests.emulator.faults import Faults

SUB = "00000000-0000-0000-0000-000000000001"
FOREIGN_SUB = "00000000-0000-0000-0000-0000000000ff"
RG = f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Compute"
FOREIGN_RG = f"/subscriptions/{FOREIGN_SUB}/resourceGroups/shared/providers/Microsoft.Compute"


def _scenario(faults=(), access=(), **extra):
    scenario = {"resources": [{"id": f"{RG}/galleries/{name}", "location": "eastus"}
                              for name in ("busy", "flaky", "gone", "secret", "slow")],
                "faults": list(faults), "access": list(access)}
    scenario.update(extra)
    return scenario


def _statuses(emulator, suffix):
    return [e["status"] for e in emulator.journal() if e["path"].endswith(suffix)]


def test_throttling_answers_429_with_retry_after_and_az_retries(emulator, az):
    # How long az waits is azure-core's business (bench/bench_emulator.py prints it): here, that
    # the emulator throttles the first two reads and az gets the third.
    emulator.load(_scenario([{"method": "GET", "path": "/galleries/busy$", "status": 429,
                              "count": 2, "retry_after": 1}]))
    result = az("sig", "show", "-g", "rg", "-r", "busy", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert _statuses(emulator, "/galleries/busy") == [429, 429, 200]


def test_throttled_response_carries_the_arm_error_and_header(emulator):
    emulator.load(_scenario([{"path": "/galleries/busy$", "status": 429, "retry_after": 7}]))
    response = emulator.request("GET", f"{RG}/galleries/busy")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert response.json()["error"]["code"] == "TooManyRequests"


def test_a_single_500_is_retried_by_az_and_a_lasting_one_is_reported(emulator, az):
    emulator.load(_scenario([{"method": "GET", "path": "/galleries/flaky$", "status": 500,
                              "count": 1},
                             {"method": "PUT", "path": "/galleries/broken$", "status": 500,
                              "code": "InternalExecutionError", "message": "Boom."}]))
    result = az("sig", "show", "-g", "rg", "-r", "flaky", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert _statuses(emulator, "/galleries/flaky") == [500, 200]
    lasting = emulator.request("PUT", f"{RG}/galleries/broken", {"location": "eastus"})
    assert lasting.status_code == 500
    assert lasting.json()["error"] == {"code": "InternalExecutionError", "message": "Boom."}
    assert emulator.request("GET", f"{RG}/galleries/broken").status_code == 404


def test_dropped_connection_is_seen_by_clients_and_retried_by_az(emulator, az):
    emulator.load(_scenario([{"path": "/galleries/gone$", "drop": True, "count": 2}]))
    with pytest.raises(requests.ConnectionError):
        emulator.request("GET", f"{RG}/galleries/gone")
    result = az("sig", "show", "-g", "rg", "-r", "gone", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert _statuses(emulator, "/galleries/gone") == [0, 0, 200]


def test_latency_is_decided_per_matching_request():
    # The delay itself is measured by bench/bench_emulator.py; here, which requests get it.
    faults = Faults([{"path": "/galleries/slow$", "latency_ms": 400}], latency_ms=5)
    assert faults.decide("GET", f"{RG}/galleries/slow").latency_ms == 405
    assert faults.decide("GET", f"{RG}/galleries/busy").latency_ms == 5


def test_a_truncated_body_is_a_complete_response_that_is_no_json(emulator):
    emulator.load(_scenario([{"method": "GET", "path": "/galleries/flaky$", "truncate": 25, "count": 1}]))
    cut = emulator.request("GET", f"{RG}/galleries/flaky")
    assert cut.status_code == 200 and cut.headers["Content-Length"] == "25" and len(cut.content) == 25
    with pytest.raises(ValueError):
        cut.json()
    whole = emulator.request("GET", f"{RG}/galleries/flaky")
    assert whole.json()["name"] == "flaky"
    assert _statuses(emulator, "/galleries/flaky") == [200, 200]


def test_a_held_answer_comes_after_the_request_was_handled(emulator):
    emulator.load(_scenario([{"method": "PUT", "path": "/galleries/late$", "hold_ms": 10000, "count": 1}]))
    answers = []
    client = threading.Thread(target=lambda: answers.append(
        emulator.request("PUT", f"{RG}/galleries/late", {"location": "eastus"})))
    client.start()
    while not _statuses(emulator, "/galleries/late") and client.is_alive():
        time.sleep(0.05)
    # Recorded and created while the client still waits for the answer.
    assert client.is_alive() and not answers
    assert emulator.request("GET", f"{RG}/galleries/late").status_code == 200
    client.join(timeout=60)
    assert answers[0].status_code in (200, 201)


def test_a_fault_can_match_the_query_string(emulator):
    emulator.load(_scenario([{"method": "GET", "path": "/galleries/flaky$", "query": "expand=Sharing",
                              "status": 500}]))
    assert emulator.request("GET", f"{RG}/galleries/flaky").status_code == 200
    assert emulator.request("GET", f"{RG}/galleries/flaky?$expand=SharingProfile").status_code == 500


def test_authorization_failed_reaches_az(emulator, az):
    emulator.load(_scenario(access=[{"path": "/galleries/secret", "methods": ["GET"],
                                     "code": "AuthorizationFailed"}]))
    result = az("sig", "show", "-g", "rg", "-r", "secret", "-o", "json")
    assert result.exit_code != 0
    principal = emulator.state.principal
    assert (f"(AuthorizationFailed) The client '{principal['app_id']}' with object id "
            f"'{principal['object_id']}' does not have authorization to perform action "
            f"'Microsoft.Compute/galleries/read' over scope '{RG}/galleries/secret' or the "
            f"scope is invalid.") in result.stderr


def test_cross_tenant_image_gives_linked_authorization_failed(emulator):
    version_id = f"{FOREIGN_RG}/galleries/fab/images/d/versions/1.0.0"
    emulator.load({"resource_groups": [{"name": "rg", "location": "eastus"}], "resources": [
        {"id": f"{FOREIGN_RG}/galleries/fab", "location": "eastus"},
        {"id": f"{FOREIGN_RG}/galleries/fab/images/d", "location": "eastus", "properties": {
            "identifier": {"publisher": "p", "offer": "o", "sku": "s"}, "osType": "Linux",
            "osState": "Generalized"}},
        {"id": version_id, "location": "eastus", "properties": {"storageProfile": {}}}]})
    response = emulator.request("PUT", f"{RG}/virtualMachines/vm", {
        "location": "eastus", "properties": {
            "storageProfile": {"imageReference": {"id": version_id}},
            "osProfile": {"computerName": "vm", "adminUsername": "azureuser"}}})
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "LinkedAuthorizationFailed"
    tenant = emulator.state.principal["tenant"]
    assert error["message"] == (
        f"The client has permission to perform action 'Microsoft.Compute/galleries/images/"
        f"versions/read' on scope '{RG}/virtualMachines/vm', however the current tenant "
        f"'{tenant}' is not authorized to access linked subscription '{FOREIGN_SUB}'.")
    other_tenant = emulator.state.tenant_of(FOREIGN_SUB)
    with_auxiliary_token = emulator.request("PUT", f"{RG}/virtualMachines/vm", {
        "location": "eastus", "properties": {
            "storageProfile": {"imageReference": {"id": version_id}},
            "osProfile": {"computerName": "vm", "adminUsername": "azureuser"}}},
        headers={"x-ms-authorization-auxiliary": f"Bearer {emulator.emulator.token(other_tenant)}"})
    assert with_auxiliary_token.status_code == 201, with_auxiliary_token.text
    direct = emulator.request("GET", version_id)
    assert direct.status_code == 401
    assert direct.json()["error"]["code"] == "InvalidAuthenticationTokenTenant"


def test_requests_without_a_token_are_refused(emulator):
    emulator.load(_scenario())
    response = requests.get(f"{emulator.url}{RG}/galleries/busy?api-version=2023-07-03",
                            verify=emulator.ca_path, timeout=10)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "AuthenticationFailed"


def test_journal_records_requests_with_write_bodies_and_can_be_cleared(emulator):
    emulator.load(_scenario())
    emulator.request("GET", f"{RG}/galleries/busy")
    emulator.request("PUT", f"{RG}/galleries/fresh", {"location": "eastus", "tags": {"a": "b"}})
    emulator.request("GET", f"{RG}/galleries/missing")
    over_http = requests.get(f"{emulator.url}/_emulator/journal", verify=emulator.ca_path,
                             timeout=10).json()["value"]
    assert over_http == emulator.journal()
    assert [(e["method"], e["path"].rsplit("/", 1)[-1], e["status"]) for e in over_http] == \
        [("GET", "busy", 200), ("PUT", "fresh", 201), ("GET", "missing", 404)]
    assert over_http[0]["query"] == {"api-version": "2023-07-03"}
    assert "body" not in over_http[0]
    assert over_http[1]["body"] == {"location": "eastus", "tags": {"a": "b"}}
    assert [e["method"] for e in emulator.writes()] == ["PUT"]
    requests.delete(f"{emulator.url}/_emulator/journal", verify=emulator.ca_path, timeout=10)
    assert emulator.journal() == []


def test_az_login_requests_are_journaled_but_never_the_secret(emulator, tmp_path):
    from tests.emulator import azenv
    emulator.load(_scenario())
    azenv.login(emulator.emulator, str(tmp_path), dev_sources=None)
    paths = [e["path"] for e in emulator.journal()]
    assert "/metadata/endpoints" in paths and "/subscriptions" in paths
    assert any(p.endswith("/oauth2/v2.0/token") for p in paths)
    assert emulator.state.principal["password"] not in str(emulator.journal())
