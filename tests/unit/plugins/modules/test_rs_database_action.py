# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.redis_enterprise.software.plugins.modules import rs_database_action
from ansible_collections.redis_enterprise.software.tests.unit.plugins.fake_http import FakeResponse, InOrder

CONNECTION = dict(url='https://cluster.example.com:9443', username='admin@example.com', password='Sup3r-s3cret-pw')
BDBS = [{'uid': 3, 'name': 'app-cache', 'status': 'active'}]


def run(run_module, **args):
    return run_module(rs_database_action.main, dict(CONNECTION, **args))


def writes(session):
    return [(c['method'], c['path'], c.get('params'), c.get('json')) for c in session.calls if c['method'] != 'GET']


@pytest.mark.parametrize('action, method, path', [
    ('recover', 'POST', '/v1/bdbs/3/actions/recover'),
    ('rebalance', 'PUT', '/v1/bdbs/3/actions/rebalance'),
    ('revamp', 'PUT', '/v1/bdbs/3/actions/revamp'),
    ('stop_traffic', 'POST', '/v1/bdbs/3/actions/stop_traffic'),
    ('resume_traffic', 'POST', '/v1/bdbs/3/actions/resume_traffic'),
    ('upgrade', 'POST', '/v1/bdbs/3/upgrade'),
])
def test_actions_with_an_action_uid(run_module, session_for, action, method, path):
    session = session_for({'/v1/bdbs': BDBS, path: {'action_uid': 'act-9'}})
    failed, result = run(run_module, name='app-cache', action=action)
    assert not failed, result
    assert result['changed'] is True
    assert result['action_uid'] == 'act-9'
    assert result['uid'] == 3 and result['name'] == 'app-cache'
    assert [w[:2] for w in writes(session)] == [(method, path)]
    assert session.calls[0]['params'] == {'fields': 'uid,name,status'}


def test_rebalance_params_go_in_the_query(run_module, session_for):
    session = session_for({'/v1/bdbs': BDBS, '/v1/bdbs/3/actions/rebalance': {'action_uid': 'r'}})
    failed, result = run(run_module, uid=3, action='rebalance', params={'only_failovers': True, 'max_operations': 2})
    assert not failed, result
    assert writes(session) == [('PUT', '/v1/bdbs/3/actions/rebalance',
                                {'only_failovers': 'true', 'max_operations': '2'}, None)]


def test_revamp_splits_query_and_body(run_module, session_for):
    session = session_for({'/v1/bdbs': BDBS, '/v1/bdbs/3/actions/revamp': {'action_uid': 'r'}})
    failed, dummy = run(run_module, uid=3, action='revamp', params={'pause_persistence': True, 'shards_count': 2})
    assert not failed
    assert writes(session) == [('PUT', '/v1/bdbs/3/actions/revamp', {'pause_persistence': 'true'}, {'shards_count': 2})]


def test_dry_run_returns_the_blueprint_and_changes_nothing(run_module, session_for):
    blueprint = [{'nodes': [{'node_uid': '1', 'role': 'master'}], 'slot_range': '0-16383'}]
    session = session_for({'/v1/bdbs': BDBS, '/v1/bdbs/3/actions/rebalance': blueprint})
    failed, result = run(run_module, name='app-cache', action='rebalance', params={'dry_run': True}, wait=True)
    assert not failed, result
    assert result['changed'] is False
    assert result['blueprint'] == blueprint
    assert result['action_uid'] is None
    assert writes(session) == [('PUT', '/v1/bdbs/3/actions/rebalance', {'dry_run': 'true'}, None)]
    assert 'actions' not in result


def test_check_mode_sends_nothing(run_module, session_for):
    session = session_for({'/v1/bdbs': BDBS})
    failed, result = run(run_module, name='app-cache', action='stop_traffic', wait=True, _ansible_check_mode=True)
    assert not failed
    assert result['changed'] is True
    assert writes(session) == []


def test_export_sends_the_body_and_returns_no_action_uid(run_module, session_for):
    location = {'type': 'url', 'url': 'ftp://backup.example.com/'}
    session = session_for({'/v1/bdbs': BDBS, '/v1/bdbs/3/actions/export': FakeResponse(200)})
    failed, result = run(run_module, name='app-cache', action='export', params={'export_location': location})
    assert not failed, result
    assert result['action_uid'] is None
    assert writes(session) == [('POST', '/v1/bdbs/3/actions/export', None, {'export_location': location})]


