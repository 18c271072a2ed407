# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""rs_database: the action plugin's in-process run returns what the module returns.

Each case runs the module (``main()``) and the plugin's ``run_on_controller()`` against two fresh copies of the same
fake cluster (the real client over a fake ``requests`` session) and compares the results and the requests sent.
"""

from __future__ import annotations

import json
import os
from unittest import mock

import pytest

from ansible_collections.redis_enterprise.software.plugins.action.rs_database import ActionModule
from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_client
from ansible_collections.redis_enterprise.software.plugins.modules import rs_database
from ansible_collections.redis_enterprise.software.plugins.plugin_utils import rs_in_process
from ansible_collections.redis_enterprise.software.tests.unit.plugins.action import in_process
from ansible_collections.redis_enterprise.software.tests.unit.plugins.fake_http import FakeResponse
from ansible_collections.redis_enterprise.software.tests.unit.plugins.module_args import patch_module_args, with_invocation
from ansible_collections.redis_enterprise.software.tests.unit.plugins.modules.test_rs_database import (
    GIB,
    ActionsSession,
    FakeSession,
    bdb,
)

URL = 'https://cluster.example.com:9443'
PASSWORD = 'Sup3r-s3cret-pw'
CONNECTION = dict(url=URL, username='admin@example.com', password=PASSWORD)
BUSY = {'error_code': 'busy', 'description': 'Database is busy with another configuration change'}


def run_module(capsys, monkeypatch, session, args, check_mode=False, diff=False):
    """The module's result, run as on a target host (see ``modules/conftest.py``)."""
    try:
        from ansible.module_utils import _internal
        monkeypatch.setattr(_internal, 'is_controller', False, raising=False)
    except ImportError:  # ansible-core < 2.19
        pass
    monkeypatch.setattr(rs_client, 'new_session', lambda: session)
    module_args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
    with patch_module_args(with_invocation(module_args)):
        with pytest.raises(SystemExit) as exit_info:
            rs_database.main()
    result = json.loads(capsys.readouterr().out)
    assert (exit_info.value.code not in (0, None)) == bool(result.get('failed'))
    return result


def make_plugin(args, **task):
    return in_process.make_plugin(ActionModule, args, **task)


def run_plugin(monkeypatch, session, args, check_mode=False, diff=False):
    monkeypatch.setattr(rs_client, 'new_session', lambda: session)
    monkeypatch.setattr('time.sleep', lambda seconds: None)
    result = make_plugin(args, check_mode=check_mode, diff=diff).run_on_controller()
    return result


def comparable(result):
    """The result without what differs between two runs by nature: the elapsed time, the warnings' envelope
    (2.19+ modules return structured warnings), the request counter of the fake cluster."""
    result = json.loads(json.dumps(result))
    result.pop('elapsed', None)
    for action in result.get('actions', []):
        action.pop('elapsed', None)
    warnings = result.pop('warnings', [])
    return result, [w if isinstance(w, str) else json.dumps(w) for w in warnings]


def assert_same(capsys, monkeypatch, make_session, args, check_mode=False, diff=False):
    """Run the module and the plugin on equal clusters; the results and the requests must be the same."""
    module_session, plugin_session = make_session(), make_session()
    module_result = run_module(capsys, monkeypatch, module_session, args, check_mode, diff)
    plugin_result = run_plugin(monkeypatch, plugin_session, args, check_mode, diff)
    module_view, module_warnings = comparable(module_result)
    plugin_view, plugin_warnings = comparable(plugin_result)
    assert plugin_view == module_view
    assert len(plugin_warnings) == len(module_warnings)
    for plain, structured in zip(plugin_warnings, module_warnings):
        assert plain in structured
    assert plugin_session.requests == module_session.requests
    assert PASSWORD not in json.dumps(plugin_result)
    return plugin_result


def test_create_is_the_same(capsys, monkeypatch):
    result = assert_same(capsys, monkeypatch, FakeSession,
                         dict(CONNECTION, name='app-cache', memory_size='100MB', config={'replication': True}))
    assert result['changed'] is True and result['action_uid'] == 'act-1'
    assert 'failed' not in result
    assert 'diff' not in result


