# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

import requests

from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_client
from ansible_collections.redis_enterprise.software.plugins.modules import rs_action_info
from ansible_collections.redis_enterprise.software.tests.unit.plugins.fake_http import FakeResponse

URL = 'https://cluster.example.com:9443'
PASSWORD = 'Sup3r-s3cret-pw'
CONNECTION = dict(url=URL, username='admin@example.com', password=PASSWORD)

V2_ACTIONS = [
    {'action_type': 'task', 'action_uid': 't1', 'additional_info': {'object_type': 'node', 'object_uid': '1'},
     'creation_time': 1742595918, 'name': 'retry_bdb', 'progress': 100.0, 'status': 'completed'},
    {'action_type': 'state-machine', 'action_uid': 's1', 'additional_info': {'object_type': 'bdb', 'object_uid': '3'},
     'creation_time': 1742595920, 'name': 'SMCreateBDB', 'progress': 20.0, 'status': 'running'},
]
V1_ACTIONS = {
    'actions': [{'action_uid': 't1', 'name': 'retry_bdb', 'node_uid': '2', 'progress': '100', 'status': 'completed',
                 'task_id': 't1'}],
    'state-machines': [{'action_uid': 's1', 'name': 'SMCreateBDB', 'object_name': 'bdb:3', 'status': 'active',
                        'heartbeat': 1650378874}],
}


def run(run_module, **args):
    return run_module(rs_action_info.main, dict(CONNECTION, **args))


def test_list_all_v2(run_module, session_for):
    session = session_for({'/v2/actions': V2_ACTIONS})
    failed, result = run(run_module)
    assert not failed
    assert result['changed'] is False
    assert result['api_version'] == 'v2'
    assert [a['action_uid'] for a in result['actions']] == ['t1', 's1']
    first = result['actions'][0]
    assert first['object_name'] == 'node:1'
    assert first['node_uid'] == '1'
    assert 'raw' not in first          # only with include_raw: a large list is not returned twice over
    assert session.paths() == ['/v2/actions']
    call = session.calls[0]
    assert call['auth'] == (b'admin@example.com', PASSWORD.encode('utf-8'))
    assert call['verify'] is True
    assert call['timeout'] == (30.0, 30.0)  # (connect, read); the total is bounded by the client


def test_include_raw_returns_the_api_objects(run_module, session_for):
    session_for({'/v2/actions': V2_ACTIONS})
    failed, result = run(run_module, include_raw=True)
    assert not failed
    assert [action['raw'] for action in result['actions']] == V2_ACTIONS


def test_list_all_falls_back_to_v1(run_module, session_for):
    session = session_for({'/v1/actions': V1_ACTIONS})
    failed, result = run(run_module)
    assert not failed
    assert result['api_version'] == 'v1'
    statuses = {a['action_uid']: (a['status'], a['api_status'], a['action_type']) for a in result['actions']}
    assert statuses == {'t1': ('completed', 'completed', 'task'), 's1': ('running', 'active', 'state-machine')}
    assert result['actions'][0]['progress'] == 100.0
    assert session.paths() == ['/v2/actions', '/v1/actions']


def test_filters(run_module, session_for):
    session_for({'/v2/actions': V2_ACTIONS})
    failed, result = run(run_module, status=['running', 'queued'])
    assert not failed
    assert [a['action_uid'] for a in result['actions']] == ['s1']
    failed, result = run(run_module, name='retry_bdb')
    assert [a['action_uid'] for a in result['actions']] == ['t1']
    failed, result = run(run_module, name='retry_bdb', status=['failed'])
    assert result['actions'] == []


def test_object_name_on_v1_uses_bdb_endpoint(run_module, session_for):
    session = session_for({'/v1/actions/bdb/3': [V1_ACTIONS['state-machines'][0]]})
    failed, result = run(run_module, object_name='BDB:3', api_version='v1')
    assert not failed
    assert session.paths() == ['/v1/actions/bdb/3']
    assert [a['action_uid'] for a in result['actions']] == ['s1']
    assert result['api_version'] == 'v1'


def test_uid_found(run_module, session_for):
    session = session_for({'/v2/actions/s1': V2_ACTIONS[1]})
    failed, result = run(run_module, uid='s1')
    assert not failed
    assert len(result['actions']) == 1
    assert result['actions'][0]['object_name'] == 'bdb:3'
    assert result['actions'][0]['status'] == 'running'
    assert session.paths() == ['/v2/actions/s1']


def test_unknown_uid_is_empty_list_not_failure(run_module, session_for):
    session = session_for({'/v2/actions': V2_ACTIONS})
    failed, result = run(run_module, uid='nope')
    assert not failed
    assert result['actions'] == []
    assert result['api_version'] == 'v2'
    assert session.paths() == ['/v2/actions/nope', '/v2/actions']


def test_unknown_uid_on_v1_cluster(run_module, session_for):
    session = session_for({})
    failed, result = run(run_module, uid='nope')
    assert not failed
    assert result['actions'] == []
    assert result['api_version'] == 'v1'
    assert session.paths() == ['/v2/actions/nope', '/v2/actions', '/v1/actions/nope']


