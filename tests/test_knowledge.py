"""Keep the knowledge base honest: schema, samples, ids, links and coverage of the documents."""

import collections
import json
import os
import re
import string
from urllib.parse import urlparse

import jsonschema
import pytest

from azext_sig_doctor import knowledge, signatures

REFERENCE = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "reference")

# The schema is data shipped with the knowledge base (docs/DESIGN.md shows it); the sections are
# the knowledge module's, so the two cannot drift apart.
with open(os.path.join(knowledge.KB_DIR, "schema.json"), encoding="utf-8") as _handle:
    ENTRY_SCHEMA = json.load(_handle)
assert ENTRY_SCHEMA["properties"]["section"]["enum"] == list(knowledge.SECTIONS)

ARTICLE_ANCHORS = {
    "creating-or-modifying-a-gallery",
    "creating-or-modifying-image-definitions",
    "creating-or-updating-image-versions",
    "creating-or-updating-a-vm-or-scale-sets-from-an-image-version",
    "creating-a-disk-from-an-image-version",
    "sharing-resources",
    "replication-speed",
    "azure-limits-and-quotas",
}

# How many entries each section of each source document holds. An entry that disappears from the
# knowledge base leaves a position uncovered and fails test_every_document_position_is_covered.
EXPECTED_POSITIONS = {
    "zh-CN": {"gallery": 6, "definition": 18, "version": 37, "vm": 8, "disk": 1,
              "sharing": 1, "replication": 1, "limits": 1},
    "sv-SE": {"gallery": 7, "definition": 18, "version": 37, "vm": 8, "disk": 1,
              "sharing": 1, "replication": 1, "limits": 1},
    "nl-NL": {"gallery": 6, "definition": 18, "version": 37, "vm": 8, "disk": 1,
              "sharing": 1, "replication": 1, "limits": 1},
    "en": {"gallery": 6, "definition": 18, "version": 41, "vm": 11, "disk": 1,
           "sharing": 1, "replication": 1, "limits": 1},
    "zh-TW": {"gallery": 2, "definition": 3, "version": 5, "vm": 3,
              "sharing": 1, "replication": 1, "limits": 1},
}
NEWER_MODES = 15
# The closing paragraph of newer-failure-modes.md names pre-checks (e.g. source vs definition
# security type) whose failure message is not in its table: entries for those cite it by this ref.
NEWER_PRECHECKS_REF = "newer/pre-checks"
# Entries no source document holds: ones the doctor's own pre-checks introduced ("doctor/checks",
# "doctor/estate" for the estate scan) and ones learned in the field ("field/<slug>", with their
# public sources).
OWN_REFS = re.compile(r"^(doctor/[a-z]+|field/[a-z0-9-]+)$")

ENTRIES = knowledge.load()
SAMPLES = [(entry.id, sample) for entry in ENTRIES for sample in entry.data.get("samples") or []]


def test_the_knowledge_base_is_not_empty():
    assert len(ENTRIES) >= 90


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.id)
def test_entry_follows_the_schema(entry):
    jsonschema.validate(entry.data, ENTRY_SCHEMA)
    assert entry.id.split(".")[0] in knowledge.SECTIONS


def test_ids_are_unique():
    counts = collections.Counter(entry.id for entry in ENTRIES)
    assert [entry_id for entry_id, count in counts.items() if count > 1] == []


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.id)
def test_entry_with_a_message_has_signatures_and_samples(entry):
    if entry.origin == "guidance":
        return
    assert entry.signatures, "an error entry needs at least one signature"
    english = [s for s in entry.data.get("samples") or [] if s.get("lang", "en") == "en"]
    assert english, "an error entry needs an English sample message"
    langs = {signature.get("lang", "en") for signature in entry.signatures if "code" not in signature}
    sample_langs = {sample.get("lang", "en") for sample in entry.data.get("samples") or []}
    assert langs <= sample_langs, "every signature language needs a sample"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.id)
def test_signatures_compile(entry):
    for signature in entry.signatures:
        if "template" in signature or "regex" in signature:
            signatures.compile_signature(signature)


@pytest.mark.parametrize("entry_id,sample", SAMPLES,
                         ids=["{}#{}".format(e, i) for i, (e, _) in enumerate(SAMPLES)])
