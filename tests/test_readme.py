"""The README's pipeline example stays true: valid YAML, the wheel installed before use, and its
sig-doctor command line accepted by the real `az` (run here as a dry run against the emulator)."""

import os
import re
import shlex

import yaml

README = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md")


def _pipeline():
    with open(README, encoding="utf-8") as handle:
        text = handle.read()
    return yaml.safe_load(re.search(r"```yaml\n(name: publish-image.*?)```", text, re.S).group(1))


def _steps():
    return _pipeline()["jobs"]["publish"]["steps"]


def test_the_wheel_is_installed_before_the_doctor_runs():
    runs = [step.get("run", "") for step in _steps()]
    install = next(i for i, run in enumerate(runs) if "az extension add" in run)
    use = next(i for i, run in enumerate(runs) if "az sig doctor" in run)
    assert install < use
    assert "pip wheel" in runs[install], "the wheel is built in the job, not expected to be there"


def test_workflow_inputs_reach_the_script_through_the_environment():
    for step in _steps():
        assert "${{" not in step.get("run", ""), step.get("name")


def test_the_pipelines_command_line_is_accepted_by_az(emulator, az, tmp_path):
    emulator.load("demo.yaml")
    step = next(step for step in _steps() if "az sig doctor create-version" in step.get("run", ""))
    words = shlex.split(step["run"].replace("\\\n", " ").replace("$VERSION", "9.1.0"))
    words = words[1:]  # without "az"
    # The demo world's names instead of the example's, and a dry run: nothing is created.
    names = {"rg-images": "demo-rg", "contoso_images": "demoGallery", "ubuntu-22": "demoImage",
             "img-ubuntu-22": "demoManagedImage", "-o": "-o"}
    words = [names.get(word, word) for word in words]
    words = [str(tmp_path / word) if word.endswith(".sarif") else word for word in words]
    words = words[:words.index("-o")] if "-o" in words else words
    # The checks run and write their report; --fail-on never lets the dry run show the body.
    result = az(*words, "--dry-run", "--fail-on", "never", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert result.json["dry_run"] is True
    assert (tmp_path / "sig-doctor.sarif").exists()
