# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests of plugins/module_utils/rs_bdb.py, against a fake client (no network)."""

from __future__ import annotations

import copy
import json

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_bdb
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb import (
    BUSY_ATTEMPTS,
    DatabaseManager,
    DuplicateNameError,
    compute_changes,
    diff_view,
    parse_memory_size,
    retry_when_busy,
    validate_config,
    validate_name,
    bdb_settler,
    validate_bdb_uid,
    validate_params,
    values_equal,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    RSAuthError,
    RSConfigError,
    RSConflict,
    RSError,
    RSHTTPError,
    RSNotFound,
    RSTimeoutError,
)

GIB = 1024 ** 3
MIB = 1024 ** 2


# ---------------------------------------------------------------------- fake cluster


def busy_error(path='/v1/bdbs/1', method='PUT'):
    return RSConflict('RS reported a conflict (409 busy) for %s %s: Database is busy with another configuration change. '
                      'The object may be busy with another change; retry later' % (method, path),
                      status=409, error_code='busy', description='Database is busy with another configuration change')


class FakeClient:
    """A tiny in-memory RS: enough of /v1/bdbs for the flows, with scripted errors per (method, path)."""

    def __init__(self, bdbs=None):
        self.bdbs = {}
        for bdb in bdbs or []:
            self.bdbs[int(bdb['uid'])] = copy.deepcopy(bdb)
        self.calls = []
        self.errors = {}
        self.next_uid = max(self.bdbs) + 1 if self.bdbs else 1
        self.action_counter = 0
        self.bdb_actions = {}  # uid -> the state machines of GET /v1/actions/bdb/<uid>
        # A list: RS before 7.4.2-54, without GET /v1/actions/bdb/<uid> (404); GET /v1/actions lists these.
        self.state_machines = None

    def fail(self, method, path, *errors):
        self.errors.setdefault((method, path), []).extend(errors)

    def _maybe_fail(self, method, path):
        queue = self.errors.get((method, path))
        if queue:
            raise queue.pop(0)

    def _new_action(self):
        self.action_counter += 1
        return 'action-%d' % self.action_counter

    @property
    def writes(self):
        return [c for c in self.calls if c[0] != 'GET']

    def get(self, path, params=None, timeout=None):
        self.calls.append(('GET', path, params, None))
        self._maybe_fail('GET', path)
        if path == ('v1', 'bdbs'):
            fields = params['fields'].split(',') if params and params.get('fields') else None
            return [dict((k, v) for k, v in b.items() if fields is None or k in fields) for b in self.bdbs.values()]
        if len(path) == 3 and path[:2] == ('v1', 'bdbs'):
            uid = int(path[2])
            if uid not in self.bdbs:
                raise RSNotFound('Not found (404 db_not_found): GET /v1/bdbs/%s' % uid, status=404)
            return copy.deepcopy(self.bdbs[uid])
        if path[:3] == ('v1', 'actions', 'bdb') and len(path) == 4:
            if self.state_machines is not None:
                raise RSNotFound('Not found (404): GET /v1/actions/bdb/%s' % path[3], status=404)
            return copy.deepcopy(self.bdb_actions.get(int(path[3]), []))
        if path == ('v1', 'actions') and self.state_machines is not None:
            return {'actions': [], 'state-machines': copy.deepcopy(self.state_machines)}
        raise AssertionError('unexpected GET %r' % (path,))

    def post(self, path, json=None, params=None, timeout=None):
        self.calls.append(('POST', path, params, copy.deepcopy(json)))
        self._maybe_fail('POST', path)
        uid = int(json.get('uid') or self.next_uid)
        self.next_uid = max(self.next_uid, uid + 1)
        bdb = dict(json, uid=uid, status='pending', action_uid=self._new_action(), port=0, type='redis')
        self.bdbs[uid] = bdb
        return copy.deepcopy(bdb)

    def put(self, path, json=None, params=None, timeout=None):
        self.calls.append(('PUT', path, params, copy.deepcopy(json)))
        self._maybe_fail('PUT', path)
        uid = int(path[2])
        bdb = self.bdbs[uid]
        bdb.update(json)
        bdb['status'] = 'active-change-pending'
        bdb['action_uid'] = self._new_action()
        return copy.deepcopy(bdb)

    def delete(self, path, params=None, timeout=None):
        self.calls.append(('DELETE', path, params, None))
        self._maybe_fail('DELETE', path)
        uid = int(path[2])
        if uid not in self.bdbs:
            raise RSNotFound('Not found (404): DELETE /v1/bdbs/%s' % uid, status=404)
        self.bdbs[uid]['status'] = 'delete-pending'
        return None


def active_bdb(uid=1, name='app-cache', memory_size=GIB, **extra):
    bdb = dict(uid=uid, name=name, memory_size=memory_size, status='active', type='redis', port=12000,
               replication=False, sharding=False, shards_count=1, eviction_policy='volatile-lru',
               data_persistence='disabled', module_list=[], tags=[])
    bdb.update(extra)
    return bdb


class FakeWait:
    """Records ``wait_busy(uid, timeout)`` calls; optionally clears the scripted busy errors or raises."""

    def __init__(self, raises=None):
        self.calls = []
        self.raises = raises

    def __call__(self, uid, timeout):
        self.calls.append((uid, timeout))
        if self.raises is not None:
            raise self.raises


# ---------------------------------------------------------------------- parse_memory_size


