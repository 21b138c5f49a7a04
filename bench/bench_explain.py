"""Benchmark of `az sig doctor explain` on big synthetic `az --debug` logs.

    .venv/bin/python bench/bench_explain.py [--size-mb 200] [--dense-size-mb 200] [--memory-size-mb 1024]
                                            [--az-runs 3] [--keep]

Writes synthetic logs under `.bench/`, then prints:
  * sparse log (successful gallery requests, a few failures buried in them): throughput of the
    explain engine (MB/s) next to `grep -c '"error"'` on the same file, and the ratio of their times;
  * the same through the real `az`: the scan's own cost (wall time of `az sig doctor explain --log`
    on the log minus the same command on an empty log, i.e. az's start-up) against grep's time
    (goal: 5x grep or better);
  * dense-failure log (every request fails: a failed create's full --debug output, over and over,
    several errors on many resources): throughput (goal: 50 MB/s or better);
  * peak memory (max RSS of a child process) explaining a 1 GB log plain, as .gz, and as .gz on
    standard input (goal: the three within 20 MB of each other).
Each measurement runs in a fresh child process, so imports and caches are counted honestly.
"""

import argparse
import gzip
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


# Failed requests of the dense log: (method, resource kind, status, code, message); the last one is
# in no knowledge-base entry (it is reported as unknown, with its nearest entries).
_DENSE_FAILURES = (
    ("PUT", "version", 400, "InvalidParameter", _REGION_MESSAGE),
    ("PUT", "version", 400, "InvalidParameter", "Duplicate regions are not allowed in target publishing regions."),
    ("PUT", "version", 400, "InvalidParameter",
     "The value 0 of parameter 'galleryImageVersion.properties.publishingProfile.replicaCount' is out of range. "
     "The value must be between 1 and 100, inclusive."),
    ("PUT", "version", 400, "InvalidParameter",
     "Source was not found: /subscriptions/" + SUB + "/resourceGroups/rg-build/providers/Microsoft.Compute/"
     "snapshots/snap-{number}. Please make sure the source exists."),
    ("PUT", "image", 404, "ParentResourceNotFound",
     "Can not perform requested operation on nested resource. Parent resource 'gal{gallery}x' not found."),
    ("PUT", "version", 500, "InternalExecutionError",
     "An internal execution error occurred. Please retry later. (request {number})"),
)


def _dense_block(number, gallery):
    """One failed `az sig ... create --debug` run as az logs it: its command line, the token lookup,
    the request with its headers and body, the error response with its headers, the CLI's ERROR
    lines and exit code."""
    method, kind, status, code, message = _DENSE_FAILURES[number % len(_DENSE_FAILURES)]
    message = message.format(number=number, gallery=gallery)
    image = number % 10
    path = _version_path(gallery, image, "1.{}.0".format(number % 5))
    if kind == "image":
        path = path.rsplit("/versions/", 1)[0]
    body = {"location": "eastus", "properties": {"publishingProfile": {
        "targetRegions": [{"name": "westeurope"}, {"name": "northeurope"}]}}}
    error = {"error": {"code": code, "message": message}}
    command = "sig image-version create" if kind == "version" else "sig image-definition create"
    lines = [
        "DEBUG: cli.knack.cli: Command arguments: [{}, '-g', 'rg-{}', '-r', 'gal{}', '--debug']".format(
            ", ".join(repr(word) for word in command.split()), gallery, gallery),
        "DEBUG: cli.knack.cli: Event: Cli.PreExecute []",
        "DEBUG: cli.azure.cli.core: Modules found from index for 'sig': ['azure.cli.command_modules.vm']",
        "INFO: az_command_data_logger: command args: {} -g {{}} -r {{}} --debug".format(command),
        "DEBUG: cli.azure.cli.core.auth.msal_credentials: ServicePrincipalCredential.acquire_token: "
        "scopes=['https://management.core.windows.net//.default'], kwargs={}",
        "DEBUG: msal.application: Cache hit an AT",
        POLICIES + "Request URL: 'https://management.azure.com{}?api-version=2024-03-03'".format(path),
        POLICIES + "Request method: '{}'".format(method),
        POLICIES + "Request headers:",
        POLICIES + "    'Content-Type': 'application/json'",
        POLICIES + "    'x-ms-client-request-id': '4d06{:04d}-e76c-11f1-a4c4-02fc00000001'".format(number % 10000),
        POLICIES + "    'CommandName': '{}'".format(command),
        POLICIES + "    'User-Agent': 'AZURECLI/2.91.0 (PIP) azsdk-python-core/1.39.0 Python/3.11.7'",
        POLICIES + "    'Authorization': '*****'",
        POLICIES + "Request body:",
        POLICIES + json.dumps(body),
        'DEBUG: urllib3.connectionpool: https://management.azure.com:443 "{} {}?api-version=2024-03-03 HTTP/1.1" '
        "{} 252".format(method, path, status),
        POLICIES + "Response status: {}".format(status),
        POLICIES + "Response headers:",
        POLICIES + "    'Content-Type': 'application/json; charset=utf-8'",
        POLICIES + "    'x-ms-request-id': '0000{:04d}-0000-0000-0000-000000000000'".format(number % 10000),
        POLICIES + "Response content:",
        POLICIES + json.dumps(error),
        "ERROR: cli.azure.cli.core.azclierror: ({}) {}".format(code, message),
        "Code: " + code,
        "Message: " + message,
        "ERROR: az_command_data_logger: ({}) {}".format(code, message),
        "INFO: az_command_data_logger: exit code: 1",
    ]
    return "\n".join(lines) + "\n"


