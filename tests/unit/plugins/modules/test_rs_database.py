# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Run the rs_database module in-process against a fake HTTP session (the real RSClient maps its answers)."""

from __future__ import annotations

import copy
import json
from urllib.parse import urlsplit

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_bdb_run, rs_client
from ansible_collections.redis_enterprise.software.plugins.modules import rs_database
from ansible_collections.redis_enterprise.software.tests.unit.plugins.fake_http import FakeResponse

GIB = 1024 ** 3
MIB = 1024 ** 2
URL = 'https://cluster.example.com:9443'
PASSWORD = 'sim-S3cret-pw'
BASE_ARGS = dict(url=URL, username='admin@example.com', password=PASSWORD)


class FakeSession:
    """Stands in for ``requests.Session``: a small RS with /v1/bdbs and scripted answers."""

    def __init__(self, bdbs=None):
        self.bdbs = dict((b['uid'], copy.deepcopy(b)) for b in bdbs or [])
        self.requests = []
        self.scripted = {}
        self.closed = False
        self.actions = 0

    def script(self, method, path, *responses):
        self.scripted.setdefault((method, path), []).extend(responses)

    @property
    def writes(self):
        return [r for r in self.requests if r[0] != 'GET']

    def close(self):
        self.closed = True

    def request(self, method, url, params=None, json=None, headers=None, auth=None, verify=None, timeout=None,
                allow_redirects=None, stream=None):
        path = urlsplit(url).path
        self.requests.append((method, path, copy.deepcopy(params), copy.deepcopy(json)))
        queue = self.scripted.get((method, path))
        if queue:
            return queue.pop(0)
        parts = path.strip('/').split('/')
        if parts == ['v1', 'bdbs'] and method == 'GET':
            fields = (params or {}).get('fields')
            keep = fields.split(',') if fields else None
            return FakeResponse(200, [dict((k, v) for k, v in b.items() if keep is None or k in keep)
                                      for b in self.bdbs.values()])
        if parts == ['v1', 'bdbs'] and method == 'POST':
            uid = json.get('uid') or (max(self.bdbs) + 1 if self.bdbs else 1)
            self.actions += 1
            bdb = dict(json, uid=uid, status='pending', action_uid='act-%d' % self.actions, port=0)
            self.bdbs[uid] = bdb
            return FakeResponse(200, bdb)
        if len(parts) == 3 and parts[:2] == ['v1', 'bdbs']:
            uid = int(parts[2])
            if uid not in self.bdbs:
                return FakeResponse(404, {'error_code': 'db_not_found', 'description': 'Database does not exist'})
            bdb = self.bdbs[uid]
            if method == 'GET':
                return FakeResponse(200, bdb)
            if method == 'PUT':
                self.actions += 1
                bdb.update(json)
                bdb.update(status='active-change-pending', action_uid='act-%d' % self.actions)
                return FakeResponse(200, bdb)
            if method == 'DELETE':
                bdb['status'] = 'delete-pending'
                return FakeResponse(200)
        return FakeResponse(404, {'error_code': 'not_found', 'description': 'no route %s %s' % (method, path)})


def bdb(uid=1, name='app-cache', memory_size=GIB, **extra):
    obj = dict(uid=uid, name=name, memory_size=memory_size, status='active', type='redis', port=12000,
               replication=False, shards_count=1, eviction_policy='volatile-lru')
    obj.update(extra)
    return obj


@pytest.fixture
def cluster(monkeypatch):
    """Install a fake session (empty cluster by default) and a recording busy waiter."""
    state = dict(session=FakeSession(), waits=[])

    def fake_waiter(client):
        def wait(uid, timeout):
            state['waits'].append((uid, timeout))
        return wait

    monkeypatch.setattr(rs_client, 'new_session', lambda: state['session'])
    monkeypatch.setattr(rs_bdb_run, 'make_busy_waiter', fake_waiter)

    class Handle:
        def use(self, session):
            state['session'] = session
            return session

        @property
        def waits(self):
            return state['waits']

    return Handle()


def args(**kwargs):
    result = dict(BASE_ARGS)
    result.update(kwargs)
    return result