def test_uid_with_slashes_is_rejected_before_any_request(run_module, session_for):
    session = session_for({})
    failed, result = run(run_module, uid='../../v1/users', api_version='v2')
    assert failed
    assert "must not contain '/'" in result['msg']
    assert session.calls == []


def test_uid_with_url_syntax_stays_one_segment(run_module, session_for):
    session = session_for({})
    failed, result = run(run_module, uid='x?y=1#z', api_version='v2')
    assert not failed
    assert result['actions'] == []
    assert session.calls[0]['url'] == URL + '/v2/actions/x%3Fy%3D1%23z'


def test_check_mode_same_result(run_module, session_for):
    session_for({'/v2/actions': V2_ACTIONS})
    dummy, normal = run(run_module)
    dummy, checked = run(run_module, _ansible_check_mode=True)
    assert checked['changed'] is False
    assert checked['actions'] == normal['actions']
    assert checked['api_version'] == normal['api_version']


def test_auth_failure_is_reported_without_password(run_module, session_for):
    session_for({'/v2/actions': FakeResponse(401, {'error_code': 'unauthorized', 'description': 'bad %s' % PASSWORD})})
    failed, result = run(run_module)
    assert failed
    assert result['msg'].startswith('Authentication failed (401)')
    assert result['status'] == 401
    assert result['error_code'] == 'unauthorized'
    assert PASSWORD not in json.dumps(result)


def test_forbidden_names_permission(run_module, session_for):
    session_for({'/v2/actions': FakeResponse(403, {'error_code': 'forbidden'})})
    failed, result = run(run_module)
    assert failed
    assert 'view_status_of_cluster_action' in result['msg']
    assert result['status'] == 403


def test_tls_failure(run_module, session_for):
    session_for({'/v2/actions': requests.exceptions.SSLError('certificate verify failed: self-signed certificate')})
    failed, result = run(run_module)
    assert failed
    assert 'TLS verification of https://cluster.example.com:9443 failed' in result['msg']
    assert 'ca_path' in result['msg']


def test_invalid_url_fails_before_any_request(run_module, session_for):
    session = session_for({'/v2/actions': V2_ACTIONS})
    failed, result = run(run_module, url='https://admin:%s@cluster.example.com:9443' % PASSWORD)
    assert failed
    assert 'credentials' in result['msg']
    assert PASSWORD not in json.dumps(result)
    assert session.calls == []


def test_bad_object_name(run_module, session_for):
    session = session_for({'/v2/actions': V2_ACTIONS})
    failed, result = run(run_module, object_name='bdb3')
    assert failed
    assert 'type:uid' in result['msg']
    assert session.calls == []


def test_bad_status_choice_fails_argument_validation(run_module, session_for):
    session = session_for({'/v2/actions': V2_ACTIONS})
    failed, result = run(run_module, status=['pending'])
    assert failed
    assert 'status' in result['msg']
    assert session.calls == []


def test_connection_from_environment(run_module, session_for, monkeypatch):
    session = session_for({'/v2/actions': V2_ACTIONS})
    monkeypatch.setenv('REDIS_ENTERPRISE_URL', 'https://env.example.com:9443')
    monkeypatch.setenv('REDIS_ENTERPRISE_USER', 'env-user')
    monkeypatch.setenv('REDIS_ENTERPRISE_PASSWORD', 'env-password')
    monkeypatch.setenv('REDIS_ENTERPRISE_INSECURE', 'TRUE')
    monkeypatch.setenv('REDIS_ENTERPRISE_CA_PATH', '')
    failed, result = run_module(rs_action_info.main, {})
    assert not failed
    call = session.calls[0]
    assert call['url'] == 'https://env.example.com:9443/v2/actions'
    assert call['auth'] == (b'env-user', b'env-password')
    assert call['verify'] is False


def test_validate_certs_option_wins_over_insecure_env(run_module, session_for, monkeypatch):
    session = session_for({'/v2/actions': V2_ACTIONS})
    monkeypatch.setenv('REDIS_ENTERPRISE_INSECURE', 'true')
    failed, dummy = run(run_module, validate_certs=True, user='alias-user')
    assert not failed
    assert session.calls[0]['verify'] is True
    assert session.calls[0]['auth'][0] == b'alias-user'


def test_missing_password_names_env_var(run_module, session_for):
    session = session_for({'/v2/actions': V2_ACTIONS})
    failed, result = run_module(rs_action_info.main, dict(url=URL, username='admin'))
    assert failed
    assert 'REDIS_ENTERPRISE_PASSWORD' in result['msg']
    assert session.calls == []


def test_missing_requests(run_module, monkeypatch):
    monkeypatch.setattr(rs_client, 'HAS_REQUESTS', False)
    monkeypatch.setattr(rs_client, 'REQUESTS_IMPORT_ERROR', 'Traceback (most recent call last): ImportError')
    failed, result = run(run_module)
    assert failed
    assert 'required Python library (requests)' in result['msg']
    assert 'actions' not in result
