# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Database operations (requests/bdbs/actions/*.md, upgrade.md) and node operations (requests/nodes/actions.md)."""

from __future__ import annotations

import pytest

from rssim_helpers import NOACCESS, Api


def _active(api, **fields):
    bdb = api.create(**fields)
    return api.wait_bdb(bdb['uid'])


def _v2_names(api):
    return {(a['name'], (a.get('additional_info') or {}).get('object_uid')) for a in api.get('/v2/actions').json()}


@pytest.mark.parametrize('operation', ['stop_traffic', 'resume_traffic'])
def test_traffic_operations_return_action_uid(rs_sim, api, operation):
    rs_sim.configure(durations={operation: 50})         # 1 s at speed 50
    bdb = _active(api)
    response = api.post(f"/v1/bdbs/{bdb['uid']}/actions/{operation}")
    assert response.status_code == 200
    uid = response.json()['action_uid']
    assert set(response.json()) == {'action_uid'}
    pending = api.get(f"/v1/bdbs/{bdb['uid']}").json()
    assert pending['status'] == 'active-change-pending' and pending['action_uid'] == uid
    assert uid in [sm['action_uid'] for sm in api.get(f"/v1/actions/bdb/{bdb['uid']}").json()]
    name = rs_sim.config()['operations'][operation]['name']
    assert any(sm['name'] == name for sm in api.get('/v1/actions').json()['state-machines'])
    assert api.post(f"/v1/bdbs/{bdb['uid']}/actions/{operation}").status_code == 409       # busy
    assert api.wait_action(uid)['status'] == 'completed'
    done = api.wait_bdb(bdb['uid'])
    assert done['traffic_manually_disabled'] is (operation == 'stop_traffic')


def test_recover_needs_a_recoverable_state(rs_sim, api):
    rs_sim.configure(durations={'recover': 50})
    bdb = _active(api)
    response = api.post(f"/v1/bdbs/{bdb['uid']}/actions/recover")
    assert response.status_code == 409 and response.json()['error_code'] == 'busy'
    rs_sim.control('PUT', f"/_sim/bdbs/{bdb['uid']}", json={'status': 'recovery'})
    assert api.get(f"/v1/bdbs/{bdb['uid']}/actions/recover").json()['status'] == 'ready'
    bad = api.post(f"/v1/bdbs/{bdb['uid']}/actions/recover", json={'bogus': 1})
    assert bad.status_code == 400 and bad.json()['error_code'] == 'invalid_schema'
    response = api.post(f"/v1/bdbs/{bdb['uid']}/actions/recover", json={'ignore_errors': False})
    uid = response.json()['action_uid']
    assert api.get(f"/v1/bdbs/{bdb['uid']}").json()['status'] == 'recovery'
    assert api.wait_action(uid)['name'] == 'SMRecoverBDB'
    assert api.wait_bdb(bdb['uid'])['status'] == 'active'


def test_rebalance_dry_run_returns_blueprint_and_changes_nothing(rs_sim, api):
    bdb = _active(api, sharding=True, shards_count=3, replication=True)
    before = rs_sim.control('GET', '/_sim/actions')
    response = api.put(f"/v1/bdbs/{bdb['uid']}/actions/rebalance?dry_run=true&only_failovers=true")
    assert response.status_code == 200
    plan = response.json()
    assert [entry['slot_range'] for entry in plan] == ['0-5460', '5461-10922', '10923-16383']
    assert all({n['role'] for n in entry['nodes']} == {'master', 'slave'} for entry in plan)
    assert rs_sim.control('GET', '/_sim/actions') == before
    assert api.get(f"/v1/bdbs/{bdb['uid']}").json()['status'] == 'active'
    assert api.put(f"/v1/bdbs/{bdb['uid']}/actions/rebalance?max_operations=x").status_code == 400
    uid = api.put(f"/v1/bdbs/{bdb['uid']}/actions/rebalance").json()['action_uid']
    assert api.wait_action(uid)['status'] == 'completed'


