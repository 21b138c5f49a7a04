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


def _pypi_reachable(tmp_path):
    """Whether pip can fetch the extension's dependency (az extension add installs it from PyPI)."""
    try:
        probe = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(tmp_path),
                                "python-hcl2==8.1.4"], capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return False
    return probe.returncode == 0


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    if not _pypi_reachable(tmp_path_factory.mktemp("probe")):
        pytest.skip("PyPI is not reachable: az extension add installs the extension's dependency (python-hcl2) "
                    "from it, as on a user's machine")
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


def test_wheel_carries_the_localized_messages_and_recognises_them(wheel, installed):
    recognition = os.path.join(ROOT, "azext_sig_doctor", "kb", "recognition")
    expected = sorted("azext_sig_doctor/kb/recognition/" + name for name in os.listdir(recognition)
                      if name.endswith(".yaml"))
    assert len(expected) == 4
    with zipfile.ZipFile(wheel) as archive:
        assert sorted(name for name in archive.namelist()
                      if name.startswith("azext_sig_doctor/kb/recognition/")) == expected
    swedish = "Galleri namnet contoso-images är inte unikt i prenumerationen 0b9c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4."
    shown = subprocess.run([AZ, "sig", "doctor", "explain", "--message", swedish, "--query", "[0].id", "-o", "tsv"],
                           env=installed, capture_output=True, text=True, timeout=120)
    assert (shown.returncode, shown.stdout.strip()) == (0, "gallery.name-not-unique"), shown.stderr


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


def test_check_build_works_from_the_installed_wheel_with_its_dependency(installed):
    fixture = os.path.join(ROOT, "tests", "scenarios", "build", "packer", "arm_linux_specialized.pkr.hcl")
    run = subprocess.run([AZ, "sig", "doctor", "check-build", "--packer", fixture, "--offline", "-o", "json"],
                         env=installed, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)[0]
    assert report["target"]["tool"] == "packer" and report["target"]["image"] == "arm-linux-specialized-sig"
    # python-hcl2 came with the extension: it is in the extension's own folder, not az's environment.
    extension_dir = installed["AZURE_EXTENSION_DIR"]
    found = [root for root, dirs, _ in os.walk(extension_dir) if "hcl2" in dirs]
    assert found, "python-hcl2 was not installed with the extension"
