# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""Redis Enterprise Software actions: the vocabulary, the object names, and reading actions through a client.

* The vocabulary of a normalized action (``STATUS_*``, ``STATUSES`` and its classes, ``ACTION_TYPE_*``,
  ``ACTION_KEYS``, ``API_VERSIONS``) and the normalizers (``normalize_status()``, ``normalize_action()``,
  ``normalize_v1_list()``, ``normalize_v2_list()``) are defined in ``rs_normalize`` and imported from here.
* Object names (``parse_object_name()``, strict ``type:uid``), ``validate_action_uid()``,
  ``validate_action_name()`` and ``filter_actions()``.
* ``ActionsAPI`` detects the version the cluster serves and reads actions through an ``RSClient``.
"""

from __future__ import annotations

import re

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    RSConfigError,
    RSHTTPError,
    RSInvalidResponse,
    RSNotFound,
)
# The vocabulary and the normalizers, imported from here by the other files.
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_normalize import (  # pylint: disable=unused-import
    ACTION_KEYS,
    ACTION_TYPE_OTHER,
    ACTION_TYPE_STATE_MACHINE,
    ACTION_TYPE_TASK,
    ACTION_TYPES,
    API_VERSIONS,
    FAILURE_STATUSES,
    IN_PROGRESS_STATUSES,
    STATUS_CANCELLED,
    STATUS_COMPLETED,
    STATUS_FAILED,
    STATUS_MAP,
    STATUS_QUEUED,
    STATUS_RUNNING,
    STATUS_UNKNOWN,
    STATUSES,
    SUCCESS_STATUSES,
    TERMINAL_STATUSES,
    normalize_action,
    normalize_status,
    normalize_v1_list,
    normalize_v2_list,
    text_value,
)


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


def _object_of(action):
    """The object an action runs on, as ``type:uid`` (type in lowercase), or None.

    A v1 task names no object, only the node it runs on (``node_uid``, see the example of
    ``requests/actions/_index.md`` and the redisctl capture ``tests/fixtures/actions_list.json``), while
    v2 reports the same task with ``additional_info.object_type: node``: such an action runs on ``node:<node_uid>``.
    """
    object_name = _canonical_object_name(action.get('object_name'))
    if object_name is None:
        node_uid = text_value(action.get('node_uid'))
        if node_uid is not None and not any(c.isspace() for c in node_uid):
            return 'node:%s' % node_uid
    return object_name


def _wanted_statuses(status):
    """The set of statuses a ``status`` filter asks for (a list or one string), None for no filter."""
    if isinstance(status, str):
        status = [status]
    if not status:
        return None
    unknown = [value for value in status if value not in STATUSES]
    if unknown:
        raise RSConfigError('status filter values must be among %s; got %s'
                            % (', '.join(STATUSES), ', '.join(repr(value) for value in unknown)))
    return set(status)


def filter_actions(actions, name=None, object_name=None, status=None):
    """Return the actions that match every given filter.

    ``name``: exact action name. ``object_name``: ``type:uid``, the type compared case-insensitively; an
    action that names no object but a ``node_uid`` (a v1 task) runs on ``node:<node_uid>``.
    ``status``: a list of normalized statuses (a single string is accepted).
    """
    wanted_object = None
    if object_name is not None:
        wanted_object = '%s:%s' % parse_object_name(object_name)
    wanted_status = _wanted_statuses(status)
    result = []
    for action in actions:
        if name is not None and action.get('name') != name:
            continue
        if wanted_object is not None and _object_of(action) != wanted_object:
            continue
        if wanted_status is not None and action.get('status') not in wanted_status:
            continue
        result.append(action)
    return result


# HTTP statuses of /v2/actions that make ``auto`` read v1 instead: 404 and 405 (the cluster predates the v2
# actions API, RS before 7.22) and 400 (RS 8.2.0-25 answered invalid_schema to /v2/actions, fixed in 8.2.0-46,
# RS200753: release-notes/rs-8-2-releases/rs-8-2-0-46.md).
V2_FALLBACK_STATUSES = (400, 404, 405)


def _v2_unusable(error):
    """An answer of ``/v2/actions`` that makes ``auto`` fall back to v1 (see ``V2_FALLBACK_STATUSES``)."""
    return isinstance(error, RSHTTPError) and error.status in V2_FALLBACK_STATUSES


def _fallback_warning(error):
    code = '%s %s' % (error.status, error.error_code) if getattr(error, 'error_code', None) else str(error.status)
    if error.status == 400:
        cause = ('RS 8.2.0-25 answered /v2/actions with 400 invalid_schema (fixed in 8.2.0-46); upgrade the '
                 'cluster or set api_version: v1 to silence this warning')
    else:
        cause = 'the cluster has no v2 actions API (RS before 7.22); set api_version: v1 to silence this warning'
    return ('GET /v2/actions answered %s, so the actions are read from the v1 API, which does not list import, '
            'export and backup actions: %s' % (code, cause))


class ActionsAPI:
    """Read actions through an ``RSClient``, on ``v1``, ``v2`` or ``auto`` (v2 when the cluster serves it).

    ``api_version`` is ``v1`` or ``v2`` once known, ``None`` until ``auto`` has detected it. Detection
    happens at most once per instance. When ``auto`` falls back to v1, the reason is added once to
    ``warnings`` (a list the modules show) and passed to ``warn`` (a callable taking one message) when given.

    For a database (``bdb:N``), ``list_for_object()`` does not rely on v2's optional ``additional_info``: it asks
    ``GET /v1/actions/bdb/N`` (RS 7.4.2 and later) which actions are the database's, and remembers the answer per
    instance (see its docstring for the request counts).
    """

    def __init__(self, client, api_version='auto', warn=None):
        if api_version is None:
            api_version = 'auto'
        if api_version not in ('auto',) + API_VERSIONS:
            raise RSConfigError('api_version must be auto, v1 or v2; got %r' % (api_version,))
        self.client = client
        self.requested_api_version = api_version
        self.api_version = None if api_version == 'auto' else api_version
        self.warnings = []
        self._warn_callback = warn
        # GET /v1/actions/bdb/<uid>: None until tried, False once it answered 404 (RS before 7.4.2, or a database
        # that does not exist): then the full list is filtered instead, one request per poll.
        self.bdb_endpoint = None
        # v2 actions without an object, attributed through GET /v1/actions/bdb/<uid>: uid -> object name, and
        # the (bdb uid, action uid) pairs already looked up there (an action absent from the answer is not that
        # database's).
        self._attributed = {}
        self._looked_up = set()

    def _warn(self, message):
        if message in self.warnings:
            return
        self.warnings.append(message)
        if self._warn_callback is not None:
            self._warn_callback(message)

    def _fall_back(self, error):
        self.api_version = 'v1'
        self._warn(_fallback_warning(error))

    # -------------------------------------------------------------- detection

    def _list_v2_or_detect(self, timeout):
        """On v2 or auto: GET /v2/actions and return the normalized list. Returns None when the
        cluster has no usable v2 actions API (then ``api_version`` becomes ``v1``)."""
        try:
            data = self.client.get(('v2', 'actions'), timeout=timeout)
        except RSHTTPError as error:
            if self.api_version is None and _v2_unusable(error):
                self._fall_back(error)
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
                return self._attribute(actions)
        return self._list_v1(timeout)

    def _list_v1(self, timeout):
        try:
            data = self.client.get(('v1', 'actions'), timeout=timeout)
        except RSNotFound:
            # Documented for GET /v1/actions: 404 "Action does not exist (for example, not currently running and
            # no available status of last run)" (requests/actions/_index.md): nothing to report.
            return []
        return normalize_v1_list(data)

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
            if _v2_unusable(error) and not isinstance(error, RSNotFound):
                self._fall_back(error)
                return self._get_v1(uid, timeout)
            if not isinstance(error, RSNotFound):
                raise
            # 404: an unknown uid, or no v2 API at all. One probe of the collection tells which.
            if self._list_v2_or_detect(timeout) is None:
                return self._get_v1(uid, timeout)
            return None
        self.api_version = 'v2'
        action = self._normalize_single(data, 'v2')
        return self._attribute([action])[0] if action is not None else None

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
        """The actions that run (or ran) on ``object_name`` (``type:uid``, e.g. ``bdb:3`` or ``node:1``).

        Any object but a database: the full list (v2, else v1), filtered (``filter_actions()``).

        A database, ``bdb:N``:

        * v1: ``GET /v1/actions/bdb/N``, one request. When it answers 404 (RS before 7.4.2 has no such endpoint;
          a deleted database's actions can still be listed), the full v1 list filtered instead, so the history of
          a deleted database still shows; the 404 is remembered, so later calls cost one request.
        * v2: the full v2 list, filtered on ``additional_info`` (which RS may leave out). When it lists actions that
          name no object and were never looked up, ``GET /v1/actions/bdb/N`` tells which of them are the
          database's; the answer is remembered, so a call costs a second request only when such new actions show up.
        """
        object_type, object_uid = parse_object_name(object_name)
        wanted = '%s:%s' % (object_type, object_uid)
        if self.api_version != 'v1':
            actions = self._list_v2_or_detect(timeout)
            if actions is not None:
                if object_type == 'bdb':
                    return self._bdb_actions_on_v2(actions, object_uid, timeout)
                return filter_actions(self._attribute(actions), object_name=wanted)
        if object_type == 'bdb':
            actions = self._bdb_endpoint(object_uid, timeout)
            if actions is not None:
                return actions
        return filter_actions(self._list_v1(timeout), object_name=wanted)

    def _bdb_endpoint(self, bdb_uid, timeout):
        """``GET /v1/actions/bdb/<bdb_uid>``, normalized; None when the endpoint answered 404 (now or before)."""
        if self.bdb_endpoint is False:
            return None
        try:
            data = self.client.get(('v1', 'actions', 'bdb', bdb_uid), timeout=timeout)
        except RSHTTPError as error:
            if error.status not in (404, 405):
                raise
            self.bdb_endpoint = False
            return None
        self.bdb_endpoint = True
        actions = []
        for item in self._v1_items(data):
            action = normalize_action(item, 'v1', ACTION_TYPE_STATE_MACHINE)
            if action['object_name'] is None:
                action['object_name'] = 'bdb:%s' % bdb_uid
            actions.append(action)
        return actions

    def _bdb_actions_on_v2(self, actions, bdb_uid, timeout):
        wanted = 'bdb:%s' % bdb_uid
        actions = self._attribute(actions)
        anonymous = [action['action_uid'] for action in actions if action['action_uid'] and _object_of(action) is None
                     and (bdb_uid, action['action_uid']) not in self._looked_up]
        extra = []
        if anonymous and self.bdb_endpoint is not False:
            listed = self._bdb_endpoint(bdb_uid, timeout)
            if listed is not None:
                seen = set(action['action_uid'] for action in actions)
                for action in listed:
                    if action['action_uid']:
                        self._attributed[action['action_uid']] = wanted
                    if action['action_uid'] not in seen:
                        extra.append(action)
                self._looked_up.update((bdb_uid, uid) for uid in anonymous)
                actions = self._attribute(actions)
        return filter_actions(actions, object_name=wanted) + extra

    def _attribute(self, actions):
        """Give v2 actions that name no object the object ``GET /v1/actions/bdb/<uid>`` showed them on."""
        if not self._attributed:
            return actions
        result = []
        for action in actions:
            owner = self._attributed.get(action.get('action_uid'))
            if owner is not None and _object_of(action) is None:
                action = dict(action, object_name=owner)
            result.append(action)
        return result

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
