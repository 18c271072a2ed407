# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""``wait`` and ``wait_timeout`` of the modules that start work (``rs_database``, ``rs_database_action``,
``rs_node_action``): one option spec, and the waits they run.

* ``await_argument_spec()``: the two options (doc fragment ``redis_enterprise.software.wait``).
* ``wait_for_actions()``: the shared wait loop (``rs_wait.ActionWaiter``) on action uids, or in object mode on
  ``bdb:<uid>`` (optionally one action name). Every call of the waiter by these modules goes through it.
* ``wait_until_gone()``: poll ``GET /v1/bdbs/<uid>`` until RS answers 404 (a deletion).
* ``wait_for_bdb_field()``: poll a field of the bdb (``export_status``, ``import_status``) until it reads done
  or failed: the way RS documents to follow an export or an import, which have no ``action_uid``.
* ``wait_for_node_action()``: poll ``GET /v1/nodes/<uid>/actions/<action>`` until the action's status is final: the
  way RS documents to follow a node action whose POST answered without a uid (``requests/nodes/actions.md``: "The
  body content may provide additional action details").
* ``wait_for_uid_or()``: wait for an action uid, and where the actions API never shows it, follow the status RS
  documents for that work instead (chained with ``then_wait()``, which adds up the time of both waits).

Each returns a result dict with at least ``failed``, ``msg``, ``actions``, ``elapsed`` and ``timed_out``.
``clock`` and ``sleep`` are injectable, so unit tests run on a fake clock.
"""

from __future__ import annotations

import math
import random
import time

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_actions import (
    ACTION_TYPE_TASK,
    FAILURE_STATUSES,
    STATUS_COMPLETED,
    SUCCESS_STATUSES,
    ActionsAPI,
    normalize_action,
    text_value,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb_settle import STATUS_ACTIVE
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_client import FINITE_INT
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    RSConfigError,
    RSError,
    RSNotFound,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait_params import (
    wait_argument_spec,
    waiter_from_params,
)

WAIT_TIMEOUT = 600

# Polling of wait_until_gone() and wait_for_bdb_field(): first interval, growth and cap (seconds).
POLL_FIRST = 0.5
POLL_FACTOR = 1.5
POLL_MAX = 5.0


def await_argument_spec():
    """A fresh dict: ``wait`` (bool, default false) and ``wait_timeout`` (int seconds, default 600)."""
    return dict(
        wait=dict(type='bool', default=False),
        wait_timeout=dict(type=FINITE_INT, default=WAIT_TIMEOUT),
    )


def validate_await_params(params):
    """Return ``(wait, wait_timeout)``; raise ``RSConfigError`` when ``wait_timeout`` is not > 0."""
    wait = bool(params.get('wait'))
    timeout = params.get('wait_timeout')
    if timeout is None:
        timeout = WAIT_TIMEOUT
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or math.isnan(timeout) \
            or math.isinf(timeout) or timeout <= 0:
        raise RSConfigError('wait_timeout must be a number of seconds greater than 0; got %r' % (timeout,))
    return wait, float(timeout)


def _waiter_defaults():
    return dict((key, spec.get('default')) for key, spec in wait_argument_spec().items())


def wait_for_actions(client, timeout, uids=None, object_name=None, name=None, api=None, missing_grace=None,
                     **waiter_kwargs):
    """Run the shared wait loop on ``uids`` (a list) or ``object_name`` (with an optional action ``name``).

    ``missing_grace`` (seconds) replaces the waiter's default; ``waiter_kwargs`` go to the waiter (``clock``,
    ``sleep``, ``rng`` in tests). Returns the waiter's result.
    """
    params = _waiter_defaults()
    params.update(uid=list(uids) if uids is not None else None, object_name=object_name, name=name, timeout=timeout)
    if missing_grace is not None:
        params['missing_grace'] = missing_grace
    if object_name is not None:
        params['fail_fast'] = True
    waiter = waiter_from_params(api or ActionsAPI(client), client, params, **waiter_kwargs)
    return waiter.run()


# The shortest budget of a poll request, even at the deadline (the last look): as the waiter's.
MIN_POLL_REQUEST = 0.25


def _permanent_message(what, error, start, now, good_polls, seen):
    """A permanent error met during a ``_poll`` wait: stated as such, with what the wait saw before it."""
    if not good_polls:
        return '%s: %s' % (what, error)
    return ('Stopped %s after %.1f s at an error that a retry cannot fix: %s. Before it, %d poll%s succeeded; last '
            'seen: %s. The work goes on on the cluster; fix the cause and wait again'
            % (what, now - start, str(error).rstrip('.'), good_polls, '' if good_polls == 1 else 's', seen))


def _poll(fetch, decide, timeout, what, describe=None, clock=time.monotonic, sleep=time.sleep, rng=random.random):
    """Call ``fetch(budget)`` until ``decide(value)`` returns ``(done, failure_message)`` with ``done`` true.

    ``budget`` is the time the request (its retries included) may take: what is left of ``timeout``, at least
    ``MIN_POLL_REQUEST``, so that the wait ends within ``timeout`` whatever the server does. Transient ``RSError``
    are retried; a permanent one ends the wait, stated with what was seen before it (``describe(value)``). The
    interval starts at ``POLL_FIRST`` and grows x``POLL_FACTOR`` up to ``POLL_MAX``; a last look is taken at the
    deadline.
    """
    start = clock()
    deadline = start + timeout
    gap = POLL_FIRST
    polls = good_polls = 0
    transient = []
    last = None
    while True:
        polls += 1
        try:
            value = fetch(max(deadline - clock(), MIN_POLL_REQUEST))
        except RSError as error:
            if not error.transient:
                seen = describe(last) if describe else repr(last)
                result = dict(timed_out=False)
                result.update(error.to_result())
                result.update(failed=True, msg=_permanent_message(what, error, start, clock(), good_polls, seen))
                break
            transient.append(dict(elapsed=round(clock() - start, 3), error=str(error)))
        else:
            good_polls += 1
            last = value
            done, failure = decide(value)
            if done:
                result = dict(failed=bool(failure), msg=failure or '%s: done' % what, timed_out=False)
                break
        now = clock()
        if now >= deadline:
            result = dict(failed=True, timed_out=True,
                          msg='Timed out after %.1f s: %s (it goes on in the background; run again to re-attach)'
                          % (now - start, what))
            break
        step = min(gap * (0.9 + 0.2 * rng()), deadline - now)
        if step > 0:
            sleep(step)
        gap = min(POLL_MAX, gap * POLL_FACTOR)
    result.update(elapsed=round(clock() - start, 3), polls=polls, transient_errors=transient, last=last)
    return result


def wait_until_gone(client, bdb_uid, timeout, **kwargs):
    """Poll ``GET /v1/bdbs/<uid>`` until RS answers 404: the database is deleted."""
    def fetch(budget):
        try:
            return client.get(('v1', 'bdbs', str(bdb_uid)), params={'fields': 'uid,status'}, timeout=budget)
        except RSNotFound:
            return None

    def decide(bdb):
        return bdb is None, None

    def describe(bdb):
        return 'database bdb:%s with status %s' % (bdb_uid, (bdb or {}).get('status') if isinstance(bdb, dict) else bdb)

    result = _poll(fetch, decide, timeout, 'waiting for database bdb:%s to be deleted' % bdb_uid, describe=describe,
                   **kwargs)
    result.pop('last', None)
    result['actions'] = []
    if not result['failed']:
        result['msg'] = 'Database bdb:%s is deleted (404) after %.1f s' % (bdb_uid, result['elapsed'])
    return result


# How long the actions API may not show an export or import answered with an action_uid before the wait follows
# the database's <kind>_status instead.
TRANSFER_MISSING_GRACE = 10.0

# The database status while an import runs (docs objects/bdb/status.md: import-pending -> active).
STATUS_IMPORT_PENDING = 'import-pending'

# Values of <kind>_status (docs objects/bdb: export_status, import_status).
TRANSFER_DONE = ('succeeded',)
TRANSFER_FAILED = ('failed',)


def wait_for_bdb_field(client, bdb_uid, kind, timeout, **kwargs):
    """Poll the database until ``<kind>_status`` (``export`` or ``import``) reads ``succeeded`` or ``failed``."""
    field = '%s_status' % kind
    fields = ','.join('%s_%s' % (kind, suffix) for suffix in ('status', 'progress', 'failure_reason')) + ',status'

    def fetch(budget):
        return client.get(('v1', 'bdbs', str(bdb_uid)), params={'fields': fields}, timeout=budget)

    def decide(bdb):
        bdb = bdb if isinstance(bdb, dict) else {}
        status = bdb.get(field)
        if bdb.get('status') == STATUS_IMPORT_PENDING:
            # The import still runs (objects/bdb/status.md), whatever a stale import_status says.
            return False, None
        if status in TRANSFER_DONE:
            return True, None
        if status in TRANSFER_FAILED:
            reason = bdb.get('%s_failure_reason' % kind) or 'no reason given'
            return True, 'The %s of database bdb:%s failed: %s' % (kind, bdb_uid, reason)
        if field not in bdb and bdb.get('status') == STATUS_ACTIVE:
            # A database that does not show the field at all (the docs list it; be tolerant): done once it is
            # active again (an import keeps it import-pending until then).
            return True, None
        return False, None

    def describe(bdb):
        bdb = bdb if isinstance(bdb, dict) else {}
        return '%s %s, %s_progress %s' % (field, bdb.get(field), kind, bdb.get('%s_progress' % kind))

    result = _poll(fetch, decide, timeout, 'waiting for the %s of database bdb:%s (%s)' % (kind, bdb_uid, field),
                   describe=describe, **kwargs)
    last = result.pop('last', None) or {}
    result['actions'] = []
    result[field] = last.get(field) if isinstance(last, dict) else None
    if not result['failed']:
        result['msg'] = 'The %s of database bdb:%s succeeded after %.1f s' % (kind, bdb_uid, result['elapsed'])
    return result


def wait_for_bdb_active(client, bdb_uid, timeout, **kwargs):
    """Poll ``GET /v1/bdbs/<uid>`` until its ``status`` reads ``active`` (docs: a database is
    ``active-change-pending`` until a revamp, stop_traffic or resume_traffic has been fully processed, and becomes
    ``active`` when recovered). A status that cannot go back to ``active`` (``creation-failed``) fails the wait."""
    def fetch(budget):
        return client.get(('v1', 'bdbs', str(bdb_uid)), params={'fields': 'uid,status,action_uid'}, timeout=budget)

    def decide(bdb):
        status = bdb.get('status') if isinstance(bdb, dict) else None
        if status == STATUS_ACTIVE:
            return True, None
        if status == 'creation-failed':
            return True, 'Database bdb:%s is creation-failed' % bdb_uid
        return False, None

    result = _poll(fetch, decide, timeout, 'waiting for database bdb:%s to be active' % bdb_uid, **kwargs)
    result.pop('last', None)
    result['actions'] = []
    if not result['failed']:
        result['msg'] = 'Database bdb:%s is active after %.1f s' % (bdb_uid, result['elapsed'])
    return result


def node_action_entry(node_uid, action, item):
    """A node action object of ``GET /v1/nodes/<uid>/actions/<action>`` (a v1 task) normalized as the waits return
    actions; its uid is ``action_uid`` or ``task_id`` (None when it has none), and it names the node."""
    entry = normalize_action(item, 'v1', ACTION_TYPE_TASK)
    entry['action_uid'] = entry['action_uid'] or text_value(item.get('task_id'))
    entry['name'] = entry['name'] or action
    entry['node_uid'] = entry['node_uid'] or str(node_uid)
    entry['object_name'] = entry['object_name'] or 'node:%s' % node_uid
    return entry


class _NodeActionGone:
    """What the node action wait saw where the action's status is gone: whether the node is where it leads."""

    def __init__(self, there):
        self.there = there

    def __repr__(self):
        return 'no status of the action (404); the node is %sthere yet' % ('' if self.there else 'not ')


