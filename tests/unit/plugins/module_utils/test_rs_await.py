# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests of plugins/module_utils/rs_await.py, on a fake clock and a scripted client (no network)."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_await
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    RSAuthError,
    RSConfigError,
    RSHTTPError,
    RSNotFound,
)


class Clock:
    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def kwargs(self):
        return dict(clock=self.clock, sleep=self.sleep, rng=lambda: 0.5)


NOT_FOUND = RSNotFound('Not found (404)', status=404)


class ScriptClient:
    """``get(path)`` answers from ``routes[path]``: a list used in order (the last repeats); an exception is raised."""

    request_timeout = 30.0

    def __init__(self, routes):
        self.routes = dict((k, list(v)) for k, v in routes.items())
        self.calls = []
        self.budgets = []

    def get(self, path, params=None, timeout=None):
        self.calls.append((path, params))
        self.budgets.append(timeout)
        if path not in self.routes:
            raise RSNotFound('Not found (404): %s' % '/'.join(path), status=404)
        answers = self.routes[path]
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        return copy.deepcopy(answer)


def v2(uid, status, name='SMCreateBDB', object_name='bdb:1', progress=None):
    action = dict(action_uid=uid, name=name, status=status, action_type='state-machine',
                  additional_info=dict(object_type=object_name.split(':')[0], object_uid=object_name.split(':')[1]))
    if progress is not None:
        action['progress'] = progress
    return action


def test_argument_spec_defaults():
    spec = rs_await.await_argument_spec()
    assert spec == dict(wait=dict(type='bool', default=False), wait_timeout=dict(type='int', default=600))
    assert rs_await.await_argument_spec() is not spec


@pytest.mark.parametrize('value', [0, -1, True, 'x', float('nan')])
def test_wait_timeout_must_be_positive(value):
    with pytest.raises(RSConfigError, match='wait_timeout'):
        rs_await.validate_await_params(dict(wait=True, wait_timeout=value))


def test_validate_await_params():
    assert rs_await.validate_await_params(dict(wait=True, wait_timeout=5)) == (True, 5.0)
    assert rs_await.validate_await_params(dict(wait=None, wait_timeout=None)) == (False, 600.0)


def test_wait_for_one_action_until_completed():
    clock = Clock()
    steps = [v2('a1', 'running', progress=10), v2('a1', 'running', progress=60), v2('a1', 'completed', progress=100)]
    client = ScriptClient({('v2', 'actions', 'a1'): steps})
    result = rs_await.wait_for_actions(client, 60, uids=['a1'], **clock.kwargs())
    assert result['failed'] is False, result
    assert [a['status'] for a in result['actions']] == ['completed']
    assert result['elapsed'] == pytest.approx(sum(clock.sleeps), abs=0.01)
    assert result['elapsed'] > 0


def test_wait_for_one_action_reports_failure():
    clock = Clock()
    failed = v2('a1', 'failed')
    failed['additional_info']['error'] = 'boom'
    client = ScriptClient({('v2', 'actions', 'a1'): [v2('a1', 'running'), failed]})
    result = rs_await.wait_for_actions(client, 60, uids=['a1'], **clock.kwargs())
    assert result['failed'] is True
    assert 'boom' in result['msg']


def test_wait_for_actions_times_out_on_the_fake_clock():
    clock = Clock()
    client = ScriptClient({('v2', 'actions', 'a1'): [v2('a1', 'running')]})
    result = rs_await.wait_for_actions(client, 30, uids=['a1'], **clock.kwargs())
    assert result['failed'] is True and result['timed_out'] is True
    assert clock.now - 1000.0 == pytest.approx(30, abs=0.01)


def test_wait_until_gone():
    clock = Clock()
    bdb = dict(uid=3, status='delete-pending')
    client = ScriptClient({('v1', 'bdbs', '3'): [bdb, bdb, NOT_FOUND]})
    result = rs_await.wait_until_gone(client, 3, 60, **clock.kwargs())
    assert result['failed'] is False, result
    assert result['actions'] == []
    assert result['polls'] == 3
    assert 'deleted' in result['msg']
    assert clock.sleeps == [pytest.approx(0.5), pytest.approx(0.75)]


def test_wait_until_gone_times_out():
    clock = Clock()
    client = ScriptClient({('v1', 'bdbs', '3'): [dict(uid=3, status='delete-pending')]})
    result = rs_await.wait_until_gone(client, 3, 20, **clock.kwargs())
    assert result['failed'] is True and result['timed_out'] is True
    assert result['elapsed'] == pytest.approx(20)
    assert 'Timed out after 20.0 s' in result['msg']
    assert max(clock.sleeps) <= rs_await.POLL_MAX * 1.1


