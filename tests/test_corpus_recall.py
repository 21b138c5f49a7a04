"""The real-world corpus (tests/corpus, issue 11) runs as a test: `explain` names the right entry with
the values a good answer repeats, forces no unrelated Azure error onto an entry, and names no wrong
entry.

Figures (bench/bench_corpus.py prints them per half, form and section): before issue 11, 43/203; the
check half measured once before it was tuned on: 65/103; now 201/203 on the whole corpus, no wrong
entry, 46/46 unrelated errors left unknown.

What is not reached, and why (asserted exactly, so that a change in either direction is seen):

* c0063 (an InvalidApiVersionParameter with nothing naming a gallery) stays unknown: the same
  refusal comes from every resource type, and naming the gallery entry without a gallery in sight
  would force unrelated errors onto it.
* c0207 (an az --debug fragment holding only "An internal execution error occurred.") stays unknown:
  nothing in it says what failed.
"""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
sys.path.insert(0, os.path.join(ROOT, "tests", "corpus"))

import bench_corpus  # noqa: E402  pylint: disable=wrong-import-position
import split_corpus  # noqa: E402  pylint: disable=wrong-import-position

KNOWN_WRONG = {}
KNOWN_UNKNOWN = {"c0063", "c0207"}
MIN_RECALL = 0.95


@pytest.fixture(scope="module")
def results():
    return bench_corpus.run(split_corpus.load_all())


def test_the_whole_corpus_is_recalled_with_its_values(results):
    related = [(item, outcome) for item, outcome in results if outcome["related"]]
    recalled = sum(outcome["recall"] for _, outcome in related)
    assert recalled / len(related) >= MIN_RECALL, (recalled, len(related))
    missed = {item["id"] for item, outcome in related if not outcome["recall"]}
    assert missed == set(KNOWN_WRONG) | KNOWN_UNKNOWN


def test_no_wrong_entry(results):
    wrong = {item["id"]: outcome["first"] for item, outcome in results if outcome["related"] and outcome["wrong"]}
    assert wrong == KNOWN_WRONG


def test_no_unrelated_error_is_forced_onto_an_entry(results):
    matched = [(item["id"], outcome["first"]) for item, outcome in results
               if not outcome["related"] and outcome["wrong"]]
    assert matched == []


def test_no_text_makes_explain_fail(results):
    assert [item["id"] for item, outcome in results if outcome["error"]] == []


def test_every_recalled_finding_says_how_sure_it_is_and_why(results):
    for item, outcome in results:
        if outcome["recall"]:
            assert outcome["confidence"] in ("high", "medium", "low"), item["id"]
            assert outcome["matched_by"], item["id"]
