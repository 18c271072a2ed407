# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import copy

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_actions import (
    ActionsAPI,
    filter_actions,
    parse_object_name,
    validate_action_name,
    validate_action_uid,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    RSAuthError,
    RSConfigError,
    RSHTTPError,
    RSInvalidResponse,
    RSNotFound,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_normalize import (
    ACTION_KEYS,
    STATUSES,
    normalize_action,
    normalize_status,
    normalize_v1_list,
    normalize_v2_list,
)

# The documented v1 list (rs-actions-api.txt), with progress as strings for tasks.
V1_LIST = {
    'actions': [
        {
            'action_uid': '159ca2f8-7bf3-4cda-97e8-4eb560665c28',
            'name': 'retry_bdb',
            'node_uid': '2',
            'progress': '100',
            'status': 'completed',
            'task_id': '159ca2f8-7bf3-4cda-97e8-4eb560665c28',
        },
        {
            'action_uid': '661697c5-c747-41bd-ab81-ffc8fd13c494',
            'name': 'maintenance_on',
            'node_uid': '1',
            'progress': '40',
            'status': 'cancelling',
            'task_id': '661697c5-c747-41bd-ab81-ffc8fd13c494',
            'creation_time': '1760400087',
        },
    ],
    'state-machines': [
        {
            'action_uid': 'a10586b1-60bc-428e-9bc6-392eb5f0d8ae',
            'heartbeat': 1650378874,
            'name': 'SMCreateBDB',
            'object_name': 'bdb:1',
            'progress': 100,
            'status': 'completed',
        },
        {
            'action_uid': 'b2',
            'name': 'SMUpdateBDB',
            'object_name': 'bdb:2',
            'state': 'proxy_policy',
            'pending_ops': {},
            'status': 'active',
            'progress': 50.0,
        },
    ],
}

# The documented v2 array.
V2_LIST = [
    {
        'action_type': 'task',
        'action_uid': '6155403f-c26f-40ab-8afc-23ed663973f6',
        'additional_info': {'object_type': 'node', 'object_uid': '1'},
        'creation_time': 1742595918,
        'name': 'retry_bdb',
        'progress': 100.0,
        'status': 'completed',
    },
    {
        'action_type': 'state-machine',
        'action_uid': 'c3',
        'additional_info': {'object_type': 'BDB', 'object_uid': '3', 'description': 'Creating database'},
        'creation_time': 1742595920,
        'name': 'SMCreateBDB',
        'progress': 20.0,
        'status': 'running',
    },
    {
        'action_type': 'other',
        'action_uid': 'e4',
        'additional_info': {'object_type': 'bdb', 'object_uid': '3', 'error': 'export failed: no space'},
        'creation_time': 1742595930,
        'name': 'export',
        'progress': 0.0,
        'status': 'failed',
    },
]


# ---------------------------------------------------------------- statuses


@pytest.mark.parametrize('api_status, expected', [
    ('pending', 'queued'),
    ('active', 'running'),
    ('queued', 'queued'),
    ('starting', 'running'),
    ('running', 'running'),
    ('cancelling', 'running'),
    ('completed', 'completed'),
    ('failed', 'failed'),
    ('aborted', 'failed'),
    ('cancelled', 'cancelled'),
    ('Completed', 'completed'),
    ('finished', 'unknown'),
    ('', 'unknown'),
    (None, 'unknown'),
    (3, 'unknown'),
    ({'x': 1}, 'unknown'),
])
def test_normalize_status(api_status, expected):
    assert normalize_status(api_status) == expected


def test_status_vocabulary():
    assert STATUSES == ('queued', 'running', 'completed', 'failed', 'cancelled', 'unknown')


# ---------------------------------------------------------------- normalization, v1


def test_v1_list_normalization():
    actions = normalize_v1_list(copy.deepcopy(V1_LIST))
    assert [a['action_uid'] for a in actions] == [
        '159ca2f8-7bf3-4cda-97e8-4eb560665c28', '661697c5-c747-41bd-ab81-ffc8fd13c494',
        'a10586b1-60bc-428e-9bc6-392eb5f0d8ae', 'b2']
    task, cancelling, sm_done, sm_active = actions
    for action in actions:
        assert tuple(sorted(action)) == tuple(sorted(ACTION_KEYS))

    assert task['action_type'] == 'task'
    assert task['status'] == 'completed'
    assert task['api_status'] == 'completed'
    assert task['progress'] == 100.0
    assert isinstance(task['progress'], float)
    assert task['node_uid'] == '2'
    assert task['object_name'] is None
    assert task['creation_time'] is None
    assert task['raw'] == V1_LIST['actions'][0]

    assert cancelling['status'] == 'running'
    assert cancelling['api_status'] == 'cancelling'
    assert cancelling['creation_time'] == 1760400087

    assert sm_done['action_type'] == 'state-machine'
    assert sm_done['object_name'] == 'bdb:1'
    assert sm_done['heartbeat'] == 1650378874
    assert sm_done['progress'] == 100.0

    assert sm_active['status'] == 'running'
    assert sm_active['api_status'] == 'active'
    assert sm_active['state'] == 'proxy_policy'
    assert sm_active['progress'] == 50.0


def test_v1_list_type_comes_from_the_list_not_the_fields():
    data = {'actions': [{'action_uid': 't', 'name': 'n', 'status': 'pending'}],
            'state-machines': [{'action_uid': 's', 'name': 'n', 'status': 'queued', 'task_id': 'x'}]}
    task, sm = normalize_v1_list(data)
    assert task['action_type'] == 'task'
    assert sm['action_type'] == 'state-machine'


@pytest.mark.parametrize('raw, expected', [
    ({'action_uid': 'a', 'name': 'n', 'status': 'completed', 'task_id': 'a'}, 'task'),
    ({'action_uid': 'a', 'name': 'n', 'status': 'starting'}, 'task'),
    ({'action_uid': 'a', 'name': 'n', 'status': 'aborted'}, 'task'),
    ({'action_uid': 'a', 'name': 'n', 'status': 'completed', 'object_name': 'bdb:1'}, 'state-machine'),
    ({'action_uid': 'a', 'name': 'n', 'status': 'completed', 'heartbeat': 1}, 'state-machine'),
    ({'action_uid': 'a', 'name': 'n', 'status': 'failed', 'state': 'init'}, 'state-machine'),
    ({'action_uid': 'a', 'name': 'n', 'status': 'completed', 'pending_ops': {}}, 'state-machine'),
    ({'action_uid': 'a', 'name': 'n', 'status': 'pending'}, 'state-machine'),
    ({'action_uid': 'a', 'name': 'n', 'status': 'active'}, 'state-machine'),
    ({'action_uid': 'a', 'name': 'n', 'status': 'completed'}, 'other'),
])
def test_v1_single_action_type_inference(raw, expected):
    assert normalize_action(raw, 'v1')['action_type'] == expected


def test_v1_error_fields():
    sm = normalize_action({'action_uid': 'a', 'name': 'SMCreateBDB', 'status': 'failed', 'object_name': 'bdb:1',
                           'error': 'no memory'}, 'v1')
    assert sm['error'] == 'no memory'
    task = normalize_action({'action_uid': 'b', 'name': 'remove_node', 'status': 'failed', 'task_id': 'b',
                             'error_code': 'insufficient_resources', 'error_message': 'not enough nodes'}, 'v1')
    assert task['error'] == 'not enough nodes'
    assert task['error_code'] == 'insufficient_resources'
    assert task['status'] == 'failed'


def test_missing_optional_fields():
    action = normalize_action({'action_uid': 'a', 'name': 'SMCreateBDB', 'status': 'completed'}, 'v1')
    for key in ('progress', 'object_name', 'node_uid', 'creation_time', 'error', 'error_code', 'state',
                'heartbeat', 'description'):
        assert action[key] is None, key


def test_missing_everything_does_not_crash():
    for version in ('v1', 'v2'):
        action = normalize_action({}, version)
        assert action['status'] == 'unknown'
        assert action['api_status'] is None
        assert action['action_uid'] is None
        assert action['raw'] == {}


@pytest.mark.parametrize('value, expected', [
    ('100', 100.0), ('50.5', 50.5), (' 7 ', 7.0), ('75%', 75.0), (100, 100.0), (0, 0.0), (12.5, 12.5),
    ('abc', None), ('', None), (None, None), (True, None), ([], None), ({}, None), ('nan', None), ('inf', None),
])
def test_progress_values(value, expected):
    assert normalize_action({'action_uid': 'a', 'name': 'n', 'status': 'running', 'progress': value}, 'v1')['progress'] == expected


@pytest.mark.parametrize('value, expected', [
    (1742595918, 1742595918), (1742595918.7, 1742595918), ('1760400087', 1760400087), ('1760400087.0', 1760400087),
    ('yesterday', None), (None, None), (False, None), ({'t': 1}, None),
])
def test_creation_time_and_heartbeat_values(value, expected):
    action = normalize_action({'action_uid': 'a', 'name': 'n', 'status': 'running', 'creation_time': value,
                               'heartbeat': value}, 'v1')
    assert action['creation_time'] == expected
    assert action['heartbeat'] == expected
    if expected is not None:
        assert isinstance(action['creation_time'], int)


def test_garbage_field_types():
    raw = {'action_uid': 123, 'name': ['x'], 'status': 'active', 'object_name': {'a': 1}, 'node_uid': 2,
           'error': 5, 'state': None}
    action = normalize_action(raw, 'v1')
    assert action['action_uid'] == '123'
    assert action['name'] is None
    assert action['object_name'] is None
    assert action['node_uid'] == '2'
    assert action['error'] == '5'
    assert action['raw'] is raw


def test_non_dict_action_raises_invalid_response():
    with pytest.raises(RSInvalidResponse):
        normalize_action(['not', 'an', 'object'], 'v1')


def test_raw_is_untouched():
    raw = copy.deepcopy(V2_LIST[1])
    action = normalize_action(raw, 'v2')
    assert action['raw'] == V2_LIST[1]


# ---------------------------------------------------------------- normalization, v2


def test_v2_list_normalization():
    task, sm, other = normalize_v2_list(copy.deepcopy(V2_LIST))
    assert task['action_type'] == 'task'
    assert task['object_name'] == 'node:1'
    assert task['node_uid'] == '1'
    assert task['creation_time'] == 1742595918
    assert task['progress'] == 100.0
    assert task['status'] == 'completed'

    assert sm['action_type'] == 'state-machine'
    assert sm['object_name'] == 'bdb:3'  # object_type lowercased
    assert sm['node_uid'] is None
    assert sm['description'] == 'Creating database'
    assert sm['status'] == 'running'
    assert sm['api_status'] == 'running'

    assert other['action_type'] == 'other'
    assert other['status'] == 'failed'
    assert other['error'] == 'export failed: no space'


@pytest.mark.parametrize('api_status, expected', [
    ('queued', 'queued'), ('running', 'running'), ('completed', 'completed'), ('failed', 'failed'),
    ('aborted', 'failed'), ('cancelled', 'cancelled'), ('starting', 'running'), ('weird', 'unknown'),
])
def test_v2_status_values(api_status, expected):
    action = normalize_action({'action_uid': 'a', 'name': 'n', 'status': api_status, 'action_type': 'task'}, 'v2')
    assert action['status'] == expected
    assert action['api_status'] == api_status


def test_v2_without_additional_info():
    action = normalize_action({'action_uid': 'a', 'name': 'n', 'status': 'queued', 'action_type': 'task',
                               'creation_time': 1, 'progress': 0.0}, 'v2')
    assert action['object_name'] is None
    assert action['node_uid'] is None
    assert action['error'] is None
    assert action['description'] is None
    assert action['status'] == 'queued'


def test_v2_partial_or_garbage_additional_info():
    only_type = normalize_action({'action_uid': 'a', 'name': 'n', 'status': 'running',
                                  'additional_info': {'object_type': 'bdb'}}, 'v2')
    assert only_type['object_name'] is None
    garbage = normalize_action({'action_uid': 'a', 'name': 'n', 'status': 'running', 'action_type': 'bogus',
                                'additional_info': 'nope'}, 'v2')
    assert garbage['object_name'] is None
    assert garbage['action_type'] == 'other'
    numeric = normalize_action({'action_uid': 'a', 'name': 'n', 'status': 'running',
                                'additional_info': {'object_type': 'Node', 'object_uid': 2}}, 'v2')
    assert numeric['object_name'] == 'node:2'
    assert numeric['node_uid'] == '2'


def test_v2_list_accepts_only_arrays():
    with pytest.raises(RSInvalidResponse):
        normalize_v2_list('nope')
    assert normalize_v2_list([1, None, V2_LIST[0]])[0]['action_uid'] == V2_LIST[0]['action_uid']
    assert len(normalize_v2_list([1, None, V2_LIST[0]])) == 1


def test_v1_list_tolerates_missing_arrays():
    assert normalize_v1_list({}) == []
    assert normalize_v1_list({'actions': None, 'state-machines': [None, 'x']}) == []
    with pytest.raises(RSInvalidResponse):
        normalize_v1_list('nope')


# ---------------------------------------------------------------- filters


def test_parse_object_name():
    assert parse_object_name('bdb:3') == ('bdb', '3')
    assert parse_object_name('BDB:3') == ('bdb', '3')
    assert parse_object_name('node:1') == ('node', '1')
    assert parse_object_name('cluster:1') == ('cluster', '1')
    assert parse_object_name('bdb:' + 'a_-9' * 50) == ('bdb', 'a_-9' * 50)


@pytest.mark.parametrize('value', ['bdb', 'bdb:', ':3', '', None, 3, 'bdb: 3 x', 'b db:3', 'bdb: 3', 'bdb:3 ',
                                   'cluster-x:1', 'bdb:1/../x', 'bdb:3\n', 'db:3', 'bdb:3:4', 'bdb:' + 'x' * 201])
def test_parse_object_name_rejects_bad_values(value):
    with pytest.raises(RSConfigError):
        parse_object_name(value)


def test_filter_actions():
    actions = normalize_v2_list(copy.deepcopy(V2_LIST)) + normalize_v1_list(copy.deepcopy(V1_LIST))
    assert [a['action_uid'] for a in filter_actions(actions, name='SMCreateBDB')] == ['c3', 'a10586b1-60bc-428e-9bc6-392eb5f0d8ae']
    assert [a['action_uid'] for a in filter_actions(actions, object_name='BDB:3')] == ['c3', 'e4']
    assert [a['action_uid'] for a in filter_actions(actions, object_name='bdb:1')] == ['a10586b1-60bc-428e-9bc6-392eb5f0d8ae']
    assert [a['action_uid'] for a in filter_actions(actions, status=['failed', 'running'])] == [
        'c3', 'e4', '661697c5-c747-41bd-ab81-ffc8fd13c494', 'b2']
    assert [a['action_uid'] for a in filter_actions(actions, name='SMCreateBDB', object_name='bdb:3',
                                                    status=['running'])] == ['c3']
    assert filter_actions(actions, name='SMCreateBDB', status=['queued']) == []
    assert filter_actions(actions) == actions
    assert filter_actions(actions, status=[]) == actions
    assert [a['action_uid'] for a in filter_actions(actions, status='failed')] == ['e4']


def test_filter_actions_validates():
    with pytest.raises(RSConfigError):
        filter_actions([], object_name='bdb')
    with pytest.raises(RSConfigError):
        filter_actions([], status=['pending'])


# ---------------------------------------------------------------- ActionsAPI


class FakeClient:
    """Answers GETs from a dict keyed by path tuple; a value that is an exception is raised."""

    def __init__(self, routes):
        self.routes = routes
        self.calls = []

    def get(self, path, params=None, timeout=None):
        self.calls.append((path, timeout))
        answer = self.routes.get(path, RSNotFound('Not found (404)', status=404))
        if isinstance(answer, Exception):
            raise answer
        return copy.deepcopy(answer)


def not_found():
    return RSNotFound('Not found (404)', status=404)


def not_allowed():
    return RSHTTPError('RS rejected the request (405)', status=405)


def test_api_version_validation():
    with pytest.raises(RSConfigError):
        ActionsAPI(FakeClient({}), api_version='v3')
    assert ActionsAPI(FakeClient({})).api_version is None
    assert ActionsAPI(FakeClient({}), 'v1').api_version == 'v1'
    assert ActionsAPI(FakeClient({}), 'v2').api_version == 'v2'


def test_auto_list_uses_v2_when_served():
    client = FakeClient({('v2', 'actions'): V2_LIST})
    api = ActionsAPI(client)
    actions = api.list(timeout=4)
    assert api.api_version == 'v2'
    assert len(actions) == 3
    assert client.calls == [(('v2', 'actions'), 4)]


@pytest.mark.parametrize('missing', [not_found, not_allowed])
def test_auto_list_falls_back_to_v1_and_remembers(missing):
    client = FakeClient({('v2', 'actions'): missing(), ('v1', 'actions'): V1_LIST})
    api = ActionsAPI(client)
    assert len(api.list(timeout=3)) == 4
    assert api.api_version == 'v1'
    assert client.calls == [(('v2', 'actions'), 3), (('v1', 'actions'), 3)]
    api.list()
    api.get('b2')
    assert [call[0] for call in client.calls[2:]] == [('v1', 'actions'), ('v1', 'actions', 'b2')]


def test_auto_list_other_errors_propagate_without_detection():
    client = FakeClient({('v2', 'actions'): RSAuthError('Permission denied (403)', status=403)})
    api = ActionsAPI(client)
    with pytest.raises(RSAuthError):
        api.list()
    assert api.api_version is None


def test_explicit_v2_does_not_fall_back():
    client = FakeClient({('v2', 'actions'): not_found(), ('v1', 'actions'): V1_LIST})
    api = ActionsAPI(client, 'v2')
    with pytest.raises(RSNotFound):
        api.list()
    assert client.calls == [(('v2', 'actions'), None)]


def test_explicit_v1_never_touches_v2():
    client = FakeClient({('v1', 'actions'): V1_LIST, ('v1', 'actions', 'b2'): V1_LIST['state-machines'][1]})
    api = ActionsAPI(client, 'v1')
    api.list()
    action = api.get('b2')
    assert action['status'] == 'running'
    assert action['action_type'] == 'state-machine'
    assert all(call[0][0] == 'v1' for call in client.calls)


def test_auto_get_v2_found():
    client = FakeClient({('v2', 'actions', 'c3'): V2_LIST[1]})
    api = ActionsAPI(client)
    action = api.get('c3', timeout=2)
    assert action['action_uid'] == 'c3'
    assert action['object_name'] == 'bdb:3'
    assert api.api_version == 'v2'
    assert client.calls == [(('v2', 'actions', 'c3'), 2)]
    api.get('c3')
    assert len(client.calls) == 2  # no probe


def test_auto_get_unknown_uid_on_v2_cluster_is_none():
    client = FakeClient({('v2', 'actions'): V2_LIST})
    api = ActionsAPI(client)
    assert api.get('nope', timeout=1) is None
    assert api.api_version == 'v2'
    assert client.calls == [(('v2', 'actions', 'nope'), 1), (('v2', 'actions'), 1)]
    assert api.get('nope2') is None
    assert [call[0] for call in client.calls[2:]] == [('v2', 'actions', 'nope2')]


@pytest.mark.parametrize('missing', [not_found, not_allowed])
def test_auto_get_on_v1_cluster(missing):
    client = FakeClient({('v2', 'actions'): missing(), ('v1', 'actions', 'b2'): V1_LIST['state-machines'][1]})
    api = ActionsAPI(client)
    action = api.get('b2', timeout=9)
    assert action['action_uid'] == 'b2'
    assert action['status'] == 'running'
    assert api.api_version == 'v1'
    assert client.calls == [(('v2', 'actions', 'b2'), 9), (('v2', 'actions'), 9), (('v1', 'actions', 'b2'), 9)]
    assert api.get('unknown') is None
    assert [call[0] for call in client.calls[3:]] == [('v1', 'actions', 'unknown')]


def test_auto_get_405_on_single_means_v1():
    client = FakeClient({('v2', 'actions', 'b2'): not_allowed(), ('v1', 'actions', 'b2'): V1_LIST['state-machines'][1]})
    api = ActionsAPI(client)
    assert api.get('b2')['action_uid'] == 'b2'
    assert api.api_version == 'v1'


def test_get_uid_is_passed_as_one_segment():
    client = FakeClient({})
    api = ActionsAPI(client, 'v2')
    assert api.get('../v1/users') is None
    assert client.calls == [(('v2', 'actions', '../v1/users'), None)]


def test_get_requires_uid():
    with pytest.raises(RSConfigError):
        ActionsAPI(FakeClient({})).get('')


def test_get_explicit_v2_other_errors_propagate():
    client = FakeClient({('v2', 'actions', 'x'): RSHTTPError('boom (500)', status=500)})
    with pytest.raises(RSHTTPError):
        ActionsAPI(client, 'v2').get('x')


def test_list_for_object_v2_filters_the_list():
    client = FakeClient({('v2', 'actions'): V2_LIST})
    api = ActionsAPI(client)
    actions = api.list_for_object('BDB:3', timeout=5)
    assert [a['action_uid'] for a in actions] == ['c3', 'e4']
    assert client.calls == [(('v2', 'actions'), 5)]


def test_list_for_object_v1_bdb_uses_bdb_endpoint():
    sm = {'action_uid': 'u1', 'name': 'SMUpdateBDB', 'status': 'pending'}
    client = FakeClient({('v2', 'actions'): not_found(), ('v1', 'actions', 'bdb', '7'): [sm]})
    api = ActionsAPI(client)
    actions = api.list_for_object('bdb:7', timeout=6)
    assert client.calls == [(('v2', 'actions'), 6), (('v1', 'actions', 'bdb', '7'), 6)]
    assert len(actions) == 1
    assert actions[0]['status'] == 'queued'
    assert actions[0]['action_type'] == 'state-machine'
    assert actions[0]['object_name'] == 'bdb:7'


def test_list_for_object_v1_bdb_not_found_is_empty():
    client = FakeClient({})
    assert ActionsAPI(client, 'v1').list_for_object('bdb:99') == []
    # 404 on /v1/actions/bdb/99 (no such database, or RS before 7.4.2): the full list is filtered (it 404s too here).
    assert client.calls == [(('v1', 'actions', 'bdb', '99'), None), (('v1', 'actions'), None)]


def test_list_for_object_v1_other_type_filters_list():
    data = copy.deepcopy(V1_LIST)
    data['state-machines'].append({'action_uid': 'n1', 'name': 'SMNode', 'status': 'active', 'object_name': 'node:2'})
    client = FakeClient({('v1', 'actions'): data})
    actions = ActionsAPI(client, 'v1').list_for_object('Node:2')
    # n1 names the node; the completed retry_bdb task names it only in node_uid (a v1 task has no object_name).
    assert [a['action_uid'] for a in actions] == ['159ca2f8-7bf3-4cda-97e8-4eb560665c28', 'n1']


def test_list_for_object_validates_before_sending():
    client = FakeClient({})
    with pytest.raises(RSConfigError):
        ActionsAPI(client).list_for_object('bdb3')
    assert client.calls == []


# ---------------------------------------------------------------- issue 14: right on real clusters


def bad_request(code='invalid_schema'):
    return RSHTTPError('RS rejected the request (400 %s)' % code, status=400, error_code=code)


RUNNING_TASK_ON_NODE_1 = {
    'action_uid': 't1', 'name': 'maintenance_on', 'node_uid': '1', 'progress': '40', 'status': 'running',
    'task_id': 't1',
}


def test_node_object_matches_a_v1_task_by_node_uid():
    """A v1 task names its node only in node_uid: object_name node:1 must find it (point 1)."""
    client = FakeClient({('v1', 'actions'): {'actions': [RUNNING_TASK_ON_NODE_1], 'state-machines': []}})
    api = ActionsAPI(client, 'v1')
    assert [a['action_uid'] for a in api.list_for_object('node:1')] == ['t1']
    assert api.list_for_object('node:2') == []
    # Normalization stays truthful: the task names no object.
    assert api.list()[0]['object_name'] is None


def test_node_uid_does_not_override_a_named_object():
    sm = normalize_action({'action_uid': 's', 'name': 'SMUpdateBDB', 'status': 'active', 'object_name': 'bdb:1',
                           'node_uid': '1'}, 'v1', 'state-machine')
    assert filter_actions([sm], object_name='node:1') == []
    assert filter_actions([sm], object_name='bdb:1') == [sm]


def test_node_object_on_v2_matches_additional_info():
    client = FakeClient({('v2', 'actions'): [{'action_uid': 'x', 'name': 'retry_bdb', 'status': 'running',
                                              'action_type': 'task',
                                              'additional_info': {'object_type': 'node', 'object_uid': '1'}}]})
    assert [a['action_uid'] for a in ActionsAPI(client).list_for_object('node:1')] == ['x']


def test_bdb_object_on_v1_uses_endpoint_once_per_poll():
    sm = {'action_uid': 'u1', 'name': 'SMUpdateBDB', 'status': 'active', 'progress': 50.0}
    client = FakeClient({('v1', 'actions', 'bdb', '1'): [sm]})
    api = ActionsAPI(client, 'v1')
    for dummy in range(3):
        assert [a['action_uid'] for a in api.list_for_object('bdb:1')] == ['u1']
    assert [call[0] for call in client.calls] == [('v1', 'actions', 'bdb', '1')] * 3
    assert api.bdb_endpoint is True


def test_bdb_object_without_endpoint_filters_the_full_list_and_remembers():
    """RS before 7.4.2 (or a deleted database): 404 on /v1/actions/bdb/N, so the full list is filtered; the
    history of the database shows; after detection each call costs one request (point 2)."""
    data = {'actions': [], 'state-machines': [
        {'action_uid': 'gone', 'name': 'SMCreateBDB', 'object_name': 'bdb:4', 'status': 'completed'},
        {'action_uid': 'other', 'name': 'SMCreateBDB', 'object_name': 'bdb:5', 'status': 'active'}]}
    client = FakeClient({('v1', 'actions'): data})
    api = ActionsAPI(client, 'v1')
    assert [a['action_uid'] for a in api.list_for_object('bdb:4', timeout=2)] == ['gone']
    assert api.bdb_endpoint is False
    assert [a['action_uid'] for a in api.list_for_object('bdb:4')] == ['gone']
    assert [call[0] for call in client.calls] == [('v1', 'actions', 'bdb', '4'), ('v1', 'actions'),
                                                  ('v1', 'actions')]


def test_bdb_object_auto_on_a_v1_cluster():
    sm = {'action_uid': 'u1', 'name': 'SMCreateBDB', 'status': 'pending'}
    client = FakeClient({('v2', 'actions'): not_found(), ('v1', 'actions', 'bdb', '2'): [sm]})
    api = ActionsAPI(client)
    api.list_for_object('bdb:2')
    api.list_for_object('bdb:2')
    assert [call[0] for call in client.calls] == [('v2', 'actions'), ('v1', 'actions', 'bdb', '2'),
                                                  ('v1', 'actions', 'bdb', '2')]


def test_bdb_object_on_v2_without_additional_info_asks_the_bdb_endpoint_once():
    """v2 may leave out additional_info: /v1/actions/bdb/N attributes the anonymous actions, once (point 2)."""
    v2 = [
        {'action_uid': 'sm1', 'action_type': 'state-machine', 'name': 'SMUpdateBDB', 'status': 'running',
         'progress': 20.0, 'creation_time': 1742595918},
        {'action_uid': 'sm9', 'action_type': 'state-machine', 'name': 'SMUpdateBDB', 'status': 'running',
         'progress': 70.0, 'creation_time': 1742595918},
        {'action_uid': 'exp', 'action_type': 'other', 'name': 'export', 'status': 'running', 'progress': 5.0,
         'additional_info': {'object_type': 'bdb', 'object_uid': '1'}},
    ]
    client = FakeClient({('v2', 'actions'): v2,
                         ('v1', 'actions', 'bdb', '1'): [{'action_uid': 'sm1', 'name': 'SMUpdateBDB',
                                                          'status': 'active', 'object_name': 'bdb:1'}]})
    api = ActionsAPI(client)
    first = api.list_for_object('bdb:1', timeout=3)
    assert sorted(a['action_uid'] for a in first) == ['exp', 'sm1']
    assert all(a['object_name'] == 'bdb:1' for a in first)
    assert api.api_version == 'v2'
    # Later polls: the anonymous actions are known, one request each.
    second = api.list_for_object('bdb:1')
    assert sorted(a['action_uid'] for a in second) == ['exp', 'sm1']
    assert [call[0] for call in client.calls] == [('v2', 'actions'), ('v1', 'actions', 'bdb', '1'), ('v2', 'actions')]
    # The attribution also shows in list() and get() of the same instance.
    assert [a['object_name'] for a in api.list() if a['action_uid'] == 'sm1'] == ['bdb:1']


def test_bdb_object_on_v2_with_additional_info_costs_one_request():
    client = FakeClient({('v2', 'actions'): V2_LIST})
    api = ActionsAPI(client, 'v2')
    uids = [a['action_uid'] for a in api.list_for_object('bdb:3')]
    assert uids == ['c3', 'e4']
    # Every action of V2_LIST names its object: no need to ask /v1/actions/bdb/3.
    assert [call[0] for call in client.calls] == [('v2', 'actions')]


def test_bdb_object_on_v2_lists_endpoint_actions_missing_from_v2():
    client = FakeClient({('v2', 'actions'): [{'action_uid': 'anon', 'name': 'x', 'status': 'running'}],
                         ('v1', 'actions', 'bdb', '6'): [{'action_uid': 'sm', 'name': 'SMUpdateBDB',
                                                          'status': 'active'}]})
    actions = ActionsAPI(client, 'v2').list_for_object('bdb:6')
    assert [(a['action_uid'], a['object_name']) for a in actions] == [('sm', 'bdb:6')]


@pytest.mark.parametrize('error, status', [(bad_request, 400), (not_found, 404), (not_allowed, 405)])
def test_auto_falls_back_to_v1_and_warns_once(error, status):
    """400 (RS 8.2.0-25 invalid_schema), 404 and 405 on /v2/actions: read v1, warn once (point 3)."""
    seen = []
    client = FakeClient({('v2', 'actions'): error(), ('v1', 'actions'): V1_LIST})
    api = ActionsAPI(client, warn=seen.append)
    assert len(api.list()) == 4
    api.list()
    api.list_for_object('node:1')
    assert api.api_version == 'v1'
    assert len(api.warnings) == 1 and seen == api.warnings
    assert 'GET /v2/actions answered %d' % status in api.warnings[0]
    if status == 400:
        assert 'invalid_schema' in api.warnings[0] and '8.2.0-25' in api.warnings[0]
    assert [call[0] for call in client.calls].count(('v2', 'actions')) == 1


def test_auto_get_falls_back_on_400():
    client = FakeClient({('v2', 'actions', 'b2'): bad_request(), ('v1', 'actions', 'b2'): V1_LIST['state-machines'][1]})
    api = ActionsAPI(client)
    assert api.get('b2')['action_uid'] == 'b2'
    assert api.api_version == 'v1'
    assert len(api.warnings) == 1


def test_auto_get_404_then_400_probe_falls_back():
    client = FakeClient({('v2', 'actions'): bad_request(), ('v1', 'actions', 'b2'): V1_LIST['state-machines'][1]})
    api = ActionsAPI(client)
    assert api.get('b2')['action_uid'] == 'b2'
    assert [call[0] for call in client.calls] == [('v2', 'actions', 'b2'), ('v2', 'actions'), ('v1', 'actions', 'b2')]


def test_explicit_v2_400_is_an_error():
    client = FakeClient({('v2', 'actions'): bad_request()})
    api = ActionsAPI(client, 'v2')
    with pytest.raises(RSHTTPError):
        api.list()
    assert api.warnings == []


def test_v1_list_404_counts_as_no_actions():
    """GET /v1/actions documents 404 'no available status of last run' (point 3)."""
    api = ActionsAPI(FakeClient({}), 'v1')
    assert api.list() == []
    assert api.list_for_object('node:1') == []
    client = FakeClient({('v2', 'actions'): not_found()})
    assert ActionsAPI(client).list() == []


def test_bdb_endpoint_other_errors_propagate():
    client = FakeClient({('v1', 'actions', 'bdb', '1'): RSAuthError('Permission denied (403)', status=403)})
    api = ActionsAPI(client, 'v1')
    with pytest.raises(RSAuthError):
        api.list_for_object('bdb:1')
    assert api.bdb_endpoint is None


@pytest.mark.parametrize('uid', ['0b6f3a52-8d1e-4c57-9a55-2f1c7d0e9b41', 'a', 'x' * 200, 'task_1.2'])
def test_validate_action_uid_accepts(uid):
    assert validate_action_uid(uid) is None


@pytest.mark.parametrize('uid', ['', ' ', None, 3, 'x' * 201, '.', '..', 'a/b', 'a b', 'a\n', 'a\x00b', 'a\x7f'])
def test_validate_action_uid_rejects(uid):
    with pytest.raises(RSConfigError) as info:
        validate_action_uid(uid)
    assert 'uid' in str(info.value)


@pytest.mark.parametrize('name, valid', [('SMCreateBDB', True), ('', False), ('  ', False), (None, False),
                                         ('x' * 201, False), ('SM\nBDB', False)])
def test_validate_action_name(name, valid):
    if valid:
        assert validate_action_name(name) is None
    else:
        with pytest.raises(RSConfigError):
            validate_action_name(name)