def test_wait_until_gone_retries_transient_and_stops_on_permanent_errors():
    clock = Clock()
    client = ScriptClient({('v1', 'bdbs', '3'): [RSHTTPError('503', status=503), NOT_FOUND]})
    assert rs_await.wait_until_gone(client, 3, 20, **clock.kwargs())['failed'] is False
    client = ScriptClient({('v1', 'bdbs', '3'): [RSAuthError('Authentication failed (401)', status=401)]})
    result = rs_await.wait_until_gone(client, 3, 20, **clock.kwargs())
    assert result['failed'] is True and result['timed_out'] is False
    assert result['status'] == 401 and '401' in result['msg']


def test_wait_until_gone_states_a_permanent_error_with_what_it_saw_before():
    """A 401 after good polls is stated as an error a retry cannot fix, with the polls and the last status seen."""
    clock = Clock()
    pending = dict(uid=3, status='delete-pending')
    client = ScriptClient({('v1', 'bdbs', '3'): [pending, pending, RSAuthError('Authentication failed (401)', status=401)]})
    result = rs_await.wait_until_gone(client, 3, 20, **clock.kwargs())
    assert result['failed'] is True and result['timed_out'] is False and result['status'] == 401
    assert 'a retry cannot fix: Authentication failed (401)' in result['msg']
    assert 'Before it, 2 polls succeeded' in result['msg'] and 'status delete-pending' in result['msg']


@pytest.mark.parametrize('wait', [
    lambda client, **kw: rs_await.wait_until_gone(client, 3, 7, **kw),
    lambda client, **kw: rs_await.wait_for_bdb_active(client, 3, 7, **kw),
    lambda client, **kw: rs_await.wait_for_bdb_field(client, 3, 'export', 7, **kw),
    lambda client, **kw: rs_await.wait_for_node_action(client, 3, 'maintenance_on', 7, **kw),
], ids=['until_gone', 'bdb_active', 'bdb_field', 'node_action'])
def test_poll_requests_get_only_the_time_left(wait):
    """Each request of a _poll wait is bounded by what is left of the wait (at least MIN_POLL_REQUEST), so a server
    that answers slowly cannot keep the wait past its timeout."""
    clock = Clock()
    client = ScriptClient({('v1', 'bdbs', '3'): [dict(uid=3, status='delete-pending', export_status='exporting')],
                           ('v1', 'nodes', '3', 'actions', 'maintenance_on'): [
                               dict(name='maintenance_on', status='running')]})
    result = wait(client, **clock.kwargs())
    assert result['timed_out'] is True, result
    assert client.budgets[0] == pytest.approx(7)
    elapsed = 0.0
    for budget, pause in zip(client.budgets[1:], clock.sleeps):
        elapsed += pause
        assert budget == pytest.approx(max(7 - elapsed, rs_await.MIN_POLL_REQUEST))
    assert client.budgets[-1] == pytest.approx(rs_await.MIN_POLL_REQUEST)


@pytest.mark.parametrize('error', [RSAuthError('Authentication failed (401)', status=401),
                                   RSHTTPError('Forbidden (403)', status=403),
                                   RSHTTPError('RS rejected the request (400 invalid_request)', status=400)])
def test_wait_for_actions_states_a_permanent_error_mid_wait(error):
    """The wait of rs_database, rs_database_action and rs_node_action (wait: true): a 401, 403 or 400 after good
    polls ends the wait at once, stated as permanent, with what was seen before it."""
    clock = Clock()
    running = v2('a1', 'running', progress=40.0)
    client = ScriptClient({('v2', 'actions', 'a1'): [running, running, error]})
    result = rs_await.wait_for_actions(client, 60, uids=['a1'], **clock.kwargs())
    assert result['failed'] is True and result['timed_out'] is False
    assert 'retry cannot fix' in result['msg'] and str(error.status) in result['msg']
    assert '2 polls succeeded' in result['msg'] and 'running' in result['msg']
    assert clock.now - 1000.0 < 10


def test_wait_for_bdb_field_succeeds_and_fails():
    clock = Clock()
    client = ScriptClient({('v1', 'bdbs', '2'): [dict(export_status='exporting'), dict(export_status='succeeded')]})
    result = rs_await.wait_for_bdb_field(client, 2, 'export', 60, **clock.kwargs())
    assert result['failed'] is False and result['export_status'] == 'succeeded'
    assert client.calls[0][1] == {'fields': 'export_status,export_progress,export_failure_reason,status'}
    client = ScriptClient({('v1', 'bdbs', '2'): [dict(import_status='importing'),
                                                 dict(import_status='failed', import_failure_reason='bad file')]})
    result = rs_await.wait_for_bdb_field(client, 2, 'import', 60, **clock.kwargs())
    assert result['failed'] is True and 'bad file' in result['msg']


