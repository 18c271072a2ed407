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


def read(uid, status='active', **extra):
    return dict({'changed': False, 'database': {'uid': uid, 'name': 'x', 'status': status, 'endpoints': ENDPOINTS}},
                **extra)


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
    readback = loop(read(1), read(2), {'failed': True, 'msg': 'Not found (404): GET /v1/bdbs'}, read(4, 'pending'))
    waited = wait([{'action_uid': A1, 'status': 'completed', 'error': None},
                   {'action_uid': A2, 'status': 'failed', 'error': 'insufficient resources'}],
                  [{'elapsed': 0.5, 'action_uid': A1, 'status': 'running', 'progress': 10.0},
                   {'elapsed': 4, 'action_uid': A1, 'status': 'completed', 'progress': 100.0},
                   {'elapsed': 2.25, 'action_uid': A2, 'status': 'failed', 'progress': 30.0}])
    results = rs_provision_results(DATABASES, changes, readback, waited)
    assert results == [
        {'name': 'a', 'uid': 1, 'status': 'active', 'endpoints': ENDPOINTS, 'action_uid': A1,
         'outcome': 'completed', 'elapsed': 4.0, 'error': None},
        {'name': 'b', 'uid': 2, 'status': 'active', 'endpoints': ENDPOINTS, 'action_uid': None,
         'outcome': 'unchanged', 'elapsed': 0.0, 'error': None},
        {'name': 'c', 'uid': None, 'status': 'absent', 'endpoints': [], 'action_uid': None,
         'outcome': 'error', 'elapsed': 0.0, 'error': 'RS rejected the request (400 invalid_schema): bad'},
        {'name': 'd', 'uid': 4, 'status': 'pending', 'endpoints': ENDPOINTS, 'action_uid': A2,
         'outcome': 'failed', 'elapsed': 2.25, 'error': 'insufficient resources'},
    ]
    assert isinstance(results[0]['elapsed'], float)
    assert isinstance(results[0]['uid'], int) and not isinstance(results[0]['uid'], bool)


def test_timed_out_unknown_and_readback_error():
    changes = loop({'changed': True, 'action_uid': A1}, {'changed': True, 'action_uid': A2},
                   {'changed': True, 'action_uid': OLD})
    readback = loop(read(1, 'active-change-pending'), read(2),
                    {'failed': True, 'msg': 'Cannot connect to the cluster at cluster:9443: connection refused'})
    waited = wait([{'action_uid': A1, 'status': 'running'}, {'action_uid': A2, 'status': 'completed'}],
                  [{'elapsed': 1.0, 'action_uid': A1, 'status': 'running'}], elapsed=60.0, timed_out=True)
    results = rs_provision_results(DATABASES[:3], changes, readback, waited)
    assert [(r['outcome'], r['elapsed'], r['error']) for r in results] == [
        ('timed_out', 1.0, None),
        ('completed', 60.0, None),     # no history entry: the whole wait
        ('timed_out', 60.0, 'Cannot connect to the cluster at cluster:9443: connection refused'),
    ]


def test_an_action_the_wait_did_not_report_is_unknown():
    results = rs_provision_results(DATABASES[:1], loop({'changed': True, 'action_uid': A1}), loop(read(1)),
                                   wait([], [], elapsed=3))
    assert (results[0]['outcome'], results[0]['elapsed']) == ('unknown', 3.0)


@pytest.mark.parametrize('skipped', [{}, None, {'changed': False, 'skipped': True, 'skip_reason': 'Conditional result was False'}])
def test_nothing_waited_for(skipped):
    results = rs_provision_results(DATABASES[:1], loop({'changed': False, 'action_uid': None}), loop(read(1)), skipped)
    assert results == [{'name': 'a', 'uid': 1, 'status': 'active', 'endpoints': ENDPOINTS, 'action_uid': None,
                        'outcome': 'unchanged', 'elapsed': 0.0, 'error': None}]


@pytest.mark.parametrize('error', ['', '  ', 'None', None])
def test_an_empty_error_is_null(error):
    results = rs_provision_results(DATABASES[:1], loop({'changed': True, 'action_uid': A1}), loop(read(1)),
                                   wait([{'action_uid': A1, 'status': 'completed', 'error': error}], []))
    assert results[0]['error'] is None


def test_as_many_entries_as_both_loops_have_results():
    assert rs_provision_results(DATABASES, {}, {}, {}) == []
    assert len(rs_provision_results(DATABASES, loop({}, {}), loop(read(1), read(2), read(3)))) == 2
    assert rs_provision_results([], loop({}), loop(read(1))) == []
