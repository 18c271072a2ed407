# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""The normalized action: its words (statuses, action types, keys) and the functions that build it.

RS reports background work through two APIs:

* ``GET /v1/actions`` returns ``{"actions": [task, ...], "state-machines": [sm, ...]}``; tasks use
  ``queued/starting/running/cancelling/cancelled/aborted/completed/failed``, state machines
  ``pending/active/completed/failed``; ``progress`` is often a string such as ``"100"``.
* ``GET /v2/actions`` (RS 7.22+) returns an array with ``action_type`` and ``additional_info``.

``normalize_action()`` turns any of them into a dict with the keys of ``ACTION_KEYS``; ``normalize_v1_list()`` and
``normalize_v2_list()`` do it for a whole answer. Nothing here sends a request (``rs_actions.ActionsAPI`` does), and
``rs_actions`` re-exports every public name of this file: the vocabulary is imported from there.
"""

from __future__ import annotations

import math

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSInvalidResponse

# The normalized status vocabulary.
STATUS_QUEUED = 'queued'
STATUS_RUNNING = 'running'
STATUS_COMPLETED = 'completed'
STATUS_FAILED = 'failed'
STATUS_CANCELLED = 'cancelled'
STATUS_UNKNOWN = 'unknown'
STATUSES = (STATUS_QUEUED, STATUS_RUNNING, STATUS_COMPLETED, STATUS_FAILED, STATUS_CANCELLED, STATUS_UNKNOWN)

# Classes of normalized statuses (unknown values count as still in progress).
IN_PROGRESS_STATUSES = (STATUS_QUEUED, STATUS_RUNNING, STATUS_UNKNOWN)
SUCCESS_STATUSES = (STATUS_COMPLETED,)
FAILURE_STATUSES = (STATUS_FAILED, STATUS_CANCELLED)
TERMINAL_STATUSES = SUCCESS_STATUSES + FAILURE_STATUSES

# API value -> normalized value. v1 state machines, v1 tasks and v2 share this table: the v2
# vocabulary maps to itself and task values that leak into v2 map as on v1.
STATUS_MAP = {
    # v1 state machines
    'pending': STATUS_QUEUED,
    'active': STATUS_RUNNING,
    # v1 tasks (and v2)
    'queued': STATUS_QUEUED,
    'starting': STATUS_RUNNING,
    'running': STATUS_RUNNING,
    'cancelling': STATUS_RUNNING,
    'completed': STATUS_COMPLETED,
    'failed': STATUS_FAILED,
    'aborted': STATUS_FAILED,
    'cancelled': STATUS_CANCELLED,
}

ACTION_TYPE_TASK = 'task'
ACTION_TYPE_STATE_MACHINE = 'state-machine'
ACTION_TYPE_OTHER = 'other'
ACTION_TYPES = (ACTION_TYPE_TASK, ACTION_TYPE_STATE_MACHINE, ACTION_TYPE_OTHER)

API_VERSIONS = ('v1', 'v2')

# v1 statuses only tasks use, and those only state machines use.
_TASK_ONLY_STATUSES = ('queued', 'starting', 'running', 'cancelling', 'cancelled', 'aborted')
_SM_ONLY_STATUSES = ('pending', 'active')
_SM_FIELDS = ('object_name', 'heartbeat', 'state', 'pending_ops')

# Keys of a normalized action, in a stable order.
ACTION_KEYS = (
    'action_uid', 'name', 'action_type', 'status', 'api_status', 'progress', 'object_name', 'node_uid',
    'creation_time', 'error', 'raw', 'error_code', 'state', 'heartbeat', 'description',
)


def normalize_status(api_status):
    """Map a status as RS sends it to ``queued``, ``running``, ``completed``, ``failed``,
    ``cancelled`` or ``unknown``."""
    if not isinstance(api_status, str):
        return STATUS_UNKNOWN
    return STATUS_MAP.get(api_status.strip().lower(), STATUS_UNKNOWN)


def text_value(value):
    """A string field: strings as they are, numbers as text, anything else (or empty) as None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value if value != '' else None
    if isinstance(value, (int, float)):
        return str(value)
    return None


