"""The knowledge base's commands pasted into bash as explain prints them, run against the emulator
with the real `az`: they must parse, read the keys `az` really prints, and work in the order given."""

import json

import pytest

from azext_sig_doctor import knowledge
from azext_sig_doctor.explain import explain_text
from tests.test_create_e2e import demo

RG, GALLERY, IMAGE, VERSION = "demo-rg", "demoGallery", "demoImage", "1.0.0"
VERSION_VALUES = {"resource_group": RG, "gallery": GALLERY, "image": IMAGE, "version": VERSION}
NAMES_QUERY = '--query "publishingProfile.targetRegions[].name"'


def bash(emulator, command):
    return emulator.bash(command, timeout=180)


def region_key(name):
    return "".join(name.split()).lower()


def as_json(command):
    """The same command, printing JSON instead of a table (the keys are the point, not the layout)."""
    assert command.endswith("-o table"), command
    return command[:-len("table")] + "json"


# ---- JMESPath: quoting and the keys az prints ------------------------------------------------------------

def test_the_large_disk_query_runs_in_bash_and_lists_exactly_the_disks_above_the_limit(emulator, az):
    emulator.load("demo.yaml")
    limit = 200
    disks = az("disk", "list", "-g", RG, "-o", "json", check=True).json
    expected = {disk["name"]: disk["diskSizeGB"] for disk in disks if disk["diskSizeGB"] > limit}
    assert expected and len(expected) < len(disks)
    command = knowledge.get("version.source-too-large").commands_for(
        {"resource_group": RG, "max_size_gb": str(limit)})[0]
    result = bash(emulator, as_json(command))
    assert result.returncode == 0, result.stderr
    assert {item["name"]: item["sizeGB"] for item in json.loads(result.stdout)} == expected


def test_the_snapshot_list_shows_the_size_of_every_snapshot(emulator, az):
    emulator.load("demo.yaml")
    snapshots = az("snapshot", "list", "-g", RG, "-o", "json", check=True).json
    command = knowledge.get("version.duplicate-source-ids").commands_for({"resource_group": RG})[0]
    result = bash(emulator, as_json(command))
    assert result.returncode == 0, result.stderr
    assert {item["id"]: item["sizeGB"] for item in json.loads(result.stdout)} == \
        {snapshot["id"]: snapshot["diskSizeGB"] for snapshot in snapshots}


# ---- messages as the real az prints them ---------------------------------------------------------------

def test_a_taken_identifier_names_the_new_definition_and_the_command_finds_the_one_holding_it(emulator, az):
    emulator.load("demo.yaml")
    owner = az("sig", "image-definition", "show", "-g", RG, "-r", GALLERY, "-i", IMAGE, "-o", "json", check=True)
    identifier = owner.json["identifier"]
    failed = az("sig", "image-definition", "create", "-g", RG, "-r", GALLERY, "-i", "newDef",
                "-p", identifier["publisher"], "-f", identifier["offer"], "-s", identifier["sku"],
                "--os-type", "Linux", "--debug")
    assert failed.exit_code != 0
    [finding] = [f for f in explain_text(failed.stderr).findings if f["id"]]
    assert finding["id"] == "definition.identifier-taken"
    assert finding["values"]["image"] == "newDef"
    assert "new definition newDef" in finding["cause"]
    found = bash(emulator, finding["commands"][0])
    assert found.returncode == 0, found.stderr
    assert found.stdout.split() == [IMAGE]
    # A new SKU (or the existing definition) is the user's choice: no create is suggested.
    assert len(finding["commands"]) == 1 and finding["fixed_command"] is None


def test_the_clis_own_check_of_a_vm_source_id_is_explained(emulator, az):
    emulator.load("demo.yaml")
    failed = az("sig", "image-version", "create", "-g", RG, "-r", GALLERY, "-i", IMAGE, "-e", "9.9.9",
                "--virtual-machine", "demoVm", "--debug")
    assert failed.exit_code != 0
    assert "usage error: demoVm is an invalid VM resource id" in failed.error_line
    assert not emulator.writes()
    [finding] = explain_text(failed.stderr).findings
    assert finding["id"] == "version.source-id-malformed"
    assert finding["values"]["source_id"] == "demoVm"
    # No request went out: the names come from the command line the log starts with.
    assert finding["resource"]["resource_group"] == RG
    assert finding["commands"][0] == "az vm show -g {} -n <vm name> --query id -o tsv".format(RG)


# ---- replication: remove, then add back ------------------------------------------------------------------

def _with_failed_region(region):
    """The demo world whose version 1.0.0 reports ``region`` Failed (its other regions Completed)."""
    world = demo()
    version = next(resource for resource in world["resources"] if resource["id"].endswith("/versions/" + VERSION))
    version["x-emulator"] = {"replication": {region: {"state": "Failed", "progress": 40,
                                                      "details": "Replication job not completed."}}}
    return world


def _target_names(emulator):
    shown = bash(emulator, "az sig image-version show -g {} -r {} -i {} -e {} {} -o tsv".format(
        RG, GALLERY, IMAGE, VERSION, NAMES_QUERY))
    assert shown.returncode == 0, shown.stderr
    return [region_key(name) for name in shown.stdout.split("\n") if name.strip()]


@pytest.mark.parametrize("entry_id", ["replication.failed-in-regions", "replication.job-not-completed",
                                      "vm.version-not-in-region"])
def test_a_failed_region_is_removed_then_added_back_when_the_steps_run_in_order(emulator, entry_id):
    region = "westus"
    emulator.load(_with_failed_region(region))
    commands = knowledge.get(entry_id).commands_for(dict(VERSION_VALUES, region=region))
    listing = next(index for index, command in enumerate(commands) if NAMES_QUERY in command)
    remove = next(index for index, command in enumerate(commands) if "--remove publishingProfile" in command)
    add = next(index for index, command in enumerate(commands) if "--add publishingProfile" in command)
    assert listing < remove < add
    # While the region is listed, adding it is refused: the removal has to come first.
    early = bash(emulator, commands[add])
    assert early.returncode != 0 and "Duplicate regions" in early.stderr
    names = [region_key(name) for name in bash(emulator, commands[listing]).stdout.split("\n") if name.strip()]
    placeholder = "<index of {}>".format(region)
    assert placeholder in commands[remove]
    removed = bash(emulator, commands[remove].replace(placeholder, str(names.index(region))))
    assert removed.returncode == 0, removed.stderr
    assert region not in _target_names(emulator)
    emulator.clear_journal()
    added = bash(emulator, commands[add])
    # The add is accepted (the copy itself may fail again: the emulated fault on this region stays).
    assert "Duplicate regions" not in added.stderr
    assert [entry["status"] for entry in emulator.writes() if entry["method"] == "PUT"] in ([200], [201])
    assert _target_names(emulator).count(region) == 1
