# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Authentication, roles, error bodies, headers, TLS."""

from __future__ import annotations

import pytest
import requests

from rssim_helpers import ADMIN, NOACCESS, Api
from rssim.testing import start_simulator

PASSWORD = 'sim-S3cret-pw'
ROLES = ('admin', 'cluster_member', 'cluster_viewer', 'db_member', 'db_viewer', 'user_manager', 'none')
USERS = [f'{role}@example.com:{PASSWORD}:{role}' for role in ROLES]


@pytest.mark.parametrize('auth', [None, ('admin@example.com', 'wrong'), ('nobody@example.com', PASSWORD)])
def test_401_with_www_authenticate_and_json(rs_sim, auth):
    response = requests.get(rs_sim.url + '/v1/actions', auth=auth, verify=rs_sim.ca_path, timeout=10)
    assert response.status_code == 401
    assert response.headers['WWW-Authenticate'].startswith('Basic realm="')
    assert response.headers['Content-Type'] == 'application/json'
    assert set(response.json()) == {'error_code', 'description'}


def test_noaccess_user_gets_403_on_actions_and_bdb_writes(rs_sim):
    client = Api(rs_sim, auth=NOACCESS)
    for path in ('/v1/actions', '/v2/actions', '/v1/actions/x', '/v1/actions/bdb/1'):
        response = client.get(path)
        assert response.status_code == 403, path
        assert response.json()['error_code'] and response.json()['description']
    assert client.post('/v1/bdbs', json={'name': 'x', 'memory_size': 1}).status_code == 403
    assert client.delete('/v1/bdbs/1').status_code == 403


@pytest.mark.rs_sim(users=USERS)
def test_role_matrix(rs_sim):
    readers = {'admin', 'cluster_member', 'cluster_viewer', 'db_member', 'db_viewer', 'user_manager'}
    writers = {'admin', 'cluster_member', 'db_member'}
    for role in ROLES:
        client = Api(rs_sim, auth=(f'{role}@example.com', PASSWORD))
        assert (client.get('/v1/actions').status_code == 200) == (role in readers), role
        created = client.post('/v1/bdbs', json={'name': f'db-{role.replace("_", "-")}', 'memory_size': 1})
        assert (created.status_code == 200) == (role in writers), role
        started = client.post('/v1/nodes/1/actions/maintenance_on')
        assert (started.status_code in (200, 409)) == (role == 'admin'), role


def test_cluster_state_id_increases(api):
    first = int(api.get('/v1/actions').headers['cluster-state-id'])
    assert int(api.get('/v1/actions').headers['cluster-state-id']) == first
    bdb = api.create()
    second = int(api.get('/v1/bdbs').headers['cluster-state-id'])
    assert second > first
    api.wait_bdb(bdb['uid'])
    third = int(api.get('/v1/bdbs').headers['cluster-state-id'])
    assert third > second
    for response in (api.get('/nope'), api.get('/v1/bdbs/99'), requests.get(api.sim.url + '/v1/bdbs', verify=api.sim.ca_path,
                                                                            timeout=10)):
        assert int(response.headers['cluster-state-id']) >= third


def test_wrong_cluster_state_id_is_rejected(api):
    current = api.get('/v1/bdbs').headers['cluster-state-id']
    stale = api.post('/v1/bdbs', json={'name': 'a', 'memory_size': 1}, headers={'cluster-state-id': str(int(current) - 1)})
    assert stale.status_code == 409 and stale.json()['error_code'] == 'wrong_cluster_state_id'
    fresh = api.post('/v1/bdbs', json={'name': 'a', 'memory_size': 1}, headers={'cluster-state-id': current})
    assert fresh.status_code == 200


def test_unknown_path_and_method(api):
    response = api.get('/v1/nothing-here')
    assert response.status_code == 404 and response.json()['error_code']
    response = api.delete('/v1/actions')
    assert response.status_code == 405 and 'GET' in response.headers['Allow']
    assert response.json()['error_code'] == 'method_not_allowed'


def test_body_must_be_json(api):
    response = api.post('/v1/bdbs', data=b'{not json', headers={'Content-Type': 'application/json'})
    assert response.status_code == 400 and response.json()['error_code']
    response = api.post('/v1/bdbs', data=b'name=x', headers={'Content-Type': 'application/x-www-form-urlencoded'})
    assert response.status_code == 400


def test_tls_verifies_with_written_ca_and_keep_alive(rs_sim):
    session = requests.Session()
    for dummy in range(20):
        response = session.get(rs_sim.url + '/v1/bdbs', auth=ADMIN, verify=rs_sim.ca_path, timeout=10)
        assert response.status_code == 200
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(rs_sim.url + '/v1/bdbs', auth=ADMIN, verify=True, timeout=10)
    session.close()


def test_cert_name_gives_hostname_mismatch(tmp_path):
    sim = start_simulator(cert_name='rs.example.test', state_dir=str(tmp_path))
    try:
        with pytest.raises(requests.exceptions.SSLError) as info:
            requests.get(sim.url + '/v1/bdbs', auth=ADMIN, verify=sim.ca_path, timeout=10)
        assert 'match' in str(info.value).lower() or 'hostname' in str(info.value).lower()
        assert sim.control('GET', '/_sim/config')['v2'] is True      # the helper checks the CA only
    finally:
        sim.stop()


def test_certificates_are_reused(tmp_path):
    first = start_simulator(state_dir=str(tmp_path))
    first.stop()
    ca = (tmp_path / 'ca.pem').read_bytes()
    cert = (tmp_path / 'server.pem').read_bytes()
    second = start_simulator(state_dir=str(tmp_path))
    try:
        assert (tmp_path / 'ca.pem').read_bytes() == ca and (tmp_path / 'server.pem').read_bytes() == cert
        assert requests.get(second.url + '/v1/bdbs', auth=ADMIN, verify=str(tmp_path / 'ca.pem'), timeout=10).status_code == 200
    finally:
        second.stop()


def test_plain_http_only_when_asked():
    sim = start_simulator(http=True)
    try:
        assert sim.url.startswith('http://')
        assert requests.get(sim.url + '/v1/bdbs', auth=ADMIN, timeout=10).status_code == 200
    finally:
        sim.stop()


def test_passwords_never_in_request_log_or_config(rs_sim, api):
    api.get('/v1/bdbs')
    requests.get(rs_sim.url + '/v1/bdbs', auth=('admin@example.com', 'guess-pw'), verify=rs_sim.ca_path, timeout=10)
    text = str(rs_sim.requests()) + str(rs_sim.config())
    assert PASSWORD not in text and 'guess-pw' not in text
