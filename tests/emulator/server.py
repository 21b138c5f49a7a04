"""The emulator: scenario state, request pipeline (faults, auth, access, journal) and the
/_emulator control endpoints."""

import json
import threading
import time
import traceback
from urllib.parse import parse_qsl, urlsplit

from . import access, arm, identity, resources
from .errors import ArmError
from .http import Response, json_response
from .journal import Journal
from .routing import normalise_path, route
from .scenario import ScenarioError, build_state, read_scenario
from .tls import TestCertificates
from .transport import TlsServer, drop_connection, write_response

WRITE_METHODS = ("PUT", "PATCH", "POST", "DELETE")


class Emulator:
    """The emulator: state from a scenario, a journal, and an HTTPS server on 127.0.0.1."""

    def __init__(self, port=0, scenario=None, cert_dir=None):
        self.certificates = TestCertificates(cert_dir)
        self.journal = Journal()
        self.internal_errors = []   # tracebacks of emulator bugs (answered as 500)
        self._scenario_source = {}
        self.state = build_state({})
        self._server = TlsServer(("127.0.0.1", port), self, self.certificates.server_context())
        self.port = self._server.server_address[1]
        self.url = f"https://127.0.0.1:{self.port}"
        self._thread = None
        if scenario is not None:
            self.load(scenario)

    @property
    def ca_path(self):
        return self.certificates.ca_path

    # --- life cycle -------------------------------------------------------------------------
    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="sig-emulator")
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self.certificates.remove()

    def serve_forever(self):
        self._server.serve_forever()

    # --- scenario ---------------------------------------------------------------------------
    def load(self, scenario):
        data = read_scenario(scenario)
        self.state = build_state(data)
        self._scenario_source = data
        self.journal.clear()
        return self.state

    def reset(self):
        return self.load(self._scenario_source)

    def advance(self, seconds):
        return self.state.clock.advance(seconds)

    def token(self, tenant=None):
        principal = self.state.principal
        return identity.make_token(self.url, tenant or principal["tenant"], principal["app_id"],
                                   principal["object_id"])

    def auth_headers(self, tenant=None):
        return {"Authorization": f"Bearer {self.token(tenant)}"}

    # --- request handling -------------------------------------------------------------------
    def serve(self, handler):
        method = handler.command
        split = urlsplit(handler.path)
        path = normalise_path(split.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        found = route(path)
        is_control = found.kind == "control"
        state = self.state
        outcome = None
        if not is_control:
            outcome = state.faults.decide(method, path, split.query)
            if outcome.latency_ms:
                time.sleep(outcome.latency_ms / 1000.0)
            if outcome.drop:
                self._record(method, path, query, 0, raw)
                drop_connection(handler)
                return
            if outcome.error is not None:
                self._send(handler, _error_response(outcome.error), method, path, query, raw)
                return
        try:
            response = self._dispatch(found, handler, method, path, query, raw)
        except ArmError as error:
            response = _error_response(error)
        except json.JSONDecodeError:
            response = _error_response(ArmError(
                400, "InvalidRequestContent",
                "The request content was invalid and could not be deserialized."))
        except (AttributeError, TypeError, ValueError, KeyError) as error:
            if method in ("PUT", "PATCH"):
                # A body of the wrong shape (a string where an object belongs, …): ARM's JSON
                # reader refuses it before any rule runs.
                response = _error_response(ArmError(
                    400, "InvalidRequestContent", f"The request content was invalid and could "
                    f"not be deserialized: '{type(error).__name__}: {error}'."))
            else:
                response = self._internal_error()
        except Exception:  # pylint: disable=broad-except
            response = self._internal_error()
        if is_control:
            write_response(handler, response, method)
        else:
            self._send(handler, response, method, path, query, raw, outcome.truncate, outcome.hold_ms)

    def _internal_error(self):
        """An emulator bug: answer like the service would, and keep the traceback."""
        traceback.print_exc()
        self.internal_errors.append(traceback.format_exc())
        return _error_response(ArmError(500, "InternalServerError",
                                        "An internal execution error occurred. Please retry "
                                        "later."))

    def _send(self, handler, response, method, path, query, raw, truncate=None, hold_ms=0):
        self._record(method, path, query, response.status, raw)
        if hold_ms:
            time.sleep(hold_ms / 1000.0)  # recorded (handled) already; the answer is late
        try:
            write_response(handler, response, method, truncate)
        except OSError:
            if not hold_ms:
                raise
            # The client gave up while the answer was held: nothing left to tell it.

    def _record(self, method, path, query, status, raw):
        body = None
        if method in WRITE_METHODS and raw and "/oauth2/" not in path:
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
        self.journal.record(method, path, query, status, body)

    def _dispatch(self, found, handler, method, path, query, raw):
        state = self.state
        kind, params = found.kind, found.params
        if kind == "control":
            return self._control(params["action"].lower(), method, raw)
        if kind == "cloud_metadata":
            return json_response(identity.cloud_metadata(self.url))
        if kind == "openid":
            return json_response(identity.openid_configuration(self.url, params["tenant"]))
        if kind == "token":
            return identity.token_response(state, self.url, params["tenant"], raw)
        if kind == "keys":
            return identity.empty_keys()
        if kind == "unknown":
            raise ArmError(404, "NotFound", f"No HTTP resource was found that matches the "
                                            f"request URI '{self.url}{path}'.")
        caller = identity.caller_from_headers(handler.headers.get("Authorization"),
                                              handler.headers.get("x-ms-authorization-auxiliary"))
        access.check_request(state, caller, method, path)
        ctx = resources.Context(state, caller, self.url, query.get("api-version", "2023-07-03"))
        body = json.loads(raw) if raw and method in ("PUT", "PATCH", "POST") else None
        with state.lock:
            return arm.handle(kind, params, ctx, method, path, query, body)

    def _control(self, action, method, raw):
        body = json.loads(raw) if raw else {}
        if action == "journal":
            if method == "DELETE":
                self.journal.clear()
                return json_response({"cleared": True})
            return json_response({"value": self.journal.entries()})
        if action == "scenario" and method == "POST":
            source = body.get("file") if set(body) == {"file"} else body
            try:
                self.load(source)
            except (ScenarioError, OSError) as error:
                raise ArmError(400, "InvalidScenario", str(error)) from error
            return json_response({"loaded": self.state.name})
        if action == "reset" and method == "POST":
            self.reset()
            return json_response({"loaded": self.state.name})
        if action == "clock" and method == "POST":
            return json_response({"now": self.advance(float(body.get("advance", 0)))})
        if action == "state":
            return json_response({"scenario": self.state.name,
                                  "resources": sorted(r.resource["id"]
                                                      for r in self.state.resources.values())})
        raise ArmError(405, "MethodNotAllowed", f"'{method}' is not supported on /_emulator/{action}.")


def _error_response(error):
    return Response(error.status, error.body(), dict(error.headers))
