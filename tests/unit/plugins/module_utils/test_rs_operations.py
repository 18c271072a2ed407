# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests of plugins/module_utils/rs_operations.py, table-driven, against a fake client (no network)."""

from __future__ import annotations

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb_spec import DuplicateNameError
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    RSConfigError,
    RSConflict,
    RSNotFound,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_operations import (
    NodeOperation,
    resolve_database,
    split_params,
)


class FakeClient:
    """``get`` answers from ``answers`` (path tuple -> value, or an exception to raise; a missing path is a 404);
    ``post`` records the call and answers ``post_answer`` (or raises it)."""

    def __init__(self, answers=None, post_answer=None):
        self.answers = answers or {}
        self.post_answer = post_answer
        self.calls = []
        self.timeouts = []

    def get(self, path, params=None, timeout=None):
        self.calls.append(('GET', path, params))
        self.timeouts.append(timeout)
        answer = self.answers.get(path, RSNotFound('no %s' % '/'.join(path), status=404))
        if isinstance(answer, Exception):
            raise answer
        return answer

    def post(self, path, json=None):
        self.calls.append(('POST', path, json))
        if isinstance(self.post_answer, Exception):
            raise self.post_answer
        return self.post_answer


# ---------------------------------------------------------------------- split_params


@pytest.mark.parametrize('action, params, expected', [
    ('recover', None, ({}, {}, False)),
    ('recover', {'any_field': 1}, ({}, {'any_field': 1}, False)),
    ('stop_traffic', {}, ({}, None, False)),
    ('rebalance', {'only_failovers': True, 'max_operations': 2}, ({'only_failovers': 'true', 'max_operations': '2'},
                                                                  None, False)),
    ('rebalance', {'dry_run': True}, ({'dry_run': 'true'}, None, True)),
    ('rebalance', {'dry_run': False}, ({'dry_run': 'false'}, None, False)),
    ('revamp', {'pause_persistence': False, 'shards_count': 2}, ({'pause_persistence': 'false'}, {'shards_count': 2},
                                                                 False)),
    ('export', {'export_location': {'type': 'url', 'url': 'ftp://h/x'}},
     ({}, {'export_location': {'type': 'url', 'url': 'ftp://h/x'}}, False)),
    ('import', {'dataset_import_sources': []}, ({}, {'dataset_import_sources': []}, False)),
])
def test_split_params(action, params, expected):
    assert split_params(action, params) == expected


def test_split_params_leaves_the_given_params_alone():
    params = {'pause_persistence': True, 'shards_count': 2}
    split_params('revamp', params)
    assert params == {'pause_persistence': True, 'shards_count': 2}


@pytest.mark.parametrize('action, params, message', [
    ('explode', {}, "action must be one of export, import, rebalance, recover, resume_traffic, revamp, stop_traffic, "
                    "upgrade; got 'explode'"),
    ('recover', ['a'], 'params must be a dictionary'),
    ('rebalance', {'max_operations': 0}, 'params.max_operations must be a positive integer; got 0'),
    ('rebalance', {'max_operations': True}, 'params.max_operations must be a positive integer; got True'),
    ('rebalance', {'max_operations': '2'}, "params.max_operations must be a positive integer; got '2'"),
    ('rebalance', {'only_failovers': 'yes'}, "params.only_failovers must be true or false; got 'yes'"),
    ('revamp', {'dry_run': 1}, 'params.dry_run must be true or false; got 1'),
    ('recover', {'dry_run': True}, 'params.dry_run is supported by the rebalance and revamp actions only, not recover'),
    ('rebalance', {'shards_count': 2}, 'the rebalance action takes only the params dry_run, only_failovers, '
                                       'max_operations; got shards_count'),
    ('stop_traffic', {'b': 1, 'a': 2}, 'the stop_traffic action takes no params; got a, b'),
    ('revamp', {'shards_count': 2, 'colour': 'red'}, 'params colour are not documented for the revamp action (it '
                                                     'accepts avoid_nodes, bigstore_ram_size, memory_size, replication, '
                                                     'shards_count, shards_placement, dry_run, pause_persistence)'),
    ('export', {}, 'the export action needs params.export_location (for example {type: url, url: ...})'),
    ('export', {'email_notification': True}, 'the export action needs params.export_location (for example '
                                             '{type: url, url: ...})'),
])
def test_split_params_refuses(action, params, message):
    with pytest.raises(RSConfigError) as caught:
        split_params(action, params)
    assert caught.value.msg == message