def generate_dense(path, size_mb):
    """Write a log of about ``size_mb`` MB of failed requests only (``_dense_block``, no start-up
    lines between them); returns the failures."""
    target = size_mb * 1024 * 1024
    piece = "".join(_dense_block(number, number % 5) for number in range(600)).encode()
    written = 0
    with open(path, "wb") as handle:
        while written < target:
            handle.write(piece)
            written += len(piece)
    return 600 * (written // len(piece))


# A failed `az sig image-version create --debug` run recorded against the emulator (start-up
# lines, the request and its 400 answer, the traceback and the CLI's ERROR lines): the dense log
# repeats it with other names and the errors of _DENSE_FAILURES.
_RECORDED = os.path.join(ROOT, "samples", "image-version-create.debug.log")
_RECORDED_MESSAGE = ("Gallery image version publishing profile regions 'westus,northeurope' must contain the "
                     "location of image version 'eastus'.")


def _recorded_run(template, number):
    _, _, status, code, message = _DENSE_FAILURES[number % len(_DENSE_FAILURES)]
    message = message.format(number=number % 100, gallery=number % 5)
    text = template.replace(_RECORDED_MESSAGE, message).replace("InvalidParameter", code)
    text = text.replace("Response status: 400", "Response status: {}".format(status))
    text = text.replace('HTTP/1.1" 400', 'HTTP/1.1" {}'.format(status))
    text = text.replace("demoGallery", "gal{}".format(number % 5)).replace("demoImage", "img{}".format(number % 7))
    return text.replace("'1.0.1'", "'1.0.{}'".format(number % 50)).replace("/versions/1.0.1", "/versions/1.0.{}".format(
        number % 50))


def generate_recorded_runs(path, size_mb):
    """Write a log of about ``size_mb`` MB of failed az runs (``_recorded_run``); returns the runs."""
    with open(_RECORDED, encoding="utf-8") as handle:
        template = handle.read()
    target = size_mb * 1024 * 1024
    piece = "".join(_recorded_run(template, number) for number in range(300)).encode()
    written = 0
    with open(path, "wb") as handle:
        while written < target:
            handle.write(piece)
            written += len(piece)
    return 300 * (written // len(piece))


_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from azext_sig_doctor import knowledge
from azext_sig_doctor.explain import explain_source, explain_text
knowledge.load()
explain_text("Duplicate regions are not allowed in target publishing regions.")  # compiles the signatures once
start = time.perf_counter()
result = explain_source({source!r})
elapsed = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": elapsed, "findings": len(result.findings),
                  "counts": sum(f["count"] for f in result.findings),
                  "ids": sorted({{f["id"] or "unknown" for f in result.findings}}), "peak_mb": peak_kb / 1024.0}}))
