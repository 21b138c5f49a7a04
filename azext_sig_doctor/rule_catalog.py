"""``az sig doctor rule list/show`` and ``docs/rules.md``: every rule with its identity, from the registries.

Two registries hold the rules: the pre-checks' (``checks.registry``: run by ``check-*`` and the guarded
creates) and the estate scan's (``estate.rules``: run by ``scan``). What a rule is, as a user or a
dashboard sees it, is said here once: its description is its function's docstring; its level, help
text and documentation link come from the knowledge-base entries it prevents. ``rule list``/``rule
show``, ``docs/rules.md`` and the SARIF rule descriptors (``checks.sarif.rule_descriptor``) all read
``describe``.
"""

from collections import OrderedDict

CHECK, SCAN = "check", "scan"
# Where a rule without an entry's own link points: the troubleshooting article the knowledge base follows.
INFORMATION_URI = "https://learn.microsoft.com/azure/virtual-machines/troubleshooting-shared-images"
# The doctor commands that run the pre-check rules of each kind.
# check-build turns a template's builds into definition, version and VM requests: their rules run there too.
_CHECK_COMMANDS = {"gallery": ("check-gallery", "create-gallery"),
                   "definition": ("check-definition", "create-definition", "check-build"),
                   "version": ("check-version", "create-version", "check-build"),
                   "vm": ("check-vm", "check-build"),
                   "build": ("check-build",)}
DOC_PATH = "docs/rules.md"


def registered():
    """(rule, CHECK or SCAN) for every rule: the pre-checks' (offline first, then live), then the scan's."""
    from azext_sig_doctor.checks import registry
    from azext_sig_doctor.estate import rules as estate_rules
    return [(rule, CHECK) for rule in registry.all_rules()] + [(rule, SCAN) for rule in estate_rules.RULES.values()]


def level(rule):
    """The level of the rule's findings: ``warning`` when every entry it prevents is guidance (no
    error of the service), else ``error``."""
    from azext_sig_doctor import knowledge
    return "warning" if all(knowledge.get(error_id).origin == "guidance" for error_id in rule.error_ids) else "error"


def docs(rule):
    """The documentation of the rule's usual entry (the article's section, or the public issue)."""
    from azext_sig_doctor import knowledge
    return knowledge.get(rule.error_id).data.get("docs") or INFORMATION_URI


def help_text(rule):
    """What a dashboard shows as the rule's help: why it matters, the entries, where to read more."""
    return "{} Knowledge-base entries: {}. Details: az sig doctor error show --id {}".format(
        rule.description or rule.title, ", ".join(rule.error_ids), rule.error_id)


def commands_of(rule, where):
    if where == SCAN:
        return ["scan"]
    commands = [command for kind in rule.kinds for command in _CHECK_COMMANDS[kind]]
    return list(OrderedDict.fromkeys(commands))  # check-build serves several kinds: named once


def describe(rule, where):
    """A rule as ``rule list/show`` prints it (snake_case keys)."""
    from azext_sig_doctor import knowledge
    from azext_sig_doctor.i18n.catalog import localized, rule_text
    prevents = []
    for error_id in rule.error_ids:
        entry = localized(knowledge.get(error_id))
        prevents.append(OrderedDict([("id", error_id), ("title", entry.data.get("title")),
                                     ("docs", entry.data.get("docs"))]))
    # In the current language (English for docs/rules.md); ids, commands and levels stay as they are.
    return OrderedDict([
        ("id", rule.id),
        ("title", rule_text(rule, "title")),
        ("description", rule_text(rule, "description") if rule.description else rule.description),
        ("commands", commands_of(rule, where)),
        ("kinds", list(rule.kinds)),
        ("live", rule.live),
        ("requires", list(rule.requires)),
        ("level", level(rule)),
        ("docs", docs(rule)),
        ("prevents", prevents),
    ])


def list_rules():
    return [describe(rule, where) for rule, where in registered()]


def show_rule(rule_id):
    """The rule with ``rule_id`` (any case)."""
    import difflib
    from azure.cli.core.azclierror import ResourceNotFoundError
    wanted = (rule_id or "").strip().lower()
    found = {rule.id.lower(): (rule, where) for rule, where in registered()}
    if wanted in found:
        return describe(*found[wanted])
    close = difflib.get_close_matches(wanted, list(found), n=3, cutoff=0.5)
    advice = ["Did you mean: {}?".format(", ".join(found[item][0].id for item in close))] if close else []
    advice.append("Run 'az sig doctor rule list -o table' to see every rule.")
    raise ResourceNotFoundError("No rule has the id '{}'.".format(rule_id), advice)


# ---- docs/rules.md ------------------------------------------------------------------------------

def markdown():
    """docs/rules.md: an index, then one section per rule."""
    rows = list_rules()
    lines = ["# sig-doctor rules", "",
             "Generated from the rule registries (`checks/registry.py` and `estate/rules.py`) by "
             "`bash scripts/rules_doc.sh`; `tests/test_rules_doc.py` fails when this file is not what the "
             "script writes. The same descriptions are shown by `az sig doctor rule list` / `rule show --id` "
             "and in the SARIF reports (per-rule help, helpUri and level).", "",
             "Pre-check rules run in `check-*` and before the guarded creates: offline rules on the "
             "arguments alone, live rules on what they read (GET only). Estate rules run in `scan`.", "",
             "| rule | runs in | live | level | prevents |", "| --- | --- | --- | --- | --- |"]
    for row in rows:
        lines.append("| [`{}`](#{}) | {} | {} | {} | {} |".format(
            row["id"], row["id"].replace(".", ""), ", ".join(row["commands"]), "yes" if row["live"] else "no",
            row["level"], ", ".join("`{}`".format(item["id"]) for item in row["prevents"])))
    for row in rows:
        lines += ["", "## {}".format(row["id"]), "", row["title"] + ".", ""]
        if row["description"]:
            lines += [row["description"], ""]
        lines.append("- runs in: {} ({}; kinds: {})".format(", ".join(row["commands"]),
                                                           "live" if row["live"] else "offline",
                                                           ", ".join(row["kinds"])))
        if row["requires"]:
            lines.append("- requires: {}".format(", ".join(row["requires"])))
        lines.append("- level: {}".format(row["level"]))
        lines.append("- prevents: " + "; ".join("[`{}`]({}) {}".format(item["id"], item["docs"], item["title"])
                                                  for item in row["prevents"]))
    return "\n".join(lines) + "\n"


def write_markdown(path=DOC_PATH):
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(markdown())