def test_update_with_diff_is_the_same(capsys, monkeypatch):
    result = assert_same(capsys, monkeypatch, lambda: FakeSession([bdb(memory_size=GIB)]),
                         dict(CONNECTION, name='app-cache', memory_size='2GB'), diff=True)
    assert result['changed'] is True
    assert result['diff']['after']['memory_size'] == 2 * GIB


def test_unchanged_is_the_same(capsys, monkeypatch):
    result = assert_same(capsys, monkeypatch, lambda: FakeSession([bdb(memory_size=GIB)]),
                         dict(CONNECTION, name='app-cache', memory_size='1GB'))
    assert result['changed'] is False


@pytest.mark.parametrize('args', [
    dict(name='app-cache', memory_size='2GB'),
    dict(name='new-db', memory_size='1GB'),
    dict(name='app-cache', state='absent', wait=True, wait_timeout=5),
])
def test_check_mode_is_the_same(capsys, monkeypatch, args):
    result = assert_same(capsys, monkeypatch, lambda: FakeSession([bdb(memory_size=GIB)]), dict(CONNECTION, **args),
                         check_mode=True, diff=True)
    assert result['changed'] is True
    assert 'actions' not in result


def test_wait_create_and_delete_are_the_same(capsys, monkeypatch):
    result = assert_same(capsys, monkeypatch, ActionsSession,
                         dict(CONNECTION, name='app-cache', memory_size='100MB', wait=True))
    assert [a['action_uid'] for a in result['actions']] == ['act-1']
    assert result['timed_out'] is False

    def deleted():
        session = ActionsSession([bdb(uid=3)])
        session.script('GET', '/v1/bdbs/3', FakeResponse(200, bdb(uid=3)),
                       FakeResponse(404, {'error_code': 'db_not_found', 'description': 'gone'}))
        return session
    monkeypatch.setattr('time.sleep', lambda seconds: None)
    result = assert_same(capsys, monkeypatch, deleted, dict(CONNECTION, name='app-cache', state='absent', wait=True))
    assert result['changed'] is True and result['actions'] == []


@pytest.mark.parametrize('make_session, args, text', [
    (lambda: FakeSession([bdb(uid=2), bdb(uid=7)]), dict(name='app-cache', memory_size='1GB'), '2, 7'),
    (FakeSession, dict(name='bad_name', memory_size='1GB'), 'not a valid database name'),
    (FakeSession, dict(name='app-cache'), 'memory_size is required'),
    (lambda: ActionsSession([bdb(status='creation-failed')], bdb_actions={1: [
        {'action_uid': 'c1', 'name': 'SMCreateBDB', 'status': 'failed', 'error': 'Not enough memory'}]}),
     dict(name='app-cache', memory_size='1GB'), 'Not enough memory'),
    (FakeSession, dict(name='app-cache', memory_size='1GB', wait_timeout=0), 'wait_timeout'),
])
def test_errors_are_the_same(capsys, monkeypatch, make_session, args, text):
    result = assert_same(capsys, monkeypatch, make_session, dict(CONNECTION, **args))
    assert result['failed'] is True
    assert text in result['msg']


def test_rs_error_keys_are_the_same(capsys, monkeypatch):
    def refused():
        session = FakeSession()
        session.script('POST', '/v1/bdbs', FakeResponse(400, {'error_code': 'invalid_schema', 'description': 'no'}))
        return session
    result = assert_same(capsys, monkeypatch, refused, dict(CONNECTION, name='app-cache', memory_size='1GB'))
    assert result['failed'] is True
    assert result['status'] == 400 and result['error_code'] == 'invalid_schema'


def test_busy_and_a_failed_wait_are_the_same(capsys, monkeypatch):
    def busy_then_failing():
        session = FakeSession([bdb()])
        session.script('PUT', '/v1/bdbs/1', FakeResponse(409, BUSY))
        session.script('GET', '/v1/actions/bdb/1', FakeResponse(200, []))
        session.script('GET', '/v2/actions/act-1', FakeResponse(200, {
            'action_uid': 'act-1', 'name': 'SMUpdateBDB', 'status': 'failed', 'progress': 10.0,
            'action_type': 'state-machine', 'error': 'out of memory'}))
        return session
    monkeypatch.setattr('time.sleep', lambda seconds: None)
    result = assert_same(capsys, monkeypatch, busy_then_failing,
                         dict(CONNECTION, name='app-cache', memory_size='2GB', wait=True))
    assert result['failed'] is True and 'out of memory' in result['msg']
    assert result['actions'][0]['status'] == 'failed'


