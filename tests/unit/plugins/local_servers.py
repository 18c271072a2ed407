# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Hostile HTTP(S) servers on 127.0.0.1 for the client's unit tests: each connection runs a handler in a thread.

``LocalServer(handler)`` listens on a free loopback port; ``handler(connection)`` gets the accepted socket (already
wrapped in TLS when a ``tls_context`` is given) and answers whatever it likes. ``free_port()`` returns a port that
nothing listens on.
"""

from __future__ import annotations

import socket
import threading


def free_port():
    """A loopback port nothing listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def read_request(connection, limit=65536):
    """Read an HTTP request head (up to the blank line); return it as bytes."""
    data = b''
    while b'\r\n\r\n' not in data and len(data) < limit:
        chunk = connection.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


class LocalServer:
    """A threaded TCP server on 127.0.0.1; use as a context manager. ``connections`` counts accepted sockets."""

    def __init__(self, handler, tls_context=None):
        self.handler = handler
        self.tls_context = tls_context
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)   # accept() wakes up to notice stop
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopped.set()
        self.thread.join(5)
        self.sock.close()

    def _serve(self):
        while not self.stopped.is_set():
            try:
                connection, dummy = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection):
        try:
            connection.settimeout(10)
            if self.tls_context is not None:
                connection = self.tls_context.wrap_socket(connection, server_side=True)
            self.handler(connection)
        except (OSError, ValueError):
            pass
        finally:
            try:
                connection.close()
            except OSError:
                pass


def answer(connection, status, body, headers=None):
    """Send one complete HTTP/1.1 answer."""
    head = ['HTTP/1.1 %s' % status, 'Content-Length: %d' % len(body)]
    head.extend('%s: %s' % item for item in (headers or {'Content-Type': 'application/json'}).items())
    connection.sendall(('\r\n'.join(head) + '\r\n\r\n').encode('ascii') + body)


def make_certificate(directory, name='localhost', days=(-1, 30), issuer=None):
    """Write a certificate for ``name`` (and 127.0.0.1) and its key under ``directory``; return
    ``(cert_path, key_path, (cert, key))``. Self-signed unless ``issuer`` (a ``(cert, key)`` pair) is given; a CA
    (usable as ``issuer``) when ``name`` starts with ``ca``. ``days`` is the validity window relative to now."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    signer_cert, signer_key = issuer if issuer else (None, key)
    builder = (x509.CertificateBuilder()
               .subject_name(subject)
               .issuer_name(signer_cert.subject if signer_cert is not None else subject)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now + datetime.timedelta(days=days[0]))
               .not_valid_after(now + datetime.timedelta(days=days[1])))
    # Python 3.13 verifies with VERIFY_X509_STRICT: key identifiers and key usage as RFC 5280 asks.
    builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signer_key.public_key()),
                                    critical=False)
    if name.startswith('ca'):
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False),
            critical=True)
    else:
        builder = builder.add_extension(x509.SubjectAlternativeName(
            [x509.DNSName(name), x509.IPAddress(ipaddress.ip_address('127.0.0.1'))]), critical=False)
    cert = builder.sign(signer_key, hashes.SHA256())
    cert_path = '%s/%s.pem' % (directory, name)
    key_path = '%s/%s.key' % (directory, name)
    with open(cert_path, 'wb') as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, 'wb') as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return cert_path, key_path, (cert, key)


def server_tls_context(cert_path, key_path):
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context
