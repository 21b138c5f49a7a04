"""The test-facing handle on a running emulator with a logged-in `az` (see tests/conftest.py)."""

import json
import os
import subprocess
import threading
from dataclasses import dataclass

from . import azenv
from .server import Emulator

WRITE_METHODS = ("PUT", "PATCH", "POST", "DELETE")


@dataclass
class AzResult:
    exit_code: int
    stdout: str
    stderr: str
    json: object = None

    @property
    def error_line(self):
        """The `ERROR: (Code) Message` line az printed, without the prefix ('' when none)."""
        for line in self.stderr.splitlines():
            if line.startswith("ERROR: "):
                return line[len("ERROR: "):]
        return ""


def parse_json(text):
    text = (text or "").strip()
    if not text or text[0] not in "[{\"" and not text[0].isdigit():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


class EmulatedAzure:
    """A running emulator plus the environment of an `az` logged into it."""

    def __init__(self, work_dir, scenario="demo.yaml", dev_sources=azenv.REPO_ROOT):
        self.emulator = Emulator(port=0, scenario=scenario).start()
        self.env = azenv.login(self.emulator, work_dir, dev_sources)
        self._sessions = threading.local()   # keep-alive connections, one pool per thread

    # --- what tests read --------------------------------------------------------------------
    @property
    def url(self):
        return self.emulator.url

    @property
    def ca_path(self):
        return self.emulator.ca_path

    @property
    def state(self):
        return self.emulator.state

    def load(self, scenario):
        """Replace the world with a scenario (file name under tests/scenarios, path or dict)
        and clear the journal."""
        return self.emulator.load(scenario)

    @property
    def internal_errors(self):
        """Tracebacks of emulator bugs during the session (each was answered with a 500)."""
        return self.emulator.internal_errors

    def journal(self):
        return self.emulator.journal.entries()

    def clear_journal(self):
        self.emulator.journal.clear()

    def writes(self):
        """Journal entries that could change something (PUT, PATCH, POST, DELETE), login and
        token requests excluded."""
        return [entry for entry in self.journal() if entry["method"] in WRITE_METHODS
                and "/oauth2/" not in entry["path"]]

    def advance(self, seconds):
        return self.emulator.advance(seconds)

    def auth_headers(self, tenant=None):
        return self.emulator.auth_headers(tenant)

    def request(self, method, path, body=None, headers=None, timeout=30):
        """A plain HTTPS request with a valid token (for tests where `az` is not the point)."""
        import requests
        if not hasattr(self._sessions, "session"):
            self._sessions.session = requests.Session()
        all_headers = self.auth_headers()
        all_headers.update(headers or {})
        url = path if path.startswith("https://") else self.url + path
        if "api-version=" not in url:
            url += ("&" if "?" in url else "?") + "api-version=2023-07-03"
        return self._sessions.session.request(method, url, json=body, headers=all_headers,
                                              verify=self.ca_path, timeout=timeout)

    # --- running az -------------------------------------------------------------------------
    def az(self, *args, input=None, env=None, check=False,  # pylint: disable=redefined-builtin
           timeout=180):
        """Run the real `az` logged into the emulator; `check=True` fails on a non-zero exit."""
        full_env = dict(os.environ)
        full_env.update(self.env)
        full_env.update(env or {})
        completed = subprocess.run([azenv.az_executable(), *map(str, args)], env=full_env,
                                   input=input, capture_output=True, text=True, timeout=timeout,
                                   check=False)
        result = AzResult(completed.returncode, completed.stdout, completed.stderr,
                          parse_json(completed.stdout))
        if check and result.exit_code != 0:
            raise AssertionError(f"az {' '.join(map(str, args))} exited {result.exit_code}:\n"
                                 f"{result.stderr}")
        return result

    def bash(self, command, timeout=300):
        """Run a command line as a user pastes it into a shell logged into the emulator, with the
        project's `az` first on the PATH; returns the CompletedProcess."""
        env = dict(os.environ)
        env.update(self.env)
        env["PATH"] = os.path.dirname(azenv.az_executable()) + os.pathsep + env.get("PATH", "")
        return subprocess.run(["bash", "-c", command], env=env, capture_output=True, text=True, timeout=timeout,
                              check=False)

    def stop(self):
        self.emulator.stop()
