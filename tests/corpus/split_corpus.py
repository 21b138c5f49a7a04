"""The split of the real-world corpus into its tuning and check halves (see README.md).

    .venv/bin/python tests/corpus/split_corpus.py          # rewrite tuning.json and check.json
    .venv/bin/python tests/corpus/split_corpus.py --verify # exit 1 if an item sits in the wrong half

The split is by thread (the page an error was posted on), never by item, so that two texts from one
discussion cannot end up on both sides. A thread's half is fixed by the SHA-256 of its URL:
first hex digit 0-7 -> tuning, 8-f -> check. ``MOVED`` lists the few threads that were moved to
the other half once, when the corpus was first split, so that each half holds every form that
comes from more than one thread; it is frozen: new threads follow the hash rule only.
"""

import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HALVES = ("tuning", "check")

# Threads moved against their hash, once, at the first split (see README.md, "Split"). Frozen.
MOVED = (
    "https://github.com/Azure/azure-cli/issues/27975",  # az-debug: all 3 az-debug threads hashed to check
)


def hash_half(thread):
    """The half the SHA-256 of the thread URL gives: first hex digit 0-7 -> tuning, 8-f -> check."""
    digest = hashlib.sha256(thread.encode("utf-8")).hexdigest()
    return "tuning" if int(digest[0], 16) < 8 else "check"


def half_of(thread):
    half = hash_half(thread)
    if thread in MOVED:
        return "check" if half == "tuning" else "tuning"
    return half


def path(half):
    return os.path.join(HERE, half + ".json")


def load(half):
    with open(path(half), encoding="utf-8") as handle:
        return json.load(handle)


def load_all():
    return [item for half in HALVES for item in load(half)]


def dump(half, items):
    with open(path(half), "w", encoding="utf-8", newline="\n") as handle:
        json.dump(items, handle, ensure_ascii=False, indent=1)
        handle.write("\n")


def split(items):
    """Items by half, each half in item-id order."""
    halves = {half: [] for half in HALVES}
    for item in sorted(items, key=lambda item: item["id"]):
        halves[half_of(item["thread"])].append(item)
    return halves


def main(argv):
    items = load_all()
    halves = split(items)
    if "--verify" in argv:
        wrong = [item["id"] for half in HALVES for item in load(half) if half_of(item["thread"]) != half]
        if wrong:
            print("items in the wrong half: " + ", ".join(wrong))
            return 1
        print("split ok: {} tuning, {} check".format(len(halves["tuning"]), len(halves["check"])))
        return 0
    for half in HALVES:
        dump(half, halves[half])
    print("wrote {} tuning, {} check".format(len(halves["tuning"]), len(halves["check"])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
