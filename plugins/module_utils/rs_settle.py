# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""The end of an action that the actions API does not show, asked of a ``settle`` callable.

Two cases: an action that vanished from the actions API before it finished, and a state machine that RS still lists
as running long after it should have ended (``linger_due()``). ``SettleChecks`` asks ``settle`` (given by the caller,
e.g. ``rs_bdb_settle.bdb_settler``) about them and ends their tracks as it answers. This file knows nothing about databases:
what a ``Settlement`` means for an object is the callable's business.
"""

from __future__ import annotations

import collections

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_actions import (
    ACTION_TYPE_STATE_MACHINE,
    STATUS_COMPLETED,
    STATUS_RUNNING,
    STATUS_UNKNOWN,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSError
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait_text import (
    action_label,
    describe,
    seconds_text,
    where_text,
)

OUTCOME_UNKNOWN = 'unknown'   # outcome of an action whose end nobody can tell (it vanished, say)
# Outcome of an action that is over while RS never reported how it ended: a vanished update whose database is active
# again (an update ends in active whether it worked or not, objects/bdb/status.md). Not a failure, never completed:
# the action reads status unknown, its uid is in the result's outcome_unknown, and a warning says why.
OUTCOME_FINISHED_UNKNOWN = 'finished-unknown'
# Outcomes that are not failures.
OK_OUTCOMES = (STATUS_COMPLETED, OUTCOME_FINISHED_UNKNOWN)

# State machines that never end. Before RS 8.0.2-17 the actions API could report a state machine as running after
# it had finished (release-notes/rs-8-0-releases/rs-8-0-2-17.md, RS166122). A running state machine that sits at
# 100 % for AT_FULL_CHECK_AFTER seconds, or shows no change at all (status, progress, state, heartbeat) for
# STILL_CHECK_AFTER seconds, is checked through ``settle(action, timeout, listed=True)`` (for a database: its status
# and action_uid) instead of being polled until the deadline; the check repeats at most every CHECK_INTERVAL seconds.
# At 100 % every step is done and RS marks a state machine completed within a poll or two, so 10 s (two polls at the
# default max_poll_interval, about ten at poll_interval) is long. A check costs one GET and decides nothing without
# evidence from the object, so a short threshold for a step that merely runs long costs a request a minute, no more.
AT_FULL_CHECK_AFTER = 10.0
STILL_CHECK_AFTER = 60.0
CHECK_INTERVAL = 30.0

# What a ``settle`` callable answers about a vanished action: ``outcome`` completed, failed, unknown or None (not
# settled yet), ``detail`` the end of the message ("Action X vanished before it finished and <detail>").
Settlement = collections.namedtuple('Settlement', ['outcome', 'detail'])

_ASK_FAILED = object()   # settle raised a transient error: ask again after the next poll


def listed_running(track):
    """Whether ``track`` is a state machine that RS lists as running (seen in the last answer, not ended)."""
    return (not track.terminal and not track.vanished and track.seen and track.status == STATUS_RUNNING
            and track.action.get('action_type') == ACTION_TYPE_STATE_MACHINE)


def linger_due(track, now):
    """Why ``track`` is due for a check through ``settle(listed=True)`` at ``now``, or None.

    Returns (``'at 100 %'`` or ``'without any change'``, seconds since then): a state machine listed as running at
    100 % for ``AT_FULL_CHECK_AFTER`` s, or without any change for ``STILL_CHECK_AFTER`` s, and not checked in the
    last ``CHECK_INTERVAL`` s (``track.next_check``).
    """
    if not listed_running(track):
        return None
    at_full = track.full_since is not None and now - track.full_since >= AT_FULL_CHECK_AFTER
    still = track.last_move is not None and now - track.last_move >= STILL_CHECK_AFTER
    if not (at_full or still) or (track.next_check is not None and now < track.next_check):
        return None
    if at_full:
        return 'at 100 %', now - track.full_since
    return 'without any change', now - track.last_move


class SettleChecks:
    """Ends the tracks of vanished and lingering actions as ``settle`` says.

    ``settle(action, timeout, listed=False)`` is the caller's callable (None: every vanished action's outcome is
    unknown, lingering ones are polled on); ``journal`` a ``rs_wait_journal.WaitJournal`` (history, warnings and
    transient errors); ``budget()`` the time a request may take now, None past the deadline.
    """

    def __init__(self, settle, journal, clock, budget):
        self.settle = settle
        self.journal = journal
        self.clock = clock
        self.budget = budget

    def vanished(self, tracks):
        """Ask ``settle`` about every action that vanished unfinished; without an answer its outcome is unknown."""
        for track in tracks:
            if track.terminal or not track.vanished:
                continue
            action = track.action
            label = '%s%s' % (action_label(action), where_text(action))
            settled = self._ask(action, self.budget()) if self.settle is not None else None
            if settled is _ASK_FAILED:
                continue
            if settled is None:
                self._fail(track, OUTCOME_UNKNOWN, 'Action %s vanished before it finished; its outcome is unknown '
                           '(last seen %s)' % (label, describe(action)))
            else:
                self._end(track, settled, 'Action %s vanished before it finished and' % label)

    def lingering(self, tracks, now):
        """Ask ``settle`` about state machines RS still lists as running at 100 %, or unchanged for a long time."""
        if self.settle is None:
            return
        for track in tracks:
            due = linger_due(track, now)
            if due is None:
                continue
            timeout = self.budget()
            if timeout is None:
                return  # no more requests past the deadline: the timeout reports it
            track.next_check = now + CHECK_INTERVAL
            action = track.action
            settled = self._ask(action, timeout, listed=True)
            if settled is None or settled is _ASK_FAILED:
                continue
            self._end(track, settled, 'Action %s%s is still listed as running (%s for %s s) and' % (
                action_label(action), where_text(action), due[0], seconds_text(due[1])))

    def _ask(self, action, timeout, listed=False):
        """``settle``'s answer; ``_ASK_FAILED`` after a transient error (recorded), a permanent one propagates."""
        try:
            if listed:
                return self.settle(action, timeout, listed=True)
            return self.settle(action, timeout)
        except RSError as error:
            if not error.transient:
                raise
            self.journal.transient(error)
            return _ASK_FAILED

    def _end(self, track, settled, prefix):
        """End ``track`` as ``settled`` says (nothing when its outcome is None)."""
        if settled.outcome is None:
            return
        if settled.outcome == STATUS_COMPLETED:
            track.action = dict(track.action, status=STATUS_COMPLETED)
            track.terminal = True
            track.outcome = STATUS_COMPLETED
            self.journal.record(track, self.clock())
        elif settled.outcome == OUTCOME_FINISHED_UNKNOWN:
            # Over, but RS never said how it ended: neither a success nor a failure, and never "completed".
            track.terminal = True
            track.outcome = OUTCOME_FINISHED_UNKNOWN
            track.reason = '%s %s' % (prefix, settled.detail)
            track.action = dict(track.action, status=STATUS_UNKNOWN)
            self.journal.record(track, self.clock())
            self.journal.warn(track.reason)
        else:
            self._fail(track, settled.outcome, '%s %s' % (prefix, settled.detail))

    def _fail(self, track, outcome, reason):
        track.fail(outcome, reason)
        if track.action is not None:
            self.journal.record(track, self.clock())
