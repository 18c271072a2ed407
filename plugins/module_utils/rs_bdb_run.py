# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""One run of ``rs_database``, shared by the module and its action plugin (which runs it in the controller process
for local connections).

* ``database_argument_spec()``: the options of ``rs_database`` (the connection options included).
* ``run_database(client, params, check_mode, diff)``: validate the options, ensure the state, wait when asked;
  returns ``(result, warnings)``. A failed wait is ``result['failed'] = True`` with ``result['msg']``; any other
  failure raises ``RSError``.
"""

from __future__ import annotations

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_await import (
    await_argument_spec,
    validate_await_params,
    wait_for_database,
    wait_summary,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb import DatabaseManager, get_bdb
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb_busy import make_busy_waiter
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb_spec import validate_params
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_client import FINITE_INT, connection_argument_spec


def database_argument_spec():
    """A fresh argument spec of ``rs_database``: the connection options, the database options, ``wait``."""
    spec = connection_argument_spec()
    spec.update(
        name=dict(type='str', required=True),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        memory_size=dict(type='raw'),
        config=dict(type='dict'),
        uid=dict(type=FINITE_INT),
        update_password=dict(type='str', default='on_create', choices=['on_create', 'always'], no_log=False),
    )
    spec.update(await_argument_spec())
    return spec


def run_database(client, params, check_mode=False, diff=False, **wait_kwargs):
    """Run ``rs_database`` with the validated ``params`` on ``client``; return ``(result, warnings)``.

    ``result`` has ``diff`` only when ``diff`` is true; ``wait_kwargs`` go to the wait (``clock``, ``sleep`` in
    tests). Raises ``RSError`` (options are validated before any request is sent).
    """
    options = validate_params(params['name'], params['state'], params['memory_size'], params['config'],
                              params['uid'], params['update_password'])
    wait, wait_timeout = validate_await_params(params)
    manager = DatabaseManager(client, check_mode=check_mode, wait_busy=make_busy_waiter(client))
    result = manager.run(**options)
    waited = None
    if wait and not check_mode:
        waited = wait_for_database(client, result, options['state'], wait_timeout, bdb_uid=manager.target_uid,
                                   **wait_kwargs)
        result.update(wait_summary(waited))
        uid = (result.get('database') or {}).get('uid')
        if options['state'] == 'present' and uid is not None and not waited.get('timed_out'):
            result['database'] = get_bdb(client, uid) or result['database']
    warnings = manager.warnings + list((waited or {}).get('warnings') or [])
    changes = result.pop('diff')
    if diff:
        result['diff'] = changes
    if waited is not None and waited.get('failed'):
        result.update(failed=True, msg=waited['msg'])
    return result, warnings
