"""`az sig doctor replication` output: per-region status of a version and its table shapes."""

from azext_sig_doctor._format import replication_table
from azext_sig_doctor.create import follow, status

TARGET = follow.Target("rg", "gal", "img", "2.1.0")


def version_json(summary, aggregated="InProgress"):
    return {"name": "2.1.0", "properties": {
        "provisioningState": "Creating",
        "publishingProfile": {"replicaCount": 1, "targetRegions": [
            {"name": "East US", "regionalReplicaCount": 1}, {"name": "North Europe", "regionalReplicaCount": 3}]},
        "replicationStatus": {"aggregatedState": aggregated, "summary": summary}}}


def test_version_status_lists_regions_in_target_order_with_their_state():
    result = status.version_status(version_json([
        {"region": "North Europe", "state": "Replicating", "progress": 35, "details": ""},
        {"region": "East US", "state": "Completed", "progress": 100, "details": ""}]), TARGET)
    assert result["aggregated_state"] == "InProgress"
    rows = [(row["region"], row["state"], row["progress"], row["regional_replica_count"]) for row in result["regions"]]
    assert rows == [("East US", "Completed", 100, 1), ("North Europe", "Replicating", 35, 3)]
    assert "retry_commands" not in result


def test_a_failed_region_comes_with_its_retry_commands():
    result = status.version_status(version_json([
        {"region": "East US", "state": "Completed", "progress": 100},
        {"region": "North Europe", "state": "Failed", "progress": 50, "details": "copy failed"}], "Failed"), TARGET)
    assert result["retry_commands"] == [
        "az sig image-version update -g rg -r gal -i img -e 2.1.0 --remove publishingProfile.targetRegions 1",
        "az sig image-version update -g rg -r gal -i img -e 2.1.0 --add publishingProfile.targetRegions "
        "name=northeurope regionalReplicaCount=3",
    ]


def test_region_table():
    result = status.version_status(version_json([
        {"region": "East US", "state": "Completed", "progress": 100},
        {"region": "North Europe", "state": "Failed", "progress": 50, "details": "copy failed"}]), TARGET)
    rows = replication_table(result)
    assert [list(row.values()) for row in rows] == [["East US", "Completed", 100, 1, ""],
                                                     ["North Europe", "Failed", 50, 3, "copy failed"]]


def test_definition_table():
    rows = replication_table({"definition": "gal/img", "versions": [
        {"version": "1.0.0", "provisioning_state": "Succeeded", "aggregated_state": "Completed",
         "completed_regions": 2, "target_regions": 2, "failed_regions": []},
        {"version": "1.1.0", "provisioning_state": "Failed", "aggregated_state": "Failed", "completed_regions": 1,
         "target_regions": 3, "failed_regions": ["westus", "northeurope"]}]})
    assert [list(row.values()) for row in rows] == [["1.0.0", "Succeeded", "Completed", "2/2", ""],
                                                     ["1.1.0", "Failed", "Failed", "1/3", "westus, northeurope"]]


TOO_LARGE = "Replication failed in this region due to 'The GalleryImageVersion source resource size 2520 " \
            "exceeds the max size 2048 supported'"


def test_a_failure_a_retry_cannot_fix_gets_no_retry_commands_but_names_its_entry():
    result = status.version_status(version_json([
        {"region": "East US", "state": "Completed", "progress": 100},
        {"region": "North Europe", "state": "Failed", "progress": 50, "details": TOO_LARGE}], "Failed"), TARGET)
    assert "retry_commands" not in result
    assert [row.get("error_id") for row in result["regions"]] == [None, "version.source-too-large"]
    assert "error_id" not in result["regions"][0]


def test_retry_commands_cover_only_the_regions_a_retry_can_fix():
    result = status.version_status(version_json([
        {"region": "East US", "state": "Failed", "progress": 50, "details": TOO_LARGE},
        {"region": "North Europe", "state": "Failed", "progress": 50, "details": "copy failed"}], "Failed"), TARGET)
    assert [row["error_id"] for row in result["regions"]] == ["version.source-too-large", follow.FAILED_ENTRY]
    assert result["retry_commands"] == [
        "az sig image-version update -g rg -r gal -i img -e 2.1.0 --remove publishingProfile.targetRegions 1",
        "az sig image-version update -g rg -r gal -i img -e 2.1.0 --add publishingProfile.targetRegions "
        "name=northeurope regionalReplicaCount=3",
    ]
