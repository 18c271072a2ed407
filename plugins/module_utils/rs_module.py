# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""The edge every module shares: options in, one client, one way to report an ``RSError``, client closed.

Every module of the collection has the same ``main()``::

    from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_module import RSModule

    def main():
        module = RSModule(argument_spec=dict(uid=dict(type='int', required=True)), supports_check_mode=True)
        with module.errors_reported():
            client = module.client(read_retries=READ_RETRIES)
            database = client.get(('v1', 'bdbs', module.params['uid']))
        module.exit_json(changed=False, database=database)

* ``RSModule(argument_spec, **kwargs)`` is an ``AnsibleModule`` whose argument spec is the connection options
  (``connection_argument_spec()``) plus ``argument_spec``; ``kwargs`` go to ``AnsibleModule``
  (``supports_check_mode``, ``mutually_exclusive``, ...). Credentials written into ``url`` and the values under
  secret-looking keys of ``config``/``params`` (``rs_client.option_secrets()``) are hidden from every output at once.
* ``module.client(read_retries=0)`` builds the ``RSClient`` once (``RSClient.from_params``); without the
  ``requests`` library the module fails with ``missing_required_lib('requests')``.
* ``with module.errors_reported():`` turns an ``RSError`` raised inside into ``fail_json`` with
  ``rs_error_result(error)``: ``msg`` is ``error_message(error)``, plus ``status``, ``error_code`` and
  ``description`` when RS sent them.
* ``module.exit_json()`` / ``module.fail_json()`` close the client first (so does ``module.close()``) and hide the
  secrets RS echoes in the result (``rs_client.answer_secrets()``: ``authentication_redis_pass`` of a database).
* ``module.run_and_exit(run, **kwargs)``: the ``main()`` of a module whose logic is one function shared with its
  action plugin, ``run(client, params, check_mode=..., **kwargs) -> (result, warnings)`` (``rs_bdb_run``,
  ``rs_info_run``, ``rs_ops_run``).
"""

from __future__ import annotations

import contextlib

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_client
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSError, error_message


def rs_error_result(error):
    """The failure keys of ``error``: ``msg`` (``error_message()``) and ``RSError.to_result()``."""
    result = dict(msg=error_message(error))
    result.update(error.to_result())
    return result


class _SecretsHidingModule(AnsibleModule):
    """An ``AnsibleModule`` that hides ``option_secrets(params)`` (credentials in the url, the values under
    secret-looking keys of ``config`` or ``params``) from its result, its ``invocation`` and its syslog line, also
    when it fails inside ``AnsibleModule()`` because another option is invalid."""

    def _hide_option_secrets(self):
        self.no_log_values.update(rs_client.option_secrets(getattr(self, 'params', None)))

    def _log_invocation(self):
        self._hide_option_secrets()
        super(_SecretsHidingModule, self)._log_invocation()

    def _return_formatted(self, kwargs):
        self._hide_option_secrets()
        super(_SecretsHidingModule, self)._return_formatted(kwargs)


class RSModule:
    """An ``AnsibleModule`` with the connection options, one ``RSClient`` and one way to fail."""

    def __init__(self, argument_spec=None, **kwargs):
        spec = rs_client.connection_argument_spec()
        spec.update(argument_spec or {})
        # A password written into the url is refused by the client, and config may hold database passwords:
        # neither may reach the result, the invocation or the log, even when another option fails validation.
        self.module = _SecretsHidingModule(argument_spec=spec, **kwargs)
        self.module.no_log_values.update(rs_client.option_secrets(self.module.params))
        self._client = None

    @property
    def params(self):
        return self.module.params

    @property
    def check_mode(self):
        return self.module.check_mode

    @property
    def diff(self):
        """Whether diff mode is on (``--diff``)."""
        return self.module._diff  # pylint: disable=protected-access

    def warn(self, warning):
        self.module.warn(warning)

    def client(self, read_retries=0):
        """The ``RSClient`` of this run, built on first use; ``read_retries`` applies to GETs (see ``RSClient.get``)."""
        if self._client is None:
            if not rs_client.HAS_REQUESTS:
                self.module.fail_json(msg=missing_required_lib('requests'), exception=rs_client.REQUESTS_IMPORT_ERROR)
            self._client = rs_client.RSClient.from_params(self.params, warn=self.module.warn)
        self._client.read_retries = read_retries
        return self._client

    def close(self):
        """Close the client's session (if a client was built); safe to call twice."""
        client, self._client = self._client, None
        if client is not None:
            client.close()

    @contextlib.contextmanager
    def errors_reported(self):
        """Report an ``RSError`` raised in the block with ``fail_json(**rs_error_result(error))``."""
        try:
            yield self
        except RSError as error:
            self.fail_json(**rs_error_result(error))

    def run_and_exit(self, run, **kwargs):
        """Run the module's logic, shared with its action plugin, and exit with its result.

        ``run(client, params, check_mode=..., **kwargs)`` returns ``(result, warnings)``; a result with ``failed``
        ends in ``fail_json``, an ``RSError`` as in ``errors_reported()``. The client retries transient GET errors.
        """
        with self.errors_reported():
            client = self.client(read_retries=rs_client.READ_RETRIES)
            result, warnings = run(client, self.params, check_mode=self.check_mode, **kwargs)
        for warning in warnings:
            self.warn(warning)
        if result.get('failed'):
            self.fail_json(**result)
        self.exit_json(**result)

    def exit_json(self, **result):
        self.close()
        self.module.no_log_values.update(rs_client.answer_secrets(result))
        self.module.exit_json(**result)

    def fail_json(self, msg, **result):
        self.close()
        self.module.no_log_values.update(rs_client.answer_secrets(result))
        self.module.fail_json(msg=msg, **result)
