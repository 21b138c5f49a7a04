"""Cost of the languages (prints figures; asserts nothing).

* reading each file of each language (kb/i18n/<language>/<part>.yaml), each in a fresh interpreter
  so nothing is cached (yaml already imported): what a command pays the first time it needs the
  texts of that part;
* an offline check report (every check-version rule, fixed command included) rendered in English and
  in zh-Hans, in process: what writing in another language adds to a check;
* `az sig doctor explain -h` in English and in zh-Hans (median CPU time of the real az).
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
RUNS = int(os.environ.get("BENCH_RUNS", "7"))

_READ = """
import time, sys
import yaml  # imported by az for other reasons too: the figure is the file's own cost
from azext_sig_doctor.i18n import catalog
start = time.perf_counter()
data = catalog.part(sys.argv[1], sys.argv[2])
print(time.perf_counter() - start, len(data), sum(len(v) if isinstance(v, dict) else 1 for v in data.values()))
"""


def read_cost(language, part):
    samples, size = [], (0, 0)
    for _ in range(RUNS):
        out = subprocess.run([sys.executable, "-c", _READ, language, part], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
        samples.append(float(out[0]))
        size = (int(out[1]), int(out[2]))
    return statistics.median(samples), size


def report_cost(language):
    from azext_sig_doctor import checks
    from azext_sig_doctor.domain import request
    from azext_sig_doctor.i18n import using
    arguments = dict(resource_group_name="rg", gallery_name="my-gallery", gallery_image_name="img",
                     gallery_image_version="1.0", target_regions=["westeurope", "westeurope"], replica_count=200,
                     virtual_machine="/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/v")
    typed = request.parse("version", arguments, "00000000-0000-0000-0000-000000000001")
    samples = []
    with using(language):
        checks.run(None, typed, offline=True)  # warm: knowledge base, catalogs
        for _ in range(RUNS * 3):
            start = time.perf_counter()
            checks.run(None, typed, offline=True).to_dict()
            samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def help_cost(extra):
    import resource
    az = os.path.join(os.path.dirname(sys.executable), "az")
    with tempfile.TemporaryDirectory() as config:
        env = dict(os.environ, AZURE_CONFIG_DIR=config, AZURE_EXTENSION_DEV_SOURCES=ROOT,
                   AZURE_CORE_COLLECT_TELEMETRY="false")
        args = [az, "sig", "doctor", "explain", "-h"] + extra
        subprocess.run(args, env=env, capture_output=True, check=True)
        samples = []
        for _ in range(RUNS):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(args, env=env, capture_output=True, check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            samples.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(samples)


def main():
    from azext_sig_doctor.i18n import LANGUAGES, catalog
    print("reading a file of texts, fresh interpreter, median of {} runs".format(RUNS))
    for language in LANGUAGES:
        for part in (catalog.MESSAGE_PARTS if language == "en" else catalog.PARTS):
            seconds, (groups, texts) = read_cost(language, part)
            print("  {:<8} {:<8} {:7.1f} ms  ({} groups, {} texts)".format(language, part, seconds * 1000, groups,
                                                                          texts))
    english, chinese = report_cost("en"), report_cost("zh-Hans")
    print("offline check-version report, in process, median: en {:.1f} ms, zh-Hans {:.1f} ms ({:+.1f} ms)".format(
        english * 1000, chinese * 1000, (chinese - english) * 1000))
    plain, translated = help_cost([]), help_cost(["--language", "zh-Hans"])
    print("az sig doctor explain -h, CPU median: en {:.3f} s, zh-Hans {:.3f} s ({:+.3f} s)".format(
        plain, translated, translated - plain))


if __name__ == "__main__":
    main()
