# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""run.py: one command starts it, prints the URL, writes the state files and stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import requests

RUN_PY = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'run.py')


def _start(args):
    proc = subprocess.Popen([sys.executable, RUN_PY] + args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,  # pylint: disable=consider-using-with
                            text=True)
    first = proc.stdout.readline().strip()
    return proc, first


def _stop(proc):
    proc.send_signal(signal.SIGTERM)
    out = proc.communicate(timeout=10)[0]
    return proc.returncode, out


def test_run_py_end_to_end(tmp_path):
    state = tmp_path / 'state'
    config = tmp_path / 'config.json'
    config.write_text(json.dumps({'retention': 7, 'durations': {'create_bdb': 1}}))
    proc, first = _start(['--port', '0', '--state-dir', str(state), '--speed', '10', '--no-v2', '--quiet',
                          '--config', str(config), '--user', 'ops@example.com:pa:ss:cluster_viewer'])
    try:
        assert first.startswith('URL: https://127.0.0.1:')
        url = first[len('URL: '):]
        assert (state / 'url').read_text().strip() == url
        assert int((state / 'pid').read_text()) == proc.pid
        for name in ('ca.pem', 'server.pem', 'server-key.pem'):
            assert (state / name).exists()
        ca = str(state / 'ca.pem')
        assert requests.get(url + '/v1/bdbs', auth=('admin@example.com', 'sim-S3cret-pw'), verify=ca, timeout=10).status_code == 200
        assert requests.get(url + '/v1/actions', auth=('ops@example.com', 'pa:ss'), verify=ca, timeout=10).status_code == 200
        assert requests.get(url + '/v2/actions', auth=('ops@example.com', 'pa:ss'), verify=ca, timeout=10).status_code == 404
        config = requests.get(url + '/_sim/config', verify=ca, timeout=10).json()
        assert config['speed'] == 10 and config['retention'] == 7 and config['durations']['create_bdb'] == 1
    finally:
        code, dummy = _stop(proc)
    assert code == 0
    assert not (state / 'pid').exists() and not (state / 'url').exists()
    assert (state / 'ca.pem').exists()


def test_run_py_rejects_bad_config(tmp_path):
    config = tmp_path / 'config.json'
    config.write_text(json.dumps({'no_such_key': 1}))
    proc = subprocess.run([sys.executable, RUN_PY, '--port', '0', '--state-dir', str(tmp_path), '--config', str(config)],
                          capture_output=True, text=True, timeout=20, check=False)
    assert proc.returncode != 0 and 'no_such_key' in proc.stderr


def test_simctl_start_with_profile(tmp_path):
    simctl = os.path.join(os.path.dirname(os.path.dirname(RUN_PY)), 'utils', 'simctl.py')
    state = str(tmp_path / 'sim')
    started = subprocess.run([sys.executable, simctl, 'start', state, '--speed', '20', '--profile', '7.4.0', '--', '--quiet'],
                             capture_output=True, text=True, timeout=60, check=False)
    try:
        assert started.returncode == 0, started.stderr
        url = started.stdout.strip().splitlines()[-1]
        ca = os.path.join(state, 'ca.pem')
        summary = requests.get(url + '/_sim', verify=ca, timeout=10).json()
        assert summary['profile'] == '7.4.0' and summary['v2'] is False
        assert requests.get(url + '/v2/actions', auth=('admin@example.com', 'sim-S3cret-pw'), verify=ca,
                            timeout=10).status_code == 404
    finally:
        subprocess.run([sys.executable, simctl, 'stop', state], capture_output=True, timeout=60, check=False)
