"""Shared fixtures: a local ARM emulator and the real `az` logged into it.

    def test_something(emulator, az):
        emulator.load("demo.yaml")                      # or a dict; clears the journal
        result = az("sig", "show", "-g", "demo-rg", "-r", "demoGallery", "-o", "json")
        assert result.exit_code == 0 and result.json["name"] == "demoGallery"
        assert not emulator.writes()                    # nothing was changed
"""

import pytest

from tests.emulator.harness import EmulatedAzure


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
