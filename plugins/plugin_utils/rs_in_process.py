# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Controller only: what the action plugins need to run a module's logic in the controller process.

* ``runs_on_controller(action)``: whether the task of ``action`` (an ``ActionBase``) may run in this process with
  the same outcome as the module run locally (local connection, no ``async``, no ``become``, no task
  ``environment``, ``requests`` importable).
* ``run_module(action, module_name, task_vars)``: the fallback, the module run as usual.
* ``inject_invocation(task_vars)``: whether a module run would return ``invocation``.
* ``secrets_of(args)``: the values no output may show whatever happens (the password, credentials in the url).
* ``task_diff(action)``: whether diff mode is on for the task.
"""

from __future__ import annotations

from ansible import constants as C
from ansible.module_utils.common.parameters import PASS_VARS

from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_client


def runs_on_controller(action):
    """Whether the task can run in this process with the same outcome as the module run locally."""
    if getattr(action._connection, 'transport', None) != 'local':  # pylint: disable=protected-access
        return False
    if action._task.async_val or getattr(action._play_context, 'become', False):  # pylint: disable=protected-access
        return False
    environment = action._task.environment  # pylint: disable=protected-access
    if environment and any(environment if isinstance(environment, list) else [environment]):
        return False
    return rs_client.HAS_REQUESTS


def run_module(action, module_name, task_vars):
    """Run ``module_name`` with the task's arguments as ``ActionBase`` does; return its result."""
    # pylint: disable=protected-access
    wrap_async = bool(action._task.async_val) and not action._connection.has_native_async
    result = action._execute_module(module_name=module_name, module_args=action._task.args, task_vars=task_vars,
                                    wrap_async=wrap_async)
    if not wrap_async:
        action._remove_tmp_path(action._connection._shell.tmpdir)
    return result


def inject_invocation(task_vars):
    """Whether a module run would return ``invocation``: always before ansible-core 2.21, then only when the
    ``INJECT_INVOCATION`` setting asks for it."""
    if 'inject_invocation' not in PASS_VARS:
        return True
    return bool(C.config.get_config_value('INJECT_INVOCATION', variables=task_vars or {}))


def secrets_of(args):
    """The password and the credentials written into the url of the task's raw ``args``."""
    hidden = set(rs_client.url_secrets(args.get('url')))
    if isinstance(args.get('password'), str) and args['password']:
        hidden.add(args['password'])
    return hidden


def task_diff(action):
    """Whether diff mode is on for the task (what ansible-core passes to a module as ``_ansible_diff``)."""
    # pylint: disable=protected-access
    diff = getattr(action._task, 'diff', None)
    if diff is None:
        diff = getattr(action._play_context, 'diff', False)
    return bool(diff)
