"""The real-world corpus (tests/corpus, issue 11) keeps its shape, its provenance rules and its split.

The recall of `explain` on it is measured by bench/bench_corpus.py, not asserted here.
"""

import json
import os
import re
import sys
from collections import Counter

import pytest

from azext_sig_doctor import knowledge

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
sys.path.insert(0, CORPUS)

import split_corpus  # noqa: E402  (from tests/corpus, put on the path above)

FIELDS = ("id", "thread", "source", "form", "text", "expect", "section", "note")
MIN_RELATED = 200
MIN_THREADS = 120
MIN_MODES = 60
MIN_UNRELATED = 40
NEW_ENTRY_FIELDS = ("id", "section", "title", "codes", "cause_summary", "sources", "tool")
_ID = re.compile(r"^c\d{4}$")
_KB_ID = re.compile(r"^[a-z]+\.[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL = re.compile(r"^https?://\S+$")
_WHITE = re.compile(r"\s+")


def _load(name):
    with open(os.path.join(CORPUS, name), encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def halves():
    return {half: _load(half + ".json") for half in split_corpus.HALVES}


@pytest.fixture(scope="module")
def items(halves):
    return [item for half in split_corpus.HALVES for item in halves[half]]


@pytest.fixture(scope="module")
def new_entries():
    return _load("new_entries.json")


def readme_forms():
    """The forms listed under '## Forms' in the README (lines '- `form`: ...')."""
    with open(os.path.join(CORPUS, "README.md"), encoding="utf-8") as handle:
        text = handle.read()
    section = text.split("## Forms", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^- `([a-z0-9-]+)`", section, re.MULTILINE)


def test_each_half_is_a_list_of_items_with_every_field(halves):
    for half, listed in halves.items():
        assert isinstance(listed, list) and listed, half
        for item in listed:
            assert isinstance(item, dict)
            assert tuple(item) == FIELDS, item.get("id")


def test_item_fields_have_their_types(items):
    for item in items:
        assert _ID.match(item["id"]), item["id"]
        assert _URL.match(item["thread"]), item["id"]
        assert _URL.match(item["source"]), item["id"]
        assert isinstance(item["text"], str) and item["text"].strip(), item["id"]
        assert isinstance(item["form"], str) and item["form"], item["id"]
        assert isinstance(item["section"], str) and item["section"], item["id"]
        assert isinstance(item["note"], str), item["id"]
        expect = item["expect"]
        if expect is not None:
            assert set(expect) == {"id", "values"}, item["id"]
            assert _KB_ID.match(expect["id"]), item["id"]
            assert isinstance(expect["values"], dict), item["id"]
            for name, value in expect["values"].items():
                assert re.match(r"^[a-z][a-z0-9_]*$", name), (item["id"], name)
                assert isinstance(value, str) and value.strip(), (item["id"], name)


def test_texts_look_verbatim(items):
    """Pasted error text, not a summary: long enough, and expected values really occur in it
    (line wraps and other white space aside: consoles hard-wrap values)."""
    for item in items:
        text = item["text"]
        assert len(text) >= 20, item["id"]
        assert text == text.lstrip("\ufeff"), item["id"]
        flat = _WHITE.sub("", text).lower()
        for name, value in ((item["expect"] or {}).get("values") or {}).items():
            assert _WHITE.sub("", value).lower() in flat, (item["id"], name, value)


def test_source_belongs_to_its_thread(items):
    for item in items:
        assert item["source"].split("#", 1)[0] == item["thread"], item["id"]


def test_ids_are_unique_and_texts_are_not_repeated(items):
    ids = Counter(item["id"] for item in items)
    assert [key for key, count in ids.items() if count > 1] == []
    texts = Counter(item["text"] for item in items)
    assert [text[:60] for text, count in texts.items() if count > 1] == []


def test_no_thread_is_on_both_sides(halves):
    threads = {half: {item["thread"] for item in listed} for half, listed in halves.items()}
    assert threads["tuning"] & threads["check"] == set()


def test_every_item_sits_in_the_half_its_thread_hashes_to(halves):
    for half, listed in halves.items():
        for item in listed:
            assert split_corpus.half_of(item["thread"]) == half, item["id"]


def test_moved_threads_are_in_the_corpus(items):
    threads = {item["thread"] for item in items}
    assert set(split_corpus.MOVED) <= threads


def test_halves_are_about_even(halves):
    sizes = [len(halves[half]) for half in split_corpus.HALVES]
    assert min(sizes) >= 0.4 * sum(sizes)


def test_the_minimums_are_met(items):
    related = [item for item in items if item["expect"]]
    unrelated = [item for item in items if item["expect"] is None]
    assert len(related) >= MIN_RELATED
    assert len({item["thread"] for item in related}) >= MIN_THREADS
    assert len({item["expect"]["id"] for item in related}) >= MIN_MODES
    assert len(unrelated) >= MIN_UNRELATED


def test_every_form_of_the_readme_is_present_and_no_other(items, halves):
    forms = readme_forms()
    assert len(forms) == len(set(forms)) >= 17
    used = {item["form"] for item in items}
    assert set(forms) == used
    for half, listed in halves.items():
        assert {item["form"] for item in listed} == used, half


def test_the_forms_issue_11_asks_for_are_listed():
    required = {"az-cli", "az-debug", "powershell", "arm-json", "terraform-autorest", "terraform-go-sdk", "packer",
                "java-sdk", "python-sdk", "ansible", "escaped", "klog", "pulumi", "image-builder",
                "bicep-deployment", "go-sdk", "plain"}
    assert required <= set(readme_forms())


def test_expected_ids_exist_in_the_knowledge_base_or_new_entries(items, new_entries):
    known = set(knowledge.ids())
    proposed = {entry["id"] for entry in new_entries}
    assert known & proposed == set()
    expected = {item["expect"]["id"] for item in items if item["expect"]}
    assert expected - known - proposed == set()


def test_new_entries_are_described_once_and_used(items, new_entries):
    ids = [entry["id"] for entry in new_entries]
    assert len(ids) == len(set(ids))
    used = Counter(item["expect"]["id"] for item in items if item["expect"])
    sources = {}
    for item in items:
        if item["expect"]:
            sources.setdefault(item["expect"]["id"], set()).add(item["source"])
    for entry in new_entries:
        assert tuple(entry) == NEW_ENTRY_FIELDS, entry.get("id")
        assert _KB_ID.match(entry["id"]) and entry["id"].split(".", 1)[0] == entry["section"], entry["id"]
        assert used[entry["id"]], entry["id"]
        assert entry["title"].strip() and entry["cause_summary"].strip() and entry["tool"].strip(), entry["id"]
        assert isinstance(entry["codes"], list), entry["id"]
        assert entry["sources"] and all(_URL.match(url) for url in entry["sources"]), entry["id"]
        assert set(entry["sources"]) <= sources[entry["id"]], entry["id"]


def test_the_benchmark_compares_values_as_the_readme_says():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sys.path.insert(0, os.path.join(root, "bench"))
    import bench_corpus  # pylint: disable=import-outside-toplevel

    expected = {"region": "West US 2", "gallery": "MyGallery", "regions": "eastus, westeurope"}
    found = {"region": "westus2", "gallery": "'mygallery'", "regions": ["West Europe", "East US"]}
    assert bench_corpus.missing_values(expected, found) == []
    assert bench_corpus.missing_values({"gallery": "g1"}, {"gallery": "g2"}) == ["gallery"]
    assert bench_corpus.missing_values({"image": "i"}, {}) == ["image"]
    item = {"expect": {"id": "version.name-format", "values": {}}}
    hit = bench_corpus.judge(item, [{"id": "version.name-format", "values": {}}])
    assert hit["recall"] and not hit["wrong"] and not hit["unknown"]
    later = bench_corpus.judge(item, [{"id": None}, {"id": "version.name-format"}])
    assert later["id_later"] and not later["recall"]
    unrelated = bench_corpus.judge({"expect": None}, [{"id": None}, {"id": "vm.plan-required"}])
    assert unrelated["wrong"] and not unrelated["ok"]
    assert bench_corpus.judge({"expect": None}, [])["ok"]