def wait_for_node_action(client, node_uid, action, timeout, reached=None, **kwargs):
    """Poll ``GET /v1/nodes/<node_uid>/actions/<action>`` until its status is final (``completed``; ``failed``,
    ``aborted`` and ``cancelled`` fail the wait).

    A 404 there means "not currently running and no available status of last run" (docs): the action is over when
    ``reached(budget)`` (optional; its requests may take ``budget`` seconds) says the node is where the action
    leads, or at once without ``reached``. The result
    carries ``actions`` (one entry, see ``node_action_entry()``) and ``action_uid`` (None when RS shows none).
    """
    path = ('v1', 'nodes', str(node_uid), 'actions', action)
    seen = {}

    def fetch(budget):
        ends = time.monotonic() + budget
        try:
            item = client.get(path, timeout=budget)
        except RSNotFound:
            item = None
        if isinstance(item, dict):
            return item
        # No status (404): whether the node is where the action leads decides, within the same budget.
        return _NodeActionGone(reached is None or reached(max(ends - time.monotonic(), MIN_POLL_REQUEST)))

    def decide(item):
        if isinstance(item, _NodeActionGone):
            if not item.there:
                return False, None
            if seen:
                # Its status is gone and the node is where the action leads: the action is over.
                seen.update(status=STATUS_COMPLETED)
            return True, None
        entry = node_action_entry(node_uid, action, item)
        seen.update(entry)
        if entry['status'] in SUCCESS_STATUSES:
            return True, None
        if entry['status'] in FAILURE_STATUSES:
            return True, 'The %s action on node %s ended %s%s' % (
                action, node_uid, entry['api_status'], ': %s' % entry['error'] if entry['error'] else '')
        return False, None

    result = _poll(fetch, decide, timeout, 'waiting for the %s action on node %s (GET /%s)'
                   % (action, node_uid, '/'.join(path)), **kwargs)
    result.pop('last', None)
    result['actions'] = [dict(seen)] if seen else []
    result['action_uid'] = seen.get('action_uid')
    if not result['failed']:
        result['msg'] = 'The %s action on node %s is done after %.1f s' % (action, node_uid, result['elapsed'])
    return result


