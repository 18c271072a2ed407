# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Node actions and the data plane."""

from __future__ import annotations

import socket
import time

import pytest


def _ping(port):
    with socket.create_connection(('127.0.0.1', port), timeout=2) as sock:
        sock.sendall(b'*1\r\n$4\r\nPING\r\n')
        return sock.recv(64)


def test_node_action_lifecycle(rs_sim, api):
    rs_sim.configure(durations={'node_action': 25})       # 0.5 s
    response = api.post('/v1/nodes/2/actions/maintenance_on')
    assert response.status_code == 200
    body = response.json()
    assert body['status'] == 'queued' and body['task_id']
    again = api.post('/v1/nodes/2/actions/maintenance_on')
    assert again.status_code == 409
    assert api.post('/v1/nodes/3/actions/maintenance_on').status_code == 200
    status = api.get('/v1/nodes/2/actions/maintenance_on').json()
    assert status['task_id'] == body['task_id'] and status['node_uid'] == '2' and status['name'] == 'maintenance_on'
    assert status['status'] in ('queued', 'starting', 'running')
    task = api.get(f"/v1/actions/{body['task_id']}").json()
    assert task['task_id'] == task['action_uid'] == body['task_id'] and isinstance(task['progress'], str)
    assert api.get(f"/v2/actions/{body['task_id']}").json()['action_type'] == 'task'
    assert len(api.get('/v1/nodes/actions').json()['actions']) == 2
    assert len(api.get('/v1/nodes/2/actions').json()['actions']) == 1
    assert api.wait_action(body['task_id'])['status'] == 'completed'
    assert api.post('/v1/nodes/2/actions/maintenance_on').status_code == 200


def test_node_action_errors_and_cancel(rs_sim, api):
    rs_sim.configure(durations={'node_action': 1000, 'cancel': 0})
    assert api.post('/v1/nodes/9/actions/maintenance_on').status_code == 404
    assert api.post('/v1/nodes/1/actions/explode').status_code == 404
    assert api.get('/v1/nodes/1/actions/remove').status_code == 404
    api.post('/v1/nodes/1/actions/remove')
    assert api.delete('/v1/nodes/1/actions/remove').status_code == 200
    assert api.get('/v1/nodes/1/actions/remove').json()['status'] == 'cancelled'
    assert [n['uid'] for n in api.get('/v1/nodes').json()] == [1, 2, 3]


@pytest.mark.rs_sim(data_plane='builtin', port_base=24000)
def test_builtin_data_plane_answers_ping(rs_sim, api):
    del rs_sim
    bdb = api.create()
    active = api.wait_bdb(bdb['uid'])
    port = active['endpoints'][0]['port']
    deadline = time.monotonic() + 3
    while True:
        try:
            assert _ping(port) == b'+PONG\r\n'
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    api.delete(f"/v1/bdbs/{bdb['uid']}")
    api.wait_bdb(bdb['uid'], statuses=('gone',))
    time.sleep(0.5)
    with pytest.raises(OSError):
        _ping(port)


@pytest.mark.rs_sim(data_plane='off')
def test_data_plane_off_still_gives_endpoints(api):
    bdb = api.create()
    assert api.wait_bdb(bdb['uid'])['endpoints'][0]['port'] >= 12000