def test_http_url_warns_and_secrets_stay_hidden(capsys, monkeypatch):
    args = dict(CONNECTION, url='http://cluster.example.com:8080', name='app-cache', memory_size='1GB',
                config={'authentication_redis_pass': PASSWORD})
    result = assert_same(capsys, monkeypatch, lambda: FakeSession([bdb()]), args)
    assert len(result['warnings']) == 1 and 'clear text' in result['warnings'][0]
    assert result['invocation']['module_args']['password'] != PASSWORD


def test_validation_fails_before_any_request(monkeypatch):
    session = FakeSession()
    result = run_plugin(monkeypatch, session, dict(CONNECTION, name='app-cache', bogus=1))
    assert result['failed'] is True and 'Unsupported parameters' in result['msg']
    result = run_plugin(monkeypatch, session, dict(CONNECTION, memory_size='1GB', wait_timeout='x-%s' % PASSWORD))
    assert result['failed'] is True
    assert PASSWORD not in json.dumps(result)
    result = run_plugin(monkeypatch, session, dict(CONNECTION, url='https://admin:t0p-secret@db.example.com',
                                                   name='app-cache'))
    assert result['failed'] is True and 't0p-secret' not in json.dumps(result)
    assert session.requests == []


def test_invocation_follows_the_core():
    always = rs_in_process.inject_invocation({})
    session = FakeSession([bdb()])
    with mock.patch.object(rs_client, 'new_session', return_value=session):
        result = make_plugin(dict(CONNECTION, name='app-cache')).run_on_controller(invocation=False)
    assert 'invocation' not in result and result['changed'] is False
    assert isinstance(always, bool)


@pytest.mark.parametrize('kwargs, local', [
    (dict(), True),
    (dict(transport='ssh'), False),
    (dict(async_val=60), False),
    (dict(environment=[{'REDIS_ENTERPRISE_URL': URL}]), True),       # read here, as the module would
    (dict(environment=[{'REDIS_ENTERPRISE_URL': URL}, {'HTTPS_PROXY': 'http://proxy:3128'}]), False),
    (dict(environment=[{'SSL_CERT_FILE': '/etc/ca.pem'}]), False),   # only the module sees other variables
    (dict(environment=[{}]), True),
    (dict(become=True), False),
])
def test_runs_in_process_only_when_equivalent(kwargs, local):
    assert rs_in_process.runs_on_controller(make_plugin(CONNECTION, **kwargs)) is local


@pytest.mark.parametrize('kwargs', [dict(transport='ssh'), dict(become=True), dict(async_val=60)])
def test_falls_back_to_the_module(monkeypatch, kwargs):
    plugin = make_plugin(dict(CONNECTION, name='app-cache'), **kwargs)
    plugin._connection.has_native_async = False
    executed = mock.Mock(return_value={'changed': False, 'database': {}})
    monkeypatch.setattr(plugin, '_execute_module', executed)
    monkeypatch.setattr(plugin, '_remove_tmp_path', mock.Mock())
    monkeypatch.setattr(plugin, 'run_on_controller', mock.Mock(side_effect=AssertionError('ran in-process')))
    monkeypatch.setattr('ansible.plugins.action.ActionBase.run', lambda self, tmp=None, task_vars=None: {})
    result = plugin.run(task_vars={})
    assert result == {'changed': False, 'database': {}}
    assert executed.call_args.kwargs['module_name'] == 'redis_enterprise.software.rs_database'
    assert executed.call_args.kwargs['wrap_async'] is bool(kwargs.get('async_val'))


def test_runs_in_process_for_a_local_connection(monkeypatch):
    plugin = make_plugin(dict(CONNECTION, name='app-cache'))
    monkeypatch.setattr(plugin, '_execute_module', mock.Mock(side_effect=AssertionError('ran the module')))
    monkeypatch.setattr('ansible.plugins.action.ActionBase.run', lambda self, tmp=None, task_vars=None: {})
    monkeypatch.setattr(rs_client, 'new_session', lambda: FakeSession([bdb()]))
    result = plugin.run(task_vars={})
    assert result['changed'] is False and result['database']['uid'] == 1