"""


def run_explain(path, stdin=False):
    """Explain ``path`` in a child process (as ``--log -`` with the file on standard input when
    ``stdin``); returns its figures."""
    code = _CHILD.format(root=ROOT, source="-" if stdin else path)
    with open(path, "rb") if stdin else open(os.devnull, "rb") as feed:
        output = subprocess.run([sys.executable, "-c", code], stdin=feed, capture_output=True, check=True).stdout
    return json.loads(output.decode().strip().splitlines()[-1])


def _az():
    candidate = os.path.join(os.path.dirname(sys.executable), "az")
    return candidate if os.path.exists(candidate) else shutil.which("az")


def run_az(path, runs):
    """Best wall time of ``az sig doctor explain --log path -o none`` (the extension from this
    tree, a throw-away config dir), or None without az."""
    az = _az()
    if not az:
        return None
    env = dict(os.environ, AZURE_EXTENSION_DEV_SOURCES=ROOT, AZURE_CORE_COLLECT_TELEMETRY="false",
               AZURE_CONFIG_DIR=os.path.join(BENCH_DIR, "azure-config"))
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([az, "sig", "doctor", "explain", "--log", path, "-o", "none"], env=env,
                       capture_output=True, check=True)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def run_grep(path, runs=3):
    """Best time of ``grep -c '"error"'`` over ``runs`` (the file is in the page cache after the
    first), and its count."""
    if not shutil.which("grep"):
        return None
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        completed = subprocess.run(["grep", "-c", '"error"', path], capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, completed.stdout.strip()


def baseline_rss():
    code = ("import resource, sys; sys.path.insert(0, {!r}); from azext_sig_doctor import knowledge; "
            "from azext_sig_doctor.explain import explain_text; knowledge.load(); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)").format(ROOT)
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return int(output.strip()) / 1024.0


def _sparse(args):
    log = os.path.join(BENCH_DIR, "synthetic-{}mb.debug.log".format(args.size_mb))
    planted = generate(log, args.size_mb)
    size_mb = os.path.getsize(log) / (1024.0 * 1024.0)
    run_explain(log)  # the first read fills the page cache: measure the second, as grep's
    explained = run_explain(log)
    grep = run_grep(log)
    print("sparse log: {:.0f} MB, {} failures planted".format(size_mb, planted))
    print("  explain engine: {:7.2f} s  {:7.1f} MB/s  findings={} (count {}) ids={}".format(
        explained["seconds"], size_mb / explained["seconds"], explained["findings"], explained["counts"],
        ",".join(explained["ids"])))
    if grep:
        grep_seconds, grep_count = grep
        print("  grep -c '\"error\"': {:7.2f} s  {:7.1f} MB/s  (count {})".format(
            grep_seconds, size_mb / grep_seconds, grep_count))
        print("  ratio explain engine / grep time: {:.1f}x".format(explained["seconds"] / grep_seconds))
    if args.az_runs:
        # az's start-up: the same command on an empty log, and on the recorded log of one failed
        # create (which also compiles the knowledge base's signatures, as any log with a failure does).
        empty = os.path.join(BENCH_DIR, "empty.log")
        open(empty, "wb").close()
        whole = run_az(log, args.az_runs)
        for label, baseline in (("an empty log", empty), ("one recorded failure", _RECORDED)):
            startup = run_az(baseline, args.az_runs)
            if startup is None:
                break
            print("  az sig doctor explain: {:.2f} s, on {} {:.2f} s: scan cost {:.2f} s{}".format(
                whole, label, startup, whole - startup,
                ", {:.1f}x grep's time".format((whole - startup) / grep[0]) if grep else ""))
        os.remove(empty)
    if not args.keep:
        os.remove(log)


def _dense(args):
    logs = (("dense-failure log (failed az runs, as recorded)", "dense-runs", generate_recorded_runs),
            ("dense-failure log (failed requests only, no start-up lines)", "dense-requests", generate_dense))
    for label, name, generator in logs:
        log = os.path.join(BENCH_DIR, "{}-{}mb.debug.log".format(name, args.dense_size_mb))
        failures = generator(log, args.dense_size_mb)
        size_mb = os.path.getsize(log) / (1024.0 * 1024.0)
        run_explain(log)
        explained = run_explain(log)
        print("{}: {:.0f} MB, {} failures".format(label, size_mb, failures))
        print("  explain engine: {:7.2f} s  {:7.1f} MB/s  findings={} (count {})".format(
            explained["seconds"], size_mb / explained["seconds"], explained["findings"], explained["counts"]))
        if not args.keep:
            os.remove(log)


def _memory(args):
    big = os.path.join(BENCH_DIR, "synthetic-{}mb.debug.log".format(args.memory_size_mb))
    planted = generate(big, args.memory_size_mb)
    compressed = big + ".gz"
    with open(big, "rb") as source, gzip.open(compressed, "wb", compresslevel=6) as target:
        shutil.copyfileobj(source, target, 4 * 1024 * 1024)
    size_mb = os.path.getsize(big) / (1024.0 * 1024.0)
    print("memory log: {:.0f} MB ({:.1f} MB as .gz), {} failures planted".format(
        size_mb, os.path.getsize(compressed) / (1024.0 * 1024.0), planted))
    for label, path, stdin in (("plain", big, False), (".gz", compressed, False),
                               (".gz on standard input", compressed, True)):
        explained = run_explain(path, stdin=stdin)
        print("  {:22}: peak RSS {:6.1f} MB  {:6.2f} s  findings={} (count {})".format(
            label, explained["peak_mb"], explained["seconds"], explained["findings"], explained["counts"]))
    print("  (interpreter + azure.cli.core + knowledge base alone: {:.1f} MB)".format(baseline_rss()))
    if not args.keep:
        os.remove(big)
        os.remove(compressed)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=200, help="size of the sparse log (0 = skip)")
    parser.add_argument("--dense-size-mb", type=int, default=200, help="size of the dense-failure log (0 = skip)")
    parser.add_argument("--memory-size-mb", type=int, default=1024, help="size of the memory log (0 = skip)")
    parser.add_argument("--az-runs", type=int, default=3, help="runs of the real az per figure (0 = skip az)")
    parser.add_argument("--keep", action="store_true", help="keep the generated logs in .bench/")
    args = parser.parse_args()
    os.makedirs(BENCH_DIR, exist_ok=True)
    if args.size_mb:
        _sparse(args)
    if args.dense_size_mb:
        _dense(args)
    if args.memory_size_mb:
        _memory(args)


if __name__ == "__main__":
    main()
