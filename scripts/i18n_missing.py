#!/usr/bin/env python
"""Which texts each language still lacks, and what is wrong in what it has.

    .venv/bin/python scripts/i18n_missing.py                      # a summary per language and file
    .venv/bin/python scripts/i18n_missing.py --language sv        # every missing text of sv, with its English
    .venv/bin/python scripts/i18n_missing.py --language sv --template --part rules > /tmp/sv-rules.yaml
                                                                  # a YAML skeleton to translate and merge
    .venv/bin/python scripts/i18n_missing.py --check              # exit 1 on a problem in any language, or
                                                                  # on a missing text of a language listed
                                                                  # in azext_sig_doctor.i18n.audit.COMPLETE

The texts are found where they are written (kb/*.yaml, the rule registries, kb/i18n/en/, _help.py),
so new entries, rules and messages show up here without any list to update.
"""

import argparse
import json
import os
import sys
from collections import Counter, OrderedDict

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from azext_sig_doctor.i18n import audit, catalog  # noqa: E402  (after the path is set)


def _label(text):
    return "{}:{}".format(text.part, ".".join(str(key) for key in text.path))


def summary(texts):
    total = Counter(text.part for text in texts)
    print("{:<8} {:>8} {:>8} {:>8} {:>8} {:>9}".format("language", *catalog.PARTS, "problems"))
    for language in audit.TRANSLATED:
        missing = Counter(text.part for text in audit.missing(language, texts))
        cells = ["{}/{}".format(total[part] - missing[part], total[part]) for part in catalog.PARTS]
        print("{:<8} {:>8} {:>8} {:>8} {:>8} {:>9}".format(language, *cells, len(audit.problems(language, texts))))
    print("\ntranslated/total per file of kb/i18n/<language>/; complete (strict): {}".format(
        ", ".join(audit.COMPLETE) or "none yet"))


def listing(language, texts, part=None):
    for text in audit.missing(language, texts):
        if part and text.part != part:
            continue
        print("{}\n    {}".format(_label(text), json.dumps(text.english, ensure_ascii=False)))
    for problem in audit.problems(language, texts):
        where = _label(problem.text) if problem.text else ""
        print("PROBLEM {} {}: {}".format(problem.kind, where, problem.detail))


def template(language, texts, part=None):
    """The missing texts as YAML to fill in: English as a comment above each key, the value empty."""
    tree = OrderedDict()
    for text in audit.missing(language, texts):
        if part and text.part != part:
            continue
        tree.setdefault(text.part, OrderedDict()).setdefault(text.path[0], []).append(text)
    for file_part, groups in tree.items():
        print("# ---- kb/i18n/{}/{}.yaml ----".format(language, file_part))
        for group, items in groups.items():
            print("{}:".format(group))
            notes = [item for item in items if len(item.path) == 3]
            for item in items:
                if len(item.path) == 3:
                    continue
                print("  # {}".format(_one_line(item.english)))
                if isinstance(item.english, dict):
                    print("  {}:".format(item.path[1]))
                    for form in catalog.PLURAL_FORMS[language]:
                        print("    {}: \"\"".format(form))
                else:
                    print("  {}: \"\"".format(item.path[1]))
            if notes:
                entry = _entry(group)
                print("  notes:  # one per command of the entry, null where the English has no note")
                for command in entry.data.get("commands") or []:
                    if command.get("note"):
                        print("    # {}".format(_one_line(command["note"])))
                        print("    - \"\"")
                    else:
                        print("    - null")
            print()


def _entry(entry_id):
    from azext_sig_doctor import knowledge
    return knowledge.get(entry_id)


def _one_line(text):
    return json.dumps(text, ensure_ascii=False)


def check(texts):
    failed = False
    for language in audit.TRANSLATED:
        for problem in audit.problems(language, texts):
            failed = True
            print("{} PROBLEM {} {}: {}".format(language, problem.kind, _label(problem.text) if problem.text else "",
                                                problem.detail))
        if language in audit.COMPLETE:
            for text in audit.missing(language, texts):
                failed = True
                print("{} MISSING {}".format(language, _label(text)))
    print("i18n: {}".format("problems found" if failed else "ok"))
    return 1 if failed else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--language", choices=audit.TRANSLATED)
    parser.add_argument("--part", choices=catalog.PARTS, help="only the texts of this file")
    parser.add_argument("--template", action="store_true", help="print the missing texts as YAML to fill in")
    parser.add_argument("--check", action="store_true", help="exit 1 on problems (and on gaps of complete languages)")
    args = parser.parse_args(argv)
    texts = audit.expected()
    if args.check:
        return check(texts)
    if args.language and args.template:
        template(args.language, texts, args.part)
    elif args.language:
        listing(args.language, texts, args.part)
    else:
        summary(texts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
