# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""REST client for Redis Enterprise Software (RS), built on ``requests``.

* ``connection_argument_spec()`` returns the shared connection options (documented by the
  ``redis_enterprise.software.connection`` doc fragment).
* ``RSClient`` holds one ``requests.Session`` per module run, sends HTTP Basic auth, verifies TLS,
  gives every request a total time budget and a size limit, and turns every failure into one of the
  exceptions of ``rs_errors``.
* ``RSClient.from_params(params, warn=...)`` builds a client from validated options (a module's
  ``params`` or the action plugin's validated arguments).

Time budget of a request (``RSClient.request()``): connect, sending, the headers and the whole body must
complete within ``min(request_timeout, timeout, deadline - time.monotonic())``; ``timeout`` (seconds) and
``deadline`` (a ``time.monotonic()`` value, for example the end of a wait) are optional. The body is read in
streaming, each socket read waiting at most for the time left, so a server that drips its body cannot hold a
request past its budget (``RSTimeoutError``, ``kind='timeout'``). Only a server that drips its status line or
headers is bounded per read rather than in total: ``requests`` offers no hook before the headers.

Size and shape of an answer: at most ``MAX_RESPONSE_BYTES`` after decompression (a gzip bomb stops at the
limit, memory stays bounded) and at most ``MAX_JSON_DEPTH`` levels of JSON nesting; beyond either the answer
is an ``RSInvalidResponse`` (transient).

Transport failures carry ``kind`` (see ``rs_errors.CONNECTION_KINDS``) and ``misconfig`` (a wrong url, port,
scheme or proxy is the likely cause); the messages name the fix.

No message, result or exception built here contains the password or the ``Authorization`` header:
messages are composed from the scheme, host and port of the URL, the request path and RS's own
``error_code``/``description``, never from the text of a ``requests`` exception.
"""

from __future__ import annotations

import base64
import json as _json
import math
import os
import socket
import ssl
import time
import traceback
from itertools import accumulate
from urllib.parse import quote, urlsplit

from ansible.module_utils.basic import env_fallback, missing_required_lib
from ansible.module_utils.common.validation import check_type_float, check_type_int, check_type_str

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
    import urllib3
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

# Largest answer body read, counted after decompression (Content-Encoding). RS's largest answers (every action of a
# busy cluster, every bdb with all its fields) are a few MB; 64 MiB leaves more than ten times that, and bounds what one
# answer can cost (its text plus the parsed objects, a few times its size) well under 1 GB of memory.
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
# Deepest JSON nesting accepted. RS's deepest shapes (a bdb's nested settings, an action's details) stay under
# 10 levels; 64 refuses hostile documents long before json, a copy or the result's serialization could recurse.
MAX_JSON_DEPTH = 64
# Bytes asked per read of a body: one read returns what has arrived, up to this (urllib3 2's read1()).
_READ_CHUNK = 64 * 1024
# With urllib3 1.x (no read1), reads wait for a full chunk: keep it small so the deadline is checked often.
_FALLBACK_CHUNK = 1024
# A TLS handshake to tell "http:// to a TLS port" from a plain reset takes at most this long.
_PROBE_TIMEOUT = 3.0

# OpenSSL verification codes (X509_V_ERR_*) of ssl.SSLCertVerificationError.verify_code.
_X509_NOT_YET_VALID = (9,)
_X509_EXPIRED = (10,)
_X509_UNKNOWN_CA = (2, 18, 19, 20, 21)
_X509_NAME_MISMATCH = (62, 64)

# Longest RS error description kept in a message (plain-text bodies can be long).
_MAX_DESCRIPTION = 300
_REDACTED = '********'

if HAS_REQUESTS:
    _TRANSPORT_ERRORS = (requests.exceptions.RequestException, OSError)
    # What reading a streamed body can raise (urllib3 directly, or requests around it).
    _READ_ERRORS = (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError)
else:  # pragma: no cover - only without requests, where a session must be injected
    _TRANSPORT_ERRORS = (OSError,)
    _READ_ERRORS = (OSError,)

_NOT_BRACKETS = bytes(b for b in range(256) if b not in b'[]{}')
# '[' and '{' become +1, ']' and '}' become -1 (as signed bytes), for a running sum in C.
_BRACKET_STEPS = bytes.maketrans(b'[{]}', b'\x01\x01\xff\xff')


def json_too_deep(data, limit=MAX_JSON_DEPTH):
    """Whether the JSON text ``data`` (bytes or str) nests deeper than ``limit`` levels.

    Counts the brackets outside strings, without parsing: cheap even for a large body, and safe before
    ``json.loads`` (which raises ``RecursionError`` at about 1000 levels).
    """
    if isinstance(data, str):
        data = data.encode('utf-8', 'replace')
    brackets = data.translate(None, _NOT_BRACKETS)
    if brackets.count(b'[') + brackets.count(b'{') <= limit:
        return False
    # Most bodies (a long list of flat objects) are shallow even counting the brackets inside strings: decided on
    # the brackets alone, without the copies of the whole body below. (Closing brackets inside strings could hide
    # some depth here; json.loads's own RecursionError still catches what is too deep for it.)
    if max(accumulate(memoryview(brackets.translate(_BRACKET_STEPS)).cast('b'))) <= limit:
        return False
    # Brackets inside strings do not count: drop the escaped backslashes and quotes (left to right, as JSON pairs
    # them), then every other piece between quotes is outside a string. C-speed bytes operations only.
    unescaped = data.replace(b'\\\\', b'').replace(b'\\"', b'')
    brackets = b''.join(unescaped.split(b'"')[::2]).translate(None, _NOT_BRACKETS)
    if not brackets:
        return False
    return max(accumulate(memoryview(brackets.translate(_BRACKET_STEPS)).cast('b'))) > limit


def mask_url_credentials(url):
    """``url`` with anything between ``scheme://`` and the last ``@`` replaced by ``********``.

    Applied when the options are validated, so credentials written into the url never reach ``module_args``
    (``-vvv``, the log file) even when another option fails validation first. The client then refuses the
    url anyway (credentials belong in ``username``/``password``); nothing of them is kept.
    """
    if not isinstance(url, str) or '@' not in url:
        return url
    prefix, rest = url.split('://', 1) if '://' in url else ('', url)
    host = rest.rsplit('@', 1)[1]
    return '%s%s@%s' % (prefix + '://' if prefix else '', _REDACTED, host)


class _URLType(str):
    """The type of the ``url`` option: equal to ``'str'`` (what the documentation, ``ansible-doc`` and
    validate-modules see) and callable, so ``AnsibleModule`` and ``ArgumentSpecValidator`` use it as the type
    checker: a string, with credentials masked before any output can show them.

    ``no_log`` would hide the whole url (and every message naming the cluster); ``no_log_values`` added after
    ``AnsibleModule()`` returns come too late, because a failed validation ends the module inside it.
    """

    __slots__ = ()

    def __call__(self, value, **kwargs):
        return mask_url_credentials(check_type_str(value, allow_conversion=True, **kwargs))


URL_TYPE = _URLType('str')


class _FiniteNumberType(str):
    """``'int'`` or ``'float'`` for the documentation and validate-modules, and, as the type checker, ansible's own
    conversion that refuses infinity and NaN with a clear message. (``check_type_int`` lets an ``OverflowError``
    escape for ``.inf``: a traceback instead of an error naming the option.)"""

    __name__ = property(str.__str__)   # what ansible's message calls the wanted type: int or float

    def __call__(self, value, **kwargs):
        number = value
        if isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                number = 0.0
        if isinstance(number, float) and (math.isinf(number) or math.isnan(number)):
            raise TypeError('%s is not a finite number' % value)
        return (check_type_int if self == 'int' else check_type_float)(value)


# Number types for options: e.g. dict(type=FINITE_FLOAT) documents as float and refuses .inf/.nan.
FINITE_INT = _FiniteNumberType('int')
FINITE_FLOAT = _FiniteNumberType('float')


def connection_argument_spec():
    """Return a fresh dict with the connection options shared by every module."""
    return dict(
        url=dict(type=URL_TYPE, fallback=(env_fallback, [ENV_URL])),
        username=dict(type='str', aliases=['user'], fallback=(env_fallback, [ENV_USER])),
        password=dict(type='str', no_log=True, fallback=(env_fallback, [ENV_PASSWORD])),
        # None means "not set": resolve_validate_certs() then looks at REDIS_ENTERPRISE_INSECURE.
        validate_certs=dict(type='bool'),
        ca_path=dict(type='path', fallback=(env_fallback, [ENV_CA_PATH])),
        request_timeout=dict(type=FINITE_FLOAT, default=DEFAULT_REQUEST_TIMEOUT),
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
    return '%g' % round(value, 2)


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


def check_ca_path(ca_path):
    """Refuse, before any request, a ``ca_path`` that cannot work: missing, unreadable, or a file without a PEM
    certificate (``ssl.create_default_context(cafile=...)`` loads it as the request would)."""
    where = 'ca_path %s (%s)' % (ca_path, ENV_CA_PATH)
    if not os.path.exists(ca_path):
        raise RSConfigError('%s does not exist: give the path of the PEM file of the CA that signed the '
                            "cluster's certificate" % where)
    if os.path.isdir(ca_path):
        try:
            os.listdir(ca_path)
        except OSError:
            raise RSConfigError('%s is a directory that cannot be read: check its permissions' % where) from None
        return
    try:
        with open(ca_path, 'rb') as handle:
            handle.read(1)
    except OSError:
        raise RSConfigError('%s cannot be read: check its permissions (the user that runs the module must be '
                            'able to read it)' % where) from None
    try:
        ssl.create_default_context(cafile=ca_path)
    except (ssl.SSLError, ValueError, OSError):
        raise RSConfigError(
            '%s holds no usable PEM certificate: give a PEM file (text with -----BEGIN CERTIFICATE-----) of the CA '
            "that signed the cluster's certificate, for example the proxy_cert or the CA of the cluster's api "
            'certificate' % where) from None


def _strip_credentials(proxy):
    """``scheme://host:port`` of a proxy URL, without its credentials (or ``None``)."""
    try:
        parts = urlsplit(proxy if '://' in proxy else 'http://' + proxy)
        host, port = parts.hostname, parts.port
    except (TypeError, ValueError, AttributeError):
        return None
    if not host:
        return None
    return '%s://%s%s' % (parts.scheme, _host_for_url(host), ':%d' % port if port else '')


def _exception_chain(exc, limit=16):
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
                 request_timeout=DEFAULT_REQUEST_TIMEOUT, session=None, max_response_bytes=MAX_RESPONSE_BYTES):
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
        if self.ca_path:
            check_ca_path(self.ca_path)
        self.verify = self.ca_path if self.ca_path else self.validate_certs
        self.request_timeout = request_timeout
        # Largest answer body (decompressed) read before the answer is refused; internal (tests, tools).
        self.max_response_bytes = int(max_response_bytes)
        # The clock of ``deadline`` arguments and of the body reads.
        self.clock = time.monotonic
        # On a reset with http://, try a TLS handshake to tell "this port speaks TLS" (plain_to_tls).
        self.probe_tls = True
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
    def from_params(cls, params, warn=None, session=None):
        """Build a client from validated options (the keys of ``connection_argument_spec()``).

        ``warn`` is called with a warning when ``url`` uses ``http://``. Raises ``RSConfigError`` for invalid
        options, and with the text of ``missing_required_lib('requests')`` when ``requests`` is missing and no
        ``session`` is given. Credentials embedded in ``url`` are refused here: the caller hides them from its
        output first (``url_secrets()``).
        """
        client = cls(
            url=params.get('url'),
            username=params.get('username'),
            password=params.get('password'),
            validate_certs=resolve_validate_certs(params.get('validate_certs')),
            ca_path=params.get('ca_path'),
            request_timeout=params.get('request_timeout'),
            session=session,
        )
        if client.scheme == 'http' and warn is not None:
            warn('url uses http://: the username and password travel in clear text; use https:// '
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

    def effective_timeout(self, timeout=None, deadline=None):
        """The total time budget of one request, in seconds: ``request_timeout``, lowered to ``timeout`` and to
        what is left until ``deadline`` (a ``self.clock()`` value) when they are given; never below
        ``MIN_REQUEST_TIMEOUT``."""
        value = self.request_timeout
        if timeout is not None:
            try:
                value = min(value, float(timeout))
            except (TypeError, ValueError):
                pass
        if deadline is not None:
            try:
                value = min(value, float(deadline) - self.clock())
            except (TypeError, ValueError):
                pass
        if math.isnan(value) or value < MIN_REQUEST_TIMEOUT:
            return MIN_REQUEST_TIMEOUT
        return value

    @staticmethod
    def _path_text(path):
        return '/' + '/'.join(quote(str(s), safe='') for s in path)

    # ------------------------------------------------------------------ requests

    def request(self, method, path, params=None, json=None, timeout=None, expect_json=True, deadline=None):
        """Send one request and return the decoded JSON body (``None`` for an empty body).

        The whole request (connect, the headers and the full body) must end within
        ``effective_timeout(timeout, deadline)`` seconds: ``request_timeout``, lowered to ``timeout`` (seconds)
        and to the time left until ``deadline`` (a ``time.monotonic()`` value) when given; past it,
        ``RSTimeoutError``. With ``expect_json=False`` the body is returned as text. Raises the ``rs_errors``
        classes.
        """
        method = str(method).upper()
        url = self.build_url(path)
        path_text = self._path_text(path)
        where = '%s %s' % (method, path_text)
        timeout = self.effective_timeout(timeout, deadline)
        ends = self.clock() + timeout
        headers = {'Accept': 'application/json', 'User-Agent': USER_AGENT}
        if json is not None or method in ('POST', 'PUT', 'PATCH'):
            headers['Content-Type'] = 'application/json'
        auth = (_auth_part(self.username), _auth_part(self._password))
        self.requests_sent += 1
        try:
            # (connect, read): each socket operation waits at most the budget; _read_body() bounds the total.
            response = self.session.request(
                method, url, params=params, json=json, headers=headers, auth=auth,
                verify=self.verify, timeout=(timeout, timeout), allow_redirects=False, stream=True)
        except _TRANSPORT_ERRORS as exc:
            error = self._transport_error(exc, where, timeout, url)
            raise self._scrubbed(error) from None
        body = self._read_body(response, ends, where, timeout, url)
        return self._handle_response(response, body, method, path, where, url, expect_json)

    def get(self, path, params=None, timeout=None, deadline=None):
        """GET ``path``; a transient error is retried ``read_retries`` times (reads are idempotent)."""
        attempt = 0
        while True:
            try:
                return self.request('GET', path, params=params, timeout=timeout, deadline=deadline)
            except RSError as exc:
                if not exc.transient or attempt >= self.read_retries:
                    raise
                attempt += 1
                self.sleep(self.retry_pause * attempt)

    def post(self, path, json=None, params=None, timeout=None, deadline=None):
        return self.request('POST', path, params=params, json=json, timeout=timeout, deadline=deadline)

    def put(self, path, json=None, params=None, timeout=None, deadline=None):
        return self.request('PUT', path, params=params, json=json, timeout=timeout, deadline=deadline)

    def delete(self, path, params=None, timeout=None, deadline=None):
        return self.request('DELETE', path, params=params, timeout=timeout, deadline=deadline)

    # ------------------------------------------------------------------ body

    def _size_text(self):
        mib = 1024 * 1024
        limit = self.max_response_bytes
        return '%d MiB' % (limit // mib) if limit % mib == 0 else '%d bytes' % limit

    def _too_large(self, where, url, status):
        return RSInvalidResponse(
            'The answer of the cluster at %s to %s is larger than %s (decompressed) and was refused to protect this '
            "host's memory: check url (%s); a proxy or a hostile server may be answering"
            % (self.host_port, where, self._size_text(), ENV_URL), status=status, url=url)

    @staticmethod
    def _discard(response):
        """Close a response whose body is not read to its end (its connection cannot be reused)."""
        close = getattr(response, 'close', None)
        if close is not None:
            try:
                close()
            except Exception:  # pylint: disable=broad-exception-caught
                pass

    @staticmethod
    def _limit_socket_wait(raw, left):
        """Make the next socket read of ``raw`` wait at most ``left`` seconds."""
        connection = getattr(raw, 'connection', None) or getattr(raw, '_connection', None)
        sock = getattr(connection, 'sock', None)
        if sock is not None:
            try:
                sock.settimeout(max(left, MIN_REQUEST_TIMEOUT))
            except (OSError, ValueError):
                pass

    def _read_body(self, response, ends, where, timeout, url):
        """Read the body of a streamed response until ``ends`` (a ``self.clock()`` value), at most
        ``max_response_bytes`` of it after decompression; return it as bytes."""
        status = getattr(response, 'status_code', None)
        headers = getattr(response, 'headers', None) or {}
        try:
            length = int(headers.get('Content-Length'))
        except (TypeError, ValueError):
            length = None
        if length is not None and length > self.max_response_bytes and not headers.get('Content-Encoding'):
            self._discard(response)
            raise self._too_large(where, url, status)
        raw = getattr(response, 'raw', None)
        read1 = getattr(raw, 'read1', None)
        if read1 is not None:  # urllib3 >= 2: one read returns what has arrived, decoded
            def read():
                return read1(_READ_CHUNK, decode_content=True)
        elif getattr(response, 'iter_content', None) is not None:  # urllib3 1.x
            chunks = response.iter_content(_FALLBACK_CHUNK)

            def read():
                return next(chunks, b'')
        else:
            # A response-like object that already holds its body (a test double): only the size limit applies.
            body = getattr(response, 'content', None)
            if body is None:
                body = getattr(response, 'text', '') or ''
            body = body if isinstance(body, bytes) else str(body).encode('utf-8')
            if len(body) > self.max_response_bytes:
                raise self._too_large(where, url, status)
            return body
        parts = []
        size = 0
        try:
            while True:
                left = ends - self.clock()
                if left <= 0:
                    raise self._body_timeout(where, timeout, url, status, size)
                self._limit_socket_wait(raw, left)
                chunk = read()
                if not chunk:
                    break
                size += len(chunk)
                if size > self.max_response_bytes:
                    raise self._too_large(where, url, status)
                parts.append(chunk)
        except RSError:
            self._discard(response)
            raise
        except _READ_ERRORS as exc:
            self._discard(response)
            if ends - self.clock() <= MIN_REQUEST_TIMEOUT:   # the socket waited for the time left
                raise self._body_timeout(where, timeout, url, status, size) from None
            raise self._scrubbed(self._read_error(exc, where, timeout, url, status)) from None
        # Read to its end: the connection goes back to the pool, for the next request.
        release = getattr(raw, 'release_conn', None)
        if release is not None:
            release()
        return b''.join(parts)

    def _body_timeout(self, where, timeout, url, status, size):
        return RSTimeoutError(
            'The cluster at %s did not send its whole answer to %s within %s s (%d bytes received): it may be '
            'overloaded, or a proxy or a hostile server is answering slowly; raise request_timeout if the cluster is '
            'slow' % (self.host_port, where, _format_seconds(timeout), size), status=status, url=url, kind='timeout')

    def _read_error(self, exc, where, timeout, url, status):
        chain = _exception_chain(exc)
        timeouts = (socket.timeout, TimeoutError)
        if HAS_REQUESTS:
            timeouts += (urllib3.exceptions.TimeoutError, requests.exceptions.Timeout)
        if any(isinstance(item, timeouts) for item in chain):
            return RSTimeoutError(
                'The cluster at %s stopped sending its answer to %s (no data for the %s s left): it may be busy; '
                'raise request_timeout if it is slow' % (self.host_port, where, _format_seconds(timeout)),
                status=status, url=url, kind='timeout')
        decoding = (requests.exceptions.ContentDecodingError, urllib3.exceptions.DecodeError) if HAS_REQUESTS else ()
        if any(isinstance(item, decoding) for item in chain):
            return RSInvalidResponse('The answer of the cluster at %s to %s could not be decompressed'
                                     % (self.host_port, where), status=status, url=url)
        return RSInvalidResponse('The answer of the cluster at %s to %s was truncated: the connection closed before '
                                 'its end' % (self.host_port, where), status=status, url=url)

    # ------------------------------------------------------------------ error mapping

    def _transport_error(self, exc, where, timeout, url):
        """Map a transport exception to an ``RSError``; its text is inspected, never embedded."""
        text = ' '.join(str(item) for item in _exception_chain(exc)).lower()
        seconds = _format_seconds(timeout)
        if HAS_REQUESTS and isinstance(exc, requests.exceptions.ProxyError):
            return self._proxy_error(where, url)
        if HAS_REQUESTS and isinstance(exc, requests.exceptions.SSLError):
            return self._tls_error(exc, text, url)
        if HAS_REQUESTS and isinstance(exc, requests.exceptions.ConnectTimeout):
            return RSTimeoutError(
                'The cluster at %s did not accept a connection within %s s (%s): check the host and port of url '
                '(%s), the network path and the firewall, or raise request_timeout'
                % (self.host_port, seconds, where, ENV_URL), url=url, kind='timeout')
        if (HAS_REQUESTS and isinstance(exc, requests.exceptions.Timeout)) or 'read timed out' in text:
            return RSTimeoutError(
                'The cluster at %s did not answer within %s s (%s): it may be busy; raise request_timeout if it '
                'is slow' % (self.host_port, seconds, where), url=url, kind='timeout')
        if HAS_REQUESTS and isinstance(exc, (requests.exceptions.ChunkedEncodingError,
                                             requests.exceptions.ContentDecodingError)):
            return RSInvalidResponse(
                'The answer of the cluster at %s to %s was truncated or could not be decoded'
                % (self.host_port, where), url=url)
        if HAS_REQUESTS and isinstance(exc, requests.exceptions.ConnectionError):
            return self._connection_error(exc, text, where, timeout, url)
        if HAS_REQUESTS and isinstance(exc, requests.exceptions.RequestException):
            return RSConnectionError(
                'The request %s to %s failed (%s)' % (where, self.host_port, type(exc).__name__), url=url, kind='other')
        # A plain OSError: requests raises one for an unreadable CA bundle, before connecting.
        if self.ca_path and ('ca certificate bundle' in text or 'ca_certs' in text or 'certificate' in text):
            return RSConfigError(
                'ca_path %s cannot be used as a CA bundle: it must be a readable PEM file or directory (%s)'
                % (self.ca_path, ENV_CA_PATH), url=url)
        return self._connection_error(exc, text, where, timeout, url, fallback=type(exc).__name__)

    def _proxy_name(self, url):
        """The proxy ``requests`` uses for ``url`` (session settings, then the environment), without credentials."""
        try:
            proxies = dict(getattr(self.session, 'proxies', None) or {})
            if getattr(self.session, 'trust_env', True):
                for scheme, proxy in requests.utils.get_environ_proxies(url).items():
                    proxies.setdefault(scheme, proxy)
            proxy = requests.utils.select_proxy(url, proxies)
        except Exception:  # pylint: disable=broad-exception-caught
            return None
        return _strip_credentials(proxy) if proxy else None

    def _proxy_error(self, where, url):
        proxy = self._proxy_name(url)
        named = 'the HTTP(S) proxy %s' % proxy if proxy else 'the configured HTTP(S) proxy'
        return RSConnectionError(
            'Cannot reach the cluster at %s: %s refused or failed the connection (%s). Check the proxy settings '
            '(HTTPS_PROXY, HTTP_PROXY), or add %s to NO_PROXY if the cluster must be reached directly'
            % (self.host_port, named, where, self.host), url=url, kind='proxy', transient=False)

    def _tls_error(self, exc, text, url):
        codes = [getattr(item, 'verify_code', None) for item in _exception_chain(exc)]
        codes = [code for code in codes if code is not None]

        def seen(numbers, needles):
            return any(code in numbers for code in codes) or any(needle in text for needle in needles)

        host = _host_for_url(self.host)
        if seen(_X509_EXPIRED, ('certificate has expired', 'certificate expired')):
            return RSTLSError(
                "TLS verification of %s failed: the cluster's certificate has expired. Renew the certificate of the "
                "cluster's REST API (api certificate); if it should still be valid, check the clock of this host. "
                'ca_path does not help here' % self.display_url, url=url)
        if seen(_X509_NOT_YET_VALID, ('certificate is not yet valid',)):
            return RSTLSError(
                "TLS verification of %s failed: the cluster's certificate is not valid yet. Check the clocks of this "
                'host and of the cluster nodes, or wait until the start of its validity. ca_path does not help here'
                % self.display_url, url=url)
        if seen(_X509_NAME_MISMATCH, ('hostname mismatch', "doesn't match", 'does not match', 'ip address mismatch')):
            return RSTLSError(
                "TLS verification of %s failed: the cluster's certificate is not valid for the host %s. Use in url a "
                "host name the certificate names (its subject alternative names), or give the cluster's REST API a "
                'certificate for %s' % (self.display_url, host, host), url=url)
        if seen(_X509_UNKNOWN_CA, ('self-signed', 'self signed', 'unable to get local issuer',
                                   'unable to get issuer', 'unable to verify the first certificate')):
            reason = ('the certificate is self-signed' if any(n in text for n in ('self-signed', 'self signed'))
                      else 'the certificate is signed by a CA that is not trusted')
            if self.ca_path:
                hint = ("The CA bundle in ca_path (%s) does not hold the CA that signed the cluster's certificate: "
                        'point ca_path at the PEM file of that CA' % self.ca_path)
            else:
                hint = ("Set ca_path (%s) to the PEM file of the CA that signed the cluster's certificate (for a "
                        'self-signed certificate, the certificate itself), or validate_certs=false to skip '
                        'verification (not recommended)' % ENV_CA_PATH)
            return RSTLSError('TLS verification of %s failed: %s. %s' % (self.display_url, reason, hint), url=url)
        if any(needle in text for needle in ('wrong version number', 'unknown protocol', 'record layer failure',
                                             'record_layer_failure', 'packet length too long')):
            return RSConnectionError(
                'TLS handshake with %s failed: port %d answers in plain HTTP, not TLS. Check the scheme and port of '
                'url (%s): the RS REST API uses https on port 9443 (if this port really serves plain HTTP, use '
                'http://%s:%d)' % (self.display_url, self.port, ENV_URL, host, self.port),
                url=url, kind='tls_to_plain', transient=False)
        if any(needle in text for needle in ('certificate verify failed', 'certificate_verify_failed')):
            hint = ("point ca_path at the PEM file of the CA that signed the cluster's certificate" if self.ca_path
                    else "set ca_path (%s) to the cluster's CA bundle, or validate_certs=false to skip verification "
                         '(not recommended)' % ENV_CA_PATH)
            return RSTLSError('TLS verification of %s failed: certificate verify failed; %s'
                              % (self.display_url, hint), url=url)
        return RSTLSError(
            "TLS handshake with %s failed. Check url (%s); if the certificate is the problem, set ca_path (%s) to "
            "the cluster's CA bundle" % (self.display_url, ENV_URL, ENV_CA_PATH), url=url)

    def _speaks_tls(self, timeout):
        """Whether ``host:port`` completes a TLS handshake (nothing is verified nor sent: only the protocol)."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        try:
            with socket.create_connection((self.host, self.port), timeout=min(timeout, _PROBE_TIMEOUT)) as sock:
                with context.wrap_socket(sock, server_hostname=self.host):
                    return True
        except (OSError, ValueError):
            return False

    def _plain_to_tls(self, url, status=None):
        return RSConnectionError(
            'The cluster at %s speaks TLS on port %d but url uses http://: use https://%s:%d in url (%s)'
            % (self.host_port, self.port, _host_for_url(self.host), self.port, ENV_URL),
            url=url, status=status, kind='plain_to_tls', transient=False)

    def _connection_error(self, exc, text, where, timeout, url, fallback=None):
        chain = _exception_chain(exc)
        name_errors = (socket.gaierror,)
        if HAS_REQUESTS and hasattr(urllib3.exceptions, 'NameResolutionError'):
            name_errors += (urllib3.exceptions.NameResolutionError,)
        host = _host_for_url(self.host)
        if any(isinstance(item, name_errors) for item in chain) or any(
                needle in text for needle in ('name or service not known', 'nodename nor servname',
                                              'temporary failure in name resolution', 'getaddrinfo failed',
                                              'no address associated', 'name resolution', 'failed to resolve')):
            return RSConnectionError(
                'Cannot resolve the host %s of url (%s): check the host name in url and the DNS of this host'
                % (host, ENV_URL), url=url, kind='dns')
        if any(isinstance(item, ConnectionRefusedError) for item in chain) or 'refused' in text:
            return RSConnectionError(
                'Cannot connect to the cluster at %s: connection refused, nothing listens on port %d of %s. Check '
                'the host and port of url (%s): the RS REST API listens on https port 9443 by default'
                % (self.host_port, self.port, host, ENV_URL), url=url, kind='refused')
        if any(isinstance(item, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)) for item in chain) \
                or any(needle in text for needle in ('reset', 'aborted', 'remotedisconnected', 'remote end closed',
                                                     'broken pipe')):
            if self.scheme == 'http' and self.probe_tls and self._speaks_tls(timeout):
                return self._plain_to_tls(url)
            hint = '; if this port speaks TLS, use https:// in url' if self.scheme == 'http' else ''
            return RSConnectionError(
                'Cannot connect to the cluster at %s: the connection was reset or closed before an answer arrived '
                '(%s)%s' % (self.host_port, where, hint), url=url, kind='reset')
        if any(needle in text for needle in ('no route to host', 'network is unreachable', 'unreachable')):
            return RSConnectionError(
                'Cannot connect to the cluster at %s: the host or network is unreachable; check the host of url (%s) '
                'and the network path' % (self.host_port, ENV_URL), url=url, kind='unreachable')
        reason = 'the request %s failed (%s)' % (where, fallback) if fallback else 'the request %s failed' % where
        return RSConnectionError('Cannot connect to the cluster at %s: %s' % (self.host_port, reason),
                                 url=url, kind='other')

    def _handle_response(self, response, body, method, path, where, url, expect_json):
        status = int(response.status_code)
        headers = getattr(response, 'headers', None) or {}
        content_type = headers.get('Content-Type') or headers.get('content-type') or ''
        text = body.decode('utf-8', 'replace')

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
            if json_too_deep(body):
                raise RSInvalidResponse(
                    'The cluster at %s answered %s with JSON nested deeper than %d levels, which RS never sends '
                    '(%d, %d bytes): check url (%s); a proxy or a hostile server may be answering'
                    % (self.host_port, where, MAX_JSON_DEPTH, status, len(body), ENV_URL), status=status, url=url)
            try:
                return _json.loads(text)
            except (ValueError, RecursionError):
                raise RSInvalidResponse(
                    'The cluster at %s answered %s with invalid or truncated JSON (%d, %d bytes); retry later'
                    % (self.host_port, where, status, len(body)),
                    status=status, url=url) from None

        if status == 400 and self.scheme == 'http' and 'http request was sent to https port' in text.lower():
            raise self._plain_to_tls(url, status=status)
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
        if json_too_deep(stripped):
            return None, 'a JSON document nested too deeply'
        try:
            data = _json.loads(stripped)
        except (ValueError, RecursionError):
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