def test_sample_matches_its_own_entry_first_with_its_values(entry_id, sample):
    # An entry kept for one context (a VM's creation, a gallery's image) gets that context.
    requires = set(knowledge.get(entry_id).data.get("requires") or ())
    match = knowledge.best_match(sample["text"], kinds=requires - {"gallery"}, gallery="gallery" in requires)
    assert match is not None, "no entry matches the sample"
    assert match.entry.id == entry_id
    expected = {name: str(value) for name, value in sample["values"].items()}
    assert match.values == expected


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.id)
def test_placeholders_are_documented(entry):
    named = set()
    for signature in entry.signatures:
        source = signature.get("template") or signature.get("regex") or ""
        named.update(re.findall(r"\{([a-z][a-z0-9_]*)(?::[a-z]+)?\}", source) if "template" in signature
                     else re.findall(r"\(\?P<([a-z][a-z0-9_]*)>", source))
    assert named <= set(entry.data.get("placeholders") or {}), "undocumented placeholders"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.id)
def test_docs_link_is_well_formed(entry):
    url = urlparse(entry.docs)
    assert url.scheme == "https" and url.netloc
    if url.netloc == "learn.microsoft.com" and url.path == "/azure/virtual-machines/troubleshooting-shared-images":
        assert url.fragment in ARTICLE_ANCHORS
    elif url.netloc == "learn.microsoft.com":
        # Entries the article does not hold link the product documentation of what they are about.
        assert url.path.startswith("/azure/") and not url.fragment, entry.docs
    else:
        assert url.netloc == "github.com"
        assert re.match(r"^/[\w.-]+/[\w.-]+/(issues|pull)/\d+$", url.path), entry.docs


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.id)
def test_commands_only_use_known_placeholders(entry):
    for command in entry.data.get("commands") or []:
        for text in (value for value in command.values() if isinstance(value, str)):
            for name in re.findall(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}", text):
                assert re.match(r"^[a-z][a-z0-9_]*$", name), name


def test_every_document_position_is_covered_exactly_once():
    seen = collections.defaultdict(list)
    for entry in ENTRIES:
        for ref in entry.refs:
            seen[ref].append(entry.id)
    doubled = {ref: owners for ref, owners in seen.items() if len(owners) > 1 and ref != NEWER_PRECHECKS_REF
               and not OWN_REFS.match(ref)}
    assert doubled == {}
    missing, extra = [], []
    for doc, sections in EXPECTED_POSITIONS.items():
        for section, count in sections.items():
            wanted = {"{}/{}/{}".format(doc, section, n) for n in range(1, count + 1)}
            missing.extend(sorted(wanted - set(seen)))
    expected_all = {"{}/{}/{}".format(doc, section, n)
                    for doc, sections in EXPECTED_POSITIONS.items()
                    for section, count in sections.items() for n in range(1, count + 1)}
    expected_all |= {"newer/{}".format(n) for n in range(1, NEWER_MODES + 1)} | {NEWER_PRECHECKS_REF}
    missing.extend(sorted("newer/{}".format(n) for n in range(1, NEWER_MODES + 1)
                          if "newer/{}".format(n) not in seen))
    extra = sorted(ref for ref in set(seen) - expected_all if not OWN_REFS.match(ref))
    assert (missing, extra) == ([], [])


def test_section_of_an_entry_matches_its_id_prefix():
    mismatched = [entry.id for entry in ENTRIES if entry.id.split(".")[0] != entry.section]
    assert mismatched == []


def test_prevented_by_rules_are_named_consistently():
    # An entry's prevented_by names a registered rule that says it prevents that entry, and every
    # entry a rule says it prevents names that rule back: the two sides never disagree.
    from azext_sig_doctor.checks import registry
    from azext_sig_doctor.estate import rules as estate_rules
    # The pre-checks' rules and the estate scan's: an entry may be prevented by either.
    rules = {rule.id: rule for rule in list(registry.all_rules()) + list(estate_rules.RULES.values())}
    named = {entry.id: entry.prevented_by_rule for entry in ENTRIES if entry.prevented_by_rule}
    unknown = sorted((entry_id, rule_id) for entry_id, rule_id in named.items() if rule_id not in rules)
    not_listed = sorted((entry_id, rule_id) for entry_id, rule_id in named.items()
                        if rule_id in rules and entry_id not in rules[rule_id].error_ids)
    # A pre-check rule is the one an entry names; the estate scan also watches, across a whole
    # estate, for entries a pre-check already prevents, so its rules need not be named back.
    not_named_back = sorted((rule.id, entry_id) for rule in registry.all_rules() for entry_id in rule.error_ids
                            if named.get(entry_id) != rule.id)
    known = {entry.id for entry in ENTRIES}
    assert sorted((rule.id, entry_id) for rule in estate_rules.RULES.values() for entry_id in rule.error_ids
                  if entry_id not in known) == []
    assert (unknown, not_listed, not_named_back) == ([], [], [])
    assert len(named) >= len(rules)  # every rule prevents at least one entry


