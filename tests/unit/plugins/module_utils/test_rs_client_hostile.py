# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The real client (``requests`` and its sockets) against hostile servers on 127.0.0.1: dripping bodies,
decompression bombs, deep JSON, wrong protocols, closed ports, proxies and bad certificates. Name resolution is
patched where a failing name is needed: nothing leaves the machine."""

from __future__ import annotations

import gzip
import os
import socket
import time
import tracemalloc

import pytest
import requests

from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_client
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_client import RSClient, json_too_deep
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    MISCONFIG_KINDS,
    RSConfigError,
    RSConnectionError,
    RSError,
    RSHTTPError,
    RSInvalidResponse,
    RSTimeoutError,
    RSTLSError,
)
from ansible_collections.redis_enterprise.software.tests.unit.plugins.local_servers import (
    LocalServer,
    answer,
    free_port,
    make_certificate,
    read_request,
    server_tls_context,
)

USER = 'admin@example.com'
PASSWORD = 'S3cr3t-pa55word'
# Margin for thread scheduling on a loaded 2-core machine.
MARGIN = 0.7


def direct_session():
    """A real session that ignores the proxy variables of the shell running the tests."""
    session = requests.Session()
    session.trust_env = False
    return session


def client_for(url, **kwargs):
    kwargs.setdefault('session', direct_session())
    return RSClient(url, USER, PASSWORD, **kwargs)


def failure(call):
    with pytest.raises(RSError) as info:
        call()
    return info.value


# ---------------------------------------------------------------- total deadline


def drip(connection):
    """Headers at once, then the body one byte every 0.1 s."""
    read_request(connection)
    connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n')
    for dummy in range(10000):
        connection.sendall(b' ')
        time.sleep(0.1)


@pytest.mark.parametrize('kwargs, budget', [
    (dict(), 1.5),                       # request_timeout
    (dict(timeout=0.8), 0.8),            # the caller's timeout (a wait's time left)
])
def test_dripping_body_ends_within_the_budget(kwargs, budget):
    with LocalServer(drip) as server:
        client = client_for('http://127.0.0.1:%d' % server.port, request_timeout=1.5)
        started = time.monotonic()
        error = failure(lambda: client.get(('v1', 'actions'), **kwargs))
        elapsed = time.monotonic() - started
    assert isinstance(error, RSTimeoutError)
    assert (error.kind, error.transient, error.misconfig) == ('timeout', True, False)
    assert 'did not send its whole answer' in str(error)
    assert budget - 0.1 <= elapsed < budget + MARGIN


def test_dripping_body_ends_at_the_callers_deadline():
    with LocalServer(drip) as server:
        client = client_for('http://127.0.0.1:%d' % server.port, request_timeout=30)
        started = time.monotonic()
        error = failure(lambda: client.request('GET', ('v1', 'actions'), deadline=time.monotonic() + 0.6))
        elapsed = time.monotonic() - started
    assert isinstance(error, RSTimeoutError)
    assert elapsed < 0.6 + MARGIN


def test_silent_server_after_headers_is_a_timeout():
    def silent(connection):
        read_request(connection)
        connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{')
        time.sleep(5)

    with LocalServer(silent) as server:
        client = client_for('http://127.0.0.1:%d' % server.port, request_timeout=0.7)
        started = time.monotonic()
        error = failure(lambda: client.get(('v1', 'actions')))
    assert isinstance(error, RSTimeoutError)
    assert time.monotonic() - started < 0.7 + MARGIN


def test_effective_timeout_takes_the_smallest_budget():
    client = client_for('https://cluster.example.com:9443', request_timeout=10)
    now = client.clock()
    assert client.effective_timeout() == 10
    assert client.effective_timeout(timeout=4) == 4
    assert client.effective_timeout(timeout=40) == 10
    assert 2.5 < client.effective_timeout(timeout=4, deadline=now + 3) <= 3
    assert client.effective_timeout(deadline=now - 5) == rs_client.MIN_REQUEST_TIMEOUT


def test_good_answers_keep_the_connection_for_the_next_request():
    def json_server(connection):
        while read_request(connection):
            answer(connection, '200 OK', b'[{"action_uid": "a"}]')

    with LocalServer(json_server) as server:
        client = client_for('http://127.0.0.1:%d' % server.port)
        for dummy in range(3):
            assert client.get(('v1', 'actions')) == [{'action_uid': 'a'}]
        assert server.connections == 1


# ---------------------------------------------------------------- bounded answers


def test_gzip_bomb_stops_at_the_limit_with_bounded_memory():
    bomb = gzip.compress(b'\0' * (200 * 1024 * 1024), compresslevel=9)   # 200 MiB inflated, about 200 KB sent

    def bomb_server(connection):
        read_request(connection)
        answer(connection, '200 OK', bomb, {'Content-Type': 'application/json', 'Content-Encoding': 'gzip'})

    with LocalServer(bomb_server) as server:
        client = client_for('http://127.0.0.1:%d' % server.port, max_response_bytes=4 * 1024 * 1024)
        tracemalloc.start()
        try:
            error = failure(lambda: client.get(('v1', 'actions')))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert isinstance(error, RSInvalidResponse) and error.transient
    assert 'larger than 4 MiB (decompressed)' in str(error)
    assert peak < 24 * 1024 * 1024


def test_default_limit_is_64_mib():
    assert rs_client.MAX_RESPONSE_BYTES == 64 * 1024 * 1024
    assert client_for('https://cluster.example.com:9443').max_response_bytes == rs_client.MAX_RESPONSE_BYTES


def test_announced_oversized_body_is_refused_before_reading():
    def huge(connection):
        read_request(connection)
        connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n[')
        time.sleep(5)

    with LocalServer(huge) as server:
        client = client_for('http://127.0.0.1:%d' % server.port, request_timeout=5)
        started = time.monotonic()
        error = failure(lambda: client.get(('v1', 'actions')))
    assert isinstance(error, RSInvalidResponse)
    assert 'larger than 64 MiB' in str(error)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize('status, error_class', [('200 OK', RSInvalidResponse), ('500 Internal Server Error', RSHTTPError)])
def test_deep_json_is_a_transient_invalid_answer_not_a_recursion_error(status, error_class):
    deep = b'[' * 100000 + b']' * 100000

    def deep_server(connection):
        read_request(connection)
        answer(connection, status, deep)

    with LocalServer(deep_server) as server:
        client = client_for('http://127.0.0.1:%d' % server.port)
        error = failure(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is error_class
    assert error.transient is True
    if error_class is RSInvalidResponse:
        assert 'nested deeper than 64 levels' in str(error)


def test_json_depth_check():
    assert not json_too_deep(b'[' * 64 + b']' * 64)
    assert json_too_deep(b'[' * 65 + b']' * 65)
    assert json_too_deep('{"a":' * 65 + '1' + '}' * 65)
    # Brackets inside strings do not count, escaped quotes included.
    assert not json_too_deep(('["%s"]' % ('[' * 500 + '\\"' + '{' * 500)).encode())
    assert not json_too_deep(b'[' + b'[],' * 100000 + b'[]]')


# ---------------------------------------------------------------- fail fast: classified connection errors


def test_closed_port_is_refused_and_names_the_port():
    port = free_port()
    client = client_for('https://127.0.0.1:%d' % port)
    error = failure(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is RSConnectionError
    assert (error.kind, error.misconfig, error.transient) == ('refused', True, True)
    assert 'nothing listens on port %d' % port in str(error)
    assert '9443' in str(error)


def test_unresolvable_host(monkeypatch):
    def no_such_host(host, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, 'Name or service not known')

    monkeypatch.setattr(socket, 'getaddrinfo', no_such_host)
    client = client_for('https://rs.invalid:9443')
    error = failure(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is RSConnectionError
    assert (error.kind, error.misconfig, error.transient) == ('dns', True, True)
    assert 'Cannot resolve the host rs.invalid' in str(error)


def test_https_to_a_plain_http_port():
    def plain(connection):
        connection.recv(4096)   # a TLS ClientHello, not an HTTP request: a plain server answers 400
        answer(connection, '400 Bad Request', b'not http')

    with LocalServer(plain) as server:
        client = client_for('https://127.0.0.1:%d' % server.port)
        error = failure(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is RSConnectionError
    assert (error.kind, error.misconfig, error.transient) == ('tls_to_plain', True, False)
    assert 'answers in plain HTTP, not TLS' in str(error)
    assert 'http://127.0.0.1:%d' % server.port in str(error)


def test_http_to_a_tls_port_answering_like_nginx():
    def nginx(connection):
        read_request(connection)
        answer(connection, '400 Bad Request', b'<html><head><title>400 The plain HTTP request was sent to HTTPS port'
               b'</title></head></html>', {'Content-Type': 'text/html'})

    with LocalServer(nginx) as server:
        client = client_for('http://127.0.0.1:%d' % server.port)
        error = failure(lambda: client.get(('v1', 'actions')))
    assert (error.kind, error.misconfig, error.transient) == ('plain_to_tls', True, False)
    assert 'use https://127.0.0.1:%d' % server.port in str(error)


def test_http_to_a_tls_port_that_resets(tmp_path):
    pytest.importorskip('cryptography')
    cert, key, dummy = make_certificate(str(tmp_path), 'localhost')
    # Like the simulator: the TLS handshake fails on the plain request and the connection is closed.
    with LocalServer(lambda connection: connection.recv(1024), tls_context=server_tls_context(cert, key)) as server:
        client = client_for('http://127.0.0.1:%d' % server.port)
        error = failure(lambda: client.get(('v1', 'actions')))
        assert (error.kind, error.misconfig) == ('plain_to_tls', True)
        client.probe_tls = False
        error = failure(lambda: client.get(('v1', 'actions')))
        assert (error.kind, error.misconfig, error.transient) == ('reset', False, True)
        assert 'if this port speaks TLS, use https://' in str(error)


def test_misconfig_kinds():
    assert MISCONFIG_KINDS == frozenset(('dns', 'refused', 'tls_to_plain', 'plain_to_tls', 'proxy'))
    assert RSConnectionError('x', kind='reset').misconfig is False
    assert RSConnectionError('x').transient is True
    assert RSConnectionError('x', kind='proxy', transient=False).transient is False


def test_proxy_refusing_connect_names_the_proxy_without_credentials():
    def refusing_proxy(connection):
        read_request(connection)
        connection.sendall(b'HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n')

    with LocalServer(refusing_proxy) as proxy:
        session = direct_session()
        session.proxies = {'https': 'http://proxyuser:Pr0xy-pw@127.0.0.1:%d' % proxy.port}
        client = client_for('https://cluster.example.com:9443', session=session)
        started = time.monotonic()
        error = failure(lambda: client.get(('v1', 'actions')))
    assert time.monotonic() - started < 5
    assert (error.kind, error.misconfig, error.transient) == ('proxy', True, False)
    assert 'the HTTP(S) proxy http://127.0.0.1:%d refused' % proxy.port in str(error)
    assert 'NO_PROXY' in str(error)
    assert 'Pr0xy-pw' not in str(error) and 'proxyuser' not in str(error)


# ---------------------------------------------------------------- TLS verification and ca_path


def tls_server(cert, key):
    def ok(connection):
        read_request(connection)
        answer(connection, '200 OK', b'[]')

    return LocalServer(ok, tls_context=server_tls_context(cert, key))


@pytest.fixture
def certs(tmp_path):
    pytest.importorskip('cryptography')
    return str(tmp_path)


def test_trusted_certificate_works(certs):
    ca_cert, dummy, ca = make_certificate(certs, 'ca-test')
    cert, key, dummy = make_certificate(certs, 'localhost', issuer=ca)
    with tls_server(cert, key) as server:
        assert client_for('https://127.0.0.1:%d' % server.port, ca_path=ca_cert).get(('v1', 'actions')) == []


def test_self_signed_certificate_without_ca_path(certs):
    cert, key, dummy = make_certificate(certs, 'localhost')
    with tls_server(cert, key) as server:
        error = failure(lambda: client_for('https://127.0.0.1:%d' % server.port).get(('v1', 'actions')))
    assert error.__class__ is RSTLSError and not error.transient
    assert 'the certificate is self-signed' in str(error)
    assert 'Set ca_path (REDIS_ENTERPRISE_CA_PATH)' in str(error)


def test_unknown_ca_with_another_ca_path(certs):
    cert, key, dummy = make_certificate(certs, 'localhost', issuer=make_certificate(certs, 'ca-real')[2])
    other_ca = make_certificate(certs, 'ca-other')[0]
    with tls_server(cert, key) as server:
        client = client_for('https://127.0.0.1:%d' % server.port, ca_path=other_ca)
        error = failure(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is RSTLSError
    assert 'The CA bundle in ca_path (%s) does not hold the CA' % other_ca in str(error)


def test_expired_certificate(certs):
    ca_cert, dummy, ca = make_certificate(certs, 'ca-test')
    cert, key, dummy = make_certificate(certs, 'localhost', days=(-30, -1), issuer=ca)
    with tls_server(cert, key) as server:
        error = failure(lambda: client_for('https://127.0.0.1:%d' % server.port, ca_path=ca_cert).get(('v1', 'x')))
    assert error.__class__ is RSTLSError
    assert "the cluster's certificate has expired. Renew" in str(error)
    assert 'clock' in str(error)


def test_not_yet_valid_certificate(certs):
    ca_cert, dummy, ca = make_certificate(certs, 'ca-test')
    cert, key, dummy = make_certificate(certs, 'localhost', days=(2, 30), issuer=ca)
    with tls_server(cert, key) as server:
        error = failure(lambda: client_for('https://127.0.0.1:%d' % server.port, ca_path=ca_cert).get(('v1', 'x')))
    assert 'is not valid yet' in str(error)


def test_hostname_mismatch(certs):
    ca_cert, dummy, ca = make_certificate(certs, 'ca-test')
    cert, key, dummy = make_certificate(certs, 'other.example', issuer=ca)
    with tls_server(cert, key) as server:
        # The certificate names other.example and 127.0.0.1; url names localhost (resolved from /etc/hosts).
        client = client_for('https://localhost:%d' % server.port, ca_path=ca_cert)
        error = failure(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is RSTLSError
    assert 'not valid for the host localhost' in str(error)
    assert 'subject alternative names' in str(error)


@pytest.mark.parametrize('content, expected', [
    (b'garbage\n', 'holds no usable PEM certificate'),
    (b'', 'holds no usable PEM certificate'),
    (b'-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n', 'holds no usable PEM certificate'),
])
def test_garbage_ca_path_is_refused_before_any_request(tmp_path, content, expected):
    bundle = tmp_path / 'ca.pem'
    bundle.write_bytes(content)
    with pytest.raises(RSConfigError) as info:
        client_for('https://127.0.0.1:%d' % free_port(), ca_path=str(bundle))
    assert expected in str(info.value)
    assert str(bundle) in str(info.value)


def test_ca_path_missing_or_unreadable(tmp_path):
    with pytest.raises(RSConfigError) as info:
        client_for('https://cluster.example.com:9443', ca_path=str(tmp_path / 'nope.pem'))
    assert 'does not exist' in str(info.value)
    client_for('https://cluster.example.com:9443', ca_path=str(tmp_path))   # a directory of hashed certificates
    if os.geteuid() != 0:   # root reads any file
        bundle = tmp_path / 'locked.pem'
        bundle.write_bytes(open(requests.certs.where(), 'rb').read())
        bundle.chmod(0)
        with pytest.raises(RSConfigError) as info:
            client_for('https://cluster.example.com:9443', ca_path=str(bundle))
        assert 'cannot be read' in str(info.value)


def test_connection_closed_mid_body_is_a_transient_truncated_answer():
    def short(connection):
        read_request(connection)
        connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{"a"')

    with LocalServer(short) as server:
        error = failure(lambda: client_for('http://127.0.0.1:%d' % server.port).get(('v1', 'actions')))
    assert error.__class__ is RSInvalidResponse and error.transient
    assert 'was truncated' in str(error)
