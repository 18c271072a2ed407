# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""Database (bdb) helpers for the ``rs_database`` module.

* ``parse_memory_size()`` turns ``100MB``, ``1.5GB``, ``512mb``, ``100MiB`` or plain digits into bytes.
  Every unit is **binary**: ``1KB = 1024``, ``1MB = 1024**2``, ``1GB = 1024**3``, ``1TB = 1024**4``
  (the RS UI shows GB meaning GiB), and ``KiB``/``MiB``/``GiB``/``TiB`` are accepted as synonyms.
* ``validate_name()`` applies the RS name rule before any request is sent.
* ``compute_changes()`` compares the wanted fields with a bdb object and returns only the differing ones.
* ``DatabaseManager`` runs the create / update / delete flow against a client with ``get``, ``post``,
  ``put`` and ``delete`` (``RSClient`` or a fake in unit tests). A 409 on ``PUT``/``DELETE`` makes it wait
  for the bdb's running actions (through an injectable ``wait_busy`` callable) and retry a bounded
  number of times.
"""

from __future__ import annotations

import copy
import math
import random
import re
import time
from decimal import Decimal, InvalidOperation

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_actions import (
    ACTION_TYPE_STATE_MACHINE,
    IN_PROGRESS_STATUSES,
    STATUS_COMPLETED,
    STATUS_FAILED,
    ActionsAPI,
    parse_object_name,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    RSAuthError,
    RSConfigError,
    RSConflict,
    RSError,
    RSInvalidResponse,
    RSNotFound,
    RSTimeoutError,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait import (
    OUTCOME_FINISHED_UNKNOWN,
    OUTCOME_UNKNOWN,
    ActionWaiter,
    Settlement,
)

NAME_MAX_LENGTH = 63
# Matched whole (\Z, not $): YAML's folded scalars (name: >) end with a newline, which $ would let through.
_NAME_RE = re.compile(r'\A[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\Z')

_KIB = 1024
_UNITS = {
    '': 1, 'b': 1, 'byte': 1, 'bytes': 1,
    'k': _KIB, 'kb': _KIB, 'kib': _KIB,
    'm': _KIB ** 2, 'mb': _KIB ** 2, 'mib': _KIB ** 2,
    'g': _KIB ** 3, 'gb': _KIB ** 3, 'gib': _KIB ** 3,
    't': _KIB ** 4, 'tb': _KIB ** 4, 'tib': _KIB ** 4,
}
_SIZE_RE = re.compile(r'\A\s*(\d+(?:\.\d*)?|\.\d+)\s*([A-Za-z]*)\s*\Z')
# The smallest database RS creates is 1 MiB (it refuses smaller sizes, or rounds them up to the shard minimum).
MEMORY_SIZE_MIN = _KIB ** 2
# No RS cluster holds a petabyte of database memory (RAM and flash together): a larger size is a typo (1e30, a
# wrong unit), refused before RS tries to place it.
MEMORY_SIZE_MAX = _KIB ** 5
# Deepest nesting of config values: RS's bdb fields nest at most 3 or 4 levels (e.g. module_list[].module_args).
CONFIG_MAX_DEPTH = 16

# Keys of ``config`` that have their own option (or must not be changed through config).
RESERVED_CONFIG_KEYS = ('name', 'uid', 'memory_size')

# Fields requested when looking a name up.
LOOKUP_FIELDS = 'uid,name,status'

# How many times a PUT/DELETE is sent when RS answers 409 (the first try included).
BUSY_ATTEMPTS = 3
# Total time spent waiting for the running actions of a busy bdb, over all retries (seconds).
BUSY_WAIT_TIMEOUT = 300.0

STATUS_DELETE_PENDING = 'delete-pending'
STATUS_CREATION_FAILED = 'creation-failed'
# Statuses in which the bdb's own ``action_uid`` names the action still running on it.
STATUSES_WITH_RUNNING_ACTION = ('pending', 'active-change-pending', 'import-pending', 'delete-pending', 'recovery')

# Statuses of a database (GET /v1/bdbs/<uid>) after its action vanished: done, failed, still busy.
BDB_DONE_STATUSES = ('active',)
BDB_FAILED_STATUSES = (STATUS_CREATION_FAILED,)
BDB_BUSY_STATUSES = ('pending', 'active-change-pending', 'import-pending', 'recovery')


class DuplicateNameError(RSError):
    """Several databases carry the requested name; ``uids`` lists them."""

    def __init__(self, msg, uids):
        super(DuplicateNameError, self).__init__(msg)
        self.uids = list(uids)

    def to_result(self):
        result = super(DuplicateNameError, self).to_result()
        result['uids'] = list(self.uids)
        return result


# ---------------------------------------------------------------------- validation


def parse_memory_size(value):
    """Return ``value`` in bytes (an int > 0).

    Accepts an int, or a string of digits (optionally with a decimal part) followed by an optional
    unit: ``B``, ``K``/``KB``/``KiB``, ``M``/``MB``/``MiB``, ``G``/``GB``/``GiB``, ``T``/``TB``/``TiB``
    (case-insensitive, spaces allowed). All units are binary: ``1GB == 1GiB == 1024**3`` bytes.
    The result must be a whole number of bytes (``1.5GB`` is, ``1.5`` is not) between ``MEMORY_SIZE_MIN``
    (1 MiB) and ``MEMORY_SIZE_MAX`` (1 PiB). Raises ``RSConfigError``.
    """
    if value is None or isinstance(value, bool):
        raise RSConfigError('memory_size must be a size such as 1073741824, 100MB or 1GB, not %r' % (value,))
    if isinstance(value, int):
        number, unit = Decimal(value), ''
    elif isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise RSConfigError('memory_size must be a finite size, not %r' % (value,))
        number, unit = Decimal(repr(value)), ''
    elif isinstance(value, str):
        match = _SIZE_RE.match(value)
        if not match:
            if value.strip().startswith('-'):
                raise RSConfigError('memory_size must be greater than 0, not %r' % value)
            raise RSConfigError(
                'memory_size %r is not a size: use bytes (1073741824) or a number with a binary unit such as '
                '100MB, 512mb, 1.5GB or 100MiB' % value)
        try:
            number = Decimal(match.group(1))
        except InvalidOperation:  # pragma: no cover - the pattern only lets valid numbers through
            raise RSConfigError('memory_size %r is not a size' % value) from None
        unit = match.group(2).lower()
        if unit not in _UNITS:
            raise RSConfigError(
                'memory_size %r has an unknown unit %r: use B, KB, MB, GB or TB (binary: 1GB = 1024^3 bytes; '
                'KiB, MiB, GiB and TiB are accepted too)' % (value, match.group(2)))
    else:
        raise RSConfigError('memory_size must be a size such as 1073741824, 100MB or 1GB, not a %s' % type(value).__name__)
    exact = number * _UNITS[unit]
    if exact <= 0:
        raise RSConfigError('memory_size must be greater than 0 bytes, got %r' % (value,))
    if exact != exact.to_integral_value():
        raise RSConfigError(
            'memory_size %r is not a whole number of bytes (%s): give bytes as an integer, or a size with a unit '
            'such as 100MB or 1.5GB' % (value, format(exact.normalize(), 'f')))
    if exact < MEMORY_SIZE_MIN:
        raise RSConfigError('memory_size %r is %d bytes: RS databases need at least 1MB (%d bytes)'
                            % (value, int(exact), MEMORY_SIZE_MIN))
    if exact > MEMORY_SIZE_MAX:
        raise RSConfigError('memory_size %r is larger than 1024TB (1 PiB), which no RS cluster can place: check the '
                            'number and its unit (binary: 1GB = 1024^3 bytes)' % (value,))
    return int(exact)


def validate_name(name):
    """Check the RS database name rule; return the name or raise ``RSConfigError``."""
    if not isinstance(name, str) or not name:
        raise RSConfigError('name must be a non-empty string')
    if len(name) > NAME_MAX_LENGTH:
        raise RSConfigError('name %r is %d characters long: RS allows at most %d' % (name, len(name), NAME_MAX_LENGTH))
    if not _NAME_RE.match(name):
        raise RSConfigError(
            'name %r is not a valid database name: use only letters, digits and hyphens, starting and ending with '
            'a letter or a digit (at most %d characters)' % (name, NAME_MAX_LENGTH))
    return name


def validate_bdb_uid(uid):
    """Return ``uid`` as an int >= 1 (or ``None``); raise ``RSConfigError`` otherwise."""
    if uid is None:
        return None
    if isinstance(uid, bool):
        raise RSConfigError('uid must be a positive integer, not %r' % (uid,))
    try:
        value = int(uid)
    except (TypeError, ValueError):
        raise RSConfigError('uid must be a positive integer, not %r' % (uid,)) from None
    if value < 1 or str(value) != str(uid):
        raise RSConfigError('uid must be a positive integer, not %r' % (uid,))
    return value


def validate_config(config):
    """Return a copy of ``config`` (a dict, may be ``None``); reject keys that have their own option."""
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise RSConfigError('config must be a dictionary of bdb fields')
    for key in config:
        if not isinstance(key, str) or not key:
            raise RSConfigError('config keys must be non-empty strings, got %r' % (key,))
    reserved = sorted(k for k in config if k in RESERVED_CONFIG_KEYS)
    if reserved:
        raise RSConfigError(
            'config must not contain %s: use the option(s) of the same name instead' % ', '.join(reserved))
    _check_config_value(config, 'config', 0)
    return copy.deepcopy(config)


def _check_config_value(value, where, depth):
    """Refuse what JSON cannot carry to RS (infinity, NaN) and absurd nesting, naming the field."""
    if depth > CONFIG_MAX_DEPTH:
        raise RSConfigError('%s is nested more than %d levels deep: RS fields never are' % (where, CONFIG_MAX_DEPTH))
    if isinstance(value, float) and (math.isinf(value) or math.isnan(value)):
        raise RSConfigError('%s must be a finite number, not %r' % (where, value))
    if isinstance(value, dict):
        for key, item in value.items():
            _check_config_value(item, '%s.%s' % (where, key), depth + 1)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _check_config_value(item, '%s[%d]' % (where, index), depth + 1)


UPDATE_PASSWORD_CHOICES = ('on_create', 'always')


def validate_params(name, state='present', memory_size=None, config=None, uid=None, update_password='on_create'):
    """Validate the module options before any request; return a dict of normalised values."""
    if state not in ('present', 'absent'):
        raise RSConfigError('state must be present or absent, not %r' % (state,))
    if update_password is None:
        update_password = 'on_create'
    if update_password not in UPDATE_PASSWORD_CHOICES:
        raise RSConfigError('update_password must be on_create or always, not %r' % (update_password,))
    return dict(
        name=validate_name(name),
        state=state,
        memory_size=None if memory_size is None else parse_memory_size(memory_size),
        config=validate_config(config),
        uid=validate_bdb_uid(uid),
        update_password=update_password,
    )


# ---------------------------------------------------------------------- comparison


def values_equal(wanted, current):
    """Compare a wanted value with the value RS returned.

    Dicts compare only the keys of ``wanted`` that RS returned (extra keys in ``current`` are read-only
    details); lists compare element by element, in order; booleans never equal numbers; ints equal
    floats of the same value.
    """
    if isinstance(wanted, dict):
        if not isinstance(current, dict):
            return False
        return all(values_equal(v, current[k]) for k, v in wanted.items() if k in current)
    if isinstance(wanted, (list, tuple)):
        if not isinstance(current, (list, tuple)) or len(wanted) != len(current):
            return False
        return all(values_equal(w, c) for w, c in zip(wanted, current))
    if isinstance(wanted, bool) or isinstance(current, bool):
        return isinstance(wanted, bool) and isinstance(current, bool) and wanted == current
    return wanted == current


def desired_fields(memory_size=None, config=None):
    """The fields the module manages: ``config`` plus ``memory_size`` when given."""
    fields = copy.deepcopy(config) if config else {}
    if memory_size is not None:
        fields['memory_size'] = memory_size
    return fields


def compute_changes(current, wanted):
    """Compare ``wanted`` (field -> value) with the bdb object ``current``.

    Returns ``(changes, unreturned)``: ``changes`` holds only the fields whose value differs (the PUT
    payload); ``unreturned`` lists the wanted keys RS does not return (write-only fields such as
    passwords), which cannot be compared and are therefore neither compared nor sent.
    """
    changes = {}
    unreturned = []
    for key in sorted(wanted):
        if key not in current:
            unreturned.append(key)
            continue
        if not values_equal(wanted[key], current[key]):
            changes[key] = copy.deepcopy(wanted[key])
    return changes, unreturned


def diff_view(current, wanted):
    """``before``/``after`` of the compared fields (``name`` plus the wanted keys RS returned)."""
    before = {'name': current.get('name')}
    for key in sorted(wanted):
        if key in current:
            before[key] = copy.deepcopy(current[key])
    after = copy.deepcopy(before)
    changes, dummy = compute_changes(current, wanted)
    after.update(changes)
    return before, after


# ---------------------------------------------------------------------- RS requests


def _uid_text(uid):
    return str(uid)


def same_uid(left, right):
    return left is not None and right is not None and str(left) == str(right)


def find_by_name(client, name):
    """Return the summaries (``uid``, ``name``, ``status``) of every bdb called ``name`` (case-sensitive)."""
    bdbs = client.get(('v1', 'bdbs'), params={'fields': LOOKUP_FIELDS}) or []
    if not isinstance(bdbs, list):
        raise RSInvalidResponse('GET /v1/bdbs did not return a JSON array of databases (%s)' % type(bdbs).__name__)
    return [b for b in bdbs if isinstance(b, dict) and b.get('name') == name]


def get_bdb(client, uid):
    """Return the full bdb object, or ``None`` when RS answers 404."""
    try:
        bdb = client.get(('v1', 'bdbs', _uid_text(uid)))
    except RSNotFound:
        return None
    return bdb if isinstance(bdb, dict) else None


# 409 error codes that do not mean "busy, retry later".
NOT_BUSY_CONFLICTS = ('uid_exists', 'name_exists', 'name_already_exists', 'wrong_cluster_state_id')
# 409 error codes of a duplicate on POST /v1/bdbs: uid_exists (requests/bdbs/_index.md); a duplicate name is not
# documented for databases, other objects answer name_already_exists (requests/roles|users|redis_acls/_index.md).
DUPLICATE_CONFLICTS = ('uid_exists', 'name_exists', 'name_already_exists')

# The likely causes of a 403 on a database write besides a missing permission (requests/bdbs/_index.md, status
# codes): POST and PUT "redislabs license expired"; DELETE "Attempting to delete an internal database".
FORBIDDEN_CAUSES = {
    'POST': ('the cluster license has expired (RS refuses database writes then)', 'create_bdb'),
    'PUT': ('the cluster license has expired (RS refuses database writes then)', 'update_bdb'),
    'DELETE': ('the database is an internal database, which RS never deletes', 'delete_bdb'),
}


def explain_forbidden(exc, method, what, username=None):
    """Rewrite the message of a 403 on a database write: RS's own description first, then the likely causes."""
    if not isinstance(exc, RSAuthError) or exc.status != 403 or method not in FORBIDDEN_CAUSES:
        return exc
    cause, permission = FORBIDDEN_CAUSES[method]
    code = '403 %s' % exc.error_code if exc.error_code else '403'
    said = ': %s' % exc.description if exc.description else ' without a description'
    user = 'user %r' % username if username else 'the user'
    exc.msg = ('%s: RS answered %s%s. Likely cause: %s, or the role of %s lacks the permission %s'
               % (what, code, said, cause, user, permission))
    return exc


