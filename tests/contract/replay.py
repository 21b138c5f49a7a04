"""Replay the recorded requests of a contract fixture against the emulator and compare each
answer with the recorded one: status, long-running-operation headers (Azure-AsyncOperation,
Location, Retry-After present or not, the operation URL's kind and region) and the body's shape
and contract values.

A fixture (tests/contract/*.yaml) names its source recording, the scenario holding what the
recording assumed, a `names` map from the recording's placeholders to the scenario's names, and
its interactions in recorded order. Each interaction has `at` (seconds since the recording's first
one): the replay moves the emulator's clock the same way, so operations are as far along as they
were. `setup: true` marks a request the recording did not hold (it rebuilds state the pages read
did not show); it is sent, not compared, not counted. `compare` limits the comparison to some
paths, `ignore` leaves paths out (each with its `reason`), `known_difference` says why the
emulator is expected to differ there (the replay still checks that it does).
"""

import os
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import requests
import yaml

from tests.contract.shapes import compare_body

CONTRACT_DIR = os.path.dirname(os.path.abspath(__file__))
LRO_HEADERS = ("Azure-AsyncOperation", "Location", "Retry-After")


def fixture_paths():
    return sorted(os.path.join(CONTRACT_DIR, name) for name in os.listdir(CONTRACT_DIR)
                  if name.endswith(".yaml"))


def load_fixture(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def map_names(value, names):
    """The recording's placeholder names replaced by the scenario's, in every string."""
    if isinstance(value, str):
        for old, new in names.items():
            value = value.replace(old, new)
        return value
    if isinstance(value, dict):
        return {key: map_names(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [map_names(item, names) for item in value]
    return value


@dataclass
class Answer:
    status: int
    headers: dict
    body: object


@dataclass
class Result:
    id: str
    command: str
    counted: bool                 # a recorded request (setup steps are not)
    differences: list = field(default_factory=list)
    not_compared: list = field(default_factory=list)   # ignored paths, with their reasons
    scope: list = None            # the only paths compared, when the fixture limits them
    known_difference: str = None

    @property
    def matches(self):
        return not self.differences


class Client:
    """HTTPS requests to an in-process Emulator (tests.emulator.server.Emulator)."""

    def __init__(self, emulator):
        self.emulator = emulator
        self._session = requests.Session()

    def load(self, scenario):
        self.emulator.load(scenario)

    def advance(self, seconds):
        self.emulator.advance(seconds)

    def send(self, method, url, body=None):
        if not url.startswith("https://"):
            url = self.emulator.url + url
        response = self._session.request(method, url, json=body,
                                         headers=self.emulator.auth_headers(),
                                         verify=self.emulator.ca_path, timeout=60)
        try:
            payload = response.json() if response.content else None
        except ValueError:
            payload = response.text
        return Answer(response.status_code, dict(response.headers), payload)


def _header(headers, name):
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def compare_answer(recorded, answer, scope=None, ignore=()):
    differences = []
    if answer.status != recorded["status"]:
        differences.append(f"status: recorded {recorded['status']}, emulator {answer.status}")
        error = (answer.body or {}).get("error") if isinstance(answer.body, dict) else None
        if error:
            differences.append(f"emulator error: ({error.get('code')}) {error.get('message')}")
            return differences
    for name in LRO_HEADERS:
        was, now = recorded["headers"][name], _header(answer.headers, name) is not None
        if was != now:
            differences.append(f"header {name}: recorded {'present' if was else 'absent'}, "
                               f"emulator {'present' if now else 'absent'}")
    operation = recorded.get("operation")
    url = _header(answer.headers, "Azure-AsyncOperation")
    if operation and url:
        parts = urlsplit(url).path.split("/")
        if parts[-2].lower() != operation["kind"].lower():
            differences.append(f"operation URL: recorded .../{operation['kind']}/..., "
                               f"emulator .../{parts[-2]}/...")
        if parts[-3].lower() != operation["location"].lower():
            differences.append(f"operation region: recorded {operation['location']}, "
                               f"emulator {parts[-3]}")
    differences += compare_body(recorded.get("body"), answer.body, scope=scope, ignore=ignore)
    return differences


def replay(fixture, client):
    """Replay one fixture from a fresh load of its scenario; a Result per interaction."""
    names = {str(k): str(v) for k, v in (fixture.get("names") or {}).items()}
    client.load(fixture["scenario"])
    operations, results, clock = {}, [], 0
    for entry in fixture["interactions"]:
        if entry.get("at", clock) > clock:
            client.advance(entry["at"] - clock)
            clock = entry["at"]
        request = map_names(entry["request"], names)
        if "poll" in request:
            url = operations.get(request["poll"], {}).get(request.get("via",
                                                                        "Azure-AsyncOperation"))
            answer = client.send("GET", url) if url else None
        else:
            query = urlencode(request.get("query") or {})
            answer = client.send(request["method"], request["path"] + (f"?{query}" if query else ""),
                                 request.get("body"))
        if answer is not None:
            operations[entry["id"]] = {name: _header(answer.headers, name)
                                       for name in ("Azure-AsyncOperation", "Location")}
        result = Result(entry["id"], entry.get("command", ""), counted=not entry.get("setup"),
                        known_difference=entry.get("known_difference"), scope=entry.get("compare"))
        ignore = entry.get("ignore") or {}
        result.not_compared = [f"{path}: {reason}" for path, reason in ignore.items()]
        if entry.get("setup"):
            if answer is None or answer.status >= 300:
                result.differences.append(f"setup request failed: "
                                          f"{answer.status if answer else 'no operation'} "
                                          f"{answer.body if answer else ''}")
        elif answer is None:
            result.differences.append(f"no operation to poll: {request['poll']} answered no "
                                      f"Azure-AsyncOperation URL")
        else:
            result.differences = compare_answer(entry["response"], answer,
                                                scope=entry.get("compare"), ignore=list(ignore))
        results.append(result)
    return results
