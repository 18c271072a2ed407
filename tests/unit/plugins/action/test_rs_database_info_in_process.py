# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""rs_database_info: the action plugin's in-process run returns what the module returns (see ``in_process.py``)."""

from __future__ import annotations

import pytest

from ansible_collections.redis_enterprise.software.plugins.action.rs_database_info import ActionModule
from ansible_collections.redis_enterprise.software.plugins.modules import rs_database_info
from ansible_collections.redis_enterprise.software.tests.unit.plugins.action.in_process import FALLBACKS, PASSWORD, Comparison
from ansible_collections.redis_enterprise.software.tests.unit.plugins.fake_http import FakeResponse

BDBS = [
    {'uid': 1, 'name': 'app-cache', 'status': 'active', 'memory_size': 1073741824},
    {'uid': 2, 'name': 'sessions', 'status': 'pending', 'action_uid': 'a2'},
]


@pytest.fixture
def compare(capsys, monkeypatch):
    return Comparison(capsys, monkeypatch, rs_database_info.main, ActionModule)


@pytest.mark.parametrize('check_mode', [False, True])
@pytest.mark.parametrize('args', [dict(), dict(name=['sessions', 'nope'], uid=[1, 9]), dict(name='app-cache')])
def test_success_is_the_same(compare, args, check_mode):
    result, session = compare.same(lambda: {'/v1/bdbs': BDBS}, args, check_mode=check_mode)
    assert result['changed'] is False and 'failed' not in result
    assert session.paths() == ['/v1/bdbs']
    assert result['invocation']['module_args']['password'] != PASSWORD


def test_rs_error_is_the_same(compare):
    result, dummy = compare.same(
        lambda: {'/v1/bdbs': FakeResponse(401, {'error_code': 'unauthorized', 'description': 'bad credentials'})}, {})
    assert result['failed'] is True and result['status'] == 401 and result['error_code'] == 'unauthorized'


def test_bad_name_is_the_same_and_sends_nothing(compare):
    result, session = compare.same(lambda: {'/v1/bdbs': BDBS}, dict(name=['bad name!']))
    assert result['failed'] is True and 'not a valid database name' in result['msg']
    assert session.calls == []


def test_http_url_warns_the_same(compare):
    result, dummy = compare.same(lambda: {'/v1/bdbs': BDBS}, dict(url='http://cluster.example.com:8080'))
    assert len(result['warnings']) == 1 and 'clear text' in result['warnings'][0]


def test_options_are_validated_before_any_request(compare):
    compare.fails_before_any_request(dict(bogus=1), 'Unsupported parameters')
    compare.fails_before_any_request(dict(uid=['x-%s' % PASSWORD]), 'uid')
    result = compare.fails_before_any_request(dict(url='https://admin:t0p-secret@db.example.com'), 'url')
    assert 't0p-secret' not in str(result)


@pytest.mark.parametrize('kwargs', FALLBACKS)
def test_falls_back_to_the_module(compare, kwargs):
    compare.falls_back_to_the_module({}, **kwargs)


def test_runs_in_process_for_a_local_connection(compare):
    result = compare.runs_in_process(lambda: {'/v1/bdbs': BDBS}, dict(uid=2))
    assert [d['name'] for d in result['databases']] == ['sessions']


def test_secrets_rs_echoes_are_hidden_the_same(compare):
    """A cluster that echoes a database's password (and a sync source's credentials) in its answer: neither
    reaches the result, on either path."""
    echoed = [dict(BDBS[0], authentication_redis_pass='Echoed-Db-pw-1',
                   sync_sources=[{'uri': 'redis://:Sync-pw-2@10.0.0.5:12000'}])]
    result, dummy = compare.same(lambda: {'/v1/bdbs': echoed}, dict(name='app-cache'))
    text = str(result)
    assert 'Echoed-Db-pw-1' not in text and 'Sync-pw-2' not in text
    database = result['databases'][0]
    assert database['authentication_redis_pass'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert database['memory_size'] == 1073741824 and database['name'] == 'app-cache'
