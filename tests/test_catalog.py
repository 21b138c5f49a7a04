"""`az sig doctor error list/show` as plain functions."""

import pytest
from azure.cli.core.azclierror import ResourceNotFoundError

from azext_sig_doctor import catalog, knowledge


def test_list_has_every_entry_with_id_section_and_title():
    rows = catalog.list_entries()
    assert [row["id"] for row in rows] == knowledge.ids()
    assert all(row["section"] and row["title"] for row in rows)


def test_list_filters_by_section():
    rows = catalog.list_entries("version")
    assert rows and {row["section"] for row in rows} == {"version"}
    assert len(rows) < len(catalog.list_entries())


def test_show_returns_the_whole_entry():
    entry = catalog.show_entry("version.source-region-not-targeted")
    assert entry["prevented_by"] == {"rule": "version.target-regions-include-source"}
    assert entry["cause"] and entry["fix"] and entry["edit"] == {"op": "add_region", "region": "<source_region>"}


def test_show_unknown_id_recommends_the_closest_ids():
    with pytest.raises(ResourceNotFoundError) as raised:
        catalog.show_entry("version.source-region-not-targetd")
    assert "version.source-region-not-targetd" in str(raised.value)
    recommendations = " ".join(raised.value.recommendations)
    assert "version.source-region-not-targeted" in recommendations
    assert "az sig doctor error list" in recommendations


def test_show_renders_placeholders_the_way_a_user_fills_them():
    entry = catalog.show_entry("version.source-region-not-targeted")
    assert "<source_region>" in entry["fix"] and "{source_region}" not in entry["fix"]
    listing = catalog.show_entry("version.source-too-large")["commands"][0]["az"]
    assert "`2048`" not in listing and "{{" not in listing and "}}" not in listing


def test_show_renders_the_placeholders_of_notes_too():
    entry = catalog.show_entry("replication.failed-in-regions")
    notes = [command["note"] for command in entry["commands"] if command.get("note")]
    assert notes and any("<region>" in note for note in notes)
    assert not any("{region}" in note for note in notes)
    assert all(command.get("same_in_powershell") in (None, True) for command in entry["commands"])


# ---- by ARM code, and ids in any case --------------------------------------------------------------------

CODE = "GallerySourceResourceExceedsMaxSize"


def test_show_takes_an_id_in_any_case():
    assert catalog.show_entry("Version.Source-Too-Large")["id"] == "version.source-too-large"


def test_show_code_lists_every_entry_that_carries_it_in_any_case():
    shown = catalog.show_code(CODE.lower())
    assert [entry["id"] for entry in shown] == [entry.id for entry in knowledge.load()
                                                if CODE.lower() in catalog.codes_of(entry)]
    assert "version.source-too-large" in [entry["id"] for entry in shown]
    assert shown[0] == catalog.show_entry(shown[0]["id"])   # the same shape as --id


def test_a_code_carried_by_several_entries_lists_them_all():
    counts = {}
    for entry in knowledge.load():
        for code in catalog.codes_of(entry):
            counts[code] = counts.get(code, 0) + 1
    shared = next(code for code, count in counts.items() if count > 1)
    assert len(catalog.show_code(shared.upper())) == counts[shared]


def test_list_filters_by_code_and_section_together():
    assert [row["id"] for row in catalog.list_entries(code=CODE)] == ["version.source-too-large"]
    assert catalog.list_entries("gallery", CODE) == []


def test_an_unknown_code_names_the_closest_codes():
    with pytest.raises(ResourceNotFoundError) as raised:
        catalog.show_code("GallerySourceResourceExceedsMaxSise")
    assert CODE in " ".join(raised.value.recommendations)


def test_a_code_given_as_an_id_points_to_code():
    with pytest.raises(ResourceNotFoundError) as raised:
        catalog.show_entry(CODE)
    assert "az sig doctor error show --code {}".format(CODE) in " ".join(raised.value.recommendations)


def test_error_show_and_list_by_code_through_az(emulator, az):
    shown = az("sig", "doctor", "error", "show", "--code", CODE.upper(), "--query", "[].id", "-o", "tsv")
    assert shown.exit_code == 0, shown.stderr
    assert "version.source-too-large" in shown.stdout.split()
    by_id = az("sig", "doctor", "error", "show", "--id", "VERSION.SOURCE-TOO-LARGE", "--query", "id", "-o", "tsv")
    assert by_id.stdout.strip() == "version.source-too-large"
    listed = az("sig", "doctor", "error", "list", "--code", CODE.lower(), "-o", "table")
    assert listed.exit_code == 0 and listed.stdout.splitlines()[2].split()[0] == "version.source-too-large"
    wrong = az("sig", "doctor", "error", "show", "--id", CODE)
    assert wrong.exit_code != 0 and "az sig doctor error show --code " + CODE in wrong.stderr
