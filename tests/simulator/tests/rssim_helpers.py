# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test helpers: the default credentials and ``Api``, a requests session bound to one simulator."""

from __future__ import annotations

import time

import requests

ADMIN = ('admin@example.com', 'sim-S3cret-pw')
NOACCESS = ('noaccess@example.com', 'sim-S3cret-pw')


class Api:
    """A requests session bound to one simulator (admin user, TLS verified with its ca.pem)."""

    def __init__(self, sim, auth=ADMIN):
        self.sim = sim
        self.session = requests.Session()
        self.session.auth = auth

    def __call__(self, method, path, **kwargs):
        kwargs.setdefault('timeout', 10)
        # Per request: requests lets REQUESTS_CA_BUNDLE override a session's verify.
        kwargs.setdefault('verify', self.sim.ca_path)
        return self.session.request(method, self.sim.url + path, **kwargs)

    def get(self, path, **kwargs):
        return self('GET', path, **kwargs)

    def post(self, path, **kwargs):
        return self('POST', path, **kwargs)

    def put(self, path, **kwargs):
        return self('PUT', path, **kwargs)

    def delete(self, path, **kwargs):
        return self('DELETE', path, **kwargs)

    def create(self, name='db1', memory_size=104857600, **fields):
        response = self.post('/v1/bdbs', json={'name': name, 'memory_size': memory_size, **fields})
        assert response.status_code == 200, response.text
        return response.json()

    def wait_bdb(self, uid, statuses=('active',), timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            response = self.get(f'/v1/bdbs/{uid}')
            if response.status_code == 200 and response.json()['status'] in statuses:
                return response.json()
            if response.status_code == 404 and 'gone' in statuses:
                return None
            time.sleep(0.02)
        raise AssertionError(f'bdb {uid} did not reach {statuses}')

    def wait_action(self, uid, statuses=('completed', 'failed'), version='v1', timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            response = self.get(f'/{version}/actions/{uid}')
            if response.status_code == 200 and response.json()['status'] in statuses:
                return response.json()
            time.sleep(0.02)
        raise AssertionError(f'action {uid} did not reach {statuses}')

    def close(self):
        self.session.close()
