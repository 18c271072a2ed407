# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin of ``rs_action_wait``: shows progress lines on the controller while the wait runs.

A module cannot print while it runs. When the task runs on the controller anyway (local connection, no
``async``, no task ``environment``, no ``become``, ``requests`` importable), this plugin runs the very
same wait loop (``module_utils/rs_wait.py``) in the controller process, after validating the arguments
once against the very same argument spec (``ActionBase.validate_argument_spec``), and prints a line at each
status change and at least every ``PROGRESS_EVERY`` seconds (``plugin_utils/rs_printer.py``). Otherwise it
runs the module as usual. The result has the same shape either way.
"""

from __future__ import annotations

import time

from ansible.errors import AnsibleActionFail
from ansible import constants as C
from ansible.module_utils.common.parameters import PASS_VARS, remove_values
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_client
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_actions import ActionsAPI
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSError
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_module import rs_error_result
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait_params import (
    wait_argument_spec,
    wait_module_kwargs,
    waiter_from_params,
)
from ansible_collections.redis_enterprise.software.plugins.plugin_utils.rs_printer import ProgressPrinter

display = Display()

MODULE_NAME = 'redis_enterprise.software.rs_action_wait'


def _inject_invocation(task_vars):
    """Whether a module run would return ``invocation``: always before ansible-core 2.21, then only when the
    ``INJECT_INVOCATION`` setting asks for it."""
    if 'inject_invocation' not in PASS_VARS:
        return True
    return bool(C.config.get_config_value('INJECT_INVOCATION', variables=task_vars or {}))


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp  # tmp no longer has any effect

        if not self._runs_on_controller():
            wrap_async = bool(self._task.async_val) and not self._connection.has_native_async
            result.update(self._execute_module(module_name=MODULE_NAME, module_args=self._task.args,
                                               task_vars=task_vars, wrap_async=wrap_async))
            if not wrap_async:
                self._remove_tmp_path(self._connection._shell.tmpdir)
            return result

        host = (task_vars or {}).get('inventory_hostname')
        result.update(self.wait_on_controller(host=host, invocation=_inject_invocation(task_vars)))
        return result

    def _runs_on_controller(self):
        """Whether the wait can run in this process with the same outcome as the module run locally."""
        if getattr(self._connection, 'transport', None) != 'local':
            return False
        if self._task.async_val or getattr(self._play_context, 'become', False):
            return False
        environment = self._task.environment
        if environment and any(environment if isinstance(environment, list) else [environment]):
            return False
        return rs_client.HAS_REQUESTS

    def wait_on_controller(self, host=None, clock=time.monotonic, sleep=time.sleep, invocation=True):
        """Validate the task's arguments once (like ``AnsibleModule``), run the wait loop here, return the module's result."""
        # Hidden from every output, whatever happens: the password and credentials written into the url.
        args = self._task.args
        hidden = set(rs_client.url_secrets(args.get('url')))
        if isinstance(args.get('password'), str) and args['password']:
            hidden.add(args['password'])
        try:
            validation, dummy = self.validate_argument_spec(wait_argument_spec(), **wait_module_kwargs())
        except AnsibleActionFail as error:
            return remove_values(dict(failed=True, changed=False, msg=error.message), hidden)
        no_log_values = hidden | validation._no_log_values  # pylint: disable=protected-access
        params = validation.validated_parameters

        printer = None
        if not self._task.no_log:
            printer = ProgressPrinter(display.display, clock=clock, sleep=sleep,
                                      prefix='[%s] ' % host if host else '')
        warnings = []
        client = None
        try:
            client = rs_client.RSClient.from_params(params, warn=warnings.append)
            api = ActionsAPI(client, api_version=params['api_version'])
            waiter = waiter_from_params(api, client, params, clock=clock,
                                        sleep=printer.sleep if printer else sleep,
                                        on_progress=printer.on_progress if printer else None)
            if printer:
                printer.waiter = waiter
            result = waiter.run()
        except RSError as error:
            result = dict(failed=True, changed=False, **rs_error_result(error))
        finally:
            if client is not None:
                client.close()

        warnings += result.pop('warnings', [])
        if warnings:
            result['warnings'] = warnings
        if invocation:
            result['invocation'] = dict(module_args=params)
        return remove_values(result, no_log_values)
