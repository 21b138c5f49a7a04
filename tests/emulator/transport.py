"""HTTPS transport: a threading HTTP/1.1 server with TLS, and raw response writing."""

import json
import socket
import ssl
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class TlsServer(ThreadingHTTPServer):
    """One thread per connection; `app.serve(handler)` answers each request."""
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, app, context):
        super().__init__(address, _Handler)
        self.app = app
        self._context = context

    def get_request(self):
        sock, address = super().get_request()
        # The handshake happens in the connection's own thread (see _Handler.handle).
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
        self.server.app.serve(self)

    do_GET = do_PUT = do_PATCH = do_DELETE = do_POST = do_HEAD = _serve


def write_response(handler, response, method, truncate=None):
    """Send ``response``; with ``truncate``, only that many bytes of its body (a complete
    response whose body is cut short)."""
    payload = b""
    if response.body is not None:
        payload = json.dumps(response.body).encode("utf-8")
    if truncate is not None:
        payload = payload[:truncate]
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


def drop_connection(handler):
    """Close the connection without answering (a reset, as a dying front end would)."""
    handler.close_connection = True
    try:
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                      b"\x01\x00\x00\x00\x00\x00\x00\x00")
        handler.connection.close()
    except OSError:
        pass