# ---------------------------------------------------------------------- resolve_database

BDBS = [{'uid': 1, 'name': 'cache', 'status': 'active'}, {'uid': 2, 'name': 'twin', 'status': 'active'},
        {'uid': 3, 'name': 'twin', 'status': 'pending'}]


@pytest.mark.parametrize('name, uid, chosen', [
    ('cache', None, 1),
    (None, 2, 2),
    ('twin', 3, 3),
    (None, '3', 3),
])
def test_resolve_database_chooses(name, uid, chosen):
    client = FakeClient({('v1', 'bdbs'): BDBS})
    assert resolve_database(client, name, uid) == BDBS[chosen - 1]
    assert client.calls == [('GET', ('v1', 'bdbs'), {'fields': 'uid,name,status'})]


@pytest.mark.parametrize('name, uid, error, message, requests', [
    (None, None, RSConfigError, 'one of name or uid is required to choose the database', 0),
    ('bad_name', None, RSConfigError, None, 0),
    (None, 0, RSConfigError, 'uid must be a positive integer, not 0', 0),
    (None, 9, RSNotFound, 'database uid 9 does not exist', 1),
    ('cache', 2, RSConfigError, "uid 2 belongs to the database 'twin', not 'cache': fix uid or name", 1),
    ('nothing', None, RSNotFound, "database 'nothing' does not exist", 1),
    ('twin', None, DuplicateNameError, "several databases are named 'twin' (uids 2, 3): set uid to choose one", 1),
])
def test_resolve_database_refuses(name, uid, error, message, requests):
    client = FakeClient({('v1', 'bdbs'): BDBS})
    with pytest.raises(error) as caught:
        resolve_database(client, name, uid)
    if message is not None:
        assert caught.value.msg == message
    assert len(client.calls) == requests  # invalid options fail before any request
    if error is DuplicateNameError:
        assert caught.value.uids == [2, 3]


# ---------------------------------------------------------------------- NodeOperation

NODE = ('v1', 'nodes', '2')
NODE_STATUS = ('v1', 'nodes', '2', 'status')
NODE_ACTIONS = ('v1', 'nodes', '2', 'actions')
SNAPSHOT = {'maintenance_snapshot': {'name': 'maintenance_snapshot_2'}}


@pytest.mark.parametrize('action, status, accept_servers, msg', [
    ('maintenance_on', SNAPSHOT, True,
     'node 2 is already in maintenance mode (its status has the maintenance snapshot maintenance_snapshot_2)'),
    ('maintenance_on', {'maintenance_snapshot': 'snap-1'}, True,
     'node 2 is already in maintenance mode (its status has the maintenance snapshot snap-1)'),
    ('maintenance_on', None, False, 'node 2 is already in maintenance mode (accept_servers is false)'),
    ('maintenance_off', {}, False, 'node 2 is not in maintenance mode (its status has no maintenance_snapshot)'),
    ('maintenance_off', None, True, 'node 2 is not in maintenance mode (accept_servers is true)'),
    ('maintenance_on', {}, False, None),
    ('maintenance_off', SNAPSHOT, True, None),
    ('maintenance_on', None, None, None),
    ('maintenance_off', None, None, None),
])
def test_node_maintenance_already_there_or_started(action, status, accept_servers, msg):
    answers = {NODE: {'uid': 2, 'accept_servers': accept_servers}, NODE_ACTIONS: {'actions': []}}
    if status is not None:
        answers[NODE_STATUS] = status
    client = FakeClient(answers, post_answer={'action_uid': 'n-1'})
    result = NodeOperation(client).run(2, action)
    if msg is None:
        assert (result['changed'], result['action_uid'], 'msg' in result) == (True, 'n-1', False)
        assert client.calls[-1] == ('POST', NODE_ACTIONS + (action,), {})
    else:
        assert (result['changed'], result['action_uid'], result['msg']) == (False, None, msg)
        assert [call[0] for call in client.calls] == ['GET', 'GET', 'GET']


@pytest.mark.parametrize('node, action, params, message', [
    (0, 'remove', None, 'node must be a positive integer (the node uid), not 0'),
    (True, 'remove', None, 'node must be a positive integer (the node uid), not True'),
    (2, 'reboot', None, "action must be one of maintenance_on, maintenance_off, remove, enslave_node; got 'reboot'"),
    (2, 'remove', ['x'], 'params must be a dictionary'),
])
def test_node_operation_refuses_before_any_request(node, action, params, message):
    client = FakeClient()
    with pytest.raises(RSConfigError) as caught:
        NodeOperation(client).run(node, action, params)
    assert caught.value.msg == message
    assert client.calls == []


