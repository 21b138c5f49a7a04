"""The Azure CLI conventions the package keeps, read from its source: messages through the knack logger,
recommendations given to the error's constructor, every client made in `_client_factory.py`."""

import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "azext_sig_doctor")


def _sources():
    for folder, _, files in os.walk(PACKAGE):
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as handle:
                    yield os.path.relpath(path, PACKAGE).replace(os.sep, "/"), handle.read()


SOURCES = dict(_sources())


def _where(pattern, allowed=()):
    found = re.compile(pattern, re.M)
    return sorted(module for module, text in SOURCES.items() if found.search(text) and module not in allowed)


def test_the_package_was_read():
    assert len(SOURCES) > 50 and "_client_factory.py" in SOURCES


def test_messages_go_through_the_knack_logger():
    # The CLI silences the standard logging module below CRITICAL: a warning sent there is never seen.
    assert _where(r"^\s*(import logging|from logging import)|logging\.getLogger") == []
    assert _where(r"get_logger\(__name__\)") and all(
        "from knack.log import get_logger" in SOURCES[module] for module in _where(r"get_logger\(__name__\)"))


def test_recommendations_are_given_to_the_error_constructors():
    assert _where(r"\.set_recommendation\(") == []


@pytest.mark.parametrize("pattern", [r"get_mgmt_service_client", r"ResourceType\.", r"api_version\s*=",
                                     r"get_subscription_id", r"get_login_credentials",
                                     r"[\"']20\d\d-\d\d-\d\d(-preview)?[\"']"])
def test_clients_and_api_versions_come_from_the_client_factory(pattern):
    # build/imagebuilder.py names the Image Builder API versions whose template fields differ: the
    # user's template's apiVersion is data there, not a client's.
    allowed = ("_client_factory.py", "build/imagebuilder.py") if pattern.startswith("[") else ("_client_factory.py",)
    assert _where(pattern, allowed=allowed) == []


def test_resource_graph_is_called_at_the_factorys_url():
    # Resource Graph has no SDK client in the CLI: the scan POSTs through the CLI's send_raw_request.
    assert _where(r"send_raw_request\(") == ["estate/graph.py"]
    assert "resource_graph_url()" in SOURCES["estate/graph.py"]
