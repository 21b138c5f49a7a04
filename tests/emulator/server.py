"""HTTPS transport and dispatch: one handler thread per connection."""

import json
import socket
import ssl
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from . import access, catalog, identity, resources
from .errors import ArmError
from .http import Response, json_response
from .journal import Journal
from .routing import normalise_path, route
from .scenario import build_state, read_scenario
from .tls import TestCertificates

WRITE_METHODS = ("PUT", "PATCH", "POST", "DELETE")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, handler, emulator, context):
        super().__init__(address, handler)
        self.emulator = emulator
        self._context = context

    def get_request(self):
        sock, address = super().get_request()
        return self._context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), \
            address

    def handle_error(self, request, client_address):
        pass  # dropped connections and TLS hang-ups are expected in fault tests


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "SigEmulator/1.0"
    # Headers and body leave in separate writes: without this, Nagle + delayed ACK add ~40 ms.
    disable_nagle_algorithm = True

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass

    def handle(self):
        try:
            self.connection.do_handshake()
        except (ssl.SSLError, OSError):
            return
        super().handle()

    def _serve(self):
        self.server.emulator.serve(self)

    do_GET = do_PUT = do_PATCH = do_DELETE = do_POST = do_HEAD = _serve


class Emulator:
    """The emulator: state from a scenario, a journal, and an HTTPS server on 127.0.0.1."""

    def __init__(self, port=0, scenario=None, cert_dir=None):
        self.certificates = TestCertificates(cert_dir)
        self.journal = Journal()
        self.internal_errors = []   # tracebacks of emulator bugs (answered as 500)
        self._scenario_source = {}
        self.state = build_state({})
        self._server = _Server(("127.0.0.1", port), _Handler, self,
                               self.certificates.server_context())
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
        if not is_control:
            outcome = state.faults.decide(method, path)
            if outcome.latency_ms:
                time.sleep(outcome.latency_ms / 1000.0)
            if outcome.drop:
                self._record(method, path, query, 0, raw)
                _drop(handler)
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
            _write(handler, response, method)
        else:
            self._send(handler, response, method, path, query, raw)

    def _internal_error(self):
        """An emulator bug: answer like the service would, and keep the traceback."""
        traceback.print_exc()
        self.internal_errors.append(traceback.format_exc())
        return _error_response(ArmError(500, "InternalServerError",
                                        "An internal execution error occurred. Please retry "
                                        "later."))

    def _send(self, handler, response, method, path, query, raw):
        self._record(method, path, query, response.status, raw)
        _write(handler, response, method)

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
            return self._arm(kind, params, ctx, method, path, query, body)

    def _arm(self, kind, params, ctx, method, path, query, body):
        state = ctx.state
        state.purge_deleted()
        if kind == "tenants":
            return catalog.tenants(state)
        if kind == "subscriptions":
            return catalog.subscriptions(state, ctx.caller)
        if kind == "subscription":
            return catalog.subscription(state, ctx.caller, params["sub"])
        if kind == "locations":
            catalog.require_subscription(state, ctx.caller, params["sub"])
            return catalog.locations(state, params["sub"])
        if kind == "resource_groups":
            catalog.require_subscription(state, ctx.caller, params["sub"])
            from .paging import page
            return json_response(page(catalog.resource_groups(state, params["sub"]), query,
                                      self.url, path, state.page_size))
        if kind == "resource_group":
            catalog.require_subscription(state, ctx.caller, params["sub"])
            return catalog.resource_group(state, method, params["sub"], params["rg"], body)
        if kind == "provider":
            catalog.require_subscription(state, ctx.caller, params["sub"])
            return catalog.provider(state, params["sub"])
        if kind == "providers":
            catalog.require_subscription(state, ctx.caller, params["sub"])
            return json_response({"value": [catalog.provider(state, params["sub"]).body]})
        if kind in ("skus", "subscription_list"):
            return resources.list_subscription(ctx, params["sub"], params.get("type", "skus"),
                                               query, path)
        if kind == "operation":
            return resources.operation(ctx, params["op"], query)
        if kind == "instance_view":
            return resources.get_instance_view(ctx, params["id"])
        if kind == "collection":
            return resources.list_collection(ctx, params["id"], query, path)
        if kind == "resource":
            rid = params["id"]
            if method in ("GET", "HEAD"):
                return resources.get(ctx, rid, query)
            if method in ("PUT", "PATCH"):
                return resources.write(ctx, rid, body, method)
            if method == "DELETE":
                return resources.delete(ctx, rid)
        raise ArmError(405, "MethodNotAllowed", f"The method '{method}' is not supported here.")

    def _control(self, action, method, raw):
        body = json.loads(raw) if raw else {}
        if action == "journal":
            if method == "DELETE":
                self.journal.clear()
                return json_response({"cleared": True})
            return json_response({"value": self.journal.entries()})
        if action == "scenario" and method == "POST":
            source = body.get("file") if set(body) == {"file"} else body
            self.load(source)
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


def _write(handler, response, method):
    payload = b""
    if response.body is not None:
        payload = json.dumps(response.body).encode("utf-8")
    handler.send_response(response.status)
    if payload:
        handler.send_header("Content-Type", "application/json; charset=utf-8")
    handler.send_header("Content-Length", str(len(payload)))
    handler.send_header("x-ms-request-id", "00000000-0000-0000-0000-000000000000")
    for name, value in response.headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    if payload and method != "HEAD":
        handler.wfile.write(payload)


def _drop(handler):
    """Close the connection without answering (a reset, as a dying front end would)."""
    handler.close_connection = True
    try:
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                      b"\x01\x00\x00\x00\x00\x00\x00\x00")
        handler.connection.close()
    except OSError:
        pass
