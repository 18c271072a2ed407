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
    # Version profile (PROFILES below): sets the switches that differ between RS versions. Keys given next to it win.
    'profile': 'latest',
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
        'recover': 8.0,
        'rebalance': 6.0,
        'revamp': 6.0,
        'stop_traffic': 2.0,
        'resume_traffic': 2.0,
        'upgrade': 8.0,
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
    # ---- version quirks (set by 'profile'; see docs/rs-behaviour.md for the sources)
    # Serve GET /v1/actions/bdb/<uid> (added in RS 7.4.2-54). False: 404 not_found.
    'v1_bdb_actions': True,
    # GET /v2/actions answers 400 invalid_schema (RS 8.2.0-25; fixed in 8.2.0-46, RS200753).
    'v2_actions_invalid_schema': False,
    # A finished state machine keeps being reported running (v1 "active", v2 "running") at progress 100
    # (fixed in RS 8.0.2-17, RS166122). Its effects (the bdb becoming active) happen on time.
    'sm_running_after_finish': False,
    # Running tasks carry "progress" (False: only finished ones do; fixed in RS 8.0.16-29, RS171806).
    'task_progress': True,
    # v1 progress is an integer (before RS 7.4.2-54 it changed from integer to float).
    'integer_progress': False,
    # Completed v1 state machines keep "progress", "state" and "pending_ops" (False: as captured, they have none).
    'completed_sm_details': False,
    # ---- progress shapes: action name or operation key -> shape (see actions.SHAPES), e.g.
    # {"SMCreateBDB": {"shape": "s_curve"}, "export": {"shape": "pauses", "pauses": [[0.2, 0.5]]}}
    'progress_shapes': {},
    # ---- synchronous rejections
    # POST/PUT /v1/bdbs and database actions answer 403 (the license expired).
    'license_expired': False,
    # A database that does not fit: "fail" (its SMCreateBDB fails) or "reject" (POST answers 406 insufficient_resources).
    'insufficient_memory': 'fail',
    # POST /v1/bdbs with one of these names answers 409 busy.
    'busy_names': [],
    # ---- database and node operations: operation -> {"name", "kind", "response"}; see README "Operations".
    'operations': {
        'recover': {'name': 'SMRecoverBDB', 'kind': 'state-machine', 'response': 'action_uid'},
        'rebalance': {'name': 'SMRebalanceBDB', 'kind': 'state-machine', 'response': 'action_uid'},
        'revamp': {'name': 'SMUpdateBDB', 'kind': 'state-machine', 'response': 'action_uid'},
        'stop_traffic': {'name': 'SMStopTraffic', 'kind': 'state-machine', 'response': 'action_uid'},
        'resume_traffic': {'name': 'SMResumeTraffic', 'kind': 'state-machine', 'response': 'action_uid'},
        'upgrade': {'name': 'SMUpgradeBDB', 'kind': 'state-machine', 'response': 'bdb'},
        'export': {'name': 'export', 'kind': 'other', 'response': 'empty'},
        'import': {'name': 'import', 'kind': 'other', 'response': 'empty'},
        'maintenance_on': {'name': 'maintenance_on', 'kind': 'task', 'response': 'task_id'},
        'maintenance_off': {'name': 'maintenance_off', 'kind': 'task', 'response': 'task_id'},
        'remove': {'name': 'remove_node', 'kind': 'task', 'response': 'task_id'},
        'enslave_node': {'name': 'enslave_node', 'kind': 'task', 'response': 'task_id'},
    },
    # Database states in which POST .../actions/recover is accepted (else 409).
    'recover_states': ['recovery'],
}

# Version profiles: the keys each one sets (on top of the defaults). Sources in docs/rs-behaviour.md.
PROFILES = {
    'latest': {},
    '7.4.0': {'v2': False, 'v1_bdb_actions': False, 'integer_progress': True},
    '7.8': {'v2': False, 'v1_bdb_actions': True},
    '7.22': {'v2': True, 'v1_bdb_actions': True},
    '8.0.2': {'sm_running_after_finish': True},
    '8.0.16': {'task_progress': False},
    '8.2.0': {'v2_actions_invalid_schema': True},
}
PROFILE_KEYS = ('v2', 'v1_bdb_actions', 'v2_actions_invalid_schema', 'sm_running_after_finish', 'task_progress',
                'integer_progress')
