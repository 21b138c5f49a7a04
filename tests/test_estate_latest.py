"""`latest` per region: the documented ordering and exclusions, and the reasons given for skips."""

from azext_sig_doctor.domain import ids
from azext_sig_doctor.estate import latest
from azext_sig_doctor.estate.model import Version, gallery_resource, parse_date, version_key

DEFINITION = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/ubuntu"


def version(name, regions=("eastus", "westeurope"), excluded=False, state="Succeeded", published=None,
            excluded_in=(), replication=None, **profile):
    targets = [{"name": region, "regionalReplicaCount": 1, "excludeFromLatest": region in excluded_in}
               for region in regions]
    properties = {"provisioningState": state, "publishingProfile": dict(
        targetRegions=targets, excludeFromLatest=excluded, publishedDate=published, **profile)}
    if replication is not None:
        properties["replicationStatus"] = {"summary": [
            {"region": region, "state": value[0], "progress": value[1], "details": value[2] if len(value) > 2 else ""}
            for region, value in replication.items()]}
    return Version(ids.parse(DEFINITION + "/versions/" + name), properties, "eastus")


def picked(versions, region):
    resolution = latest.resolve(versions, region)
    return resolution.version.name if resolution.version else None, \
        [(skip.version.name, skip.reason) for skip in resolution.skipped]


def test_latest_is_the_highest_version_number_not_the_last_string():
    versions = [version("1.9.0"), version("1.10.0"), version("1.2.30")]
    assert picked(versions, "eastus") == ("1.10.0", [])


def test_globally_excluded_and_region_excluded_versions_are_skipped_with_their_reason():
    versions = [version("3.0.0", excluded=True), version("2.0.0", excluded_in=("westeurope",)), version("1.0.0")]
    assert picked(versions, "eastus") == ("2.0.0", [("3.0.0", latest.EXCLUDED)])
    assert picked(versions, "West Europe") == ("1.0.0", [("3.0.0", latest.EXCLUDED),
                                                         ("2.0.0", latest.EXCLUDED_IN_REGION)])


def test_a_version_not_targeted_at_the_region_is_not_replicated_there():
    versions = [version("2.0.0", regions=("eastus",)), version("1.0.0", regions=("eastus", "northeurope"))]
    assert picked(versions, "northeurope") == ("1.0.0", [("2.0.0", latest.NOT_REPLICATED)])
    assert picked(versions, "japaneast") == (None, [("2.0.0", latest.NOT_REPLICATED),
                                                    ("1.0.0", latest.NOT_REPLICATED)])


def test_replication_state_in_the_region_decides_once_read():
    versions = [version("2.0.0", state="Updating", replication={
        "East US": ("Completed", 100), "West Europe": ("Replicating", 40)}),
        version("1.0.0")]
    assert picked(versions, "eastus") == ("2.0.0", [])
    assert picked(versions, "westeurope") == ("1.0.0", [("2.0.0", "replication in progress there (40%)")])
    failed = [version("2.0.0", state="Updating", replication={"westeurope": ("Failed", 50, "copy failed")}),
              version("1.0.0")]
    assert picked(failed, "westeurope") == ("1.0.0", [("2.0.0", "replication failed there: copy failed")])
    assert picked(failed, "eastus") == ("1.0.0", [("2.0.0", "replication not started there")])


def test_failed_or_creating_versions_are_not_picked():
    versions = [version("3.0.0", state="Failed"), version("2.0.0", state="Creating"), version("1.0.0")]
    assert picked(versions, "eastus") == ("1.0.0", [("3.0.0", "provisioning state Failed"),
                                                    ("2.0.0", "provisioning state Creating")])


def test_an_unread_state_makes_the_answer_unverified_not_a_guess():
    pending = version("2.0.0", state="Updating")
    pending.replication_error = "403 AuthorizationFailed"
    resolution = latest.resolve([pending, version("1.0.0")], "eastus")
    assert resolution.version.name == "1.0.0" and not resolution.certain
    assert [skip.version.name for skip in resolution.unverified] == ["2.0.0"]
    assert "403 AuthorizationFailed" in resolution.unverified[0].reason
    assert resolution.to_dict()["unverified"][0]["version"] == "2.0.0"


def test_a_lower_number_published_later_is_explained():
    versions = [version("2.0.0", published="2024-01-01T00:00:00Z"),
                version("1.5.0", published="2024-06-01T00:00:00.1234567+00:00"),
                version("1.0.0", published="2023-01-01T00:00:00Z")]
    name, skipped = picked(versions, "eastus")
    assert name == "2.0.0"
    assert [version_name for version_name, _ in skipped] == ["1.5.0"]
    assert "version number" in skipped[0][1]


def test_regions_of_all_versions_and_which_versions_need_their_replication_read():
    versions = [version("1.0.0", regions=("East US", "westeurope")), version("2.0.0", regions=("North Europe",),
                                                                             state="Updating")]
    assert latest.regions_of(versions) == ["eastus", "northeurope", "westeurope"]
    assert [latest.needs_replication_state(v) for v in versions] == [False, True]


def test_parsing_helpers():
    assert version_key("1.10.2") == (1, 10, 2) and version_key("1.0") is None and version_key("a.b.c") is None
    assert parse_date("2024-01-02T03:04:05.1234567Z").microsecond == 123456
    assert parse_date("not a date") is None and parse_date(None) is None
    definition = gallery_resource({"id": DEFINITION, "properties": {
        "hyperVGeneration": "V2", "features": [{"name": "SecurityType", "value": "TrustedLaunchSupported"}]}})
    assert definition.trusted_launch_capable
    assert not gallery_resource({"id": DEFINITION, "hyperVGeneration": "V1"}).trusted_launch_capable
    assert gallery_resource({"id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/vnets/v"}) is None