def _number(value):
    """A float from an int, a float or a numeric string ("100", "50.5", "75%"); None otherwise."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip().rstrip('%').strip()
        if not value:
            return None
    try:
        result = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if math.isnan(result) or math.isinf(result):
        return None
    return result


def _epoch(value):
    """Epoch seconds as an int from an int, a float or a numeric string; None otherwise."""
    number = _number(value)
    if number is None:
        return None
    return int(number)


def _infer_v1_action_type(raw):
    status = raw.get('status')
    status = status.strip().lower() if isinstance(status, str) else None
    if 'task_id' in raw or status in _TASK_ONLY_STATUSES:
        return ACTION_TYPE_TASK
    if any(field in raw for field in _SM_FIELDS) or status in _SM_ONLY_STATUSES:
        return ACTION_TYPE_STATE_MACHINE
    return ACTION_TYPE_OTHER


def _first_text(*values):
    """The first of ``values`` that ``text_value()`` keeps, as text; None when there is none."""
    return next((text for text in map(text_value, values) if text is not None), None)


def _v2_action_type(raw, action_type):
    """v2: the ``action_type`` the object reports, else the one the caller knows, else ``other``."""
    reported = raw.get('action_type')
    if isinstance(reported, str) and reported.strip().lower() in ACTION_TYPES:
        return reported.strip().lower()
    return action_type if action_type in ACTION_TYPES else ACTION_TYPE_OTHER


def _v2_fields(raw, action_type):
    """The fields of a v2 action that differ from v1: ``additional_info`` first, then the top level."""
    info = raw.get('additional_info')
    info = info if isinstance(info, dict) else {}
    object_type = text_value(info.get('object_type'))
    object_uid = text_value(info.get('object_uid'))
    named = bool(object_type and object_uid)
    on_node = named and object_type.lower() == 'node'
    return {
        'action_type': _v2_action_type(raw, action_type),
        'object_name': '%s:%s' % (object_type.lower(), object_uid) if named else text_value(raw.get('object_name')),
        'node_uid': object_uid if on_node else text_value(raw.get('node_uid')),
        'error': _first_text(info.get('error'), raw.get('error'), raw.get('error_message')),
        'error_code': _first_text(info.get('error_code'), raw.get('error_code')),
        'description': _first_text(info.get('description'), raw.get('description')),
    }


# v1: where the error text is, in order: tasks use error_message, state machines error.
_V1_ERROR_KEYS = {ACTION_TYPE_TASK: ('error_message', 'error')}
_V1_DEFAULT_ERROR_KEYS = ('error', 'error_message')


def _v1_fields(raw, action_type):
    """The fields of a v1 action that differ from v2; the family is inferred when the caller does not know it."""
    kind = action_type if action_type in ACTION_TYPES else _infer_v1_action_type(raw)
    error_keys = _V1_ERROR_KEYS.get(kind, _V1_DEFAULT_ERROR_KEYS)
    return {
        'action_type': kind,
        'object_name': text_value(raw.get('object_name')),
        'node_uid': text_value(raw.get('node_uid')),
        'error': _first_text(*(raw.get(key) for key in error_keys)),
        'error_code': text_value(raw.get('error_code')),
        'description': text_value(raw.get('description')),
    }


_FAMILY_FIELDS = {'v1': _v1_fields, 'v2': _v2_fields}


def normalize_action(raw, api_version, action_type=None):
    """Return the normalized form of one action object of the ``v1`` or ``v2`` API.

    ``action_type`` is the family the caller knows (for a v1 list: the array the object was in);
    without it, it is taken from the object (v2: ``action_type``; v1: inferred from its fields).
    Every field except ``action_uid``, ``name`` and ``status`` is optional, and garbage values give None.
    """
    if not isinstance(raw, dict):
        raise RSInvalidResponse('An action returned by RS is not a JSON object (%s)' % type(raw).__name__)
    if api_version not in API_VERSIONS:
        raise ValueError('api_version must be v1 or v2, not %r' % (api_version,))
    fields = _FAMILY_FIELDS[api_version](raw, action_type)
    api_status = raw.get('status')
    return {
        'action_uid': text_value(raw.get('action_uid')),
        'name': text_value(raw.get('name')),
        'action_type': fields['action_type'],
        'status': normalize_status(api_status),
        'api_status': api_status if isinstance(api_status, str) else text_value(api_status),
        'progress': _number(raw.get('progress')),
        'object_name': fields['object_name'],
        'node_uid': fields['node_uid'],
        'creation_time': _epoch(raw.get('creation_time')),
        'error': fields['error'],
        'raw': raw,
        'error_code': fields['error_code'],
        'state': text_value(raw.get('state')),
        'heartbeat': _epoch(raw.get('heartbeat')),
        'description': fields['description'],
    }


def normalize_v1_list(data):
    """Normalize the body of ``GET /v1/actions`` (or any v1 array of actions)."""
    if isinstance(data, list):
        return [normalize_action(item, 'v1') for item in data if isinstance(item, dict)]
    if not isinstance(data, dict):
        if data is None:
            return []
        raise RSInvalidResponse('GET /v1/actions did not return a JSON object (%s)' % type(data).__name__)
    actions = []
    for key, kind in (('actions', ACTION_TYPE_TASK), ('state-machines', ACTION_TYPE_STATE_MACHINE),
                      ('state_machines', ACTION_TYPE_STATE_MACHINE)):
        items = data.get(key)
        if isinstance(items, list):
            actions.extend(normalize_action(item, 'v1', kind) for item in items if isinstance(item, dict))
    return actions


def normalize_v2_list(data):
    """Normalize the body of ``GET /v2/actions`` (an array)."""
    if data is None:
        return []
    if isinstance(data, dict) and isinstance(data.get('actions'), list):
        data = data['actions']
    if not isinstance(data, list):
        raise RSInvalidResponse('GET /v2/actions did not return a JSON array (%s)' % type(data).__name__)
    return [normalize_action(item, 'v2') for item in data if isinstance(item, dict)]
