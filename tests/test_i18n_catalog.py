"""The catalog of texts: every message the code makes exists in English with exactly the values the
code gives it; messages read as English and render in the chosen language; entries, rules, the
explain report and the table headings take the current language."""

import copy
import os
import pickle

import pytest
import yaml

from azext_sig_doctor import knowledge
from azext_sig_doctor.i18n import ENGLISH, LANGUAGES, catalog, current, using
from azext_sig_doctor.i18n.catalog import msg, render
from tests.i18n_calls import calls

CALLS = calls()


def test_the_source_holds_message_calls():
    assert len(CALLS) > 250, len(CALLS)


@pytest.mark.parametrize("call", [c for c in CALLS if c.group and c.key],
                         ids=lambda c: "{}:{}".format(c.path.replace("azext_sig_doctor/", ""), c.line))
def test_every_message_of_the_code_exists_in_english_with_the_values_given(call):
    text = catalog.english(call.group, call.key)
    wanted = catalog.placeholders(text)
    if call.splat:
        assert call.values <= wanted | {"count"}
        return
    assert call.values - {"count"} == wanted - {"count"}, "{} gives {}, the text names {}".format(
        call, sorted(call.values), sorted(wanted))
    if isinstance(text, dict):
        assert "count" in call.values, "a plural message needs count"


def test_every_english_message_is_used_by_the_code():
    """A message no call names is dead text translators would translate for nothing. Groups whose
    keys the code composes (``"exists-" + kind``) are checked by the runs that use them."""
    used = {(c.group, c.key) for c in CALLS if c.group and c.key}
    composed = {c.group for c in CALLS if c.group and not c.key}
    dead = [(group, key) for part in catalog.MESSAGE_PARTS for group, texts in catalog.part(ENGLISH, part).items()
            for key in texts if (group, key) not in used and group not in composed]
    assert dead == []


def test_the_english_catalog_is_well_formed():
    for part in catalog.MESSAGE_PARTS:
        data = catalog.part(ENGLISH, part)
        assert data, part
        for group, texts in data.items():
            assert isinstance(group, str) and isinstance(texts, dict), group
            for key, text in texts.items():
                # YAML 1.1 reads on/off/yes/no as booleans: a key must stay a string.
                assert isinstance(key, str), (group, key)
                assert part != "rules" or key not in catalog.RULE_FIELDS, (group, key)
                assert isinstance(text, str) or (isinstance(text, dict) and set(text) == {"one", "other"}), key
                catalog.placeholders(text)  # no stray brace


def test_a_message_reads_as_english_and_renders_in_any_language(monkeypatch):
    message = msg("gallery.name-format", "invalid", name="my-gallery",
                  reason=msg("gallery.name-format", "characters-not-allowed", characters="'-'"))
    assert message == "Gallery name 'my-gallery' is invalid: characters not allowed: '-'."
    assert isinstance(message, str) and "invalid" in message
    assert render(message, "zh-Hans") == "库名称“my-gallery”无效：含有不允许的字符：'-'。"
    assert render(message, "nl") == "Galerienaam 'my-gallery' is ongeldig: niet-toegestane tekens: '-'."
    # A language that has not translated it (yet) writes English.
    loaded = catalog.messages
    monkeypatch.setattr(catalog, "messages", lambda language: {} if language == "nl" else loaded(language))
    assert render(message, "nl") == str(message)
    with using("zh-Hans"):
        assert current() == "zh-Hans" and render(message).startswith("库名称")
    assert current() == ENGLISH
    for copied in (copy.deepcopy(message), pickle.loads(pickle.dumps(message))):
        assert copied == message and render(copied, "zh-Hans") == render(message, "zh-Hans")
    assert type(render(message, ENGLISH)) is str  # plain text leaves the catalog: output formats know str


def test_plural_forms_follow_the_count_and_the_language():
    one = msg("gallery.region-available", "offered", regions="eastus", count=1)
    two = msg("gallery.region-available", "offered", regions="eastus, westus", count=2)
    assert (one, two) == ("eastus offers galleries.", "eastus, westus offer galleries.")
    assert render(two, "zh-Hans") == "eastus, westus 提供库。"
    assert catalog.plural({"one": "a", "other": "b"}, "sv", 1) == "a"
    assert catalog.plural({"one": "a", "other": "b"}, "zh-Hant", 1) == "b"


def test_a_broken_translation_falls_back_to_english(monkeypatch):
    message = msg("gallery.name-format", "valid", name="g")
    broken = dict(catalog.messages("zh-Hans"))
    broken["gallery.name-format"] = dict(broken["gallery.name-format"], valid="{nom} 有效")
    monkeypatch.setattr(catalog, "messages", lambda language: broken if language == "zh-Hans" else
                        catalog.messages.__wrapped__(language))
    assert render(message, "zh-Hans") == "Gallery name 'g' is valid."


def test_an_unknown_message_is_refused_when_made():
    with pytest.raises(KeyError, match="no English text for message gallery.name-format/nothing"):
        msg("gallery.name-format", "nothing")


