"""Keep the knowledge base honest: schema, samples, ids, links and coverage of the documents."""

import collections
import os
import re
import string
from urllib.parse import urlparse

import jsonschema
import pytest

from azext_sig_doctor import knowledge, signatures

REFERENCE = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "reference")

ENTRY_SCHEMA = {
    "type": "object",
    "required": ["id", "section", "title", "origin", "codes", "cause", "fix", "commands", "docs",
                 "prevented_by", "refs"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": r"^[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*$"},
        "section": {"enum": list(knowledge.SECTIONS)},
        "title": {"type": "string", "minLength": 10, "maxLength": 120},
        "origin": {"enum": ["service", "azure-cli", "python-sdk", "az-powershell", "guidance"]},
        "codes": {"type": "array", "items": {"type": "string", "pattern": r"^[A-Za-z0-9]+$"}},
        "signatures": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "minProperties": 1,
                "properties": {
                    "template": {"type": "string", "minLength": 10},
                    "regex": {"type": "string", "minLength": 5},
                    "code": {"type": "string"},
                    "lang": {"enum": ["en", "zh-CN", "zh-TW", "sv-SE", "nl-NL"]},
                },
            },
        },
        "placeholders": {"type": "object", "additionalProperties": {"type": "string"}},
        "cause": {"type": "string", "minLength": 20},
        "fix": {"type": "string", "minLength": 15},
        "commands": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["az"],
                "properties": {"az": {"type": "string"}, "powershell": {"type": "string"},
                               "note": {"type": "string"}, "same_in_powershell": {"const": True}},
                # An az line marked the same in PowerShell needs no PowerShell line of its own.
                "not": {"required": ["powershell", "same_in_powershell"]},
            },
        },
        "docs": {"type": "string"},
        "prevented_by": {
            "type": "object",
            "oneOf": [
                {"required": ["rule"], "properties": {"rule": {"type": "string",
                                                              "pattern": r"^[a-z]+\.[a-z0-9-]+$"}}},
                {"required": ["reason"], "properties": {"reason": {"type": "string", "minLength": 15}}},
            ],
        },
        "refs": {"type": "array", "minItems": 1,
                 "items": {"type": "string",
                           "pattern": r"^((zh-CN|zh-TW|sv-SE|nl-NL|en)/[a-z]+/\d+|newer/\d+|newer/pre-checks)$"}},
        "samples": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["text", "values"],
                "additionalProperties": False,
                "properties": {"text": {"type": "string"}, "values": {"type": "object"},
                               "lang": {"type": "string"}},
            },
        },
        "client_note": {"type": "string"},
    },
}

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
    match = knowledge.best_match(sample["text"])
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
    if url.netloc == "learn.microsoft.com":
        assert url.path == "/azure/virtual-machines/troubleshooting-shared-images"
        assert url.fragment in ARTICLE_ANCHORS
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
    doubled = {ref: owners for ref, owners in seen.items() if len(owners) > 1 and ref != NEWER_PRECHECKS_REF}
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
    extra = sorted(set(seen) - expected_all)
    assert (missing, extra) == ([], [])


def test_section_of_an_entry_matches_its_id_prefix():
    mismatched = [entry.id for entry in ENTRIES if entry.id.split(".")[0] != entry.section]
    assert mismatched == []


def test_prevented_by_rules_are_named_consistently():
    # An entry's prevented_by names a registered rule that says it prevents that entry, and every
    # entry a rule says it prevents names that rule back: the two sides never disagree.
    from azext_sig_doctor.checks import registry
    rules = {rule.id: rule for rule in registry.all_rules()}
    named = {entry.id: entry.prevented_by_rule for entry in ENTRIES if entry.prevented_by_rule}
    unknown = sorted((entry_id, rule_id) for entry_id, rule_id in named.items() if rule_id not in rules)
    not_listed = sorted((entry_id, rule_id) for entry_id, rule_id in named.items()
                        if rule_id in rules and entry_id not in rules[rule_id].error_ids)
    not_named_back = sorted((rule.id, entry_id) for rule in rules.values() for entry_id in rule.error_ids
                            if named.get(entry_id) != rule.id)
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
        ("az sig show -g rg", knowledge.AZ_IN_POWERSHELL_NOTE + "; in eastus only"), ("az sig list", None),
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


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.id)
def test_source_arguments_are_a_placeholder_that_can_be_filled(entry):
    for index, command in enumerate(entry.data.get("commands") or []):
        for text in (command.get("az"), command.get("powershell")):
            assert "<source arguments>" not in (text or ""), (index, "use {source_args:source arguments}")


COMPUTE_IDS = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/"


