"""How faithfully the emulator answers the requests Azure answered in the Azure CLI's recordings.

    .venv/bin/python bench/bench_contract.py [--verbose]

Replays every fixture under tests/contract/ (see tests/contract/replay.py) against a fresh
in-process emulator and prints: the recordings used, the recorded requests found, how many were
replayed (sent to the emulator), how many were answered in the recorded shape (status + LRO
headers + body shape and contract values), the differences that remain (each with the reason the
fixture gives, or none), and the paths left out of the comparison.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.contract import replay  # noqa: E402
from tests.emulator.server import Emulator  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every difference line")
    args = parser.parse_args()
    emulator = Emulator(port=0).start()
    client = replay.Client(emulator)
    found = replayed = matched = setups = 0
    known, unexplained, not_compared, sources, scoped = [], [], set(), [], []
    started = time.perf_counter()
    try:
        for path in replay.fixture_paths():
            fixture = replay.load_fixture(path)
            source = fixture["source"]
            results = replay.replay(fixture, client)
            counted = [r for r in results if r.counted]
            sources.append((source["path"].rsplit("/", 1)[-1], source["commit"][:12],
                            source["recorded"], len(counted)))
            setups += len(results) - len(counted)
            for result in counted:
                found += 1
                if not any(d.startswith("no operation to poll") for d in result.differences):
                    replayed += 1
                if result.matches:
                    matched += 1
                elif result.known_difference:
                    known.append(result)
                else:
                    unexplained.append(result)
                not_compared.update(result.not_compared)
                if result.scope:
                    scoped.append(result)
    finally:
        emulator.stop()
    elapsed = time.perf_counter() - started

    print("Recordings (Azure/azure-cli, src/azure-cli/azure/cli/command_modules/vm/tests/latest/"
          "recordings/):")
    for name, commit, recorded, count in sources:
        print(f"  {name:<58} {commit}  {recorded:<40} {count:>3} requests")
    print()
    print(f"recorded requests found:            {found}")
    print(f"replayed against the emulator:      {replayed}  "
          f"(+{setups} setup requests the pages read did not show, not compared)")
    print(f"answered in the recorded shape:     {matched}  ({100.0 * matched / max(found, 1):.1f} %)")
    print(f"differences, explained in fixtures: {len(known)}")
    print(f"differences, unexplained:           {len(unexplained)}")
    print(f"replay time:                        {elapsed:.2f} s")
    reasons = {}
    for result in known:
        reasons.setdefault(result.known_difference, []).append(result)
    if known:
        print("\nRemaining differences (the fixture's reason):")
        for reason, results in reasons.items():
            print(f"  {len(results):>2} x {reason}")
            for result in results[:1 if not args.verbose else None]:
                for line in result.differences[:2 if not args.verbose else None]:
                    print(f"        {result.id}: {line}")
    if unexplained:
        print("\nUnexplained differences:")
        for result in unexplained:
            print(f"  {result.id} ({result.command})")
            for line in result.differences:
                print(f"      {line}")
    if not_compared or scoped:
        print("\nNot compared (paths each fixture leaves out, with its reason):")
        for line in sorted(not_compared):
            print(f"  {line}")
        for result in scoped:
            print(f"  {result.id} ({result.command}): only {', '.join(result.scope)}")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
