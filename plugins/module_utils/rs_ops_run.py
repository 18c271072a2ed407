# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""One run of ``rs_database_action`` and of ``rs_node_action``, each shared by the module and its action plugin
(which runs it in the controller process for local connections).

* ``database_action_argument_spec()``, ``DATABASE_ACTION_CHECKS`` (the ``required_one_of`` of the module),
  ``run_database_action(client, params, check_mode)``.
* ``node_action_argument_spec()``, ``run_node_action(client, params, check_mode)``.

Each spec holds the connection options and ``wait``/``wait_timeout``; each run validates the options before any
request, starts the action, waits when asked (not in check mode) and returns ``(result, warnings)``. A failed wait
is ``result['failed'] = True`` with ``result['msg']``; any other failure raises ``RSError``. ``wait_kwargs`` go to
the wait (``clock``, ``sleep`` in tests).
"""

from __future__ import annotations

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_await import (
    await_argument_spec,
    validate_await_params,
    wait_for_node_action,
    wait_for_operation,
    wait_for_uid_or,
    wait_summary,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_client import FINITE_INT, connection_argument_spec
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSNotFound
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_operations import (
    BDB_OPERATIONS,
    NODE_ACTIONS,
    DatabaseOperation,
    NodeOperation,
    split_params,
    validate_node_uid,
)

# How long a node action's uid may stay unknown to the actions API before the wait follows the node's action status
# (GET /v1/nodes/<uid>/actions/<action>) instead.
NODE_MISSING_GRACE = 10.0

# The checks of rs_database_action's options beyond the spec (AnsibleModule and validate_argument_spec keywords).
DATABASE_ACTION_CHECKS = dict(required_one_of=[['name', 'uid']])


def _waited(result, waited):
    """``result`` with the summary of the wait ``waited`` (``failed``/``msg`` when it failed) and its warnings."""
    result.update(wait_summary(waited))
    if waited.get('failed'):
        result.update(failed=True, msg=waited['msg'])
    return result, list(waited.get('warnings') or [])


def database_action_argument_spec():
    """A fresh argument spec of ``rs_database_action`` (the connection options and ``wait`` included)."""
    spec = connection_argument_spec()
    spec.update(
        name=dict(type='str'),
        uid=dict(type=FINITE_INT),
        action=dict(type='str', required=True, choices=sorted(BDB_OPERATIONS)),
        params=dict(type='dict', default={}),
    )
    spec.update(await_argument_spec())
    return spec


def run_database_action(client, params, check_mode=False, **wait_kwargs):
    """Start ``params['action']`` on the database and, with ``wait``, wait for it; return ``(result, warnings)``."""
    split_params(params['action'], params['params'])
    wait, wait_timeout = validate_await_params(params)
    result = DatabaseOperation(client, check_mode=check_mode).run(
        params['action'], name=params['name'], uid=params['uid'], params=params['params'])
    if not (wait and result['changed'] and not check_mode):
        return result, []
    return _waited(result, wait_for_operation(client, result, wait_timeout, **wait_kwargs))


def node_action_argument_spec():
    """A fresh argument spec of ``rs_node_action`` (the connection options and ``wait`` included)."""
    spec = connection_argument_spec()
    spec.update(
        node=dict(type=FINITE_INT, required=True),
        action=dict(type='str', required=True, choices=list(NODE_ACTIONS)),
        params=dict(type='dict', default={}),
    )
    spec.update(await_argument_spec())
    return spec


def run_node_action(client, params, check_mode=False, **wait_kwargs):
    """Start ``params['action']`` on the node (unless it is not needed) and, with ``wait``, wait for it (or for the
    same action already running); the node is read again after the wait. Returns ``(result, warnings)``.

    With a uid (RS's answer, or the running action's) the shared wait loop follows it; without one, the node's
    action status (``GET /v1/nodes/<uid>/actions/<action>``) does, and its uid, once shown, is returned.
    """
    node_uid = validate_node_uid(params['node'])
    action = params['action']
    wait, wait_timeout = validate_await_params(params)
    operation = NodeOperation(client, check_mode=check_mode)
    result = operation.run(node_uid, action, params['params'])
    if not wait or check_mode:
        return result, []

    def follow_status(timeout):
        return wait_for_node_action(client, node_uid, action, timeout,
                                    reached=lambda budget: operation.reached(node_uid, action, budget), **wait_kwargs)

    if result['action_uid']:
        # Where the actions API does not show this node action, the node's action status follows it.
        waited = wait_for_uid_or(client, result['action_uid'], wait_timeout, follow_status, NODE_MISSING_GRACE,
                                 **wait_kwargs)
    elif result['changed'] or operation.running is not None:
        waited = follow_status(wait_timeout)
        result['action_uid'] = waited.get('action_uid')
    else:
        return result, []
    try:
        result['node'] = client.get(('v1', 'nodes', str(node_uid))) or result['node']
    except RSNotFound:
        result['node'] = {}  # removed
    return _waited(result, waited)
