"""The extension installs from its wheel the way users install it, and works from there."""

import json
import os
import subprocess
import sys
import zipfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AZ = os.path.join(os.path.dirname(sys.executable), "az")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(out), ROOT], check=True, cwd=ROOT)
    wheels = [name for name in os.listdir(out) if name.endswith(".whl")]
    assert len(wheels) == 1
    return os.path.join(out, wheels[0])


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    env = dict(os.environ)
    env.pop("AZURE_EXTENSION_DEV_SOURCES", None)
    env["AZURE_CONFIG_DIR"] = str(tmp_path_factory.mktemp("azconfig"))
    env["AZURE_EXTENSION_DIR"] = str(tmp_path_factory.mktemp("extensions"))
    env["AZURE_CORE_COLLECT_TELEMETRY"] = "false"
    added = subprocess.run([AZ, "extension", "add", "--source", wheel, "--yes"], env=env,
                           capture_output=True, text=True, timeout=300)
    assert added.returncode == 0, added.stderr
    return env


def test_wheel_carries_metadata_and_knowledge_base_but_not_tests(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = json.loads(archive.read("azext_sig_doctor/azext_metadata.json"))
    assert metadata["azext.minCliCoreVersion"]
    assert any(name.startswith("azext_sig_doctor/kb/") and name.endswith(".yaml") for name in names)
    assert not any(name.startswith(("azure/", "tests/", "samples/", "bench/")) for name in names)


def test_wheel_carries_the_texts_of_every_language(wheel):
    i18n = os.path.join(ROOT, "azext_sig_doctor", "kb", "i18n")
    expected = sorted("azext_sig_doctor/kb/i18n/{}/{}".format(language, name)
                      for language in os.listdir(i18n) if os.path.isdir(os.path.join(i18n, language))
                      for name in os.listdir(os.path.join(i18n, language)) if name.endswith(".yaml"))
    assert len(expected) >= 18
    with zipfile.ZipFile(wheel) as archive:
        shipped = sorted(name for name in archive.namelist() if name.startswith("azext_sig_doctor/kb/i18n/"))
    assert shipped == expected


def test_installed_wheel_speaks_the_languages(installed):
    shown = subprocess.run([AZ, "sig", "doctor", "error", "show", "--id", "gallery.name-invalid", "--language",
                            "zh-Hans", "-o", "json"], env=installed, capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["title"] == "库名称不符合库的命名规则"


def test_installed_wheel_is_listed_and_answers(installed):
    listed = subprocess.run([AZ, "extension", "list", "-o", "json"], env=installed,
                            capture_output=True, text=True, timeout=120)
    assert [ext["name"] for ext in json.loads(listed.stdout)] == ["sig-doctor"]
    entries = subprocess.run([AZ, "sig", "doctor", "error", "list", "-o", "json"], env=installed,
                             capture_output=True, text=True, timeout=120)
    assert entries.returncode == 0, entries.stderr
    ids = [entry["id"] for entry in json.loads(entries.stdout)]
    assert "version.source-region-not-targeted" in ids


def test_help_of_the_group_is_reachable_from_the_core_sig_group(installed):
    sig_help = subprocess.run([AZ, "sig", "-h"], env=installed, capture_output=True, text=True,
                              timeout=120)
    assert "doctor" in sig_help.stdout