def test_an_entry_is_localized_without_touching_what_is_not_words(monkeypatch):
    entry = knowledge.get("gallery.nested-resources-exist")
    local = catalog.localized(entry, "zh-Hans")
    assert local.data["title"] != entry.data["title"] and "映像定义" in local.data["cause"]
    assert [c["az"] for c in local.data["commands"]] == [c["az"] for c in entry.data["commands"]]
    assert local.data["commands"][2]["note"] == "每个版本各执行一次"
    assert local.data["signatures"] == entry.data["signatures"] and local.id == entry.id
    assert catalog.localized(entry, ENGLISH) is entry
    # A language without a translation of the entry gets the entry itself (English).
    monkeypatch.setattr(catalog, "part", lambda language, kind: {})
    assert catalog.localized(entry, "nl") is entry
    # The loaded knowledge base stays English: matching reads it.
    assert knowledge.get("gallery.nested-resources-exist").data["title"] == entry.data["title"]


def test_rendered_guidance_is_in_the_current_language_with_the_same_commands():
    from azext_sig_doctor.domain.guidance import render as guide
    entry = knowledge.get("gallery.resource-group-not-found")
    values = {"resource_group": "rg1", "region": "westeurope"}
    english = guide(entry, values).fields()
    with using("zh-Hans"):
        chinese = guide(entry, values).fields()
    assert chinese["commands"] == english["commands"] and chinese["powershell"] == english["powershell"]
    assert "rg1" in chinese["cause"] and chinese["cause"] != english["cause"]
    assert chinese["command_notes"][1].startswith("仅当")
    # The note said of an az line standing in for a PowerShell line is in the language too.
    with using("zh-Hans"):
        assert knowledge.az_in_powershell_note("先运行") == \
            "这是一条 az CLI 命令（此步骤没有已知的 Az PowerShell 命令）；请检查它在 PowerShell 中的引号；先运行"


def test_rule_titles_are_translated_where_they_are():
    from azext_sig_doctor.checks import registry
    rule = registry.get("gallery.name-format")
    assert catalog.rule_text(rule, "title", "zh-Hans").startswith("库名称")
    assert catalog.rule_text(rule, "description", "sv").startswith("Tjänsten avvisar")
    assert catalog.rule_text(rule) == rule.title


def _finding():
    return {"id": "gallery.name-invalid", "title": "T", "line": 3, "code": "InvalidParameter", "count": 2,
            "resource": {"gallery": "my-gallery"}, "operation": {"method": "PUT"}, "cause": "C", "fix": "F",
            "commands": ["az sig list"], "command_notes": ["note"]}


@pytest.mark.parametrize("language, words", [
    (ENGLISH, ["1 failure found.", "   cause: C", "   fix: F", "   run: az sig list", "        # note",
               "1. line 3: T (x2)", "   on: PUT my-gallery"]),
    ("sv", ["1 fel hittades.", "   orsak: C", "   åtgärd: F", "   kör: az sig list", "1. rad 3: T (x2)"]),
    ("zh-Hans", ["发现 1 个失败。", "   原因：C", "   解决方法：F", "   运行：az sig list", "1. 第 3 行：T（×2）"]),
])
def test_the_explain_report_speaks_the_language(language, words):
    from azext_sig_doctor.explain import render as report
    with using(language):
        text = report.report([_finding()])
    for line in words:
        assert line in text.split("\n"), (line, text)


def test_table_headings_are_in_the_language_and_the_rows_the_same():
    from azext_sig_doctor import _format
    result = {"findings": [{"status": "fail", "rule": "gallery.name-format", "error_id": "gallery.name-invalid",
                            "detail": "d", "fix": "f"}]}
    english = _format.check_table(result)
    with using("zh-Hans"):
        chinese = _format.check_table(result)
    assert list(english[0]) == ["Status", "Rule", "Error id", "Detail", "Fix"]
    assert list(chinese[0]) == ["结果", "规则", "错误 id", "详情", "解决方法"]
    assert list(english[0].values()) == list(chinese[0].values())


def test_every_language_folder_has_every_file_and_only_those():
    for language in LANGUAGES:
        folder = os.path.join(catalog.I18N_DIR, language)
        names = sorted(name for name in os.listdir(folder) if not name.startswith("."))
        wanted = sorted(part + ".yaml" for part in (catalog.MESSAGE_PARTS if language == ENGLISH else catalog.PARTS))
        assert names == wanted, language
        for name in names:
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                data = yaml.safe_load(handle)
            assert data is None or isinstance(data, dict), (language, name)


def _strings(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


@pytest.mark.parametrize("language", [ENGLISH, "zh-Hans"])
def test_reports_hold_plain_text_only(language):
    """Messages are rendered before they leave: -o yaml (safe_dump) knows no str subclass."""
    from tests.test_checks_framework import _broken_report
    with using(language):
        data = _broken_report().to_dict()
    assert data["language"] == language
    odd = [text for text in _strings(data) if type(text) is not str]
    assert odd == []
    yaml.safe_dump(json_round_trip(data))


def json_round_trip(data):
    import json
    return json.loads(json.dumps(data))
