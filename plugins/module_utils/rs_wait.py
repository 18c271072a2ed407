# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""The wait loop of ``rs_action_wait``: block until RS actions finish, reliably, quickly and visibly.

``ActionWaiter`` polls an ``ActionsAPI``-like object until every awaited action is finished, the
deadline passes, or an action fails. Time is read from an injected ``clock`` and spent through an
injected ``sleep``, so tests run on a fake clock. Nothing here calls ``exit_json``/``fail_json``:
``run()`` returns a result dict that the module (or the action plugin) hands to Ansible as is.

Who does what:

* ``ActionWaiter`` (here): the loop, one ``rs_track.ActionTrack`` per action, the checks (missing, stalled);
  one request per poll cycle: ``get(uid)`` for one uid, ``list()`` for several, ``list_for_object()`` in object
  mode; transient errors are retried and reported; the deadline is measured on a monotonic clock, request time
  included, with a last poll at the deadline;
* ``rs_wait_journal.WaitJournal``: what the wait records (polls, transient errors and connect_grace, history,
  warnings, stalled actions);
* ``rs_settle.SettleChecks``: vanished and lingering actions, through ``settle`` (a callable the caller gives,
  e.g. ``rs_bdb_settle.bdb_settler``). This file knows nothing about databases;
* ``rs_poll.PollPolicy``: the gap before the next poll (backoff, finish windows, wake-up deadlines);
* ``rs_progress.ProgressTrack``: progress observations in, finish window out;
* ``rs_wait_result.ResultBuilder``: the result dict; ``rs_wait_text``: how the messages read.
"""

from __future__ import annotations

import random
import time

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_actions import (
    FAILURE_STATUSES,
    TERMINAL_STATUSES,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSConfigError, RSError
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_poll import PollPolicy
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_settle import SettleChecks
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_track import ActionTrack, actions_by_uid
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait_journal import WaitJournal
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait_result import (
    ResultBuilder,
    failed_tracks,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait_text import finished_before_message

MIN_REQUEST_TIMEOUT = 0.25    # a request never gets less than this, even at the deadline (the last look)
MIN_POLL_INTERVAL = 0.1       # poll_interval and max_poll_interval: anything shorter floods the cluster
DEFAULT_CONNECT_GRACE = 20.0  # connect_grace: how long a wrong url is retried before any poll succeeded


# ---------------------------------------------------------------------------------------------------------------
# The wait loop


class ActionWaiter:
    """Wait until RS actions finish.

    ``api`` reads actions (``get(uid, timeout)``, ``list(timeout)``, ``list_for_object(object_name, timeout)``,
    ``api_version``). Give ``uids`` (a list) or ``object_name`` (with an optional action ``name``).

    ``settle(action, timeout)`` tells the outcome of an action that vanished from the actions API unfinished: None
    when it cannot tell (the outcome is unknown), else an object with ``outcome`` (``completed``, ``failed``,
    ``unknown``, or None: not settled yet, ask again after the next poll) and ``detail`` (the end of the failure
    message). ``timeout`` is the time a request may take, None past the deadline (then it must not send one); a
    transient ``RSError`` is retried at the next poll. An outcome of ``finished-unknown`` (``OUTCOME_FINISHED_UNKNOWN``)
    ends the action without success or failure, with ``detail`` as a warning.

    ``settle(action, timeout, listed=True)`` asks about a state machine RS still lists as running, at 100 % or without
    any change for a long time (see ``rs_settle.AT_FULL_CHECK_AFTER``): None or an outcome of None keeps waiting.
    ``predict=False`` polls with plain backoff (no finish windows).

    ``connect_grace``: before any poll has succeeded, a transient error whose ``misconfig`` is true (the host does
    not resolve, the connection is refused: most likely a wrong url) is retried for this many seconds only; then the
    wait fails with it. Action uids are matched case-insensitively (RS may answer a uid in another case).
    """

    def __init__(self, api, uids=None, object_name=None, name=None, timeout=600, poll_interval=1.0,
                 max_poll_interval=10.0, missing_grace=30.0, fail_fast=True, request_timeout=30.0,
                 connect_grace=DEFAULT_CONNECT_GRACE,
                 stall_timeout=0.0, on_stall='warn', clock=time.monotonic, sleep=time.sleep, rng=random.random,
                 on_progress=None, settle=None, predict=True):
        if (uids is None) == (object_name is None):
            raise RSConfigError('give either uids or object_name')
        self.api = api
        self.uids = list(dict.fromkeys(uids)) if uids is not None else None
        self.object_name = object_name
        self.name = name
        self.timeout = float(timeout)
        self.poll_interval = float(poll_interval)
        self.max_poll_interval = max(float(max_poll_interval), self.poll_interval)
        self.missing_grace = float(missing_grace)
        self.fail_fast = fail_fast
        self.request_timeout = float(request_timeout)
        self.stall_timeout = float(stall_timeout or 0)
        self.on_stall = on_stall
        self.clock = clock
        self.sleep = sleep
        self.rng = rng
        self.on_progress = on_progress
        self.policy = PollPolicy(self.poll_interval, self.max_poll_interval, fail_fast=fail_fast, predict=predict)
        self.journal = WaitJournal(clock, connect_grace)
        self.settle_checks = SettleChecks(settle, self.journal, clock, self._budget)
        self.results = ResultBuilder(self.journal, object_name=object_name, name=name, fail_fast=fail_fast)

        self.tracks = {}
        self.keys = {}               # uid in lower case -> the uid as the track knows it
        self.order = []
        if self.uids is not None:
            for uid in self.uids:
                if uid not in self.tracks:
                    self._add_track(uid)
        self.start = None
        self.deadline = None
        self._backoff = self.poll_interval
        self._status_changed = False

    # ----------------------------------------------------------------------------------------- helpers

    def _add_track(self, uid):
        track = ActionTrack(uid)
        self.tracks[uid] = track
        self.keys[uid.lower()] = uid
        self.order.append(uid)
        return track

    def elapsed(self, now=None):
        return self.journal.elapsed(now)

    def _awaited(self):
        return [self.tracks[uid] for uid in self.order if self.tracks[uid].awaited]

    def _request_timeout(self):
        remaining = self.deadline - self.clock()
        return min(self.request_timeout, max(remaining, MIN_REQUEST_TIMEOUT))

    def _budget(self):
        """The time a request may take now, None past the deadline (then no request may be sent)."""
        return self._request_timeout() if self.clock() < self.deadline else None

    # ----------------------------------------------------------------------------------------- polling

    def _fetch(self):
        """One request: the actions this cycle looks at."""
        timeout = self._request_timeout()
        if self.object_name is not None:
            actions = self.api.list_for_object(self.object_name, timeout=timeout) or []
            return [action for action in actions if self.name is None or action.get('name') == self.name]
        if len(self.uids) == 1:
            action = self.api.get(self.uids[0], timeout=timeout)
            return [action] if action is not None else []
        return self.api.list(timeout=timeout) or []

    def _poll(self):
        """One poll cycle. Transient errors are recorded; permanent ones propagate."""
        self.journal.polls += 1
        sent = self.clock()
        try:
            actions = self._fetch()
        except RSError as error:
            if not error.transient or self.journal.poll_failed(error):
                raise
            return False
        # The answer describes the cluster somewhere between sending and receiving: take the middle.
        now = (sent + self.clock()) / 2.0
        self.journal.poll_succeeded()
        self._status_changed = False
        self._apply(actions, now)
        self.journal.first_poll_done = True
        self.settle_checks.vanished(self._awaited())
        self.settle_checks.lingering(self._awaited(), now)
        now = self.clock()
        self._check_missing(now)
        self._check_stalls(now)
        return True

    def _apply(self, actions, now):
        """Take the answer of a poll: new tracks (object mode), sightings, vanished actions."""
        by_uid = actions_by_uid(actions)
        if self.object_name is not None:
            self._adopt(by_uid)
        for uid in self.order:
            track = self.tracks[uid]
            if track.terminal:
                continue
            if uid.lower() in by_uid:
                track.vanished = False
                self._observe(track, by_uid[uid.lower()], now)
            elif track.seen:
                track.vanished = True

    def _adopt(self, by_uid):
        """Object mode: a track for each action not known yet; one already finished at the first poll is not awaited."""
        for key, action in by_uid.items():
            if key not in self.keys:
                track = self._add_track(action['action_uid'])
                if not self.journal.first_poll_done and action.get('status') in TERMINAL_STATUSES:
                    track.awaited = False
                    if action.get('status') in FAILURE_STATUSES:
                        self.journal.warn(finished_before_message(action))

    def _observe(self, track, action, now):
        status_change, changed = track.observe(action, now)
        if changed:
            self.journal.record(track, now)
        if status_change:
            self._status_changed = True
        warning = track.unknown_status_warning(action)
        if warning is not None:
            self.journal.warn(warning)

    def _check_missing(self, now):
        if self.uids is None:
            return
        for track in self._awaited():
            track.check_missing(now - self.start, self.missing_grace)

    def _check_stalls(self, now):
        if not self.stall_timeout:
            return
        for track in self._awaited():
            message = track.stall(now, self.stall_timeout)
            if message is None:
                continue
            self.journal.stall(track.uid)
            if self.on_stall == 'fail':
                track.terminal = True
                track.outcome = 'stalled'
                track.reason = message
            else:
                self.journal.warn(message)

    # ----------------------------------------------------------------------------------------- scheduling

    def _next_gap(self, now):
        """Seconds to sleep before the next poll (the policy decides; the waiter remembers the backoff)."""
        pending = [track for track in self._awaited() if not track.terminal]
        grace_end = None
        if self.uids is not None and any(not track.seen for track in pending):
            grace_end = self.start + self.missing_grace
        stall_ends = []
        if self.stall_timeout:
            stall_ends = [track.last_move + self.stall_timeout for track in pending
                          if track.seen and not track.stall_flagged and track.last_move is not None]
        decision = self.policy.next_gap(now, self._backoff, self.rng, error_streak=self.journal.error_streak,
                                        status_changed=self._status_changed,
                                        windows=[track.window() for track in pending], grace_end=grace_end,
                                        stall_ends=stall_ends)
        self._backoff = decision.backoff
        return decision.gap

    # ----------------------------------------------------------------------------------------- outcome

    def _decision(self):
        """None to keep waiting, else True (success) or False (failure)."""
        if not self.journal.first_poll_done:
            return None
        awaited = self._awaited()
        failures = failed_tracks(awaited)
        if failures and self.fail_fast:
            return False
        if all(track.terminal for track in awaited):
            return not failures
        return None

    def run(self):
        """Wait; return the result dict (``failed``, ``msg``, ``actions``, ``elapsed``, ``polls``, ...)."""
        self.start = self.journal.begin()
        self.deadline = self.start + self.timeout
        error = None
        timed_out = False
        try:
            while True:
                polled = self._poll()
                if self.on_progress is not None:
                    self.on_progress(self.journal.snapshot([track.report() for track in self._awaited()],
                                                           self._status_changed))
                if polled and self._decision() is not None:
                    break
                now = self.clock()
                if now >= self.deadline:
                    timed_out = True
                    break
                # A wrong url: the next attempt, the one that gives up, comes right at the end of connect_grace.
                gap = self.journal.grace_gap(now, self._next_gap(now))
                if now + gap >= self.deadline:
                    gap = self.deadline - now  # last look: sleep until the deadline and poll once more
                if gap > 0:
                    self.sleep(gap)
        except RSError as exc:
            error = exc
        return self.results.build([self.tracks[uid] for uid in self.order], self._awaited(), error, timed_out,
                                  self.api)