def never_seen(result, uid):
    """Whether the wait ``result`` failed because the actions API never showed the action ``uid``."""
    if not result.get('failed') or result.get('timed_out') or uid not in (result.get('failed_actions') or []):
        return False
    return all(action.get('raw') is None for action in result.get('actions') or [] if action.get('action_uid') == uid)


def then_wait(first, follow, timeout, keep_actions=False):
    """The wait ``follow(time_left)`` run after the wait ``first`` (for what is left of ``timeout``, at least 1 s):
    its result, with the elapsed time of both, the warnings of ``first`` and, with ``keep_actions``, its actions."""
    second = follow(max(timeout - first.get('elapsed', 0.0), 1.0))
    second['elapsed'] = round(first.get('elapsed', 0.0) + second.get('elapsed', 0.0), 3)
    second['warnings'] = list(first.get('warnings') or [])
    if keep_actions:
        second['actions'] = first.get('actions', [])
    return second


def wait_for_uid_or(client, uid, timeout, follow, missing_grace, **kwargs):
    """Wait for the action ``uid``; when the actions API never shows it within ``missing_grace`` seconds, the wait
    ``follow(time_left)`` (a status RS documents for that work) decides instead (``then_wait()``)."""
    first = wait_for_actions(client, timeout, uids=[uid], missing_grace=missing_grace, **kwargs)
    if not never_seen(first, uid):
        return first
    return then_wait(first, follow, timeout)


