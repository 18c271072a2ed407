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

The client keeps the session, the credentials, ``request()`` and the verbs. The rest lives beside it, and its public
names are imported from here too: the options and the URL in ``rs_connection``, the bounded body reader and the JSON
checks in ``rs_body``, the mapping of failures to exceptions (with their hints) in ``rs_error_map``.
"""

from __future__ import annotations

import base64
import math
import time
import traceback
from urllib.parse import quote

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_body import (  # pylint: disable=unused-import
    MAX_JSON_DEPTH,
    MAX_RESPONSE_BYTES,
    decode_answer,
    error_details,
    json_too_deep,
    read_body,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_connection import (  # pylint: disable=unused-import
    DEFAULT_REQUEST_TIMEOUT,
    ENV_CA_PATH,
    ENV_INSECURE,
    ENV_PASSWORD,
    ENV_URL,
    ENV_USER,
    FINITE_FLOAT,
    FINITE_INT,
    INSECURE_TRUE_VALUES,
    MIN_REQUEST_TIMEOUT,
    REDACTED,
    URL_TYPE,
    answer_secrets,
    check_ca_path,
    check_credentials,
    check_request_timeout,
    connection_argument_spec,
    host_for_url,
    mask_url_credentials,
    option_secrets,
    parse_base_url,
    resolve_validate_certs,
    url_secrets,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_error_map import (
    http_error,
    plain_to_tls,
    transport_error,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSConfigError, RSError

REQUESTS_IMPORT_ERROR = None
try:
    import requests
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_REQUESTS = True


# How many times the read-only modules try a GET again after a transient error (the wait loop has its own policy).
READ_RETRIES = 2
USER_AGENT = 'redis_enterprise.software (ansible collection)'

if HAS_REQUESTS:
    _TRANSPORT_ERRORS = (requests.exceptions.RequestException, OSError)
else:  # pragma: no cover - only without requests, where a session must be injected
    _TRANSPORT_ERRORS = (OSError,)


def new_session():
    """Create the ``requests.Session`` a client uses (one per module run); tests patch this."""
    return requests.Session()


def _auth_part(value):
    # requests encodes str credentials as latin-1; RS, curl and redisctl use UTF-8, so always send UTF-8 bytes.
    return value.encode('utf-8')


def _secrets_of(username, password):
    """The texts no message may show: the password and the Basic auth token."""
    secrets = [password]
    try:
        secrets.append(base64.b64encode(('%s:%s' % (username, password)).encode('utf-8')).decode('ascii'))
    except (TypeError, ValueError):  # pragma: no cover - defensive
        pass
    return secrets


class RSClient:
    """A small REST client for one RS cluster.

    ``path`` arguments are tuples of segments, e.g. ``('v1', 'actions', uid)``; every segment is
    quoted, so a value can never change the path that is requested.
    """

    def __init__(self, url, username=None, password=None, validate_certs=True, ca_path=None,
                 request_timeout=DEFAULT_REQUEST_TIMEOUT, session=None, max_response_bytes=MAX_RESPONSE_BYTES):
        self.base_url, self.scheme, self.host, self.port = parse_base_url(url)
        self.host_port = '%s:%d' % (host_for_url(self.host), self.port)
        # What messages name: always with the port, e.g. https://cluster.example.com:9443
        self.display_url = '%s://%s' % (self.scheme, self.host_port)
        check_credentials(username, password)
        request_timeout = check_request_timeout(request_timeout)
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
        self._secrets = _secrets_of(username, password)

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
                text = text.replace(secret, REDACTED)
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
            # (connect, read): each socket operation waits at most the budget; read_body() bounds the total.
            response = self.session.request(
                method, url, params=params, json=json, headers=headers, auth=auth,
                verify=self.verify, timeout=(timeout, timeout), allow_redirects=False, stream=True)
        except _TRANSPORT_ERRORS as exc:
            error = transport_error(self, exc, where, timeout, url)
            raise self._scrubbed(error) from None
        try:
            body = read_body(self, response, ends, where, timeout, url)
        except RSError as error:
            self._scrubbed(error)
            raise
        return self._handle_response(response, body, method, path, where, url, expect_json)

    def get(self, path, params=None, timeout=None, deadline=None):
        """GET ``path``; a transient error is retried ``read_retries`` times (reads are idempotent).

        ``timeout`` and ``deadline`` bound the whole GET, its retries and their pauses included: a retry gets only
        what is left, and one that would start past them is not sent (the last error is raised), so a wait that
        gives a GET the time it has left ends on time whatever the server does."""
        ends = deadline
        if timeout is not None:
            try:
                budget_end = self.clock() + float(timeout)
            except (TypeError, ValueError):
                budget_end = None
            if budget_end is not None and not math.isnan(budget_end):
                ends = budget_end if ends is None else min(float(ends), budget_end)
        attempt = 0
        while True:
            try:
                return self.request('GET', path, params=params, timeout=timeout,
                                    deadline=deadline if attempt == 0 else ends)
            except RSError as exc:
                if not exc.transient or attempt >= self.read_retries:
                    raise
                attempt += 1
                pause = self.retry_pause * attempt
                if ends is not None and self.clock() + pause >= ends:
                    raise
                self.sleep(pause)

    def post(self, path, json=None, params=None, timeout=None, deadline=None):
        return self.request('POST', path, params=params, json=json, timeout=timeout, deadline=deadline)

    def put(self, path, json=None, params=None, timeout=None, deadline=None):
        return self.request('PUT', path, params=params, json=json, timeout=timeout, deadline=deadline)

    def delete(self, path, params=None, timeout=None, deadline=None):
        return self.request('DELETE', path, params=params, timeout=timeout, deadline=deadline)

    # ------------------------------------------------------------------ answers

    def _handle_response(self, response, body, method, path, where, url, expect_json):
        status = int(response.status_code)
        headers = getattr(response, 'headers', None) or {}
        content_type = headers.get('Content-Type') or headers.get('content-type') or ''
        if 200 <= status < 300:
            return decode_answer(self, body, content_type, where, status, url, expect_json)
        text = body.decode('utf-8', 'replace')
        if status == 400 and self.scheme == 'http' and 'http request was sent to https port' in text.lower():
            raise plain_to_tls(self, url, status=status)
        error_code, description = error_details(content_type, text, self._scrub)
        error = http_error(self, status, method, path, where, url, error_code, description)
        raise self._scrubbed(error)
