# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The playbooks each strategy runs, generated at run time (so ansible-lint never sees them in the tree).

Every playbook has the same shape, so that only the waiting differs between strategies:

1. ``Bench: start`` -- a ``set_fact`` whose ``pipe`` lookup runs rsbench/create_actions.py on the controller: it
   waits for the harness's go signal, creates the actions through the simulator's control API and returns their
   uids (no module run, no counted request);
2. ``Bench: wait`` -- the strategy's wait, the LAST task; the bench_timing callback records when it returns.

The database playbooks have a ``Bench: start`` gate in ``pre_tasks``; the measured window is every other task.
"""

from __future__ import annotations

import os

import yaml

from . import BENCH_DIR, PASSWORD, USER

WAIT_TASK = 'Bench: wait'
START_TASK = 'Bench: start'
PREFIX = 'Bench:'
TERMINAL = ['completed', 'failed', 'cancelled', 'aborted']

CONNECTION = {
    'url': '{{ bench_url }}',
    'username': '{{ bench_username }}',
    'password': '{{ bench_password }}',
    'ca_path': '{{ bench_ca }}',
}


def _play(name, tasks=None, **extra):
    play = {'name': name, 'hosts': 'localhost', 'gather_facts': False}
    play.update(extra)
    if tasks is not None:
        play['tasks'] = tasks
    return [play]


def _start_task():
    return {
        'name': START_TASK,
        'ansible.builtin.set_fact': {
            'bench_uids': "{{ lookup('ansible.builtin.pipe', bench_start_cmd) | from_json }}",
        },
    }


def wait_module(loop=False):
    """rs_action_wait with its defaults: one task for every uid, or (loop=True) one task per uid."""
    task = {
        'name': WAIT_TASK,
        'redis_enterprise.software.rs_action_wait': dict(CONNECTION, uid='{{ item }}' if loop else '{{ bench_uids }}'),
    }
    if loop:
        task['loop'] = '{{ bench_uids }}'
    name = 'Wait with a loop of one rs_action_wait per uid' if loop else 'Wait with one rs_action_wait for every uid'
    return _play(name, [_start_task(), task])


def uri_until():
    """What users write today: ``uri`` GET /v1/actions/{uid} in an ``until`` loop, delay 1, one loop item per uid."""
    task = {
        'name': WAIT_TASK,
        'ansible.builtin.uri': {
            'url': '{{ bench_url }}/v1/actions/{{ item }}',
            'url_username': '{{ bench_username }}',
            'url_password': '{{ bench_password }}',
            'force_basic_auth': True,
            'ca_path': '{{ bench_ca }}',
        },
        'register': 'bench_action',
        'until': f'bench_action.json is defined and bench_action.json.status in {TERMINAL}',
        'retries': 600,
        'delay': 1,
        'loop': '{{ bench_uids }}',
    }
    return _play('Wait with uri + until, delay 1', [_start_task(), task])


def role():
    """The rs_provision role creating every database of bench_databases."""
    return _play(
        'Provision with the rs_provision role', pre_tasks=[_start_task()],
        roles=[{
            'role': 'redis_enterprise.software.rs_provision',
            'vars': {
                'rs_provision_url': '{{ bench_url }}',
                'rs_provision_username': '{{ bench_username }}',
                'rs_provision_password': '{{ bench_password }}',
                'rs_provision_ca_path': '{{ bench_ca }}',
                'rs_provision_databases': '{{ bench_databases }}',
            },
        }])


def serial_tasks():
    """The body of the serial loop: create one database, then wait for its action."""
    return [
        {
            'name': 'Create the database',
            'redis_enterprise.software.rs_database': dict(
                CONNECTION, name='{{ bench_db.name }}', memory_size='{{ bench_db.memory_size }}',
                config='{{ bench_db.config | default({}) }}', state='present'),
            'register': 'bench_created',
        },
        {
            'name': 'Wait for its action',
            'redis_enterprise.software.rs_action_wait': dict(CONNECTION, uid='{{ bench_created.action_uid }}'),
            'when': 'bench_created.action_uid is truthy',
        },
    ]


def serial():
    """One database at a time: rs_database then rs_action_wait, in a loop."""
    task = {
        'name': 'Create and wait, one database at a time',
        'ansible.builtin.include_tasks': 'one_database.yml',
        'loop': '{{ bench_databases }}',
        'loop_control': {'loop_var': 'bench_db', 'label': '{{ bench_db.name }}'},
    }
    return _play('Create and wait, one database at a time', [_start_task(), task])


class _Dumper(yaml.SafeDumper):  # pylint: disable=too-many-ancestors
    """Indents sequences inside mappings, as yamllint (ansible-lint) expects."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def write(directory, name, data):
    path = os.path.join(directory, name)
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write('---\n')
        yaml.dump(data, handle, Dumper=_Dumper, sort_keys=False, width=1000)
    return path


PLAYBOOKS = {
    'rs_action_wait': lambda: wait_module(loop=False),
    'wait_loop': lambda: wait_module(loop=True),
    'uri_until': uri_until,
    'role': role,
    'serial': serial,
}


def prepare(directory, kind):
    """Write the playbook of ``kind`` (and its included files) into ``directory``; return its path."""
    if kind == 'serial':
        write(directory, 'one_database.yml', serial_tasks())
    return write(directory, f'{kind}.yml', PLAYBOOKS[kind]())


def extra_vars(sim, start_cmd, databases=None):
    return {
        'bench_url': sim.url,
        'bench_username': USER,
        'bench_password': PASSWORD,
        'bench_ca': sim.ca_path,
        'bench_start_cmd': start_cmd,
        'bench_databases': databases or [],
    }


CALLBACK_DIR = os.path.join(BENCH_DIR, 'callback_plugins')