def test_revamp_validates_applies_and_dry_runs(rs_sim, api):
    rs_sim.configure(durations={'revamp': 50})
    bdb = _active(api)
    plan = api.put(f"/v1/bdbs/{bdb['uid']}/actions/revamp?dry_run=true", json={'sharding': True}).json()
    assert plan.get('error_code') == 'invalid_schema'                        # not a revamp field
    response = api.put(f"/v1/bdbs/{bdb['uid']}/actions/revamp?dry_run=true", json={'shards_count': 2})
    assert response.status_code == 406 and response.json()['error_code'] == 'invalid_sharding'
    response = api.put(f"/v1/bdbs/{bdb['uid']}/actions/revamp?dry_run=true", json={'replication': True})
    assert response.status_code == 200 and len(response.json()) == 1
    assert api.get(f"/v1/bdbs/{bdb['uid']}").json()['replication'] is False
    response = api.put(f"/v1/bdbs/{bdb['uid']}/actions/revamp", json={'replication': True, 'memory_size': 2 ** 28})
    assert set(response.json()) == {'action_uid'}
    assert api.get(f"/v1/bdbs/{bdb['uid']}").json()['status'] == 'active-change-pending'
    done = api.wait_bdb(bdb['uid'])
    assert done['replication'] is True and done['memory_size'] == 2 ** 28


def test_upgrade_returns_the_bdb_with_action_uid(rs_sim, api):
    bdb = _active(api)
    response = api.post(f"/v1/bdbs/{bdb['uid']}/upgrade", json={'redis_version': '7.2', 'may_discard_data': True})
    assert response.status_code == 200
    body = response.json()
    assert body['uid'] == bdb['uid'] and body['status'] == 'active-change-pending'
    assert api.wait_action(body['action_uid'])['name'] == 'SMUpgradeBDB'
    assert api.wait_bdb(bdb['uid'])['redis_version'] == '7.2'
    rs_sim.configure(operations={'upgrade': {'response': 'empty'}})
    response = api.post(f"/v1/bdbs/{bdb['uid']}/upgrade", json={})
    assert response.status_code == 200 and response.content == b''


def test_export_import_status_only_and_visible_in_v2(rs_sim, api):
    bdb = _active(api)
    response = api.post(f"/v1/bdbs/{bdb['uid']}/actions/export", json={'export_location': {'type': 'url', 'url': 'ftp://x'}})
    assert response.status_code == 200 and response.content == b''
    assert ('export', str(bdb['uid'])) in _v2_names(api)
    rs_sim.configure(operations={'import': {'response': 'action_uid', 'kind': 'state-machine', 'name': 'SMImportBDB'}})
    api.wait_bdb(bdb['uid'])
    rs_sim.advance(100)
    response = api.post(f"/v1/bdbs/{bdb['uid']}/actions/import", json={})
    uid = response.json()['action_uid']
    assert api.get(f'/v1/actions/{uid}').json()['name'] == 'SMImportBDB'


def test_operation_errors(api):
    assert api.post('/v1/bdbs/99/actions/stop_traffic').status_code == 404
    assert api.put('/v1/bdbs/99/actions/rebalance').status_code == 404
    assert api.post('/v1/bdbs/99/upgrade', json={}).status_code == 404
    bdb = api.create()
    assert api.post(f"/v1/bdbs/{bdb['uid']}/actions/stop_traffic").status_code == 409        # still pending
    assert api.put(f"/v1/bdbs/{bdb['uid']}/upgrade", json={}).status_code == 405
    viewer = Api(api.sim, auth=NOACCESS)
    assert viewer.post(f"/v1/bdbs/{bdb['uid']}/actions/stop_traffic").status_code == 403
    viewer.close()