def test_fill_keeps_unknown_placeholders_visible():
    text = knowledge.fill("az sig show -g {resource_group} -r {gallery}", {"gallery": "g1"})
    assert text == "az sig show -g <resource_group> -r g1"


def test_unknown_id_suggests_the_closest():
    entry_id = ENTRIES[0].id
    with pytest.raises(knowledge.UnknownEntryError) as raised:
        knowledge.get(entry_id[:-1] + "x")
    assert entry_id in raised.value.suggestions


def _reference_documents():
    """Where the reference documents are, or a skip when nobody expects them.

    SIG_DOCTOR_REFERENCE names the folder when the documents are expected (.ci/run sets it when
    they are beside the checkout, and says so in its log): missing documents then fail the test.
    Without it the folder beside the checkout is used when it is there; otherwise the test is
    skipped, with this reason in pytest's summary (-ra)."""
    expected = os.environ.get("SIG_DOCTOR_REFERENCE")
    if expected:
        assert os.path.isdir(expected), "SIG_DOCTOR_REFERENCE={} but that folder does not exist".format(expected)
        return expected
    if not os.path.isdir(REFERENCE):
        pytest.skip("the reference documents are not beside the checkout ({}) and SIG_DOCTOR_REFERENCE does not "
                    "say where they are expected".format(os.path.normpath(REFERENCE)))
    return REFERENCE


def test_expected_counts_agree_with_the_newer_modes_document():
    with open(os.path.join(_reference_documents(), "newer-failure-modes.md"), encoding="utf-8") as handle:
        rows = [line for line in handle if re.match(r"^\| \d+ \|", line)]
    assert len(rows) == NEWER_MODES


def test_steps_give_each_command_with_its_filled_note_and_commands_stay_strings():
    entry = knowledge.Entry({"id": "x.y", "commands": [
        {"az": "az sig show -g {resource_group}", "note": "in {region} only"},
        {"az": "az sig list", "same_in_powershell": True},
        {"az": "az sig delete", "powershell": "Remove-AzGallery"}]})
    values = {"resource_group": "rg", "region": "eastus"}
    assert entry.steps_for(values) == [("az sig show -g rg", "in eastus only"), ("az sig list", None),
                                       ("az sig delete", None)]
    assert entry.commands_for(values) == ["az sig show -g rg", "az sig list", "az sig delete"]
    # No PowerShell line: the az line is given, and said to be one unless marked the same.
    assert entry.steps_for(values, "powershell") == [
        ("az sig show -g rg", "an az CLI line (no Az PowerShell command known for this step); check its quoting in "
                              "PowerShell; in eastus only"), ("az sig list", None),
        ("Remove-AzGallery", None)]


def test_fill_shows_the_hint_of_a_placeholder_without_a_value():
    text = "--os-type {os_type:Linux|Windows} --os-state {os_state}"
    assert knowledge.fill(text, {}) == "--os-type <Linux|Windows> --os-state <os_state>"
    assert knowledge.fill(text, {"os_type": "Linux", "os_state": "Generalized"}) == \
        "--os-type Linux --os-state Generalized"
    assert knowledge.fill(True, {}) is True


def _names(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# (entry, command index) -> placeholder the PowerShell line may leave out, and why.
_POWERSHELL_TAKES_ELSEWHERE = {
    # The VM's group and name: PowerShell reads the VM by {source_id} and takes them from it.
    ("version.source-ultra-ssd", 1): {"source_resource_group", "source_name"},
    # az's region=count=type list; PowerShell's -TargetRegion hashtables are spelt out by hand.
    ("definition.zrs-not-supported", 1): {"fixed_regions"},
}


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.id)
def test_powershell_lines_use_every_value_their_az_line_uses(entry):
    for index, command in enumerate(entry.data.get("commands") or []):
        if command.get("powershell"):
            missing = _names(command["az"]) - _names(command["powershell"])
            assert missing <= _POWERSHELL_TAKES_ELSEWHERE.get((entry.id, index), set()), (index, missing)


def _outside_quotes_and_placeholders(text):
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "", text)
    return re.sub(r"<[^<>]*>", "", text)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.id)
