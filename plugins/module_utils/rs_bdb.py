# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""Create, update or delete one database (bdb) for the ``rs_database`` module.

* ``DatabaseManager`` runs the create / update / delete flow against a client with ``get``, ``post``,
  ``put`` and ``delete`` (``RSClient`` or a fake in unit tests). A 409 on ``PUT``/``DELETE`` makes it wait
  for the bdb's running actions (through an injectable ``wait_busy`` callable, ``rs_bdb_busy.make_busy_waiter``)
  and retry a bounded number of times.
* ``find_by_name()`` and ``get_bdb()`` read databases; ``explain_forbidden()`` says why RS refused a write (403).

The options are checked by ``rs_bdb_spec`` (``validate_params()``), the statuses come from ``rs_bdb_settle``.
"""

from __future__ import annotations

import copy
import time

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_actions import (
    ACTION_TYPE_STATE_MACHINE,
    FAILURE_STATUSES,
    IN_PROGRESS_STATUSES,
    ActionsAPI,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb_busy import (
    BUSY_ATTEMPTS,
    BUSY_WAIT_TIMEOUT,
    retry_when_busy,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb_settle import (
    STATUS_CREATION_FAILED,
    STATUS_DELETE_PENDING,
    STATUSES_WITH_RUNNING_ACTION,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb_spec import (
    LOOKUP_FIELDS,
    DuplicateNameError,
    changes_to_send,
    desired_fields,
    diff_view,
    planned_update,
    response_action_uid,
    same_uid,
    validate_params,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    RSAuthError,
    RSConfigError,
    RSConflict,
    RSError,
    RSInvalidResponse,
    RSNotFound,
)

# ---------------------------------------------------------------------- RS requests


def _uid_text(uid):
    return str(uid)


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
        own = response_action_uid(bdb)
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
        failed = [a for a in self._bdb_actions(bdb_uid) if a.get('status') in FAILURE_STATUSES]
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
        if current is None:
            return self._create(name, memory_size, config, uid, update_password)
        self._refuse_unchangeable(name, current)
        wanted = desired_fields(memory_size, config)
        changes = changes_to_send(current, wanted, update_password)
        before, after = diff_view(current, wanted)
        result = dict(changed=bool(changes), database=current, action_uid=self.running_action_uid(current),
                      diff=dict(before=before, after=after))
        if not changes:
            return result
        if self.check_mode:
            result['database'] = planned_update(current, changes)
            return result
        return self._update(name, current, changes, result)

    def _refuse_unchangeable(self, name, current):
        """Fail for a database that ``state=present`` cannot change: being deleted, or whose creation failed."""
        status = current.get('status')
        if status == STATUS_DELETE_PENDING:
            raise RSConfigError(
                'database %r (uid %s) is being deleted (status delete-pending): wait until it is gone, then run '
                'again to create it' % (name, current.get('uid')))
        if status == STATUS_CREATION_FAILED:
            raise self.creation_failed_error(name, current)

    def _update(self, name, current, changes, result):
        """Send ``changes`` (``PUT /v1/bdbs/<uid>``); return ``result`` with the answer."""
        bdb_uid = current.get('uid')
        what = 'Failed to update database %r (PUT /v1/bdbs/%s)' % (name, bdb_uid)
        path = ('v1', 'bdbs', _uid_text(bdb_uid))
        response = self._write('PUT', what, current, lambda: self.client.put(path, json=changes))
        database, result['action_uid'] = self._after_write(response, bdb_uid)
        result['database'] = database or planned_update(current, changes)
        return result

    def _after_write(self, response, bdb_uid=None, name=None):
        """``(database, action_uid)`` after a POST or PUT, whose answer is the bdb object (docs
        ``requests/bdbs/_index.md``) with the ``action_uid`` to follow. When the answer lacks the ``action_uid`` or
        the ``status`` (the docs' examples show neither), the database is read back: its status, and the action
        still running on it (``running_action_uid()``), so that a wait does not skip a database still at work."""
        response = response if isinstance(response, dict) else {}
        action_uid = response_action_uid(response)
        if action_uid is not None and response.get('status'):
            return response, action_uid
        bdb_uid = response.get('uid', bdb_uid)
        bdb = get_bdb(self.client, bdb_uid) if bdb_uid is not None else (self.resolve(name) if name else None)
        if bdb is None:
            return response, action_uid
        return bdb, action_uid or self.running_action_uid(bdb)

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
        result['database'], result['action_uid'] = self._after_write(response, uid, name)
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
        result['action_uid'] = response_action_uid(response)
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
