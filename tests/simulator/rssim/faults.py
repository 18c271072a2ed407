# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Network and server faults queued through ``POST /_sim/faults``; they apply to /v1 and /v2 requests only.

A fault matches a request by optional ``method`` and ``path`` (a regular expression searched in the path, without
the query string). It fires ``count`` times (default 1), or for every match during ``duration`` real seconds, after
letting ``skip`` matches through. The first matching fault wins. Kinds:

* ``status``: an RS-style JSON error (``status`` default 503, optional ``error_code``, ``description``, ``retry_after``).
* ``html``: an HTML error page as a proxy sends it (``status`` default 502, content-type text/html).
* ``drop``: the connection is closed without any response.
* ``slow``: the request is answered normally after ``seconds`` real seconds.
* ``truncated``: the normal response with its body cut in half (``short_read: true``: announce the full length and
  close the connection instead).
* ``invalid_json``: 200 with a body that is not JSON.
* ``refuse``: master failover: the request is dropped and the server stops listening for ``seconds`` (default 3),
  closing the open connections, then listens again on the same port. ``immediate: true`` starts it at once.
"""

from __future__ import annotations

import itertools
import re
import threading
import time

KINDS = ('status', 'html', 'drop', 'slow', 'truncated', 'invalid_json', 'refuse')
FIELDS = ('kind', 'method', 'path', 'count', 'duration', 'skip', 'status', 'error_code', 'description', 'retry_after',
          'seconds', 'delay', 'short_read', 'body', 'immediate')

DEFAULT_CODES = {429: 'too_many_requests', 500: 'internal_error', 502: 'bad_gateway', 503: 'service_unavailable',
                 504: 'gateway_timeout', 409: 'busy', 401: 'unauthorized', 403: 'insufficient_permissions', 404: 'not_found'}
DEFAULT_DESCRIPTIONS = {503: 'Node is not responding or is not a member of the cluster', 500: 'Internal server error',
                        429: 'Too many requests', 409: 'Database is busy with another configuration change'}
HTML_PAGE = ('<html>\r\n<head><title>{status} Bad Gateway</title></head>\r\n<body>\r\n<center><h1>{status} Bad Gateway</h1>'
             '</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n')


class FaultError(ValueError):
    """An invalid fault specification."""


def _number(spec, key, default, integer=False):
    value = spec.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (integer and int(value) != value):
        raise FaultError(f'{key} must be a non-negative {"integer" if integer else "number"}')
    return int(value) if integer else float(value)


class Faults:
    """The queue of armed faults (thread-safe)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._faults = []
        self._ids = itertools.count(1)

    def add(self, spec):
        if not isinstance(spec, dict):
            raise FaultError('a fault must be a JSON object')
        unknown = sorted(set(spec) - set(FIELDS))
        if unknown:
            raise FaultError(f'unknown fault field(s): {", ".join(unknown)}')
        kind = spec.get('kind')
        if kind not in KINDS:
            raise FaultError(f'kind must be one of {", ".join(KINDS)}')
        try:
            pattern = re.compile(spec.get('path') or '')
        except re.error as exc:
            raise FaultError(f'path is not a valid regular expression: {exc}') from None
        duration = _number(spec, 'duration', None)
        fault = {
            'id': next(self._ids), 'kind': kind, 'method': (spec.get('method') or '').upper() or None,
            'path': spec.get('path') or None, 'count': _number(spec, 'count', None if duration else 1, integer=True),
            'duration': duration, 'skip': _number(spec, 'skip', 0, integer=True), 'hits': 0, 'seen': 0,
            'created': time.time(),
        }
        default_status = {'status': 503, 'html': 502}.get(kind)
        if default_status:
            fault['status'] = _number(spec, 'status', default_status, integer=True)
            if not 100 <= fault['status'] <= 599:
                raise FaultError('status must be an HTTP status code')
        if kind == 'status':
            fault['error_code'] = spec.get('error_code') or DEFAULT_CODES.get(fault['status'], 'error')
            fault['description'] = spec.get('description') or DEFAULT_DESCRIPTIONS.get(fault['status'], 'Injected fault')
            if spec.get('retry_after') is not None:
                fault['retry_after'] = _number(spec, 'retry_after', None)
        if kind == 'html' and spec.get('body') is not None:
            fault['body'] = str(spec['body'])
        if kind in ('slow', 'refuse'):
            fault['seconds'] = _number(spec, 'seconds', spec.get('delay', 2.0 if kind == 'slow' else 3.0))
        if kind == 'truncated':
            fault['short_read'] = bool(spec.get('short_read'))
        if kind == 'refuse' and spec.get('immediate'):
            fault['immediate'] = True      # starts now; not queued
            return self._public(fault)
        with self._lock:
            self._faults.append((fault, pattern))
        return self._public(fault)

    @staticmethod
    def _public(fault):
        return {key: value for key, value in fault.items() if value is not None}

    def _expired(self, fault, now):
        if fault['duration'] is not None and now >= fault['created'] + fault['duration']:
            return True
        return fault['count'] is not None and fault['hits'] >= fault['count']

    def match(self, method, path):
        """The fault to apply to this request (a copy), or None."""
        now = time.time()
        with self._lock:
            self._faults = [(f, p) for f, p in self._faults if not self._expired(f, now)]
            for fault, pattern in self._faults:
                if fault['method'] and fault['method'] != method.upper():
                    continue
                if fault['path'] and not pattern.search(path):
                    continue
                fault['seen'] += 1
                if fault['seen'] <= fault['skip']:
                    continue
                fault['hits'] += 1
                return dict(fault)
        return None

    def list(self):
        now = time.time()
        with self._lock:
            return [self._public(f) for f, dummy in self._faults if not self._expired(f, now)]

    def clear(self):
        with self._lock:
            self._faults = []

    def remove(self, fault_id):
        with self._lock:
            before = len(self._faults)
            self._faults = [(f, p) for f, p in self._faults if str(f['id']) != str(fault_id)]
            return len(self._faults) != before
