"""A throw-away certificate authority and a server certificate for 127.0.0.1."""

import os
import shutil
import ssl
import tempfile

import trustme


class TestCertificates:
    """Creates a CA at start-up and writes its PEM where clients can be pointed at it."""

    def __init__(self, directory=None):
        self._owns_directory = directory is None
        self.directory = directory or tempfile.mkdtemp(prefix="sig-emulator-tls-")
        self._ca = trustme.CA()
        self._server_cert = self._ca.issue_cert("127.0.0.1", "localhost")
        self.ca_path = os.path.join(self.directory, "ca.pem")
        self._ca.cert_pem.write_to_path(self.ca_path)

    def remove(self):
        if self._owns_directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    def server_context(self):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._server_cert.configure_cert(context)
        return context
