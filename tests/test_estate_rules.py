"""Estate rules on an inventory built in memory: the edges the emulator world does not reach."""

from datetime import datetime, timezone

from azext_sig_doctor.estate import inventory, rules, scan

NOW = datetime(2025, 6, 1, tzinfo=timezone.utc)
GALLERY = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries/g"
DEFINITION = GALLERY + "/images/app"


def version(name, state="Succeeded", regions=("East US",), safety=None, **profile):
    row = {"id": DEFINITION + "/versions/" + name, "location": "eastus", "provisioningState": state,
           "publishingProfile": dict(targetRegions=[{"name": region} for region in regions], **profile)}
    if safety:
        row["safetyProfile"] = safety
    return row


def estate(versions, users=(), users_problem=None, replication=None):
    found = inventory.Inventory()
    found.add_gallery_rows([{"id": GALLERY}, {"id": DEFINITION, "hyperVGeneration": "V2", "features": [
        {"name": "SecurityType", "value": "TrustedLaunchSupported"}]}] + list(versions))
    found.add_user_rows(list(users))
    found.link()
    if users_problem:
        found.problem(inventory.USERS, users_problem)
    for name, summary in (replication or {}).items():
        found.versions[(DEFINITION + "/versions/" + name).lower()].set_replication(summary)
    return found


def outcome(rule_id, found, name=None):
    context = rules.Context(found, NOW, 6 * 3600)
    resource = found.versions[(DEFINITION + "/versions/" + name).lower()] if name else \
        found.definitions[DEFINITION.lower()]
    return rules.RULES[rule_id].func(context, resource)


def scale_set(name, region, capacity, image=DEFINITION):
    return {"id": "/subscriptions/s2/resourceGroups/apps/providers/Microsoft.Compute/virtualMachineScaleSets/" + name,
            "location": region, "scaleSetImage": image, "capacity": capacity}


def test_an_unread_replication_state_is_unverified_not_passed():
    found = estate([version("1.0.0", state="Updating")])
    found.versions[(DEFINITION + "/versions/1.0.0").lower()].replication_error = "no read access to the version"
    for rule_id in ("estate.replication-failed", "estate.replication-stuck"):
        result = outcome(rule_id, found, "1.0.0")
        assert result.status == "unverified" and "no read access" in result.detail


def test_a_failed_version_without_a_failed_region_points_at_publishing():
    found = estate([version("1.0.0", state="Failed")], replication={"1.0.0": [{"region": "East US",
                                                                                "state": "Completed"}]})
    result = outcome("estate.replication-failed", found, "1.0.0")
    assert (result.status, result.error_id) == ("fail", "version.publishing-failed-pir")


def test_stuck_needs_a_publishing_date_and_the_threshold():
    pending = [{"region": "East US", "state": "Replicating", "progress": 10}]
    undated = estate([version("1.0.0", state="Updating")], replication={"1.0.0": pending})
    assert outcome("estate.replication-stuck", undated, "1.0.0").status == "skip"
    fresh = estate([version("1.0.0", state="Updating", publishedDate="2025-06-01T00:00:00Z")],
                   replication={"1.0.0": pending})
    assert outcome("estate.replication-stuck", fresh, "1.0.0").status == "pass"
    old = estate([version("1.0.0", state="Updating", publishedDate="2025-05-01T00:00:00Z")],
                 replication={"1.0.0": pending})
    assert outcome("estate.replication-stuck", old, "1.0.0").status == "warn"


def test_deletion_blocked_without_an_end_of_life_date_can_never_be_deleted():
    found = estate([version("1.0.0", safety={"blockDeletionBeforeEndOfLife": True})])
    result = outcome("estate.deletion-blocked", found, "1.0.0")
    assert result.status == "warn" and "does not have" in result.detail
    past = estate([version("1.0.0", endOfLifeDate="2024-01-01", safety={"blockDeletionBeforeEndOfLife": True})])
    assert outcome("estate.deletion-blocked", past, "1.0.0").status == "pass"


def test_when_the_vms_and_scale_sets_could_not_be_read_the_rules_that_need_them_are_unverified():
    found = estate([version("1.0.0")], users_problem="Resource Graph query for the VMs and scale sets failed: 500")
    assert outcome("estate.latest-where-used", found).status == "unverified"
    assert outcome("estate.version-where-used", found, "1.0.0").status == "unverified"
    assert outcome("estate.replicas-for-scale-sets", found, "1.0.0").status == "unverified"
    # A problem seen among the users that were read is still reported.
    partial = estate([version("1.0.0")], users=[scale_set("big", "eastus", 100)], users_problem="500")
    assert outcome("estate.replicas-for-scale-sets", partial, "1.0.0").status == "warn"


def test_replicas_count_scale_sets_on_latest_only_in_the_regions_where_latest_is_that_version():
    versions = [version("1.0.0", regions=("East US", "West Europe")), version("2.0.0", regions=("East US",))]
    found = estate(versions, users=[scale_set("eu", "westeurope", 100), scale_set("us", "eastus", 100)])
    older = outcome("estate.replicas-for-scale-sets", found, "1.0.0")
    newer = outcome("estate.replicas-for-scale-sets", found, "2.0.0")
    assert older.status == "warn" and "West Europe" in older.detail and "East US" not in older.detail
    assert older.values["number"] == "5" and newer.status == "warn" and "East US" in newer.detail


def test_the_scan_report_counts_every_outcome_and_shows_only_what_needs_attention():
    found = estate([version("1.0.0")], users=[scale_set("ok", "eastus", 10)])
    report = scan.evaluate(found, NOW, 6 * 3600, scan.Scope(subscriptions=["s1"]))
    assert report.targets == [] and report.summary["fail"] == 0 and report.exit_code() == 0
    assert sum(report.summary.values()) == len(rules.rules_for("version")) + len(rules.rules_for("definition"))
