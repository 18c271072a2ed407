# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""Redis Enterprise Software actions: one normalized shape for v1 and v2, in one place.

RS reports background work through two APIs:

* ``GET /v1/actions`` returns ``{"actions": [task, ...], "state-machines": [sm, ...]}``; tasks use
  ``queued/starting/running/cancelling/cancelled/aborted/completed/failed``, state machines
  ``pending/active/completed/failed``; ``progress`` is often a string such as ``"100"``.
* ``GET /v2/actions`` (RS 7.22+) returns an array with ``action_type`` and ``additional_info``.

``normalize_action()`` turns any of them into a dict with the keys of ``ACTION_KEYS``;
``ActionsAPI`` detects the version the cluster serves and reads actions through an ``RSClient``.
"""

from __future__ import annotations

import math
import re

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    RSConfigError,
    RSHTTPError,
    RSInvalidResponse,
    RSNotFound,
)

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


def _text(value):
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


# Object types an action runs on (``object_name`` is ``type:uid``): the docs name bdb and node, RS also runs state
# machines on the cluster and on shards.
OBJECT_TYPES = ('bdb', 'node', 'cluster', 'shard')
MAX_UID_LENGTH = 200
# The whole string, no trailing newline (\Z, not $); the type is compared case-insensitively.
OBJECT_NAME_RE = re.compile(r'(%s):([A-Za-z0-9_-]{1,%d})\Z' % ('|'.join(OBJECT_TYPES), MAX_UID_LENGTH), re.IGNORECASE)


def parse_object_name(object_name):
    """Split ``type:uid`` (e.g. ``bdb:3``) into ``(type in lowercase, uid)``; RSConfigError otherwise.

    Strict: the whole string, a known type (``OBJECT_TYPES``) and a uid of letters, digits, ``_`` and ``-``.
    """
    match = OBJECT_NAME_RE.match(object_name) if isinstance(object_name, str) else None
    if match is None:
        raise RSConfigError('object_name must be type:uid with a type among %s, for example bdb:3 or node:1; got %r'
                            % (', '.join(OBJECT_TYPES), object_name))
    return match.group(1).lower(), match.group(2)


def _has_control_chars(value):
    return any(ord(char) < 32 or ord(char) == 127 for char in value)


def validate_action_uid(uid):
    """Raise ``RSConfigError`` unless ``uid`` looks like an RS action uid (a UUID or a short string)."""
    if not isinstance(uid, str) or uid.strip() == '':
        raise RSConfigError('uid entries must be non-empty strings; got %r' % (uid,))
    shown = uid if len(uid) <= 60 else uid[:60] + '...'
    if len(uid) > MAX_UID_LENGTH:
        raise RSConfigError('uid %r is too long (%d characters, at most %d): check the uid'
                            % (shown, len(uid), MAX_UID_LENGTH))
    if uid in ('.', '..'):
        raise RSConfigError('uid %r is not a valid action uid' % uid)
    if '/' in uid:
        raise RSConfigError("uid %r must not contain '/': give the action_uid RS returned, not a path" % shown)
    if any(char.isspace() for char in uid) or _has_control_chars(uid):
        raise RSConfigError('uid %r must not contain whitespace or control characters' % shown)


def validate_action_name(name):
    """Raise ``RSConfigError`` unless ``name`` can be the name of an action (``SMCreateBDB``)."""
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_UID_LENGTH or _has_control_chars(name):
        raise RSConfigError('name must be the non-empty name of an action, for example SMCreateBDB; got %r' % (name,))


def _canonical_object_name(object_name):
    """``type:uid`` with the type in lowercase, or None when the value does not have that shape."""
    try:
        return '%s:%s' % parse_object_name(object_name)
    except RSConfigError:
        return None


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

    api_status = raw.get('status')
    info = raw.get('additional_info')
    info = info if isinstance(info, dict) else {}

    if api_version == 'v2':
        reported_type = raw.get('action_type')
        if isinstance(reported_type, str) and reported_type.strip().lower() in ACTION_TYPES:
            kind = reported_type.strip().lower()
        elif action_type in ACTION_TYPES:
            kind = action_type
        else:
            kind = ACTION_TYPE_OTHER
        object_type = _text(info.get('object_type'))
        object_uid = _text(info.get('object_uid'))
        if object_type and object_uid:
            object_name = '%s:%s' % (object_type.lower(), object_uid)
        else:
            object_name = _text(raw.get('object_name'))
        if object_type and object_type.lower() == 'node' and object_uid:
            node_uid = object_uid
        else:
            node_uid = _text(raw.get('node_uid'))
        error = _text(info.get('error')) or _text(raw.get('error')) or _text(raw.get('error_message'))
        error_code = _text(info.get('error_code')) or _text(raw.get('error_code'))
        description = _text(info.get('description')) or _text(raw.get('description'))
    else:
        kind = action_type if action_type in ACTION_TYPES else _infer_v1_action_type(raw)
        object_name = _text(raw.get('object_name'))
        node_uid = _text(raw.get('node_uid'))
        if kind == ACTION_TYPE_TASK:
            error = _text(raw.get('error_message')) or _text(raw.get('error'))
        else:
            error = _text(raw.get('error')) or _text(raw.get('error_message'))
        error_code = _text(raw.get('error_code'))
        description = _text(raw.get('description'))

    return {
        'action_uid': _text(raw.get('action_uid')),
        'name': _text(raw.get('name')),
        'action_type': kind,
        'status': normalize_status(api_status),
        'api_status': api_status if isinstance(api_status, str) else _text(api_status),
        'progress': _number(raw.get('progress')),
        'object_name': object_name,
        'node_uid': node_uid,
        'creation_time': _epoch(raw.get('creation_time')),
        'error': error,
        'raw': raw,
        'error_code': error_code,
        'state': _text(raw.get('state')),
        'heartbeat': _epoch(raw.get('heartbeat')),
        'description': description,
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


def filter_actions(actions, name=None, object_name=None, status=None):
    """Return the actions that match every given filter.

    ``name``: exact action name. ``object_name``: ``type:uid``, the type compared case-insensitively.
    ``status``: a list of normalized statuses (a single string is accepted).
    """
    wanted_object = None
    if object_name is not None:
        wanted_object = '%s:%s' % parse_object_name(object_name)
    if isinstance(status, str):
        status = [status]
    wanted_status = None
    if status:
        unknown = [value for value in status if value not in STATUSES]
        if unknown:
            raise RSConfigError('status filter values must be among %s; got %s'
                                % (', '.join(STATUSES), ', '.join(repr(value) for value in unknown)))
        wanted_status = set(status)
    result = []
    for action in actions:
        if name is not None and action.get('name') != name:
            continue
        if wanted_object is not None and _canonical_object_name(action.get('object_name')) != wanted_object:
            continue
        if wanted_status is not None and action.get('status') not in wanted_status:
            continue
        result.append(action)
    return result


def _is_missing_api(error):
    """A 404 or 405 on ``/v2/actions``: the cluster predates the v2 actions API (RS < 7.22)."""
    return isinstance(error, RSHTTPError) and error.status in (404, 405)


class ActionsAPI:
    """Read actions through an ``RSClient``, on ``v1``, ``v2`` or ``auto`` (v2 when the cluster serves it).

    ``api_version`` is ``v1`` or ``v2`` once known, ``None`` until ``auto`` has detected it. Detection
    happens at most once per instance.
    """

    def __init__(self, client, api_version='auto'):
        if api_version is None:
            api_version = 'auto'
        if api_version not in ('auto',) + API_VERSIONS:
            raise RSConfigError('api_version must be auto, v1 or v2; got %r' % (api_version,))
        self.client = client
        self.requested_api_version = api_version
        self.api_version = None if api_version == 'auto' else api_version

    # -------------------------------------------------------------- detection

    def _list_v2_or_detect(self, timeout):
        """On v2 or auto: GET /v2/actions and return the normalized list. Returns None when the
        cluster has no v2 actions API (then ``api_version`` becomes ``v1``)."""
        try:
            data = self.client.get(('v2', 'actions'), timeout=timeout)
        except RSHTTPError as error:
            if self.api_version is None and _is_missing_api(error):
                self.api_version = 'v1'
                return None
            raise
        self.api_version = 'v2'
        return normalize_v2_list(data)

    # -------------------------------------------------------------- reading

    def list(self, timeout=None):
        """All actions the cluster reports, normalized."""
        if self.api_version != 'v1':
            actions = self._list_v2_or_detect(timeout)
            if actions is not None:
                return actions
        return normalize_v1_list(self.client.get(('v1', 'actions'), timeout=timeout))

    def get(self, uid, timeout=None):
        """One action, normalized, or None when RS does not know ``uid`` (404)."""
        if uid is None or str(uid).strip() == '':
            raise RSConfigError('uid must be a non-empty action uid')
        uid = str(uid)
        if self.api_version == 'v1':
            return self._get_v1(uid, timeout)
        try:
            data = self.client.get(('v2', 'actions', uid), timeout=timeout)
        except RSHTTPError as error:
            if self.api_version == 'v2':
                if isinstance(error, RSNotFound):
                    return None
                raise
            if error.status == 405:
                self.api_version = 'v1'
                return self._get_v1(uid, timeout)
            if not isinstance(error, RSNotFound):
                raise
            # 404: an unknown uid, or no v2 API at all. One probe of the collection tells which.
            if self._list_v2_or_detect(timeout) is None:
                return self._get_v1(uid, timeout)
            return None
        self.api_version = 'v2'
        return self._normalize_single(data, 'v2')

    def _get_v1(self, uid, timeout):
        try:
            data = self.client.get(('v1', 'actions', uid), timeout=timeout)
        except RSNotFound:
            return None
        return self._normalize_single(data, 'v1')

    @staticmethod
    def _normalize_single(data, api_version):
        if data is None:
            return None
        if not isinstance(data, dict):
            raise RSInvalidResponse('GET /%s/actions/<uid> did not return a JSON object (%s)'
                                    % (api_version, type(data).__name__))
        return normalize_action(data, api_version)

    def list_for_object(self, object_name, timeout=None):
        """The actions that run (or ran) on ``object_name`` (``type:uid``, e.g. ``bdb:3``).

        v2: the full list, filtered. v1: ``GET /v1/actions/bdb/<uid>`` for a database (404 gives
        ``[]``), the full list filtered for any other object type.
        """
        object_type, object_uid = parse_object_name(object_name)
        if self.api_version != 'v1':
            actions = self._list_v2_or_detect(timeout)
            if actions is not None:
                return filter_actions(actions, object_name=object_name)
        if object_type == 'bdb':
            try:
                data = self.client.get(('v1', 'actions', 'bdb', object_uid), timeout=timeout)
            except RSNotFound:
                return []
            actions = []
            for item in self._v1_items(data):
                action = normalize_action(item, 'v1', ACTION_TYPE_STATE_MACHINE)
                if action['object_name'] is None:
                    action['object_name'] = 'bdb:%s' % object_uid
                actions.append(action)
            return actions
        return filter_actions(normalize_v1_list(self.client.get(('v1', 'actions'), timeout=timeout)),
                              object_name=object_name)

    @staticmethod
    def _v1_items(data):
        if data is None:
            return []
        if isinstance(data, list):
            return [item for item in data if isinstance(item, dict)]
        if isinstance(data, dict):
            items = []
            for key in ('actions', 'state-machines', 'state_machines'):
                if isinstance(data.get(key), list):
                    items.extend(item for item in data[key] if isinstance(item, dict))
            if not items and 'action_uid' in data:
                items.append(data)
            return items
        raise RSInvalidResponse('GET /v1/actions/bdb/<uid> did not return a JSON array (%s)' % type(data).__name__)