@pytest.mark.parametrize('value, expected', [
    (1048576, MIB),
    (104857600, 104857600),
    ('104857600', 104857600),
    (' 1048576 ', MIB),
    ('100MB', 100 * MIB),
    ('100mb', 100 * MIB),
    ('512mb', 512 * MIB),
    ('100MiB', 100 * MIB),
    ('100M', 100 * MIB),
    ('100 MB', 100 * MIB),
    ('1GB', GIB),
    ('1gib', GIB),
    ('1G', GIB),
    ('1.5GB', 3 * GIB // 2),
    ('.5GB', GIB // 2),
    ('2.GB', 2 * GIB),
    ('1024KB', MIB),
    ('1024k', MIB),
    ('1TB', 1024 ** 4),
    ('1TiB', 1024 ** 4),
    ('1048576B', MIB),
    ('1048576 bytes', MIB),
    ('1.25MB', 1310720),
    (2097152.0, 2 * MIB),
    ('1MB', MIB),                 # the minimum
    ('1024TB', 1024 ** 5),        # the maximum
])
def test_parse_memory_size_valid(value, expected):
    assert parse_memory_size(value) == expected


def test_parse_memory_size_is_binary():
    # The decision the docs state: MB means 2**20, GB means 2**30.
    assert parse_memory_size('1MB') == 1048576
    assert parse_memory_size('1GB') == 1073741824
    assert parse_memory_size('1GB') == parse_memory_size('1GiB') == parse_memory_size('1024MB')


@pytest.mark.parametrize('value, fragment', [
    (0, 'greater than 0'),
    ('0', 'greater than 0'),
    ('0MB', 'greater than 0'),
    ('0.1B', 'whole number of bytes'),
    (1.5, 'whole number of bytes'),          # was 1 byte
    ('1.1MB', 'whole number of bytes (1153433.6)'),
    (1, 'at least 1MB'),
    ('1KB', 'is 1024 bytes: RS databases need at least 1MB'),
    ('1048575', 'at least 1MB'),
    (1e30, 'larger than 1024TB'),            # was sent to RS
    ('1025TB', 'larger than 1024TB'),
    (1024 ** 5 + 1, 'larger than 1024TB'),
    (-5, 'greater than 0'),
    ('-5MB', 'greater than 0'),
    ('', 'not a size'),
    ('   ', 'not a size'),
    ('MB', 'not a size'),
    ('abc', 'not a size'),
    ('1,5GB', 'not a size'),
    ('1e9', 'not a size'),
    ('10XB', 'unknown unit'),
    ('10 gigs', 'unknown unit'),
    ('1 G B', 'not a size'),
    ('nan', 'not a size'),
    ('inf', 'not a size'),
    (float('nan'), 'finite'),
    (float('inf'), 'finite'),
    (True, 'not True'),
    (None, 'not None'),
    ([1], 'not a list'),
    ({'size': 1}, 'not a dict'),
])
def test_parse_memory_size_invalid(value, fragment):
    with pytest.raises(RSConfigError) as exc_info:
        parse_memory_size(value)
    assert fragment in str(exc_info.value)
    assert 'memory_size' in str(exc_info.value)


# ---------------------------------------------------------------------- validate_name / uid / config


@pytest.mark.parametrize('name', ['a', 'A', '1', 'app-cache', 'App-Cache-01', '9lives', 'a' * 63, 'a-b-c', 'x1-2y'])
def test_validate_name_valid(name):
    assert validate_name(name) == name


@pytest.mark.parametrize('name, fragment', [
    ('', 'non-empty'),
    (None, 'non-empty'),
    (5, 'non-empty'),
    ('a' * 64, 'at most 63'),
    ('-app', 'not a valid database name'),
    ('app-', 'not a valid database name'),
    ('app_cache', 'not a valid database name'),
    ('app cache', 'not a valid database name'),
    ('app.cache', 'not a valid database name'),
    ('café', 'not a valid database name'),
    ('app/../x', 'not a valid database name'),
    ('-', 'not a valid database name'),
    ('nl-db\n', 'not a valid database name'),      # YAML's folded scalar (name: >) ends with a newline
    ('\nnl-db', 'not a valid database name'),
    ('nl-db\r', 'not a valid database name'),
])
def test_validate_name_invalid(name, fragment):
    with pytest.raises(RSConfigError) as exc_info:
        validate_name(name)
    assert fragment in str(exc_info.value)


def test_validate_bdb_uid():
    assert validate_bdb_uid(None) is None
    assert validate_bdb_uid(3) == 3
    assert validate_bdb_uid('7') == 7
    for bad in (0, -1, True, 'x', '1.5', 1.5, '7\n', ' 7', '07'):
        with pytest.raises(RSConfigError):
            validate_bdb_uid(bad)


def test_validate_config_rejects_reserved_keys_and_copies():
    original = {'replication': True, 'tags': [{'key': 'a', 'value': 'b'}]}
    copied = validate_config(original)
    assert copied == original and copied is not original
    assert validate_config(None) == {}
    for key in ('name', 'uid', 'memory_size'):
        with pytest.raises(RSConfigError) as exc_info:
            validate_config({key: 1})
        assert key in str(exc_info.value)
    with pytest.raises(RSConfigError):
        validate_config(['replication'])


@pytest.mark.parametrize('config, fragment', [
    ({'eviction_ratio': float('inf')}, 'config.eviction_ratio must be a finite number'),
    ({'tags': [{'value': float('nan')}]}, 'config.tags[0].value must be a finite number'),
    ({'a': json.loads('[' * 17 + '1' + ']' * 17)}, 'nested more than 16 levels'),
])
def test_validate_config_refuses_what_json_cannot_carry(config, fragment):
    with pytest.raises(RSConfigError) as exc_info:
        validate_config(config)
    assert fragment in str(exc_info.value)


def test_validate_params_normalises():
    params = validate_params('db1', 'present', '1GB', {'replication': True}, '4')
    assert params == dict(name='db1', state='present', memory_size=GIB, config={'replication': True}, uid=4,
                          update_password='on_create')
    with pytest.raises(RSConfigError):
        validate_params('db1', 'gone')


# ---------------------------------------------------------------------- comparison


def test_values_equal_rules():
    assert values_equal(1, 1.0)
    assert not values_equal(True, 1)
    assert not values_equal(1, True)
    assert values_equal(False, False)
    assert not values_equal('2', 2)
    assert values_equal({'a': 1}, {'a': 1, 'b': 2})  # extra keys RS returns are ignored
    assert not values_equal({'a': 1}, {'a': 2})
    assert values_equal({'secret': 'x'}, {})  # nested key not returned: not compared
    assert not values_equal({'a': 1}, [1])
    assert values_equal([{'module_name': 'search'}], [{'module_name': 'search', 'module_id': 'abc', 'semantic_version': '2.8.4'}])
    assert not values_equal([1, 2], [2, 1])
    assert not values_equal([1], [1, 2])
    assert values_equal(None, None)
    assert not values_equal(None, 0)


def test_compute_changes_only_differing_fields():
    current = active_bdb(memory_size=GIB, replication=False, eviction_policy='volatile-lru')
    changes, unreturned = compute_changes(current, {'memory_size': 2 * GIB, 'replication': False,
                                                    'eviction_policy': 'allkeys-lru'})
    assert changes == {'memory_size': 2 * GIB, 'eviction_policy': 'allkeys-lru'}
    assert unreturned == []


def test_compute_changes_ignores_keys_rs_does_not_return():
    current = active_bdb()
    changes, unreturned = compute_changes(current, {'authentication_redis_pass': 's3cret', 'replication': False})
    assert changes == {}
    assert unreturned == ['authentication_redis_pass']


def test_diff_view_shows_compared_fields():
    current = active_bdb(memory_size=GIB, replication=False)
    before, after = diff_view(current, {'memory_size': 2 * GIB, 'replication': False, 'write_only': 1})
    assert before == {'name': 'app-cache', 'memory_size': GIB, 'replication': False}
    assert after == {'name': 'app-cache', 'memory_size': 2 * GIB, 'replication': False}


# ---------------------------------------------------------------------- create


def test_create_posts_body_and_returns_action_uid():
    client = FakeClient()
    manager = DatabaseManager(client)
    result = manager.run('app-cache', memory_size='100MB', config={'replication': True, 'eviction_policy': 'allkeys-lru'})
    assert client.calls[0] == ('GET', ('v1', 'bdbs'), {'fields': 'uid,name,status'}, None)
    assert client.writes == [('POST', ('v1', 'bdbs'), None,
                              {'name': 'app-cache', 'memory_size': 100 * MIB, 'replication': True,
                               'eviction_policy': 'allkeys-lru'})]
    assert result['changed'] is True
    assert result['action_uid'] == 'action-1'
    assert result['database']['uid'] == 1
    assert result['database']['status'] == 'pending'
    assert result['diff'] == {'before': {}, 'after': {'name': 'app-cache', 'memory_size': 100 * MIB,
                                                      'replication': True, 'eviction_policy': 'allkeys-lru'}}


def test_create_sends_uid_when_given():
    client = FakeClient([active_bdb(uid=1, name='other')])
    result = DatabaseManager(client).run('app-cache', memory_size=GIB, uid=7)
    assert client.writes[0][3] == {'name': 'app-cache', 'memory_size': GIB, 'uid': 7}
    assert result['database']['uid'] == 7
    # uid not in use was checked with GET /v1/bdbs/7 before the POST
    assert ('GET', ('v1', 'bdbs', '7'), None, None) in client.calls


def test_create_requires_memory_size_before_post():
    client = FakeClient()
    with pytest.raises(RSConfigError) as exc_info:
        DatabaseManager(client).run('app-cache', config={'replication': True})
    assert 'memory_size is required' in str(exc_info.value)
    assert client.writes == []


def test_invalid_name_fails_before_any_request():
    client = FakeClient()
    with pytest.raises(RSConfigError):
        DatabaseManager(client).run('bad_name', memory_size='1GB')
    with pytest.raises(RSConfigError):
        DatabaseManager(client).run('good', memory_size='0MB')
    assert client.calls == []


def test_create_without_action_uid_in_response():
    client = FakeClient()

    def post(path, json=None, params=None, timeout=None):
        client.calls.append(('POST', path, params, json))
        return dict(json, uid=1, status='active')

    client.post = post
    result = DatabaseManager(client).run('db1', memory_size=GIB)
    assert result['changed'] is True
    assert result['action_uid'] is None
    assert result['database']['status'] == 'active'


def test_create_400_invalid_schema_keeps_rs_description():
    client = FakeClient()
    description = "Additional properties are not allowed ('foo' was unexpected)"
    client.fail('POST', ('v1', 'bdbs'), RSHTTPError('RS rejected the request (400 invalid_schema): %s' % description,
                                                    status=400, error_code='invalid_schema', description=description))
    with pytest.raises(RSHTTPError) as exc_info:
        DatabaseManager(client).run('db1', memory_size=GIB, config={'foo': 1})
    exc = exc_info.value
    assert exc.error_code == 'invalid_schema'
    assert exc.description == description
    assert description in str(exc)
    assert str(exc).startswith("Failed to create database 'db1' (POST /v1/bdbs): ")
    assert exc.to_result() == {'status': 400, 'error_code': 'invalid_schema', 'description': description}


def test_create_409_uid_exists_is_not_retried():
    client = FakeClient()
    client.fail('POST', ('v1', 'bdbs'), RSConflict('conflict (409 uid_exists)', status=409, error_code='uid_exists',
                                                   description='Database with uid 3 already exists'))
    wait = FakeWait()
    with pytest.raises(RSConflict):
        DatabaseManager(client, wait_busy=wait).run('db1', memory_size=GIB, uid=3)
    assert wait.calls == []
    assert len(client.writes) == 1


def test_create_409_uid_exists_converges_on_a_concurrent_creation():
    """Two runs at once with the same fixed uid: the loser finds the winner's database and changes nothing."""

    class RacingClient(FakeClient):
        def post(self, path, json=None, params=None, timeout=None):
            self.calls.append(('POST', path, params, copy.deepcopy(json)))
            self.bdbs[3] = active_bdb(uid=3, name='db1', memory_size=GIB)  # the other run won
            raise RSConflict('conflict (409 uid_exists)', status=409, error_code='uid_exists',
                             description='Database with uid 3 already exists')

    client = RacingClient()
    manager = DatabaseManager(client, wait_busy=FakeWait())
    result = manager.run('db1', memory_size=GIB, uid=3)
    assert result['changed'] is False
    assert result['database']['uid'] == 3
    assert [c[0] for c in client.writes] == ['POST']
    assert any('created by someone else' in warning for warning in manager.warnings)


# ---------------------------------------------------------------------- no change / update


def test_no_change_sends_no_write():
    client = FakeClient([active_bdb(memory_size=GIB, replication=True)])
    result = DatabaseManager(client).run('app-cache', memory_size='1GB', config={'replication': True})
    assert client.writes == []
    assert result['changed'] is False
    assert result['action_uid'] is None
    assert result['database']['uid'] == 1
    assert result['diff']['before'] == result['diff']['after']
    assert [c[1] for c in client.calls] == [('v1', 'bdbs'), ('v1', 'bdbs', '1')]


def test_no_change_without_memory_size():
    client = FakeClient([active_bdb()])
    result = DatabaseManager(client).run('app-cache')
    assert result['changed'] is False
    assert client.writes == []


def test_update_puts_only_changed_fields():
    client = FakeClient([active_bdb(memory_size=GIB, replication=False, eviction_policy='volatile-lru')])
    result = DatabaseManager(client).run('app-cache', memory_size='2GB',
                                         config={'replication': False, 'eviction_policy': 'allkeys-lru'})
    assert client.writes == [('PUT', ('v1', 'bdbs', '1'), None, {'memory_size': 2 * GIB, 'eviction_policy': 'allkeys-lru'})]
    assert result['changed'] is True
    assert result['action_uid'] == 'action-1'
    assert result['database']['status'] == 'active-change-pending'
    assert result['database']['memory_size'] == 2 * GIB
    assert result['diff'] == {
        'before': {'name': 'app-cache', 'memory_size': GIB, 'replication': False, 'eviction_policy': 'volatile-lru'},
        'after': {'name': 'app-cache', 'memory_size': 2 * GIB, 'replication': False, 'eviction_policy': 'allkeys-lru'},
    }


def test_update_write_only_key_is_not_sent_on_create_mode_and_no_warning():
    client = FakeClient([active_bdb(memory_size=GIB)])
    manager = DatabaseManager(client)
    result = manager.run('app-cache', memory_size=2 * GIB, config={'authentication_redis_pass': 'pw'})
    assert client.writes == [('PUT', ('v1', 'bdbs', '1'), None, {'memory_size': 2 * GIB})]
    assert result['changed'] is True
    assert manager.warnings == []


def test_update_password_always_sends_write_only_keys_every_run():
    client = FakeClient([active_bdb(memory_size=GIB)])
    for dummy in range(2):
        client.bdbs[1]['status'] = 'active'
        client.bdbs[1].pop('authentication_redis_pass', None)  # RS never returns it
        result = DatabaseManager(client).run('app-cache', config={'authentication_redis_pass': 'pw'},
                                             update_password='always')
        assert result['changed'] is True
    assert [c[3] for c in client.writes] == [{'authentication_redis_pass': 'pw'}] * 2


def test_update_password_is_validated():
    with pytest.raises(RSConfigError, match='update_password'):
        validate_params('app-cache', update_password='sometimes')


def test_write_only_key_alone_is_never_a_change():
    client = FakeClient([active_bdb()])
    for dummy in range(2):
        result = DatabaseManager(client).run('app-cache', config={'authentication_redis_pass': 'pw'})
        assert result['changed'] is False
    assert client.writes == []


def test_update_with_empty_put_response_reads_the_bdb_back():
    client = FakeClient([active_bdb()])
    original_put = client.put

    def put(path, json=None, params=None, timeout=None):
        original_put(path, json=json)
        return None

    client.put = put
    result = DatabaseManager(client).run('app-cache', memory_size=2 * GIB)
    assert result['changed'] is True
    assert result['database']['memory_size'] == 2 * GIB
    assert result['action_uid'] is None
    assert client.calls[-1][:2] == ('GET', ('v1', 'bdbs', '1'))


def test_update_406_keeps_rs_description():
    client = FakeClient([active_bdb()])
    client.fail('PUT', ('v1', 'bdbs', '1'), RSHTTPError('RS rejected the request (406 invalid_sharding): no',
                                                        status=406, error_code='invalid_sharding', description='no'))
    with pytest.raises(RSHTTPError) as exc_info:
        DatabaseManager(client).run('app-cache', config={'shards_count': 3})
    assert exc_info.value.error_code == 'invalid_sharding'
    assert exc_info.value.description == 'no'
    assert str(exc_info.value).startswith("Failed to update database 'app-cache' (PUT /v1/bdbs/1): ")


def test_present_on_delete_pending_fails_clearly():
    client = FakeClient([active_bdb(status='delete-pending')])
    with pytest.raises(RSConfigError) as exc_info:
        DatabaseManager(client).run('app-cache', memory_size=GIB)
    assert 'delete-pending' in str(exc_info.value)
    assert client.writes == []


def test_present_on_creation_failed_fails_with_rs_error():
    client = FakeClient([active_bdb(status='creation-failed')])
    client.bdb_actions[1] = [{'action_uid': 'a1', 'name': 'SMCreateBDB', 'status': 'failed', 'object_name': 'bdb:1',
                              'error': 'Not enough memory', 'error_code': 'insufficient_resources'}]
    with pytest.raises(RSError) as exc_info:
        DatabaseManager(client).run('app-cache', memory_size=GIB)
    message = str(exc_info.value)
    assert 'creation-failed' in message and 'Not enough memory' in message and 'state: absent' in message
    assert exc_info.value.error_code == 'insufficient_resources'
    assert client.writes == []


def test_present_on_creation_failed_without_rs_error():
    client = FakeClient([active_bdb(status='creation-failed')])
    with pytest.raises(RSError) as exc_info:
        DatabaseManager(client).run('app-cache', memory_size=GIB)
    assert 'RS gave no error' in str(exc_info.value)
    assert exc_info.value.error_code == 'creation_failed'


def test_present_on_creation_failed_without_bdb_actions_endpoint_reads_the_full_list():
    """RS before 7.4.2-54 has no GET /v1/actions/bdb/<uid> (404): the error comes from the full v1 list."""
    client = FakeClient([active_bdb(uid=2, status='creation-failed')])
    client.state_machines = [
        {'action_uid': 'other', 'name': 'SMCreateBDB', 'status': 'failed', 'object_name': 'bdb:1',
         'error': 'another database'},
        {'action_uid': 'a2', 'name': 'SMCreateBDB', 'status': 'failed', 'object_name': 'bdb:2',
         'error': 'internal error: failed to create shards'},
    ]
    with pytest.raises(RSError) as exc_info:
        DatabaseManager(client).run('app-cache', memory_size=GIB)
    message = str(exc_info.value)
    assert 'RS reported: internal error: failed to create shards' in message
    assert 'another database' not in message
    assert [c[1] for c in client.calls if c[0] == 'GET'][-2:] == [('v1', 'actions', 'bdb', '2'), ('v1', 'actions')]
    assert client.writes == []


def test_pending_database_without_action_uid_and_bdb_actions_endpoint_reads_the_full_list():
    client = FakeClient([active_bdb(status='active-change-pending')])
    client.state_machines = [{'action_uid': 'old', 'name': 'SMCreateBDB', 'status': 'completed', 'object_name': 'bdb:1'},
                             {'action_uid': 'upd', 'name': 'SMUpdateBDB', 'status': 'active', 'object_name': 'bdb:1'}]
    result = DatabaseManager(client).run('app-cache', memory_size=GIB)
    assert result['action_uid'] == 'upd'


def test_unchanged_pending_database_reports_its_running_action():
    # A re-run after a timed-out wait: nothing to change, but the creation still runs.
    client = FakeClient([active_bdb(status='pending', action_uid='still-running')])
    result = DatabaseManager(client).run('app-cache', memory_size=GIB)
    assert result['changed'] is False
    assert result['action_uid'] == 'still-running'


def test_pending_database_without_action_uid_reads_its_actions():
    client = FakeClient([active_bdb(status='active-change-pending')])
    client.bdb_actions[1] = [{'action_uid': 'old', 'name': 'SMCreateBDB', 'status': 'completed'},
                             {'action_uid': 'upd', 'name': 'SMUpdateBDB', 'status': 'active'}]
    result = DatabaseManager(client).run('app-cache', memory_size=GIB)
    assert result['action_uid'] == 'upd'
    assert ('GET', ('v1', 'actions', 'bdb', '1'), None, None) in client.calls


def test_active_database_reports_no_action_and_reads_no_actions():
    client = FakeClient([active_bdb(action_uid='stale')])
    result = DatabaseManager(client).run('app-cache', memory_size=GIB)
    assert result['action_uid'] is None
    assert all(c[1][:2] != ('v1', 'actions') for c in client.calls)


# ---------------------------------------------------------------------- check mode


def test_check_mode_create_sends_no_write():
    client = FakeClient()
    result = DatabaseManager(client, check_mode=True).run('db1', memory_size='1GB', config={'replication': True})
    assert client.writes == []
    assert result['changed'] is True
    assert result['action_uid'] is None
    assert result['database'] == {'name': 'db1', 'memory_size': GIB, 'replication': True, 'uid': None}
    assert result['diff'] == {'before': {}, 'after': {'name': 'db1', 'memory_size': GIB, 'replication': True}}


def test_check_mode_create_with_uid_plans_that_uid():
    client = FakeClient()
    result = DatabaseManager(client, check_mode=True).run('db1', memory_size='1GB', uid=12)
    assert client.writes == []
    assert result['changed'] is True
    assert result['database'] == {'name': 'db1', 'memory_size': GIB, 'uid': 12}
    assert result['diff']['after']['uid'] == 12


def test_check_mode_update_sends_no_write():
    client = FakeClient([active_bdb(memory_size=GIB)])
    result = DatabaseManager(client, check_mode=True).run('app-cache', memory_size='2GB')
    assert client.writes == []
    assert result['changed'] is True
    assert result['database']['memory_size'] == 2 * GIB
    assert client.bdbs[1]['memory_size'] == GIB
    assert result['diff'] == {'before': {'name': 'app-cache', 'memory_size': GIB},
                              'after': {'name': 'app-cache', 'memory_size': 2 * GIB}}


def test_check_mode_delete_sends_no_write():
    client = FakeClient([active_bdb()])
    result = DatabaseManager(client, check_mode=True).run('app-cache', state='absent')
    assert client.writes == []
    assert result['changed'] is True
    assert result['database'] == {}
    assert result['diff']['before']['uid'] == 1
    assert result['diff']['after'] == {}


# ---------------------------------------------------------------------- names and uids


def test_duplicate_names_fail_listing_uids():
    client = FakeClient([active_bdb(uid=2), active_bdb(uid=5), active_bdb(uid=6, name='other')])
    with pytest.raises(DuplicateNameError) as exc_info:
        DatabaseManager(client).run('app-cache', memory_size=GIB)
    assert exc_info.value.uids == [2, 5]
    assert 'uids 2, 5' in str(exc_info.value)
    assert exc_info.value.to_result() == {'uids': [2, 5]}
    assert client.writes == []


def test_duplicate_names_fail_for_absent_too():
    client = FakeClient([active_bdb(uid=2), active_bdb(uid=5)])
    with pytest.raises(DuplicateNameError):
        DatabaseManager(client).run('app-cache', state='absent')
    assert client.writes == []


def test_uid_selects_one_of_duplicates():
    client = FakeClient([active_bdb(uid=2), active_bdb(uid=5, memory_size=2 * GIB)])
    result = DatabaseManager(client).run('app-cache', memory_size=GIB, uid=5)
    assert client.writes == [('PUT', ('v1', 'bdbs', '5'), None, {'memory_size': GIB})]
    assert result['changed'] is True


def test_uid_mismatch_with_existing_name_fails():
    client = FakeClient([active_bdb(uid=2)])
    with pytest.raises(RSConfigError) as exc_info:
        DatabaseManager(client).run('app-cache', memory_size=GIB, uid=3)
    assert 'uid 2, not uid 3' in str(exc_info.value)
    assert client.writes == []


def test_uid_belonging_to_another_name_fails():
    client = FakeClient([active_bdb(uid=3, name='other')])
    with pytest.raises(RSConfigError) as exc_info:
        DatabaseManager(client).run('app-cache', memory_size=GIB, uid=3)
    assert "uid 3 belongs to the database 'other'" in str(exc_info.value)
    assert client.writes == []


def test_name_lookup_is_case_sensitive():
    client = FakeClient([active_bdb(uid=1, name='App-Cache')])
    result = DatabaseManager(client).run('app-cache', memory_size=GIB)
    assert result['changed'] is True
    assert client.writes[0][0] == 'POST'


def test_bdb_vanishing_between_lookup_and_read_is_created():
    client = FakeClient([active_bdb(uid=1)])
    client.fail('GET', ('v1', 'bdbs', '1'), RSNotFound('gone', status=404))
    result = DatabaseManager(client).run('app-cache', memory_size=GIB)
    assert result['changed'] is True
    assert client.writes[0][0] == 'POST'


# ---------------------------------------------------------------------- absent


def test_delete_existing():
    client = FakeClient([active_bdb(uid=4)])
    result = DatabaseManager(client).run('app-cache', state='absent')
    assert client.writes == [('DELETE', ('v1', 'bdbs', '4'), None, None)]
    assert result == {'changed': True, 'database': {}, 'action_uid': None,
                      'diff': {'before': {'uid': 4, 'name': 'app-cache', 'status': 'active', 'memory_size': GIB},
                               'after': {}}}


def test_delete_creation_failed():
    client = FakeClient([active_bdb(uid=4, status='creation-failed')])
    result = DatabaseManager(client).run('app-cache', state='absent')
    assert client.writes == [('DELETE', ('v1', 'bdbs', '4'), None, None)]
    assert result['changed'] is True


def test_delete_missing_is_ok():
    client = FakeClient([active_bdb(uid=4, name='other')])
    result = DatabaseManager(client).run('app-cache', state='absent')
    assert client.writes == []
    assert result['changed'] is False
    assert result['database'] == {}


def test_delete_pending_is_not_deleted_again():
    client = FakeClient([active_bdb(uid=4, status='delete-pending')])
    result = DatabaseManager(client).run('app-cache', state='absent')
    assert client.writes == []
    assert result['changed'] is False


def test_delete_404_race_is_not_a_change():
    client = FakeClient([active_bdb(uid=4)])
    client.fail('DELETE', ('v1', 'bdbs', '4'), RSNotFound('gone', status=404))
    result = DatabaseManager(client).run('app-cache', state='absent')
    assert result['changed'] is False
    assert len(client.writes) == 1


def test_delete_with_memory_size_validates_it_but_ignores_it():
    client = FakeClient([active_bdb(uid=4)])
    with pytest.raises(RSConfigError):
        DatabaseManager(client).run('app-cache', state='absent', memory_size='lots')
    assert client.calls == []


# ---------------------------------------------------------------------- busy retry


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_busy_then_success_waits_and_retries_put():
    client = FakeClient([active_bdb(uid=1)])
    client.fail('PUT', ('v1', 'bdbs', '1'), busy_error(), busy_error())
    wait = FakeWait()
    result = DatabaseManager(client, wait_busy=wait).run('app-cache', memory_size=2 * GIB)
    assert [c[0] for c in client.writes] == ['PUT', 'PUT', 'PUT']
    assert all(c[3] == {'memory_size': 2 * GIB} for c in client.writes)
    assert [c[0] for c in wait.calls] == [1, 1]
    assert result['changed'] is True
    assert result['action_uid'] == 'action-1'


def test_busy_then_success_for_delete():
    client = FakeClient([active_bdb(uid=9, status='pending')])
    client.fail('DELETE', ('v1', 'bdbs', '9'), busy_error('/v1/bdbs/9', 'DELETE'))
    wait = FakeWait()
    result = DatabaseManager(client, wait_busy=wait).run('app-cache', state='absent')
    assert [c[0] for c in client.writes] == ['DELETE', 'DELETE']
    assert wait.calls and wait.calls[0][0] == 9
    assert result['changed'] is True


def test_busy_forever_fails_clearly_after_bounded_attempts():
    client = FakeClient([active_bdb(uid=1)])
    client.fail('PUT', ('v1', 'bdbs', '1'), *[busy_error() for dummy in range(10)])
    wait = FakeWait()
    with pytest.raises(RSConflict) as exc_info:
        DatabaseManager(client, wait_busy=wait).run('app-cache', memory_size=2 * GIB)
    exc = exc_info.value
    assert len(client.writes) == BUSY_ATTEMPTS
    assert len(wait.calls) == BUSY_ATTEMPTS - 1
    assert exc.status == 409
    assert exc.error_code == 'busy'
    assert exc.description == 'Database is busy with another configuration change'
    msg = str(exc)
    assert msg.startswith("Failed to update database 'app-cache' (PUT /v1/bdbs/1): bdb:1 stayed busy")
    assert '%d time(s)' % BUSY_ATTEMPTS in msg
    assert 'Database is busy with another configuration change' in msg


def test_busy_without_waiter_fails_at_once():
    client = FakeClient([active_bdb(uid=1)])
    client.fail('PUT', ('v1', 'bdbs', '1'), busy_error())
    with pytest.raises(RSConflict):
        DatabaseManager(client, wait_busy=None).run('app-cache', memory_size=2 * GIB)
    assert len(client.writes) == 1


def test_busy_wait_failure_is_reported_with_context():
    client = FakeClient([active_bdb(uid=1)])
    client.fail('PUT', ('v1', 'bdbs', '1'), busy_error())
    wait = FakeWait(raises=RSTimeoutError('timed out after 300 s'))
    with pytest.raises(RSTimeoutError) as exc_info:
        DatabaseManager(client, wait_busy=wait).run('app-cache', memory_size=2 * GIB)
    msg = str(exc_info.value)
    assert 'waiting for the running actions of bdb:1 failed: timed out after 300 s' in msg
    assert msg.startswith("Failed to update database 'app-cache'")
    assert len(client.writes) == 1


def test_retry_when_busy_shares_one_wait_budget():
    clock = FakeClock()
    timeouts = []

    def wait(uid, timeout):
        timeouts.append(timeout)
        clock.now += 200  # each wait uses 200 s of the 300 s budget

    def operation():
        raise busy_error()

    with pytest.raises(RSConflict) as exc_info:
        retry_when_busy(operation, 1, wait, 'Failed', attempts=5, wait_timeout=300.0, clock=clock)
    # first wait may use 300 s, the second the 100 s left, then the budget is spent
    assert timeouts == [300.0, 100.0]
    assert '3 time(s)' in str(exc_info.value)


def test_retry_when_busy_passes_other_errors_through():
    calls = []

    def operation():
        calls.append(1)
        raise RSHTTPError('boom', status=500)

    with pytest.raises(RSHTTPError):
        retry_when_busy(operation, 1, FakeWait(), 'Failed')
    assert len(calls) == 1


def test_defaults_are_bounded():
    assert rs_bdb.BUSY_ATTEMPTS == 3
    assert rs_bdb.BUSY_WAIT_TIMEOUT == 300.0


# ---------------------------------------------------------------------- make_busy_waiter


class ActionsClient:
    """Answers GET /v2/actions with scripted lists (one per call; the last one repeats)."""

    def __init__(self, *lists):
        self.lists = list(lists)
        self.calls = []

    def get(self, path, params=None, timeout=None):
        self.calls.append((path, timeout))
        assert path == ('v2', 'actions')
        return self.lists.pop(0) if len(self.lists) > 1 else self.lists[0]


def v2_action(uid, status, object_uid='1'):
    return {'action_uid': uid, 'action_type': 'state-machine', 'name': 'SMUpdateBDB', 'status': status,
            'progress': 50.0, 'creation_time': 1768035600,
            'additional_info': {'object_type': 'bdb', 'object_uid': object_uid}}


def _advancing(clock, sleeps=None):
    def sleep(seconds):
        if sleeps is not None:
            sleeps.append(seconds)
        clock.now += seconds
    return sleep


def test_busy_waiter_polls_until_no_running_action():
    clock = FakeClock()
    client = ActionsClient([v2_action('a1', 'running'), v2_action('x', 'running', object_uid='2')],
                           [v2_action('a1', 'running')],
                           [v2_action('a1', 'completed')])
    wait = rs_bdb.make_busy_waiter(client, sleep=_advancing(clock), clock=clock, rng=lambda: 0.5)
    wait(1, 60.0)
    # The shared wait loop polls the list once per cycle until bdb:1's action completed, then stops.
    assert len(client.calls) == 3
    assert all(timeout is not None and timeout <= 60.0 for dummy, timeout in client.calls)
    assert clock.now < 1060.0


def test_busy_waiter_ends_when_the_blocking_action_fails():
    clock = FakeClock()
    client = ActionsClient([v2_action('a1', 'running')], [v2_action('a1', 'failed')])
    wait = rs_bdb.make_busy_waiter(client, sleep=_advancing(clock), clock=clock, rng=lambda: 0.5)
    wait(1, 60.0)  # no longer busy: the retried request gets RS's own answer
    assert len(client.calls) == 2


def test_busy_waiter_pauses_when_nothing_runs():
    clock = FakeClock()
    sleeps = []
    client = ActionsClient([v2_action('x', 'running', object_uid='2')])
    wait = rs_bdb.make_busy_waiter(client, sleep=_advancing(clock, sleeps), clock=clock, min_pause=2.0)
    wait(1, 60.0)
    assert sleeps == [2.0]
    assert len(client.calls) == 1


def test_busy_waiter_times_out():
    clock = FakeClock()
    client = ActionsClient([v2_action('a1', 'running')])
    wait = rs_bdb.make_busy_waiter(client, sleep=_advancing(clock), clock=clock, rng=lambda: 0.5)
    with pytest.raises(RSTimeoutError) as exc_info:
        wait(1, 5.0)
    assert 'bdb:1' in str(exc_info.value)
    assert 'a1' in str(exc_info.value)
    assert 1005.0 <= clock.now < 1006.0


# ---------------------------------------------------------------------- issue 14: errors as the docs give them


def forbidden(description=None, code=None):
    return RSAuthError('Permission denied (403): the role of user lacks a permission', status=403, error_code=code,
                       description=description)


@pytest.mark.parametrize('method, path, state, cause, permission', [
    ('POST', ('v1', 'bdbs'), 'present', 'license has expired', 'create_bdb'),
    ('PUT', ('v1', 'bdbs', '4'), 'present', 'license has expired', 'update_bdb'),
    ('DELETE', ('v1', 'bdbs', '4'), 'absent', 'internal database', 'delete_bdb'),
])
def test_403_on_a_write_shows_rs_description_then_the_likely_cause(method, path, state, cause, permission):
    """requests/bdbs/_index.md: 403 on POST/PUT 'redislabs license expired', on DELETE 'Attempting to delete an
    internal database'."""
    client = FakeClient([] if method == 'POST' else [active_bdb(uid=4, memory_size=GIB)])
    client.username = 'ops@example.com'
    client.fail(method, path, forbidden('redislabs license expired', 'license_expired'))
    with pytest.raises(RSAuthError) as exc_info:
        DatabaseManager(client, wait_busy=lambda uid, timeout: None).run('app-cache', state=state, memory_size=2 * GIB)
    message = str(exc_info.value)
    said = message.index('RS answered 403 license_expired: redislabs license expired')
    assert message.index('Likely cause: ') > said
    assert cause in message
    assert "the role of user 'ops@example.com' lacks the permission %s" % permission in message
    assert len(client.writes) == 1  # a 403 is never retried


def test_403_without_description_says_so():
    client = FakeClient([])
    client.fail('POST', ('v1', 'bdbs'), forbidden())
    with pytest.raises(RSAuthError) as exc_info:
        DatabaseManager(client).run('app-cache', memory_size=GIB)
    assert 'RS answered 403 without a description. Likely cause: the cluster license has expired' in str(exc_info.value)


def test_create_converges_on_name_already_exists():
    client = FakeClient([])
    winner = active_bdb(uid=9, memory_size=GIB)

    def conflict_then_appears(path, json=None, params=None, timeout=None):
        client.calls.append(('POST', path, params, copy.deepcopy(json)))
        client.bdbs[9] = copy.deepcopy(winner)
        raise RSConflict('RS reported a conflict (409 name_already_exists)', status=409,
                         error_code='name_already_exists')

    client.post = conflict_then_appears
    manager = DatabaseManager(client)
    result = manager.run('app-cache', memory_size=GIB)
    assert result['database']['uid'] == 9
    assert result['changed'] is False
    assert any('created by someone else' in w for w in manager.warnings)


def test_creation_failed_delete_refused_fails_at_once():
    """DELETE applies to active databases; a 409 on a creation-failed one is final: no busy wait, no retry."""
    client = FakeClient([active_bdb(uid=4, status='creation-failed', memory_size=GIB)])
    client.fail('DELETE', ('v1', 'bdbs', '4'), RSConflict(
        'RS reported a conflict (409)', status=409, error_code='db_not_active',
        description="the database is not in 'active' state"))
    waits = []
    manager = DatabaseManager(client, wait_busy=lambda uid, timeout: waits.append(uid))
    with pytest.raises(RSConflict) as exc_info:
        manager.run('app-cache', state='absent')
    message = str(exc_info.value)
    assert 'in status creation-failed' in message
    assert "not in 'active' state" in message
    assert 'retrying will not help' in message
    assert waits == []
    assert len(client.writes) == 1


def test_creation_failed_present_fails_before_any_write():
    """state=present on a creation-failed database: RS does not repair it, so no PUT is sent; the error says what to do."""
    client = FakeClient([active_bdb(uid=4, status='creation-failed', memory_size=GIB)])
    with pytest.raises(RSError) as exc_info:
        DatabaseManager(client).run('app-cache', memory_size=2 * GIB)
    assert 'is in status creation-failed' in str(exc_info.value)
    assert 'delete it (state: absent)' in str(exc_info.value)
    assert client.writes == []


def test_active_busy_is_still_retried():
    client = FakeClient([active_bdb(uid=4, memory_size=GIB)])
    client.fail('PUT', ('v1', 'bdbs', '4'), RSConflict('busy (409)', status=409, error_code='bdb_busy'))
    waits = []
    result = DatabaseManager(client, wait_busy=lambda uid, timeout: waits.append(uid)).run(
        'app-cache', memory_size=2 * GIB)
    assert waits == [4] and result['changed'] is True
    assert len(client.writes) == 2


# ---------------------------------------------------------------------- settling a vanished action


class BdbStatusClient:
    """GET /v1/bdbs/<uid> answers ``answer`` (a status, an exception, or None for a non-object body)."""

    def __init__(self, answer):
        self.answer = answer
        self.calls = []

    def get(self, path, timeout=None):
        self.calls.append((path, timeout))
        if isinstance(self.answer, Exception):
            raise self.answer
        return {'uid': 3, 'status': self.answer} if self.answer is not None else ['not', 'an', 'object']


def vanished(object_name='bdb:3'):
    return {'action_uid': 'a1', 'name': 'SMCreateBDB', 'status': 'running', 'object_name': object_name}


@pytest.mark.parametrize('answer, outcome, detail', [
    ('active', 'completed', None),
    ('creation-failed', 'failed', 'database bdb:3 is in status creation-failed: the creation failed'),
    ('pending', None, None),
    ('active-change-pending', None, None),
    ('import-pending', None, None),
    ('recovery', None, None),
    ('delete-pending', 'unknown', 'database bdb:3 is in status delete-pending; its outcome is unknown'),
    (None, 'unknown', 'database bdb:3 is in status None; its outcome is unknown'),
    (RSNotFound('no such bdb', status=404), 'unknown', 'database bdb:3 does not exist (404); its outcome is unknown'),
])
def test_bdb_settler_reads_the_database(answer, outcome, detail):
    client = BdbStatusClient(answer)
    settled = bdb_settler(client)(vanished(), 4.5)
    assert (settled.outcome, settled.detail) == (outcome, detail)
    assert client.calls == [(('v1', 'bdbs', '3'), 4.5)]


@pytest.mark.parametrize('object_name', ['node:1', None, 'bdb: 3', 'cluster:1'])
def test_bdb_settler_knows_only_databases(object_name):
    client = BdbStatusClient('active')
    assert bdb_settler(client)(vanished(object_name), 4.5) is None
    assert client.calls == []


def test_bdb_settler_sends_nothing_past_the_deadline():
    client = BdbStatusClient('active')
    settled = bdb_settler(client)(vanished(), None)
    assert (settled.outcome, settled.detail) == (None, None)
    assert client.calls == []


def test_bdb_settler_lets_other_errors_through():
    client = BdbStatusClient(RSHTTPError('RS failed (503)', status=503))
    with pytest.raises(RSHTTPError):
        bdb_settler(client)(vanished(), 4.5)
