"""Cost of loading the extension: `az sig doctor -h` against `az sig -h` (median of N runs).

Both runs have the extension installed from the source tree, so the difference is what the
extension's loader adds to a core command's help. Prints figures; asserts nothing.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AZ = os.path.join(os.path.dirname(sys.executable), "az")
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def median_seconds(args, env):
    samples = []
    subprocess.run([AZ] + args, env=env, capture_output=True, check=True)  # warm the command index
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([AZ] + args, env=env, capture_output=True, check=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main():
    with tempfile.TemporaryDirectory() as config:
        env = dict(os.environ, AZURE_CONFIG_DIR=config, AZURE_EXTENSION_DEV_SOURCES=ROOT,
                   AZURE_CORE_COLLECT_TELEMETRY="false")
        core = median_seconds(["sig", "-h"], env)
        doctor = median_seconds(["sig", "doctor", "-h"], env)
        vm_list = median_seconds(["vm", "-h"], env)
    print("runs per command: {}".format(RUNS))
    print("az vm -h          median {:.3f} s".format(vm_list))
    print("az sig -h         median {:.3f} s".format(core))
    print("az sig doctor -h  median {:.3f} s".format(doctor))
    print("difference        {:+.3f} s".format(doctor - core))


if __name__ == "__main__":
    main()
