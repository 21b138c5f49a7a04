"""The tab-separated output that shell scripts read, with the real `az` against the emulator."""

SUB = "00000000-0000-0000-0000-000000000001"
RG = "demo-rg"
RUNNING_VM = "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute/virtualMachines/runningVm".format(SUB, RG)


def test_check_findings_as_tsv_lines_with_the_documented_query(emulator, az):
    emulator.load("demo.yaml")
    result = az("sig", "doctor", "check-version", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "1.1.0",
                "--virtual-machine", RUNNING_VM, "--target-regions", "eastus", "eastus",
                "--query", "findings[?status=='fail'].[rule, error_id, detail]", "-o", "tsv")
    assert result.exit_code == 1, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert all(len(row) == 3 for row in rows), rows
    assert {(rule, error_id) for rule, error_id, _ in rows} == {
        ("version.unique-regions", "version.duplicate-regions"),
        ("version.source-os-state", "version.os-state-mismatch")}


def test_replication_regions_as_tsv_lines_with_the_documented_query(emulator, az):
    emulator.load("demo.yaml")
    result = az("sig", "doctor", "replication", "-g", RG, "-r", "demoGallery", "-i", "demoImage", "-e", "1.0.0",
                "--query", "regions[].[region, state, progress]", "-o", "tsv")
    assert result.exit_code == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows == [["East US", "Completed", "100"], ["West US", "Completed", "100"]]
