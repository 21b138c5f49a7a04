"""Benchmark of `az sig doctor check-version` against the emulator with added latency.

    .venv/bin/python bench/bench_checks.py [--latency-ms 200] [--repeat 3]

The case of the issue: a VM source with three data disks, four target regions, a disk
encryption set for the OS disk and every data disk in each region. Every request to the emulator
waits --latency-ms first. Prints, for the check itself (in this process, with the az CLI's own
context logged in to the emulator, so az's start-up is not counted):
  * requests sent and wall time, against the sequential sum (requests x latency) and against
    the goal (four round-trips of latency plus one second);
then the wall time of the whole `az` process for the same command line, for reference.
"""

import argparse
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

SUB = "00000000-0000-0000-0000-000000000001"
VM = "/subscriptions/{}/resourceGroups/chk-rg/providers/Microsoft.Compute/virtualMachines/goodVm".format(SUB)
REGIONS = ["eastus", "westus", "westeurope", "northeurope"]
# Encryption sets are regional: one per target region, for the OS disk and each data disk.
ENCRYPTION = ["{0},0,{0},1,{0},2,{0}".format(des) for des in ("des1", "desWestus", "desWesteurope", "desNortheurope")]
ARGS = dict(resource_group_name="chk-rg", gallery_name="chkGallery", gallery_image_name="linuxGen2",
            gallery_image_version="3.0.0", virtual_machine=VM, target_regions=REGIONS,
            target_region_encryption=ENCRYPTION)
CLI_ARGS = ["sig", "doctor", "check-version", "-g", "chk-rg", "-r", "chkGallery", "-i", "linuxGen2", "-e", "3.0.0",
            "--virtual-machine", VM, "--target-regions", *REGIONS, "--target-region-encryption", *ENCRYPTION,
            "-o", "none"]


class _Cmd:
    def __init__(self, cli_ctx):
        self.cli_ctx = cli_ctx


def _scenario(latency_ms):
    from tests.emulator.scenario import read_scenario
    data = read_scenario("checks/world.yaml")
    data["latency_ms"] = latency_ms
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    latency = options.latency_ms / 1000.0

    from tests.emulator.harness import EmulatedAzure
    azure = EmulatedAzure(tempfile.mkdtemp(prefix="bench-checks-"))
    try:
        azure.load(_scenario(options.latency_ms))
        os.environ.update(azure.env)
        from azure.cli.core import get_default_cli
        from azext_sig_doctor import checks
        from azext_sig_doctor.checks.cli import spec_for
        cli = get_default_cli()
        cmd = _Cmd(cli)
        spec = spec_for(cmd, "version", ARGS)
        goal = 4 * latency + 1.0
        print("check-version: VM source with 3 data disks, {} target regions, encryption; latency {} ms".format(
            len(REGIONS), options.latency_ms))
        for attempt in range(1, options.repeat + 1):
            azure.clear_journal()
            started = time.monotonic()
            report = checks.run(cmd, "version", spec)
            elapsed = time.monotonic() - started
            journal = [e for e in azure.journal() if "/oauth2/" not in e["path"]]
            sequential = len(journal) * latency
            print("  run {}: {} requests (journal {}, all GET: {}), {:.2f} s wall vs {:.2f} s sequential "
                  "({:.1f}x); goal <= {:.2f} s: {}; findings {}".format(
                      attempt, report.requests, len(journal), all(e["method"] == "GET" for e in journal), elapsed,
                      sequential, sequential / elapsed if elapsed else 0, goal, "met" if elapsed <= goal else "MISSED",
                      dict(report.summary)))
        started = time.monotonic()
        result = azure.az(*CLI_ARGS)
        print("  whole az process (start-up, command table, check): {:.2f} s, exit code {}".format(
            time.monotonic() - started, result.exit_code))
    finally:
        azure.stop()


if __name__ == "__main__":
    main()
