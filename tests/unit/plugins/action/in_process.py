# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Helpers for the tests of the ``InProcessAction`` plugins: run a module's ``main()`` and its action plugin's
in-process run on two equal fake clusters (``RoutedSession``, the real client, no network) and compare."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from ansible.module_utils.common import warnings as common_warnings

from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_client
from ansible_collections.redis_enterprise.software.tests.unit.plugins.fake_http import RoutedSession
from ansible_collections.redis_enterprise.software.tests.unit.plugins.module_args import patch_module_args, with_invocation

URL = 'https://cluster.example.com:9443'
PASSWORD = 'Sup3r-s3cret-pw'
CONNECTION = dict(url=URL, username='admin@example.com', password=PASSWORD)


def no_sleep(monkeypatch):
    """The waits' polls follow each other at once (``time.sleep`` is looked up when called)."""
    monkeypatch.setattr('time.sleep', lambda seconds: None)


def run_module(capsys, monkeypatch, main, session, args, check_mode=False):
    """The module's result, run as on a target host (see ``modules/conftest.py``)."""
    try:
        from ansible.module_utils import _internal
        monkeypatch.setattr(_internal, 'is_controller', False, raising=False)
    except ImportError:  # ansible-core < 2.19
        pass
    monkeypatch.setattr(rs_client, 'new_session', lambda: session)
    # The warnings of a module are process-wide: an earlier module run must not add its own.
    monkeypatch.setattr(common_warnings, '_global_warnings', type(common_warnings._global_warnings)())
    with patch_module_args(with_invocation(dict(args, _ansible_check_mode=check_mode))):
        with pytest.raises(SystemExit) as exit_info:
            main()
    result = json.loads(capsys.readouterr().out)
    assert (exit_info.value.code not in (0, None)) == bool(result.get('failed'))
    return result


def make_plugin(action_class, args, transport='local', async_val=0, environment=None, become=False,
                check_mode=False, diff=False, no_log=False):
    """An instance of ``action_class`` for a task with ``args``, as the strategy builds it."""
    task = mock.MagicMock()
    task.args = dict(args)
    task.async_val = async_val
    task.environment = environment
    task.no_log = no_log
    task.check_mode = check_mode
    task.diff = diff
    connection = mock.MagicMock()
    connection.transport = transport
    play_context = mock.MagicMock()
    play_context.become = become
    templar = mock.MagicMock()
    templar.template.side_effect = lambda value, *args, **kwargs: value   # the task's values are plain already
    plugin = action_class(task, connection, play_context, loader=mock.MagicMock(), templar=templar,
                          shared_loader_obj=mock.MagicMock())
    plugin._load_name = action_class.MODULE_NAME  # set by the plugin loader
    return plugin


def run_plugin(monkeypatch, action_class, session, args, check_mode=False):
    monkeypatch.setattr(rs_client, 'new_session', lambda: session)
    return make_plugin(action_class, args, check_mode=check_mode).run_on_controller()


def comparable(result):
    """The result without what differs between two runs by nature: the elapsed time and the warnings' envelope
    (2.19+ modules return structured warnings)."""
    result = json.loads(json.dumps(result))
    result.pop('elapsed', None)
    warnings = result.pop('warnings', [])
    return result, [w if isinstance(w, str) else json.dumps(w) for w in warnings]


def requests_of(session):
    return [(c['method'], c['path'], c.get('params'), c.get('json')) for c in session.calls]


class Comparison:
    """``same(routes, args)``: the module and the plugin on two ``RoutedSession(routes())``; the results and the
    requests must be the same, and the password nowhere in the plugin's result."""

    def __init__(self, capsys, monkeypatch, main, action_class):
        self.capsys = capsys
        self.monkeypatch = monkeypatch
        self.main = main
        self.action_class = action_class

    def same(self, routes, args, check_mode=False):
        module_session, plugin_session = RoutedSession(routes()), RoutedSession(routes())
        no_sleep(self.monkeypatch)
        module_result = run_module(self.capsys, self.monkeypatch, self.main, module_session, dict(CONNECTION, **args),
                                   check_mode)
        no_sleep(self.monkeypatch)
        plugin_result = run_plugin(self.monkeypatch, self.action_class, plugin_session, dict(CONNECTION, **args),
                                   check_mode)
        module_view, module_warnings = comparable(module_result)
        plugin_view, plugin_warnings = comparable(plugin_result)
        assert plugin_view == module_view
        assert len(plugin_warnings) == len(module_warnings)
        for plain, structured in zip(plugin_warnings, module_warnings):
            assert plain in structured
        assert requests_of(plugin_session) == requests_of(module_session)
        assert PASSWORD not in json.dumps(plugin_result)
        return plugin_result, plugin_session

    def fails_before_any_request(self, args, text):
        """The plugin refuses ``args`` with ``text`` in its message, and sends nothing; the password is hidden."""
        session = RoutedSession({})
        result = run_plugin(self.monkeypatch, self.action_class, session, dict(CONNECTION, **args))
        assert result['failed'] is True and text in result['msg'], result
        assert PASSWORD not in json.dumps(result)
        assert session.calls == []
        return result

    def falls_back_to_the_module(self, args, **kwargs):
        """Any task the controller cannot run as the module would (``transport``, ``become``, ``async_val``) runs the
        module, ``MODULE_NAME``."""
        plugin = make_plugin(self.action_class, dict(CONNECTION, **args), **kwargs)
        plugin._connection.has_native_async = False
        executed = mock.Mock(return_value={'changed': False})
        self.monkeypatch.setattr(plugin, '_execute_module', executed)
        self.monkeypatch.setattr(plugin, '_remove_tmp_path', mock.Mock())
        self.monkeypatch.setattr(plugin, 'run_on_controller', mock.Mock(side_effect=AssertionError('ran in-process')))
        self.monkeypatch.setattr('ansible.plugins.action.ActionBase.run', lambda self, tmp=None, task_vars=None: {})
        assert plugin.run(task_vars={}) == {'changed': False}
        assert executed.call_args.kwargs['module_name'] == self.action_class.MODULE_NAME
        assert executed.call_args.kwargs['wrap_async'] is bool(kwargs.get('async_val'))

    def runs_in_process(self, routes, args):
        """A task on a local connection runs in this process, never the module."""
        plugin = make_plugin(self.action_class, dict(CONNECTION, **args))
        self.monkeypatch.setattr(plugin, '_execute_module', mock.Mock(side_effect=AssertionError('ran the module')))
        self.monkeypatch.setattr('ansible.plugins.action.ActionBase.run', lambda self, tmp=None, task_vars=None: {})
        self.monkeypatch.setattr(rs_client, 'new_session', lambda: RoutedSession(routes()))
        return plugin.run(task_vars={})


FALLBACKS = [dict(transport='ssh'), dict(become=True), dict(async_val=60)]
