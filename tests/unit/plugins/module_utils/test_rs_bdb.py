# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests of plugins/module_utils/rs_bdb.py (``DatabaseManager``), against a fake client (no network)."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb import DatabaseManager
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb_busy import BUSY_ATTEMPTS
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb_spec import DuplicateNameError
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    RSAuthError,
    RSConfigError,
    RSConflict,
    RSError,
    RSHTTPError,
    RSNotFound,
    RSTimeoutError,
)
from ansible_collections.redis_enterprise.software.tests.unit.plugins.module_utils.bdb_fakes import (
    GIB,
    MIB,
    FakeClient,
    FakeWait,
    active_bdb,
    busy_error,
)


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
    # The database read back is still at work: its own action_uid is the action still running on it.
    assert result['database']['status'] == 'active-change-pending'
    assert result['action_uid'] == 'action-1'
    assert client.calls[-1][:2] == ('GET', ('v1', 'bdbs', '1'))


def test_create_answered_as_the_docs_example_reads_the_bdb_back():
    # requests/bdbs/_index.md, Create database v1: the answer is the bdb, its example shows no status, no action_uid.
    client = FakeClient()
    original_post = client.post

    def post(path, json=None, params=None, timeout=None):
        bdb = original_post(path, json=json)
        return dict((key, bdb[key]) for key in ('uid', 'name', 'type', 'memory_size'))

    client.post = post
    result = DatabaseManager(client).run('db1', memory_size=GIB)
    assert (result['changed'], result['action_uid'], result['database']['status']) == (True, 'action-1', 'pending')
    assert [call[:2] for call in client.calls] == [('GET', ('v1', 'bdbs')), ('POST', ('v1', 'bdbs')),
                                                   ('GET', ('v1', 'bdbs', '1'))]


def test_update_answered_without_action_uid_reports_the_running_one():
    client = FakeClient([active_bdb()])
    original_put = client.put

    def put(path, json=None, params=None, timeout=None):
        bdb = original_put(path, json=json)
        bdb.pop('action_uid')
        return bdb

    client.put = put
    result = DatabaseManager(client).run('app-cache', memory_size=2 * GIB)
    assert (result['action_uid'], result['database']['status']) == ('action-1', 'active-change-pending')


def test_create_answer_with_action_uid_and_status_is_not_read_back():
    client = FakeClient()
    result = DatabaseManager(client).run('db1', memory_size=GIB)
    assert result['action_uid'] == 'action-1'
    assert [call[0] for call in client.calls] == ['GET', 'POST']


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
