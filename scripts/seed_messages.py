#!/usr/bin/env python
"""The error messages of the localized editions of the troubleshooting article (the seed documents).

    .venv/bin/python scripts/seed_messages.py [SEEDS_DIR]   # rewrites tests/seeds/messages.json

The editions live outside the repository (../shared/reference/seeds from the project root); the
messages read from them are kept verbatim in tests/seeds/messages.json, with their source file, for
tests/test_seed_recognition.py.

Each edition lists, per section, the messages users see followed by their cause (sv-SE, nl-NL,
zh-CN), or the causes alone as bold lines (the older zh-TW edition). A message's position in its
section is the one the knowledge base's ``refs`` name (``sv-SE/version/7``).
"""

import glob
import json
import os
import re
import sys
from collections import Counter, namedtuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS_DIR = os.path.join(ROOT, os.pardir, "shared", "reference", "seeds")
OUTPUT = os.path.join(ROOT, "tests", "seeds", "messages.json")
SeedMessage = namedtuple("SeedMessage", "lang section position text source")

# Anchor words of the editions' section headings, most specific first (a VM section's anchor also
# names the image version; the zh-TW gallery anchor says "shared").
_SECTION_ANCHORS = (("vm", "vm-or-"), ("disk", "disk-from"), ("gallery", "galler"),
                    ("definition", "image-definition"), ("version", "image-version"),
                    ("sharing", "share"), ("replication", "replication"), ("limits", "limits"))
_HEADING = re.compile(r'^## <a name="([^"]+)"')
# The line after a message: its cause, or its solution when the edition gives no cause.
_FOLLOWER = re.compile(r"^\s*\**\s*(原因|Orsak|Oorzaak|解决方法|Lösning|Tijdelijke oplossing)\s*\**\s*[:：]")
_ZH_TW_CAUSE = re.compile(r"^(?!\*\*)(.+?)\*\*\s*$|^\*([^*].*)\*\s*$")


def _section(anchor):
    return next((section for section, word in _SECTION_ANCHORS if word in anchor), None)


def read(path):
    """The messages of one edition, in order."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    lang = re.search(r"ms\.contentlocale:\s*(\S+)", text).group(1)
    messages, block, section, positions = [], [], None, Counter()
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            section, block = _section(heading.group(1)), []
            continue
        if section is None:
            continue
        if lang == "zh-TW":
            cause = _ZH_TW_CAUSE.match(line.strip())
            block = [(cause.group(1) or cause.group(2)).strip()] if cause else []
        elif not _FOLLOWER.match(line):
            # A blank line, a list item or another bold line ends what may be a message.
            block = [] if (not line.strip() or line.startswith(("- ", "**"))) else block + [line.strip()]
            continue
        if block:
            positions[section] += 1
            messages.append(SeedMessage(lang, section, positions[section], " ".join(block), os.path.basename(path)))
            block = []
    return messages


def all_messages(seeds_dir):
    paths = sorted(glob.glob(os.path.join(seeds_dir, "*.txt")))
    return [message for path in paths for message in read(path)]


def main(argv):
    seeds_dir = argv[1] if len(argv) > 1 else SEEDS_DIR
    messages = all_messages(seeds_dir)
    if not messages:
        sys.exit("no seed documents (*.txt) in {}: give their folder as the first argument".format(seeds_dir))
    with open(OUTPUT, "w", encoding="utf-8") as handle:
        json.dump([message._asdict() for message in messages], handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    print("{} messages: {}".format(len(messages), dict(Counter(message.lang for message in messages))))


if __name__ == "__main__":
    main(sys.argv)
