# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""How a failed request reads: transport, TLS, body and HTTP failures mapped to the exceptions of ``rs_errors``,
each with a message that names the likely fix.

Every function takes the ``RSClient`` that sent the request as ``client`` and reads only its address and settings
(``scheme``, ``host``, ``port``, ``host_port``, ``display_url``, ``ca_path``, ``username``, ``probe_tls``,
``session``). The text of an exception is inspected, never embedded: messages are composed from the URL's scheme,
host and port, the request (``where``, e.g. ``GET /v1/actions``) and RS's own ``error_code``/``description``.

* ``transport_error()``: what ``requests`` raised before an answer (proxy, TLS, timeouts, connection failures).
* ``http_error()``: an answer with an error status; ``plain_to_tls()``: ``http://`` to a TLS port.

The failures met while a body is read (deadline, size limit, a cut or undecodable body) are built in ``rs_body``
with ``exception_chain()`` and ``format_seconds()`` from here.
"""

from __future__ import annotations

import re
import socket
import ssl

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_connection import (
    ENV_CA_PATH,
    ENV_PASSWORD,
    ENV_URL,
    ENV_USER,
    host_for_url,
    strip_credentials,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    RSAuthError,
    RSConfigError,
    RSConflict,
    RSConnectionError,
    RSHTTPError,
    RSInvalidResponse,
    RSNotFound,
    RSTimeoutError,
    RSTLSError,
)

try:
    import requests
    import urllib3
except ImportError:
    HAS_REQUESTS = False
else:
    HAS_REQUESTS = True

# A TLS handshake to tell "http:// to a TLS port" from a plain reset takes at most this long.
_PROBE_TIMEOUT = 3.0

# OpenSSL verification codes (X509_V_ERR_*) of ssl.SSLCertVerificationError.verify_code.
_X509_NOT_YET_VALID = (9,)
_X509_EXPIRED = (10,)
_X509_UNKNOWN_CA = (2, 18, 19, 20, 21)
_X509_NAME_MISMATCH = (62, 64)


def format_seconds(value):
    return '%g' % round(value, 2)


def exception_chain(exc, limit=16):
    """``exc`` and the exceptions behind it (``reason``, ``__cause__``, ``__context__``, exceptions in ``args``)."""
    seen = []
    todo = [exc]
    while todo and len(seen) < limit:
        item = todo.pop(0)
        if not isinstance(item, BaseException) or any(item is known for known in seen):
            continue
        seen.append(item)
        todo.extend((getattr(item, 'reason', None), item.__cause__, item.__context__))
        todo.extend(arg for arg in getattr(item, 'args', ()) if isinstance(arg, BaseException))
    return seen


def _requests_types(*names):
    """The ``requests.exceptions`` classes called ``names`` (none without ``requests``)."""
    if not HAS_REQUESTS:
        return ()
    return tuple(getattr(requests.exceptions, name) for name in names)


# ---------------------------------------------------------------------------------------------------- transport

def _proxy_name(client, url):
    """The proxy ``requests`` uses for ``url`` (session settings, then the environment), without credentials."""
    try:
        proxies = dict(getattr(client.session, 'proxies', None) or {})
        if getattr(client.session, 'trust_env', True):
            for scheme, proxy in requests.utils.get_environ_proxies(url).items():
                proxies.setdefault(scheme, proxy)
        proxy = requests.utils.select_proxy(url, proxies)
    except Exception:  # pylint: disable=broad-exception-caught
        return None
    return strip_credentials(proxy) if proxy else None


def _proxy_error(client, exc, text, where, timeout, url):  # pylint: disable=unused-argument
    proxy = _proxy_name(client, url)
    named = 'the HTTP(S) proxy %s' % proxy if proxy else 'the configured HTTP(S) proxy'
    return RSConnectionError(
        'Cannot reach the cluster at %s: %s refused or failed the connection (%s). Check the proxy settings '
        '(HTTPS_PROXY, HTTP_PROXY), or add %s to NO_PROXY if the cluster must be reached directly'
        % (client.host_port, named, where, client.host), url=url, kind='proxy', transient=False)


def _tls_case(client, exc, text, where, timeout, url):  # pylint: disable=unused-argument
    return tls_error(client, exc, text, url)


def _connect_timeout(client, exc, text, where, timeout, url):  # pylint: disable=unused-argument
    return RSTimeoutError(
        'The cluster at %s did not accept a connection within %s s (%s): check the host and port of url '
        '(%s), the network path and the firewall, or raise request_timeout'
        % (client.host_port, format_seconds(timeout), where, ENV_URL), url=url, kind='timeout')


def _answer_timeout(client, exc, text, where, timeout, url):  # pylint: disable=unused-argument
    return RSTimeoutError(
        'The cluster at %s did not answer within %s s (%s): it may be busy; raise request_timeout if it '
        'is slow' % (client.host_port, format_seconds(timeout), where), url=url, kind='timeout')


def _undecodable(client, exc, text, where, timeout, url):  # pylint: disable=unused-argument
    return RSInvalidResponse(
        'The answer of the cluster at %s to %s was truncated or could not be decoded'
        % (client.host_port, where), url=url)


def _connection_case(client, exc, text, where, timeout, url):
    return connection_error(client, exc, text, where, timeout, url)


def _request_failed(client, exc, text, where, timeout, url):  # pylint: disable=unused-argument
    return RSConnectionError(
        'The request %s to %s failed (%s)' % (where, client.host_port, type(exc).__name__), url=url, kind='other')


# In order, the first that matches: (exception classes, or a needle of the exception's text; the error to raise).
# requests' ProxyError, SSLError and ConnectTimeout are ConnectionErrors, and ConnectTimeout is a Timeout.
_TRANSPORT_CASES = (
    (_requests_types('ProxyError'), None, _proxy_error),
    (_requests_types('SSLError'), None, _tls_case),
    (_requests_types('ConnectTimeout'), None, _connect_timeout),
    (_requests_types('Timeout'), 'read timed out', _answer_timeout),
    (_requests_types('ChunkedEncodingError', 'ContentDecodingError'), None, _undecodable),
    (_requests_types('ConnectionError'), None, _connection_case),
    (_requests_types('RequestException'), None, _request_failed),
)


def transport_error(client, exc, where, timeout, url):
    """Map a transport exception to an ``RSError``; its text is inspected, never embedded."""
    text = ' '.join(str(item) for item in exception_chain(exc)).lower()
    for types, needle, build in _TRANSPORT_CASES:
        if isinstance(exc, types) or (needle is not None and needle in text):
            return build(client, exc, text, where, timeout, url)
    # A plain OSError: requests raises one for an unreadable CA bundle, before connecting.
    if client.ca_path and ('ca certificate bundle' in text or 'ca_certs' in text or 'certificate' in text):
        return RSConfigError(
            'ca_path %s cannot be used as a CA bundle: it must be a readable PEM file or directory (%s)'
            % (client.ca_path, ENV_CA_PATH), url=url)
    return connection_error(client, exc, text, where, timeout, url, fallback=type(exc).__name__)


# ---------------------------------------------------------------------------------------------------- TLS

def _tls_expired(client, text, url):  # pylint: disable=unused-argument
    return RSTLSError(
        "TLS verification of %s failed: the cluster's certificate has expired. Renew the certificate of the "
        "cluster's REST API (api certificate); if it should still be valid, check the clock of this host. "
        'ca_path does not help here' % client.display_url, url=url)


def _tls_not_yet_valid(client, text, url):  # pylint: disable=unused-argument
    return RSTLSError(
        "TLS verification of %s failed: the cluster's certificate is not valid yet. Check the clocks of this "
        'host and of the cluster nodes, or wait until the start of its validity. ca_path does not help here'
        % client.display_url, url=url)


def _tls_name_mismatch(client, text, url):  # pylint: disable=unused-argument
    host = host_for_url(client.host)
    return RSTLSError(
        "TLS verification of %s failed: the cluster's certificate is not valid for the host %s. Use in url a "
        "host name the certificate names (its subject alternative names), or give the cluster's REST API a "
        'certificate for %s' % (client.display_url, host, host), url=url)


def _tls_unknown_ca(client, text, url):
    reason = ('the certificate is self-signed' if any(n in text for n in ('self-signed', 'self signed'))
              else 'the certificate is signed by a CA that is not trusted')
    if client.ca_path:
        hint = ("The CA bundle in ca_path (%s) does not hold the CA that signed the cluster's certificate: "
                'point ca_path at the PEM file of that CA' % client.ca_path)
    else:
        hint = ("Set ca_path (%s) to the PEM file of the CA that signed the cluster's certificate (for a "
                'self-signed certificate, the certificate itself), or validate_certs=false to skip '
                'verification (not recommended)' % ENV_CA_PATH)
    return RSTLSError('TLS verification of %s failed: %s. %s' % (client.display_url, reason, hint), url=url)


def _tls_to_plain(client, text, url):  # pylint: disable=unused-argument
    return RSConnectionError(
        'TLS handshake with %s failed: port %d answers in plain HTTP, not TLS. Check the scheme and port of '
        'url (%s): the RS REST API uses https on port 9443 (if this port really serves plain HTTP, use '
        'http://%s:%d)' % (client.display_url, client.port, ENV_URL, host_for_url(client.host), client.port),
        url=url, kind='tls_to_plain', transient=False)


def _verify_reason(text):
    """OpenSSL's reason in a verification failure's text (``certificate verify failed: <reason> (_ssl.c:...)``):
    a fixed phrase of OpenSSL, never a value of the request; '' when there is none."""
    match = re.search(r"certificate verify failed: ([a-z0-9 ,.:'-]{3,100}?) \(_ssl", text)
    return match.group(1).strip() if match else ''


def _tls_not_strict(client, text, url):  # pylint: disable=unused-argument
    return RSTLSError(
        "TLS verification of %s failed: the cluster's certificate (or its CA) does not pass the strict X.509 checks "
        'of Python 3.13 and later (ssl.VERIFY_X509_STRICT): %s. Reissue the certificate with the missing '
        'extension (an Authority Key Identifier, a CA with critical Basic Constraints and key usage); ca_path does '
        'not help here' % (client.display_url, _verify_reason(text) or 'a required extension is missing'), url=url)


def _tls_verify_failed(client, text, url):
    reason = _verify_reason(text)
    hint = ("point ca_path at the PEM file of the CA that signed the cluster's certificate" if client.ca_path
            else "set ca_path (%s) to the cluster's CA bundle, or validate_certs=false to skip verification "
                 '(not recommended)' % ENV_CA_PATH)
    return RSTLSError('TLS verification of %s failed: certificate verify failed%s; %s'
                      % (client.display_url, ' (%s)' % reason if reason else '', hint), url=url)


# In order, the first that matches: (OpenSSL verification codes, needles of the exception's text; the error).
_TLS_CASES = (
    (_X509_EXPIRED, ('certificate has expired', 'certificate expired'), _tls_expired),
    (_X509_NOT_YET_VALID, ('certificate is not yet valid',), _tls_not_yet_valid),
    (_X509_NAME_MISMATCH, ('hostname mismatch', "doesn't match", 'does not match', 'ip address mismatch'),
     _tls_name_mismatch),
    (_X509_UNKNOWN_CA, ('self-signed', 'self signed', 'unable to get local issuer', 'unable to get issuer',
                        'unable to verify the first certificate'), _tls_unknown_ca),
    ((), ('missing authority key identifier', 'basic constraints of ca cert not marked critical',
          'ca cert does not include key usage extension', 'authority key identifier'), _tls_not_strict),
    ((), ('wrong version number', 'unknown protocol', 'record layer failure', 'record_layer_failure',
          'packet length too long'), _tls_to_plain),
    ((), ('certificate verify failed', 'certificate_verify_failed'), _tls_verify_failed),
)


def tls_error(client, exc, text, url):
    """Map a TLS failure to the error that names its fix: expired, not yet valid, wrong host, unknown CA,
    ``https://`` to a plain-HTTP port, or any other verification failure."""
    codes = [item.verify_code for item in exception_chain(exc) if getattr(item, 'verify_code', None) is not None]
    for numbers, needles, build in _TLS_CASES:
        if any(code in numbers for code in codes) or any(needle in text for needle in needles):
            return build(client, text, url)
    return RSTLSError(
        "TLS handshake with %s failed. Check url (%s); if the certificate is the problem, set ca_path (%s) to "
        "the cluster's CA bundle" % (client.display_url, ENV_URL, ENV_CA_PATH), url=url)


