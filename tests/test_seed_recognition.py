"""Every message the localized editions of the troubleshooting article print is recognised as its entry.

tests/seeds/messages.json holds the messages verbatim, read from the editions by
scripts/seed_messages.py; a message's position (``sv-SE/version/7``) is the ref its entry names.
The editions' translations changed punctuation, spacing and the placeholders (``<galleryName \\>``),
and the recognition has to tolerate that: the texts are explained as they are.
"""

import json
import os
from collections import Counter

import pytest

from azext_sig_doctor import knowledge
from azext_sig_doctor.explain import explain_text

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "seeds", "messages.json"), encoding="utf-8") as _handle:
    MESSAGES = json.load(_handle)
OWNER = {ref: entry.id for entry in knowledge.load() for ref in entry.refs}


IMAGE = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/" \
        "galleries/gal/images/img/versions/1.0.0"
# A few messages say nothing of what they are about (an invalid imageReference, a read refused): their
# entries require the context a log gives, as the edition's section heading gives it to its reader.
CONTEXT = {"gallery": "az disk create -g rg -n disk1 --gallery-image-reference " + IMAGE,
           "vm": "az vm create -g rg -n vm1 --image " + IMAGE}


def _ref(message):
    return "{lang}/{section}/{position}".format(**message)


def _as_logged(message):
    requires = knowledge.get(OWNER[_ref(message)]).data.get("requires") or ()
    context = next((CONTEXT[kind] for kind in CONTEXT if kind in requires), None)
    return context + "\n" + message["text"] if context else message["text"]


def test_every_edition_gives_its_messages():
    # What the reader found in each edition: a change of scripts/seed_messages.py that loses messages fails.
    assert Counter(message["lang"] for message in MESSAGES) == {"zh-CN": 70, "sv-SE": 71, "nl-NL": 70, "zh-TW": 12}
    assert all(_ref(message) in OWNER for message in MESSAGES), [_ref(m) for m in MESSAGES if _ref(m) not in OWNER]


@pytest.mark.parametrize("message", MESSAGES, ids=_ref)
def test_a_seed_message_is_recognised_as_its_entry(message):
    findings = explain_text(_as_logged(message)).findings
    assert [finding["id"] for finding in findings][:1] == [OWNER[_ref(message)]], message["text"]


@pytest.mark.parametrize("lang", ["zh-CN", "zh-TW", "sv-SE", "nl-NL"])
def test_an_edition_has_signatures_of_its_own(lang):
    # Recognised by its own wording, not by a code or an English fragment left in the translation.
    entries = {OWNER[_ref(message)] for message in MESSAGES if message["lang"] == lang}
    with_own = {entry.id for entry in knowledge.load()
                if any(signature.get("lang") == lang for signature in entry.signatures)}
    assert entries - with_own == set()


@pytest.mark.parametrize("state,api", [("“专用”", "Specialized"), ("“通用”", "Generalized")])
def test_a_translated_os_state_reaches_the_guidance_in_the_apis_words(state, api):
    # The zh-CN edition translates the states; --os-state takes Generalized or Specialized only.
    text = ("无法从 /subscriptions/3f2c8a1e-5b7d-4e9a-9c61-2d4b8f0a7e15/resourceGroups/rg/providers/Microsoft.Compute/"
            "virtualMachines/vm1 创建库映像版本，因为父库映像中的 OS 状态(Specialized)不是{}。".format(state))
    [finding] = explain_text(text).findings
    assert finding["id"] == "version.os-state-mismatch" and finding["values"]["os_state2"] == api
    assert "--os-state " + api in finding["fix"]
