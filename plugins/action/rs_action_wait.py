# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin of ``rs_action_wait``: shows progress lines on the controller while the wait runs.

A module cannot print while it runs. When the task runs on the controller anyway (local connection, no
``async``, no task ``environment`` but ``REDIS_ENTERPRISE_*`` variables, no ``become``, ``requests``
importable), this plugin runs the very same wait loop (``module_utils/rs_wait.py``) in the controller process, after validating the arguments
once against the very same argument spec (``ActionBase.validate_argument_spec``), and prints a line at each
status change and at least every ``PROGRESS_EVERY`` seconds (``plugin_utils/rs_printer.py``). Otherwise it
runs the module as usual. The result has the same shape either way.
"""

from __future__ import annotations

import time

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
from ansible_collections.redis_enterprise.software.plugins.plugin_utils.rs_in_process import (
    InProcessAction,
    finished_result,
    inject_invocation,
)
from ansible_collections.redis_enterprise.software.plugins.plugin_utils.rs_printer import ProgressPrinter

display = Display()

MODULE_NAME = 'redis_enterprise.software.rs_action_wait'


class ActionModule(InProcessAction):
    """``InProcessAction`` decides where the wait runs; here it runs with progress lines named after the host."""

    MODULE_NAME = MODULE_NAME

    def run_here(self, task_vars):
        host = (task_vars or {}).get('inventory_hostname')
        return self.wait_on_controller(host=host, invocation=inject_invocation(task_vars))

    def wait_on_controller(self, host=None, clock=time.monotonic, sleep=time.sleep, invocation=True):
        """Validate the task's arguments once (like ``AnsibleModule``), run the wait loop here, return the module's result."""
        params, no_log_values, failure = self.validated_params(wait_argument_spec(), wait_module_kwargs())
        if failure:
            return failure

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
        return finished_result(result, warnings, no_log_values, params, invocation)