def test_create_returns_database_and_action_uid(cluster, run_module):
    session = cluster.use(FakeSession())
    failed, result = run_module(rs_database.main, args(name='app-cache', memory_size='100MB',
                                                       config={'replication': True}))
    assert not failed, result
    assert result['changed'] is True
    assert result['action_uid'] == 'act-1'
    assert result['database']['uid'] == 1
    assert result['database']['status'] == 'pending'
    assert session.writes == [('POST', '/v1/bdbs', None, {'replication': True, 'name': 'app-cache',
                                                          'memory_size': 100 * MIB})]
    assert session.requests[0] == ('GET', '/v1/bdbs', {'fields': 'uid,name,status'}, None)
    assert 'diff' not in result
    assert session.closed
    assert PASSWORD not in json.dumps(result)


def test_second_run_is_not_a_change(cluster, run_module):
    session = cluster.use(FakeSession([bdb(memory_size=100 * MIB, replication=True)]))
    failed, result = run_module(rs_database.main, args(name='app-cache', memory_size='100MiB',
                                                       config={'replication': True}))
    assert not failed, result
    assert result['changed'] is False
    assert result['action_uid'] is None
    assert result['database']['uid'] == 1
    assert session.writes == []


def test_update_sends_only_changes_with_diff(cluster, run_module):
    session = cluster.use(FakeSession([bdb(memory_size=GIB)]))
    failed, result = run_module(rs_database.main, args(name='app-cache', memory_size='2GB',
                                                       config={'replication': False}, _ansible_diff=True))
    assert not failed, result
    assert result['changed'] is True
    assert result['action_uid'] == 'act-1'
    assert result['database']['status'] == 'active-change-pending'
    assert session.writes == [('PUT', '/v1/bdbs/1', None, {'memory_size': 2 * GIB})]
    assert result['diff'] == {'before': {'name': 'app-cache', 'memory_size': GIB, 'replication': False},
                              'after': {'name': 'app-cache', 'memory_size': 2 * GIB, 'replication': False}}


def test_check_mode_sends_only_gets(cluster, run_module):
    session = cluster.use(FakeSession([bdb(memory_size=GIB)]))
    failed, result = run_module(rs_database.main, args(name='app-cache', memory_size='2GB',
                                                       _ansible_check_mode=True, _ansible_diff=True))
    assert not failed, result
    assert result['changed'] is True
    assert result['action_uid'] is None
    assert result['diff']['after']['memory_size'] == 2 * GIB
    assert session.writes == []
    failed, result = run_module(rs_database.main, args(name='new-db', memory_size='1GB', _ansible_check_mode=True))
    assert not failed and result['changed'] is True
    failed, result = run_module(rs_database.main, args(name='app-cache', state='absent', _ansible_check_mode=True))
    assert not failed and result['changed'] is True
    assert session.writes == []
    assert all(r[0] == 'GET' for r in session.requests)


def test_delete_and_delete_again(cluster, run_module):
    session = cluster.use(FakeSession([bdb(uid=3, status='creation-failed')]))
    failed, result = run_module(rs_database.main, args(name='app-cache', state='absent'))
    assert not failed, result
    assert result == dict(result, changed=True, database={}, action_uid=None)
    assert session.writes == [('DELETE', '/v1/bdbs/3', None, None)]
    del session.bdbs[3]
    failed, result = run_module(rs_database.main, args(name='app-cache', state='absent'))
    assert not failed
    assert result['changed'] is False
    assert result['database'] == {}
    assert len(session.writes) == 1


def test_400_invalid_schema_reaches_the_user(cluster, run_module):
    session = cluster.use(FakeSession())
    description = "Additional properties are not allowed ('foo' was unexpected)"
    session.script('POST', '/v1/bdbs', FakeResponse(400, {'error_code': 'invalid_schema', 'description': description}))
    failed, result = run_module(rs_database.main, args(name='app-cache', memory_size='1GB', config={'foo': 1}))
    assert failed
    assert result['status'] == 400
    assert result['error_code'] == 'invalid_schema'
    assert result['description'] == description
    assert description in result['msg']
    assert 'invalid_schema' in result['msg']
    assert result['msg'].startswith("Failed to create database 'app-cache' (POST /v1/bdbs)")


