# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A simulated RS cluster in its own process, and the benchmark's view of its control API (/_sim/).

The simulator runs as a separate process (tests/simulator/run.py) so that its CPU time is neither charged to the
strategies nor competes with the harness for the GIL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import requests

from . import PASSWORD, ROOT, USER

sys.path.insert(0, os.path.join(ROOT, 'tests', 'utils'))
import simctl  # noqa: E402  pylint: disable=wrong-import-position

RUN_PY = simctl.RUN_PY


class SimulatorError(RuntimeError):
    pass


class Simulator:
    """One simulated cluster: ``start()``, the control helpers, ``stop()``."""

    def __init__(self, state_dir, speed=1.0, extra_args=()):
        self.state_dir = state_dir
        self.speed = speed
        self.extra_args = list(extra_args)
        self.url = None
        self.ca_path = os.path.join(state_dir, 'ca.pem')
        self._proc = None
        self._session = None

    # ------------------------------------------------------------ lifecycle
    def start(self, wait=30.0):
        extra = ['--quiet', '--data-plane', 'off'] + self.extra_args
        try:
            self._proc, self.url = simctl.launch(self.state_dir, self.speed, extra, wait)
        except simctl.SimulatorStartError as exc:
            raise SimulatorError(str(exc)) from None
        if not os.path.exists(self.ca_path):
            self.stop()
            raise SimulatorError(f'the simulator wrote no {self.ca_path}; see {self.state_dir}/simulator.log')
        self._session = requests.Session()
        self._session.auth = (USER, PASSWORD)
        self._session.verify = self.ca_path
        return self

    def stop(self):
        if self._session is not None:
            self._session.close()
            self._session = None
        if self._proc is None or self._proc.poll() is not None:
            return
        self._proc.send_signal(signal.SIGTERM)
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(timeout=10)

    # ------------------------------------------------------------ control API
    def control(self, method, path, json=None):
        """Call the simulator's control API; these requests are never counted (their paths start with /_sim/)."""
        # verify per request: a session-level verify loses to REQUESTS_CA_BUNDLE in the environment.
        response = self._session.request(method, self.url + path, json=json, timeout=30, verify=self.ca_path)
        if response.status_code >= 400:
            raise SimulatorError(f'{method} {path}: HTTP {response.status_code}: {response.text[:300]}')
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            return response.text

    def reset(self):
        """Forget databases, actions and the request log, so each run starts from the same state."""
        self.control('POST', '/_sim/reset')

    def configure(self, **config):
        """Update the configuration (PUT /_sim/config); without arguments, read it."""
        if not config:
            return self.control('GET', '/_sim/config')
        return self.control('PUT', '/_sim/config', json=config)

    def clear_requests(self):
        self.control('DELETE', '/_sim/requests')

    def request_log(self):
        data = self.control('GET', '/_sim/requests')
        if isinstance(data, dict):
            data = data.get('requests', [])
        return data or []

    def actions(self):
        data = self.control('GET', '/_sim/actions')
        if isinstance(data, dict):
            data = data.get('actions', [])
        return data or []
