# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""REST client for Redis Enterprise Software (RS), built on ``requests``.

* ``connection_argument_spec()`` returns the shared connection options (documented by the
  ``redis_enterprise.software.connection`` doc fragment).
* ``RSClient`` holds one ``requests.Session`` per module run, sends HTTP Basic auth, verifies TLS,
  applies a per-request timeout and turns every failure into one of the exceptions of ``rs_errors``.
* ``RSClient.from_module(module)`` builds a client from ``module.params``.

No message, result or exception built here contains the password or the ``Authorization`` header:
messages are composed from the scheme, host and port of the URL, the request path and RS's own
``error_code``/``description``, never from the text of a ``requests`` exception.
"""

from __future__ import annotations

import base64
import json as _json
import math
import os
import time
import traceback
from urllib.parse import quote, urlsplit

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    RSAuthError,
    RSConfigError,
    RSConflict,
    RSConnectionError,
    RSError,
    RSHTTPError,
    RSInvalidResponse,
    RSNotFound,
    RSTimeoutError,
    RSTLSError,
)

REQUESTS_IMPORT_ERROR = None
try:
    import requests
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_REQUESTS = True


ENV_URL = 'REDIS_ENTERPRISE_URL'
ENV_USER = 'REDIS_ENTERPRISE_USER'
ENV_PASSWORD = 'REDIS_ENTERPRISE_PASSWORD'
ENV_INSECURE = 'REDIS_ENTERPRISE_INSECURE'
ENV_CA_PATH = 'REDIS_ENTERPRISE_CA_PATH'

DEFAULT_REQUEST_TIMEOUT = 30.0
# How many times the read-only modules try a GET again after a transient error (the wait loop has its own policy).
READ_RETRIES = 2
# A timeout override (for example the budget a wait loop has left) is clamped to at least this.
MIN_REQUEST_TIMEOUT = 0.01
INSECURE_TRUE_VALUES = ('true', '1', 'yes')
USER_AGENT = 'redis_enterprise.software (ansible collection)'

# Longest RS error description kept in a message (plain-text bodies can be long).
_MAX_DESCRIPTION = 300
_REDACTED = '********'

if HAS_REQUESTS:
    _TRANSPORT_ERRORS = (requests.exceptions.RequestException, OSError)
else:  # pragma: no cover - only without requests, where a session must be injected
    _TRANSPORT_ERRORS = (OSError,)


def connection_argument_spec():
    """Return a fresh dict with the connection options shared by every module."""
    return dict(
        url=dict(type='str', required=True, fallback=(env_fallback, [ENV_URL])),
        username=dict(type='str', aliases=['user'], fallback=(env_fallback, [ENV_USER])),
        password=dict(type='str', no_log=True, fallback=(env_fallback, [ENV_PASSWORD])),
        # None means "not set": resolve_validate_certs() then looks at REDIS_ENTERPRISE_INSECURE.
        validate_certs=dict(type='bool'),
        ca_path=dict(type='path', fallback=(env_fallback, [ENV_CA_PATH])),
        request_timeout=dict(type='float', default=DEFAULT_REQUEST_TIMEOUT),
    )


def resolve_validate_certs(validate_certs, environ=None):
    """Effective ``validate_certs``: the option when set, else ``True`` unless
    ``REDIS_ENTERPRISE_INSECURE`` is ``true``, ``1`` or ``yes`` (case-insensitive)."""
    if validate_certs is not None:
        return bool(validate_certs)
    environ = os.environ if environ is None else environ
    insecure = environ.get(ENV_INSECURE)
    if insecure is not None and str(insecure).strip().lower() in INSECURE_TRUE_VALUES:
        return False
    return True


def _format_seconds(value):
    return '%g' % value


def _host_for_url(hostname):
    return '[%s]' % hostname if ':' in hostname else hostname


def parse_base_url(url):
    """Validate ``url`` and return ``(base_url, scheme, host, port)``.

    ``base_url`` is ``scheme://host[:port]`` (without a trailing slash). Raises ``RSConfigError``
    with a message that never repeats credentials found in the URL.
    """
    if url is None or not str(url).strip():
        raise RSConfigError(
            'url is required: set the url option or the %s environment variable, for example '
            'https://cluster.example.com:9443' % ENV_URL)
    url = str(url).strip()
    if '://' not in url:
        # Also catches "user:password@host": nothing of the value is repeated.
        raise RSConfigError(
            'url must start with https:// (or http://) and name the host and port only, for example '
            'https://cluster.example.com:9443')
    scheme = url.split('://', 1)[0].lower()
    if scheme not in ('https', 'http'):
        raise RSConfigError(
            'url scheme %r is not supported: use https://host:port, for example https://cluster.example.com:9443'
            % scheme[:20])
    if '@' in url:
        raise RSConfigError(
            'url must not contain credentials (user:password@): give only scheme://host:port and set the '
            'username and password options (%s / %s) instead' % (ENV_USER, ENV_PASSWORD))
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        port = parts.port
    except ValueError:
        raise RSConfigError(
            'url is not a valid URL (check the host and the port): give only scheme://host:port, for example '
            'https://cluster.example.com:9443') from None
    if not hostname:
        raise RSConfigError(
            'url has no host: give only scheme://host:port, for example https://cluster.example.com:9443')
    if parts.path not in ('', '/') or parts.query or parts.fragment or '?' in url or '#' in url:
        raise RSConfigError(
            'url must not contain a path, a query or a fragment: give only scheme://host:port, for example '
            'https://cluster.example.com:9443 (the collection adds /v1/... itself)')
    if port is None:
        port = 443 if scheme == 'https' else 80
        netloc = _host_for_url(hostname)
    else:
        netloc = '%s:%d' % (_host_for_url(hostname), port)
    return '%s://%s' % (scheme, netloc), scheme, hostname, port


def new_session():
    """Create the ``requests.Session`` a client uses (one per module run); tests patch this."""
    return requests.Session()


def _auth_part(value):
    # requests encodes str credentials as latin-1; RS, curl and redisctl use UTF-8, so always send UTF-8 bytes.
    return value.encode('utf-8')


def url_secrets(url):
    """The credentials embedded in ``url`` (``user:password@``), to hide them from every output."""
    if not url or '@' not in str(url) or '://' not in str(url):
        return []
    userinfo = str(url).split('://', 1)[1].split('/', 1)[0].rsplit('@', 1)[0]
    secrets = [userinfo]
    if ':' in userinfo:
        secrets.append(userinfo.split(':', 1)[1])
    return [secret for secret in secrets if secret]


def _permission_hint(method, path):
    """Name the RS permission a 403 most likely lacks (for the message)."""
    if len(path) >= 2 and path[1] == 'actions':
        return 'view_status_of_cluster_action'
    if len(path) >= 2 and path[1] == 'bdbs':
        if method == 'GET' and len(path) == 2:
            return 'view_all_bdbs_info'  # GET /v1/bdbs (requests/bdbs/_index.md, permissions.md)
        return {'POST': 'create_bdb', 'PUT': 'update_bdb', 'DELETE': 'delete_bdb'}.get(method, 'view_bdb_info')
    return None


_HTML_STARTS = ('<!doctype html', '<html', '<head', '<body', '<title', '<h1', '<center', '<p>')


def _looks_like_html(content_type, text):
    """An HTML page (a proxy's error page), by its content type or its first tag; XML is not HTML."""
    return 'html' in (content_type or '').lower() or text.lstrip()[:20].lower().startswith(_HTML_STARTS)


class RSClient:
    """A small REST client for one RS cluster.

    ``path`` arguments are tuples of segments, e.g. ``('v1', 'actions', uid)``; every segment is
    quoted, so a value can never change the path that is requested.
    """

    def __init__(self, url, username=None, password=None, validate_certs=True, ca_path=None,
                 request_timeout=DEFAULT_REQUEST_TIMEOUT, session=None):
        self.base_url, self.scheme, self.host, self.port = parse_base_url(url)
        self.host_port = '%s:%d' % (_host_for_url(self.host), self.port)
        # What messages name: always with the port, e.g. https://cluster.example.com:9443
        self.display_url = '%s://%s' % (self.scheme, self.host_port)
        if not username:
            raise RSConfigError(
                'username is required: set the username option (alias user) or the %s environment variable' % ENV_USER)
        if not password:
            raise RSConfigError(
                'password is required: set the password option or the %s environment variable' % ENV_PASSWORD)
        if request_timeout is None:
            request_timeout = DEFAULT_REQUEST_TIMEOUT
        try:
            request_timeout = float(request_timeout)
        except (TypeError, ValueError):
            raise RSConfigError('request_timeout must be a number of seconds greater than 0') from None
        if not request_timeout > 0 or math.isinf(request_timeout):
            raise RSConfigError('request_timeout must be a number of seconds greater than 0')
        self.username = username
        self._password = password
        self.validate_certs = True if validate_certs is None else bool(validate_certs)
        self.ca_path = ca_path or None
        self.verify = self.ca_path if self.ca_path else self.validate_certs
        self.request_timeout = request_timeout
        self.requests_sent = 0
        # GETs retried on a transient error (5xx, 429, connection errors, invalid JSON); 0 for the wait loop,
        # which has its own retry policy and reports every transient error.
        self.read_retries = 0
        self.retry_pause = 0.5
        self.sleep = time.sleep
        if session is None:
            if not HAS_REQUESTS:
                raise RSConfigError(missing_required_lib('requests'))
            session = new_session()
        self.session = session
        self._secrets = [password]
        try:
            self._secrets.append(base64.b64encode(('%s:%s' % (username, password)).encode('utf-8')).decode('ascii'))
        except (TypeError, ValueError):  # pragma: no cover - defensive
            pass

    def __repr__(self):
        return 'RSClient(%r, username=%r)' % (self.display_url, self.username)

    @classmethod
    def from_module(cls, module):
        """Build a client from ``module.params`` (the options of ``connection_argument_spec()``).

        Fails the module when ``requests`` is missing; raises ``RSConfigError`` for invalid options.
        """
        if not HAS_REQUESTS:
            module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
            raise RSConfigError(missing_required_lib('requests'))  # not reached: fail_json exits
        params = module.params
        # A password embedded in the url is refused below; it must not reach the result's invocation either.
        for secret in url_secrets(params.get('url')):
            no_log_values = getattr(module, 'no_log_values', None)
            if no_log_values is not None:
                no_log_values.add(secret)
        client = cls(
            url=params.get('url'),
            username=params.get('username'),
            password=params.get('password'),
            validate_certs=resolve_validate_certs(params.get('validate_certs')),
            ca_path=params.get('ca_path'),
            request_timeout=params.get('request_timeout'),
        )
        if client.scheme == 'http' and hasattr(module, 'warn'):
            module.warn('url uses http://: the username and password travel in clear text; use https:// '
                        '(the RS REST API listens on https port 9443 by default)')
        return client

    def close(self):
        close = getattr(self.session, 'close', None)
        if close is not None:
            close()

    # ------------------------------------------------------------------ helpers

    def _scrub(self, text):
        """Remove the password (and the Basic auth token) from a text, whatever its origin."""
        if text is None:
            return None
        text = str(text)
        for secret in self._secrets:
            if secret and len(secret) >= 3 and secret in text:
                text = text.replace(secret, _REDACTED)
        return text

    def _scrubbed(self, error):
        error.msg = self._scrub(error.msg)
        error.args = (error.msg,)
        return error

    def build_url(self, path):
        """Return the full URL of ``path``, a tuple (or list) of segments, each quoted."""
        if isinstance(path, (str, bytes)) or not isinstance(path, (tuple, list)):
            raise TypeError('path must be a tuple of segments, e.g. (\'v1\', \'actions\', uid)')
        quoted = []
        for segment in path:
            if segment is None or isinstance(segment, bool):
                raise RSConfigError('invalid value in a request path: %r' % (segment,))
            segment = str(segment)
            if segment in ('', '.', '..'):
                raise RSConfigError(
                    'invalid value %r in a request path: empty values, "." and ".." are not allowed' % segment)
            quoted.append(quote(segment, safe=''))
        return '%s/%s' % (self.base_url, '/'.join(quoted))

    def effective_timeout(self, timeout=None):
        """The timeout for one request: ``timeout`` if given, else ``request_timeout``; always > 0."""
        if timeout is None:
            return self.request_timeout
        try:
            value = float(timeout)
        except (TypeError, ValueError):
            return self.request_timeout
        if math.isnan(value) or value < MIN_REQUEST_TIMEOUT:
            return MIN_REQUEST_TIMEOUT
        return value

    @staticmethod
    def _path_text(path):
        return '/' + '/'.join(quote(str(s), safe='') for s in path)

    # ------------------------------------------------------------------ requests

    def request(self, method, path, params=None, json=None, timeout=None, expect_json=True):
        """Send one request and return the decoded JSON body (``None`` for an empty body).

        With ``expect_json=False`` the body is returned as text. Raises the ``rs_errors`` classes.
        """
        method = str(method).upper()
        url = self.build_url(path)
        path_text = self._path_text(path)
        where = '%s %s' % (method, path_text)
        timeout = self.effective_timeout(timeout)
        headers = {'Accept': 'application/json', 'User-Agent': USER_AGENT}
        if json is not None or method in ('POST', 'PUT', 'PATCH'):
            headers['Content-Type'] = 'application/json'
        auth = (_auth_part(self.username), _auth_part(self._password))
        self.requests_sent += 1
        try:
            response = self.session.request(
                method, url, params=params, json=json, headers=headers, auth=auth,
                verify=self.verify, timeout=timeout, allow_redirects=False)
        except _TRANSPORT_ERRORS as exc:
            error = self._transport_error(exc, where, timeout, url)
            raise self._scrubbed(error) from None
        return self._handle_response(response, method, path, where, url, expect_json)

    def get(self, path, params=None, timeout=None):
        """GET ``path``; a transient error is retried ``read_retries`` times (reads are idempotent)."""
        attempt = 0
        while True:
            try:
                return self.request('GET', path, params=params, timeout=timeout)
            except RSError as exc:
                if not exc.transient or attempt >= self.read_retries:
                    raise
                attempt += 1
                self.sleep(self.retry_pause * attempt)

    def post(self, path, json=None, params=None, timeout=None):
        return self.request('POST', path, params=params, json=json, timeout=timeout)

    def put(self, path, json=None, params=None, timeout=None):
        return self.request('PUT', path, params=params, json=json, timeout=timeout)

    def delete(self, path, params=None, timeout=None):
        return self.request('DELETE', path, params=params, timeout=timeout)

    # ------------------------------------------------------------------ error mapping

    def _transport_error(self, exc, where, timeout, url):
        """Map a transport exception to an ``RSError``; its text is inspected, never embedded."""
        text = str(exc).lower()
        seconds = _format_seconds(timeout)
        if HAS_REQUESTS and isinstance(exc, requests.exceptions.SSLError):
            return self._tls_error(text, url)
        if HAS_REQUESTS and isinstance(exc, requests.exceptions.ConnectTimeout):
            return RSTimeoutError(
                'The cluster at %s did not accept a connection within %s s (%s): check url (%s), the network '
                'path and the firewall, or raise request_timeout' % (self.host_port, seconds, where, ENV_URL), url=url)
        if (HAS_REQUESTS and isinstance(exc, requests.exceptions.Timeout)) or 'read timed out' in text:
            return RSTimeoutError(
                'The cluster at %s did not answer within %s s (%s): it may be busy; raise request_timeout if it '
                'is slow' % (self.host_port, seconds, where), url=url)
        if HAS_REQUESTS and isinstance(exc, (requests.exceptions.ChunkedEncodingError,
                                             requests.exceptions.ContentDecodingError)):
            return RSInvalidResponse(
                'The answer of the cluster at %s to %s was truncated or could not be decoded'
                % (self.host_port, where), url=url)
        if HAS_REQUESTS and isinstance(exc, requests.exceptions.ProxyError):
            return RSConnectionError(
                'Cannot reach the cluster at %s through the configured HTTP(S) proxy (%s): check the proxy '
                'environment variables (HTTPS_PROXY, NO_PROXY)' % (self.host_port, where), url=url)
        if HAS_REQUESTS and isinstance(exc, requests.exceptions.ConnectionError):
            return self._connection_error(text, where, url)
        if HAS_REQUESTS and isinstance(exc, requests.exceptions.RequestException):
            return RSConnectionError(
                'The request %s to %s failed (%s)' % (where, self.host_port, type(exc).__name__), url=url)
        # A plain OSError: requests raises one for an unreadable CA bundle, before connecting.
        if self.ca_path and ('ca certificate bundle' in text or 'ca_certs' in text or 'certificate' in text):
            return RSConfigError(
                'ca_path %s cannot be used as a CA bundle: it must be a readable PEM file or directory (%s)'
                % (self.ca_path, ENV_CA_PATH), url=url)
        return self._connection_error(text, where, url, fallback=type(exc).__name__)

    def _tls_error(self, text, url):
        reasons = (
            (('self-signed', 'self signed'), 'the certificate is self-signed or signed by an unknown CA'),
            (('unable to get local issuer',), 'the issuer of the certificate is not trusted (unable to get local issuer certificate)'),
            (('hostname mismatch', "doesn't match", 'does not match', 'ip address mismatch'),
             'the certificate does not match the host name of url'),
            (('certificate has expired', 'certificate expired'), 'the certificate has expired'),
            (('certificate is not yet valid',), 'the certificate is not yet valid'),
            (('certificate verify failed', 'certificate_verify_failed'), 'certificate verify failed'),
        )
        for needles, reason in reasons:
            if any(needle in text for needle in needles):
                if self.ca_path:
                    # ca_path wins over validate_certs, so "validate_certs=false" would not help here.
                    hint = ("the CA bundle in ca_path (%s) does not vouch for this certificate: point ca_path at the "
                            "bundle of the CA that signed the cluster's certificate" % self.ca_path)
                else:
                    hint = ("set ca_path (%s) to the cluster's CA bundle, or validate_certs=false to skip verification "
                            "(not recommended)" % ENV_CA_PATH)
                return RSTLSError('TLS verification of %s failed: %s. %s%s'
                                  % (self.display_url, reason, hint[0].upper(), hint[1:]), url=url)
        if 'wrong version number' in text or 'unknown protocol' in text or 'record layer failure' in text:
            return RSTLSError(
                'TLS handshake with %s failed: the port does not seem to speak TLS; check the scheme and port of '
                'url (%s), the RS REST API uses https on port 9443' % (self.display_url, ENV_URL), url=url)
        return RSTLSError(
            "TLS handshake with %s failed. Check url (%s); if the certificate is the problem, set ca_path (%s) to "
            "the cluster's CA bundle" % (self.display_url, ENV_URL, ENV_CA_PATH), url=url)

    def _connection_error(self, text, where, url, fallback=None):
        if 'refused' in text:
            reason = 'connection refused; check url (%s): the RS REST API listens on port 9443 by default' % ENV_URL
        elif any(needle in text for needle in ('name or service not known', 'nodename nor servname',
                                               'temporary failure in name resolution', 'getaddrinfo failed',
                                               'no address associated', 'name resolution', 'failed to resolve')):
            return RSConnectionError(
                'Cannot resolve the host %s of url (%s): check the host name and DNS'
                % (_host_for_url(self.host), ENV_URL), url=url)
        elif any(needle in text for needle in ('reset', 'aborted', 'remotedisconnected', 'remote end closed',
                                               'broken pipe')):
            reason = 'the connection was reset or closed before an answer arrived (%s)' % where
        elif any(needle in text for needle in ('no route to host', 'network is unreachable', 'unreachable')):
            reason = 'the host or network is unreachable'
        elif fallback:
            reason = 'the request %s failed (%s)' % (where, fallback)
        else:
            reason = 'the request %s failed' % where
        return RSConnectionError('Cannot connect to the cluster at %s: %s' % (self.host_port, reason), url=url)

    def _handle_response(self, response, method, path, where, url, expect_json):
        status = int(response.status_code)
        headers = getattr(response, 'headers', None) or {}
        content_type = headers.get('Content-Type') or headers.get('content-type') or ''
        body = getattr(response, 'content', None)
        if body is None:
            body = getattr(response, 'text', '') or ''
        if isinstance(body, bytes):
            text = body.decode('utf-8', 'replace')
        else:
            text = str(body)

        if 200 <= status < 300:
            if not text.strip():
                return None
            if not expect_json:
                return text
            if _looks_like_html(content_type, text):
                raise RSInvalidResponse(
                    'The cluster at %s answered %s with an HTML page instead of JSON (%d): a proxy or load balancer '
                    'may be in the way; check url (%s) and retry later' % (self.host_port, where, status, ENV_URL),
                    status=status, url=url)
            try:
                return _json.loads(text)
            except ValueError:
                raise RSInvalidResponse(
                    'The cluster at %s answered %s with invalid or truncated JSON (%d, %d bytes); retry later'
                    % (self.host_port, where, status, len(body)),
                    status=status, url=url) from None

        error_code, description = self._error_details(content_type, text)
        error = self._http_error(status, method, path, where, url, error_code, description)
        raise self._scrubbed(error)

    def _error_details(self, content_type, text):
        """Return ``(error_code, description)`` from an error body: RS's ``description``, else ``message``."""
        stripped = text.strip()
        if not stripped:
            return None, None
        if _looks_like_html(content_type, stripped):
            return None, 'HTML error page from a proxy'
        try:
            data = _json.loads(stripped)
        except ValueError:
            first_line = stripped.splitlines()[0]
            return None, self._scrub(first_line[:_MAX_DESCRIPTION])
        if not isinstance(data, dict):
            return None, None
        error_code = data.get('error_code')
        description = data.get('description')
        if description in (None, ''):
            description = data.get('message')
        if description in (None, ''):
            description = data.get('error') if isinstance(data.get('error'), str) else None
        error_code = self._scrub(error_code) if error_code not in (None, '') else None
        if description is not None:
            description = description if isinstance(description, str) else _json.dumps(description)
            description = self._scrub(description[:_MAX_DESCRIPTION])
        return error_code, description

    def _http_error(self, status, method, path, where, url, error_code, description):
        code_part = '%d %s' % (status, error_code) if error_code else '%d' % status
        detail = ': %s' % description if description else ''
        kwargs = dict(status=status, error_code=error_code, description=description, url=url)
        if status == 401:
            return RSAuthError(
                'Authentication failed (401): check username and password (%s / %s)' % (ENV_USER, ENV_PASSWORD),
                **kwargs)
        if status == 403:
            permission = _permission_hint(method, tuple(str(segment) for segment in path))
            lacks = ('the permission %s' % permission) if permission else 'the permission this request needs'
            return RSAuthError(
                'Permission denied (%s) for %s: the role of user %r lacks %s; use a user whose role has it%s'
                % (code_part, where, self.username, lacks, detail), **kwargs)
        if status == 404:
            return RSNotFound('Not found (%s): %s%s' % (code_part, where, detail), **kwargs)
        if status == 409:
            duplicate = {'uid_exists': 'uid', 'name_exists': 'name', 'name_already_exists': 'name'}.get(error_code)
            if duplicate:
                hint = 'an object with this %s already exists; pick another or manage the existing one' % duplicate
            else:
                hint = 'the object may be busy with another change; retry later'
            return RSConflict('RS reported a conflict (%s) for %s%s. %s%s'
                              % (code_part, where, detail, hint[0].upper(), hint[1:]), **kwargs)
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
