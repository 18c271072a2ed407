# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The filter that builds the rs_provision role's ``rs_provision_results``, from registered results as Ansible makes them."""

from __future__ import annotations

import pytest

from ansible_collections.redis_enterprise.software.plugins.filter.rs_provision_results import (
    FilterModule,
    rs_provision_results,
)

A1 = '0b6f3a52-8d1e-4c57-9a55-2f1c7d0e9b41'
A2 = '7d0e9b41-2f1c-4c57-9a55-0b6f3a528d1e'
OLD = 'c0ffee00-2f1c-4c57-9a55-0b6f3a528d1e'
DATABASES = [{'name': 'a', 'memory_size': '100MB'}, {'name': 'b', 'memory_size': '200MB'},
             {'name': 'c', 'memory_size': '1MB'}, {'name': 'd', 'memory_size': '1GB'}]
ENDPOINTS = [{'dns_address_master': 'redis-12000.cluster.example.com:12000', 'port': 12000}]


def loop(*results):
    return {'changed': True, 'msg': 'All items completed', 'results': list(results)}


def db(uid, name, status='active'):
    return {'uid': uid, 'name': name, 'status': status, 'endpoints': ENDPOINTS}


def info(*databases, **extra):
    """A registered rs_database_info result."""
    return dict({'changed': False, 'databases': list(databases), 'missing': []}, **extra)


def wait(actions, history, elapsed=12.5, timed_out=False, **extra):
    return dict({'actions': actions, 'history': history, 'elapsed': elapsed, 'timed_out': timed_out}, **extra)


def test_the_filter_is_registered():
    assert FilterModule().filters() == {'rs_provision_results': rs_provision_results}


def test_every_outcome_with_typed_values():
    changes = loop(
        {'changed': True, 'action_uid': A1, 'database': {'uid': 1, 'action_uid': A1}},
        {'changed': False, 'action_uid': None, 'database': {'uid': 2}},                  # nothing to do
        {'failed': True, 'msg': 'RS rejected the request (400 invalid_schema): bad'},    # refused
        {'changed': False, 'action_uid': None, 'database': {'uid': 4, 'action_uid': A2}},  # still running from before
    )
    readback = info(db(1, 'a'), db(2, 'b'), db(4, 'd', 'pending'), db(9, 'other'))
    waited = wait([{'action_uid': A1, 'status': 'completed', 'error': None},
                   {'action_uid': A2, 'status': 'failed', 'error': 'insufficient resources'}],
                  [{'elapsed': 0.5, 'action_uid': A1, 'status': 'running', 'progress': 10.0},
                   {'elapsed': 4, 'action_uid': A1, 'status': 'completed', 'progress': 100.0},
                   {'elapsed': 2.25, 'action_uid': A2, 'status': 'failed', 'progress': 30.0}])
    results = rs_provision_results(DATABASES, changes, readback, waited)
    assert results == [
        {'name': 'a', 'uid': 1, 'status': 'active', 'endpoints': ENDPOINTS, 'changed': True, 'action_uid': A1,
         'outcome': 'completed', 'elapsed': 4.0, 'error': None},
        {'name': 'b', 'uid': 2, 'status': 'active', 'endpoints': ENDPOINTS, 'changed': False, 'action_uid': None,
         'outcome': 'unchanged', 'elapsed': 0.0, 'error': None},
        {'name': 'c', 'uid': None, 'status': 'absent', 'endpoints': [], 'changed': False, 'action_uid': None,
         'outcome': 'error', 'elapsed': 0.0, 'error': 'RS rejected the request (400 invalid_schema): bad'},
        {'name': 'd', 'uid': 4, 'status': 'pending', 'endpoints': ENDPOINTS, 'changed': False, 'action_uid': A2,
         'outcome': 'failed', 'elapsed': 2.25, 'error': 'insufficient resources'},
    ]
    assert isinstance(results[0]['elapsed'], float)
    assert isinstance(results[0]['uid'], int) and not isinstance(results[0]['uid'], bool)


def test_timed_out_unknown_and_readback_error():
    changes = loop({'changed': True, 'action_uid': A1}, {'changed': True, 'action_uid': A2},
                   {'changed': True, 'action_uid': OLD})
    readback = {'failed': True, 'msg': 'Cannot connect to the cluster at cluster:9443: connection refused'}
    waited = wait([{'action_uid': A1, 'status': 'running'}, {'action_uid': A2, 'status': 'completed'}],
                  [{'elapsed': 1.0, 'action_uid': A1, 'status': 'running'}], elapsed=60.0, timed_out=True)
    results = rs_provision_results(DATABASES[:3], changes, readback, waited)
    refused = 'Cannot connect to the cluster at cluster:9443: connection refused'
    assert [(r['outcome'], r['elapsed'], r['status'], r['error']) for r in results] == [
        ('timed_out', 1.0, 'absent', refused),
        ('completed', 60.0, 'absent', refused),     # no history entry: the whole wait
        ('timed_out', 60.0, 'absent', refused),
    ]


def test_an_action_the_wait_did_not_report_is_unknown():
    results = rs_provision_results(DATABASES[:1], loop({'changed': True, 'action_uid': A1}), info(db(1, 'a')),
                                   wait([], [], elapsed=3))
    assert (results[0]['outcome'], results[0]['elapsed']) == ('unknown', 3.0)