def test_wait_for_database_picks_what_to_wait_for():
    clock = Clock()
    assert rs_await.wait_for_database(None, {}, 'absent', 10)['failed'] is False
    client = ScriptClient({('v2', 'actions', 'x'): [v2('x', 'completed')]})
    result = rs_await.wait_for_database(client, dict(action_uid='x', database={}), 'present', 10, **clock.kwargs())
    assert result['failed'] is False and result['actions'][0]['action_uid'] == 'x'
    # A busy database without an action uid: every action on bdb:4.
    lists = [[v2('y', 'running', object_name='bdb:4')], [v2('y', 'completed', object_name='bdb:4')]]
    client = ScriptClient({('v2', 'actions'): lists})
    result = rs_await.wait_for_database(client, dict(action_uid=None, database=dict(uid=4, status='pending')),
                                        'present', 10, **clock.kwargs())
    assert result['failed'] is False and [a['action_uid'] for a in result['actions']] == ['y']
    assert rs_await.wait_for_database(None, dict(action_uid=None, database=dict(uid=4, status='active')),
                                      'present', 10)['actions'] == []


def test_wait_for_operation_export_follows_the_action_then_the_status_field():
    clock = Clock()
    export = v2('e1', 'running', name='export', object_name='bdb:2')
    export['action_type'] = 'other'
    done = dict(export, status='completed')
    client = ScriptClient({('v2', 'actions'): [[export], [done]],
                           ('v1', 'bdbs', '2'): [dict(export_status='succeeded')]})
    result = rs_await.wait_for_operation(client, dict(action='export', uid=2, action_uid=None), 60, **clock.kwargs())
    assert result['failed'] is False, result
    assert [a['action_uid'] for a in result['actions']] == ['e1']
    assert ('v1', 'bdbs', '2') in [c[0] for c in client.calls]


def test_wait_for_operation_import_on_v1_follows_the_status_field():
    clock = Clock()
    client = ScriptClient({('v2', 'actions'): [RSHTTPError('Not found (404)', status=404)],
                           ('v1', 'actions', 'bdb', '2'): [[]],
                           ('v1', 'bdbs', '2'): [dict(import_status='importing'), dict(import_status='succeeded')]})
    result = rs_await.wait_for_operation(client, dict(action='import', uid=2, action_uid=None), 60, **clock.kwargs())
    assert result['failed'] is False, result
    assert result['actions'] == []
    assert result['import_status'] == 'succeeded'


def test_wait_for_operation_with_action_uid():
    clock = Clock()
    client = ScriptClient({('v2', 'actions', 'r1'): [v2('r1', 'completed', name='rebalance')]})
    result = rs_await.wait_for_operation(client, dict(action='rebalance', uid=2, action_uid='r1'), 60,
                                         **clock.kwargs())
    assert result['failed'] is False
    assert result['actions'][0]['name'] == 'rebalance'


NODE_ACTION = ('v1', 'nodes', '2', 'actions', 'maintenance_on')


def test_wait_for_node_action_follows_its_status_and_returns_its_uid():
    clock = Clock()
    client = ScriptClient({NODE_ACTION: [dict(name='maintenance_on', status='queued', task_id='t1'),
                                         dict(name='maintenance_on', status='running', progress=50, task_id='t1'),
                                         dict(name='maintenance_on', status='completed', progress=100, task_id='t1')]})
    result = rs_await.wait_for_node_action(client, 2, 'maintenance_on', 60, **clock.kwargs())
    assert result['failed'] is False, result
    assert result['action_uid'] == 't1'
    assert [(a['action_uid'], a['status'], a['object_name'], a['node_uid']) for a in result['actions']] == [
        ('t1', 'completed', 'node:2', '2')]
    assert len(client.calls) == 3 and result['elapsed'] > 0


@pytest.mark.parametrize('status', ['failed', 'aborted', 'cancelled'])
def test_wait_for_node_action_fails_when_the_action_does(status):
    clock = Clock()
    client = ScriptClient({NODE_ACTION: [dict(name='maintenance_on', status='running'),
                                         dict(name='maintenance_on', status=status, error_message='no room')]})
    result = rs_await.wait_for_node_action(client, 2, 'maintenance_on', 60, **clock.kwargs())
    assert result['failed'] is True and result['timed_out'] is False
    assert result['msg'] == 'The maintenance_on action on node 2 ended %s: no room' % status
    assert result['action_uid'] is None