def test_406_reaches_the_user(cluster, run_module):
    session = cluster.use(FakeSession([bdb()]))
    session.script('PUT', '/v1/bdbs/1', FakeResponse(406, {'error_code': 'invalid_sharding',
                                                           'description': 'Sharding must be enabled'}))
    failed, result = run_module(rs_database.main, args(name='app-cache', config={'shards_count': 4}))
    assert failed
    assert result['error_code'] == 'invalid_sharding'
    assert result['description'] == 'Sharding must be enabled'
    assert 'Sharding must be enabled' in result['msg'] and 'invalid_sharding' in result['msg']


def test_busy_waits_and_retries(cluster, run_module):
    session = cluster.use(FakeSession([bdb()]))
    busy = {'error_code': 'busy', 'description': 'Database is busy with another configuration change'}
    session.script('PUT', '/v1/bdbs/1', FakeResponse(409, busy))
    failed, result = run_module(rs_database.main, args(name='app-cache', memory_size='2GB'))
    assert not failed, result
    assert result['changed'] is True
    assert [w[0] for w in cluster.waits] == [1]
    assert [r[:2] for r in session.writes] == [('PUT', '/v1/bdbs/1'), ('PUT', '/v1/bdbs/1')]


def test_busy_forever_fails(cluster, run_module):
    session = cluster.use(FakeSession([bdb()]))
    busy = {'error_code': 'busy', 'description': 'Database is busy with another configuration change'}
    session.script('DELETE', '/v1/bdbs/1', *[FakeResponse(409, busy) for dummy in range(5)])
    failed, result = run_module(rs_database.main, args(name='app-cache', state='absent'))
    assert failed
    assert result['status'] == 409
    assert result['error_code'] == 'busy'
    assert 'stayed busy' in result['msg']
    assert len(session.writes) == 3
    assert len(cluster.waits) == 2


def test_duplicate_names_fail_with_uids(cluster, run_module):
    session = cluster.use(FakeSession([bdb(uid=2), bdb(uid=7)]))
    failed, result = run_module(rs_database.main, args(name='app-cache', memory_size='1GB'))
    assert failed
    assert result['uids'] == [2, 7]
    assert '2, 7' in result['msg']
    assert session.writes == []


@pytest.mark.parametrize('extra, fragment', [
    (dict(name='bad_name', memory_size='1GB'), 'not a valid database name'),
    (dict(name='x' * 64, memory_size='1GB'), 'at most 63'),
    (dict(name='db', memory_size='0'), 'greater than 0'),
    (dict(name='db', memory_size='12 parsecs'), 'unknown unit'),
    (dict(name='db', memory_size='1GB', config={'name': 'other'}), 'config must not contain name'),
])
def test_invalid_options_fail_before_any_request(cluster, run_module, extra, fragment):
    session = cluster.use(FakeSession())
    failed, result = run_module(rs_database.main, args(**extra))
    assert failed
    assert fragment in result['msg']
    assert session.requests == []


def test_missing_memory_size_for_create(cluster, run_module):
    session = cluster.use(FakeSession())
    failed, result = run_module(rs_database.main, args(name='app-cache'))
    assert failed
    assert 'memory_size is required' in result['msg']
    assert session.writes == []


def test_memory_size_as_int(cluster, run_module):
    session = cluster.use(FakeSession())
    failed, result = run_module(rs_database.main, args(name='app-cache', memory_size=104857600, uid=5))
    assert not failed, result
    assert session.writes[0][3] == {'name': 'app-cache', 'memory_size': 104857600, 'uid': 5}


def test_write_only_config_key_is_neither_sent_nor_warned(cluster, run_module):
    session = cluster.use(FakeSession([bdb()]))
    failed, result = run_module(rs_database.main, args(name='app-cache', config={'authentication_redis_pass': 'x'}))
    assert not failed, result
    assert result['changed'] is False
    # 2.19 returns structured warnings, older cores plain strings: look at the serialized list.
    assert 'authentication_redis_pass' not in json.dumps(result.get('warnings', [])), result
    assert session.writes == []


def test_update_password_always_sends_the_write_only_key(cluster, run_module):
    session = cluster.use(FakeSession([bdb()]))
    failed, result = run_module(rs_database.main, args(name='app-cache', config={'authentication_redis_pass': 'x'},
                                                       update_password='always'))
    assert not failed, result
    assert result['changed'] is True
    assert session.writes == [('PUT', '/v1/bdbs/1', None, {'authentication_redis_pass': 'x'})]