def is_busy_conflict(exc):
    """A 409 on PUT/DELETE of an existing bdb: it is busy with another change (or not ``active`` yet)."""
    return isinstance(exc, RSConflict) and exc.error_code not in NOT_BUSY_CONFLICTS


def retry_when_busy(operation, uid, wait_busy, what, attempts=BUSY_ATTEMPTS, wait_timeout=BUSY_WAIT_TIMEOUT,
                    clock=time.monotonic):
    """Call ``operation()``; on a busy 409, call ``wait_busy(uid, timeout)`` and try again.

    ``operation`` is tried at most ``attempts`` times. ``wait_busy`` waits until bdb ``uid`` has no running
    action (or raises ``RSError``); the waits share one budget of ``wait_timeout`` seconds. Without
    ``wait_busy`` a 409 fails at once. The final failure is an ``RSConflict`` that keeps RS's
    ``error_code`` and ``description``.
    """
    deadline = clock() + wait_timeout
    attempt = 0
    while True:
        attempt += 1
        try:
            return operation()
        except RSConflict as exc:
            if not is_busy_conflict(exc) or wait_busy is None:
                raise
            left = deadline - clock()
            if attempt >= attempts or left <= 0:
                detail = []
                if exc.error_code:
                    detail.append(exc.error_code)
                if exc.description:
                    detail.append(exc.description)
                raise RSConflict(
                    '%s: bdb:%s stayed busy: RS answered 409 (%s) %d time(s), waiting for its running actions '
                    'between attempts (wait budget %g s); retry later'
                    % (what, uid, ': '.join(detail) or 'conflict', attempt, wait_timeout),
                    status=exc.status, error_code=exc.error_code, description=exc.description, url=exc.url) from None
            try:
                wait_busy(uid, left)
            except RSError as wait_exc:
                wait_exc.msg = '%s: RS answered 409 (busy) and waiting for the running actions of bdb:%s failed: %s' % (
                    what, uid, wait_exc.msg)
                raise


