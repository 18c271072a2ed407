# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Playbook-level tests: real ansible-playbook runs against simulated clusters over HTTPS.

`make e2e` runs them with ANSIBLE_COLLECTIONS_PATH pointing at a built copy of the collection.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'simulator'))

from rssim.config import PROFILES as _PROFILES  # noqa: E402  pylint: disable=wrong-import-position
from rssim.testing import start_simulator  # noqa: E402  pylint: disable=wrong-import-position

# Every RS version profile of the simulator (docs/rs-behaviour.md): the e2e playbooks run against each.
PROFILES = sorted(_PROFILES)

USER = 'admin@example.com'
PASSWORD = 'sim-S3cret-pw'


class PlaybookRun:
    def __init__(self, returncode, output, elapsed):
        self.returncode = returncode
        self.output = output
        self.elapsed = elapsed


def run_playbook(path, env=None, extra_args=(), inventory=None, timeout=300):
    """Run ansible-playbook with the venv's interpreter and return its combined output."""
    bin_dir = os.path.dirname(sys.executable)
    cmd = [os.path.join(bin_dir, 'ansible-playbook'), path] + list(extra_args)
    if inventory:
        cmd += ['-i', inventory]
    full_env = dict(os.environ)
    full_env.update({'ANSIBLE_NOCOLOR': '1', 'ANSIBLE_FORCE_COLOR': '0', 'PYTHONUNBUFFERED': '1'})
    for name in ('REDIS_ENTERPRISE_URL', 'REDIS_ENTERPRISE_USER', 'REDIS_ENTERPRISE_PASSWORD',
                 'REDIS_ENTERPRISE_CA_PATH', 'REDIS_ENTERPRISE_INSECURE'):
        full_env.pop(name, None)
    full_env.update(env or {})
    start = time.monotonic()
    proc = subprocess.run(cmd, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=timeout, check=False)
    return PlaybookRun(proc.returncode, proc.stdout, time.monotonic() - start)


@pytest.fixture
def sim():
    handle = start_simulator(speed=1.0)
    yield handle
    handle.stop()


@pytest.fixture
def sim_env(sim):
    return {
        'REDIS_ENTERPRISE_URL': sim.url,
        'REDIS_ENTERPRISE_USER': USER,
        'REDIS_ENTERPRISE_PASSWORD': PASSWORD,
        'REDIS_ENTERPRISE_CA_PATH': sim.ca_path,
    }
