# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Databases: validation, lifecycle, failure, update, delete, export/import."""

from __future__ import annotations

import re
import time

import pytest

ISO = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$')


def test_create_returns_pending_bdb_with_action_uid(api):
    body = api.create('app-cache')
    assert body['uid'] == 1 and body['name'] == 'app-cache' and body['type'] == 'redis'
    assert body['status'] == 'pending' and body['action_uid']
    assert body['port'] == 0 and body['endpoints'] == [] and body['shard_list'] == []
    assert body['shards_count'] == 1 and body['sharding'] is False and body['replication'] is False
    assert body['data_persistence'] == 'disabled' and body['eviction_policy'] == 'volatile-lru'
    assert body['version'] and body['redis_version']
    assert ISO.match(body['created_time']) and ISO.match(body['last_changed_time'])
    assert api.create('second')['uid'] == 2


def test_creation_lifecycle(api):
    bdb = api.create()
    active = api.wait_bdb(bdb['uid'])
    assert 'action_uid' not in active
    assert active['endpoints'][0]['port'] > 0 and active['port'] == 0
    assert active['shard_list']
    sm = api.get(f"/v1/actions/{bdb['action_uid']}").json()
    assert sm['status'] == 'completed'


def test_creation_fails_when_memory_is_short(api):
    bdb = api.create('too-big', memory_size=100 * 1024 ** 4)
    sm = api.wait_action(bdb['action_uid'])
    assert sm['status'] == 'failed' and sm['error'] == 'insufficient resources to place shards'
    v2 = api.get(f"/v2/actions/{bdb['action_uid']}").json()
    assert v2['status'] == 'failed' and v2['additional_info']['error'] == 'insufficient resources to place shards'
    failed = api.get(f"/v1/bdbs/{bdb['uid']}").json()
    assert failed['status'] == 'creation-failed' and 'action_uid' not in failed
    # a failed database can be deleted
    assert api.delete(f"/v1/bdbs/{bdb['uid']}").status_code == 200
    api.wait_bdb(bdb['uid'], statuses=('gone',))


def test_a_database_that_cannot_be_placed_holds_no_memory_while_pending(api):
    too_big = api.create('too-big-pending', memory_size=100 * 1024 ** 4)
    assert api.get(f"/v1/bdbs/{too_big['uid']}").json()['status'] == 'pending'
    # created before the doomed creation has failed: it must still find room
    small = api.create('small-after', memory_size=200 * 1024 ** 2)
    assert api.wait_action(small['action_uid'])['status'] == 'completed'
    assert api.wait_action(too_big['action_uid'])['status'] == 'failed'


@pytest.mark.rs_sim(fail_names=['doomed'])
def test_fail_names(api):
    bdb = api.create('doomed')
    assert api.wait_action(bdb['action_uid'])['status'] == 'failed'
    assert api.wait_bdb(bdb['uid'], statuses=('creation-failed',))
    assert api.wait_bdb(api.create('fine')['uid'])['status'] == 'active'


@pytest.mark.parametrize('body, status, code', [
    ({'memory_size': 1024}, 400, 'missing_db_name'),
    ({'name': 'x'}, 400, 'missing_memory_size'),
    ({'name': 'x', 'memory_size': 1024, 'foo': 1}, 400, 'invalid_schema'),
    ({'name': 'x', 'memory_size': '1GB'}, 400, 'invalid_schema'),
    ({'name': 'x', 'memory_size': 0}, 400, 'invalid_schema'),
    ({'name': 'x', 'memory_size': 1024, 'replication': 'yes'}, 400, 'invalid_schema'),
    ({'name': '-bad', 'memory_size': 1024}, 400, 'invalid_schema'),
    ({'name': 'bad-', 'memory_size': 1024}, 400, 'invalid_schema'),
    ({'name': 'a_b', 'memory_size': 1024}, 400, 'invalid_schema'),
    ({'name': 'a' * 64, 'memory_size': 1024}, 400, 'invalid_schema'),
    ({'name': 'x', 'memory_size': 1024, 'status': 'active'}, 400, 'invalid_schema'),
    ({'name': 'x', 'memory_size': 1024, 'shards_count': 2}, 406, 'invalid_sharding'),
    ({'name': 'x', 'memory_size': 1024, 'eviction_policy': 'sometimes'}, 406, 'eviction_policy_violation'),
    ({'name': 'x', 'memory_size': 1024, 'data_persistence': 'tape'}, 406, 'invalid_data_persistence'),
    ({'name': 'x', 'memory_size': 1024, 'tags': [{'key': 1}]}, 406, 'invalid_bdb_tags'),
])
def test_create_validation(api, body, status, code):
    response = api.post('/v1/bdbs', json=body)
    assert response.status_code == status, response.text
    assert response.headers['Content-Type'] == 'application/json'
    assert response.json()['error_code'] == code and response.json()['description']
    assert api.get('/v1/bdbs').json() == []


