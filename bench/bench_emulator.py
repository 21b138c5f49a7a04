"""Benchmark of the test emulator: fixture start-up time, requests/second for concurrent GETs, and
the delays its faults cause (a latency fault, the Retry-After waits of the real az on 429s).

    .venv/bin/python bench/bench_emulator.py [--processes 2] [--threads 4] [--requests 2000]
"""

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor

import requests

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.emulator.harness import EmulatedAzure  # noqa: E402

GALLERY = ("/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/demo-rg/providers/"
           "Microsoft.Compute/galleries/demoGallery?api-version=2023-07-03")


def measure_startup():
    work_dir = tempfile.mkdtemp(prefix="bench-emulator-")
    started = time.perf_counter()
    handle = EmulatedAzure(work_dir)
    return handle, time.perf_counter() - started, work_dir


def _client_process(url, headers, ca_path, threads, per_thread):
    """GETs from `threads` threads of a separate process (the client must not share the
    server's GIL, or the figure measures the client). Returns the non-200 statuses."""
    errors = []

    def worker():
        session = requests.Session()
        for _ in range(per_thread):
            response = session.get(url, headers=headers, verify=ca_path, timeout=30)
            if response.status_code != 200:
                errors.append(response.status_code)

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return errors


def concurrent_gets(handle, processes, threads, total):
    per_thread = total // (processes * threads)
    args = (handle.url + GALLERY, handle.auth_headers(), handle.ca_path, threads, per_thread)
    with ProcessPoolExecutor(processes) as pool:
        started = time.perf_counter()
        results = [pool.submit(_client_process, *args) for _ in range(processes)]
        errors = [status for result in results for status in result.result()]
        elapsed = time.perf_counter() - started
    return per_thread * threads * processes / elapsed, errors


def fault_delays(handle):
    """Seconds a GET takes with a 400 ms latency fault and without; seconds `az sig show` takes
    through two 429s with Retry-After: 1 and without."""
    rg = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/demo-rg/providers/Microsoft.Compute"
    handle.load({"resources": [{"id": rg + "/galleries/" + name, "location": "eastus"} for name in ("slow", "fast")],
                 "faults": [{"path": "/galleries/slow$", "latency_ms": 400}]})
    figures = {}
    for name in ("slow", "fast"):
        started = time.perf_counter()
        handle.request("GET", rg + "/galleries/" + name)
        figures["GET " + name] = time.perf_counter() - started
    handle.load({"resources": [{"id": rg + "/galleries/busy", "location": "eastus"}],
                 "faults": [{"method": "GET", "path": "/galleries/busy$", "status": 429, "count": 2,
                             "retry_after": 1}]})
    for label in ("az sig show through two 429s (Retry-After: 1)", "az sig show"):
        started = time.perf_counter()
        handle.az("sig", "show", "-g", "demo-rg", "-r", "busy", "-o", "none")
        figures[label] = time.perf_counter() - started
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2, help="client processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per client process")
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    handle, startup, work_dir = measure_startup()
    try:
        handle.clear_journal()
        rate, errors = concurrent_gets(handle, args.processes, args.threads, args.requests)
        print(f"fixture start-up (HTTPS server + test CA + az cloud register + az login): "
              f"{startup:.2f} s")
        print(f"concurrent GETs: {rate:.0f} requests/s ({args.processes} client processes x "
              f"{args.threads} threads, keep-alive HTTPS, {args.requests} requests, "
              f"{len(errors)} errors, {os.cpu_count()} CPUs)")
        delays = fault_delays(handle)
        print(f"GET with a 400 ms latency fault: {delays['GET slow']:.2f} s; without: {delays['GET fast']:.2f} s")
        print(f"az sig show through two 429s with Retry-After: 1: "
              f"{delays['az sig show through two 429s (Retry-After: 1)']:.2f} s; "
              f"without faults: {delays['az sig show']:.2f} s")
    finally:
        handle.stop()
        shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
