"""The emulator's KQL evaluator: the subset Resource Graph queries use, with Kusto's semantics."""

import pytest

from tests.emulator.kql import KqlError, parse, run

COLUMNS = ["id", "name", "type", "location", "subscriptionId", "resourceGroup", "properties", "tags", "sku"]
ROWS = [
    {"id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1", "name": "g1",
     "type": "microsoft.compute/galleries", "location": "eastus", "subscriptionId": "s1", "resourceGroup": "rg",
     "properties": {"provisioningState": "Succeeded"}, "tags": {}, "sku": None},
    {"id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1/images/ubuntu",
     "name": "ubuntu",
     "type": "microsoft.compute/galleries/images", "location": "eastus", "subscriptionId": "s1", "resourceGroup": "rg",
     "properties": {"hyperVGeneration": "V2", "features": [{"name": "SecurityType", "value": "TrustedLaunch"}]},
     "tags": {"team": "Platform"}, "sku": None},
    {"id": "/subscriptions/s2/resourceGroups/RG2/providers/Microsoft.Compute/virtualMachineScaleSets/web",
     "name": "web",
     "type": "microsoft.compute/virtualmachinescalesets", "location": "westeurope", "subscriptionId": "s2",
     "resourceGroup": "rg2", "tags": {}, "sku": {"name": "Standard_D2s_v5", "capacity": 40},
     "properties": {"virtualMachineProfile": {"storageProfile": {"imageReference": {
         "id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1/images/ubuntu"}}}}},
    {"id": "/subscriptions/s2/resourceGroups/RG2/providers/Microsoft.Compute/virtualMachines/vm1", "name": "vm1",
     "type": "microsoft.compute/virtualmachines", "location": "westeurope", "subscriptionId": "s2",
     "resourceGroup": "rg2", "tags": {}, "sku": None,
     "properties": {"storageProfile": {"imageReference": {"publisher": "Canonical", "offer": "ubuntu"}}}},
]
TABLES = {"resources": (COLUMNS, ROWS)}


def names(query):
    return [row.get("name") for row in run(query, TABLES).rows]


def test_where_with_case_insensitive_equality_and_membership():
    assert names("Resources | where type =~ 'Microsoft.Compute/Galleries'") == ["g1"]
    assert names("resources | where type == 'Microsoft.Compute/Galleries'") == []
    assert names("resources | where type in~ ('MICROSOFT.COMPUTE/GALLERIES', 'microsoft.compute/virtualmachines')") \
        == ["g1", "vm1"]
    assert names("resources | where type in ('microsoft.compute/galleries')") == ["g1"]
    assert names("resources | where type !in~ ('microsoft.compute/galleries', 'microsoft.compute/galleries/images')") \
        == ["web", "vm1"]
    assert names("resources | where type != 'microsoft.compute/galleries' and location == 'eastus'") == ["ubuntu"]


def test_and_binds_tighter_than_or():
    assert names("resources | where name == 'g1' or name == 'web' and location == 'eastus'") == ["g1"]
    assert names("resources | where (name == 'g1' or name == 'web') and location == 'westeurope'") == ["web"]


def test_has_matches_whole_terms_in_any_case():
    assert names("resources | where id has 'Galleries'") == ["g1", "ubuntu"]
    assert names("resources | where id has 'galler'") == []
    assert names("resources | where id contains 'galler'") == ["g1", "ubuntu"]
    assert names("resources | where id !has 'galleries'") == ["web", "vm1"]
    assert names("resources | where tostring(properties.virtualMachineProfile.storageProfile.imageReference.id) "
                 "has 'galleries'") == ["web"]


def test_member_access_emptiness_and_functions():
    assert names("resources | where isnotempty(properties.hyperVGeneration)") == ["ubuntu"]
    assert names("resources | where isempty(sku)") == ["g1", "ubuntu", "vm1"]
    assert names("resources | where tolower(properties.features[0].value) == 'trustedlaunch'") == ["ubuntu"]
    assert names("resources | where properties['hyperVGeneration'] =~ 'v2'") == ["ubuntu"]
    assert names("resources | where toint(sku.capacity) >= 40") == ["web"]
    assert names("resources | where tags.team =~ 'platform'") == ["ubuntu"]