def test_invalid_schema_description_names_the_field(api):
    response = api.post('/v1/bdbs', json={'name': 'x', 'memory_size': 1024, 'foo': 1})
    assert response.json()['description'] == "Additional properties are not allowed ('foo' was unexpected)"


def test_valid_names(api):
    for name in ('a', 'A1', 'my-db-2', 'x' * 63):
        assert api.post('/v1/bdbs?dry_run=true', json={'name': name, 'memory_size': 1}).status_code == 200


def test_accepts_known_fields(api):
    body = api.create('full', memory_size=1 << 30, type='redis', port=12999, replication=True, sharding=True, shards_count=2,
                      data_persistence='aof', eviction_policy='allkeys-lru', proxy_policy='all-master-shards',
                      oss_cluster=True, module_list=[{'module_name': 'search', 'module_args': ''}],
                      tags=[{'key': 'team', 'value': 'a'}], authentication_redis_pass='secret', bigstore=False)
    assert body['port'] == 12999 and body['shards_count'] == 2
    assert 'authentication_redis_pass' not in body
    active = api.wait_bdb(body['uid'])
    assert active['endpoints'][0]['port'] == 12999 and len(active['shard_list']) == 4


def test_uid_exists(api):
    assert api.create('one', uid=5)['uid'] == 5
    response = api.post('/v1/bdbs', json={'name': 'two', 'memory_size': 1, 'uid': 5})
    assert response.status_code == 409 and response.json()['error_code'] == 'uid_exists'
    assert api.create('three')['uid'] == 6


def test_duplicate_names_allowed_by_default_and_rejectable(rs_sim, api):
    api.create('same')
    assert api.post('/v1/bdbs', json={'name': 'same', 'memory_size': 1}).status_code == 200
    rs_sim.configure(duplicate_names='reject')
    response = api.post('/v1/bdbs', json={'name': 'same', 'memory_size': 1})
    assert response.status_code == 409 and response.json()['error_code'] == 'name_exists'


def test_dry_run_creates_nothing(api):
    response = api.post('/v1/bdbs?dry_run=true', json={'name': 'dry', 'memory_size': 1024})
    assert response.status_code == 200 and response.json()['name'] == 'dry'
    assert 'action_uid' not in response.json()
    assert api.get('/v1/bdbs').json() == []
    assert api.get('/v1/actions').json()['state-machines'] == []


def test_v2_bdbs_wrapper(api):
    response = api.post('/v2/bdbs', json={'bdb': {'name': 'wrapped', 'memory_size': 1024}})
    assert response.status_code == 200 and response.json()['status'] == 'pending'
    assert api.post('/v2/bdbs', json={'name': 'x', 'memory_size': 1}).status_code == 400


def test_get_fields_and_404(api):
    bdb = api.create()
    assert api.get('/v1/bdbs?fields=uid,name,status').json() == [{'uid': 1, 'name': 'db1', 'status': 'pending'}]
    assert api.get(f"/v1/bdbs/{bdb['uid']}?fields=name").json() == {'name': 'db1'}
    response = api.get('/v1/bdbs/42')
    assert response.status_code == 404 and response.json()['error_code'] == 'db_not_found'


@pytest.mark.rs_sim(durations={'update_bdb': 50})
def test_update_runs_sm_update_and_is_busy_meanwhile(api):
    bdb = api.create()
    busy = api.put(f"/v1/bdbs/{bdb['uid']}", json={'memory_size': 2048})
    assert busy.status_code == 409 and busy.json()['error_code'] == 'busy'
    api.wait_bdb(bdb['uid'])
    updated = api.put(f"/v1/bdbs/{bdb['uid']}", json={'memory_size': 2048})
    assert updated.status_code == 200
    body = updated.json()
    assert body['status'] == 'active-change-pending' and body['memory_size'] == 2048 and body['action_uid']
    sm = api.get(f"/v1/actions/{body['action_uid']}").json()
    assert sm['name'] == 'SMUpdateBDB' and sm['object_name'] == f"bdb:{bdb['uid']}"
    again = api.put(f"/v1/bdbs/{bdb['uid']}", json={'memory_size': 4096})
    assert again.status_code == 409 and again.json()['error_code'] == 'busy'
    assert api.delete(f"/v1/bdbs/{bdb['uid']}").status_code == 409
    done = api.wait_bdb(bdb['uid'])
    assert 'action_uid' not in done and done['memory_size'] == 2048


