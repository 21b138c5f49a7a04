"""Benchmark of `az sig doctor explain` on big synthetic `az --debug` logs.

    .venv/bin/python bench/bench_explain.py [--size-mb 200] [--memory-size-mb 1024] [--keep]

Writes a synthetic log (successful gallery requests, a few failures buried in it) under `.bench/`,
then prints:
  * throughput of the explain engine (MB/s) next to `grep -c '"error"'` on the same file, and the
    ratio (the figure that matters: goal within 5x of grep, floor 100 MB/s);
  * peak memory (max RSS of a child process that explains a 1 GB log; goal < 100 MB).
Each measurement runs in a fresh child process, so imports and caches are counted honestly.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.path.join(ROOT, ".bench")
SUB = "0b1f6471-1bf0-4dda-aec3-111122223333"
POLICIES = "DEBUG: cli.azure.cli.core.sdk.policies: "


def _version_path(gallery, image, version):
    return ("/subscriptions/{}/resourceGroups/rg-{}/providers/Microsoft.Compute/galleries/gal{}/images/img{}/"
            "versions/{}".format(SUB, gallery, gallery, image, version))


def _version_body(number, gallery):
    """A successful GET of an image version, as the service returns it."""
    regions = [{"name": "East US", "regionalReplicaCount": 1, "storageAccountType": "Standard_LRS"},
               {"name": "West Europe", "regionalReplicaCount": 2, "storageAccountType": "Standard_LRS"}]
    return {
        "name": "1.0.{}".format(number), "id": _version_path(gallery, number, "1.0.{}".format(number)),
        "type": "Microsoft.Compute/galleries/images/versions", "location": "eastus",
        "properties": {
            "publishingProfile": {"targetRegions": regions, "replicaCount": 1, "excludeFromLatest": False,
                                  "publishedDate": "2026-01-15T10:00:00+00:00",
                                  "storageAccountType": "Standard_LRS"},
            "storageProfile": {"source": {"virtualMachineId": "/subscriptions/{}/resourceGroups/rg-build/providers/"
                                                              "Microsoft.Compute/virtualMachines/build-{}".format(
                                                                  SUB, number)},
                               "osDiskImage": {"sizeInGB": 30, "hostCaching": "ReadWrite"}},
            "provisioningState": "Succeeded",
            "replicationStatus": {"aggregatedState": "Completed", "summary": [
                {"region": "East US", "state": "Completed", "progress": 100},
                {"region": "West Europe", "state": "Completed", "progress": 100}]}}}


def _ok_block(number, gallery):
    """One successful `az sig image-version show --debug` request, with its msal and urllib3 lines."""
    path = _version_path(gallery, number, "1.0.{}".format(number))
    lines = [
        "DEBUG: cli.azure.cli.core.auth.msal_credentials: ServicePrincipalCredential.acquire_token: "
        "scopes=['https://management.core.windows.net//.default'], kwargs={}",
        "DEBUG: msal.application: Cache hit an AT",
        "DEBUG: msal.telemetry: Generate or reuse correlation_id: 5a0c7f3e-{:04d}-4b2a-9d1e-3c5b7a9e1f20"
        .format(number),
        POLICIES + "Request URL: 'https://management.azure.com{}?api-version=2024-03-03&$expand=ReplicationStatus'"
        .format(path),
        POLICIES + "Request method: 'GET'",
        POLICIES + "Request headers:",
        POLICIES + "    'Accept': 'application/json'",
        POLICIES + "    'x-ms-client-request-id': '7c1e{:04d}-e76c-11f1-a4c4-02fc00000001'".format(number),
        POLICIES + "    'CommandName': 'sig image-version show'",
        POLICIES + "    'User-Agent': 'AZURECLI/2.91.0 (PIP) azsdk-python-core/1.39.0 Python/3.11.7'",
        POLICIES + "    'Authorization': '*****'",
        POLICIES + "Request body:",
        POLICIES + "This request has no body",
        'DEBUG: urllib3.connectionpool: https://management.azure.com:443 "GET {}?api-version=2024-03-03 HTTP/1.1" '
        "200 1234".format(path),
        POLICIES + "Response status: 200",
        POLICIES + "Response headers:",
        POLICIES + "    'Cache-Control': 'no-cache'",
        POLICIES + "    'Content-Type': 'application/json; charset=utf-8'",
        POLICIES + "    'x-ms-ratelimit-remaining-resource': 'Microsoft.Compute/GetGalleryImageVersion3Min;1998'",
        POLICIES + "Response content:",
        POLICIES + json.dumps(_version_body(number, gallery)),
        "INFO: cli.azure.cli.core.commands: Command ran in 0.812 seconds",
    ]
    return "\n".join(lines) + "\n"


_REGION_MESSAGE = ("Gallery image version publishing profile regions 'westeurope,northeurope' must contain the "
                   "location of image version 'eastus'.")


def _failure_block(number, gallery):
    """A failed `az sig image-version create --debug`: the 400 response and the CLI's ERROR lines."""
    path = _version_path(gallery, number, "2.0.{}".format(number))
    body = {"location": "eastus", "properties": {"publishingProfile": {
        "targetRegions": [{"name": "westeurope"}, {"name": "northeurope"}]}}}
    error = {"error": {"code": "InvalidParameter", "message": _REGION_MESSAGE,
                       "target": "galleryImageVersion.properties.publishingProfile.targetRegions"}}
    lines = [
        "DEBUG: cli.knack.cli: Command arguments: ['sig', 'image-version', 'create', '-g', 'rg-{}', '--debug']"
        .format(gallery),
        POLICIES + "Request URL: 'https://management.azure.com{}?api-version=2024-03-03'".format(path),
        POLICIES + "Request method: 'PUT'",
        POLICIES + "Request body:",
        POLICIES + json.dumps(body),
        POLICIES + "Response status: 400",
        POLICIES + "Response content:",
        POLICIES + json.dumps(error),
        "ERROR: cli.azure.cli.core.azclierror: (InvalidParameter) " + _REGION_MESSAGE,
        "Code: InvalidParameter",
        "Message: " + _REGION_MESSAGE,
        "ERROR: az_command_data_logger: (InvalidParameter) " + _REGION_MESSAGE,
    ]
    return "\n".join(lines) + "\n"