def wait_summary(result):
    """The keys of a wait result that a module returns: ``actions``, ``elapsed`` and ``timed_out``."""
    return dict(actions=result.get('actions', []), elapsed=result.get('elapsed', 0.0),
                timed_out=bool(result.get('timed_out')))


def wait_for_database(client, result, state, timeout, bdb_uid=None, **kwargs):
    """Wait for the work of an ``rs_database`` result: its ``action_uid``; else, on a busy database, every action
    on ``bdb:<uid>``; after a deletion (of ``bdb_uid``), until the database answers 404. Returns the wait result."""
    if state == 'absent':
        if bdb_uid is None:
            return dict(failed=False, msg='The database does not exist', actions=[], elapsed=0.0, timed_out=False)
        return wait_until_gone(client, bdb_uid, timeout, **kwargs)
    action_uid = result.get('action_uid')
    if action_uid:
        return wait_for_actions(client, timeout, uids=[action_uid], **kwargs)
    database = result.get('database') or {}
    if database.get('uid') is not None and database.get('status') not in (None, STATUS_ACTIVE):
        return wait_for_actions(client, timeout, object_name='bdb:%s' % database['uid'], **kwargs)
    return dict(failed=False, msg='Nothing runs on the database', actions=[], elapsed=0.0, timed_out=False)


def wait_for_operation(client, result, timeout, **kwargs):
    """Wait for a database action that ``rs_database_action`` started (its result: ``action``, ``uid``,
    ``action_uid``).

    With an ``action_uid``: that action. Export and import (RS returns none): the database's actions of that name
    (object mode, as ``rs_action_wait`` with ``object_name`` and ``name``), then its ``<kind>_status`` field, which RS
    documents for them and which also serves clusters whose actions API does not list them (before RS 7.22). Any
    other action answered without an ``action_uid``: the database's actions (object mode), then its ``status`` until
    ``active``.
    """
    bdb_uid = result['uid']
    kind = result.get('action')
    transfer = kind in ('export', 'import')

    def follow_status(left):
        if transfer:
            return wait_for_bdb_field(client, bdb_uid, kind, left, **kwargs)
        return wait_for_bdb_active(client, bdb_uid, left, **kwargs)

    if result.get('action_uid'):
        if not transfer:
            return wait_for_actions(client, timeout, uids=[result['action_uid']], **kwargs)
        # An export or import answered with an action_uid (the docs show none): v1 does not list these actions, so
        # when the actions API does not show it soon, the database's <kind>_status tells instead.
        return wait_for_uid_or(client, result['action_uid'], timeout, follow_status, TRANSFER_MISSING_GRACE, **kwargs)
    # Export and import: the database's actions of that name; any other action answered without the action_uid the
    # docs promise: all the database's actions.
    first = wait_for_actions(client, timeout, object_name='bdb:%s' % bdb_uid, name=kind if transfer else None, **kwargs)
    if first.get('failed'):
        return first
    return then_wait(first, follow_status, timeout, keep_actions=True)