def test_argspec_matches_documentation():
    from ansible.module_utils.common import yaml as ansible_yaml  # pylint: disable=import-outside-toplevel
    doc = ansible_yaml.yaml_load(rs_database.DOCUMENTATION)
    assert set(doc['options']) == {'name', 'state', 'memory_size', 'config', 'uid', 'update_password'}
    assert doc['options']['memory_size']['type'] == 'raw'
    assert doc['options']['state']['default'] == 'present'
    ret = ansible_yaml.yaml_load(rs_database.RETURN)
    assert {'database', 'action_uid'} <= set(ret)
    examples = ansible_yaml.yaml_load(rs_database.EXAMPLES)
    assert all(task['name'][0].isupper() for task in examples)


class ActionsSession(FakeSession):
    """FakeSession plus /v2/actions/<uid> (every action completed) and /v1/actions/bdb/<uid>."""

    def __init__(self, bdbs=None, bdb_actions=None):
        super(ActionsSession, self).__init__(bdbs)
        self.bdb_actions = bdb_actions or {}

    def request(self, method, url, **kwargs):
        path = urlsplit(url).path
        parts = path.strip('/').split('/')
        if method == 'GET' and parts[:2] == ['v2', 'actions'] and len(parts) == 3:
            self.requests.append((method, path, None, None))
            return FakeResponse(200, {'action_uid': parts[2], 'name': 'SMCreateBDB', 'status': 'completed',
                                      'action_type': 'state-machine', 'progress': 100.0})
        if method == 'GET' and parts[:3] == ['v1', 'actions', 'bdb']:
            self.requests.append((method, path, None, None))
            return FakeResponse(200, self.bdb_actions.get(int(parts[3]), []))
        return super(ActionsSession, self).request(method, url, **kwargs)


def test_create_with_wait_waits_and_reads_the_database_back(cluster, run_module):
    session = cluster.use(ActionsSession())
    failed, result = run_module(rs_database.main, args(name='app-cache', memory_size='100MB', wait=True))
    assert not failed, result
    assert result['action_uid'] == 'act-1'
    assert [a['action_uid'] for a in result['actions']] == ['act-1']
    assert result['timed_out'] is False and result['elapsed'] >= 0
    assert ('GET', '/v2/actions/act-1', None, None) in session.requests
    assert session.requests[-1][:2] == ('GET', '/v1/bdbs/1')


def test_rerun_on_a_pending_database_returns_and_awaits_its_action(cluster, run_module):
    session = cluster.use(ActionsSession([bdb(status='pending', action_uid='from-earlier-run')]))
    failed, result = run_module(rs_database.main, args(name='app-cache', memory_size='1GB'))
    assert not failed and result['changed'] is False
    assert result['action_uid'] == 'from-earlier-run'
    failed, result = run_module(rs_database.main, args(name='app-cache', memory_size='1GB', wait=True))
    assert not failed, result
    assert result['actions'][0]['action_uid'] == 'from-earlier-run'
    assert session.writes == []


def test_creation_failed_fails_with_rs_error(cluster, run_module):
    cluster.use(ActionsSession([bdb(status='creation-failed')], bdb_actions={1: [
        {'action_uid': 'c1', 'name': 'SMCreateBDB', 'status': 'failed', 'error': 'Not enough memory'}]}))
    failed, result = run_module(rs_database.main, args(name='app-cache', memory_size='1GB'))
    assert failed
    assert 'creation-failed' in result['msg'] and 'Not enough memory' in result['msg']
    assert 'state: absent' in result['msg']


def test_delete_with_wait_polls_until_404(cluster, run_module):
    session = cluster.use(ActionsSession([bdb(uid=3)]))
    session.script('GET', '/v1/bdbs/3', FakeResponse(200, bdb(uid=3)),
                   FakeResponse(404, {'error_code': 'db_not_found', 'description': 'gone'}))
    failed, result = run_module(rs_database.main, args(name='app-cache', state='absent', wait=True))
    assert not failed, result
    assert result['changed'] is True
    assert result['actions'] == [] and result['timed_out'] is False
    assert [r[:2] for r in session.requests][-2:] == [('DELETE', '/v1/bdbs/3'), ('GET', '/v1/bdbs/3')]
