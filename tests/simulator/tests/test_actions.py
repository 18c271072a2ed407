# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The actions API: documented shapes and vocabularies of v1 and v2, 404s, retention, visibility."""

from __future__ import annotations

import time

import pytest

V1_SM = {'pending', 'active', 'completed', 'failed'}
V1_TASK = {'queued', 'starting', 'running', 'cancelling', 'cancelled', 'aborted', 'completed', 'failed'}
V2 = {'queued', 'running', 'completed', 'failed'}


def test_v1_list_is_an_object_with_exactly_two_keys(api):
    body = api.get('/v1/actions').json()
    assert body == {'actions': [], 'state-machines': []}
    api.create()
    body = api.get('/v1/actions').json()
    assert set(body) == {'actions', 'state-machines'}
    assert len(body['state-machines']) == 1


def test_v1_state_machine_fields_while_running(api):
    bdb = api.create()
    sm = api.get(f"/v1/actions/{bdb['action_uid']}").json()
    assert sm['action_uid'] == bdb['action_uid']
    assert sm['name'] == 'SMCreateBDB'
    assert sm['object_name'] == f"bdb:{bdb['uid']}"
    assert sm['status'] in V1_SM
    assert isinstance(sm['progress'], (int, float)) and isinstance(sm['heartbeat'], int)
    assert isinstance(sm['state'], str) and sm['pending_ops'] == {}
    done = api.wait_action(bdb['action_uid'])
    # As captured from a real cluster: a completed state machine has no progress, state or pending_ops.
    assert done['status'] == 'completed'
    assert not {'progress', 'state', 'pending_ops', 'error'} & set(done)
    assert set(done) == {'action_uid', 'name', 'object_name', 'status', 'heartbeat'}


@pytest.mark.rs_sim(durations={'create_bdb': 50})
def test_progress_and_heartbeat_rise(api):
    uid = api.create()['action_uid']
    seen = []
    for dummy in range(6):
        sm = api.get(f'/v1/actions/{uid}').json()
        seen.append((sm['status'], sm['progress'], sm['heartbeat'], sm['state']))
        time.sleep(0.12)
    progresses = [p for dummy, p, dummy2, dummy3 in seen]
    assert progresses == sorted(progresses) and progresses[-1] > progresses[0]
    assert {s for s, dummy, dummy2, dummy3 in seen} <= V1_SM
    assert any(status == 'active' for status, dummy, dummy2, dummy3 in seen)


def test_retry_bdb_tasks_use_strings(rs_sim, api):
    rs_sim.configure(retry_bdb_delay=5)      # 0.1 s at speed 50
    api.create()
    assert api.get('/v1/actions').json()['actions'] == []
    time.sleep(0.3)
    tasks = api.get('/v1/actions').json()['actions']
    assert len(tasks) == 3
    for task in tasks:
        assert task['name'] == 'retry_bdb' and task['task_id'] == task['action_uid']
        assert task['progress'] == '100' and task['status'] == 'completed'
        assert isinstance(task['node_uid'], str) and isinstance(task['creation_time'], str)
        assert task['creation_time'].isdigit()
        assert api.get(f"/v1/actions/{task['action_uid']}").json() == task


def test_v2_array_shape(api):
    bdb = api.create()
    body = api.get('/v2/actions').json()
    assert isinstance(body, list)
    sm = [a for a in body if a['action_uid'] == bdb['action_uid']][0]
    assert sm['action_type'] == 'state-machine' and isinstance(sm['creation_time'], int)
    assert isinstance(sm['progress'], float) and sm['status'] in V2
    assert sm['additional_info'] == {'object_type': 'bdb', 'object_uid': str(bdb['uid'])}
    done = api.wait_action(bdb['action_uid'], version='v2')
    assert done['progress'] == 100.0 and done['status'] == 'completed'
    assert api.get(f"/v2/actions/{bdb['action_uid']}").json() == done


def test_additional_info_only_when_not_empty(rs_sim, api):
    uid = rs_sim.create_action(name='SMFoo', kind='state-machine', duration=1)
    body = api.get(f'/v2/actions/{uid}').json()
    assert 'additional_info' not in body
    uid = rs_sim.create_action(name='SMFoo', kind='state-machine', duration=0, outcome='failed', error='boom')
    assert api.get(f'/v2/actions/{uid}').json()['additional_info'] == {'error': 'boom'}


