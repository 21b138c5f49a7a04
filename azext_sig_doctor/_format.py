"""Table transformers for ``-o table``; they only reshape what a command returned."""

from collections import OrderedDict


def error_list_table(result):
    return [OrderedDict([("Id", row["id"]), ("Section", row["section"]), ("Title", row["title"])])
            for row in result]


# ---- replication (create/) ------------------------------------------------------------------------

def replication_table(result):
    """Per-region rows for one version, per-version rows for a definition."""
    if "versions" in result:
        return [OrderedDict([("Version", row["version"]), ("Provisioning", row["provisioningState"]),
                             ("Replication", row["aggregatedState"]),
                             ("Regions", "{}/{}".format(row["completedRegions"], row["targetRegions"])),
                             ("Failed", ", ".join(row["failedRegions"]))])
                for row in result["versions"]]
    return [OrderedDict([("Region", row["region"]), ("State", row["state"]), ("Progress", row["progress"]),
                         ("Replicas", row["regionalReplicaCount"]), ("Details", row["details"] or "")])
            for row in result["regions"]]


# ---- explain (explain/) ---------------------------------------------------------------------------

def explain_table(result):
    """One row per finding: where, what, how often."""
    from azext_sig_doctor.explain.render import resource_label  # at output time, not at load time
    return [OrderedDict([("Line", row.get("line")), ("Id", row.get("id") or "(unknown)"),
                         ("Code", row.get("code") or ""), ("Count", row.get("count")),
                         ("Resource", resource_label(row.get("resource"))), ("Title", row.get("title") or "")])
            for row in result]


# ---- pre-checks (checks/) -------------------------------------------------------------------------

def check_table(result):
    """One row per finding, failures first (the report is already in that order)."""
    return [OrderedDict([("Status", row["status"].upper()), ("Rule", row["rule"]), ("Error id", row["error_id"]),
                         ("Detail", row["detail"]), ("Fix", row["fix"])])
            for row in result["findings"]]


# ---- estate: latest per region and the estate scan (estate/) ---------------------------------------

def latest_table(result):
    """One row per region: the version latest resolves to, and why the newer ones are not it."""
    def reasons(items):
        return "; ".join("{}: {}".format(item["version"], item["reason"]) for item in items)
    return [OrderedDict([("Region", row["region"]), ("Version", row["version"] or "(none)"),
                         ("Skipped", reasons(row["skipped"])), ("Unverified", reasons(row["unverified"]))])
            for row in result]


def scan_table(result):
    """One row per finding shown (failures first within each resource), with the resource it is about."""
    rows = []
    for target in result["targets"]:
        where = target["target"]
        resource = "/".join(where[key] for key in ("gallery", "image", "version") if where.get(key)) or \
            where.get("scope", "")
        for row in target["findings"]:
            rows.append(OrderedDict([("Status", row["status"].upper()), ("Rule", row["rule"]),
                                     ("Error id", row["error_id"]), ("Resource", resource),
                                     ("Detail", row["detail"])]))
    order = {"FAIL": 0, "UNVERIFIED": 1, "WARN": 2}
    return sorted(rows, key=lambda row: order.get(row["Status"], 3))
