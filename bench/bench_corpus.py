"""Recall of `az sig doctor explain` on the real-world corpus (tests/corpus, issue 11).

    .venv/bin/python bench/bench_corpus.py [--half tuning|check|all] [--misses]

Runs ``azext_sig_doctor.explain.explain_text(text)`` in-process on every item of the chosen half
(default: both halves, then the whole) and prints, per scope:

  * recall   - related items (``expect`` set) whose FIRST finding has the expected id AND carries
               every expected value (compared case-insensitively, trimmed of quotes; values of
               region placeholders through ``domain.regions.key``);
  * wrong    - items where some finding has a non-null id other than the expected one; for
               unrelated items (``expect: null``) any finding with an id is wrong;
  * unknown  - items where no finding has an id (nothing matched, or nothing found at all);
  * recall-kb - the same, over the related items whose expected id is already in the knowledge
               base (the others expect an id proposed in tests/corpus/new_entries.json);
  * id-only  - related items whose first finding has the right id but misses an expected value;
  * id-later - related items whose right id comes only in a later finding (the first has no id);
  * unmatched-ok - unrelated items that stayed unmatched (the right answer for them);
  * the same figures per form and per section, and the counts of the first findings'
    ``confidence`` and ``matched_by`` fields when findings carry them.

The metrics are counted independently (an item can be in recall and also have a later wrong
finding). ``--misses`` lists the related items not recalled and the unrelated items matched,
with their ids. The check half is the honest test: do not list its misses while writing
signatures (with ``--half all`` only the tuning misses are listed; ask ``--half check`` for those).
"""

import argparse
import os
import sys
from collections import Counter, OrderedDict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests", "corpus"))

import split_corpus  # noqa: E402  (from tests/corpus, put on the path above)

from azext_sig_doctor import knowledge  # noqa: E402
from azext_sig_doctor.domain import regions  # noqa: E402
from azext_sig_doctor.explain import explain_text  # noqa: E402

_QUOTES = "\"'`\u2018\u2019\u201c\u201d"


def _is_region(name):
    return "region" in name or "location" in name


def _norm(name, value):
    text = str(value).strip().strip(_QUOTES).strip()
    if _is_region(name):
        return regions.key(text)
    return text.lower()


def _norm_set(name, value):
    """A value as the set of its normalised parts (lists, and region lists written 'a, b')."""
    if isinstance(value, (list, tuple, set)):
        parts = value
    elif _is_region(name) and "," in str(value):
        parts = str(value).split(",")
    else:
        parts = [value]
    return {_norm(name, part) for part in parts if str(part).strip()}


def missing_values(expected, found):
    """Expected placeholders whose value the finding does not repeat."""
    found = found or {}
    missing = []
    for name, value in sorted(expected.items()):
        if name not in found or found[name] is None:
            missing.append(name)
            continue
        if not _norm_set(name, value) <= _norm_set(name, found[name]):
            missing.append(name)
    return missing


_KNOWN = []


def _known_ids():
    if not _KNOWN:
        _KNOWN.append(frozenset(knowledge.ids()))
    return _KNOWN[0]


def judge(item, findings):
    """The outcome of one item: a dict of flags and what the first finding said."""
    expect = item["expect"]
    first = findings[0] if findings else {}
    first_id = first.get("id")
    ids = [finding.get("id") for finding in findings if finding.get("id")]
    outcome = {"first": first_id, "confidence": first.get("confidence", None) if "confidence" in first else None,
               "matched_by": first.get("matched_by", None) if "matched_by" in first else None,
               "has_confidence": "confidence" in first, "has_matched_by": "matched_by" in first,
               "unknown": not ids, "missing": []}
    if expect is None:
        outcome.update(related=False, recall=False, id_only=False, id_later=False, wrong=bool(ids), ok=not ids)
        return outcome
    wanted = expect["id"]
    missing = missing_values(expect.get("values") or {}, first.get("values")) if first_id == wanted else []
    recall = first_id == wanted and not missing
    outcome.update(related=True, recall=recall, in_kb=wanted in _known_ids(),
                   id_only=first_id == wanted and bool(missing), missing=missing,
                   id_later=first_id is None and wanted in ids, wrong=any(found != wanted for found in ids),
                   ok=recall)
    return outcome


def run(items):
    results = []
    for item in items:
        try:
            findings = explain_text(item["text"]).findings
            error = None
        except Exception as exc:  # pylint: disable=broad-except
            findings, error = [], "{}: {}".format(type(exc).__name__, exc)
        outcome = judge(item, findings)
        outcome["error"] = error
        if error:
            outcome["unknown"] = True
        results.append((item, outcome))
    return results


def _pct(part, whole):
    return "{:5.1f}%".format(100.0 * part / whole) if whole else "    -"


