"""The chosen language through the real `az` against the emulator: the same JSON (keys, ids, statuses,
values, commands) with the words translated and `language` set; the terminal report, the tables and
the help in the language; and no --language ever carried into a core az command."""

import os
import pty
import select as io_select
import subprocess

import pytest

from tests.emulator import azenv
from tests.test_checks_e2e import GOOD_VM, SCENARIO, VERSION

HAN = set(chr(code) for code in range(0x4E00, 0xA000))
# The words of a finding (translated); everything else of the report is the same in every language.
WORDS = {"title", "detail", "cause", "fix", "command_notes", "powershell_notes", "unresolved"}


def _has_han(text):
    return bool(set(text or "") & HAN)


def _same_shape(english, other, path=""):
    """The same keys everywhere and the same values but for the words of findings and ``language``."""
    if isinstance(english, dict):
        assert set(english) == set(other), path
        for key in english:
            if key in WORDS or key == "language" or (key == "reason" and ".fix_details" in path):
                continue
            _same_shape(english[key], other[key], "{}.{}".format(path, key))
    elif isinstance(english, list):
        assert len(english) == len(other), path
        for index, (left, right) in enumerate(zip(english, other)):
            _same_shape(left, right, "{}[{}]".format(path, index))
    else:
        assert english == other, path


@pytest.fixture(scope="module")
def version_reports(emulator):
    emulator.load(SCENARIO)
    args = ["sig", "doctor"] + VERSION + ["--virtual-machine", GOOD_VM, "--target-regions", "eastus",
                                          "brazilsoutheast", "-o", "json"]
    english = emulator.az(*args)
    chinese = emulator.az(*args, "--language", "zh-Hans")
    assert english.json is not None and chinese.json is not None, (english.stderr, chinese.stderr)
    return english, chinese


def test_check_version_in_zh_hans_keeps_keys_and_ids_and_translates_the_words(version_reports):
    english, chinese = version_reports
    assert english.exit_code == chinese.exit_code == 1
    assert (english.json["language"], chinese.json["language"]) == ("en", "zh-Hans")
    _same_shape(english.json, chinese.json)
    by_rule = {finding["rule"]: (finding, other) for finding, other in zip(english.json["findings"],
                                                                           chinese.json["findings"])}
    finding, translated = by_rule["gallery.region-available"]
    assert finding["status"] == translated["status"] == "fail"
    assert finding["error_id"] == translated["error_id"] == "gallery.region-not-available"
    assert finding["title"] == "Galleries cannot be created in the requested region"
    assert translated["title"] == "无法在请求的区域中创建库"
    assert "brazilsoutheast" in translated["detail"] and _has_han(translated["detail"])
    assert "brazilsoutheast" in translated["cause"] and translated["cause"].startswith("此订阅不能在位置")
    assert translated["commands"] == finding["commands"] and translated["commands"]
    # Rules that passed carry their title and detail in the language too.
    passed, passed_translated = by_rule["gallery.resource-group-exists"]
    assert passed["status"] == "pass" and passed_translated["title"] == "请求中的资源组存在"
    assert passed_translated["detail"] == "资源组“chk-rg”存在。"
    other, other_translated = by_rule["version.name-format"]
    assert other["detail"] == "Version name '2.0.0' is valid."
    assert other_translated["detail"] == "版本名称“2.0.0”有效。"


def test_check_table_headings_are_in_the_language(emulator):
    emulator.load(SCENARIO)
    result = emulator.az("sig", "doctor", "check-gallery", "-g", "chk-rg", "-r", "chk-gallery", "-l", "eastus",
                         "--offline", "-o", "table", "--language", "zh-Hans")
    header = result.stdout.splitlines()[0].split()
    assert header[:4] == ["结果", "规则", "错误", "id"], result.stdout
    assert "FAIL" in result.stdout and "gallery.name-format" in result.stdout


@pytest.mark.parametrize("command", [
    ["check-gallery", "-g", "chk-rg", "-r", "chk-gallery", "-l", "eastus", "--offline"],
    ["check-version", "-g", "chk-rg", "-r", "chkGallery", "-i", "linuxGen2", "-e", "2.0", "--virtual-machine",
     GOOD_VM, "--target-regions", "eastus", "--offline"],
])
@pytest.mark.parametrize("flag", [["--language", "zh-Hans"], ["--language=sv"]])
def test_a_fixed_core_command_never_carries_the_language(emulator, command, flag):
    emulator.load(SCENARIO)
    result = emulator.az("sig", "doctor", *command[:1], *flag, *command[1:], "-o", "json")
    report = result.json
    assert report is not None, result.stderr
    fixed = report["fixed_command"]
    assert fixed and fixed.startswith("az sig "), report["fix_details"]
    assert "--language" not in fixed and "zh-Hans" not in fixed and "sv" not in fixed.split()
    assert "--language" not in (report["fixed_command_powershell"] or "")
    if command[0] == "check-gallery":
        # It runs as pasted: az sig create would refuse an option it does not know.
        run = emulator.bash(fixed)
        assert run.returncode == 0, run.stderr


def test_explain_json_in_zh_hans(az):
    message = ("Gallery name is invalid. Allowed characters are English alphanumeric characters, with underscores, "
               "and periods allowed in the middle, up to 80 characters total.")
    english = az("sig", "doctor", "explain", "--message", message, "-o", "json")
    chinese = az("sig", "doctor", "explain", "--message", message, "-o", "json", "--language", "zh-CN")
    [left], [right] = english.json, chinese.json
    _same_shape(left, right)
    assert (left["language"], right["language"]) == ("en", "zh-Hans")
    assert right["id"] == "gallery.name-invalid" and right["title"] == "库名称不符合库的命名规则"
    assert right["message"] == left["message"]  # the service's words stay as the service sent them


