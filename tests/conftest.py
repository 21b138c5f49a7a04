"""Shared fixtures: a local ARM emulator and the real `az` logged into it.

    def test_something(emulator, az):
        emulator.load("demo.yaml")                      # or a dict; clears the journal
        result = az("sig", "show", "-g", "demo-rg", "-r", "demoGallery", "-o", "json")
        assert result.exit_code == 0 and result.json["name"] == "demoGallery"
        assert not emulator.writes()                    # nothing was changed
"""

import os

import pytest

from tests.emulator.harness import EmulatedAzure

# sig-doctor writes in the language of the locale (LC_ALL, LC_MESSAGES, LANG) or of its setting: the
# suite's expectations are English, whatever the developer's machine speaks. Tests of other languages
# say so (--language, or a variable of their own).
for _variable in ("LC_ALL", "LC_MESSAGES", "LANG", "AZURE_SIG_DOCTOR_LANGUAGE"):
    os.environ.pop(_variable, None)


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    """Session-wide emulator (HTTPS, fake AAD) with an isolated, logged-in az config dir and
    the extension loaded from this source tree."""
    handle = EmulatedAzure(str(tmp_path_factory.mktemp("emulated-azure")))
    yield handle
    handle.stop()
    # A bug in the emulator is answered as a 500 that a test may take for Azure's: surface it.
    assert not handle.internal_errors, "emulator bugs:\n" + "\n".join(handle.internal_errors)


@pytest.fixture
def az(emulator):
    """az(*args, input=None, env=None, check=False) -> AzResult(exit_code, stdout, stderr, json,
    error_line)."""
    return emulator.az
