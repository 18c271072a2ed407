# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""rs_database_action: the action plugin's in-process run returns what the module returns, wait included (see
``in_process.py``)."""

from __future__ import annotations

import pytest

from ansible_collections.redis_enterprise.software.plugins.action.rs_database_action import ActionModule
from ansible_collections.redis_enterprise.software.plugins.modules import rs_database_action
from ansible_collections.redis_enterprise.software.tests.unit.plugins.action.in_process import FALLBACKS, PASSWORD, Comparison
from ansible_collections.redis_enterprise.software.tests.unit.plugins.fake_http import FakeResponse

BDBS = [{'uid': 3, 'name': 'app-cache', 'status': 'active'}]
LOCATION = {'type': 'url', 'url': 'ftp://backup.example.com/'}


def started(**routes):
    return lambda: dict({'/v1/bdbs': BDBS, '/v1/bdbs/3/actions/stop_traffic': {'action_uid': 's1'},
                         '/v2/actions/s1': {'action_uid': 's1', 'name': 'stop_traffic', 'status': 'completed'}},
                        **routes)


@pytest.fixture
def compare(capsys, monkeypatch):
    return Comparison(capsys, monkeypatch, rs_database_action.main, ActionModule)


@pytest.mark.parametrize('args', [
    dict(name='app-cache', action='stop_traffic'),
    dict(uid=3, action='stop_traffic', wait=True),
])
def test_success_is_the_same(compare, args):
    result, dummy = compare.same(started(), args)
    assert result['changed'] is True and result['action_uid'] == 's1' and 'failed' not in result
    assert ('actions' in result) is bool(args.get('wait'))
    assert result['invocation']['module_args']['password'] != PASSWORD


def test_export_wait_is_the_same(compare):
    done = {'action_uid': 'e1', 'name': 'export', 'status': 'completed', 'action_type': 'other', 'progress': 100.0,
            'additional_info': {'object_type': 'bdb', 'object_uid': '3'}}
    routes = started(**{'/v1/bdbs/3/actions/export': FakeResponse(200), '/v2/actions': [done],
                        '/v1/bdbs/3': {'uid': 3, 'export_status': 'succeeded'}})
    result, dummy = compare.same(routes, dict(name='app-cache', action='export', wait=True,
                                              params={'export_location': LOCATION}))
    assert [a['action_uid'] for a in result['actions']] == ['e1'] and result['timed_out'] is False


def test_failed_wait_is_the_same(compare):
    failed = {'action_uid': 's1', 'name': 'stop_traffic', 'status': 'failed', 'error': 'proxy down'}
    args = dict(name='app-cache', action='stop_traffic', wait=True)
    result, dummy = compare.same(started(**{'/v2/actions/s1': failed}), args)
    assert result['failed'] is True and 'proxy down' in result['msg'] and result['uid'] == 3


def test_check_mode_and_dry_run_are_the_same(compare):
    result, session = compare.same(started(), dict(name='app-cache', action='stop_traffic', wait=True),
                                   check_mode=True)
    assert result['changed'] is True and 'actions' not in result
    assert [c['method'] for c in session.calls] == ['GET']
    blueprint = [{'nodes': [{'node_uid': '1', 'role': 'master'}], 'slot_range': '0-16383'}]
    result, dummy = compare.same(started(**{'/v1/bdbs/3/actions/rebalance': blueprint}),
                                 dict(name='app-cache', action='rebalance', params={'dry_run': True}, wait=True))
    assert result['changed'] is False and result['blueprint'] == blueprint


def test_rs_error_is_the_same(compare):
    busy = FakeResponse(409, {'error_code': 'busy', 'description': 'busy'})
    result, dummy = compare.same(started(**{'/v1/bdbs/3/actions/rebalance': busy}),
                                 dict(name='app-cache', action='rebalance'))
    assert result['failed'] is True and result['status'] == 409 and 'object_name bdb:3' in result['msg']


@pytest.mark.parametrize('args, text', [
    (dict(name='app-cache', action='stop_traffic', params={'x': 1}), 'takes no params'),
    (dict(name='app-cache', action='export'), 'export_location'),
    (dict(name='app-cache', action='stop_traffic', wait_timeout=0), 'wait_timeout'),
])
def test_bad_params_are_the_same_and_send_nothing(compare, args, text):
    result, session = compare.same(started(), args)
    assert result['failed'] is True and text in result['msg']
    assert session.calls == []


def test_options_are_validated_before_any_request(compare):
    compare.fails_before_any_request(dict(action='stop_traffic'), 'name, uid')
    compare.fails_before_any_request(dict(name='app-cache', action='explode'), 'action')
    compare.fails_before_any_request(dict(uid='x-%s' % PASSWORD, action='stop_traffic'), 'uid')


@pytest.mark.parametrize('kwargs', FALLBACKS)
def test_falls_back_to_the_module(compare, kwargs):
    compare.falls_back_to_the_module(dict(name='app-cache', action='stop_traffic'), **kwargs)


def test_runs_in_process_for_a_local_connection(compare):
    result = compare.runs_in_process(started(), dict(name='app-cache', action='stop_traffic', wait=True))
    assert result['actions'][0]['status'] == 'completed'
