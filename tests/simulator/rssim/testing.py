# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the simulator inside a test process.

    from rssim.testing import start_simulator

    sim = start_simulator(speed=50, v2=False)     # any config key, plus host/port/state_dir/http/cert_name
    requests.get(sim.url + '/v1/actions', auth=sim.admin, verify=sim.ca_path)
    sim.control('POST', '/_sim/faults', json={'kind': 'status', 'status': 503})
    sim.stop()

The helpers use only the standard library (``urllib``) and verify TLS against ``ca_path``.
"""

from __future__ import annotations

import base64
import json as jsonlib
import ssl
import urllib.error
import urllib.request

from . import ADMIN_USER, DEFAULT_PASSWORD, NOACCESS_USER
from .server import Simulator

SERVER_OPTIONS = ('host', 'port', 'state_dir', 'http', 'cert_name', 'log_requests')


class SimulatorError(RuntimeError):
    """A control request failed."""


class SimHandle:
    """A running in-process simulator and helpers for its control API."""

    admin = (ADMIN_USER, DEFAULT_PASSWORD)
    noaccess = (NOACCESS_USER, DEFAULT_PASSWORD)

    def __init__(self, simulator):
        self.simulator = simulator
        self.url = simulator.url
        self.ca_path = simulator.ca_path
        self.state_dir = simulator.state_dir
        self.port = simulator.port
        self.control_url = self.url + '/_sim'
        self._context = None
        if not simulator.http:
            self._context = ssl.create_default_context(cafile=self.ca_path)
            # A certificate issued for another name (cert_name) still verifies against the CA here.
            self._context.check_hostname = simulator.cert_name is None

    # ------------------------------------------------------------ lifecycle
    def stop(self):
        self.simulator.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()

    # ------------------------------------------------------------ raw HTTP
    def call(self, method, path, json=None, auth=None, headers=None, timeout=30):
        """One request to the simulator; returns ``(status, headers, body)`` (body parsed when JSON, else bytes)."""
        data = None if json is None else jsonlib.dumps(json).encode('utf-8')
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            request.add_header('Content-Type', 'application/json')
        if auth:
            token = base64.b64encode(f'{auth[0]}:{auth[1]}'.encode('utf-8')).decode('ascii')
            request.add_header('Authorization', f'Basic {token}')
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=timeout, context=self._context) as response:
                status, response_headers, raw = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            status, response_headers, raw = error.code, dict(error.headers), error.read()
        body = raw
        if raw and 'json' in response_headers.get('Content-Type', ''):
            try:
                body = jsonlib.loads(raw.decode('utf-8'))
            except ValueError:
                body = raw
        return status, response_headers, body

    def api(self, method, path, json=None, auth=None, headers=None):
        """A REST API request as the admin user by default."""
        return self.call(method, path, json=json, auth=auth or self.admin, headers=headers)

    # ------------------------------------------------------------ control API
    def control(self, method, path, json=None):
        """Call /_sim/...; ``path`` may be '/_sim/faults' or just 'faults'. Raises SimulatorError on >= 400."""
        if not path.startswith('/_sim'):
            path = '/_sim/' + path.lstrip('/')
        status, dummy, body = self.call(method, path, json=json)
        if status >= 400:
            raise SimulatorError(f'{method} {path}: HTTP {status}: {body!r}')
        return body

    def requests(self, since=None):
        return self.control('GET', '/_sim/requests' + (f'?since={int(since)}' if since is not None else ''))

    def clear_requests(self):
        self.control('DELETE', '/_sim/requests')

    def reset(self):
        return self.control('POST', '/_sim/reset')

    def configure(self, **config):
        return self.control('PUT', '/_sim/config', json=config)

    def config(self):
        return self.control('GET', '/_sim/config')

    def fault(self, **spec):
        return self.control('POST', '/_sim/faults', json=spec)

    def clear_faults(self):
        self.control('DELETE', '/_sim/faults')

    def actions(self):
        return self.control('GET', '/_sim/actions')

    def create_action(self, **spec):
        return self.control('POST', '/_sim/actions', json=spec)['action_uid']

    def action_control(self, uid, verb, error=None):
        return self.control('POST', f'/_sim/actions/{uid}/{verb}', json={'error': error} if error else None)

    def advance(self, seconds):
        """Move the simulated clock forward by ``seconds`` cluster seconds."""
        return self.control('POST', '/_sim/clock', json={'advance': seconds})


def start_simulator(**config):
    """Start a simulator on a free loopback port in this process; returns a ``SimHandle``.

    Keyword arguments are configuration keys (see rssim.config.DEFAULTS; ``users`` may hold "NAME:PASSWORD:ROLE"
    strings) and the server options host (127.0.0.1), port (0), state_dir (a temporary directory, removed on stop),
    http (False), cert_name, log_requests (False)."""
    options = {key: config.pop(key) for key in SERVER_OPTIONS if key in config}
    options.setdefault('port', 0)
    return SimHandle(Simulator(config, **options).start())
