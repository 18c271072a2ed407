# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A ``requests`` response and a routed session for unit tests that run the real client without a network."""

from __future__ import annotations

import json
from urllib.parse import urlsplit


class FakeResponse:
    """What the client reads of a ``requests.Response``: status, headers and the body (JSON-encoded unless bytes)."""

    def __init__(self, status_code, body=None, content_type='application/json'):
        self.status_code = status_code
        if isinstance(body, bytes):
            self.content = body
        else:
            self.content = b'' if body is None else json.dumps(body).encode('utf-8')
        self.headers = {'Content-Type': content_type}


class InOrder:
    """Answers for one path, used in order; the last one then repeats."""

    def __init__(self, *answers):
        self.answers = list(answers)

    def next(self):
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


class RoutedSession:
    """A ``requests.Session`` stand-in that answers from ``routes`` keyed by URL path.

    An answer is a body (200 with it as JSON), a ``FakeResponse``, an exception to raise, or ``InOrder`` of those.
    Unknown paths get RS's 404. Every call is recorded with its keyword arguments.
    """

    def __init__(self, routes):
        self.routes = routes
        self.calls = []

    def request(self, method, url, **kwargs):
        path = urlsplit(url).path
        self.calls.append(dict(kwargs, method=method, url=url, path=path))
        answer = self.routes.get(path)
        if isinstance(answer, InOrder):
            answer = answer.next()
        if isinstance(answer, Exception):
            raise answer
        if answer is None:
            return FakeResponse(404, {'error_code': 'not_found', 'description': 'Not found'})
        if isinstance(answer, FakeResponse):
            return answer
        return FakeResponse(200, answer)

    def paths(self):
        return [call['path'] for call in self.calls]

    def close(self):
        pass
