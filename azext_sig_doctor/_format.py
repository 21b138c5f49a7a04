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
