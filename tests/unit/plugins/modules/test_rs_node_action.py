# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.redis_enterprise.software.plugins.modules import rs_node_action
from ansible_collections.redis_enterprise.software.tests.unit.plugins.fake_http import FakeResponse, InOrder

CONNECTION = dict(url='https://cluster.example.com:9443', username='admin@example.com', password='Sup3r-s3cret-pw')
NODE = {'uid': 1, 'status': 'active', 'accept_servers': True}


def run(run_module, **args):
    return run_module(rs_node_action.main, dict(CONNECTION, **args))


def posts(session):
    return [(c['path'], c.get('json')) for c in session.calls if c['method'] == 'POST']


def test_maintenance_on_starts_the_action(run_module, session_for):
    session = session_for({'/v1/nodes/1': NODE, '/v1/nodes/1/actions': {'actions': []},
                           '/v1/nodes/1/actions/maintenance_on': {'status': 'queued', 'task_id': 't1'}})
    failed, result = run(run_module, node=1, action='maintenance_on', params={'overwrite_snapshot': True})
    assert not failed, result
    assert result['changed'] is True
    assert result['action_uid'] == 't1'
    assert result['response'] == {'status': 'queued', 'task_id': 't1'}
    assert posts(session) == [('/v1/nodes/1/actions/maintenance_on', {'overwrite_snapshot': True})]


def test_maintenance_on_when_already_in_maintenance_is_no_change(run_module, session_for):
    snapshot = {'name': 'maintenance_mode_2026-01-01_10-00-00', 'node_uid': '1', 'created_time': '2026-01-01 10:00:00'}
    session = session_for({'/v1/nodes/1': NODE, '/v1/nodes/1/actions': {'actions': []},
                           '/v1/nodes/1/status': {'node_status': 'active', 'maintenance_snapshot': snapshot}})
    failed, result = run(run_module, node=1, action='maintenance_on', wait=True)
    assert not failed
    assert result['changed'] is False
    assert result['action_uid'] is None
    assert 'already in maintenance' in result['msg']
    assert posts(session) == []


def test_maintenance_off_when_not_in_maintenance_is_no_change(run_module, session_for):
    session = session_for({'/v1/nodes/1': NODE, '/v1/nodes/1/actions': {'actions': []},
                           '/v1/nodes/1/status': {'node_status': 'active'}})
    failed, result = run(run_module, node=1, action='maintenance_off')
    assert not failed and result['changed'] is False
    assert posts(session) == []


def test_without_the_status_request_accept_servers_decides(run_module, session_for):
    session = session_for({'/v1/nodes/1': dict(NODE, accept_servers=False), '/v1/nodes/1/actions': {'actions': []},
                           '/v1/nodes/1/actions/maintenance_off': {'status': 'queued', 'task_id': 't2'}})
    failed, result = run(run_module, node=1, action='maintenance_on')
    assert not failed and result['changed'] is False and 'accept_servers is false' in result['msg']
    failed, result = run(run_module, node=1, action='maintenance_off')
    assert not failed and result['changed'] is True and result['action_uid'] == 't2'
    assert posts(session) == [('/v1/nodes/1/actions/maintenance_off', {})]


def test_running_action_is_attached_and_awaited(run_module, session_for):
    running = {'name': 'maintenance_on', 'node_uid': '1', 'status': 'running', 'progress': 40, 'task_id': 't7'}
    session = session_for({'/v1/nodes/1': NODE, '/v1/nodes/1/actions': {'actions': [running]},
                           '/v2/actions/t7': {'action_uid': 't7', 'name': 'maintenance_on', 'status': 'completed',
                                              'action_type': 'task'}})
    failed, result = run(run_module, node=1, action='maintenance_on', wait=True)
    assert not failed, result
    assert result['changed'] is False
    assert result['action_uid'] == 't7'
    assert result['actions'][0]['status'] == 'completed'
    assert posts(session) == []


def test_wait_failure_fails_the_task(run_module, session_for):
    session_for({'/v1/nodes/2': dict(NODE, uid=2), '/v1/nodes/2/actions': {'actions': []},
                 '/v1/nodes/2/actions/remove': {'status': 'queued', 'task_id': 'r1'},
                 '/v2/actions/r1': {'action_uid': 'r1', 'name': 'remove_node', 'status': 'failed', 'action_type': 'task',
                                    'additional_info': {'error': 'quorum would be lost'}}})
    failed, result = run(run_module, node=2, action='remove', wait=True)
    assert failed
    assert 'quorum would be lost' in result['msg']
    assert result['action_uid'] == 'r1'


