"""Cost of loading the extension (median of N runs of the real `az`).

* `az sig doctor -h` against `az sig -h`, both with the extension installed from the source tree;
* `az sig -h` and `az vm -h` with and without the extension: what loading it adds to a core
  command (the command index loads it for every `az sig ...` command, never for `az vm ...`).

Prints figures; asserts nothing.
"""

import os
import resource
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AZ = os.path.join(os.path.dirname(sys.executable), "az")
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def median_seconds(args, env):
    """Median CPU time (user + system) of the az process: steadier than wall time on a busy machine."""
    samples = []
    subprocess.run([AZ] + args, env=env, capture_output=True, check=True)  # warm the command index
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([AZ] + args, env=env, capture_output=True, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        samples.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(samples)


def main():
    with tempfile.TemporaryDirectory() as config, tempfile.TemporaryDirectory() as bare_config:
        env = dict(os.environ, AZURE_CONFIG_DIR=config, AZURE_EXTENSION_DEV_SOURCES=ROOT,
                   AZURE_CORE_COLLECT_TELEMETRY="false")
        bare = dict(os.environ, AZURE_CONFIG_DIR=bare_config, AZURE_CORE_COLLECT_TELEMETRY="false")
        bare.pop("AZURE_EXTENSION_DEV_SOURCES", None)
        bare["AZURE_EXTENSION_DIR"] = os.path.join(bare_config, "no-extensions")
        core = median_seconds(["sig", "-h"], env)
        doctor = median_seconds(["sig", "doctor", "-h"], env)
        core_bare = median_seconds(["sig", "-h"], bare)
        vm_with = median_seconds(["vm", "-h"], env)
        vm_bare = median_seconds(["vm", "-h"], bare)
    print("CPU seconds (user + system) of the az process, median of {} runs".format(RUNS))
    print("az sig doctor -h             median {:.3f} s".format(doctor))
    print("az sig -h                    median {:.3f} s  (difference {:+.3f} s)".format(core, doctor - core))
    print("az sig -h without extension  median {:.3f} s  (extension adds {:+.3f} s)".format(
        core_bare, core - core_bare))
    print("az vm -h  with / without     median {:.3f} s / {:.3f} s  ({:+.3f} s)".format(
        vm_with, vm_bare, vm_with - vm_bare))


if __name__ == "__main__":
    main()
