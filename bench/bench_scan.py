"""Benchmark of `az sig doctor scan` over generated estates, with latency on every request.

    .venv/bin/python bench/bench_scan.py [--latency-ms 200] [--versions 1000 10000 50000]

The issue's estate at 10,000 versions: 200 subscriptions, 50 galleries, 1,000 definitions,
2,000 scale sets (tests/scenarios/estate/generate.py); other sizes scale definitions, galleries and
scale sets with the versions (one definition per 10 versions, one gallery per 200, one scale set
per 5), subscriptions stay 200. The emulator adds --latency-ms before answering each request and
applies Resource Graph's documented example quota (15 queries per 5 s). For each size it runs the
real `az sig doctor scan -o none` and prints: wall time, requests by kind against the budget (30 +
one per version that needs its replication read), seconds spent waiting for the quota, the peak
memory of the az process, and the findings. Prints figures; asserts nothing.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def sizes(versions):
    return dict(subscriptions=200, galleries=max(5, versions // 200), definitions=max(10, versions // 10),
                versions=versions, scale_sets=max(100, versions // 5))


def run_az(azure, args):
    """Run az; returns (exit code, wall seconds, peak RSS in MB of that az process, stdout).

    The peak is the az process's own high-water mark (VmHWM of /proc/<pid>/status, read until it
    exits): ru_maxrss of the children would count the pages a forked child shares with this
    process, which holds the emulator and its estate."""
    from tests.emulator import azenv
    env = dict(os.environ)
    env.update(azure.env)
    started = time.monotonic()
    process = subprocess.Popen([azenv.az_executable(), *args], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    peak_kb = [0]
    watcher = threading.Thread(target=_watch_peak, args=(process, peak_kb), daemon=True)
    watcher.start()
    stdout, stderr = process.communicate()
    elapsed = time.monotonic() - started
    watcher.join()
    if process.returncode not in (0, 1):
        print(stderr[-2000:])
    return process.returncode, elapsed, peak_kb[0] / 1024.0, stdout


def _watch_peak(process, peak_kb):
    path = "/proc/{}/status".format(process.pid)
    while process.poll() is None:
        try:
            with open(path, encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("VmHWM:"):
                        peak_kb[0] = max(peak_kb[0], int(line.split()[1]))
        except (OSError, ValueError):
            pass
        time.sleep(0.02)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=200)
    parser.add_argument("--versions", type=int, nargs="+", default=[1000, 10000, 50000])
    options = parser.parse_args()

    import json
    from tests.emulator.harness import EmulatedAzure
    from tests.scenarios.estate.generate import estate, needs_replication_read
    azure = EmulatedAzure(tempfile.mkdtemp(prefix="bench-scan-"))
    print("az sig doctor scan, {} ms latency per request".format(options.latency_ms))
    print("{:>8} {:>6} {:>6} {:>6} | {:>7} {:>9} {:>6} {:>8} {:>7} | {:>8} {:>8} | findings".format(
        "versions", "defs", "vmss", "subs", "wall s", "requests", "ARG", "expand", "budget", "quota s", "peak MB"))
    try:
        for count in sorted(options.versions):
            shape = sizes(count)
            scenario = estate(latency_ms=options.latency_ms, **shape)
            needed = needs_replication_read(scenario)
            loaded = time.monotonic()
            azure.load(scenario)
            load_seconds = time.monotonic() - loaded
            del scenario
            code, elapsed, peak, stdout = run_az(azure, ["sig", "doctor", "scan", "--query",
                                                         "{summary: summary, scope: scope}", "-o", "json"])
            journal = [entry for entry in azure.journal() if "/oauth2/" not in entry["path"]]
            graph = [entry for entry in journal if entry["method"] == "POST"]
            expanded = [entry for entry in journal if entry["query"].get("$expand") == "ReplicationStatus"]
            throttled = sum(1 for entry in graph if entry["status"] == 429)
            budget = 30 + needed
            result = json.loads(stdout) if stdout.strip() else {"summary": {}, "scope": {}}
            print("{:>8} {:>6} {:>6} {:>6} | {:>7.2f} {:>9} {:>6} {:>8} {:>7} | {:>8} {:>8.0f} | exit {} {}".format(
                count, shape["definitions"], shape["scale_sets"], shape["subscriptions"], elapsed, len(journal),
                "{}{}".format(len(graph) - throttled, "+{}x429".format(throttled) if throttled else ""),
                len(expanded),
                "{} {}".format(budget, "ok" if len(journal) < budget else "OVER"),
                result["scope"].get("throttled_seconds", ""), peak, code,
                json.dumps(result["summary"], sort_keys=True)))
            print("         (emulator loaded the estate in {:.1f} s)".format(load_seconds))
            azure.clear_journal()
    finally:
        azure.stop()


if __name__ == "__main__":
    main()
