# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin of ``rs_database``: runs the module's logic in the controller process for local connections.

A module run costs a packaged module and a new Python process (about half a second of CPU); the ``rs_provision``
role runs ``rs_database`` once per database. When the task runs on the controller anyway
(``plugin_utils/rs_in_process.runs_on_controller``), this plugin validates the arguments once against the module's
own argument spec (``ActionBase.validate_argument_spec``) and runs the very same code
(``module_utils/rs_bdb_run.run_database``) here, ``wait`` included. Otherwise it runs the module as usual. The result
is the same either way: check mode, diff mode, warnings, ``invocation`` when the core would return it, and the
password and the ``no_log`` values masked.
"""

from __future__ import annotations

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase

from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_client
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb_run import (
    database_argument_spec,
    run_database,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSError
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_module import rs_error_result
from ansible_collections.redis_enterprise.software.plugins.plugin_utils.rs_in_process import (
    inject_invocation,
    run_module,
    runs_on_controller,
    secrets_of,
    task_diff,
)

MODULE_NAME = 'redis_enterprise.software.rs_database'


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp  # tmp no longer has any effect

        if not runs_on_controller(self):
            result.update(run_module(self, MODULE_NAME, task_vars))
            return result
        result.update(self.run_on_controller(invocation=inject_invocation(task_vars)))
        return result

    def run_on_controller(self, invocation=True, **wait_kwargs):
        """Validate the task's arguments once (like ``AnsibleModule``), run ``rs_database`` here, return the module's
        result. ``wait_kwargs`` go to the wait (``clock``, ``sleep`` in tests)."""
        hidden = secrets_of(self._task.args)
        try:
            validation, dummy = self.validate_argument_spec(database_argument_spec())
        except AnsibleActionFail as error:
            return remove_values(dict(failed=True, changed=False, msg=error.message), hidden)
        no_log_values = hidden | validation._no_log_values  # pylint: disable=protected-access
        params = validation.validated_parameters

        warnings = []
        client = None
        try:
            client = rs_client.RSClient.from_params(params, warn=warnings.append)
            client.read_retries = rs_client.READ_RETRIES
            result, more = run_database(client, params, check_mode=bool(self._task.check_mode),
                                        diff=task_diff(self), **wait_kwargs)
            warnings += more
        except RSError as error:
            result = dict(failed=True, **rs_error_result(error))
        finally:
            if client is not None:
                client.close()

        if warnings:
            result['warnings'] = warnings
        if invocation:
            result['invocation'] = dict(module_args=params)
        return remove_values(result, no_log_values)