def test_update_validation(api):
    bdb = api.create()
    api.wait_bdb(bdb['uid'])
    assert api.put(f"/v1/bdbs/{bdb['uid']}", json={'foo': 1}).json()['error_code'] == 'invalid_schema'
    assert api.put(f"/v1/bdbs/{bdb['uid']}", json={'shards_count': 3}).status_code == 406
    assert api.put('/v1/bdbs/77', json={'memory_size': 1}).status_code == 404
    assert api.put(f"/v1/bdbs/{bdb['uid']}?dry_run=true", json={'memory_size': 99}).json()['memory_size'] == 99
    assert api.get(f"/v1/bdbs/{bdb['uid']}").json()['memory_size'] == 104857600


def test_synthetic_sm_makes_bdb_busy(rs_sim, api):
    bdb = api.create()
    api.wait_bdb(bdb['uid'])
    uid = rs_sim.create_action(name='SMUpdateBDB', object_name=f"bdb:{bdb['uid']}", duration=1000)
    assert api.put(f"/v1/bdbs/{bdb['uid']}", json={'memory_size': 1}).status_code == 409
    rs_sim.action_control(uid, 'complete')
    assert api.put(f"/v1/bdbs/{bdb['uid']}", json={'memory_size': 1}).status_code == 200


@pytest.mark.rs_sim(durations={'delete_bdb': 15})
def test_delete_empty_body_then_delete_pending_then_404(api):
    bdb = api.create()
    assert api.delete(f"/v1/bdbs/{bdb['uid']}").status_code == 409     # still pending
    api.wait_bdb(bdb['uid'])
    response = api.delete(f"/v1/bdbs/{bdb['uid']}")
    assert response.status_code == 200 and response.content == b''
    assert api.get(f"/v1/bdbs/{bdb['uid']}").json()['status'] == 'delete-pending'
    assert api.delete(f"/v1/bdbs/{bdb['uid']}").status_code == 409
    api.wait_bdb(bdb['uid'], statuses=('gone',))
    assert api.get(f"/v1/bdbs/{bdb['uid']}").status_code == 404
    assert api.delete(f"/v1/bdbs/{bdb['uid']}").status_code == 404


def test_creation_sm_steps_through_states(rs_sim, api):
    rs_sim.configure(durations={'create_bdb': 50})
    bdb = api.create()
    states = set()
    while True:
        sm = api.get(f"/v1/actions/{bdb['action_uid']}").json()
        if sm['status'] == 'completed':
            break
        states.add(sm['state'])
        time.sleep(0.02)
    assert {'wait_for_resources', 'create_shards', 'configure_proxy', 'finalize'} <= states


def test_export_and_import_only_in_v2(rs_sim, api):
    rs_sim.configure(durations={'export': 10, 'import': 10})
    bdb = api.create()
    api.wait_bdb(bdb['uid'])
    response = api.post(f"/v1/bdbs/{bdb['uid']}/actions/export", json={'export_location': {'type': 'url', 'uri': 'x'}})
    assert response.status_code == 200 and response.content == b''
    assert api.get(f"/v1/bdbs/{bdb['uid']}").json()['export_status'] == 'exporting'
    assert api.post(f"/v1/bdbs/{bdb['uid']}/actions/export", json={}).status_code == 409
    others = [a for a in api.get('/v2/actions').json() if a['action_type'] == 'other']
    assert [a['name'] for a in others] == ['export']
    assert api.get(f"/v1/actions/{others[0]['action_uid']}").status_code == 404
    v1 = api.get('/v1/actions').json()
    assert all(a['action_uid'] != others[0]['action_uid'] for a in v1['actions'] + v1['state-machines'])
    api.wait_action(others[0]['action_uid'], version='v2')
    exported = api.get(f"/v1/bdbs/{bdb['uid']}").json()
    assert exported['export_status'] == 'succeeded' and exported['export_progress'] == 100.0

    assert api.post(f"/v1/bdbs/{bdb['uid']}/actions/import", json={'dataset_import_sources': []}).status_code == 200
    importing = api.get(f"/v1/bdbs/{bdb['uid']}").json()
    assert importing['status'] == 'import-pending' and importing['import_status'] in ('initializing', 'importing')
    imported = api.wait_bdb(bdb['uid'])
    assert imported['import_status'] == 'succeeded'
    names = [a['name'] for a in api.get('/v2/actions').json() if a['action_type'] == 'other']
    assert names == ['export', 'import']
