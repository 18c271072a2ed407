# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The control API: request log, reset, configuration, synthetic actions."""

from __future__ import annotations

import time

import pytest

from rssim.testing import SimulatorError


def test_requests_are_recorded_but_not_control_requests(rs_sim, api):
    before = time.time()
    api.get('/v1/actions')
    api.post('/v1/bdbs?dry_run=true', json={'name': 'x', 'memory_size': 1})
    rs_sim.control('GET', '/_sim/config')
    log = rs_sim.requests()
    assert [(r['method'], r['path'], r['status']) for r in log] == [('GET', '/v1/actions', 200), ('POST', '/v1/bdbs', 200)]
    assert log[1]['query'] == 'dry_run=true' and log[0]['user'] == 'admin@example.com'
    assert before <= log[0]['time'] <= log[1]['time'] and log[0]['duration'] >= 0
    assert [r['path'] for r in rs_sim.requests(since=log[1]['index'])] == ['/v1/bdbs']
    rs_sim.clear_requests()
    assert rs_sim.requests() == []
    api.get('/v1/bdbs')
    assert rs_sim.requests()[0]['index'] > log[1]['index']


def test_reset(rs_sim, api):
    rs_sim.configure(v2=False)
    api.create()
    rs_sim.fault(kind='status', count=5, path='^/nothing')
    state_id = int(api.get('/v1/bdbs').headers['cluster-state-id'])
    url = rs_sim.url
    rs_sim.reset()
    assert rs_sim.url == url
    response = api.get('/v1/bdbs')
    assert response.json() == [] and int(response.headers['cluster-state-id']) > state_id
    assert api.get('/v2/actions').status_code == 200
    assert rs_sim.control('GET', '/_sim/faults') == [] and rs_sim.actions() == []
    assert api.create()['uid'] == 1


def test_config_partial_update_and_validation(rs_sim):
    config = rs_sim.configure(durations={'create_bdb': 3}, retention=5)
    assert config['durations']['create_bdb'] == 3 and config['durations']['update_bdb'] == 5
    assert config['retention'] == 5 and config['speed'] == 50
    assert all('password' not in user for user in config['users'])
    for bad in ({'nope': 1}, {'speed': 0}, {'v2': 'yes'}, {'progress_mode': 'jumpy'}, {'users': [{'name': 'x'}]}):
        with pytest.raises(SimulatorError):
            rs_sim.configure(**bad)


def test_synthetic_action_validation(rs_sim):
    for bad in ({'kind': 'job'}, {'outcome': 'exploded'}, {'duration': -1}, {'object_name': 'bdb'}, {'colour': 'red'}):
        with pytest.raises(SimulatorError):
            rs_sim.create_action(**bad)
    with pytest.raises(SimulatorError):
        rs_sim.action_control('no-such-uid', 'fail')


def test_synthetic_other_action_only_in_v2(rs_sim, api):
    uid = rs_sim.create_action(name='backup', kind='other', object_name='bdb:1', duration=0, description='Backup of bdb 1')
    body = api.get(f'/v2/actions/{uid}').json()
    assert body['action_type'] == 'other' and body['additional_info']['description'] == 'Backup of bdb 1'
    assert api.get(f'/v1/actions/{uid}').status_code == 404


def test_fail_on_finished_action_is_409(rs_sim):
    uid = rs_sim.create_action(duration=0)
    with pytest.raises(SimulatorError, match='409'):
        rs_sim.action_control(uid, 'fail')


def test_summary(rs_sim):
    summary = rs_sim.control('GET', '/_sim')
    assert summary['url'] == rs_sim.url and summary['control']


def test_synthetic_action_without_pending_phase_runs_from_the_start(rs_sim, api):
    uid = rs_sim.control('POST', '/_sim/actions', json={'name': 'SMUpdateBDB', 'duration': 1000, 'pending_fraction': 0})['action_uid']
    assert api.get(f'/v2/actions/{uid}').json()['status'] == 'running'
    uid = rs_sim.control('POST', '/_sim/actions', json={'name': 'SMUpdateBDB', 'duration': 1000})['action_uid']
    assert api.get(f'/v2/actions/{uid}').json()['status'] == 'queued'


def test_synthetic_action_rejects_a_bad_pending_fraction(rs_sim):
    with pytest.raises(SimulatorError) as exc_info:
        rs_sim.control('POST', '/_sim/actions', json={'duration': 10, 'pending_fraction': 2})
    assert 'pending_fraction' in str(exc_info.value)