def test_wait_for_node_action_404_ends_when_the_node_is_there():
    clock = Clock()
    client = ScriptClient({})
    answers = [False, False, True]
    result = rs_await.wait_for_node_action(client, 2, 'maintenance_on', 60, reached=lambda budget: answers.pop(0),
                                           **clock.kwargs())
    assert result['failed'] is False and answers == [] and result['actions'] == []
    assert rs_await.wait_for_node_action(ScriptClient({}), 2, 'enslave_node', 60, **clock.kwargs())['failed'] is False
    result = rs_await.wait_for_node_action(ScriptClient({}), 2, 'maintenance_on', 5, reached=lambda budget: False,
                                           **clock.kwargs())
    assert result['failed'] is True and result['timed_out'] is True
    # Seen running, then gone (404) with the node removed: the action is reported completed.
    client = ScriptClient({('v1', 'nodes', '2', 'actions', 'remove'): [
        dict(name='remove_node', status='running', task_id='r1'), NOT_FOUND]})
    result = rs_await.wait_for_node_action(client, 2, 'remove', 60, reached=lambda budget: True, **clock.kwargs())
    assert result['failed'] is False
    assert [(a['action_uid'], a['status']) for a in result['actions']] == [('r1', 'completed')]


def test_wait_for_bdb_active():
    clock = Clock()
    client = ScriptClient({('v1', 'bdbs', '4'): [dict(status='active-change-pending'), dict(status='active')]})
    result = rs_await.wait_for_bdb_active(client, 4, 60, **clock.kwargs())
    assert result['failed'] is False and len(client.calls) == 2
    client = ScriptClient({('v1', 'bdbs', '4'): [dict(status='creation-failed')]})
    assert rs_await.wait_for_bdb_active(client, 4, 60, **clock.kwargs())['failed'] is True


def test_wait_for_operation_without_action_uid_waits_for_the_actions_then_the_status():
    clock = Clock()
    lists = [[v2('old', 'completed', object_name='bdb:4')],
             [v2('old', 'completed', object_name='bdb:4'), v2('z', 'running', 'SMStopTraffic', 'bdb:4')],
             [v2('old', 'completed', object_name='bdb:4'), v2('z', 'completed', 'SMStopTraffic', 'bdb:4')]]
    client = ScriptClient({('v2', 'actions'): lists,
                           ('v1', 'bdbs', '4'): [dict(status='active-change-pending'), dict(status='active')]})
    result = rs_await.wait_for_operation(client, dict(action='stop_traffic', uid=4, action_uid=None), 60,
                                         **clock.kwargs())
    assert result['failed'] is False, result
    assert ('v1', 'bdbs', '4') in [call[0] for call in client.calls]


def test_wait_for_import_ignores_a_stale_import_status_while_import_pending():
    clock = Clock()
    client = ScriptClient({('v1', 'bdbs', '2'): [dict(status='import-pending', import_status='succeeded'),
                                                 dict(status='active', import_status='succeeded')]})
    result = rs_await.wait_for_bdb_field(client, 2, 'import', 60, **clock.kwargs())
    assert result['failed'] is False and len(client.calls) == 2


def test_wait_for_bdb_field_absent_ends_when_the_database_is_active():
    clock = Clock()
    client = ScriptClient({('v1', 'bdbs', '2'): [dict(status='import-pending'), dict(status='active')]})
    result = rs_await.wait_for_bdb_field(client, 2, 'import', 60, **clock.kwargs())
    assert result['failed'] is False and len(client.calls) == 2 and result['import_status'] is None
    # A stale value is not mistaken for the end while the field exists.
    client = ScriptClient({('v1', 'bdbs', '2'): [dict(status='active', export_status='exporting'),
                                                 dict(status='active', export_status='succeeded')]})
    assert rs_await.wait_for_bdb_field(client, 2, 'export', 60, **clock.kwargs())['failed'] is False
    assert len(client.calls) == 2


def test_export_with_an_action_uid_unknown_to_the_actions_api_follows_the_status_field(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(rs_await, 'TRANSFER_MISSING_GRACE', 2.0)
    client = ScriptClient({('v1', 'bdbs', '4'): [dict(status='active', export_status='exporting'),
                                                 dict(status='active', export_status='succeeded')]})
    result = rs_await.wait_for_operation(client, dict(action='export', uid=4, action_uid='e1'), 60, **clock.kwargs())
    assert result['failed'] is False, result
    assert result['export_status'] == 'succeeded'
    # Not a transfer: a uid the actions API never shows fails the wait as before.
    result = rs_await.wait_for_operation(ScriptClient({}), dict(action='rebalance', uid=4, action_uid='r1'), 60,
                                         **clock.kwargs())
    assert result['failed'] is True and 'not found' in result['msg']