@pytest.mark.parametrize('action, answers, check_mode, expected', [
    ('remove', {}, False, dict(changed=False, node={}, action_uid=None,
                               msg='node 2 is not in the cluster (404): nothing to remove')),
    ('enslave_node', {NODE: {'uid': 2}, NODE_ACTIONS: [{'name': 'enslave_node', 'status': 'running', 'task_id': 't-7'}]},
     False, dict(changed=False, node={'uid': 2}, action_uid='t-7',
                 msg='enslave_node is already running on node 2; not started again')),
    ('enslave_node', {NODE: {'uid': 2}, NODE_ACTIONS: [{'name': 'enslave_node', 'status': 'completed', 'task_id': 't'}]},
     True, dict(changed=True, node={'uid': 2}, action_uid=None)),
    ('remove', {NODE: {'uid': 2}}, False, dict(changed=True, node={'uid': 2}, action_uid='n-1',
                                               response={'action_uid': 'n-1'})),
])
def test_node_operation_results(action, answers, check_mode, expected):
    client = FakeClient(answers, post_answer={'action_uid': 'n-1'})
    result = NodeOperation(client, check_mode=check_mode).run('2', action, {})
    assert result == dict(expected, action=action)


def test_node_operation_missing_node_and_conflict():
    with pytest.raises(RSNotFound) as caught:
        NodeOperation(FakeClient()).run(2, 'maintenance_on')
    assert caught.value.msg == 'node 2 does not exist (GET /v1/nodes/2 answered 404)'
    client = FakeClient({NODE: {'uid': 2}}, post_answer=RSConflict('conflict (409)', status=409))
    with pytest.raises(RSConflict) as caught:
        NodeOperation(client).run(2, 'remove', {'a': 1})
    assert caught.value.msg == ('remove on node 2 (POST /v1/nodes/2/actions/remove) failed: conflict (409) (RS runs one '
                                'remove at a time on a node: wait for the running one and run again)')
    assert client.calls[-1] == ('POST', NODE_ACTIONS + ('remove',), {'a': 1})


@pytest.mark.parametrize('action, listed', [
    ('remove', {'name': 'remove_node', 'node_uid': '2', 'status': 'running', 'progress': 10}),   # the docs' example
    ('maintenance_on', {'name': 'maintenance_on', 'status': 'queued'}),
])
def test_node_operation_sees_a_running_action_without_uid(action, listed):
    client = FakeClient({NODE: {'uid': 2}, NODE_ACTIONS: {'actions': [listed]}}, post_answer={})
    operation = NodeOperation(client)
    result = operation.run(2, action)
    assert (result['changed'], result['action_uid']) == (False, None)
    assert result['msg'] == '%s is already running on node 2; not started again' % action
    assert operation.running == listed
    assert [call[0] for call in client.calls] == ['GET', 'GET']


@pytest.mark.parametrize('action, answers, reached', [
    ('remove', {}, True),
    ('remove', {NODE: {'uid': 2}}, False),
    ('maintenance_on', {NODE: {'uid': 2}, NODE_STATUS: SNAPSHOT}, True),
    ('maintenance_on', {NODE: {'uid': 2}, NODE_STATUS: {}}, False),
    ('maintenance_off', {NODE: {'uid': 2}, NODE_STATUS: {}}, True),
    ('maintenance_off', {}, False),
    ('enslave_node', {}, True),
])
def test_node_operation_reached(action, answers, reached):
    assert NodeOperation(FakeClient(answers)).reached(2, action) is reached


def test_node_operation_reached_bounds_its_requests_by_the_budget():
    """Given a budget (the time left of a wait), every request of reached() gets at most what is left of it."""
    client = FakeClient({NODE: {'uid': 2}, NODE_STATUS: SNAPSHOT})
    assert NodeOperation(client).reached(2, 'maintenance_on', 5.0) is True
    assert len(client.timeouts) == 2
    assert all(0 < timeout <= 5.0 for timeout in client.timeouts)
    client = FakeClient({NODE: {'uid': 2}, NODE_STATUS: SNAPSHOT})
    NodeOperation(client).reached(2, 'maintenance_on')
    assert client.timeouts == [None, None]
