"""Table transformers for ``-o table``; they only reshape what a command returned. Column headings
are in the language of the command (``_heading``); the values are the command's own."""

from collections import OrderedDict


def _heading(key):
    """A column heading in the current language (imported at output time, not at load time)."""
    from azext_sig_doctor.i18n.catalog import say
    return say("table", key)


def error_list_table(result):
    h = _heading
    return [OrderedDict([(h("id"), row["id"]), (h("section"), row["section"]), (h("title"), row["title"])])
            for row in result]


# ---- replication (create/) ------------------------------------------------------------------------

def replication_table(result):
    """Per-region rows for one version, per-version rows for a definition."""
    h = _heading
    if "versions" in result:
        return [OrderedDict([(h("version"), row["version"]), (h("provisioning"), row["provisioning_state"]),
                             (h("replication"), row["aggregated_state"]),
                             (h("regions"), "{}/{}".format(row["completed_regions"], row["target_regions"])),
                             (h("failed"), ", ".join(row["failed_regions"]))])
                for row in result["versions"]]
    return [OrderedDict([(h("region"), row["region"]), (h("state"), row["state"]), (h("progress"), row["progress"]),
                         (h("replicas"), row["regional_replica_count"]), (h("details"), row["details"] or "")])
            for row in result["regions"]]


# ---- explain (explain/) ---------------------------------------------------------------------------

def explain_table(result):
    """One row per finding: where, what, how often."""
    from azext_sig_doctor.explain.render import resource_label  # at output time, not at load time
    h = _heading
    return [OrderedDict([(h("line"), row.get("line")), (h("id"), row.get("id") or h("unknown-id")),
                         (h("code"), row.get("code") or ""), (h("count"), row.get("count")),
                         (h("resource"), resource_label(row.get("resource"))), (h("title"), row.get("title") or "")])
            for row in result]


# ---- pre-checks (checks/) -------------------------------------------------------------------------

def check_table(result):
    """One row per finding, failures first (the report is already in that order)."""
    h = _heading
    return [OrderedDict([(h("status"), row["status"].upper()), (h("rule"), row["rule"]),
                         (h("error-id"), row["error_id"]), (h("detail"), row["detail"]), (h("fix"), row["fix"])])
            for row in result["findings"]]


# ---- estate: latest per region and the estate scan (estate/) ---------------------------------------

def latest_table(result):
    """One row per region: the version latest resolves to, and why the newer ones are not it."""
    def reasons(items):
        return "; ".join("{}: {}".format(item["version"], item["reason"]) for item in items)
    h = _heading
    return [OrderedDict([(h("region"), row["region"]), (h("version"), row["version"] or h("no-version")),
                         (h("skipped"), reasons(row["skipped"])), (h("unverified"), reasons(row["unverified"]))])
            for row in result]


def scan_table(result):
    """One row per finding shown (failures first within each resource), with the resource it is about."""
    h = _heading
    rows = []
    for target in result["targets"]:
        where = target["target"]
        resource = "/".join(where[key] for key in ("gallery", "image", "version") if where.get(key)) or \
            where.get("scope", "")
        for row in target["findings"]:
            rows.append(OrderedDict([(h("status"), row["status"].upper()), (h("rule"), row["rule"]),
                                     (h("error-id"), row["error_id"]), (h("resource"), resource),
                                     (h("detail"), row["detail"])]))
    order = {"FAIL": 0, "UNVERIFIED": 1, "WARN": 2}
    status = h("status")
    return sorted(rows, key=lambda row: order.get(row[status], 3))


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
    h = _heading
    return [OrderedDict([(h("id"), row["id"]), (h("runs-in"), ", ".join(row["commands"])),
                         (h("live"), h("yes") if row["live"] else h("no")), (h("level"), row["level"]),
                         (h("prevents"), ", ".join(item["id"] for item in row["prevents"]))])
            for row in result]