def test_object_type_is_configurable(rs_sim, api):
    rs_sim.configure(v2_object_types={'bdb': 'BDB'})
    uid = api.create()['action_uid']
    assert api.get(f'/v2/actions/{uid}').json()['additional_info']['object_type'] == 'BDB'


def test_v1_bdb_actions(api):
    bdb = api.create()
    body = api.get(f"/v1/actions/bdb/{bdb['uid']}").json()
    assert isinstance(body, list) and [a['action_uid'] for a in body] == [bdb['action_uid']]
    unknown = api.get('/v1/actions/bdb/99')
    assert unknown.status_code == 404 and unknown.json()['error_code'] == 'db_not_found'


def test_unknown_action_is_404_with_json_body(api):
    for path in ('/v1/actions/nope', '/v2/actions/nope'):
        response = api.get(path)
        assert response.status_code == 404
        assert response.headers['Content-Type'] == 'application/json'
        assert set(response.json()) == {'error_code', 'description'}


def test_v2_can_be_switched_off(rs_sim, api):
    bdb = api.create()
    rs_sim.configure(v2=False)
    for method, path in (('GET', '/v2/actions'), ('GET', f"/v2/actions/{bdb['action_uid']}"),
                         ('POST', '/v2/bdbs'), ('GET', '/v2/anything')):
        response = api(method, path, json={'bdb': {'name': 'x', 'memory_size': 1}})
        assert response.status_code == 404, path
        assert response.json()['error_code']
    assert api.get('/v1/actions').status_code == 200


@pytest.mark.rs_sim(v2=False)
def test_v2_off_from_the_start(api):
    assert api.get('/v2/actions').status_code == 404


def test_retention_then_404(rs_sim, api):
    rs_sim.configure(retention=10)           # 0.2 s at speed 50
    uid = rs_sim.create_action(name='SMUpdateBDB', duration=0)
    assert api.get(f'/v1/actions/{uid}').status_code == 200
    time.sleep(0.35)
    assert api.get(f'/v1/actions/{uid}').status_code == 404
    assert api.get(f'/v2/actions/{uid}').status_code == 404
    assert api.get('/v1/actions').json()['state-machines'] == []
    record = [a for a in rs_sim.actions() if a['action_uid'] == uid][0]
    assert record['expired'] and record['finished_at'] is not None


def test_visibility_delay_hides_new_actions(rs_sim, api):
    rs_sim.configure(visibility_delay=15)    # 0.3 s
    bdb = api.create()
    assert api.get(f"/v1/actions/{bdb['action_uid']}").status_code == 404
    assert api.get('/v1/actions').json()['state-machines'] == []
    assert [a for a in api.get('/v2/actions').json() if a['action_type'] == 'state-machine'] == []
    time.sleep(0.4)
    assert api.get(f"/v1/actions/{bdb['action_uid']}").status_code == 200


def test_failed_task_has_error_code_and_message(rs_sim, api):
    uid = rs_sim.create_action(name='maintenance_on', kind='task', node_uid='2', duration=0, outcome='failed',
                               error='node is unreachable')
    task = api.get(f'/v1/actions/{uid}').json()
    assert task['status'] == 'failed' and task['error_code'] == 'internal_error'
    assert task['error_message'] == 'node is unreachable' and task['node_uid'] == '2'
    v2 = api.get(f'/v2/actions/{uid}').json()
    assert v2['status'] == 'failed' and v2['additional_info']['error'] == 'node is unreachable'
    assert v2['additional_info']['object_type'] == 'node' and v2['additional_info']['object_uid'] == '2'


@pytest.mark.parametrize('outcome', ['cancelled', 'aborted'])
def test_v2_task_cancelled_aborted_are_failed_by_default_or_mapped(rs_sim, api, outcome):
    uid = rs_sim.create_action(name='maintenance_on', kind='task', node_uid='1', duration=0, outcome=outcome)
    assert api.get(f'/v1/actions/{uid}').json()['status'] == outcome
    assert api.get(f'/v2/actions/{uid}').json()['status'] == 'failed'
    rs_sim.configure(v2_status_map={'cancelled': 'cancelled', 'aborted': 'aborted'})
    assert api.get(f'/v2/actions/{uid}').json()['status'] == outcome


