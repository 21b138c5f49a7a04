"""Loading the extension for an az command must not pull in heavy modules.

Runs the real `az` entry point under `python -X importtime`, which lists every module imported.
"""

import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEAVY = ("azure.mgmt.compute", "azext_sig_doctor.knowledge", "azext_sig_doctor.signatures",
         "azext_sig_doctor.explain", "azext_sig_doctor.checks", "azext_sig_doctor.create",
         "azext_sig_doctor.custom", "azext_sig_doctor.build", "hcl2", "lark")


def imported_modules(args, tmp_path):
    env = dict(os.environ, AZURE_CONFIG_DIR=str(tmp_path), AZURE_EXTENSION_DEV_SOURCES=ROOT,
               AZURE_CORE_COLLECT_TELEMETRY="false")
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "azure.cli"] + args, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    return {match.group(1) for match in re.finditer(r"^import time:.*\|\s+(\S+)\s*$", run.stderr, re.M)}


@pytest.mark.parametrize("args", [["sig", "doctor", "-h"], ["sig", "-h"]])
def test_help_loads_only_the_glue(args, tmp_path):
    modules = imported_modules(args, tmp_path)
    assert "azext_sig_doctor.commands" in modules  # the extension was loaded at all
    assert sorted(module for module in HEAVY if module in modules) == []


def test_unrelated_commands_do_not_load_the_extension(tmp_path):
    imported_modules(["group", "-h"], tmp_path)  # the first run builds the command index
    modules = imported_modules(["group", "-h"], tmp_path)
    assert not any(module.startswith("azext_sig_doctor") for module in modules)