OPERATION_KINDS = ('state-machine', 'task', 'other')
OPERATION_RESPONSES = ('action_uid', 'empty', 'task_id', 'bdb', 'status')

ENUMS = {
    'profile': tuple(PROFILES),
    'insufficient_memory': ('fail', 'reject'),
    'progress_mode': ('linear', 'steps'),
    'duplicate_names': ('allow', 'reject'),
    'data_plane': ('auto', 'builtin', 'redis', 'off'),
}
NUMBERS = ('speed', 'retention', 'visibility_delay', 'pending_fraction', 'fail_fraction', 'retry_bdb_delay')
INTEGERS = ('cluster_memory', 'retry_bdb_tasks', 'nodes', 'port_base', 'max_request_log')
BOOLEANS = ('v2', 'delete_action', 'check_cluster_state_id', 'v1_bdb_actions', 'v2_actions_invalid_schema',
            'sm_running_after_finish', 'task_progress', 'integer_progress', 'completed_sm_details', 'license_expired')
STRINGS = ('fail_error', 'insufficient_memory_error', 'cluster_name', 'bdb_version', 'redis_version', 'realm')
MERGED_DICTS = ('durations', 'sm_states', 'v2_status_map', 'v2_object_types', 'progress_shapes', 'operations')


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
    if key in ('fail_names', 'busy_names', 'recover_states'):
        if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
            raise ConfigError(f'{key} must be a list of strings')
        return list(value)
    if key == 'users':
        return _check_users(value)
    if key in MERGED_DICTS:
        if not isinstance(value, dict):
            raise ConfigError(f'{key} must be an object')
        if key == 'durations':
            return {name: float(_check_number(f'durations.{name}', seconds)) for name, seconds in value.items()}
        if key == 'progress_shapes':
            from .actions import check_shape  # pylint: disable=import-outside-toplevel
            try:
                return {name: check_shape(spec, f'progress_shapes.{name}') for name, spec in value.items()}
            except ValueError as error:
                raise ConfigError(str(error)) from None
        if key == 'operations':
            return {name: _check_operation(name, spec) for name, spec in value.items()}
        return copy.deepcopy(value)
    raise ConfigError(f'unknown config key {key!r}')


def _check_operation(name, spec):
    if name not in DEFAULTS['operations']:
        raise ConfigError(f'unknown operation {name!r}; one of {", ".join(DEFAULTS["operations"])}')
    if not isinstance(spec, dict) or set(spec) - {'name', 'kind', 'response'}:
        raise ConfigError(f'operations.{name} must be an object with name, kind and/or response')
    result = dict(DEFAULTS['operations'][name], **spec)
    if not isinstance(result['name'], str) or not result['name']:
        raise ConfigError(f'operations.{name}.name must be a non-empty string')
    if result['kind'] not in OPERATION_KINDS:
        raise ConfigError(f'operations.{name}.kind must be one of {", ".join(OPERATION_KINDS)}')
    if result['response'] not in OPERATION_RESPONSES:
        raise ConfigError(f'operations.{name}.response must be one of {", ".join(OPERATION_RESPONSES)}')
    return result


def merge(config, update):
    """Return ``config`` updated with ``update`` (validated). Dict-valued keys are merged key by key.

    A ``profile`` in the update first resets the version switches (PROFILE_KEYS) to the defaults and applies the
    profile's values; the other keys of the same update then win over the profile."""
    if not isinstance(update, dict):
        raise ConfigError('the configuration must be a JSON object')
    result = copy.deepcopy(config)
    if 'profile' in update:
        profile = _check_value('profile', update['profile'])
        for key in PROFILE_KEYS:
            result[key] = DEFAULTS[key]
        result.update(copy.deepcopy(PROFILES[profile]))
        result['profile'] = profile
    for key, value in update.items():
        if key == 'profile':
            continue
        if key not in DEFAULTS:
            raise ConfigError(f'unknown config key {key!r}')
        value = _check_value(key, value)
        if key in MERGED_DICTS:
            result[key] = dict(result[key], **value)
        else:
            result[key] = value
    return result
