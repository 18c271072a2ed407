# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""One run of ``rs_database_info`` and of ``rs_action_info``, each shared by the module and its action plugin (which
runs it in the controller process for local connections).

* ``database_info_argument_spec()``, ``run_database_info(client, params, check_mode)``.
* ``action_info_argument_spec()``, ``run_action_info(client, params, check_mode)``.

Each spec holds the connection options; each run validates the options before any request and returns
``(result, warnings)``; a failure raises ``RSError``. Both modules only read, so ``check_mode`` changes nothing.
"""

from __future__ import annotations

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_actions import (
    STATUSES,
    ActionsAPI,
    filter_actions,
    parse_object_name,
    validate_action_name,
    validate_action_uid,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_client import FINITE_INT, connection_argument_spec
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_operations import (
    select_databases,
    validate_selection,
)


def database_info_argument_spec():
    """A fresh argument spec of ``rs_database_info``: the connection options, ``name`` and ``uid``."""
    spec = connection_argument_spec()
    spec.update(
        name=dict(type='list', elements='str'),
        uid=dict(type='list', elements=FINITE_INT),
    )
    return spec


def run_database_info(client, params, check_mode=False):
    """Read the databases chosen by ``params`` (one ``GET /v1/bdbs``); return ``(result, warnings)``."""
    del check_mode  # reads only
    validate_selection(params['name'], params['uid'])
    databases, missing = select_databases(client, params['name'], params['uid'])
    return dict(changed=False, databases=databases, missing=missing), []


def action_info_argument_spec():
    """A fresh argument spec of ``rs_action_info``: the connection options and the choice of actions."""
    spec = connection_argument_spec()
    spec.update(
        uid=dict(type='str'),
        api_version=dict(type='str', default='auto', choices=['auto', 'v1', 'v2']),
        name=dict(type='str'),
        object_name=dict(type='str'),
        status=dict(type='list', elements='str', choices=list(STATUSES)),
        include_raw=dict(type='bool', default=False),
    )
    return spec


def run_action_info(client, params, check_mode=False):
    """Read the actions chosen by ``params``, normalized; return ``(result, warnings)`` (the API's fallback)."""
    del check_mode  # reads only
    if params['uid'] is not None:
        validate_action_uid(params['uid'])
    if params['object_name'] is not None:
        parse_object_name(params['object_name'])
    if params['name'] is not None:
        validate_action_name(params['name'])
    api = ActionsAPI(client, api_version=params['api_version'])
    if params['uid']:
        action = api.get(params['uid'])
        actions = [action] if action is not None else []
    elif params['object_name']:
        actions = api.list_for_object(params['object_name'])
    else:
        actions = api.list()
    actions = filter_actions(actions, name=params['name'], object_name=params['object_name'], status=params['status'])
    if not params['include_raw']:
        for action in actions:
            action.pop('raw', None)
    return dict(changed=False, actions=actions, api_version=api.api_version), list(api.warnings)