DB_PASSWORD = 'Db-Pa55-in-config'


@pytest.mark.parametrize('existing', [[], [bdb(memory_size=GIB, authentication_redis_pass=DB_PASSWORD)]])
def test_database_password_in_config_is_hidden_from_result_and_diff(capsys, monkeypatch, existing):
    """A password in config (created, or echoed by a cluster that returns it) is in no result and no diff, on both
    paths; the diff still shows the other fields."""
    args = dict(CONNECTION, name='app-cache', memory_size='2GB',
                config={'authentication_redis_pass': DB_PASSWORD, 'replication': False})
    module_result = run_module(capsys, monkeypatch, FakeSession(existing), args, diff=True)
    plugin_result = run_plugin(monkeypatch, FakeSession(existing), args, diff=True)
    for result in (module_result, plugin_result):
        assert DB_PASSWORD not in json.dumps(result)
        assert result['diff']['after']['memory_size'] == 2 * GIB
        assert result['changed'] is True
    assert comparable(plugin_result)[0] == comparable(module_result)[0]


@pytest.mark.parametrize('args', [
    dict(state='bogus'),                       # a choice outside the list fails inside AnsibleModule()
    dict(wait_timeout='soon'),                 # a number that is not one
    dict(no_such_option=1),                    # unsupported option
])
def test_database_password_in_config_hidden_when_another_option_fails_first(capsys, monkeypatch, args):
    args = dict(CONNECTION, name='app-cache', memory_size='1GB',
                config={'authentication_redis_pass': DB_PASSWORD, 'backup_location': {'secret_access_key': 'S3-key-x'}},
                **args)
    session = FakeSession()
    module_result = run_module(capsys, monkeypatch, session, args)
    plugin_result = run_plugin(monkeypatch, session, args)
    for result in (module_result, plugin_result):
        assert result['failed'] is True
        assert DB_PASSWORD not in json.dumps(result) and 'S3-key-x' not in json.dumps(result)
    assert module_result['invocation']['module_args']['config']['authentication_redis_pass'] != DB_PASSWORD
    assert session.requests == []


def test_task_environment_of_rs_variables_is_read_in_process(monkeypatch):
    """A task ``environment`` with REDIS_ENTERPRISE_* only runs here (no process, so no command line shows the
    password), read as the module reads it; the controller's own environment is left as it was."""
    for name in ('REDIS_ENTERPRISE_URL', 'REDIS_ENTERPRISE_USER', 'REDIS_ENTERPRISE_PASSWORD'):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv('REDIS_ENTERPRISE_USER', 'controller-user')
    session = FakeSession([bdb()])
    monkeypatch.setattr(rs_client, 'new_session', lambda: session)
    plugin = make_plugin(dict(name='app-cache'), environment=[{'REDIS_ENTERPRISE_URL': URL,
                                                               'REDIS_ENTERPRISE_USER': 'admin@example.com',
                                                               'REDIS_ENTERPRISE_PASSWORD': PASSWORD}])
    executed = mock.Mock(side_effect=AssertionError('ran the module'))
    monkeypatch.setattr(plugin, '_execute_module', executed)
    monkeypatch.setattr('ansible.plugins.action.ActionBase.run', lambda self, tmp=None, task_vars=None: {})
    result = plugin.run(task_vars={})
    assert result['changed'] is False and result['database']['name'] == 'app-cache', result
    assert session.requests and PASSWORD not in json.dumps(result)
    assert os.environ['REDIS_ENTERPRISE_USER'] == 'controller-user'
    assert 'REDIS_ENTERPRISE_PASSWORD' not in os.environ and 'REDIS_ENTERPRISE_URL' not in os.environ


def test_messages_stay_readable_when_secrets_are_masked(capsys, monkeypatch):
    """Masking hides secrets, not sentences: the refusal of a url with credentials reads whole on both paths."""
    args = dict(CONNECTION, url='https://admin:t0p-secret@db.example.com:9443', name='app-cache')
    for result in (run_module(capsys, monkeypatch, FakeSession(), args), run_plugin(monkeypatch, FakeSession(), args)):
        assert result['failed'] is True and 't0p-secret' not in json.dumps(result)
        assert 'give only scheme://host:port and set the username' in result['msg']