def test_export_wait_follows_the_v2_action_and_the_status_field(run_module, session_for):
    running = {'action_uid': 'e1', 'name': 'export', 'status': 'running', 'action_type': 'other', 'progress': 50.0,
               'additional_info': {'object_type': 'bdb', 'object_uid': '3'}}
    done = dict(running, status='completed', progress=100.0)
    session_for({'/v1/bdbs': BDBS, '/v1/bdbs/3/actions/export': FakeResponse(200),
                 '/v2/actions': InOrder([running], [done]),
                 '/v1/bdbs/3': {'uid': 3, 'export_status': 'succeeded'}})
    failed, result = run(run_module, name='app-cache', action='export', wait=True,
                         params={'export_location': {'type': 'url', 'url': 'ftp://x/'}})
    assert not failed, result
    assert [a['action_uid'] for a in result['actions']] == ['e1']
    assert result['actions'][0]['status'] == 'completed'
    assert result['timed_out'] is False


def test_import_failure_fails_the_task(run_module, session_for):
    session_for({'/v1/bdbs': BDBS, '/v1/bdbs/3/actions/import': FakeResponse(200), '/v2/actions': [],
                 '/v1/bdbs/3': {'uid': 3, 'import_status': 'failed', 'import_failure_reason': 'file not found'}})
    failed, result = run(run_module, name='app-cache', action='import', wait=True,
                         params={'dataset_import_sources': [{'type': 'url', 'url': 'ftp://x/a.rdb'}]})
    assert failed
    assert 'file not found' in result['msg']
    assert result['uid'] == 3


def test_wait_on_the_action_uid(run_module, session_for):
    session_for({'/v1/bdbs': BDBS, '/v1/bdbs/3/actions/stop_traffic': {'action_uid': 's1'},
                 '/v2/actions/s1': {'action_uid': 's1', 'name': 'stop_traffic', 'status': 'completed'}})
    failed, result = run(run_module, name='app-cache', action='stop_traffic', wait=True)
    assert not failed, result
    assert result['actions'][0]['action_uid'] == 's1'


@pytest.mark.parametrize('action, params, text', [
    ('stop_traffic', {'x': 1}, 'takes no params'),
    ('export', {'dry_run': True}, 'rebalance and revamp'),
    ('export', {}, 'export_location'),
    ('rebalance', {'dry_run': 'yes'}, 'true or false'),
    ('rebalance', {'foo': 1}, 'only the params'),
    ('revamp', {'foo': 1}, 'not documented'),
])
def test_params_are_checked_before_any_request(run_module, session_for, action, params, text):
    session = session_for({'/v1/bdbs': BDBS})
    failed, result = run(run_module, name='app-cache', action=action, params=params)
    assert failed
    assert text in result['msg']
    assert session.calls == []


def test_missing_database_and_busy_database(run_module, session_for):
    session_for({'/v1/bdbs': BDBS})
    failed, result = run(run_module, name='other', action='rebalance')
    assert failed and 'does not exist' in result['msg']
    session_for({'/v1/bdbs': BDBS, '/v1/bdbs/3/actions/rebalance': FakeResponse(409, {'error_code': 'busy',
                                                                                      'description': 'busy'})})
    failed, result = run(run_module, name='app-cache', action='rebalance')
    assert failed
    assert 'object_name bdb:3' in result['msg']
    assert result['status'] == 409


def test_argspec_matches_documentation():
    from ansible.module_utils.common import yaml as ansible_yaml  # pylint: disable=import-outside-toplevel
    doc = ansible_yaml.yaml_load(rs_database_action.DOCUMENTATION)
    assert set(doc['options']) == {'name', 'uid', 'action', 'params'}
    assert set(ansible_yaml.yaml_load(rs_database_action.RETURN)) == {
        'action', 'uid', 'name', 'action_uid', 'dry_run', 'blueprint', 'response', 'actions', 'elapsed', 'timed_out'}