def test_remove_missing_node_is_no_change_other_actions_fail(run_module, session_for):
    session_for({})
    failed, result = run(run_module, node=9, action='remove')
    assert not failed and result['changed'] is False
    failed, result = run(run_module, node=9, action='enslave_node')
    assert failed and 'does not exist' in result['msg']


def test_check_mode_and_conflict(run_module, session_for):
    session = session_for({'/v1/nodes/1': NODE, '/v1/nodes/1/actions': {'actions': []}})
    failed, result = run(run_module, node=1, action='enslave_node', _ansible_check_mode=True)
    assert not failed and result['changed'] is True
    assert posts(session) == []
    session_for({'/v1/nodes/1': NODE, '/v1/nodes/1/actions': {'actions': []},
                 '/v1/nodes/1/actions/enslave_node': FakeResponse(409, {'error_code': 'conflict', 'description': 'x'})})
    failed, result = run(run_module, node=1, action='enslave_node')
    assert failed and 'one enslave_node at a time' in result['msg']


def test_bad_node_and_timeout_fail_before_any_request(run_module, session_for):
    session = session_for({})
    failed, result = run(run_module, node=0, action='remove')
    assert failed and 'positive integer' in result['msg']
    failed, result = run(run_module, node=1, action='remove', wait=True, wait_timeout=0)
    assert failed and 'wait_timeout' in result['msg']
    assert session.calls == []


def test_argspec_matches_documentation():
    from ansible.module_utils.common import yaml as ansible_yaml  # pylint: disable=import-outside-toplevel
    doc = ansible_yaml.yaml_load(rs_node_action.DOCUMENTATION)
    assert set(doc['options']) == {'node', 'action', 'params'}


def test_answer_without_uid_is_awaited_through_the_node_action_status(run_module, session_for):
    # requests/nodes/actions.md: "The body content may provide additional action details" (here: none).
    session = session_for({'/v1/nodes/1': NODE, '/v1/nodes/1/actions': {'actions': []},
                           '/v1/nodes/1/status': {'node_status': 'active'},
                           # The POST, then the GET of its status.
                           '/v1/nodes/1/actions/maintenance_on': InOrder(
                               {}, {'name': 'maintenance_on', 'status': 'completed', 'progress': 100,
                                    'task_id': 't9'})})
    failed, result = run(run_module, node=1, action='maintenance_on', wait=True)
    assert not failed, result
    assert result['changed'] is True and result['response'] == {}
    assert result['action_uid'] == 't9'
    assert result['actions'][0]['status'] == 'completed'
    assert [c['path'] for c in session.calls if c['method'] == 'GET'].count('/v1/nodes/1/actions/maintenance_on') == 1


def test_uid_unknown_to_the_actions_api_is_followed_through_the_node_action_status(run_module, session_for,
                                                                                   monkeypatch):
    # A cluster whose actions API never shows the node task (404 for its uid): after NODE_MISSING_GRACE the wait
    # follows GET /v1/nodes/1/actions/maintenance_on, the status RS documents on the node actions page.
    from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_ops_run
    monkeypatch.setattr(rs_ops_run, 'NODE_MISSING_GRACE', 0.0)
    session = session_for({'/v1/nodes/1': NODE, '/v1/nodes/1/actions': {'actions': []},
                           '/v1/nodes/1/status': {'node_status': 'active'},
                           '/v1/nodes/1/actions/maintenance_on': InOrder(
                               {'status': 'queued', 'task_id': 't4'},
                               {'name': 'maintenance_on', 'status': 'completed', 'progress': 100, 'task_id': 't4'})})
    failed, result = run(run_module, node=1, action='maintenance_on', wait=True)
    assert not failed, result
    assert result['action_uid'] == 't4'
    assert result['actions'][0]['status'] == 'completed'
    assert '/v1/nodes/1/actions/maintenance_on' in [c['path'] for c in session.calls if c['method'] == 'GET']
