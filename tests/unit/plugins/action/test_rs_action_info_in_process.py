# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""rs_action_info: the action plugin's in-process run returns what the module returns (see ``in_process.py``)."""

from __future__ import annotations

import pytest

from ansible_collections.redis_enterprise.software.plugins.action.rs_action_info import ActionModule
from ansible_collections.redis_enterprise.software.plugins.modules import rs_action_info
from ansible_collections.redis_enterprise.software.tests.unit.plugins.action.in_process import FALLBACKS, PASSWORD, Comparison
from ansible_collections.redis_enterprise.software.tests.unit.plugins.fake_http import FakeResponse

V2_ACTIONS = [
    {'action_type': 'task', 'action_uid': 't1', 'additional_info': {'object_type': 'node', 'object_uid': '1'},
     'creation_time': 1742595918, 'name': 'retry_bdb', 'progress': 100.0, 'status': 'completed'},
    {'action_type': 'state-machine', 'action_uid': 's1', 'additional_info': {'object_type': 'bdb', 'object_uid': '3'},
     'creation_time': 1742595920, 'name': 'SMCreateBDB', 'progress': 20.0, 'status': 'running'},
]
V1_ACTIONS = {
    'actions': [{'action_uid': 't1', 'name': 'retry_bdb', 'node_uid': '2', 'progress': '100', 'status': 'completed'}],
    'state-machines': [{'action_uid': 's1', 'name': 'SMCreateBDB', 'object_name': 'bdb:3', 'status': 'active'}],
}


def v2():
    return {'/v2/actions': V2_ACTIONS, '/v2/actions/s1': V2_ACTIONS[1], '/v1/actions/bdb/3': {'actions': [],
            'state-machines': [{'action_uid': 's1', 'name': 'SMCreateBDB', 'status': 'active'}]}}


def v1():
    return {'/v2/actions': FakeResponse(404, {'error_code': 'not_found', 'description': 'no v2'}),
            '/v1/actions': V1_ACTIONS}


@pytest.fixture
def compare(capsys, monkeypatch):
    return Comparison(capsys, monkeypatch, rs_action_info.main, ActionModule)


@pytest.mark.parametrize('check_mode', [False, True])
@pytest.mark.parametrize('args', [
    dict(), dict(include_raw=True), dict(uid='s1'), dict(uid='nope'), dict(object_name='bdb:3'),
    dict(status=['running'], name='SMCreateBDB'),
])
def test_success_is_the_same(compare, args, check_mode):
    result, dummy = compare.same(v2, args, check_mode=check_mode)
    assert result['changed'] is False and 'failed' not in result
    assert result['api_version'] == 'v2'
    assert result['invocation']['module_args']['password'] != PASSWORD


def test_v1_fallback_warns_the_same(compare):
    result, session = compare.same(v1, dict(api_version='auto'))
    assert result['api_version'] == 'v1' and len(result['warnings']) == 1
    assert session.paths() == ['/v2/actions', '/v1/actions']


def test_rs_error_is_the_same(compare):
    result, dummy = compare.same(lambda: {'/v2/actions': FakeResponse(403, {'error_code': 'forbidden',
                                                                            'description': 'role'})}, {})
    assert result['failed'] is True and result['status'] == 403 and result['error_code'] == 'forbidden'


@pytest.mark.parametrize('args, text', [(dict(object_name='bdb:3/x'), 'object_name'), (dict(uid='a b'), 'uid')])
def test_bad_option_is_the_same_and_sends_nothing(compare, args, text):
    result, session = compare.same(v2, args)
    assert result['failed'] is True and text in result['msg']
    assert session.calls == []


def test_options_are_validated_before_any_request(compare):
    compare.fails_before_any_request(dict(status=['done']), 'status')
    compare.fails_before_any_request(dict(api_version='v3'), 'api_version')
    compare.fails_before_any_request(dict(include_raw='x-%s' % PASSWORD), 'include_raw')


@pytest.mark.parametrize('kwargs', FALLBACKS)
def test_falls_back_to_the_module(compare, kwargs):
    compare.falls_back_to_the_module({}, **kwargs)


def test_runs_in_process_for_a_local_connection(compare):
    result = compare.runs_in_process(v2, dict(uid='s1'))
    assert [a['action_uid'] for a in result['actions']] == ['s1']
