# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin of ``rs_action_wait``: shows progress lines on the controller while the wait runs.

A module cannot print while it runs. When the task runs on the controller anyway (local connection, no
``async``, no task ``environment``, no ``become``, ``requests`` importable), this plugin runs the very
same wait loop (``module_utils/rs_wait.py``) in the controller process, after validating the arguments
against the very same argument spec, and prints a line at each status change and at least every
``PROGRESS_EVERY`` seconds. Otherwise it runs the module as usual. The result has the same shape
either way.
"""

from __future__ import annotations

import time

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_client
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_actions import ActionsAPI
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSConfigError, RSError
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait_params import (
    validate_wait_params,
    wait_argument_spec,
    wait_module_kwargs,
    waiter_from_params,
)
from ansible_collections.redis_enterprise.software.plugins.plugin_utils.rs_progress_lines import progress_lines, retry_line

display = Display()

MODULE_NAME = 'redis_enterprise.software.rs_action_wait'
PROGRESS_EVERY = 5.0


class _ModuleShim:
    """Just enough of ``AnsibleModule`` for ``RSClient.from_module()``."""

    def __init__(self, params):
        self.params = params
        self.warnings = []
        self.no_log_values = set()

    def warn(self, warning):
        self.warnings.append(warning)

    def fail_json(self, msg, **kwargs):  # pylint: disable=unused-argument
        raise RSConfigError(msg)


class ProgressPrinter:
    """Prints progress lines: after a poll that changed a status, and at least every ``every`` seconds.

    While transient errors are retried, the line is ``retrying: <error> ...`` (at once, then at least every ``every``
    seconds). A status printed between two polls says how old it is (``running 40% as of 8 s ago``).
    """

    def __init__(self, emit, clock=time.monotonic, sleep=time.sleep, every=PROGRESS_EVERY, prefix=''):
        self.emit = emit
        self.clock = clock
        self._sleep = sleep
        self.every = every
        self.prefix = prefix
        self.waiter = None
        self.actions = None
        self.last_line = None
        self.snapshot = None

    def _elapsed(self):
        return self.waiter.elapsed() if self.waiter is not None else (self.snapshot or {}).get('elapsed', 0)

    def _print(self, elapsed, fresh=True):
        snapshot = self.snapshot or {}
        if snapshot.get('retrying'):
            lines = [retry_line(snapshot['retrying'], snapshot.get('attempts') or 1, elapsed)]
        else:
            seen_ago = None
            if not fresh and snapshot.get('last_poll') is not None:
                seen_ago = elapsed - snapshot['last_poll']
            lines = progress_lines(self.actions, elapsed, seen_ago)
        for line in lines:
            self.emit(self.prefix + line)
        self.last_line = self.clock()

    def _has_something(self):
        return self.actions is not None or bool((self.snapshot or {}).get('retrying'))

    def on_progress(self, snapshot):
        """Called by the waiter after every poll."""
        first = self.last_line is None
        retrying_before = bool((self.snapshot or {}).get('retrying'))
        self.snapshot = snapshot
        if snapshot.get('actions'):
            self.actions = snapshot['actions']
        if not self._has_something():
            return
        if snapshot.get('retrying'):
            due = first or not retrying_before or self.clock() - self.last_line >= self.every
        else:
            due = first or retrying_before or snapshot.get('status_changed') or self.clock() - self.last_line >= self.every
        if due:
            self._print(snapshot['elapsed'])

    def sleep(self, seconds):
        """Sleep ``seconds`` in slices, printing the last known status (or the retried error) whenever a line is due."""
        end = self.clock() + seconds
        while True:
            now = self.clock()
            if now >= end:
                return
            if self._has_something() and self.last_line is not None and now - self.last_line >= self.every:
                self._print(self._elapsed(), fresh=False)
                continue
            due = end if self.last_line is None or not self._has_something() else min(end, self.last_line + self.every)
            self._sleep(max(due - now, 0.0))


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
        result.update(self.wait_on_controller(self._task.args, host=host))
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

    def wait_on_controller(self, args, host=None, clock=time.monotonic, sleep=time.sleep):
        """Validate ``args`` like ``AnsibleModule`` does, run the wait loop here, return the module's result."""
        validator = ArgumentSpecValidator(wait_argument_spec(), **wait_module_kwargs())
        validation = validator.validate(args)
        no_log_values = validation._no_log_values  # pylint: disable=protected-access
        params = validation.validated_parameters
        if validation.error_messages:
            msg = validation.errors.msg
            if isinstance(validation.errors[0], UnsupportedError):
                msg = 'Unsupported parameters for (%s) module: %s' % (MODULE_NAME, msg)
            return remove_values(dict(failed=True, changed=False, msg=msg), no_log_values)

        printer = None
        if not self._task.no_log:
            printer = ProgressPrinter(display.display, clock=clock, sleep=sleep,
                                      prefix='[%s] ' % host if host else '')
        shim = _ModuleShim(params)
        shim.no_log_values = no_log_values  # from_module() adds credentials found in the url
        client = None
        try:
            validate_wait_params(params)
            client = rs_client.RSClient.from_module(shim)
            api = ActionsAPI(client, api_version=params['api_version'])
            waiter = waiter_from_params(api, client, params, clock=clock,
                                        sleep=printer.sleep if printer else sleep,
                                        on_progress=printer.on_progress if printer else None)
            if printer:
                printer.waiter = waiter
            result = waiter.run()
        except RSError as error:
            result = dict(failed=True, changed=False, msg=str(error), **error.to_result())
        finally:
            if client is not None:
                client.close()

        warnings = shim.warnings + result.pop('warnings', [])
        if warnings:
            result['warnings'] = warnings
        result['invocation'] = dict(module_args=params)
        return remove_values(result, no_log_values)