def _bdb_of(action):
    """The uid of the database an action runs on (``bdb:<uid>``), or None."""
    try:
        object_type, object_uid = parse_object_name((action or {}).get('object_name'))
    except RSConfigError:
        return None
    return object_uid if object_type == 'bdb' else None


# Names of the state machines whose meaning the settler knows: a creation moves the database from pending to active
# or creation-failed; an update from active-change-pending back to active, whether it worked or not
# (objects/bdb/status.md; requests/bdbs/_index.md: "The database state will be 'active-change-pending' until the
# request has been fully processed"). RS documents no deletion state machine; an action named like one ends when the
# database answers 404.
CREATE_ACTION = 'SMCreateBDB'
UPDATE_ACTION = 'SMUpdateBDB'
STATUS_ACTIVE = 'active'
STATUS_GONE = 'gone (404)'


def _kind_of(action):
    name = ((action or {}).get('name') or '').lower()
    if name == CREATE_ACTION.lower():
        return 'create'
    if 'delete' in name:
        return 'delete'
    if name == UPDATE_ACTION.lower():
        return 'update'
    return 'other'


def bdb_settler(client):
    """Return ``settle(action, timeout, listed=False)`` for ``ActionWaiter``: the outcome of an action on a database
    that the actions API no longer shows running, read from the database (``GET /v1/bdbs/<uid>``).

    It never claims an outcome RS did not report:

    * a creation (``SMCreateBDB``) whose database is ``active`` completed; ``creation-failed`` means it failed;
    * a deletion whose database answers 404 completed;
    * any other action (an update, an import, ...) whose database is ``active`` again is over, but ``active`` is where
      the database goes whether the change worked or not: the outcome is ``finished-unknown`` (a warning, never
      ``completed``);
    * a busy status (``pending``, ``active-change-pending``, ``import-pending``, ``recovery``, ``delete-pending`` for a
      deletion) is not settled yet; anything else leaves the outcome ``unknown`` (a failure).

    ``listed=True``: RS still lists the state machine as running, at 100 % or without any change for a long time (RS
    before 8.0.2-17 could report a finished state machine as running, RS166122). Then only evidence from the database
    ends the wait: it is ``active`` and, unless the state machine is at 100 % or is a creation or an update (whose
    running keeps the database out of ``active``), its ``action_uid`` names no action or another one. Otherwise the
    wait goes on (outcome None). Actions on other objects get None.
    """

    def settle(action, timeout, listed=False):
        bdb_uid = _bdb_of(action)
        if bdb_uid is None or client is None:
            return None
        if timeout is None:
            return Settlement(None, None)  # no more requests past the deadline: the timeout reports it
        kind = _kind_of(action)
        try:
            bdb = client.get(('v1', 'bdbs', bdb_uid), timeout=timeout)
        except RSNotFound:
            bdb = None
        status = STATUS_GONE if bdb is None else (bdb.get('status') if isinstance(bdb, dict) else None)
        where = 'database bdb:%s' % bdb_uid
        if kind == 'delete':
            if status == STATUS_GONE:
                return Settlement(STATUS_COMPLETED, None)
            if status == STATUS_DELETE_PENDING or listed:
                return Settlement(None, None)
            return Settlement(OUTCOME_UNKNOWN, '%s is in status %s after its deletion; its outcome is unknown' % (where, status))
        if status in BDB_BUSY_STATUSES:
            return Settlement(None, None)
        if listed and not _finished_while_listed(action, bdb, kind):
            return Settlement(None, None)
        if status == STATUS_ACTIVE:
            if kind == 'create':
                return Settlement(STATUS_COMPLETED, None)
            return Settlement(OUTCOME_FINISHED_UNKNOWN, (
                '%s is active again, which it is after %s whether it worked or not: RS did not report the outcome%s. '
                'Check the database' % (where, 'an update' if kind == 'update' else 'such an action',
                                        '; RS before 8.0.2-17 could keep listing a finished state machine as running '
                                        '(RS166122)' if listed else '')))
        if status in BDB_FAILED_STATUSES and kind == 'create':
            return Settlement(STATUS_FAILED, '%s is in status %s: the creation failed' % (where, status))
        if listed:
            return Settlement(None, None)
        if status == STATUS_GONE:
            return Settlement(OUTCOME_UNKNOWN, '%s does not exist (404); its outcome is unknown' % where)
        return Settlement(OUTCOME_UNKNOWN, '%s is in status %s; its outcome is unknown' % (where, status))

    return settle


