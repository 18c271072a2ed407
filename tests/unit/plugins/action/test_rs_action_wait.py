# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""rs_action_wait end to end without a network: the module (``main()``) and the action plugin's in-process path.

Both run the real client and ``ActionsAPI`` over a fake ``requests`` session, so they can be compared.
"""

from __future__ import annotations

import json
from unittest import mock
from urllib.parse import urlsplit

import pytest

from ansible.module_utils.common.parameters import PASS_VARS
from ansible_collections.redis_enterprise.software.plugins.action import rs_action_wait as action_plugin
from ansible_collections.redis_enterprise.software.plugins.action.rs_action_wait import ActionModule
from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_client
from ansible_collections.redis_enterprise.software.plugins.modules import rs_action_wait
from ansible_collections.redis_enterprise.software.plugins.plugin_utils import rs_in_process
from ansible_collections.redis_enterprise.software.plugins.plugin_utils.rs_printer import ProgressPrinter
from ansible_collections.redis_enterprise.software.tests.unit.plugins.action import in_process
from ansible_collections.redis_enterprise.software.tests.unit.plugins.fake_http import FakeResponse, InOrder, RoutedSession
from ansible_collections.redis_enterprise.software.tests.unit.plugins.module_args import patch_module_args, with_invocation

URL = 'https://cluster.example.com:9443'
PASSWORD = 'Sup3r-s3cret-pw'
CONNECTION = dict(url=URL, username='admin@example.com', password=PASSWORD)
UID = '0b6f3a52-8d1e-4c57-9a55-2f1c7d0e9b41'


def v2_action(status='completed', progress=100.0, error=None, uid=UID):
    action = {'action_uid': uid, 'action_type': 'state-machine', 'name': 'SMCreateBDB', 'progress': progress,
              'status': status, 'creation_time': 1768035600,
              'additional_info': {'object_type': 'bdb', 'object_uid': '3'}}
    if error:
        action['additional_info']['error'] = error
    return action


def run_module(capsys, args):
    with patch_module_args(with_invocation(args)):
        with pytest.raises(SystemExit) as exit_info:
            rs_action_wait.main()
    result = json.loads(capsys.readouterr().out)
    assert (exit_info.value.code not in (0, None)) == bool(result.get('failed'))
    return result


def make_plugin(args=None, **task):
    return in_process.make_plugin(ActionModule, args or {}, **task)


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


# --------------------------------------------------------------------------------------------- the module


def test_module_waits_and_returns_every_key(capsys, session_for):
    session = session_for({'/v2/actions/%s' % UID: v2_action()})
    result = run_module(capsys, dict(CONNECTION, uid=[UID]))
    assert result['changed'] is False
    assert result.get('failed') in (None, False)
    assert result['actions'][0]['status'] == 'completed'
    assert result['polls'] == 1
    assert result['api_version'] == 'v2'
    for key in ('actions', 'elapsed', 'polls', 'timed_out', 'history', 'transient_errors', 'api_version'):
        assert key in result
    assert [call['path'] for call in session.calls] == ['/v2/actions/%s' % UID]
    assert PASSWORD not in json.dumps(result)


def test_module_failure_is_one_fail_json_with_the_full_result(capsys, session_for):
    session_for({'/v2/actions/%s' % UID: v2_action('failed', 60.0, error='insufficient resources to place shards')})
    result = run_module(capsys, dict(CONNECTION, action_uid=UID))
    assert result['failed'] is True
    assert result['msg'] == 'Action SMCreateBDB %s on bdb:3 failed: insufficient resources to place shards' % UID
    assert result['timed_out'] is False
    assert result['actions'][0]['status'] == 'failed'
    assert result['history'] and result['transient_errors'] == []


@pytest.mark.parametrize('args, text', [
    (dict(uid=[UID], timeout=5, poll_interval=10), 'poll_interval'),
    (dict(uid=[UID], max_poll_interval=0.5), 'max_poll_interval'),
    (dict(uid=['a/b']), 'uid'),
    (dict(uid=[UID], missing_grace=-1), 'missing_grace'),
    (dict(object_name='bdb 3'), 'object_name'),
    (dict(uid=[UID], object_name='bdb:3'), 'mutually exclusive'),
    (dict(), 'one of the following is required'),
    (dict(uid=[UID], name='SMCreateBDB'), 'name'),
])
def test_module_rejects_bad_options_before_any_request(capsys, session_for, args, text):
    session = session_for({})
    result = run_module(capsys, dict(CONNECTION, **args))
    assert result['failed'] is True
    assert text in result['msg']
    assert session.calls == []


def test_module_survives_transient_errors(capsys, session_for, monkeypatch):
    monkeypatch.setattr('time.sleep', lambda seconds: None)
    path = '/v2/actions/%s' % UID
    session_for({path: InOrder(FakeResponse(503, {'error_code': 'busy', 'description': 'Cluster busy'}),
                               FakeResponse(200, b'<html>gateway</html>', content_type='text/html'),
                               v2_action())})
    result = run_module(capsys, dict(CONNECTION, uid=[UID], poll_interval=0.1))
    assert result.get('failed') in (None, False), result
    assert len(result['transient_errors']) == 2
    assert '503' in result['transient_errors'][0]['error']
    assert PASSWORD not in json.dumps(result)


# --------------------------------------------------------------------------------------------- the action plugin


def test_plugin_in_process_result_has_the_module_shape(capsys, session_for):
    session_for({'/v2/actions/%s' % UID: v2_action()})
    module_result = run_module(capsys, dict(CONNECTION, uid=[UID]))

    session_for({'/v2/actions/%s' % UID: v2_action()})
    plugin = make_plugin(args=dict(CONNECTION, uid=[UID]))
    clock = FakeClock()
    with mock.patch.object(action_plugin.display, 'display'):
        plugin_result = plugin.wait_on_controller(clock=clock, sleep=clock.sleep)
    for key in ('actions', 'elapsed', 'polls', 'timed_out', 'history', 'transient_errors', 'api_version', 'changed',
                'msg', 'finished', 'failed_actions', 'invocation'):
        assert key in plugin_result and key in module_result, key
    assert plugin_result['actions'] == module_result['actions']
    assert plugin_result['failed'] is False
    assert plugin_result['invocation']['module_args']['password'] != PASSWORD
    assert PASSWORD not in json.dumps(plugin_result)
    assert sorted(set(plugin_result) - {'failed'}) == sorted(set(module_result) - {'failed'})


def test_plugin_in_process_applies_env_fallbacks_and_defaults(session_for, monkeypatch):
    monkeypatch.setenv('REDIS_ENTERPRISE_URL', URL)
    monkeypatch.setenv('REDIS_ENTERPRISE_USER', 'admin@example.com')
    monkeypatch.setenv('REDIS_ENTERPRISE_PASSWORD', PASSWORD)
    session = session_for({'/v2/actions/%s' % UID: v2_action()})
    clock = FakeClock()
    with mock.patch.object(action_plugin.display, 'display'):
        result = make_plugin(args=dict(uids=UID)).wait_on_controller(clock=clock, sleep=clock.sleep)
    assert result['failed'] is False, result
    assert result['invocation']['module_args']['timeout'] == 600
    assert PASSWORD not in json.dumps(result)
    assert len(session.calls) == 1


@pytest.mark.parametrize('args, text', [
    (dict(uid=[UID], object_name='bdb:3'), 'mutually exclusive'),
    (dict(uid=[UID], bogus=1), 'Unsupported parameters'),
    (dict(uid=[UID], timeout=5, poll_interval=10), 'poll_interval'),
])
def test_plugin_in_process_validation_fails_before_any_request(session_for, args, text):
    session = session_for({})
    result = make_plugin(args=dict(CONNECTION, **args)).wait_on_controller()
    assert result['failed'] is True
    assert text in result['msg']
    assert session.calls == []
    assert PASSWORD not in json.dumps(result)


def test_plugin_prints_progress_lines(session_for):
    path = '/v2/actions/%s' % UID
    clock = FakeClock()

    def answer():
        # a 17 s linear action
        if clock.now >= 17:
            return v2_action()
        return v2_action('running', round(100 * clock.now / 17, 1))

    class TimedSession(RoutedSession):
        def request(self, method, url, **kwargs):
            self.calls.append(dict(path=urlsplit(url).path))
            return FakeResponse(200, answer())

    session = TimedSession({})
    with mock.patch.object(rs_client, 'new_session', return_value=session):
        with mock.patch.object(action_plugin.display, 'display') as shown:
            plugin = make_plugin(args=dict(CONNECTION, uid=[UID]))
            result = plugin.wait_on_controller(host='localhost', clock=clock, sleep=clock.sleep)
    assert result['failed'] is False
    lines = [call.args[0] for call in shown.call_args_list]
    assert lines[0] == '[localhost] bdb:3 SMCreateBDB running 0% (0 s)'
    assert lines[-1].startswith('[localhost] bdb:3 SMCreateBDB completed 100% (17 s)')
    seconds = [int(line.rsplit('(', 1)[1].split()[0]) for line in lines]
    gaps = [b - a for a, b in zip(seconds, seconds[1:])]
    assert max(gaps) <= 5, lines
    assert len(session.calls) <= 5


def test_plugin_no_log_prints_nothing(session_for):
    session_for({'/v2/actions/%s' % UID: v2_action()})
    with mock.patch.object(action_plugin.display, 'display') as shown:
        result = make_plugin(no_log=True, args=dict(CONNECTION, uid=[UID])).wait_on_controller()
    assert result['failed'] is False
    assert shown.call_count == 0


@pytest.mark.parametrize('kwargs, local', [
    (dict(), True),
    (dict(transport='ssh'), False),
    (dict(async_val=60), False),
    (dict(environment=[{'REDIS_ENTERPRISE_URL': URL}]), True),
    (dict(environment=[{'REDIS_ENTERPRISE_URL': URL, 'RS_RELIABILITY_FORCE_MODULE': '1'}]), False),
    (dict(environment=[{}]), True),
    (dict(become=True), False),
])
def test_plugin_runs_in_process_only_when_equivalent(kwargs, local):
    assert rs_in_process.runs_on_controller(make_plugin(**kwargs)) is local


def test_plugin_falls_back_to_the_module(monkeypatch):
    plugin = make_plugin(transport='ssh', args=dict(CONNECTION, uid=[UID]))
    plugin._connection.has_native_async = False
    executed = mock.Mock(return_value={'changed': False, 'polls': 1})
    monkeypatch.setattr(plugin, '_execute_module', executed)
    monkeypatch.setattr(plugin, '_remove_tmp_path', mock.Mock())
    monkeypatch.setattr('ansible.plugins.action.ActionBase.run', lambda self, tmp=None, task_vars=None: {})
    result = plugin.run(task_vars={})
    assert result == {'changed': False, 'polls': 1}
    assert executed.call_args.kwargs['module_name'] == 'redis_enterprise.software.rs_action_wait'
    assert executed.call_args.kwargs['wrap_async'] is False


def test_progress_printer_lines_at_least_every_five_seconds_during_long_sleeps():
    clock = FakeClock()
    lines = []
    printer = ProgressPrinter(lines.append, clock=clock, sleep=clock.sleep)
    printer.waiter = mock.Mock(elapsed=lambda: clock.now)
    running = {'action_uid': UID, 'name': 'SMCreateBDB', 'status': 'running', 'progress': 40.0, 'object_name': 'bdb:3'}
    printer.on_progress(dict(elapsed=0.0, actions=[running], status_changed=True, last_poll=0.0))
    printer.sleep(10)          # one poll 10 s later
    printer.on_progress(dict(elapsed=10.0, actions=[running], status_changed=False, last_poll=10.0))
    printer.sleep(10)
    # Between two polls, the status says how old it is: a stale percentage does not read as fresh.
    assert lines == ['bdb:3 SMCreateBDB running 40% (0 s)', 'bdb:3 SMCreateBDB running 40% as of 5 s ago (5 s)',
                     'bdb:3 SMCreateBDB running 40% (10 s)', 'bdb:3 SMCreateBDB running 40% as of 5 s ago (15 s)']
    assert clock.now == pytest.approx(20.0)


def test_progress_printer_says_retrying_at_least_every_five_seconds():
    clock = FakeClock()
    lines = []
    printer = ProgressPrinter(lines.append, clock=clock, sleep=clock.sleep)
    printer.waiter = mock.Mock(elapsed=lambda: clock.now)
    error = 'Cannot connect to the cluster at db.example.com:9443: connection refused'
    running = {'action_uid': UID, 'name': 'SMCreateBDB', 'status': 'running', 'progress': 40.0, 'object_name': 'bdb:3'}
    # No poll has succeeded yet: the retried error is the line.
    printer.on_progress(dict(elapsed=0.0, actions=[], status_changed=False, retrying=error, attempts=1, last_poll=None))
    printer.sleep(12)
    printer.on_progress(dict(elapsed=12.0, actions=[], status_changed=False, retrying=error, attempts=2, last_poll=None))
    printer.sleep(3)
    printer.on_progress(dict(elapsed=15.0, actions=[running], status_changed=True, retrying=None, attempts=0,
                             last_poll=15.0))
    assert lines[0] == 'retrying: %s (1 failed attempt in a row) (0 s)' % error
    assert lines[1:3] == ['retrying: %s (1 failed attempt in a row) (5 s)' % error,
                          'retrying: %s (1 failed attempt in a row) (10 s)' % error]
    # The second failure came 2 s after the last line: the next line is due at 15 s, when the poll succeeded.
    assert lines[3:] == ['bdb:3 SMCreateBDB running 40% (15 s)']


def test_progress_printer_prints_the_first_error_after_good_polls_at_once():
    clock = FakeClock()
    lines = []
    printer = ProgressPrinter(lines.append, clock=clock, sleep=clock.sleep)
    running = {'action_uid': UID, 'name': 'SMCreateBDB', 'status': 'running', 'progress': 40.0, 'object_name': 'bdb:3'}
    printer.on_progress(dict(elapsed=0.0, actions=[running], status_changed=True, last_poll=0.0))
    clock.now = 1.0
    printer.on_progress(dict(elapsed=1.0, actions=[running], status_changed=False, retrying='RS failed (503)',
                             attempts=1, last_poll=0.0))
    assert lines == ['bdb:3 SMCreateBDB running 40% (0 s)', 'retrying: RS failed (503) (1 failed attempt in a row) (1 s)']


def test_plugin_hides_credentials_written_into_the_url(session_for):
    session = session_for({})
    args = dict(CONNECTION, url='https://admin:t0p-secret@cluster.example.com:9443', uid=[UID])
    result = make_plugin(args=args).wait_on_controller()
    assert result['failed'] is True
    assert 'url must not contain credentials' in result['msg']
    assert 't0p-secret' not in json.dumps(result)
    assert session.calls == []


def test_plugin_validation_error_never_shows_the_password(session_for):
    session_for({})
    result = make_plugin(args=dict(CONNECTION, uid=[UID], timeout='not-%s' % PASSWORD)).wait_on_controller()
    assert result['failed'] is True
    assert 'timeout' in result['msg']
    assert PASSWORD not in json.dumps(result)


def test_plugin_http_url_warns_like_the_module(session_for):
    session_for({'/v2/actions/%s' % UID: v2_action()})
    with mock.patch.object(action_plugin.display, 'display'):
        result = make_plugin(args=dict(CONNECTION, url='http://cluster.example.com:8080', uid=[UID])).wait_on_controller(
            clock=FakeClock(), sleep=lambda seconds: None)
    assert result['failed'] is False, result
    assert len(result['warnings']) == 1 and 'clear text' in json.dumps(result['warnings'][0])


def test_invocation_is_returned_when_the_core_would_return_it():
    always = 'inject_invocation' not in PASS_VARS   # ansible-core < 2.21 always returns invocation
    assert rs_in_process.inject_invocation({}) is always
    assert rs_in_process.inject_invocation({'ansible_inject_invocation': True}) is True
