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
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

import requests

from . import PASSWORD, ROOT, USER

RUN_PY = os.path.join(ROOT, 'tests', 'simulator', 'run.py')


class SimulatorError(RuntimeError):
    pass


def _port_open(url):
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=1):
            return True
    except OSError:
        return False


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
        os.makedirs(self.state_dir, exist_ok=True)
        url_file = os.path.join(self.state_dir, 'url')
        if os.path.exists(url_file):
            os.remove(url_file)
        cmd = [sys.executable, RUN_PY, '--port', '0', '--state-dir', self.state_dir, '--speed', str(self.speed)]
        cmd += ['--quiet', '--data-plane', 'off'] + self.extra_args
        with open(os.path.join(self.state_dir, 'simulator.log'), 'ab') as log:
            self._proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,  # pylint: disable=consider-using-with
                                          start_new_session=True)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise SimulatorError(f'simulator exited with {self._proc.returncode}; see {self.state_dir}/simulator.log')
            if os.path.exists(url_file):
                with open(url_file, encoding='utf-8') as handle:
                    url = handle.read().strip()
                if url and os.path.exists(self.ca_path) and _port_open(url):
                    self.url = url.rstrip('/')
                    self._session = requests.Session()
                    self._session.auth = (USER, PASSWORD)
                    self._session.verify = self.ca_path
                    return self
            time.sleep(0.1)
        self.stop()
        raise SimulatorError(f'simulator did not start within {wait} s; see {self.state_dir}/simulator.log')

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