@pytest.mark.parametrize("source_id,az,powershell", [
    (COMPUTE_IDS + "virtualMachines/vm1", "--virtual-machine {}", "-SourceImageVMId {}"),
    (COMPUTE_IDS + "images/img1", "--managed-image {}", "-SourceImageId {}"),
    (COMPUTE_IDS + "galleries/g/images/i/versions/1.0.0", "--image-version {}", "-SourceImageId {}"),
    (COMPUTE_IDS + "snapshots/snap1", "--os-snapshot {}", "-OSDiskImage @{{Source = @{{Id = '{}'}}}}"),
    (COMPUTE_IDS.replace("Microsoft.Compute", "microsoft.compute") + "disks/disk1", "--os-snapshot {}",
     "-OSDiskImage @{{Source = @{{Id = '{}'}}}}"),
])
def test_source_arguments_name_the_source_by_its_kind(source_id, az, powershell):
    values = {"source_id": source_id}
    assert knowledge.source_arguments(values, "az") == az.format(source_id)
    assert knowledge.source_arguments(values, "powershell") == powershell.format(source_id)


def test_a_snapshot_source_brings_its_data_disks_along():
    values = {"source_id": COMPUTE_IDS + "snapshots/os", "data_source_ids": COMPUTE_IDS + "snapshots/d0, " +
              COMPUTE_IDS + "disks/d1", "data_source_luns": "0, 3"}
    assert knowledge.source_arguments(values, "az") == (
        "--os-snapshot {0}snapshots/os --data-snapshots {0}snapshots/d0 {0}disks/d1 --data-snapshot-luns 0 3"
        .format(COMPUTE_IDS))
    assert knowledge.source_arguments(values, "powershell").endswith(
        "-DataDiskImage @(@{{Source = @{{Id = '{0}snapshots/d0'}}; Lun = 0}}, "
        "@{{Source = @{{Id = '{0}disks/d1'}}; Lun = 3}})".format(COMPUTE_IDS))
    # LUNs that do not pair up with the disks are not guessed at.
    assert knowledge.source_arguments(dict(values, data_source_luns="0"), "az") == \
        "--os-snapshot {}snapshots/os".format(COMPUTE_IDS)


def test_a_source_given_by_name_keeps_its_option_and_an_unknown_source_stays_a_placeholder():
    named = {"source_id": "golden-image", "source_option": "--managed-image"}
    assert knowledge.source_arguments(named, "az") == "--managed-image golden-image"
    assert knowledge.source_arguments(named, "powershell") is None  # PowerShell takes full ids only
    assert knowledge.source_arguments({"source_id": "golden-image"}, "az") is None
    assert knowledge.source_arguments({"source_id": "/CommunityGalleries/x/Images/i/Versions/1.0.0"}, "az") is None
    # Nothing that a shell would split or run ends up in a command line.
    for odd in ("a b", "snap;ls", "$(ls)", COMPUTE_IDS + "snapshots/s'1"):
        assert knowledge.source_arguments({"source_id": odd, "source_option": "--os-snapshot"}, "az") is None
    assert knowledge.source_arguments({}, "az") is None


def test_steps_fill_the_source_arguments_in_the_form_of_each_line():
    source_id = COMPUTE_IDS + "virtualMachines/vm1"
    entry = knowledge.get("version.duplicate-regions")
    [az_line] = entry.commands_for({"source_id": source_id})
    [powershell_line] = entry.commands_for({"source_id": source_id}, "powershell")
    assert az_line.endswith("--virtual-machine " + source_id)
    assert powershell_line.endswith("-SourceImageVMId " + source_id)
    # An az line offered for PowerShell as it is keeps the az form.
    shallow = knowledge.get("version.source-too-large").commands_for({"source_id": source_id}, "powershell")[1]
    assert shallow.startswith("az sig image-version create") and shallow.endswith("--virtual-machine " + source_id)
    assert entry.commands_for({})[0].endswith("<source arguments>")


_DEFINITION_CREATES = ("az sig image-definition create", "New-AzGalleryImageDefinition")
# Options whose value depends on the image: in a create command they are filled or shown as a
# placeholder, never written as one fixed value that reads as if it was known.
_IMAGE_SPECIFIC = re.compile(r"(?:--os-type|--os-state|-OsType|-OsState)\s+(\S+)")


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.id)
def test_definition_creates_leave_the_os_type_and_state_to_be_filled(entry):
    for index, command in enumerate(entry.data.get("commands") or []):
        for text in (command.get("az"), command.get("powershell")):
            if not text or not text.lstrip().startswith(_DEFINITION_CREATES):
                continue
            for value in _IMAGE_SPECIFIC.findall(text):
                assert value.startswith(("{", "<")), (index, value)


def test_the_architecture_fix_fills_known_values_and_shows_the_others_as_placeholders():
    entry = knowledge.get("version.architecture-mismatch")
    create = entry.commands_for({"value": "Arm64"})[1]
    assert "--os-type <Linux|Windows> --os-state <Generalized|Specialized> --hyper-v-generation <V1|V2>" in create
    assert create.endswith("--architecture Arm64")
    filled = entry.commands_for({"value": "Arm64", "os_type": "Windows", "os_state": "Specialized",
                                 "hyperv_generation": "V2"}, "powershell")[1]
    assert "-OsType Windows -OsState Specialized -HyperVGeneration V2 -Architecture Arm64" in filled
