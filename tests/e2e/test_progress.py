# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A person watching ansible-playbook sees progress during a long wait, at default verbosity."""

from __future__ import annotations

import re
import textwrap

import pytest

from conftest import PASSWORD, PROFILES, USER, run_playbook, start_simulator

PROGRESS = re.compile(r'bdb:7 SMCreateBDB (queued|running|completed)(?: (\d+)%)?(?: as of \d+ s ago)? \((\d+) s\)')

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
    handle = start_simulator(speed=1.0, profile=request.param)
    yield handle
    handle.stop()


def test_progress_lines_at_default_verbosity(profile_sim, tmp_path):
    """On every RS version profile: a state machine on bdb:7 shows progress lines until it completes."""
    sim = profile_sim
    sim_env = {
        'REDIS_ENTERPRISE_URL': sim.url,
        'REDIS_ENTERPRISE_USER': USER,
        'REDIS_ENTERPRISE_PASSWORD': PASSWORD,
        'REDIS_ENTERPRISE_CA_PATH': sim.ca_path,
    }
    action = sim.control('POST', '/_sim/actions', json={
        'name': 'SMCreateBDB', 'kind': 'state-machine', 'object_name': 'bdb:7', 'duration': 17,
    })
    playbook = tmp_path / 'wait.yml'
    playbook.write_text(WAIT_PLAYBOOK.format(uid=action['action_uid']))

    run = run_playbook(str(playbook), env=sim_env)

    assert run.returncode == 0, run.output
    assert run.elapsed >= 15, run.output
    seconds = [int(match.group(3)) for match in PROGRESS.finditer(run.output)]
    assert len(seconds) >= 3, run.output
    # At least one line every 10 s, from the start of the wait to its end.
    gaps = [later - earlier for earlier, later in zip([0] + seconds, seconds)]
    assert max(gaps) <= 10, (gaps, run.output)
    assert seconds[-1] >= 14, run.output
    percents = [int(match.group(2)) for match in PROGRESS.finditer(run.output) if match.group(2)]
    assert percents and percents == sorted(percents), run.output
