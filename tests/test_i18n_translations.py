"""The translations (kb/i18n/<language>/): complete, with exactly the English text's placeholders, in
the right script (Han; Simplified or Traditional forms) and in the right language (Swedish, Dutch).

Completeness becomes strict per language through ``azext_sig_doctor.i18n.audit.COMPLETE``: until a
language is listed there its completeness test is an xfail (strict: it fails the suite once the
language is complete and not listed). Everything else holds for whatever a language has translated,
from the first text on.
"""

import re

import pytest

from azext_sig_doctor.i18n import audit, catalog

TEXTS = audit.expected()
LANGUAGES = audit.TRANSLATED


def _pending(language):
    return pytest.param(language, marks=pytest.mark.xfail(
        strict=True, reason="translators' pending work: the {} translation of every entry, rule, message and "
                            "help summary (kb/i18n/{}/; see scripts/i18n_missing.py --language {}); add '{}' to "
                            "azext_sig_doctor.i18n.audit.COMPLETE when it is done".format(language, language,
                                                                                        language, language)))


COMPLETENESS = [language if language in audit.COMPLETE else _pending(language) for language in LANGUAGES]


@pytest.mark.parametrize("language", COMPLETENESS)
def test_every_text_exists_in_every_language(language):
    missing = audit.missing(language, TEXTS)
    assert missing == [], "{} texts of {} missing, e.g. {}".format(len(missing), language, missing[:5])


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_have_exactly_the_placeholders_of_the_english_text(language):
    """Same {name} set as the English text, no stray brace, plural forms the language has, no key
    that translates nothing (a text renamed or removed in English), notes only where English has one."""
    assert [(problem.kind, problem.text and problem.text.path, problem.detail)
            for problem in audit.problems(language, TEXTS)] == []


def test_the_expected_texts_come_from_where_they_are_written():
    from azext_sig_doctor import knowledge
    parts = {text.part for text in TEXTS}
    assert parts == set(catalog.PARTS)
    entry_ids = {text.path[0] for text in TEXTS if text.part == "entries"}
    assert entry_ids == set(knowledge.ids())
    rule_ids = {text.path[0] for text in TEXTS if text.part == "rules" and text.path[1] == "title"}
    assert rule_ids == {rule.id for rule in audit.all_rules()}


# ---- the representative slice translated with the machinery: zh-Hans -----------------------------

def _slice():
    """Every gallery.* entry, the rules that prevent them (with the messages of their groups and the
    shared ones of every check), the UI texts, the short help summaries."""
    from azext_sig_doctor import knowledge
    entries = {entry.id for entry in knowledge.load() if entry.id.startswith("gallery.")}
    rules = {rule.id for rule in audit.all_rules() if set(rule.error_ids) & entries}
    shared = {"checks.reasons", "checks.reads", "checks.runner"}
    return [text for text in TEXTS if
            (text.part == "entries" and text.path[0] in entries) or
            (text.part == "rules" and (text.path[0] in rules or text.path[0] in shared)) or
            text.part == "ui" or (text.part == "help" and text.path[1] == "short")]


def test_the_zh_hans_slice_is_complete():
    selected = _slice()
    assert len(selected) > 150
    assert audit.missing("zh-Hans", selected) == []


def test_the_swedish_interface_texts_are_complete():
    assert audit.missing("sv", [text for text in TEXTS if text.part == "ui"]) == []


# ---- script and language of what is translated ---------------------------------------------------

HAN = re.compile(r"[\u4e00-\u9fff]")
# (Simplified, Traditional) forms of characters that differ, where neither form is used in the
# other script: a Simplified text holds none of the second column, a Traditional text none of the first.
FORMS = ("库庫 复複 镜鏡 应應 门門 区區 发發 动動 设設 资資 订訂 组組 删刪 选選 请請 错錯 误誤 检檢 个個 这這 时時 "
         "们們 络絡 认認 证證 权權 写寫 读讀 务務 码碼 称稱 没沒 过過 还還 进進 运運 现現 实實 无無 开開 关關 问問 "
         "题題 数數 据據 储儲 转轉 换換 变變 态態 败敗 创創 执執 从從 经經 给給 长長 断斷 录錄 为為 与與 将將 对對 "
         "该該 确確 说說 条條 虚虛 拟擬 机機 网網 页頁 单單 击擊 级級 户戶 处處 见見 览覽 结結 环環").split()
