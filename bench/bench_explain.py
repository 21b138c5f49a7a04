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
P = "DEBUG: cli.azure.cli.core.sdk.policies: "

_OK_BLOCK = (
    "DEBUG: cli.azure.cli.core.auth.msal_credentials: ServicePrincipalCredential.acquire_token: scopes=['https://management.core.windows.net//.default'], kwargs={{}}\n"
    "DEBUG: msal.application: Cache hit an AT\n"
    "DEBUG: msal.telemetry: Generate or reuse correlation_id: 5a0c7f3e-{n:04d}-4b2a-9d1e-3c5b7a9e1f20\n"
    + P + "Request URL: 'https://management.azure.com/subscriptions/" + SUB + "/resourceGroups/rg-{g}/providers/Microsoft.Compute/galleries/gal{g}/images/img{n}/versions/1.0.{n}?api-version=2024-03-03&$expand=ReplicationStatus'\n"
    + P + "Request method: 'GET'\n"
    + P + "Request headers:\n"
    + P + "    'Accept': 'application/json'\n"
    + P + "    'x-ms-client-request-id': '7c1e{n:04d}-e76c-11f1-a4c4-02fc00000001'\n"
    + P + "    'CommandName': 'sig image-version show'\n"
    + P + "    'User-Agent': 'AZURECLI/2.91.0 (PIP) azsdk-python-core/1.39.0 Python/3.11.7 (Linux-6.8.0-x86_64-with-glibc2.36)'\n"
    + P + "    'Authorization': '*****'\n"
    + P + "Request body:\n"
    + P + "This request has no body\n"
    "DEBUG: urllib3.connectionpool: https://management.azure.com:443 \"GET /subscriptions/" + SUB + "/resourceGroups/rg-{g}/providers/Microsoft.Compute/galleries/gal{g}/images/img{n}/versions/1.0.{n}?api-version=2024-03-03 HTTP/1.1\" 200 1234\n"
    + P + "Response status: 200\n"
    + P + "Response headers:\n"
    + P + "    'Cache-Control': 'no-cache'\n"
    + P + "    'Content-Type': 'application/json; charset=utf-8'\n"
    + P + "    'x-ms-ratelimit-remaining-resource': 'Microsoft.Compute/GetGalleryImageVersion3Min;1998,Microsoft.Compute/GetGalleryImageVersion30Min;9995'\n"
    + P + "Response content:\n"
    + P + '{{"name": "1.0.{n}", "id": "/subscriptions/' + SUB + '/resourceGroups/rg-{g}/providers/Microsoft.Compute/galleries/gal{g}/images/img{n}/versions/1.0.{n}", "type": "Microsoft.Compute/galleries/images/versions", "location": "eastus", "properties": {{"publishingProfile": {{"targetRegions": [{{"name": "East US", "regionalReplicaCount": 1, "storageAccountType": "Standard_LRS"}}, {{"name": "West Europe", "regionalReplicaCount": 2, "storageAccountType": "Standard_LRS"}}], "replicaCount": 1, "excludeFromLatest": false, "publishedDate": "2026-01-15T10:00:00+00:00", "storageAccountType": "Standard_LRS"}}, "storageProfile": {{"source": {{"virtualMachineId": "/subscriptions/' + SUB + '/resourceGroups/rg-build/providers/Microsoft.Compute/virtualMachines/build-{n}"}}, "osDiskImage": {{"sizeInGB": 30, "hostCaching": "ReadWrite"}}}}, "provisioningState": "Succeeded", "replicationStatus": {{"aggregatedState": "Completed", "summary": [{{"region": "East US", "state": "Completed", "progress": 100}}, {{"region": "West Europe", "state": "Completed", "progress": 100}}]}}}}}}\n'
    "INFO: cli.azure.cli.core.commands: Command ran in 0.812 seconds\n"
)

_FAILURE_BLOCK = (
    "DEBUG: cli.knack.cli: Command arguments: ['sig', 'image-version', 'create', '-g', 'rg-{g}', '-r', 'gal{g}', '-i', 'img{n}', '-e', '2.0.{n}', '--debug']\n"
    + P + "Request URL: 'https://management.azure.com/subscriptions/" + SUB + "/resourceGroups/rg-{g}/providers/Microsoft.Compute/galleries/gal{g}/images/img{n}/versions/2.0.{n}?api-version=2024-03-03'\n"
    + P + "Request method: 'PUT'\n"
    + P + "Request body:\n"
    + P + '{{"location": "eastus", "properties": {{"publishingProfile": {{"targetRegions": [{{"name": "westeurope"}}, {{"name": "northeurope"}}]}}}}}}\n'
    + P + "Response status: 400\n"
    + P + "Response content:\n"
    + P + '{{"error": {{"code": "InvalidParameter", "message": "Gallery image version publishing profile regions \'westeurope,northeurope\' must contain the location of image version \'eastus\'.", "target": "galleryImageVersion.properties.publishingProfile.targetRegions"}}}}\n'
    "ERROR: cli.azure.cli.core.azclierror: (InvalidParameter) Gallery image version publishing profile regions 'westeurope,northeurope' must contain the location of image version 'eastus'.\n"
    "Code: InvalidParameter\n"
    "Message: Gallery image version publishing profile regions 'westeurope,northeurope' must contain the location of image version 'eastus'.\n"
    "ERROR: az_command_data_logger: (InvalidParameter) Gallery image version publishing profile regions 'westeurope,northeurope' must contain the location of image version 'eastus'.\n"
)


def generate(path, size_mb, failures=5):
    """Write a synthetic debug log of about ``size_mb`` MB with ``failures`` failed creates."""
    target = size_mb * 1024 * 1024
    piece = "".join(_OK_BLOCK.format(n=n, g=n % 7) for n in range(400)).encode()
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
                block = _FAILURE_BLOCK.format(n=1000 + planted, g=planted).encode()
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
