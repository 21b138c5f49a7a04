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
