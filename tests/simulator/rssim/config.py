# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's configuration: every key, its default and its validation.

Times are in *cluster seconds*: the simulator divides them by ``speed``. Network faults (``/_sim/faults``) use
real seconds instead.
"""

from __future__ import annotations

import copy

from . import ADMIN_USER, DEFAULT_PASSWORD, NOACCESS_USER

GIB = 1024 ** 3

ROLES = ('admin', 'cluster_member', 'cluster_viewer', 'db_member', 'db_viewer', 'user_manager', 'none')

DEFAULTS = {
    # Global time factor: every duration below is divided by it.
    'speed': 1.0,
    # Serve /v2/... (RS 7.22+). False: every /v2 path answers 404, as on older clusters.
    'v2': True,
    # How long a finished action stays visible (GET answers 404 and the lists drop it afterwards).
    'retention': 600.0,
    # A new action is invisible (404, absent from the lists) for this long after the request that started it.
    'visibility_delay': 0.0,
    # Durations of the operations, from the request to the terminal state.
    'durations': {
        'create_bdb': 10.0,
        'create_bdb_failed': 4.0,
        'update_bdb': 5.0,
        'delete_bdb': 2.0,
        'node_action': 8.0,
        'export': 6.0,
        'import': 6.0,
        'cancel': 1.0,
    },
    # Share of each duration spent queued (tasks, v2) / pending (state machines) before work starts.
    'pending_fraction': 0.1,
    # Share of the duration a failing action runs before it fails (its progress freezes there).
    'fail_fraction': 0.6,
    # "linear": progress rises continuously. "steps": it jumps once per state-machine step.
    'progress_mode': 'linear',
    # Step names (the v1 "state" field) of each state machine; "default" for any other name.
    'sm_states': {
        'SMCreateBDB': ['wait_for_resources', 'create_shards', 'configure_proxy', 'finalize'],
        'SMUpdateBDB': ['prepare', 'proxy_policy', 'update_shards', 'finalize'],
        'SMDeleteBDB': ['stop_proxy', 'delete_shards', 'finalize'],
        'default': ['init', 'running', 'finalize'],
    },
    # POST /v1/bdbs with the name of an existing database: "allow" or "reject" (409 name_exists).
    'duplicate_names': 'allow',
    # Memory the cluster can place (bytes). A database that does not fit fails its SMCreateBDB.
    'cluster_memory': 64 * GIB,
    # Databases with these names fail their creation.
    'fail_names': [],
    'fail_error': 'internal error: failed to create shards',
    'insufficient_memory_error': 'insufficient resources to place shards',
    # Overrides for the v2 status of an action, keyed by its task status (queued, starting, running,
    # cancelling, cancelled, aborted, completed, failed). Default: starting/cancelling -> running,
    # cancelled/aborted pass through unchanged. {"cancelled": "failed", "aborted": "failed"} maps them.
    'v2_status_map': {},
    # v2 additional_info.object_type per object kind.
    'v2_object_types': {'bdb': 'bdb', 'node': 'node'},
    # Completed retry_bdb tasks that appear on each node this long after a database is created.
    'retry_bdb_tasks': 1,
    'retry_bdb_delay': 5.0,
    # True: DELETE /v1/bdbs/<uid> also shows an SMDeleteBDB state machine.
    'delete_action': False,
    # Reject a write whose cluster-state-id request header differs from the current one (409 wrong_cluster_state_id).
    'check_cluster_state_id': True,
    'nodes': 3,
    'cluster_name': 'cluster.rs-sim.local',
    'bdb_version': '7.4.0',
    'redis_version': '7.4',
    # Data plane: "auto" (redis-server if on PATH, else built-in), "builtin", "redis", "off".
    'data_plane': 'auto',
    'port_base': 12000,
    # Users: name (email), password, role.
    'users': [
        {'name': ADMIN_USER, 'password': DEFAULT_PASSWORD, 'role': 'admin'},
        {'name': NOACCESS_USER, 'password': DEFAULT_PASSWORD, 'role': 'none'},
    ],
    'realm': 'Redis Enterprise',
    # Entries kept in the request log (oldest dropped first).
    'max_request_log': 100000,
}

ENUMS = {
    'progress_mode': ('linear', 'steps'),
    'duplicate_names': ('allow', 'reject'),
    'data_plane': ('auto', 'builtin', 'redis', 'off'),
}
NUMBERS = ('speed', 'retention', 'visibility_delay', 'pending_fraction', 'fail_fraction', 'retry_bdb_delay')
INTEGERS = ('cluster_memory', 'retry_bdb_tasks', 'nodes', 'port_base', 'max_request_log')
BOOLEANS = ('v2', 'delete_action', 'check_cluster_state_id')
STRINGS = ('fail_error', 'insufficient_memory_error', 'cluster_name', 'bdb_version', 'redis_version', 'realm')
MERGED_DICTS = ('durations', 'sm_states', 'v2_status_map', 'v2_object_types')


class ConfigError(ValueError):
    """An unknown key or a value of the wrong type."""


def defaults():
    return copy.deepcopy(DEFAULTS)


def parse_user(text):
    """``NAME:PASSWORD:ROLE`` (the password may contain colons) -> user dict."""
    name, sep, rest = text.partition(':')
    password, sep2, role = rest.rpartition(':')
    if not (sep and sep2 and name and password):
        raise ConfigError(f'user must be NAME:PASSWORD:ROLE, got {text.split(":", 1)[0]}:...')
    return {'name': name, 'password': password, 'role': role}


def _check_users(users):
    if not isinstance(users, list):
        raise ConfigError('users must be a list')
    result = []
    for user in users:
        if isinstance(user, str):
            user = parse_user(user)
        if not isinstance(user, dict) or not isinstance(user.get('name'), str) or not isinstance(user.get('password'), str):
            raise ConfigError('each user needs a name and a password')
        if user.get('role', 'admin') not in ROLES:
            raise ConfigError(f'unknown role {user.get("role")!r}; one of {", ".join(ROLES)}')
        result.append({'name': user['name'], 'password': user['password'], 'role': user.get('role', 'admin')})
    return result


def _check_number(key, value, integer=False):
    if isinstance(value, bool) or not isinstance(value, (int,) if integer else (int, float)):
        raise ConfigError(f'{key} must be {"an integer" if integer else "a number"}')
    if value < 0 or (key == 'speed' and value <= 0):
        raise ConfigError(f'{key} must be positive')
    return value


def _check_value(key, value):  # pylint: disable=too-many-return-statements,too-many-branches
    if key in ENUMS:
        if value not in ENUMS[key]:
            raise ConfigError(f'{key} must be one of {", ".join(ENUMS[key])}')
        return value
    if key in NUMBERS:
        return float(_check_number(key, value))
    if key in INTEGERS:
        value = _check_number(key, value, integer=True)
        if key == 'port_base' and not 1024 <= value <= 65000:
            raise ConfigError('port_base must be between 1024 and 65000')
        return value
    if key in BOOLEANS:
        if not isinstance(value, bool):
            raise ConfigError(f'{key} must be true or false')
        return value
    if key in STRINGS:
        if not isinstance(value, str):
            raise ConfigError(f'{key} must be a string')
        return value
    if key == 'fail_names':
        if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
            raise ConfigError('fail_names must be a list of names')
        return list(value)
    if key == 'users':
        return _check_users(value)
    if key in MERGED_DICTS:
        if not isinstance(value, dict):
            raise ConfigError(f'{key} must be an object')
        if key == 'durations':
            return {name: float(_check_number(f'durations.{name}', seconds)) for name, seconds in value.items()}
        return copy.deepcopy(value)
    raise ConfigError(f'unknown config key {key!r}')


def merge(config, update):
    """Return ``config`` updated with ``update`` (validated). Dict-valued keys are merged key by key."""
    if not isinstance(update, dict):
        raise ConfigError('the configuration must be a JSON object')
    result = copy.deepcopy(config)
    for key, value in update.items():
        if key not in DEFAULTS:
            raise ConfigError(f'unknown config key {key!r}')
        value = _check_value(key, value)
        if key in MERGED_DICTS:
            result[key] = dict(result[key], **value)
        else:
            result[key] = value
    return result
