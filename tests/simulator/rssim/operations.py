# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Database and node operations: the parameters each one accepts and the dry-run blueprint.

Sources (redis/docs, content/operate/rs/references/rest-api/): requests/bdbs/actions/{recover,rebalance,revamp,
stop_traffic,resume_traffic}.md, requests/bdbs/upgrade.md, requests/nodes/actions.md. docs/rs-behaviour.md lists them.
"""

from __future__ import annotations

from .errors import ApiError

BOOL, INT, STR, LIST, DICT = 'boolean', 'integer', 'string', 'array', 'object'

# operation -> (method, where its parameters go, {parameter: type}). "query" parameters come in the query string.
BDB_OPERATIONS = {
    'recover': ('POST', 'body', {'data_files': LIST, 'ignore_errors': BOOL, 'recover_without_data': BOOL}),
    'rebalance': ('PUT', 'query', {'dry_run': BOOL, 'only_failovers': BOOL, 'max_operations': INT}),
    'revamp': ('PUT', 'body', {'avoid_nodes': LIST, 'bigstore_ram_size': INT, 'memory_size': INT, 'replication': BOOL,
                               'shards_count': INT, 'shards_placement': STR}),
    'stop_traffic': ('POST', 'body', {}),
    'resume_traffic': ('POST', 'body', {}),
    'upgrade': ('POST', 'body', {'force_restart': BOOL, 'keep_redis_version': BOOL, 'keep_crdt_protocol_version': BOOL,
                                 'may_discard_data': BOOL, 'force_discard': BOOL, 'preserve_roles': BOOL,
                                 'parallel_shards_upgrade': INT, 'modules': LIST, 'redis_version': STR,
                                 'latest_with_modules': BOOL, 'swap_roles': BOOL}),
}
REVAMP_QUERY = ('dry_run', 'pause_persistence')

NODE_PARAMS = {
    'maintenance_on': {'overwrite_snapshot': BOOL, 'evict_ha_replica': BOOL, 'evict_active_active_replica': BOOL,
                       'evict_dbs': LIST, 'keep_slave_shards': BOOL, 'demote_node': BOOL},
    'maintenance_off': {'snapshot_name': STR, 'skip_shards_restore': BOOL},
    'remove': {'wait_for_persistence': BOOL},
    'enslave_node': {},
}

_PY = {BOOL: bool, INT: int, STR: str, LIST: list, DICT: dict}


def _check(params, allowed, what):
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise ApiError(400, 'invalid_schema', 'The request body must be a JSON object')
    for key, value in params.items():
        if key not in allowed:
            raise ApiError(400, 'invalid_schema', f"Additional properties are not allowed ('{key}' was unexpected)")
        kind = allowed[key]
        ok = isinstance(value, _PY[kind]) and not (kind == INT and isinstance(value, bool))
        if not ok:
            raise ApiError(400, 'invalid_schema', f'{value!r} is not of type {kind} ({what} {key!r})')
    return dict(params)


def check_node_params(name, params):
    params = _check(params, NODE_PARAMS[name], 'parameter')
    if 'evict_dbs' in params and not all(isinstance(uid, str) for uid in params['evict_dbs']):
        raise ApiError(400, 'invalid_schema', "evict_dbs must be a list of database ID strings (parameter 'evict_dbs')")
    return params


def parse_query_flag(value, name):
    text = str(value).lower()
    if text in ('1', 'true', 'yes'):
        return True
    if text in ('0', 'false', 'no', ''):
        return False
    raise ApiError(400, 'invalid_schema', f'{value!r} is not of type boolean (query parameter {name!r})')


def check_operation_body(name, body, query):
    """The operation's parameters (body and query merged), validated; unknown ones get 400 invalid_schema."""
    dummy, where, allowed = BDB_OPERATIONS[name]
    params = {}
    if where == 'query':
        for key, value in query.items():
            if key not in allowed:
                raise ApiError(400, 'invalid_schema', f'Unknown query parameter {key!r}')
            if allowed[key] == BOOL:
                params[key] = parse_query_flag(value, key)
            else:
                if not str(value).isdigit():
                    raise ApiError(400, 'invalid_schema', f'{value!r} is not of type integer (query parameter {key!r})')
                params[key] = int(value)
        if body not in (None, {}):
            raise ApiError(400, 'invalid_schema', f'{name} takes no request body')
        return params
    params = _check(body, allowed, 'field')
    for key, value in query.items():
        if name == 'revamp' and key in REVAMP_QUERY:
            params[key] = parse_query_flag(value, key)
        else:
            raise ApiError(400, 'invalid_schema', f'Unknown query parameter {key!r}')
    return params


def blueprint(config, node_uids):
    """A shards blueprint as rebalance/revamp return it with dry_run (rebalance.md example): one entry per primary
    shard with its slot range and the nodes of its primary (and replica) shard."""
    count = max(1, int(config.get('shards_count', 1)))
    nodes = list(node_uids) or ['1']
    result = []
    for index in range(count):
        low = round(16384 * index / count)
        high = round(16384 * (index + 1) / count) - 1
        placement = [{'node_uid': nodes[index % len(nodes)], 'role': 'master'}]
        if config.get('replication'):
            placement.append({'node_uid': nodes[(index + 1) % len(nodes)], 'role': 'slave'})
        result.append({'nodes': placement, 'slot_range': f'{low}-{high}'})
    return result
