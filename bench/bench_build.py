"""Benchmark of `az sig doctor check-build`: a Packer template with 20 builds.

    .venv/bin/python bench/bench_build.py [--latency-ms 100] [--builds 20] [--repeat 3]

Prints
  * offline: reading the template and running every rule on its 20 builds, in this process (az's
    start-up not counted; target < 1 s), and the whole `az` process for the same template against
    one for a template without a gallery destination (the difference is what check-build adds to
    az's own start-up);
  * live, against the emulator with --latency-ms on every request: wall time and requests sent for
    1 build and for 20 builds publishing into one gallery (target: about the same; each resource
    is read once for all builds, concurrently).
"""

import argparse
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

WORLD = os.path.join(ROOT, "tests", "scenarios", "build", "world.yaml")
NO_DESTINATION = os.path.join(ROOT, "tests", "scenarios", "build", "packer", "windows.json")
SOURCE = """
source "azure-arm" "b{n}" {{
  location        = "South Central US"
  os_type         = "Linux"
  image_publisher = "canonical"
  image_offer     = "0001-com-ubuntu-server-jammy"
  image_sku       = "22_04-lts-arm64"
  vm_size         = "Standard_D4ps_v5"
  shared_image_gallery_destination {{
    resource_group = "packer-acceptance-test"
    gallery_name   = "acctestgallery"
    image_name     = "arm-linux-specialized"
    image_version  = "1.0.{n}"
    specialized    = true
    target_region {{ name = "southcentralus" }}
    target_region {{
      name     = "eastus"
      replicas = 2
    }}
  }}
}}
"""


def template(folder, builds):
    path = os.path.join(folder, "{}-builds.pkr.hcl".format(builds))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("".join(SOURCE.format(n=n) for n in range(builds)))
        handle.write("build {{\n  sources = [{}]\n}}\n".format(", ".join(
            '"source.azure-arm.b{}"'.format(n) for n in range(builds))))
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--builds", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-build-")
    many, one = template(folder, options.builds), template(folder, 1)

    from azext_sig_doctor.build import packer
    from azext_sig_doctor.build.cli import run_checks
    print("offline, in process: read + every rule on {} builds".format(options.builds))
    run_checks([packer.extract(one)], "00000000-0000-0000-0000-000000000001", offline=True)  # imports, KB
    for attempt in range(1, options.repeat + 1):
        started = time.monotonic()
        result = run_checks([packer.extract(many)], "00000000-0000-0000-0000-000000000001", offline=True)
        elapsed = time.monotonic() - started
        print("  run {}: {:.3f} s for {} reports, {} findings; target < 1 s: {}".format(
            attempt, elapsed, len(result.reports), sum(len(r.findings) for r in result.reports),
            "met" if elapsed < 1 else "MISSED"))

    from tests.emulator.harness import EmulatedAzure
    from tests.emulator.scenario import read_scenario
    azure = EmulatedAzure(tempfile.mkdtemp(prefix="bench-build-az-"))
    try:
        world = read_scenario(WORLD)
        azure.load(world)
        base = _az_seconds(azure, ["--packer", NO_DESTINATION, "--offline"], options.repeat)
        full = _az_seconds(azure, ["--packer", many, "--offline"], options.repeat)
        print("offline, whole az process: {:.2f} s for {} builds, {:.2f} s for a template without a destination "
              "(az start-up, command table, read): check-build adds {:.2f} s".format(full, options.builds, base,
                                                                                    full - base))
        world["latency_ms"] = options.latency_ms
        azure.load(world)
        os.environ.update(azure.env)
        from azure.cli.core import get_default_cli
        from azext_sig_doctor.checks.readers import SdkReader
        reader = SdkReader(get_default_cli())
        print("live, latency {} ms per request, in process:".format(options.latency_ms))
        for label, path in (("1 build", one), ("{} builds".format(options.builds), many)):
            for attempt in range(1, options.repeat + 1):
                azure.clear_journal()
                started = time.monotonic()
                result = run_checks([packer.extract(path)], "00000000-0000-0000-0000-000000000001", reader=reader)
                elapsed = time.monotonic() - started
                gets = {(e["path"].lower(), str(sorted((e.get("query") or {}).items()))) for e in azure.journal()
                        if e["method"] == "GET" and "/oauth2/" not in e["path"]}
                print("  {} run {}: {:.2f} s wall, {} reads ({} distinct), summary {}".format(
                    label, attempt, elapsed, result.requests, len(gets), dict(result.summary)))
    finally:
        azure.stop()


def _az_seconds(azure, args, repeat):
    best = None
    for _ in range(repeat):
        started = time.monotonic()
        azure.az("sig", "doctor", "check-build", *args, "-o", "none")
        elapsed = time.monotonic() - started
        best = elapsed if best is None else min(best, elapsed)
    return best


if __name__ == "__main__":
    main()
