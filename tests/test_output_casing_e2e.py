"""One vocabulary: every key of every doctor command's JSON is snake_case, through the real az. What
Azure sends is passed through as Azure spells it (the resource a create made, the body --dry-run
shows): those subtrees are Azure's and are left out, each named here."""

import re

import pytest

from tests.test_create_e2e import RG, VM_ID

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
DEMO = ["-g", RG, "-r", "demoGallery", "-i", "demoImage"]
# command line -> the paths (JMESPath-like, '*' for any key or index) whose content is Azure's own JSON
COMMANDS = {
    "explain": (["explain", "--message", "(GallerySourceResourceExceedsMaxSize) The GalleryImageVersion source "
                 "resource size 4095 exceeds the max size 2048 supported."], ()),
    "check-version": (["check-version", *DEMO, "-e", "9.9.9", "--virtual-machine", VM_ID, "--target-regions",
                       "eastus", "eastus"], ()),
    "create-version --dry-run": (["create-version", *DEMO, "-e", "9.9.8", "--virtual-machine", VM_ID,
                                  "--fail-on", "never", "--dry-run"], ("body",)),
    "replication -e": (["replication", *DEMO, "-e", "1.0.0"], ()),
    "replication": (["replication", *DEMO], ()),
    "latest": (["latest", *DEMO], ()),
    "scan": (["scan", "--fail-on", "never"], ()),
    "error list": (["error", "list"], ()),
    "error show --id": (["error", "show", "--id", "version.source-too-large"], ()),
    "error show --code": (["error", "show", "--code", "GallerySourceResourceExceedsMaxSize"], ()),
    "rule list": (["rule", "list"], ()),
    "rule show": (["rule", "show", "--id", "estate.replication-failed"], ()),
}
# Maps whose keys are data, not vocabulary: a finding's placeholder values and a KB sample's.
DATA_KEYS = ("values", "placeholders")


def keys_not_snake(value, path="", azures=()):
    if path.lstrip(".") in azures:
        return []
    bad = []
    if isinstance(value, dict):
        for key, item in value.items():
            if not SNAKE.match(str(key)):
                bad.append("{}.{}".format(path, key))
            if key not in DATA_KEYS:
                bad += keys_not_snake(item, "{}.{}".format(path, key), azures)
    elif isinstance(value, list):
        for item in value:
            bad += keys_not_snake(item, path, azures)
    return bad


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_key_is_snake_case(emulator, az, name):
    emulator.load("demo.yaml")
    args, azures = COMMANDS[name]
    result = az("sig", "doctor", *args, "-o", "json")
    assert result.json is not None, result.stderr[-2000:]
    assert result.json, "nothing to look at"
    assert keys_not_snake(result.json, azures=azures) == []


def test_the_walk_finds_camel_case():
    assert keys_not_snake({"a_b": [{"errorId": 1}], "body": {"targetRegions": []}}, azures=("body",)) == [
        ".a_b.errorId"]