def _finished_while_listed(action, bdb, kind):
    """Whether the database shows that a state machine RS still lists as running is over (see ``bdb_settler``)."""
    if not isinstance(bdb, dict) or bdb.get('status') not in (STATUS_ACTIVE,) + BDB_FAILED_STATUSES:
        return False
    progress = action.get('progress')
    at_full = isinstance(progress, (int, float)) and not isinstance(progress, bool) and progress >= 100
    if at_full or kind in ('create', 'update'):
        return True
    current = bdb.get('action_uid')
    return current in (None, '') or str(current) != str(action.get('action_uid'))


# Pause before a retry when RS said busy but no running action of the bdb was visible.
BUSY_MIN_PAUSE = 2.0


def make_busy_waiter(client, sleep=time.sleep, clock=time.monotonic, min_pause=BUSY_MIN_PAUSE, rng=random.random):
    """Return ``wait_busy(uid, timeout)``: wait until bdb ``uid`` has no queued or running action.

    It runs the shared wait loop (``rs_wait.ActionWaiter``) in object mode on ``bdb:<uid>``, so the
    busy wait has the same adaptive polling and tolerance of transient faults as ``rs_action_wait``.
    A blocking action that fails still ends the wait: the database is no longer busy, and the retried
    request gets RS's own answer. Raises ``RSTimeoutError`` when actions still run after ``timeout``
    seconds, and the waiter's error when it hits a permanent one. When no running action was visible
    at all, it pauses ``min_pause`` seconds, so that the retry is not sent at once.
    """
    api = ActionsAPI(client)

    def wait_busy(uid, timeout):
        object_name = 'bdb:%s' % uid
        waiter = ActionWaiter(api, object_name=object_name, settle=bdb_settler(client), timeout=timeout, fail_fast=False,
                              request_timeout=getattr(client, 'request_timeout', timeout), clock=clock, sleep=sleep, rng=rng)
        result = waiter.run()
        if result.get('timed_out'):
            raise RSTimeoutError('the actions of %s were still running after %g s: %s' % (object_name, timeout, result['msg']))
        if result.get('failed') and not result.get('failed_actions'):
            # A permanent error while reading the actions (401, 403, TLS, ...): report it as it is.
            raise RSError(result['msg'], status=result.get('status'), error_code=result.get('error_code'),
                          description=result.get('description'))
        if not any(entry['status'] in IN_PROGRESS_STATUSES for entry in result.get('history', [])):
            sleep(max(0.0, min(min_pause, timeout)))

    return wait_busy