SIMPLIFIED = "".join(pair[0] for pair in FORMS)
TRADITIONAL = "".join(pair[1] for pair in FORMS)
WORDS = {
    # Words any running text of the language has, and words of English that none of it should have.
    "sv": ({"och", "att", "inte", "är", "en", "ett", "det", "som", "för", "med", "på", "av", "till", "den", "har",
            "kan", "ska", "eller", "i", "om", "när", "finns", "måste", "ingen", "inget"}, ("å", "ä", "ö")),
    "nl": ({"het", "een", "niet", "de", "van", "en", "op", "te", "voor", "met", "dat", "die", "wordt", "zijn", "is",
            "in", "of", "geen", "kan", "moet", "naar", "om", "als", "bij"}, ()),
}
ENGLISH_WORDS = {"the", "and", "not", "this", "with", "which", "when", "must", "cannot", "does", "from"}
CORPUS_WORDS = {"sv": ("och", "att", "inte"), "nl": ("het", "een", "niet", "de")}


def _texts(language):
    """The translated texts that are words (a text kept as the English one, "Id", "SKU", is not)."""
    return [translated for english, translated in audit.texts_of(language) if translated.strip() != english.strip()]


def _words(text):
    # Placeholders, commands in backquotes and option names are not words of the language.
    text = re.sub(r"\{[^}]*\}|`[^`]*`|--?[a-z][\w-]*|az [^;:,()（）]*", " ", text)
    return re.findall(r"[^\W\d_]+", text.lower())


def _with_texts(language):
    texts = _texts(language)
    if not texts:
        if language in audit.COMPLETE:
            pytest.fail("{} is listed as complete but has no translated text".format(language))
        pytest.xfail("translators' pending work: nothing is translated into {} yet".format(language))
    return texts


@pytest.mark.parametrize("language, foreign", [pytest.param("zh-Hans", TRADITIONAL, id="zh-Hans"),
                                               pytest.param("zh-Hant", SIMPLIFIED, id="zh-Hant")])
def test_chinese_is_written_in_han_characters_of_its_own_script(language, foreign):
    texts = _with_texts(language)
    without_han = [text for text in texts if len(_words(text)) and not HAN.search(text)]
    assert without_han == []
    other_forms = [(text, sorted(set(text) & set(foreign))) for text in texts if set(text) & set(foreign)]
    assert other_forms == []
    # Full-width punctuation carries its own space: a space after it is a left-over of line folding.
    assert [text for text in texts if re.search("[，。；：、）] ", text)] == []


@pytest.mark.parametrize("language", ["sv", "nl"])
def test_swedish_and_dutch_are_written_in_their_own_words(language):
    texts = _with_texts(language)
    common, letters = WORDS[language]
    sentences = [text for text in texts if len(_words(text)) >= 6]
    not_the_language = [text for text in sentences if not set(_words(text)) & common]
    assert not_the_language == []
    english = [text for text in sentences if len(set(_words(text)) & ENGLISH_WORDS) >= 2]
    assert english == []
    corpus = " ".join(texts).lower()
    if letters:
        assert any(letter in corpus for letter in letters)
    if language in audit.COMPLETE:
        words = set(_words(corpus))
        assert set(CORPUS_WORDS[language]) <= words


def test_the_script_checks_catch_the_other_script_and_english():
    assert set("库名称") & set(TRADITIONAL) == set() and set("資源庫") & set(SIMPLIFIED) == set()
    assert set("映像版本复制") & set(SIMPLIFIED) and set("映像版本複寫") & set(TRADITIONAL)
    assert not set(_words("The gallery name is not valid and cannot be used")) & WORDS["sv"][0] - {"i"}
    assert len(set(_words("Galleriets namn är inte giltigt och kan inte användas")) & WORDS["sv"][0]) >= 3
    assert len(set(_words("De naam van de galerie is niet geldig en kan niet worden gebruikt")) & WORDS["nl"][0]) >= 3