def test_task_vocabulary_over_time(rs_sim, api):
    # 2000 cluster s (40 s at speed 50), queued for the first 10 %: each phase is reached by moving the clock, so a
    # loaded machine cannot skip one.
    uid = rs_sim.create_action(name='maintenance_on', kind='task', node_uid='1', duration=2000)
    seen_v1, seen_v2 = set(), set()
    for advance in (0, 500, 2000):
        rs_sim.advance(advance)
        seen_v1.add(api.get(f'/v1/actions/{uid}').json()['status'])
        seen_v2.add(api.get(f'/v2/actions/{uid}').json()['status'])
    assert {'queued', 'running', 'completed'} <= seen_v1 <= V1_TASK
    assert seen_v2 <= V2 and 'completed' in seen_v2
    task = api.get(f'/v1/actions/{uid}').json()
    assert isinstance(task['progress'], str)


def test_cancel_goes_through_cancelling(rs_sim, api):
    rs_sim.configure(durations={'cancel': 10})      # 0.2 s
    uid = rs_sim.create_action(name='maintenance_on', kind='task', node_uid='1', duration=1000)
    rs_sim.action_control(uid, 'cancel')
    assert api.get(f'/v1/actions/{uid}').json()['status'] == 'cancelling'
    assert api.get(f'/v2/actions/{uid}').json()['status'] == 'running'
    time.sleep(0.3)
    assert api.get(f'/v1/actions/{uid}').json()['status'] == 'cancelled'


def test_abort_fail_stall_resume(rs_sim, api):
    uid = rs_sim.create_action(name='maintenance_off', kind='task', node_uid='1', duration=1000)
    rs_sim.action_control(uid, 'abort')
    assert api.get(f'/v1/actions/{uid}').json()['status'] == 'aborted'

    uid = rs_sim.create_action(name='SMUpdateBDB', duration=50, object_name='bdb:3')
    time.sleep(0.3)
    rs_sim.action_control(uid, 'stall')
    first = api.get(f'/v1/actions/{uid}').json()
    time.sleep(0.4)
    second = api.get(f'/v1/actions/{uid}').json()
    assert first['status'] == second['status'] == 'active'
    assert first['progress'] == second['progress'] and first['heartbeat'] == second['heartbeat']
    rs_sim.action_control(uid, 'resume')
    assert api.wait_action(uid)['status'] == 'completed'

    uid = rs_sim.create_action(name='SMUpdateBDB', duration=1000)
    rs_sim.action_control(uid, 'fail', error='shard crashed')
    failed = api.get(f'/v1/actions/{uid}').json()
    assert failed['status'] == 'failed' and failed['error'] == 'shard crashed'


def test_steps_progress_mode(rs_sim, api):
    # 5000 cluster s (100 s at speed 50), read every 500 cluster s by moving the clock: no step can be skipped.
    uid = rs_sim.create_action(name='SMCreateBDB', duration=5000, progress_mode='steps', object_name='bdb:9')
    values = set()
    for dummy in range(10):
        sm = api.get(f'/v1/actions/{uid}').json()
        if sm['status'] == 'completed':
            break
        values.add(sm['progress'])
        rs_sim.advance(500)
    assert values <= {0.0, 25.0, 50.0, 75.0, 100}
    assert len(values) >= 3


def test_timeline_records_wall_clock(rs_sim):
    before = time.time()
    uid = rs_sim.create_action(name='SMCreateBDB', duration=5)
    time.sleep(0.25)
    record = [a for a in rs_sim.actions() if a['action_uid'] == uid][0]
    assert before <= record['created_at'] <= record['finished_at'] <= time.time()
    assert record['finished_at'] - record['created_at'] == pytest.approx(0.1, abs=0.02)
    assert record['status'] == 'completed'


def test_clock_advance(rs_sim, api):
    uid = rs_sim.create_action(name='SMCreateBDB', duration=3600)
    assert api.get(f'/v1/actions/{uid}').json()['status'] in ('pending', 'active')
    rs_sim.advance(3600)
    assert api.get(f'/v1/actions/{uid}').json()['status'] == 'completed'
