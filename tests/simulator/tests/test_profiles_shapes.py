# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Version profiles, captured shapes, irregular progress shapes, bdb fields from the docs, synchronous rejections."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from rssim import actions as act
from rssim.bdb import FIELDS
from rssim.bdb_fields import DOCUMENTED_READ_ONLY, DOCUMENTED_WRITABLE
from rssim.config import ConfigError, defaults, merge

RUN = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'run.py')


# ------------------------------------------------------------------ profiles
@pytest.mark.rs_sim(profile='7.4.0', durations={'create_bdb': 100})
def test_profile_740_has_no_v2_and_no_bdb_actions(rs_sim, api):
    bdb = api.create()
    assert api.get('/v2/actions').status_code == 404
    assert api.get(f"/v1/actions/bdb/{bdb['uid']}").status_code == 404
    sm = api.get(f"/v1/actions/{bdb['action_uid']}").json()
    assert isinstance(sm['progress'], int)              # integer before 7.4.2-54
    assert rs_sim.config()['profile'] == '7.4.0'


@pytest.mark.rs_sim(profile='7.8', durations={'create_bdb': 100})
def test_profile_78_has_bdb_actions_but_no_v2(rs_sim, api):
    bdb = api.create()
    assert api.get('/v2/actions').status_code == 404
    listed = api.get(f"/v1/actions/bdb/{bdb['uid']}").json()
    assert [sm['action_uid'] for sm in listed] == [bdb['action_uid']]
    assert isinstance(listed[0]['progress'], float)


@pytest.mark.parametrize('profile', ['7.22', 'latest'])
def test_profiles_with_v2(rs_sim, api, profile):
    rs_sim.configure(profile=profile)
    bdb = api.create()
    assert api.get('/v2/actions').status_code == 200
    assert api.get(f"/v1/actions/bdb/{bdb['uid']}").status_code == 200


@pytest.mark.rs_sim(profile='8.0.2', durations={'create_bdb': 5})
def test_profile_802_reports_finished_sm_running_at_100(rs_sim, api):
    bdb = api.create()
    active = api.wait_bdb(bdb['uid'])
    assert 'action_uid' not in active
    v1 = api.get(f"/v1/actions/{bdb['action_uid']}").json()
    assert v1['status'] == 'active' and v1['progress'] == 100.0 and 'error' not in v1
    v2 = api.get(f"/v2/actions/{bdb['action_uid']}").json()
    assert v2['status'] == 'running' and v2['progress'] == 100.0
    rs_sim.configure(profile='latest')
    assert api.get(f"/v1/actions/{bdb['action_uid']}").json()['status'] == 'completed'


@pytest.mark.rs_sim(profile='8.2.0')
def test_profile_820_v2_actions_invalid_schema(api):
    response = api.get('/v2/actions')
    assert response.status_code == 400 and response.json()['error_code'] == 'invalid_schema'
    assert api.get('/v1/actions').status_code == 200


@pytest.mark.rs_sim(profile='8.0.16')
def test_profile_8016_active_tasks_without_progress(rs_sim, api):
    uid = rs_sim.create_action(name='maintenance_on', kind='task', node_uid='1', duration=1000, pending_fraction=0)
    rs_sim.advance(100)
    task = api.get(f'/v1/actions/{uid}').json()
    assert task['status'] == 'running' and 'progress' not in task
    assert 'progress' in api.get(f'/v2/actions/{uid}').json()
    rs_sim.action_control(uid, 'complete')
    assert api.get(f'/v1/actions/{uid}').json()['progress'] == '100'


def test_profile_merge_rules():
    config = merge(defaults(), {'profile': '7.4.0', 'v2': True})
    assert config['v2'] is True and config['v1_bdb_actions'] is False    # explicit keys win
    config = merge(config, {'profile': 'latest'})
    assert config['v2'] is True and config['v1_bdb_actions'] is True     # a new profile resets the switches
    with pytest.raises(ConfigError):
        merge(defaults(), {'profile': '6.0'})


def test_run_py_profile_flag_and_no_v2():
    sys.path.insert(0, os.path.dirname(RUN))
    import run  # pylint: disable=import-outside-toplevel
    config = run.build_config(run.parse_args(['--profile', '7.8']))
    assert merge(defaults(), config)['v1_bdb_actions'] is True and merge(defaults(), config)['v2'] is False
    config = run.build_config(run.parse_args(['--profile', '7.22', '--no-v2']))
    assert merge(defaults(), config)['v2'] is False
    result = subprocess.run([sys.executable, RUN, '--profile', 'nope'], capture_output=True, text=True, check=False)
    assert result.returncode == 2 and '--profile' in result.stderr


