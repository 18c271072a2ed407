# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Controller only: what the action plugins need to run a module's logic in the controller process.

* ``runs_on_controller(action)``: whether the task of ``action`` (an ``ActionBase``) may run in this process with
  the same outcome as the module run locally (local connection, no ``async``, no ``become``, no task
  ``environment`` other than ``REDIS_ENTERPRISE_*`` variables, ``requests`` importable).
* ``rs_task_environment(action)`` and ``environment_applied(variables)``: a task ``environment`` of
  ``REDIS_ENTERPRISE_*`` variables only is read here, as the module would read it (and no process gets the
  password on its command line).
* ``run_module(action, module_name, task_vars)``: the fallback, the module run as usual.
* ``inject_invocation(task_vars)``: whether a module run would return ``invocation``.
* ``secrets_of(args)``: the values no output may show whatever happens (the password, credentials in the url,
  database passwords in ``config``).
* ``finished_result(result, warnings, no_log_values, params, invocation)``: a result computed here, shaped and
  cleaned as the module's own (warnings, invocation, no secret).
* ``task_diff(action)``: whether diff mode is on for the task.
* ``InProcessAction``: the action plugin of a module whose logic is one function in ``module_utils``
  (``run(client, params, check_mode, **kwargs) -> (result, warnings)``); a subclass names the module, its
  argument spec and that function; ``validated_params()`` validates the task's arguments once, as ``AnsibleModule``.
