# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A person watching ansible-playbook sees progress during a long wait, at default verbosity."""

from __future__ import annotations

import re
import textwrap

import pytest
import requests

from conftest import PASSWORD, PROFILES, USER, run_playbook, start_simulator

PROGRESS = re.compile(r'bdb:1 SMCreateBDB (queued|running|completed)(?: (\d+)%)?(?: as of \d+ s ago)? \((\d+) s\)')

WAIT_PLAYBOOK = textwrap.dedent('''\
    - name: Wait for one long action
      hosts: localhost
      gather_facts: false
      tasks:
        - name: Wait for the creation action
          redis_enterprise.software.rs_action_wait:
            uid: "{uid}"
            timeout: 60
          register: waited

        - name: Show the outcome
          ansible.builtin.debug:
            msg: "polls={{{{ waited.polls }}}} elapsed={{{{ waited.elapsed }}}}"
    ''')


@pytest.fixture(params=PROFILES)
def profile_sim(request):
    handle = start_simulator(speed=1.0, profile=request.param, durations={'create_bdb': 17.0})
    yield handle
    handle.stop()


def test_progress_lines_at_default_verbosity(profile_sim, tmp_path):
    """On every RS version profile: the creation of database 1 shows progress lines until it completes.

    A real database, not a synthetic action: on RS 8.0.2 a finished state machine stays listed as running, and the
    wait then ends through the database's own status."""
    sim = profile_sim
    sim_env = {
        'REDIS_ENTERPRISE_URL': sim.url,
        'REDIS_ENTERPRISE_USER': USER,
        'REDIS_ENTERPRISE_PASSWORD': PASSWORD,
        'REDIS_ENTERPRISE_CA_PATH': sim.ca_path,
    }
    action = requests.post(f'{sim.url}/v1/bdbs', json={'name': 'e2e-progress', 'memory_size': 104857600},
                           auth=(USER, PASSWORD), verify=sim.ca_path, timeout=10).json()
    playbook = tmp_path / 'wait.yml'
    playbook.write_text(WAIT_PLAYBOOK.format(uid=action['action_uid']))

    run = run_playbook(str(playbook), env=sim_env)

    assert run.returncode == 0, run.output
    assert run.elapsed >= 15, run.output
    seconds = [int(match.group(3)) for match in PROGRESS.finditer(run.output)]
    assert len(seconds) >= 3, run.output
    # At least one line every 10 s, from the start of the wait to its end (the last line says how it ended).
    gaps = [later - earlier for earlier, later in zip([0] + seconds, seconds)]
    assert max(gaps) <= 10, (gaps, run.output)
    last = list(PROGRESS.finditer(run.output))[-1]
    # Completed (a v1 completed state machine has no progress), or on 8.0.2 still listed running at 100 %.
    assert last.group(1) == 'completed' or (last.group(1), last.group(2)) == ('running', '100'), run.output
    percents = [int(match.group(2)) for match in PROGRESS.finditer(run.output) if match.group(2)]
    assert percents and percents == sorted(percents), run.output