def _figures(results):
    related = [outcome for _, outcome in results if outcome["related"]]
    unrelated = [outcome for _, outcome in results if not outcome["related"]]
    return OrderedDict([
        ("items", len(results)),
        ("related", len(related)),
        ("recall", sum(o["recall"] for o in related)),
        ("in-kb", sum(o["in_kb"] for o in related)),
        ("recall-kb", sum(o["recall"] and o["in_kb"] for o in related)),
        ("id-only", sum(o["id_only"] for o in related)),
        ("id-later", sum(o["id_later"] for o in related)),
        ("wrong", sum(o["wrong"] for o in related)),
        ("unknown", sum(o["unknown"] for o in related)),
        ("unrelated", len(unrelated)),
        ("unmatched-ok", sum(o["ok"] for o in unrelated)),
        ("wrong-unrel", sum(o["wrong"] for o in unrelated)),
        ("errors", sum(1 for _, o in results if o["error"])),
    ])


def _summary(name, results):
    fig = _figures(results)
    lines = ["== {} ==".format(name),
             "items {items}  related {related}  unrelated {unrelated}".format(**fig),
             "recall        {:4d}/{:<4d} {}".format(fig["recall"], fig["related"], _pct(fig["recall"], fig["related"])),
             "recall-kb     {:4d}/{:<4d} {}  (expected id already in the knowledge base)".format(
                 fig["recall-kb"], fig["in-kb"], _pct(fig["recall-kb"], fig["in-kb"])),
             "id-only       {:4d}/{:<4d} {}".format(fig["id-only"], fig["related"],
                                                    _pct(fig["id-only"], fig["related"])),
             "id-later      {:4d}/{:<4d} {}".format(fig["id-later"], fig["related"],
                                                    _pct(fig["id-later"], fig["related"])),
             "wrong         {:4d}/{:<4d} {}".format(fig["wrong"], fig["related"], _pct(fig["wrong"], fig["related"])),
             "unknown       {:4d}/{:<4d} {}".format(fig["unknown"], fig["related"],
                                                    _pct(fig["unknown"], fig["related"])),
             "unmatched-ok  {:4d}/{:<4d} {}  (unrelated items left unmatched)".format(
                 fig["unmatched-ok"], fig["unrelated"], _pct(fig["unmatched-ok"], fig["unrelated"])),
             "wrong-unrel   {:4d}/{:<4d} {}  (unrelated items given an id)".format(
                 fig["wrong-unrel"], fig["unrelated"], _pct(fig["wrong-unrel"], fig["unrelated"]))]
    if fig["errors"]:
        lines.append("errors        {:4d}  (explain_text raised; counted unknown)".format(fig["errors"]))
    return lines


def _table(title, key, results):
    groups = OrderedDict()
    for item, outcome in sorted(results, key=lambda pair: pair[0][key]):
        groups.setdefault(item[key], []).append((item, outcome))
    lines = ["-- by {} --".format(title),
             "{:<20} {:>5} {:>7} {:>7} {:>6} {:>8} {:>7} {:>6}".format(
                 title, "items", "related", "recall", "wrong", "unknown", "unrel", "u-ok")]
    for name, group in groups.items():
        fig = _figures(group)
        lines.append("{:<20} {:>5} {:>7} {:>7} {:>6} {:>8} {:>7} {:>6}".format(
            name, fig["items"], fig["related"], fig["recall"], fig["wrong"] + fig["wrong-unrel"], fig["unknown"],
            fig["unrelated"], fig["unmatched-ok"]))
    return lines


def _fields(results):
    lines = []
    for field in ("confidence", "matched_by"):
        carried = [o for _, o in results if o["has_" + field]]
        if not carried:
            continue
        counts = Counter(str(o[field]) for o in carried)
        lines.append("-- first finding {} --".format(field))
        lines.extend("{:<20} {:>5}".format(value, counts[value]) for value in sorted(counts))
    return lines


def _misses(results):
    lines = []
    for item, outcome in results:
        if outcome["ok"]:
            continue
        expected = item["expect"]["id"] if item["expect"] else "(none)"
        detail = ""
        if outcome["missing"]:
            detail = "  missing values: " + ", ".join(outcome["missing"])
        if outcome["error"]:
            detail += "  error: " + outcome["error"]
        lines.append("{}  {:<18} {:<12} expected {}  got {}{}".format(
            item["id"], item["form"], item["section"], expected, outcome["first"] or "-", detail))
    return lines


def report(halves, show_misses):
    """The printed report for the chosen halves ({'tuning': results, 'check': results})."""
    scopes = OrderedDict(halves)
    if len(halves) > 1:
        scopes["all"] = [pair for results in halves.values() for pair in results]
    lines = []
    for name, results in scopes.items():
        lines.extend(_summary(name, results))
        lines.extend(_table("form", "form", results))
        lines.extend(_table("section", "section", results))
        lines.extend(_fields(results))
        lines.append("")
    if show_misses:
        for name, results in halves.items():
            misses = _misses(results)
            if name == "check" and len(halves) > 1:
                lines.append("== misses: check == {} (listed only with --half check; not while writing "
                             "signatures)".format(len(misses)))
                continue
            lines.append("== misses: {} == {}".format(name, len(misses)))
            lines.extend(misses)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=("tuning", "check", "all"), default="all")
    parser.add_argument("--misses", action="store_true", help="list the items not answered right, with ids")
    args = parser.parse_args(argv)
    names = split_corpus.HALVES if args.half == "all" else (args.half,)
    halves = OrderedDict((name, run(split_corpus.load(name))) for name in names)
    sys.stdout.write(report(halves, args.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
