"""Table transformers for ``-o table``; they only reshape what a command returned."""

from collections import OrderedDict


def error_list_table(result):
    return [OrderedDict([("Id", row["id"]), ("Section", row["section"]), ("Title", row["title"])])
            for row in result]


# ---- replication (create/) ------------------------------------------------------------------------

def replication_table(result):
    """Per-region rows for one version, per-version rows for a definition."""
    if "versions" in result:
        return [OrderedDict([("Version", row["version"]), ("Provisioning", row["provisioning_state"]),
                             ("Replication", row["aggregated_state"]),
                             ("Regions", "{}/{}".format(row["completed_regions"], row["target_regions"])),
                             ("Failed", ", ".join(row["failed_regions"]))])
                for row in result["versions"]]
    return [OrderedDict([("Region", row["region"]), ("State", row["state"]), ("Progress", row["progress"]),
                         ("Replicas", row["regional_replica_count"]), ("Details", row["details"] or "")])
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


# ---- check-build (build/) -----------------------------------------------------------------------------

def build_table(result):
    """One row per finding to act on (failures first), with the template line it is about; a build
    whose findings all passed shows one row saying so."""
    rows = []
    order = {"fail": 0, "unverified": 1, "warn": 2}
    for report in result:
        target = report["target"]
        shown = sorted((row for row in report["findings"] if row["status"] in order),
                       key=lambda row: order[row["status"]])
        for row in shown:
            where = row.get("location") or {}
            rows.append(OrderedDict([("Where", "{}:{}".format(where.get("file") or target.get("file"),
                                                             where.get("line") or target.get("line"))),
                                     ("Build", target.get("build")), ("Status", row["status"].upper()),
                                     ("Rule", row["rule"]), ("Detail", row["detail"])]))
        if not shown:
            rows.append(OrderedDict([("Where", "{}:{}".format(target.get("file"), target.get("line"))),
                                     ("Build", target.get("build")), ("Status", "PASS"), ("Rule", ""),
                                     ("Detail", "{} rules passed, {} skipped".format(report["summary"]["pass"],
                                                                                    report["summary"]["skip"]))]))
    return rows


# ---- rules (rule_catalog) --------------------------------------------------------------------------

def rule_list_table(result):
    """One row per rule: where it runs, whether it reads Azure, what it prevents."""
    return [OrderedDict([("Id", row["id"]), ("Runs in", ", ".join(row["commands"])),
                         ("Live", "yes" if row["live"] else "no"), ("Level", row["level"]),
                         ("Prevents", ", ".join(item["id"] for item in row["prevents"]))])
            for row in result]
