"""The Resource Graph client: batches, skip-token paging, quota headers, 429 and failures, with a
scripted transport and a fake clock (no network, no sleeping)."""

import pytest

from azext_sig_doctor.estate import graph, inventory


class Clock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class Transport:
    """Answers from a list of (status, headers, body); records the bodies it was sent."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.sent = []

    def post(self, path, body):
        assert path == "/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01"
        self.sent.append(body)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return graph.Response(*answer)


def page(rows, token=None, truncated="false", headers=None):
    body = {"data": rows, "count": len(rows), "totalRecords": 99, "resultTruncated": truncated}
    if token:
        body["$skipToken"] = token
    return 200, headers or {"x-ms-user-quota-remaining": "10", "x-ms-user-quota-resets-after": "00:00:05"}, body


def client_for(answers):
    clock = Clock()
    transport = Transport(answers)
    return graph.GraphClient(transport, graph.Throttle(clock.time, clock.sleep)), transport, clock


def test_pages_are_followed_with_the_same_request_and_the_skip_token():
    client, transport, _ = client_for([page([{"id": 1}], "t1"), page([{"id": 2}], "t2"), page([{"id": 3}])])
    rows = []
    result = client.run("resources", rows.extend, subscriptions=["s1", "s2"])
    assert [row["id"] for row in rows] == [1, 2, 3] and (result.pages, result.rows, result.truncated) == (3, 3, False)
    first, second, third = transport.sent
    assert first == {"query": "resources", "subscriptions": ["s1", "s2"],
                     "options": {"$top": 1000, "resultFormat": "objectArray"}}
    assert second == dict(first, options=dict(first["options"], **{"$skipToken": "t1"}))
    assert third["options"]["$skipToken"] == "t2" and client.requests == 3


def test_a_management_group_scope_and_the_table_format_are_read_too():
    table = {"columns": [{"name": "id"}, {"name": "n"}], "rows": [["a", 1]]}
    client, transport, _ = client_for([(200, {"x-ms-tenant-subscription-limit-hit": "true"}, {"data": table})])
    rows = []
    result = client.run("resources", rows.extend, management_group="platform")
    assert rows == [{"id": "a", "n": 1}] and result.limit_hit
    assert transport.sent[0]["managementGroups"] == ["platform"] and "subscriptions" not in transport.sent[0]


def test_truncation_without_a_token_is_reported():
    client, _, _ = client_for([page([{"id": 1}], truncated="true")])
    assert client.run("resources | take 1", lambda rows: None).truncated


def test_batches_hold_at_most_a_thousand_subscriptions():
    subscriptions = ["s{}".format(n) for n in range(2500)]
    assert [len(batch) for batch in graph.batches(subscriptions)] == [1000, 1000, 500]
    client, _, _ = client_for([])
    with pytest.raises(ValueError):
        client.run("resources", lambda rows: None, subscriptions=subscriptions)


def test_a_spent_quota_makes_the_next_request_wait_for_the_reset():
    spent = {"x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": "00:00:04"}
    client, _, clock = client_for([page([{"id": 1}], "t", headers=spent), page([{"id": 2}])])
    client.run("resources", lambda rows: None)
    assert clock.sleeps == [4.0]


def test_a_429_waits_as_told_and_tries_again():
    throttled = (429, {"Retry-After": "3"}, {"error": {"code": "RateLimiting"}})
    by_quota = (429, {"x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": "00:01:00"}, {})
    client, transport, clock = client_for([throttled, by_quota, page([{"id": 1}])])
    rows = []
    client.run("resources", rows.extend)
    assert rows == [{"id": 1}] and len(transport.sent) == 3
    assert clock.sleeps[:2] == [3.0, 60.0]


def test_endless_throttling_gives_up_with_a_reason():
    throttled = (429, {"Retry-After": "1"}, {"error": {"code": "RateLimiting"}})
    client, _, _ = client_for([throttled] * graph.MAX_THROTTLED_ATTEMPTS)
    with pytest.raises(graph.GraphError) as raised:
        client.run("resources", lambda rows: None)
    assert raised.value.status == 429 and "throttled" in raised.value.reason


def test_server_errors_and_network_failures_are_retried_a_few_times():
    error = (500, {}, {"error": {"code": "InternalServerError"}})
    client, transport, _ = client_for([error, graph.GraphError("network error: ConnectionError"), page([{"id": 1}])])
    rows = []
    client.run("resources", rows.extend)
    assert rows == [{"id": 1}] and len(transport.sent) == 3
    client, _, _ = client_for([error] * graph.MAX_ERROR_ATTEMPTS)
    with pytest.raises(graph.GraphError) as raised:
        client.run("resources", lambda rows: None)
    assert raised.value.status == 500 and raised.value.code == "InternalServerError"


def test_a_refusal_is_not_retried_and_says_denied():
    client, transport, _ = client_for([(403, {}, {"error": {"code": "AuthorizationFailed"}})])
    with pytest.raises(graph.GraphError) as raised:
        client.run("resources", lambda rows: None)
    assert raised.value.denied and raised.value.reason == "403 AuthorizationFailed" and len(transport.sent) == 1


def test_quota_durations():
    assert graph.parse_duration("00:01:05") == 65 and graph.parse_duration("2") == 2.0
    assert graph.parse_duration("soon") is None and graph.parse_duration(None) is None


def test_the_inventory_reads_both_queries_per_batch_and_remembers_what_failed():
    def sequential(function, items, workers):
        for item in items:
            function(item)

    galleries = page([{"id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i",
                       "type": "microsoft.compute/galleries/images", "hyperVGeneration": "V2"}])
    denied = (403, {}, {"error": {"code": "AuthorizationFailed"}})
    client, transport, _ = client_for([galleries, denied])
    estate = inventory.read(client, ["s1"], run=sequential)
    assert list(estate.definitions) == ["/subscriptions/s1/resourcegroups/rg/providers/microsoft.compute/galleries/g"
                                        "/images/i"]
    assert estate.problems == {inventory.USERS: "Resource Graph query for the VMs and scale sets failed: "
                                                "403 AuthorizationFailed"}
    assert inventory.USERS in estate.denied
    assert [body["query"] for body in transport.sent] == [inventory.GALLERY_QUERY, inventory.USER_QUERY]