# ---------------------------------------------------------------------------------------------------- connection

def speaks_tls(host, port, timeout):
    """Whether ``host:port`` completes a TLS handshake (nothing is verified nor sent: only the protocol)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((host, port), timeout=min(timeout, _PROBE_TIMEOUT)) as sock:
            with context.wrap_socket(sock, server_hostname=host):
                return True
    except (OSError, ValueError):
        return False


def plain_to_tls(client, url, status=None):
    return RSConnectionError(
        'The cluster at %s speaks TLS on port %d but url uses http://: use https://%s:%d in url (%s)'
        % (client.host_port, client.port, host_for_url(client.host), client.port, ENV_URL),
        url=url, status=status, kind='plain_to_tls', transient=False)


def _dns_error(client, where, timeout, url):  # pylint: disable=unused-argument
    return RSConnectionError(
        'Cannot resolve the host %s of url (%s): check the host name in url and the DNS of this host'
        % (host_for_url(client.host), ENV_URL), url=url, kind='dns')


def _refused_error(client, where, timeout, url):  # pylint: disable=unused-argument
    return RSConnectionError(
        'Cannot connect to the cluster at %s: connection refused, nothing listens on port %d of %s. Check '
        'the host and port of url (%s): the RS REST API listens on https port 9443 by default'
        % (client.host_port, client.port, host_for_url(client.host), ENV_URL), url=url, kind='refused')


def _reset_error(client, where, timeout, url):
    if client.scheme == 'http' and client.probe_tls and speaks_tls(client.host, client.port, timeout):
        return plain_to_tls(client, url)
    hint = '; if this port speaks TLS, use https:// in url' if client.scheme == 'http' else ''
    return RSConnectionError(
        'Cannot connect to the cluster at %s: the connection was reset or closed before an answer arrived '
        '(%s)%s' % (client.host_port, where, hint), url=url, kind='reset')


def _unreachable_error(client, where, timeout, url):  # pylint: disable=unused-argument
    return RSConnectionError(
        'Cannot connect to the cluster at %s: the host or network is unreachable; check the host of url (%s) '
        'and the network path' % (client.host_port, ENV_URL), url=url, kind='unreachable')


def _name_errors():
    errors = (socket.gaierror,)
    if HAS_REQUESTS and hasattr(urllib3.exceptions, 'NameResolutionError'):
        errors += (urllib3.exceptions.NameResolutionError,)
    return errors


# In order, the first that matches: (exception classes in the chain, needles of its text; the error).
_CONNECTION_CASES = (
    (_name_errors(), ('name or service not known', 'nodename nor servname', 'temporary failure in name resolution',
                      'getaddrinfo failed', 'no address associated', 'name resolution', 'failed to resolve'),
     _dns_error),
    ((ConnectionRefusedError,), ('refused',), _refused_error),
    ((ConnectionResetError, ConnectionAbortedError, BrokenPipeError),
     ('reset', 'aborted', 'remotedisconnected', 'remote end closed', 'broken pipe'), _reset_error),
    ((), ('no route to host', 'network is unreachable', 'unreachable'), _unreachable_error),
)


def connection_error(client, exc, text, where, timeout, url, fallback=None):
    """Map a failed connection to its kind: ``dns``, ``refused``, ``reset`` (or ``plain_to_tls`` when a TLS
    handshake to the port succeeds), ``unreachable``, else ``other``."""
    chain = exception_chain(exc)
    for types, needles, build in _CONNECTION_CASES:
        if any(isinstance(item, types) for item in chain) or any(needle in text for needle in needles):
            return build(client, where, timeout, url)
    reason = 'the request %s failed (%s)' % (where, fallback) if fallback else 'the request %s failed' % where
    return RSConnectionError('Cannot connect to the cluster at %s: %s' % (client.host_port, reason),
                             url=url, kind='other')


# ---------------------------------------------------------------------------------------------------- HTTP

def _permission_hint(method, path):
    """Name the RS permission a 403 most likely lacks (for the message)."""
    if len(path) >= 2 and path[1] == 'actions':
        return 'view_status_of_cluster_action'
    if len(path) >= 2 and path[1] == 'bdbs':
        if method == 'GET' and len(path) == 2:
            return 'view_all_bdbs_info'  # GET /v1/bdbs (requests/bdbs/_index.md, permissions.md)
        return {'POST': 'create_bdb', 'PUT': 'update_bdb', 'DELETE': 'delete_bdb'}.get(method, 'view_bdb_info')
    return None


def _permission_denied(client, method, path, where, code_part, detail, kwargs):
    permission = _permission_hint(method, tuple(str(segment) for segment in path))
    lacks = ('the permission %s' % permission) if permission else 'the permission this request needs'
    return RSAuthError(
        'Permission denied (%s) for %s: the role of user %r lacks %s; use a user whose role has it%s'
        % (code_part, where, client.username, lacks, detail), **kwargs)


def _conflict(where, code_part, detail, kwargs):
    duplicate = {'uid_exists': 'uid', 'name_exists': 'name', 'name_already_exists': 'name'}.get(kwargs['error_code'])
    if duplicate:
        hint = 'an object with this %s already exists; pick another or manage the existing one' % duplicate
    else:
        hint = 'the object may be busy with another change; retry later'
    return RSConflict('RS reported a conflict (%s) for %s%s. %s%s'
                      % (code_part, where, detail, hint[0].upper(), hint[1:]), **kwargs)


def http_error(client, status, method, path, where, url, error_code, description):
    """The exception of an answer with an error status (3xx, 4xx, 5xx), with RS's ``error_code`` and
    ``description`` (already scrubbed) when it sent them."""
    code_part = '%d %s' % (status, error_code) if error_code else '%d' % status
    detail = ': %s' % description if description else ''
    kwargs = dict(status=status, error_code=error_code, description=description, url=url)
    if status == 401:
        return RSAuthError(
            'Authentication failed (401): check username and password (%s / %s)' % (ENV_USER, ENV_PASSWORD),
            **kwargs)
    if status == 403:
        return _permission_denied(client, method, path, where, code_part, detail, kwargs)
    if status == 404:
        return RSNotFound('Not found (%s): %s%s' % (code_part, where, detail), **kwargs)
    if status == 409:
        return _conflict(where, code_part, detail, kwargs)
    if status == 429:
        return RSHTTPError('RS is throttling requests (%s) for %s%s; retry later' % (code_part, where, detail),
                           **kwargs)
    if status >= 500:
        return RSHTTPError(
            'RS failed to handle the request (%s) for %s%s; this may be temporary, retry later'
            % (code_part, where, detail), **kwargs)
    if 300 <= status < 400:
        return RSHTTPError(
            'The cluster answered %s with a redirect (%d): set url to the REST API address itself, '
            'for example https://cluster.example.com:9443' % (where, status), **kwargs)
    return RSHTTPError('RS rejected the request (%s)%s' % (code_part, detail), **kwargs)