def test_an_az_line_without_a_powershell_twin_runs_unchanged_in_powershell(entry):
    for index, command in enumerate(entry.data.get("commands") or []):
        if command.get("powershell"):
            continue
        assert command.get("same_in_powershell"), "command {} needs a powershell line or same_in_powershell".format(
            index)
        text = knowledge.fill(command["az"], {})
        # PowerShell reads these itself: a backtick escapes, $ expands, a comma makes an array,
        # braces a script block, ; @ & | ( ) are its own syntax.
        assert not re.search(r"[`$,{};@&|()]", _outside_quotes_and_placeholders(text)), (index, text)
        assert not re.search(r"[`$]", "".join(re.findall(r"\"[^\"]*\"", text))), (index, text)


def _outside_single_quotes(text):
    """The parts of a bash command line that bash reads itself: everything but '...' strings
    (inside double quotes and outside any quotes, a backtick runs a command and $ expands)."""
    parts, quote, start = [], None, 0
    for position, char in enumerate(text):
        if quote is None and char == "'":
            parts.append(text[start:position])
            quote = "'"
        elif quote == "'" and char == "'":
            quote, start = None, position + 1
    if quote is None:
        parts.append(text[start:])
    return "".join(parts)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.id)
def test_no_az_line_hands_bash_a_backtick_or_a_dollar(entry):
    for index, command in enumerate(entry.data.get("commands") or []):
        text = knowledge.fill(command["az"], {})
        assert not re.search(r"[`$]", _outside_single_quotes(text)), (index, text)


def test_the_bash_check_sees_a_backtick_in_double_quotes_but_not_in_single_quotes():
    assert "`" in _outside_single_quotes('az disk list --query "[?diskSizeGB > `2048`]"')
    assert "`" not in _outside_single_quotes("az disk list --query '[?diskSizeGB > `2048`]'")


# Re-running the failed create with a change is the fixed command's job (the user's own command with
# every edit applied); an entry's commands are the steps around it: inspect, or run first.
_CREATES = ("az sig create", "az sig image-definition create", "az sig image-version create", "az vm create",
            "az vmss create", "az disk create", "New-AzGallery ", "New-AzGalleryImageDefinition",
            "New-AzGalleryImageVersion", "New-AzVM ")


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.id)
def test_a_create_in_an_entry_is_a_step_to_run_first_never_a_rerun(entry):
    if entry.origin == "guidance":
        return  # no failed command to run again (a state the scan found, a topic)
    for index, command in enumerate(entry.data.get("commands") or []):
        for text in (command.get("az"), command.get("powershell")):
            if text and " ".join(text.split()).startswith(_CREATES):
                assert command.get("before"), (index, text)


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.data.get("edit")], ids=lambda entry: entry.id)
def test_an_edit_names_an_op_and_fills_only_known_placeholders(entry):
    from azext_sig_doctor.domain import fixes
    fixes._load()  # pylint: disable=protected-access
    spec = entry.data["edit"]
    assert spec["op"] in fixes.OPS, spec
    for value in spec.values():
        for name in re.findall(r"\{([a-z_]+)\}", value):
            assert name in (entry.data.get("placeholders") or {}) or name in _RULE_VALUES, (name, spec)


# Values the pre-check rules give their findings beside the message's placeholders.
_RULE_VALUES = {"regions", "region", "lun", "luns", "version", "source_region", "security_type"}



def _powershell_lines():
    for entry in ENTRIES:
        for index, command in enumerate(entry.data.get("commands") or []):
            if command.get("powershell"):
                yield entry.id, index, " ".join(command["powershell"].split())


def test_powershell_reads_a_definitions_features_by_the_objects_property_name():
    # The cmdlet parameter is -Feature; the object's property is Features.
    wrong = [(entry_id, index) for entry_id, index, line in _powershell_lines() if re.search(r"\)\.Feature\b", line)]
    assert wrong == []


def test_a_vm_is_deallocated_before_it_is_generalized():
    for entry in ENTRIES:
        lines = [" ".join((c.get("powershell") or "").split()) for c in entry.data.get("commands") or []]
        az_lines = [" ".join((c.get("az") or "").split()) for c in entry.data.get("commands") or []]
        for shell_lines, generalize, deallocate in ((lines, "-Generalized", "Stop-AzVM"),
                                                    (az_lines, "az vm generalize", "az vm deallocate")):
            for index, line in enumerate(shell_lines):
                if generalize in line:
                    assert any(deallocate in earlier for earlier in shell_lines[:index] + [line]), (entry.id, index)
