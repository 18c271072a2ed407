# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""The statuses of a database (bdb), and the database settler the waiter is given.

* ``STATUS_*`` and ``BDB_*_STATUSES``: the bdb statuses this collection reads (``objects/bdb/status.md``), defined
  here only; the waiter (``rs_wait``) names none of them.
* ``bdb_settler(client)``: the ``settle`` callable of ``ActionWaiter``: the outcome of an action on a database that the
  actions API no longer shows running, read from the database (``GET /v1/bdbs/<uid>``).
"""

from __future__ import annotations

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_actions import (
    STATUS_COMPLETED,
    STATUS_FAILED,
    parse_object_name,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSConfigError, RSNotFound
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_settle import (
    OUTCOME_FINISHED_UNKNOWN,
    OUTCOME_UNKNOWN,
    Settlement,
)

STATUS_ACTIVE = 'active'
STATUS_DELETE_PENDING = 'delete-pending'
STATUS_CREATION_FAILED = 'creation-failed'
# Statuses in which the bdb's own ``action_uid`` names the action still running on it.
STATUSES_WITH_RUNNING_ACTION = ('pending', 'active-change-pending', 'import-pending', 'delete-pending', 'recovery')

# Statuses of a database (GET /v1/bdbs/<uid>) after its action vanished: failed, still busy.
BDB_FAILED_STATUSES = (STATUS_CREATION_FAILED,)
BDB_BUSY_STATUSES = ('pending', 'active-change-pending', 'import-pending', 'recovery')
# What the settler calls a database that answers 404.
STATUS_GONE = 'gone (404)'

# Names of the state machines whose meaning the settler knows: a creation moves the database from pending to active
# or creation-failed; an update from active-change-pending back to active, whether it worked or not
# (objects/bdb/status.md; requests/bdbs/_index.md: "The database state will be 'active-change-pending' until the
# request has been fully processed"). RS documents no deletion state machine; an action named like one ends when the
# database answers 404.
CREATE_ACTION = 'SMCreateBDB'
UPDATE_ACTION = 'SMUpdateBDB'


def _bdb_of(action):
    """The uid of the database an action runs on (``bdb:<uid>``), or None."""
    try:
        object_type, object_uid = parse_object_name((action or {}).get('object_name'))
    except RSConfigError:
        return None
    return object_uid if object_type == 'bdb' else None


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
        bdb, status = _read_status(client, bdb_uid, timeout)
        where = 'database bdb:%s' % bdb_uid
        if kind == 'delete':
            return _settle_deletion(status, listed, where)
        return _settle_change(action, bdb, status, kind, listed, where)

    return settle


def _read_status(client, bdb_uid, timeout):
    """``(bdb, status)`` of ``GET /v1/bdbs/<uid>``: status ``STATUS_GONE`` on a 404 (or no body), None for another
    answer that is not an object."""
    try:
        bdb = client.get(('v1', 'bdbs', bdb_uid), timeout=timeout)
    except RSNotFound:
        bdb = None
    return bdb, (STATUS_GONE if bdb is None else (bdb.get('status') if isinstance(bdb, dict) else None))


def _settle_deletion(status, listed, where):
    """The outcome of a deletion: completed when the database is gone, not yet while it is being deleted."""
    if status == STATUS_GONE:
        return Settlement(STATUS_COMPLETED, None)
    if status == STATUS_DELETE_PENDING or listed:
        return Settlement(None, None)
    return Settlement(OUTCOME_UNKNOWN, '%s is in status %s after its deletion; its outcome is unknown' % (where, status))


def _settle_change(action, bdb, status, kind, listed, where):
    """The outcome of any action but a deletion (a creation, an update, an import, ...)."""
    if status in BDB_BUSY_STATUSES:
        return Settlement(None, None)
    if listed and not _finished_while_listed(action, bdb, kind):
        return Settlement(None, None)
    if status == STATUS_ACTIVE:
        return _settle_active(kind, listed, where)
    if status in BDB_FAILED_STATUSES and kind == 'create':
        return Settlement(STATUS_FAILED, '%s is in status %s: the creation failed' % (where, status))
    if listed:
        return Settlement(None, None)
    if status == STATUS_GONE:
        return Settlement(OUTCOME_UNKNOWN, '%s does not exist (404); its outcome is unknown' % where)
    return Settlement(OUTCOME_UNKNOWN, '%s is in status %s; its outcome is unknown' % (where, status))


def _settle_active(kind, listed, where):
    """The outcome of an action whose database is ``active`` (again): only a creation is known to have worked."""
    if kind == 'create':
        return Settlement(STATUS_COMPLETED, None)
    return Settlement(OUTCOME_FINISHED_UNKNOWN, (
        '%s is active again, which it is after %s whether it worked or not: RS did not report the outcome%s. '
        'Check the database' % (where, 'an update' if kind == 'update' else 'such an action',
                                '; RS before 8.0.2-17 could keep listing a finished state machine as running '
                                '(RS166122)' if listed else '')))


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