def test_project_extend_and_names_of_paths():
    result = run("resources | where isnotnull(sku) | extend capacity = sku.capacity * 2 "
                 "| project name, capacity, sku.name", TABLES)
    assert result.columns == ["name", "capacity", "sku_name"]
    assert [dict(row) for row in result.rows] == [{"name": "web", "capacity": 80, "sku_name": "Standard_D2s_v5"}]


def test_a_computed_column_needs_a_name():
    with pytest.raises(KqlError):
        run("resources | project tolower(name)", TABLES)


def test_mv_expand_gives_one_row_per_element_none_for_an_empty_array_and_one_for_null():
    query = "resources | extend f = properties.features | mv-expand f | project name, f"
    assert [(row["name"], row["f"]) for row in run(query, TABLES).rows] == [
        ("g1", None), ("ubuntu", {"name": "SecurityType", "value": "TrustedLaunch"}), ("web", None), ("vm1", None)]
    rows = run("resources | extend f = dynamic([]) | mv-expand f | project name", TABLES).rows
    assert rows == []
    bag = run("resources | where name == 'ubuntu' | mv-expand kv = properties | project kv", TABLES).rows
    assert [row["kv"] for row in bag] == [{"hyperVGeneration": "V2"},
                                          {"features": [{"name": "SecurityType", "value": "TrustedLaunch"}]}]


def test_summarize_by_with_aggregates():
    result = run("resources | summarize n = count(), names = make_list(name), dcount(location) by subscriptionId "
                 "| order by subscriptionId asc", TABLES)
    assert result.columns == ["subscriptionId", "n", "names", "dcount_location"]
    assert [dict(row) for row in result.rows] == [
        {"subscriptionId": "s1", "n": 2, "names": ["g1", "ubuntu"], "dcount_location": 1},
        {"subscriptionId": "s2", "n": 2, "names": ["web", "vm1"], "dcount_location": 1}]
    assert [dict(row) for row in run("resources | summarize count()", TABLES).rows] == [{"count_": 4}]
    assert run("resources | count", TABLES).rows == [{"Count": 4}]


def test_order_by_is_descending_by_default_with_nulls_last():
    assert names("resources | extend c = sku.capacity | order by c, name asc") == ["web", "g1", "ubuntu", "vm1"]
    assert names("resources | order by name asc") == ["g1", "ubuntu", "vm1", "web"]
    assert names("resources | sort by name") == ["web", "vm1", "ubuntu", "g1"]


def test_limit_and_take_mark_the_result_limited():
    result = run("resources | order by name asc | take 2", TABLES)
    assert [row["name"] for row in result.rows] == ["g1", "ubuntu"] and result.limited
    assert not run("resources", TABLES).limited
    assert names("resources | limit 1") == ["g1"]


def test_distinct_and_project_away():
    assert [dict(r) for r in run("resources | distinct location | order by location asc", TABLES).rows] == [
        {"location": "eastus"}, {"location": "westeurope"}]
    assert run("resources | project-away properties, tags, sku | take 1", TABLES).columns == [
        "id", "name", "type", "location", "subscriptionId", "resourceGroup"]


@pytest.mark.parametrize("query", [
    "", "secrets", "resources | where", "resources | join kind=inner (resources) on id",
    "resources | where nosuchcolumn == 1", "resources | where name == 'x' |", "resources | where strange(name)",
    "resources | where name == 'unterminated", "resources | project name | where type == 'x'",
    "resources | where name $ 1"])
def test_queries_outside_the_subset_are_errors_not_guesses(query):
    with pytest.raises(KqlError):
        parse(query, {"resources": COLUMNS}).evaluate(ROWS)


def test_comparisons_with_null_are_false():
    assert names("resources | where sku.capacity > 1") == ["web"]
    assert names("resources | where sku.capacity != 1") == ["web"]
    assert names("resources | where properties.nothing == properties.nothing") == []