def _in_a_terminal(args, env, timeout=120):
    """Run az with stdout and stderr on a pseudo-terminal (as a person at a terminal would): the text
    written there."""
    master, slave = pty.openpty()
    process = subprocess.Popen([azenv.az_executable(), *args], stdin=subprocess.DEVNULL, stdout=slave,
                               stderr=slave, env=env, close_fds=True)
    os.close(slave)
    chunks = []
    try:
        while True:
            ready, _, _ = io_select.select([master], [], [], timeout)
            if not ready:
                raise AssertionError("az wrote nothing for {}s".format(timeout))
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other end is closed
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(master)
        process.wait(timeout=timeout)
    return b"".join(chunks).decode("utf-8", errors="replace").replace("\r\n", "\n")


def test_explain_in_swedish_prints_swedish_headings_on_the_terminal_report(emulator):
    env = dict(os.environ, **emulator.env)
    message = "Duplicate regions are not allowed in target publishing regions."
    swedish = _in_a_terminal(["sig", "doctor", "explain", "--message", message, "--language", "sv", "-o", "json"],
                             env)
    assert "1 fel hittades." in swedish
    assert "   orsak: " in swedish and "   åtgärd: " in swedish and "   inget rättat kommando: " in swedish
    assert "\"language\": \"sv\"" in swedish and "version.duplicate-regions" in swedish
    english = _in_a_terminal(["sig", "doctor", "explain", "--message", message, "-o", "json"], env)
    assert "1 failure found." in english and "   cause: " in english and "orsak" not in english


def test_help_summaries_in_the_language(az):
    chinese = az("sig", "doctor", "explain", "-h", "--language", "zh-Hans")
    assert chinese.exit_code == 0 and "根据日志或粘贴的错误消息，解释失败的库操作。" in chinese.stdout
    group = az("sig", "doctor", "-h", env={"LANG": "zh_CN.UTF-8"})
    assert "解释并预防 Azure Compute Gallery 的失败。" in group.stdout
    assert "在运行之前检查一条 `az sig image-version create` 命令行。" in group.stdout
    english = az("sig", "doctor", "explain", "-h")
    from azext_sig_doctor._help import helps
    import yaml
    assert yaml.safe_load(helps["sig doctor explain"])["short-summary"].strip() in english.stdout
    assert "--language" in english.stdout


def test_error_list_and_show_in_the_language(az):
    listed = az("sig", "doctor", "error", "list", "--section", "gallery", "-o", "json", "--language", "zh-Hans")
    titles = {row["id"]: row["title"] for row in listed.json}
    assert titles["gallery.name-invalid"] == "库名称不符合库的命名规则"
    assert {row["language"] for row in listed.json} == {"zh-Hans"}
    shown = az("sig", "doctor", "error", "show", "--id", "gallery.region-not-available", "--language", "zh-Hans")
    assert shown.json["cause"].startswith("此订阅不能在位置 <region> 中放置库")
    assert shown.json["signatures"][0]["template"].startswith("The provided location")


def test_english_help_reads_no_translation_and_other_help_only_its_summaries(tmp_path):
    """Help stays on the light load path: in English nothing of i18n beyond the selection is imported;
    in another language the summaries file, never the knowledge base."""
    from tests.test_load_path import HEAVY, imported_modules
    english = imported_modules(["sig", "doctor", "-h"], tmp_path)
    assert "azext_sig_doctor.i18n.select" in english
    assert not {"azext_sig_doctor.i18n.catalog", "azext_sig_doctor.i18n.helptext"} & english
    chinese = imported_modules(["sig", "doctor", "-h", "--language", "zh-Hans"], tmp_path)
    assert "azext_sig_doctor.i18n.helptext" in chinese
    assert sorted(module for module in HEAVY if module in chinese) == []


def test_the_readme_example_in_zh_hans_is_what_az_prints(az):
    import re
    import shlex
    readme = open(os.path.join(azenv.REPO_ROOT, "README.md"), encoding="utf-8").read()
    block = re.search(r"## Languages.*?```\n(\$ az sig doctor check-gallery.*?)```", readme, re.S).group(1)
    commands = [line[2:] for line in block.splitlines() if line.startswith("$ ")]
    assert len(commands) == 2
    table = az(*shlex.split(commands[0])[1:])
    shown = [line.split() for line in block.splitlines() if line.startswith(("FAIL", "SKIP", "结果"))]
    printed = [line.split() for line in table.stdout.splitlines()]
    assert shown and all(row in printed for row in shown), table.stdout
    fixed = az(*shlex.split(commands[1])[1:])
    assert fixed.stdout.strip() == block.split(commands[1])[1].strip().splitlines()[0]


def test_rule_list_and_show_speak_the_language_and_keep_ids(emulator):
    english = emulator.az("sig", "doctor", "rule", "show", "--id", "gallery.name-format", "-o", "json")
    swedish = emulator.az("sig", "doctor", "rule", "show", "--id", "gallery.name-format", "--language", "sv",
                          "-o", "json")
    assert english.json["id"] == swedish.json["id"] and english.json["commands"] == swedish.json["commands"]
    assert swedish.json["title"].startswith("Galleriets namn") and swedish.json["title"] != english.json["title"]
    assert [item["id"] for item in swedish.json["prevents"]] == [item["id"] for item in english.json["prevents"]]
    table = emulator.az("sig", "doctor", "rule", "list", "--language", "nl", "-o", "table")
    assert table.stdout.split()[:4] == ["Id", "Draait", "in", "Leest"], table.stdout[:300]
    # check-build serves several kinds of check; it is named once.
    rows = emulator.az("sig", "doctor", "rule", "list", "-o", "json").json
    assert all(len(row["commands"]) == len(set(row["commands"])) for row in rows)