def generate(path, size_mb, failures=5):
    """Write a synthetic debug log of about ``size_mb`` MB with ``failures`` failed creates."""
    target = size_mb * 1024 * 1024
    piece = "".join(_ok_block(number, number % 7) for number in range(400)).encode()
    written = 0
    positions = {int(target * (index + 1) / (failures + 1)) for index in range(failures)}
    next_failures = sorted(positions)
    planted = 0
    with open(path, "wb") as handle:
        while written < target:
            handle.write(piece)
            written += len(piece)
            while next_failures and written >= next_failures[0]:
                next_failures.pop(0)
                block = _failure_block(1000 + planted, planted).encode()
                handle.write(block)
                written += len(block)
                planted += 1
    return planted


_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from azext_sig_doctor import knowledge
from azext_sig_doctor.explain import explain_source
knowledge.load()
start = time.perf_counter()
result = explain_source({path!r})
elapsed = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": elapsed, "findings": len(result.findings),
                  "counts": sum(f["count"] for f in result.findings),
                  "ids": sorted({{f["id"] or "unknown" for f in result.findings}}), "peak_mb": peak_kb / 1024.0}}))
"""


def run_explain(path):
    code = _CHILD.format(root=ROOT, path=path)
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def run_grep(path):
    if not shutil.which("grep"):
        return None
    start = time.perf_counter()
    completed = subprocess.run(["grep", "-c", '"error"', path], capture_output=True, text=True, check=False)
    return time.perf_counter() - start, completed.stdout.strip()


def baseline_rss():
    code = ("import resource, sys; sys.path.insert(0, {!r}); from azext_sig_doctor import knowledge; "
            "from azext_sig_doctor.explain import explain_text; knowledge.load(); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)").format(ROOT)
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return int(output.strip()) / 1024.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=200, help="size of the throughput log")
    parser.add_argument("--memory-size-mb", type=int, default=1024, help="size of the memory log (0 = skip)")
    parser.add_argument("--keep", action="store_true", help="keep the generated logs in .bench/")
    args = parser.parse_args()
    os.makedirs(BENCH_DIR, exist_ok=True)

    log = os.path.join(BENCH_DIR, "synthetic-{}mb.debug.log".format(args.size_mb))
    planted = generate(log, args.size_mb)
    size_mb = os.path.getsize(log) / (1024.0 * 1024.0)
    explained = run_explain(log)
    grep = run_grep(log)
    mb_s = size_mb / explained["seconds"]
    print("throughput log: {:.0f} MB, {} failures planted".format(size_mb, planted))
    print("  explain : {:7.2f} s  {:7.1f} MB/s  findings={} (count {}) ids={}".format(
        explained["seconds"], mb_s, explained["findings"], explained["counts"], ",".join(explained["ids"])))
    if grep:
        grep_seconds, grep_count = grep
        print("  grep -c '\"error\"': {:7.2f} s  {:7.1f} MB/s  (count {})".format(
            grep_seconds, size_mb / grep_seconds, grep_count))
        print("  ratio explain/grep time: {:.1f}x".format(explained["seconds"] / grep_seconds))
    if not args.keep:
        os.remove(log)

    if args.memory_size_mb:
        big = os.path.join(BENCH_DIR, "synthetic-{}mb.debug.log".format(args.memory_size_mb))
        planted = generate(big, args.memory_size_mb)
        explained = run_explain(big)
        size_mb = os.path.getsize(big) / (1024.0 * 1024.0)
        print("memory log: {:.0f} MB, {} failures planted".format(size_mb, planted))
        print("  explain : {:7.2f} s  {:7.1f} MB/s  findings={} (count {})".format(
            explained["seconds"], size_mb / explained["seconds"], explained["findings"], explained["counts"]))
        print("  peak RSS: {:.1f} MB (interpreter + azure.cli.core + knowledge base alone: {:.1f} MB)".format(
            explained["peak_mb"], baseline_rss()))
        if not args.keep:
            os.remove(big)


if __name__ == "__main__":
    main()
