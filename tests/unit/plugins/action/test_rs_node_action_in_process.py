# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""rs_node_action: the action plugin's in-process run returns what the module returns, ``wait`` included (see
``in_process.py``)."""

from __future__ import annotations

import pytest

from ansible_collections.redis_enterprise.software.plugins.action.rs_node_action import ActionModule
from ansible_collections.redis_enterprise.software.plugins.modules import rs_node_action
from ansible_collections.redis_enterprise.software.tests.unit.plugins.action.in_process import FALLBACKS, PASSWORD, Comparison
from ansible_collections.redis_enterprise.software.tests.unit.plugins.fake_http import FakeResponse

NODE = {'uid': 1, 'status': 'active', 'accept_servers': True}


def node(**routes):
    return lambda: dict({'/v1/nodes/1': NODE, '/v1/nodes/1/actions': {'actions': []},
                         '/v1/nodes/1/status': {'node_status': 'active'},
                         '/v1/nodes/1/actions/maintenance_on': {'status': 'queued', 'task_id': 't1'},
                         '/v2/actions/t1': {'action_uid': 't1', 'name': 'maintenance_on', 'status': 'completed',
                                            'action_type': 'task'}},
                        **routes)


@pytest.fixture
def compare(capsys, monkeypatch):
    return Comparison(capsys, monkeypatch, rs_node_action.main, ActionModule)


@pytest.mark.parametrize('args', [
    dict(node=1, action='maintenance_on', params={'overwrite_snapshot': True}),
    dict(node=1, action='maintenance_on', wait=True),
])
def test_success_is_the_same(compare, args):
    result, dummy = compare.same(node(), args)
    assert result['changed'] is True and result['action_uid'] == 't1' and 'failed' not in result
    assert ('actions' in result) is bool(args.get('wait'))
    assert result['invocation']['module_args']['password'] != PASSWORD


def test_no_change_is_the_same(compare):
    result, session = compare.same(node(), dict(node=1, action='maintenance_off', wait=True))
    assert result['changed'] is False and 'msg' in result
    assert all(c['method'] == 'GET' for c in session.calls)


def test_failed_wait_and_removed_node_are_the_same(compare):
    failed = {'action_uid': 't1', 'name': 'maintenance_on', 'status': 'failed', 'action_type': 'task',
              'additional_info': {'error': 'quorum would be lost'}}
    result, dummy = compare.same(node(**{'/v2/actions/t1': failed}), dict(node=1, action='maintenance_on', wait=True))
    assert result['failed'] is True and 'quorum would be lost' in result['msg']
    routes = node(**{'/v1/nodes/1/actions/remove': {'status': 'queued', 'task_id': 'r1'},
                     '/v2/actions/r1': {'action_uid': 'r1', 'name': 'remove_node', 'status': 'completed'}})

    def removed():
        answers = routes()
        answers['/v2/actions/r1'] = {'action_uid': 'r1', 'name': 'remove_node', 'status': 'completed'}
        return answers
    result, dummy = compare.same(removed, dict(node=1, action='remove', wait=True))
    assert result['changed'] is True and result['actions'][0]['status'] == 'completed'


def test_check_mode_is_the_same(compare):
    result, session = compare.same(node(), dict(node=1, action='enslave_node', wait=True), check_mode=True)
    assert result['changed'] is True and 'actions' not in result
    assert all(c['method'] == 'GET' for c in session.calls)


def test_rs_error_is_the_same(compare):
    conflict = FakeResponse(409, {'error_code': 'conflict', 'description': 'x'})
    result, dummy = compare.same(node(**{'/v1/nodes/1/actions/enslave_node': conflict}),
                                 dict(node=1, action='enslave_node'))
    assert result['failed'] is True and result['status'] == 409 and 'one enslave_node at a time' in result['msg']


@pytest.mark.parametrize('args, text', [
    (dict(node=0, action='remove'), 'positive integer'),
    (dict(node=1, action='remove', wait=True, wait_timeout=0), 'wait_timeout'),
])
def test_bad_options_are_the_same_and_send_nothing(compare, args, text):
    result, session = compare.same(node(), args)
    assert result['failed'] is True and text in result['msg']
    assert session.calls == []


def test_options_are_validated_before_any_request(compare):
    compare.fails_before_any_request(dict(action='remove'), 'node')
    compare.fails_before_any_request(dict(node=1, action='reboot'), 'action')
    compare.fails_before_any_request(dict(node=1, action='remove', params='x-%s' % PASSWORD), 'params')


@pytest.mark.parametrize('kwargs', FALLBACKS)
def test_falls_back_to_the_module(compare, kwargs):
    compare.falls_back_to_the_module(dict(node=1, action='remove'), **kwargs)


def test_runs_in_process_for_a_local_connection(compare):
    result = compare.runs_in_process(node(), dict(node=1, action='maintenance_on', wait=True))
    assert result['actions'][0]['status'] == 'completed'