# ------------------------------------------------------------------ nodes
def test_maintenance_on_off_and_node_status(rs_sim, api):
    rs_sim.configure(durations={'node_action': 50})
    assert 'maintenance_snapshot' not in api.get('/v1/nodes/2/status').json()
    bad = api.post('/v1/nodes/2/actions/maintenance_on', json={'evict_dbs': [1]})
    assert bad.status_code == 400 and bad.json()['error_code'] == 'invalid_schema'
    bad = api.post('/v1/nodes/2/actions/maintenance_on', json={'overwrite_snaphot': True})
    assert bad.status_code == 400
    response = api.post('/v1/nodes/2/actions/maintenance_on', json={'overwrite_snapshot': True, 'evict_dbs': ['1']})
    assert response.status_code == 200
    uid = response.json()['task_id']
    assert api.post('/v1/nodes/2/actions/maintenance_on', json={}).status_code == 409
    tasks = api.get('/v1/actions').json()['actions']
    assert any(t['action_uid'] == uid and t['node_uid'] == '2' and t['name'] == 'maintenance_on' for t in tasks)
    assert api.get(f'/v2/actions/{uid}').json()['additional_info'] == {'object_type': 'node', 'object_uid': '2'}
    assert api.get('/v1/nodes/actions').json()['actions'][0]['task_id'] == uid
    assert api.wait_action(uid)['status'] == 'completed'
    status = api.get('/v1/nodes/2/status').json()
    assert status['maintenance_snapshot']['node_uid'] == '2'
    assert status['maintenance_snapshot']['name'].startswith('maintenance_mode_')
    assert api.get('/v1/nodes/2').json()['accept_servers'] is False
    assert set(api.get('/v1/nodes/status').json()) == {'1', '2', '3'}
    off = api.post('/v1/nodes/2/actions/maintenance_off', json={'skip_shards_restore': True}).json()['task_id']
    api.wait_action(off)
    assert 'maintenance_snapshot' not in api.get('/v1/nodes/2/status').json()
    assert api.get('/v1/nodes/2').json()['accept_servers'] is True


def test_remove_and_enslave_node(api):
    uid = api.post('/v1/nodes/3/actions/remove', json={'wait_for_persistence': True}).json()['task_id']
    assert api.get('/v1/nodes/3/actions/remove').json()['name'] == 'remove_node'
    api.wait_action(uid)
    assert api.get('/v1/nodes/3').status_code == 404
    assert [n['uid'] for n in api.get('/v1/nodes').json()] == [1, 2]
    uid = api.post('/v1/nodes/2/actions/enslave_node').json()['task_id']
    api.wait_action(uid)
    assert api.get('/v1/nodes/2/status').json()['role'] == 'slave'


@pytest.mark.parametrize('response,keys', [('action_uid', {'action_uid'}), ('status', {'status'}), ('empty', None)])
def test_node_action_response_is_configurable(rs_sim, api, response, keys):
    rs_sim.configure(operations={'maintenance_on': {'response': response}})
    answer = api.post('/v1/nodes/1/actions/maintenance_on', json={})
    assert answer.status_code == 200
    if keys is None:
        assert answer.content == b''
    else:
        assert set(answer.json()) == keys


def test_operations_config_is_validated(rs_sim):
    for bad in ({'nope': {}}, {'recover': {'kind': 'job'}}, {'recover': {'response': 'x'}}, {'recover': {'x': 1}}):
        with pytest.raises(Exception):
            rs_sim.configure(operations=bad)


def test_control_forces_bdb_status(rs_sim, api):
    bdb = api.create()
    for bad in ({'status': 'broken'}, {'status': 'recovery', 'x': 1}, None):
        with pytest.raises(Exception):
            rs_sim.control('PUT', f"/_sim/bdbs/{bdb['uid']}", json=bad)
    with pytest.raises(Exception):
        rs_sim.control('PUT', '/_sim/bdbs/99', json={'status': 'recovery'})
    assert rs_sim.control('PUT', f"/_sim/bdbs/{bdb['uid']}", json={'status': 'recovery'})['status'] == 'recovery'
    assert api.get(f"/v1/bdbs/{bdb['uid']}").json()['status'] == 'recovery'