"""

from __future__ import annotations

import contextlib
import os

from ansible import constants as C
from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.parameters import PASS_VARS, remove_values
from ansible.plugins.action import ActionBase

from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_client
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSError
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_module import rs_error_result


# The variables the modules read (rs_connection.ENV_*): a task environment of these only runs in-process.
RS_ENV_PREFIX = 'REDIS_ENTERPRISE_'


def rs_task_environment(action):
    """The task's ``environment`` (templated, as ansible-core passes it to a module) when it holds only
    ``REDIS_ENTERPRISE_*`` variables (``{}`` without one); None when it holds any other variable (a proxy, a CA
    bundle, ...: only the module sees those as it should) or cannot be read."""
    environment = action._task.environment  # pylint: disable=protected-access
    if not environment or not any(environment if isinstance(environment, list) else [environment]):
        return {}
    variables = {}
    try:
        action._compute_environment_string(raw_environment_out=variables)  # pylint: disable=protected-access
    except Exception:  # pylint: disable=broad-except
        return None  # the module path reports a bad environment as ansible-core does
    if any(not isinstance(name, str) or not name.startswith(RS_ENV_PREFIX) for name in variables):
        return None
    return dict((name, '' if value is None else str(value)) for name, value in variables.items())


@contextlib.contextmanager
def environment_applied(variables):
    """``os.environ`` with ``variables`` set for the block (where the options' environment fallbacks read them),
    restored afterwards."""
    saved = dict((name, os.environ.get(name)) for name in variables)
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def runs_on_controller(action):
    """Whether the task can run in this process with the same outcome as the module run locally."""
    if getattr(action._connection, 'transport', None) != 'local':  # pylint: disable=protected-access
        return False
    if action._task.async_val or getattr(action._play_context, 'become', False):  # pylint: disable=protected-access
        return False
    if rs_task_environment(action) is None:
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
    """The password, the credentials written into the url and the values under secret-looking keys of the dict
    options (``config.authentication_redis_pass``) of the task's raw ``args``."""
    hidden = set(rs_client.option_secrets(args))
    if isinstance(args.get('password'), str) and args['password']:
        hidden.add(args['password'])
    return hidden


def finished_result(result, warnings, no_log_values, params, invocation):
    """A module's result as the module would return it: its ``warnings``, ``invocation`` when asked, and neither
    ``no_log_values`` nor the secrets RS echoed in it (``rs_client.answer_secrets()``) anywhere."""
    if warnings:
        result['warnings'] = warnings
    no_log_values = no_log_values | rs_client.answer_secrets(result)  # before the invocation joins the result
    if invocation:
        result['invocation'] = dict(module_args=params)
    return remove_values(result, no_log_values)


def task_diff(action):
    """Whether diff mode is on for the task (what ansible-core passes to a module as ``_ansible_diff``)."""
    # pylint: disable=protected-access
    diff = getattr(action._task, 'diff', None)
    if diff is None:
        diff = getattr(action._play_context, 'diff', False)
    return bool(diff)


class InProcessAction(ActionBase):
    """The action plugin of a module whose logic runs in the controller process for local connections.

    A module run costs a packaged module and a new Python process. When the task runs on the controller anyway
    (``runs_on_controller``), the plugin validates the task's arguments once against the module's own argument
    spec (``ActionBase.validate_argument_spec``) and calls the very function the module's ``main()`` calls
    (``RSModule.run_and_exit``); otherwise it runs the module as usual. The result is the same either way: check
    mode, diff mode, warnings, ``invocation`` when the core would return it, an ``RSError`` as
    ``rs_error_result()``, the password and the ``no_log`` values masked.

    A subclass sets:

    * ``MODULE_NAME``: the module's full name, run when the task does not run here.
    * ``ARGUMENT_SPEC``: ``staticmethod`` of the function that returns the module's argument spec (the connection
      options included); ``CHECKS``: the ``required_one_of`` and such the module passes to ``AnsibleModule``.
    * ``RUN``: ``staticmethod`` of ``run(client, params, check_mode=..., **kwargs) -> (result, warnings)``.
    * ``DIFF``: whether ``RUN`` takes ``diff`` (the module supports diff mode).
    """

    _supports_check_mode = True
    _supports_async = True

    MODULE_NAME = None
    ARGUMENT_SPEC = None
    CHECKS = {}
    RUN = None
    DIFF = False

    def run(self, tmp=None, task_vars=None):
        result = super(InProcessAction, self).run(tmp, task_vars)
        del tmp  # tmp no longer has any effect

        if not runs_on_controller(self):
            result.update(run_module(self, self.MODULE_NAME, task_vars))
            return result
        with environment_applied(rs_task_environment(self)):
            result.update(self.run_here(task_vars))
        return result

    def run_here(self, task_vars):
        """The module's result, computed in this process (``run_on_controller``; a subclass may say more)."""
        return self.run_on_controller(invocation=inject_invocation(task_vars))

    def validated_params(self, argument_spec, checks):
        """``(params, no_log_values, None)``: the task's arguments validated once against ``argument_spec`` and
        ``checks`` (like ``AnsibleModule``), and what no output may show; ``(None, None, failure result)`` when they
        are invalid."""
        hidden = secrets_of(self._task.args)   # the password and credentials in the url, whatever happens
        try:
            validation, dummy = self.validate_argument_spec(argument_spec, **checks)
        except AnsibleActionFail as error:
            return None, None, remove_values(dict(failed=True, changed=False, msg=error.message), hidden)
        return validation.validated_parameters, hidden | validation._no_log_values, None  # pylint: disable=protected-access

    def run_on_controller(self, invocation=True, **wait_kwargs):
        """Validate the task's arguments once (like ``AnsibleModule``), run the module's logic here, return the
        module's result. ``wait_kwargs`` go to ``RUN`` (``clock``, ``sleep`` of a wait, in tests)."""
        params, no_log_values, failure = self.validated_params(self.ARGUMENT_SPEC(), self.CHECKS)
        if failure:
            return failure
        if self.DIFF:
            wait_kwargs['diff'] = task_diff(self)

        warnings = []
        client = None
        try:
            client = rs_client.RSClient.from_params(params, warn=warnings.append)
            client.read_retries = rs_client.READ_RETRIES
            result, more = self.RUN(client, params, check_mode=bool(self._task.check_mode), **wait_kwargs)
            warnings += more
        except RSError as error:
            result = dict(failed=True, **rs_error_result(error))
        finally:
            if client is not None:
                client.close()

        return finished_result(result, warnings, no_log_values, params, invocation)
