# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""The body of an answer: read within a deadline and a size limit, then decoded with a bound on JSON depth.

* ``read_body()`` streams a body until a deadline, at most ``max_response_bytes`` of it after decompression (a gzip
  bomb stops at the limit), each socket read waiting at most for the time left.
* ``decode_answer()`` turns a 2xx body into JSON (or text); HTML, JSON deeper than ``MAX_JSON_DEPTH`` and invalid
  JSON are an ``RSInvalidResponse``. ``error_details()`` takes RS's ``error_code`` and ``description`` from an
  error body. ``json_too_deep()`` and ``looks_like_html()`` are the checks both use.

``too_large()``, ``body_timeout()`` and ``read_error()`` build the failures of a read. ``rs_client`` re-exports
``MAX_RESPONSE_BYTES``, ``MAX_JSON_DEPTH`` and ``json_too_deep``.
"""

from __future__ import annotations

import json as _json
import socket
from itertools import accumulate

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_connection import (
    ENV_URL,
    MIN_REQUEST_TIMEOUT,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_error_map import (
    exception_chain,
    format_seconds,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    RSError,
    RSInvalidResponse,
    RSTimeoutError,
)

try:
    import requests
    import urllib3
except ImportError:
    HAS_REQUESTS = False
else:
    HAS_REQUESTS = True

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
# Longest RS error description kept in a message (plain-text bodies can be long).
_MAX_DESCRIPTION = 300

if HAS_REQUESTS:
    # What reading a streamed body can raise (urllib3 directly, or requests around it).
    _READ_ERRORS = (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError)
else:  # pragma: no cover - only without requests, where a session must be injected
    _READ_ERRORS = (OSError,)

_NOT_BRACKETS = bytes(b for b in range(256) if b not in b'[]{}')
# '[' and '{' become +1, ']' and '}' become -1 (as signed bytes), for a running sum in C.
_BRACKET_STEPS = bytes.maketrans(b'[{]}', b'\x01\x01\xff\xff')

_HTML_STARTS = ('<!doctype html', '<html', '<head', '<body', '<title', '<h1', '<center', '<p>')


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


def looks_like_html(content_type, text):
    """An HTML page (a proxy's error page), by its content type or its first tag; XML is not HTML."""
    return 'html' in (content_type or '').lower() or text.lstrip()[:20].lower().startswith(_HTML_STARTS)


# ---------------------------------------------------------------------------------------------------- failures

def _size_text(limit):
    mib = 1024 * 1024
    return '%d MiB' % (limit // mib) if limit % mib == 0 else '%d bytes' % limit


def too_large(client, where, url, status):
    return RSInvalidResponse(
        'The answer of the cluster at %s to %s is larger than %s (decompressed) and was refused to protect this '
        "host's memory: check url (%s); a proxy or a hostile server may be answering"
        % (client.host_port, where, _size_text(client.max_response_bytes), ENV_URL), status=status, url=url)


def body_timeout(client, where, timeout, url, status, size):
    return RSTimeoutError(
        'The cluster at %s did not send its whole answer to %s within %s s (%d bytes received): it may be '
        'overloaded, or a proxy or a hostile server is answering slowly; raise request_timeout if the cluster is '
        'slow' % (client.host_port, where, format_seconds(timeout), size), status=status, url=url, kind='timeout')


def read_error(client, exc, where, timeout, url, status):
    """Map a failure while the body was read: a socket that waited too long, a body that could not be
    decompressed, or one cut short."""
    chain = exception_chain(exc)
    timeouts = (socket.timeout, TimeoutError)
    if HAS_REQUESTS:
        timeouts += (urllib3.exceptions.TimeoutError, requests.exceptions.Timeout)
    if any(isinstance(item, timeouts) for item in chain):
        return RSTimeoutError(
            'The cluster at %s stopped sending its answer to %s (no data for the %s s left): it may be busy; '
            'raise request_timeout if it is slow' % (client.host_port, where, format_seconds(timeout)),
            status=status, url=url, kind='timeout')
    decoding = (requests.exceptions.ContentDecodingError, urllib3.exceptions.DecodeError) if HAS_REQUESTS else ()
    if any(isinstance(item, decoding) for item in chain):
        return RSInvalidResponse('The answer of the cluster at %s to %s could not be decompressed'
                                 % (client.host_port, where), status=status, url=url)
    return RSInvalidResponse('The answer of the cluster at %s to %s was truncated: the connection closed before '
                             'its end' % (client.host_port, where), status=status, url=url)


# ---------------------------------------------------------------------------------------------------- reading

def _discard(response):
    """Close a response whose body is not read to its end (its connection cannot be reused)."""
    close = getattr(response, 'close', None)
    if close is not None:
        try:
            close()
        except Exception:  # pylint: disable=broad-exception-caught
            pass


def _limit_socket_wait(raw, left):
    """Make the next socket read of ``raw`` wait at most ``left`` seconds."""
    connection = getattr(raw, 'connection', None) or getattr(raw, '_connection', None)
    sock = getattr(connection, 'sock', None)
    if sock is not None:
        try:
            sock.settimeout(max(left, MIN_REQUEST_TIMEOUT))
        except (OSError, ValueError):
            pass


def _chunk_reader(response, raw):
    """A function that returns the next piece of the body (``b''`` at its end), or None when ``response`` offers
    no streaming read."""
    read1 = getattr(raw, 'read1', None)
    if read1 is not None:  # urllib3 >= 2: one read returns what has arrived, decoded
        return lambda: read1(_READ_CHUNK, decode_content=True)
    if getattr(response, 'iter_content', None) is not None:  # urllib3 1.x
        chunks = response.iter_content(_FALLBACK_CHUNK)
        return lambda: next(chunks, b'')
    return None


def _declared_length(response):
    headers = getattr(response, 'headers', None) or {}
    if headers.get('Content-Encoding'):
        return None   # the limit counts decompressed bytes
    try:
        return int(headers.get('Content-Length'))
    except (TypeError, ValueError):
        return None


class _BoundedRead:
    """One body read: the deadline ``ends`` (a ``client.clock()`` value) and ``client.max_response_bytes``."""

    def __init__(self, client, response, ends, where, timeout, url):
        self.client = client
        self.response = response
        self.ends = ends
        self.where = where
        self.timeout = timeout
        self.url = url
        self.status = getattr(response, 'status_code', None)
        self.size = 0

    def _too_large(self):
        return too_large(self.client, self.where, self.url, self.status)

    def _timed_out(self):
        return body_timeout(self.client, self.where, self.timeout, self.url, self.status, self.size)

    def held_body(self):
        """The body of a response-like object that already holds it (a test double): only the size limit applies."""
        body = getattr(self.response, 'content', None)
        if body is None:
            body = getattr(self.response, 'text', '') or ''
        body = body if isinstance(body, bytes) else str(body).encode('utf-8')
        if len(body) > self.client.max_response_bytes:
            raise self._too_large()
        return body

    def chunks(self, read, raw):
        """Every piece ``read()`` returns until the end of the body, within the deadline and the size limit."""
        parts = []
        while True:
            left = self.ends - self.client.clock()
            if left <= 0:
                raise self._timed_out()
            _limit_socket_wait(raw, left)
            chunk = read()
            if not chunk:
                return parts
            self.size += len(chunk)
            if self.size > self.client.max_response_bytes:
                raise self._too_large()
            parts.append(chunk)

    def read(self):
        length = _declared_length(self.response)
        if length is not None and length > self.client.max_response_bytes:
            _discard(self.response)
            raise self._too_large()
        raw = getattr(self.response, 'raw', None)
        read = _chunk_reader(self.response, raw)
        if read is None:
            return self.held_body()
        try:
            parts = self.chunks(read, raw)
        except RSError:
            _discard(self.response)
            raise
        except _READ_ERRORS as exc:
            _discard(self.response)
            if self.ends - self.client.clock() <= MIN_REQUEST_TIMEOUT:   # the socket waited for the time left
                raise self._timed_out() from None
            raise read_error(self.client, exc, self.where, self.timeout, self.url, self.status) from None
        # Read to its end: the connection goes back to the pool, for the next request.
        release = getattr(raw, 'release_conn', None)
        if release is not None:
            release()
        return b''.join(parts)


def read_body(client, response, ends, where, timeout, url):
    """Read the body of a streamed response until ``ends`` (a ``client.clock()`` value), at most
    ``client.max_response_bytes`` of it after decompression; return it as bytes. Past the deadline
    ``RSTimeoutError``, past the limit (or a ``Content-Length`` above it) ``RSInvalidResponse``."""
    return _BoundedRead(client, response, ends, where, timeout, url).read()


# ---------------------------------------------------------------------------------------------------- decoding

def decode_answer(client, body, content_type, where, status, url, expect_json):
    """The value of a 2xx body: None when empty, the text with ``expect_json=False``, else the parsed JSON."""
    text = body.decode('utf-8', 'replace')
    if not text.strip():
        return None
    if not expect_json:
        return text
    if looks_like_html(content_type, text):
        raise RSInvalidResponse(
            'The cluster at %s answered %s with an HTML page instead of JSON (%d): a proxy or load balancer '
            'may be in the way; check url (%s) and retry later' % (client.host_port, where, status, ENV_URL),
            status=status, url=url)
    if json_too_deep(body):
        raise RSInvalidResponse(
            'The cluster at %s answered %s with JSON nested deeper than %d levels, which RS never sends '
            '(%d, %d bytes): check url (%s); a proxy or a hostile server may be answering'
            % (client.host_port, where, MAX_JSON_DEPTH, status, len(body), ENV_URL), status=status, url=url)
    try:
        return _json.loads(text)
    except (ValueError, RecursionError):
        raise RSInvalidResponse(
            'The cluster at %s answered %s with invalid or truncated JSON (%d, %d bytes); retry later'
            % (client.host_port, where, status, len(body)),
            status=status, url=url) from None


def _description(data):
    """RS's ``description`` of an error object, else its ``message``, else its ``error`` when that is a string."""
    description = data.get('description')
    if description in (None, ''):
        description = data.get('message')
    if description in (None, ''):
        description = data.get('error') if isinstance(data.get('error'), str) else None
    return description


def error_details(content_type, text, scrub):
    """Return ``(error_code, description)`` from an error body, each passed through ``scrub`` (which removes the
    secrets from a text): RS's ``description``, else ``message``; the first line of a body that is not JSON."""
    stripped = text.strip()
    if not stripped:
        return None, None
    if looks_like_html(content_type, stripped):
        return None, 'HTML error page from a proxy'
    if json_too_deep(stripped):
        return None, 'a JSON document nested too deeply'
    try:
        data = _json.loads(stripped)
    except (ValueError, RecursionError):
        first_line = stripped.splitlines()[0]
        return None, scrub(first_line[:_MAX_DESCRIPTION])
    if not isinstance(data, dict):
        return None, None
    error_code = data.get('error_code')
    description = _description(data)
    error_code = scrub(error_code) if error_code not in (None, '') else None
    if description is not None:
        description = description if isinstance(description, str) else _json.dumps(description)
        description = scrub(description[:_MAX_DESCRIPTION])
    return error_code, description