def test_control_lists_profiles(rs_sim):
    profiles = rs_sim.control('GET', '/_sim/profiles')
    assert set(profiles) == {'latest', '7.4.0', '7.8', '7.22', '8.0.2', '8.0.16', '8.2.0'}
    assert rs_sim.control('GET', '/_sim')['profile'] == 'latest'


# ------------------------------------------------------------------ shapes as captured
def test_v1_sm_vocabulary_and_captured_completed_shape(rs_sim, api):
    uid = rs_sim.create_action(name='SMUpdateBDB', duration=0, outcome='cancelled')
    sm = api.get(f'/v1/actions/{uid}').json()
    assert sm['status'] == 'failed' and 'error' in sm                   # v1 SMs: pending/active/completed/failed
    uid = rs_sim.create_action(name='SMUpdateBDB', duration=0)
    assert set(api.get(f'/v1/actions/{uid}').json()) == {'action_uid', 'name', 'status', 'heartbeat'}
    rs_sim.configure(completed_sm_details=True)
    done = api.get(f'/v1/actions/{uid}').json()
    assert done['progress'] == 100.0 and done['pending_ops'] == {} and 'state' in done
    assert api.get(f'/v2/actions/{uid}').json()['status'] == 'completed'


def test_task_progress_switch(rs_sim, api):
    rs_sim.configure(task_progress=False, durations={'node_action': 1000})
    api.post('/v1/nodes/2/actions/enslave_node', json={})
    assert 'progress' not in api.get('/v1/nodes/2/actions/enslave_node').json()
    task = api.get('/v1/actions').json()['actions'][0]
    assert 'progress' not in task


# ------------------------------------------------------------------ irregular progress
def _curve(shape, steps=4, points=21):
    shape = act.check_shape(shape)
    return [act.shape_point(shape, i / (points - 1), steps) for i in range(points)]


def test_shape_s_curve_is_slow_fast_slow():
    values = [p for p, dummy, dummy2 in _curve('s_curve')]
    assert values[0] == pytest.approx(0) and values[-1] == pytest.approx(1)
    assert values[2] - values[0] < 0.05 and values[11] - values[9] > 0.2
    assert values == sorted(values)


def test_shape_pauses_freeze_progress_and_heartbeat():
    shape = act.check_shape({'shape': 'pauses', 'pauses': [[0.2, 0.6]]})
    first = act.shape_point(shape, 0.3, 4)
    second = act.shape_point(shape, 0.5, 4)
    assert first[0] == second[0] == pytest.approx(0.2 / 0.6) and first[2] == second[2] == 0.2
    assert act.shape_point(shape, 1.0, 4)[0] == pytest.approx(1)


def test_shape_uneven_steps_and_jump_and_restart():
    shape = act.check_shape({'shape': 'uneven_steps', 'weights': [1, 8, 1], 'jumps': True})
    assert act.shape_point(shape, 0.05, 3)[:2] == (0.0, 0)
    assert act.shape_point(shape, 0.5, 3)[:2] == (pytest.approx(1 / 3), 1)     # the long middle step
    assert act.shape_point(shape, 0.95, 3)[:2] == (pytest.approx(2 / 3), 2)
    assert [p for p, dummy, dummy2 in _curve('jump')][:-1] == [0.0] * 20
    assert _curve('jump')[-1][0] == 1.0
    restart = [p for p, dummy, dummy2 in _curve({'shape': 'restart', 'at': 0.5, 'peak': 0.8})]
    assert max(restart[:10]) > 0.7 and restart[10] == pytest.approx(0) and restart[-1] == pytest.approx(1)


@pytest.mark.parametrize('bad', ['zigzag', {'shape': 'pauses', 'pauses': [[0.5, 0.2]]}, {'shape': 'jump', 'x': 1},
                                 {'shape': 'uneven_steps', 'weights': [0]}, {'shape': 'restart', 'at': 2}])
def test_bad_shapes_are_refused(rs_sim, bad):
    with pytest.raises(Exception) as info:
        rs_sim.configure(progress_shapes={'SMCreateBDB': bad})
    assert '400' in str(info.value) or 'shape' in str(info.value)
    with pytest.raises(Exception):
        rs_sim.create_action(name='SMUpdateBDB', progress_shape=bad)


def _progress_after(rs_sim, api, uid, seconds):
    rs_sim.advance(seconds)
    return api.get(f'/v2/actions/{uid}').json()['progress']