@pytest.mark.parametrize('skipped', [{}, None, {'changed': False, 'skipped': True, 'skip_reason': 'Conditional result was False'}])
def test_nothing_waited_for(skipped):
    results = rs_provision_results(DATABASES[:1], loop({'changed': False, 'action_uid': None}), info(db(1, 'a')), skipped)
    assert results == [{'name': 'a', 'uid': 1, 'status': 'active', 'endpoints': ENDPOINTS, 'changed': False,
                        'action_uid': None, 'outcome': 'unchanged', 'elapsed': 0.0, 'error': None}]


@pytest.mark.parametrize('error', ['', '  ', 'None', None])
def test_an_empty_error_is_null(error):
    results = rs_provision_results(DATABASES[:1], loop({'changed': True, 'action_uid': A1}), info(db(1, 'a')),
                                   wait([{'action_uid': A1, 'status': 'completed', 'error': error}], []))
    assert results[0]['error'] is None


def test_as_many_entries_as_the_change_loop_has_results():
    assert rs_provision_results(DATABASES, {}, {}, {}) == []
    assert len(rs_provision_results(DATABASES, loop({}, {}), info(db(1, 'a'), db(2, 'b'), db(3, 'c')))) == 2
    assert rs_provision_results([], loop({}), info(db(1, 'a'))) == []


def test_matched_by_name_and_by_uid_when_given():
    readback = info(db(1, 'a'), db(5, 'twin'), db(6, 'twin'))
    databases = [{'name': 'twin', 'uid': 6}, {'name': 'twin'}, {'name': 'a', 'uid': '1'}, {'name': 'a', 'uid': 2}]
    changes = loop({'changed': False}, {'changed': False}, {'changed': False}, {'changed': False})
    assert [r['uid'] for r in rs_provision_results(databases, changes, readback)] == [6, 5, 1, None]


def planned(name, uid=None, **fields):
    """A registered rs_database result in check mode for a database that would be created (uid null unless given)."""
    after = dict(fields, name=name)
    return {'changed': True, 'action_uid': None, 'database': dict(after, uid=uid), 'diff': {'before': {}, 'after': after}}


def test_check_mode_reports_what_would_be_done():
    changes = loop(
        planned('a', memory_size=104857600),                                              # does not exist yet
        {'changed': True, 'action_uid': None, 'database': {'uid': 2, 'memory_size': 2},  # would be updated
         'diff': {'before': {'name': 'b', 'memory_size': 1}, 'after': {'name': 'b', 'memory_size': 2}}},
        {'changed': False, 'action_uid': None, 'database': {'uid': 3},
         'diff': {'before': {'name': 'c'}, 'after': {'name': 'c'}}},
        {'failed': True, 'msg': 'database is being deleted'},
    )
    readback = info(db(2, 'b'), db(3, 'c'))
    results = rs_provision_results(DATABASES, changes, readback, {'skipped': True}, check_mode=True)
    assert [(r['name'], r['uid'], r['status'], r['changed'], r['outcome'], r['action_uid'], r['elapsed'])
            for r in results] == [
        ('a', None, 'absent', True, 'would_create', None, 0.0),
        ('b', 2, 'active', True, 'would_update', None, 0.0),
        ('c', 3, 'active', False, 'unchanged', None, 0.0),
        ('d', None, 'absent', False, 'error', None, 0.0),
    ]


def test_check_mode_without_a_diff_tells_creation_from_the_readback():
    changes = loop({'changed': True, 'database': {'uid': None}}, {'changed': True, 'database': {'uid': 2}})
    results = rs_provision_results(DATABASES[:2], changes, info(db(2, 'b')), check_mode=True)
    assert [r['outcome'] for r in results] == ['would_create', 'would_update']


def test_a_change_without_an_action_is_created_or_updated_never_unchanged():
    changes = loop({'changed': True, 'action_uid': None, 'database': {'uid': 1}, 'diff': {'before': {}, 'after': {}}},
                   {'changed': True, 'action_uid': None, 'database': {'uid': 2},
                    'diff': {'before': {'name': 'b'}, 'after': {'name': 'b'}}})
    results = rs_provision_results(DATABASES[:2], changes, info(db(1, 'a'), db(2, 'b')), {})
    assert [(r['changed'], r['outcome']) for r in results] == [(True, 'created'), (True, 'updated')]


@pytest.mark.parametrize('check_mode', [False, True])
def test_changed_and_outcome_agree(check_mode):
    changes = loop({'changed': True, 'action_uid': A1, 'database': {'uid': 1}, 'diff': {'before': {}, 'after': {}}},
                   {'changed': False, 'action_uid': None, 'database': {'uid': 2}},
                   {'changed': True, 'action_uid': None, 'database': {'uid': 3}},
                   {'changed': False, 'database': {'uid': 4, 'action_uid': A2}})
    waited = wait([{'action_uid': A1, 'status': 'completed'}, {'action_uid': A2, 'status': 'completed'}], [])
    results = rs_provision_results(DATABASES, changes, info(db(1, 'a'), db(3, 'c'), db(4, 'd')), waited,
                                   check_mode=check_mode)
    for result in results:
        assert (result['outcome'] == 'unchanged') == (not result['changed'] and not result['action_uid'])
    assert [r['changed'] for r in results] == [True, False, True, False]
