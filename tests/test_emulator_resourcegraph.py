"""The emulator's Resource Graph: scope, paging, truncation, throttling headers, faults, errors."""

import time

import pytest

ARG = "/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01"
SUB1 = "00000000-0000-0000-0000-000000000001"
SUB2 = "00000000-0000-0000-0000-000000000002"
FOREIGN = "00000000-0000-0000-0000-0000000000ff"
GALLERY_TYPES = ("'microsoft.compute/galleries', 'microsoft.compute/galleries/images', "
                 "'microsoft.compute/galleries/images/versions'")


def world(**extra):
    data = {"name": "arg", "resource_graph": {"quota": 1000}, "resources": [
        {"id": "/subscriptions/{}/resourceGroups/RG-One/providers/Microsoft.Compute/galleries/g{}".format(sub, n),
         "location": "East US"} for sub in (SUB1, SUB2, FOREIGN) for n in range(3)]}
    data.update(extra)
    return data


def query(emulator, text, **body):
    body["query"] = text
    return emulator.request("POST", ARG, body=body)


def test_rows_have_the_resources_table_shape(emulator):
    emulator.load(world())
    response = query(emulator, "resources | where type =~ 'Microsoft.Compute/galleries' | order by id asc",
                     subscriptions=[SUB1])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["totalRecords"] == 3 and body["count"] == 3 and body["resultTruncated"] == "false"
    row = body["data"][0]
    assert (row["type"], row["location"], row["resourceGroup"], row["subscriptionId"]) == (
        "microsoft.compute/galleries", "eastus", "rg-one", SUB1)
    assert row["properties"]["provisioningState"] == "Succeeded"
    assert "$skipToken" not in body


def test_scope_is_the_callers_tenant_unless_subscriptions_or_a_management_group_narrow_it(emulator):
    emulator.load(world(resource_graph={"quota": 1000, "management_groups": {"platform": [SUB2]}}))
    everything = query(emulator, "resources | summarize n = count() by subscriptionId | order by subscriptionId asc")
    assert [(row["subscriptionId"], row["n"]) for row in everything.json()["data"]] == [(SUB1, 3), (SUB2, 3)]
    # A subscription of another tenant is not visible to this caller, even when named.
    named = query(emulator, "resources | count", subscriptions=[SUB2, FOREIGN])
    assert named.json()["data"] == [{"Count": 3}]
    group = query(emulator, "resources | distinct subscriptionId", managementGroups=["Platform"])
    assert group.json()["data"] == [{"subscriptionId": SUB2}]
    assert query(emulator, "resources", managementGroups=["nope"]).status_code == 404
    too_many = query(emulator, "resources", subscriptions=["{:08d}-0000-0000-0000-000000000000".format(n)
                                                           for n in range(1001)])
    assert too_many.status_code == 400


def test_pages_follow_the_skip_token_and_a_changed_request_is_refused(emulator):
    emulator.load(world(resource_graph={"quota": 1000, "page_size": 2}))
    text = "resources | project id, name | order by id asc"
    first = query(emulator, text, options={"$top": 1000}).json()
    assert (first["count"], first["totalRecords"], first["resultTruncated"]) == (2, 6, "false")
    names, token, pages = [row["name"] for row in first["data"]], first["$skipToken"], 1
    while token:
        page = query(emulator, text, options={"$top": 1000, "$skipToken": token}).json()
        names += [row["name"] for row in page["data"]]
        token, pages = page.get("$skipToken"), pages + 1
    assert pages == 3 and len(names) == 6
    changed = query(emulator, "resources | project id | order by id asc",
                    options={"$top": 1000, "$skipToken": first["$skipToken"]})
    assert changed.status_code == 400
    assert query(emulator, text, options={"$top": 1001}).status_code == 400
    skipped = query(emulator, text, options={"$skip": 5}).json()
    assert skipped["count"] == 1 and skipped["totalRecords"] == 1


def test_limit_or_only_dynamic_columns_turn_paging_off_and_report_truncation(emulator):
    emulator.load(world(resource_graph={"quota": 1000, "page_size": 2}))
    limited = query(emulator, "resources | project id | take 5").json()
    assert (limited["count"], limited["resultTruncated"]) == (2, "true") and "$skipToken" not in limited
    dynamic = query(emulator, "resources | project properties").json()
    assert dynamic["resultTruncated"] == "true" and "$skipToken" not in dynamic
    table = query(emulator, "resources | project name | order by name asc | take 1",
                  options={"resultFormat": "table"}).json()
    assert table["data"] == {"columns": [{"name": "name", "type": "string"}], "rows": [["g0"]]}


def test_every_answer_says_the_quota_and_beyond_it_the_caller_is_throttled(emulator):
    emulator.load(world(resource_graph={"quota": 2, "window_seconds": 2}))
    first, second, third = (query(emulator, "resources | count") for _ in range(3))
    assert [r.status_code for r in (first, second, third)] == [200, 200, 429]
    assert first.headers["x-ms-user-quota-remaining"] == "1" and second.headers["x-ms-user-quota-remaining"] == "0"
    resets = third.headers["x-ms-user-quota-resets-after"]
    assert resets.startswith("00:00:0") and third.headers["x-ms-user-quota-remaining"] == "0"
    time.sleep(int(resets[-2:]))
    assert query(emulator, "resources | count").status_code == 200


def test_faults_and_access_rules_apply_to_resource_graph(emulator):
    emulator.load(world(faults=[{"method": "POST", "path": "ResourceGraph", "status": 429, "count": 1,
                                 "retry_after": 1}],
                        access=[{"path": "ResourceGraph", "methods": ["POST"]}]))
    throttled = query(emulator, "resources | count")
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "1"
    assert query(emulator, "resources | count").status_code == 403


@pytest.mark.parametrize("text", ["resources | join (resources) on id", "resources | where nosuch == 1",
                                  "securityresources", ""])
def test_a_query_outside_the_subset_is_a_bad_request(emulator, text):
    emulator.load(world())
    response = query(emulator, text)
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["code"] == "InvalidQuery"


def test_api_version_is_required_and_known(emulator):
    emulator.load(world())
    missing = emulator.request("POST", "/providers/Microsoft.ResourceGraph/resources?x=1", body={"query": "resources"})
    assert missing.status_code == 400
    unknown = emulator.request("POST", "/providers/Microsoft.ResourceGraph/resources?api-version=1999-01-01",
                               body={"query": "resources"})
    assert unknown.status_code == 400
    newer = emulator.request("POST", "/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01",
                             body={"query": "resources | count"})
    assert newer.status_code == 200


def test_gallery_rows_show_computed_state_and_no_emulator_settings(emulator):
    emulator.load("estate/world.yaml")
    response = query(emulator, "resources | where type in~ ({}) | where name == '2.1.0' "
                               "| project id, provisioningState = properties.provisioningState, properties"
                     .format(GALLERY_TYPES))
    [row] = response.json()["data"]
    assert row["provisioningState"] == "Updating"
    assert "x-emulator" not in row["properties"] and "replicationStatus" not in row["properties"]
    scale_sets = query(emulator, "resources | where type =~ 'microsoft.compute/virtualmachinescalesets' "
                                 "| project name, capacity = toint(sku.capacity) | order by name asc")
    assert scale_sets.json()["data"] == [{"name": "api", "capacity": 60}, {"name": "batch", "capacity": 40},
                                         {"name": "web", "capacity": 4}]