@pytest.mark.rs_sim(speed=1, pending_fraction=0)
def test_shape_per_action_name_over_the_api(rs_sim, api):
    rs_sim.configure(progress_shapes={'SMUpdateBDB': {'shape': 'jump'}})
    uid = rs_sim.create_action(name='SMUpdateBDB', duration=1000)
    assert _progress_after(rs_sim, api, uid, 500) == 0.0
    assert _progress_after(rs_sim, api, uid, 499) == 0.0
    assert api.get(f'/v1/actions/{uid}').json()['status'] == 'active'
    assert _progress_after(rs_sim, api, uid, 2) == 100.0


@pytest.mark.rs_sim(speed=1, pending_fraction=0)
def test_shape_per_operation_and_restart(rs_sim, api):
    rs_sim.configure(progress_shapes={'node_action': {'shape': 'restart', 'at': 0.5, 'peak': 0.9}},
                     durations={'node_action': 1000})
    uid = api.post('/v1/nodes/1/actions/maintenance_off', json={}).json()['task_id']
    high = _progress_after(rs_sim, api, uid, 450)
    low = _progress_after(rs_sim, api, uid, 100)
    assert high > 75 and low < 15


@pytest.mark.rs_sim(speed=1, pending_fraction=0)
def test_synthetic_action_progress_shape(rs_sim, api):
    uid = rs_sim.create_action(name='SMUpdateBDB', duration=1000, progress_shape={'shape': 'pauses', 'pauses': [[0.1, 0.9]]})
    first = _progress_after(rs_sim, api, uid, 200)
    second = _progress_after(rs_sim, api, uid, 500)
    assert first == second == pytest.approx(50.0, abs=1)


# ------------------------------------------------------------------ documented bdb fields
def test_every_documented_writable_field_is_accepted(api):
    samples = {'int': 1, 'bool': True, 'str': 'x', 'number': 1.5, 'list': [], 'dict': {}, 'any': 'x'}
    body = {field: samples[kind] for field, kind in DOCUMENTED_WRITABLE.items() if field not in FIELDS}
    assert len(body) > 90       # the fields the simulator used to refuse with 400
    created = api.create(name='all-fields', **body)
    assert created['activedefrag'] == 'x' and created['conns'] == 1 and 'dataset_import_sources' not in created
    api.wait_bdb(created['uid'])
    response = api.put(f"/v1/bdbs/{created['uid']}?dry_run=true", json={'conns': 7, 'resp3': False})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize('field', ['status', 'action_uid', 'export_status', 'created_time'])
def test_documented_read_only_fields_are_refused(api, field):
    assert field in DOCUMENTED_READ_ONLY
    response = api.post('/v1/bdbs', json={'name': 'x', 'memory_size': 1024, field: 'y'})
    assert response.status_code == 400 and response.json()['error_code'] == 'invalid_schema'


def test_documented_field_types_are_checked(api):
    response = api.post('/v1/bdbs', json={'name': 'x', 'memory_size': 1024, 'conns': 'five'})
    assert response.status_code == 400 and "'conns'" in response.json()['description']


# ------------------------------------------------------------------ synchronous rejections
def test_license_expired_gives_403(rs_sim, api):
    bdb = api.create()
    rs_sim.configure(license_expired=True)
    for response in (api.post('/v1/bdbs', json={'name': 'db2', 'memory_size': 1024}),
                     api.put(f"/v1/bdbs/{bdb['uid']}", json={'memory_size': 2048}),
                     api.post(f"/v1/bdbs/{bdb['uid']}/actions/stop_traffic")):
        assert response.status_code == 403 and response.json()['error_code'] == 'license_expired'
    assert api.get(f"/v1/bdbs/{bdb['uid']}").status_code == 200


def test_insufficient_resources_406_on_post(rs_sim, api):
    rs_sim.configure(insufficient_memory='reject', cluster_memory=1024 ** 3)
    response = api.post('/v1/bdbs', json={'name': 'big', 'memory_size': 2 * 1024 ** 3})
    assert response.status_code == 406 and response.json()['error_code'] == 'insufficient_resources'
    assert api.get('/v1/bdbs').json() == []


def test_busy_409_on_post(rs_sim, api):
    rs_sim.configure(busy_names=['busy-db'])
    response = api.post('/v1/bdbs', json={'name': 'busy-db', 'memory_size': 1024})
    assert response.status_code == 409 and response.json()['error_code'] == 'busy'
    assert api.post('/v1/bdbs', json={'name': 'free-db', 'memory_size': 1024}).status_code == 200


def test_config_file_with_profile(tmp_path):
    path = tmp_path / 'c.json'
    path.write_text(json.dumps({'profile': '8.2.0', 'task_progress': False}))
    sys.path.insert(0, os.path.dirname(RUN))
    import run  # pylint: disable=import-outside-toplevel
    config = merge(defaults(), run.build_config(run.parse_args(['--config', str(path)])))
    assert config['v2_actions_invalid_schema'] is True and config['task_progress'] is False
