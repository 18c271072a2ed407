# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""A database busy with another change: RS answers 409 to a write while an action runs on it.

* ``retry_when_busy()`` sends a write again after a busy 409, a bounded number of times, waiting in between.
* ``make_busy_waiter(client)`` is that wait: the shared wait loop (``rs_wait.ActionWaiter``) in object mode on
  ``bdb:<uid>``, with the database settler (``rs_bdb_settle.bdb_settler``).
"""

from __future__ import annotations

import random
import time

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_actions import IN_PROGRESS_STATUSES, ActionsAPI
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb_settle import bdb_settler
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSConflict, RSError, RSTimeoutError
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait import ActionWaiter

# How many times a PUT/DELETE is sent when RS answers 409 (the first try included).
BUSY_ATTEMPTS = 3
# Total time spent waiting for the running actions of a busy bdb, over all retries (seconds).
BUSY_WAIT_TIMEOUT = 300.0
# 409 error codes that do not mean "busy, retry later".
NOT_BUSY_CONFLICTS = ('uid_exists', 'name_exists', 'name_already_exists', 'wrong_cluster_state_id')


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