# ---------------------------------------------------------------------- flow


class DatabaseManager:
    """Create, update or delete one database, idempotently by name.

    ``client`` needs ``get``, ``post``, ``put`` and ``delete`` taking a path tuple (like ``RSClient``).
    ``wait_busy(uid, timeout)`` waits for the running actions of bdb ``uid``; ``None`` disables retries.
    """

    def __init__(self, client, check_mode=False, wait_busy=None, busy_attempts=BUSY_ATTEMPTS,
                 busy_wait_timeout=BUSY_WAIT_TIMEOUT, clock=time.monotonic):
        self.client = client
        self.check_mode = check_mode
        self.wait_busy = wait_busy
        self.busy_attempts = busy_attempts
        self.busy_wait_timeout = busy_wait_timeout
        self.clock = clock
        self.warnings = []
        # The uid of the database being deleted (state=absent), for a wait until it is gone.
        self.target_uid = None

    # -- lookup

    def resolve(self, name, uid=None):
        """Return the full bdb object named ``name`` (and with ``uid`` when given), or ``None``.

        Fails (``DuplicateNameError``) when several bdbs share the name and ``uid`` does not pick one,
        and (``RSConfigError``) when ``uid`` belongs to a database with another name.
        """
        matches = find_by_name(self.client, name)
        uids = [m.get('uid') for m in matches]
        if uid is not None:
            chosen = [m for m in matches if same_uid(m.get('uid'), uid)]
            if chosen:
                return self._load(chosen[0].get('uid'), name)
            if matches:
                raise RSConfigError(
                    'database %r exists with uid %s, not uid %s: fix uid or name'
                    % (name, ', '.join(str(u) for u in uids), uid))
            other = get_bdb(self.client, uid)
            if other is not None:
                raise RSConfigError(
                    'uid %s belongs to the database %r, not %r: fix uid or name' % (uid, other.get('name'), name))
            return None
        if len(matches) > 1:
            raise DuplicateNameError(
                'several databases are named %r (uids %s): RS does not enforce unique names; set the uid option to '
                'choose one, or rename the others' % (name, ', '.join(str(u) for u in uids)), uids)
        if matches:
            return self._load(matches[0].get('uid'), name)
        return None

    def _load(self, uid, name):
        bdb = get_bdb(self.client, uid)
        if bdb is not None and bdb.get('name') not in (None, name):
            raise RSConfigError('database uid %s is now named %r, not %r' % (uid, bdb.get('name'), name))
        return bdb

    # -- flows

    def run(self, name, state='present', memory_size=None, config=None, uid=None, update_password='on_create'):
        """Validate the options, then ensure the state. Returns the module result (without warnings)."""
        params = validate_params(name, state, memory_size, config, uid, update_password)
        if params['state'] == 'absent':
            return self.ensure_absent(params['name'], params['uid'])
        return self.ensure_present(params['name'], params['memory_size'], params['config'], params['uid'],
                                   params['update_password'])

    def running_action_uid(self, bdb):
        """The uid of the action still running on ``bdb`` (started by this run or an earlier one), or None.

        The bdb's own ``action_uid`` (RS sets it while an action runs) when its status says an action runs;
        without it, the first queued or running state machine of ``GET /v1/actions/bdb/<uid>``.
        """
        if not isinstance(bdb, dict) or bdb.get('status') not in STATUSES_WITH_RUNNING_ACTION:
            return None
        own = _action_uid(bdb)
        if own is not None or bdb.get('uid') is None:
            return own
        for action in self._bdb_actions(bdb.get('uid')):
            if action.get('status') in IN_PROGRESS_STATUSES:
                return action.get('action_uid')
        return None

    def _bdb_actions(self, bdb_uid):
        """The normalized v1 state machines of database ``bdb_uid``: ``GET /v1/actions/bdb/<uid>``, or, where that
        answers 404 (RS before 7.4.2-54 has no such endpoint), the full ``GET /v1/actions`` list filtered on the
        database (``ActionsAPI.list_for_object``)."""
        actions = ActionsAPI(self.client, api_version='v1').list_for_object('bdb:%s' % _uid_text(bdb_uid))
        return [action for action in actions if action.get('action_type') == ACTION_TYPE_STATE_MACHINE]

    def creation_failed_error(self, name, bdb):
        """The error for ``state=present`` on a ``creation-failed`` database, with RS's own error when known."""
        bdb_uid = bdb.get('uid')
        failed = [a for a in self._bdb_actions(bdb_uid) if a.get('status') in ('failed', 'cancelled')]
        reason = None
        error_code = None
        if failed:
            reason = failed[-1].get('error') or failed[-1].get('description')
            error_code = failed[-1].get('error_code')
        detail = 'RS reported: %s%s' % (reason, ' (%s)' % error_code if error_code else '') if reason else \
            'RS gave no error for the failed creation'
        return RSError(
            'database %r (uid %s) is in status creation-failed; %s. RS does not repair a failed creation: delete it '
            '(state: absent), fix the cause (for example free memory, or change memory_size or config), then run '
            'again to create it' % (name, bdb_uid, detail), error_code=error_code or 'creation_failed',
            description=reason)

    def ensure_present(self, name, memory_size=None, config=None, uid=None, update_password='on_create'):
        config = config or {}
        current = self.resolve(name, uid)
        wanted = desired_fields(memory_size, config)
        if current is None:
            return self._create(name, memory_size, config, uid, update_password)
        status = current.get('status')
        bdb_uid = current.get('uid')
        if status == STATUS_DELETE_PENDING:
            raise RSConfigError(
                'database %r (uid %s) is being deleted (status delete-pending): wait until it is gone, then run '
                'again to create it' % (name, bdb_uid))
        if status == STATUS_CREATION_FAILED:
            raise self.creation_failed_error(name, current)
        changes, unreturned = compute_changes(current, wanted)
        if unreturned and update_password == 'always':
            # Fields RS never returns (passwords) cannot be compared: with update_password=always they are sent.
            for key in unreturned:
                changes[key] = copy.deepcopy(wanted[key])
        before, after = diff_view(current, wanted)
        result = dict(changed=bool(changes), database=current, action_uid=self.running_action_uid(current),
                      diff=dict(before=before, after=after))
        if not changes:
            return result
        if self.check_mode:
            planned = copy.deepcopy(current)
            planned.update(copy.deepcopy(changes))
            result['database'] = planned
            return result
        what = 'Failed to update database %r (PUT /v1/bdbs/%s)' % (name, bdb_uid)
        path = ('v1', 'bdbs', _uid_text(bdb_uid))
        response = self._write('PUT', what, current, lambda: self.client.put(path, json=changes))
        # action_uid comes from the PUT response only: a bdb read back may show another action.
        result['action_uid'] = _action_uid(response)
        if not isinstance(response, dict) or not response:
            response = get_bdb(self.client, bdb_uid) or planned_update(current, changes)
        result['database'] = response
        return result

    def _create(self, name, memory_size, config, uid, update_password='on_create'):
        if memory_size is None:
            raise RSConfigError(
                'database %r does not exist and memory_size is required to create it (for example memory_size: 1GB)'
                % name)
        body = copy.deepcopy(config)
        body['name'] = name
        body['memory_size'] = memory_size
        if uid is not None:
            body['uid'] = uid
        after = dict((k, copy.deepcopy(body[k])) for k in sorted(body))
        result = dict(changed=True, database={}, action_uid=None, diff=dict(before={}, after=after))
        if self.check_mode:
            # What would be created: the body that would be sent, with the uid RS would choose unknown (null).
            planned = copy.deepcopy(body)
            planned.setdefault('uid', None)
            result['database'] = planned
            return result
        what = 'Failed to create database %r (POST /v1/bdbs)' % name
        try:
            response = self._with_context(what, lambda: self.client.post(('v1', 'bdbs'), json=body), 'POST')
        except RSConflict as exc:
            # A concurrent run that created the same database first makes RS answer 409 uid_exists (with a
            # fixed uid) or name_exists / name_already_exists (when RS refuses duplicate names): converge on that database instead
            # of failing (resolve() fails when the uid belongs to a database with another name).
            if exc.error_code not in DUPLICATE_CONFLICTS:
                raise
            winner = self.resolve(name, uid)
            if winner is None:
                raise
            self.warnings.append('database %r (uid %s) was created by someone else while this task ran; '
                                 'using it' % (name, winner.get('uid')))
            return self.ensure_present(name, memory_size, config, uid, update_password)
        if not isinstance(response, dict) or not response:
            response = {}
        result['database'] = response
        result['action_uid'] = _action_uid(response)
        return result

    def ensure_absent(self, name, uid=None):
        current = self.resolve(name, uid)
        result = dict(changed=False, database={}, action_uid=None, diff=dict(before={}, after={}))
        if current is None:
            return result
        bdb_uid = current.get('uid')
        before = dict((k, current[k]) for k in ('uid', 'name', 'status', 'memory_size') if k in current)
        if current.get('status') == STATUS_DELETE_PENDING:
            # Already being deleted: nothing to do (a second DELETE would be refused with 409).
            result['action_uid'] = self.running_action_uid(current)
            self.target_uid = bdb_uid
            return result
        result['diff'] = dict(before=before, after={})
        result['changed'] = True
        self.target_uid = bdb_uid
        if self.check_mode:
            return result
        what = 'Failed to delete database %r (DELETE /v1/bdbs/%s)' % (name, bdb_uid)
        try:
            response = self._write('DELETE', what, current, lambda: self.client.delete(('v1', 'bdbs', _uid_text(bdb_uid))))
        except RSNotFound:
            # Deleted by someone else in the meantime.
            result['changed'] = False
            result['diff'] = dict(before={}, after={})
            return result
        result['action_uid'] = _action_uid(response)
        return result

    def _write(self, method, what, current, operation):
        """Send a PUT or DELETE to an existing database: retried after its running actions on a busy 409, except
        in status ``creation-failed``.

        RS updates and deletes *active* databases (``requests/bdbs/_index.md``: DELETE answers 409 when "the database
        is not in 'active' state and cannot be deleted"), and ``creation-failed`` has no way out
        (``objects/bdb/status.md``). So on such a database the request is sent once, and a refusal fails at once
        instead of waiting for actions that will never change its status.
        """
        bdb_uid = current.get('uid')
        if current.get('status') == STATUS_CREATION_FAILED:
            try:
                return self._with_context(what, operation, method)
            except RSConflict as exc:
                verb = 'update' if method == 'PUT' else 'delete'
                said = exc.description or exc.error_code or 'conflict'
                exc.msg = ('%s: RS refused to %s the database in status creation-failed (409: %s). RS %ss only active '
                           'databases and creation-failed is final, so retrying will not help: remove the database '
                           'with the Cluster Manager UI or rladmin, or ask Redis support' % (what, verb, said, verb))
                raise
        return self._with_context(what, lambda: retry_when_busy(
            operation, bdb_uid, self.wait_busy, what, self.busy_attempts, self.busy_wait_timeout, self.clock), method)

    def _with_context(self, what, call, method=None):
        try:
            return call()
        except RSError as exc:
            if isinstance(exc, RSAuthError) and exc.status == 403 and method in FORBIDDEN_CAUSES:
                raise explain_forbidden(exc, method, what, getattr(self.client, 'username', None))
            if not exc.msg.startswith(what):
                exc.msg = '%s: %s' % (what, exc.msg)
            raise


def planned_update(current, changes):
    planned = copy.deepcopy(current)
    planned.update(copy.deepcopy(changes))
    return planned


def _action_uid(response):
    if isinstance(response, dict):
        value = response.get('action_uid')
        if value not in (None, ''):
            return str(value)
    return None
