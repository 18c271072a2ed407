# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every fault kind visibly changes the responses; faults are listed, matched, counted and cleared."""

from __future__ import annotations

import socket
import time

import pytest
import requests


def test_status_burst_then_normal(rs_sim, api):
    rs_sim.fault(kind='status', status=503, count=3, path='^/v[12]/actions')
    codes = [api.get('/v1/actions').status_code for dummy in range(4)]
    assert codes == [503, 503, 503, 200]
    assert api.get('/v1/bdbs').status_code == 200


def test_status_body_is_rs_json_and_429_retry_after(rs_sim, api):
    rs_sim.fault(kind='status', status=429, retry_after=2)
    response = api.get('/v1/bdbs')
    assert response.status_code == 429 and response.headers['Retry-After'] == '2'
    assert response.headers['Content-Type'] == 'application/json'
    assert set(response.json()) == {'error_code', 'description'}
    rs_sim.fault(kind='status', status=500, method='POST')
    assert api.get('/v1/bdbs').status_code == 200
    assert api.post('/v1/bdbs', json={'name': 'a', 'memory_size': 1}).status_code == 500
    assert api.get('/v1/bdbs').json() == []


def test_html_error_page(rs_sim, api):
    rs_sim.fault(kind='html')
    response = api.get('/v1/actions')
    assert response.status_code == 502 and response.headers['Content-Type'] == 'text/html'
    assert '<html>' in response.text
    with pytest.raises(ValueError):
        response.json()


def test_drop_closes_without_response(rs_sim, api):
    rs_sim.fault(kind='drop', count=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        api.get('/v1/actions')
    assert api.get('/v1/actions').status_code == 200
    assert [r['status'] for r in rs_sim.requests()][:1] == [None]


def test_slow(rs_sim, api):
    rs_sim.fault(kind='slow', seconds=0.4)
    start = time.monotonic()
    assert api.get('/v1/actions').status_code == 200
    assert time.monotonic() - start >= 0.4
    rs_sim.fault(kind='slow', seconds=2)
    with pytest.raises(requests.exceptions.Timeout):
        api.get('/v1/actions', timeout=0.3)


def test_truncated_and_invalid_json(rs_sim, api):
    api.create()
    rs_sim.fault(kind='truncated')
    response = api.get('/v1/bdbs')
    assert response.status_code == 200 and response.text.startswith('[{')
    assert len(response.content) < len(api.get('/v1/bdbs').content)
    with pytest.raises(ValueError):
        response.json()
    rs_sim.fault(kind='truncated', short_read=True)
    with pytest.raises(requests.exceptions.RequestException):
        api.get('/v1/bdbs')
    rs_sim.fault(kind='invalid_json')
    response = api.get('/v1/actions')
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()
    assert api.get('/v1/actions').json()


def _connects(url):
    host, port = url.split('//')[1].split(':')
    try:
        with socket.create_connection((host, int(port)), timeout=0.5):
            return True
    except OSError:
        return False


def test_refuse_stops_listening_then_comes_back(rs_sim, api):
    assert api.get('/v1/actions').status_code == 200      # a pooled keep-alive connection
    rs_sim.fault(kind='refuse', seconds=0.6)
    with pytest.raises(requests.exceptions.ConnectionError):
        api.get('/v1/actions')
    time.sleep(0.15)
    assert not _connects(rs_sim.url)
    with pytest.raises(requests.exceptions.ConnectionError):
        api.get('/v1/actions')
    deadline = time.monotonic() + 5
    while not _connects(rs_sim.url) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert api.get('/v1/actions').status_code == 200
    assert rs_sim.url.endswith(str(rs_sim.port))


def test_refuse_immediately(rs_sim, api):
    rs_sim.fault(kind='refuse', seconds=0.5, immediate=True)
    time.sleep(0.2)
    assert not _connects(rs_sim.url)
    time.sleep(0.6)
    assert api.get('/v1/actions').status_code == 200


def test_list_skip_duration_delete(rs_sim, api):
    fault = rs_sim.fault(kind='status', status=409, skip=1, count=2, method='put', path='/v1/bdbs/')
    assert fault['id'] and fault['method'] == 'PUT'
    assert [f['id'] for f in rs_sim.control('GET', '/_sim/faults')] == [fault['id']]
    bdb = api.create()
    api.wait_bdb(bdb['uid'])
    codes = [api.put(f"/v1/bdbs/{bdb['uid']}", json={'memory_size': 1}).status_code for dummy in range(3)]
    assert codes == [200, 409, 409]
    assert rs_sim.control('GET', '/_sim/faults') == []
    rs_sim.fault(kind='status', status=503, duration=0.3)
    assert api.get('/v1/bdbs').status_code == 503 and api.get('/v1/bdbs').status_code == 503
    time.sleep(0.35)
    assert api.get('/v1/bdbs').status_code == 200
    rs_sim.fault(kind='status', count=100)
    rs_sim.clear_faults()
    assert api.get('/v1/bdbs').status_code == 200


def test_faults_do_not_touch_control_api(rs_sim):
    rs_sim.fault(kind='drop', count=10)
    assert rs_sim.control('GET', '/_sim/config')['speed'] == 50


def test_invalid_fault_spec(rs_sim):
    status, dummy, body = rs_sim.call('POST', '/_sim/faults', json={'kind': 'explode'})
    assert status == 400 and body['error_code']
    status, dummy, body = rs_sim.call('POST', '/_sim/faults', json={'kind': 'status', 'path': '('})
    assert status == 400
