# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

from ansible_collections.redis_enterprise.software.plugins.modules import rs_database_info
from ansible_collections.redis_enterprise.software.tests.unit.plugins.fake_http import FakeResponse

CONNECTION = dict(url='https://cluster.example.com:9443', username='admin@example.com', password='Sup3r-s3cret-pw')
BDBS = [
    {'uid': 1, 'name': 'app-cache', 'status': 'active', 'memory_size': 1073741824, 'endpoints': []},
    {'uid': 2, 'name': 'sessions', 'status': 'pending', 'memory_size': 536870912, 'action_uid': 'a2'},
    {'uid': 5, 'name': 'queue', 'status': 'active', 'memory_size': 104857600},
]


def run(run_module, **args):
    return run_module(rs_database_info.main, dict(CONNECTION, **args))


def test_all_databases_in_one_request(run_module, session_for):
    session = session_for({'/v1/bdbs': BDBS})
    failed, result = run(run_module)
    assert not failed
    assert result['changed'] is False
    assert result['databases'] == BDBS
    assert result['missing'] == []
    assert session.paths() == ['/v1/bdbs']
    assert session.calls[0]['method'] == 'GET'
    assert 'Sup3r-s3cret-pw' not in json.dumps(result)


def test_by_names_and_uids_one_request(run_module, session_for):
    session = session_for({'/v1/bdbs': BDBS})
    failed, result = run(run_module, name=['sessions', 'nope', 'app-cache'], uid=[5, 9])
    assert not failed
    assert [d['uid'] for d in result['databases']] == [1, 2, 5]
    assert result['missing'] == ['nope', 9]
    assert session.paths() == ['/v1/bdbs']


def test_single_name_as_string(run_module, session_for):
    session_for({'/v1/bdbs': BDBS})
    failed, result = run(run_module, name='queue')
    assert not failed
    assert [d['name'] for d in result['databases']] == ['queue']


def test_bad_name_fails_before_any_request(run_module, session_for):
    session = session_for({'/v1/bdbs': BDBS})
    failed, result = run(run_module, name=['bad name!'])
    assert failed
    assert 'not a valid database name' in result['msg']
    assert session.calls == []


def test_auth_error_is_reported(run_module, session_for):
    session_for({'/v1/bdbs': FakeResponse(401, {'error_code': 'unauthorized', 'description': 'bad credentials'})})
    failed, result = run(run_module)
    assert failed
    assert result['status'] == 401


def test_argspec_matches_documentation():
    from ansible.module_utils.common import yaml as ansible_yaml  # pylint: disable=import-outside-toplevel
    doc = ansible_yaml.yaml_load(rs_database_info.DOCUMENTATION)
    assert set(doc['options']) == {'name', 'uid'}
    assert set(ansible_yaml.yaml_load(rs_database_info.RETURN)) == {'databases', 'missing'}
