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

* ``ActionWaiter`` (here): the loop, one ``rs_track.ActionTrack`` per action, the checks (missing, stalled,
  vanished) and the result; one request per poll cycle: ``get(uid)`` for one uid, ``list()`` for several,
  ``list_for_object()`` in object mode; transient errors are retried and reported; the deadline is measured on a
  monotonic clock, request time included, with a last poll at the deadline;
* ``rs_poll.PollPolicy``: the gap before the next poll (backoff, finish windows, wake-up deadlines);
* ``rs_progress.ProgressTrack``: progress observations in, finish window out;
* ``settle`` (a callable the caller gives, e.g. ``rs_bdb.bdb_settler``): the outcome of an action that vanished.
  This file knows nothing about databases;
* ``rs_wait_text``: how the messages read.
"""

from __future__ import annotations

import collections
import random
import time

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_actions import (
    ACTION_TYPE_STATE_MACHINE,
    FAILURE_STATUSES,
    STATUS_COMPLETED,
    STATUS_RUNNING,
    STATUS_UNKNOWN,
    TERMINAL_STATUSES,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSConfigError, RSError
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_poll import PollPolicy
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_track import ActionTrack
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait_text import (
    action_label,
    describe,
    error_text,
    failure_message,
    no_poll_message,
    seconds_text,
    success_message,
    timeout_message,
    where_text,
)

MIN_REQUEST_TIMEOUT = 0.25    # a request never gets less than this, even at the deadline (the last look)
MIN_POLL_INTERVAL = 0.1       # poll_interval and max_poll_interval: anything shorter floods the cluster
DEFAULT_CONNECT_GRACE = 20.0  # connect_grace: how long a wrong url is retried before any poll succeeded
LAST_SEEN_SHOWN = 5           # a message that stops a wait describes at most this many actions as last seen
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
    any change for a long time (see ``AT_FULL_CHECK_AFTER``): None or an outcome of None keeps waiting.
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
        self.settle = settle
        self.uids = list(dict.fromkeys(uids)) if uids is not None else None
        self.object_name = object_name
        self.name = name
        self.timeout = float(timeout)
        self.poll_interval = float(poll_interval)
        self.max_poll_interval = max(float(max_poll_interval), self.poll_interval)
        self.missing_grace = float(missing_grace)
        self.connect_grace = float(connect_grace)
        self.fail_fast = fail_fast
        self.request_timeout = float(request_timeout)
        self.stall_timeout = float(stall_timeout or 0)
        self.on_stall = on_stall
        self.clock = clock
        self.sleep = sleep
        self.rng = rng
        self.on_progress = on_progress
        self.policy = PollPolicy(self.poll_interval, self.max_poll_interval, fail_fast=fail_fast, predict=predict)

        self.tracks = {}
        self.keys = {}               # uid in lower case -> the uid as the track knows it
        self.order = []
        if self.uids is not None:
            for uid in self.uids:
                if uid not in self.tracks:
                    self._add_track(uid)
        self.polls = 0
        self.good_polls = 0
        self.history = []
        self.transient_errors = []
        self.warnings = []
        self.stalled = []
        self.start = None
        self.deadline = None
        self._first_poll_done = False
        self._error_streak = 0
        self._backoff = self.poll_interval
        self._status_changed = False
        self._last_error = None      # (elapsed, text) of the last transient error while it is not followed by a success
        self._last_poll = None       # elapsed at the last successful poll
        self._gave_up = None         # why a retryable error was not retried any more
        self._last_misconfig = False  # whether the last transient error looked like a wrong url

    # ----------------------------------------------------------------------------------------- helpers

    def _add_track(self, uid):
        track = ActionTrack(uid)
        self.tracks[uid] = track
        self.keys[uid.lower()] = uid
        self.order.append(uid)
        return track

    def elapsed(self, now=None):
        if self.start is None:
            return 0.0
        return (self.clock() if now is None else now) - self.start

    def _awaited(self):
        return [self.tracks[uid] for uid in self.order if self.tracks[uid].awaited]

    def _request_timeout(self):
        remaining = self.deadline - self.clock()
        return min(self.request_timeout, max(remaining, MIN_REQUEST_TIMEOUT))

    def _misconfig_streak(self):
        """Whether no poll has succeeded yet and the last one failed with an error that suggests a wrong url."""
        return not self._first_poll_done and self._last_error is not None and self._last_misconfig

    def _warn(self, message):
        if message not in self.warnings:
            self.warnings.append(message)

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
        self.polls += 1
        sent = self.clock()
        try:
            actions = self._fetch()
        except RSError as error:
            if not error.transient:
                raise
            self._error_streak += 1
            self._last_error = (self.elapsed(), str(error))
            self._last_misconfig = error.misconfig
            self.transient_errors.append(dict(elapsed=round(self.elapsed(), 3), error=str(error)))
            if error.misconfig and not self._first_poll_done and self.elapsed() >= self.connect_grace:
                self._gave_up = 'connect_grace'
                raise
            return False
        # The answer describes the cluster somewhere between sending and receiving: take the middle.
        now = (sent + self.clock()) / 2.0
        self._error_streak = 0
        self._last_error = None
        self._last_poll = self.elapsed()
        self.good_polls += 1
        self._status_changed = False
        self._apply(actions, now)
        self._first_poll_done = True
        self._settle_vanished()
        self._check_lingering(now)
        now = self.clock()
        self._check_missing(now)
        self._check_stalls(now)
        return True

    def _apply(self, actions, now):
        by_uid = {}      # uid in lower case -> action: RS may answer a uid in another case
        for action in actions:
            uid = action.get('action_uid') if isinstance(action, dict) else None
            if isinstance(uid, str) and uid and uid.lower() not in by_uid:
                by_uid[uid.lower()] = action
        if self.object_name is not None:
            for key, action in by_uid.items():
                if key not in self.keys:
                    track = self._add_track(action['action_uid'])
                    if not self._first_poll_done and action.get('status') in TERMINAL_STATUSES:
                        track.awaited = False
                        self._note_finished_before(action)
        for uid in self.order:
            track = self.tracks[uid]
            if track.terminal:
                continue
            if uid.lower() in by_uid:
                track.vanished = False
                self._observe(track, by_uid[uid.lower()], now)
            elif track.seen:
                track.vanished = True

    def _note_finished_before(self, action):
        if action.get('status') in FAILURE_STATUSES:
            self._warn('Action %s%s %s before the wait started (it finished before the wait started, so it does not '
                       'decide the outcome): %s' % (action_label(action), where_text(action), action['status'],
                                                    error_text(action)))

    def _record(self, track, now):
        self.history.append(dict(elapsed=round(now - self.start, 3), action_uid=track.uid, status=track.status,
                                 progress=track.progress))

    def _observe(self, track, action, now):
        status_change, changed = track.observe(action, now)
        if changed:
            self._record(track, now)
        if status_change:
            self._status_changed = True
        if track.status == STATUS_UNKNOWN:
            key = action.get('api_status')
            if key not in track.warned:
                track.warned.add(key)
                self._warn('Action %s%s reports the status %r, which this module does not know; waiting on as if it '
                           'were running' % (action_label(action), where_text(action), action.get('api_status')))

    # ----------------------------------------------------------------------------------------- settlement

    def _settle_vanished(self):
        """Ask ``settle`` about every action that vanished unfinished; without an answer its outcome is unknown."""
        for track in self._awaited():
            if track.terminal or not track.vanished:
                continue
            action = track.action
            label = '%s%s' % (action_label(action), where_text(action))
            timeout = self._request_timeout() if self.clock() < self.deadline else None
            try:
                settled = self.settle(action, timeout) if self.settle is not None else None
            except RSError as error:
                if not error.transient:
                    raise
                self.transient_errors.append(dict(elapsed=round(self.elapsed(), 3), error=str(error)))
                continue
            if settled is None:
                self._fail_track(track, OUTCOME_UNKNOWN, 'Action %s vanished before it finished; its outcome is unknown '
                                 '(last seen %s)' % (label, describe(action)))
            else:
                self._apply_settlement(track, settled, 'Action %s vanished before it finished and' % label)

    def _apply_settlement(self, track, settled, prefix):
        """End ``track`` as ``settled`` says (nothing when its outcome is None)."""
        if settled.outcome is None:
            return
        if settled.outcome == STATUS_COMPLETED:
            track.action = dict(track.action, status=STATUS_COMPLETED)
            track.terminal = True
            track.outcome = STATUS_COMPLETED
            self._record(track, self.clock())
        elif settled.outcome == OUTCOME_FINISHED_UNKNOWN:
            # Over, but RS never said how it ended: neither a success nor a failure, and never "completed".
            track.terminal = True
            track.outcome = OUTCOME_FINISHED_UNKNOWN
            track.reason = '%s %s' % (prefix, settled.detail)
            track.action = dict(track.action, status=STATUS_UNKNOWN)
            self._record(track, self.clock())
            self._warn(track.reason)
        else:
            self._fail_track(track, settled.outcome, '%s %s' % (prefix, settled.detail))

    def _check_lingering(self, now):
        """Ask ``settle`` about state machines RS still lists as running at 100 %, or unchanged for a long time."""
        if self.settle is None:
            return
        for track in self._awaited():
            if (track.terminal or track.vanished or not track.seen or track.status != STATUS_RUNNING
                    or track.action.get('action_type') != ACTION_TYPE_STATE_MACHINE):
                continue
            at_full = track.full_since is not None and now - track.full_since >= AT_FULL_CHECK_AFTER
            still = track.last_move is not None and now - track.last_move >= STILL_CHECK_AFTER
            if not (at_full or still) or (track.next_check is not None and now < track.next_check):
                continue
            if self.clock() >= self.deadline:
                return  # no more requests past the deadline: the timeout reports it
            track.next_check = now + CHECK_INTERVAL
            action = track.action
            try:
                settled = self.settle(action, self._request_timeout(), listed=True)
            except RSError as error:
                if not error.transient:
                    raise
                self.transient_errors.append(dict(elapsed=round(self.elapsed(), 3), error=str(error)))
                continue
            if settled is None:
                continue
            since = now - (track.full_since if at_full else track.last_move)
            self._apply_settlement(track, settled, 'Action %s%s is still listed as running (%s for %s s) and' % (
                action_label(action), where_text(action), 'at 100 %' if at_full else 'without any change',
                seconds_text(since)))

    def _fail_track(self, track, outcome, reason):
        track.fail(outcome, reason)
        if track.action is not None:
            self._record(track, self.clock())

    def _check_missing(self, now):
        if self.uids is None:
            return
        for track in self._awaited():
            if not track.seen and not track.terminal and now - self.start >= self.missing_grace:
                track.terminal = True
                track.outcome = 'missing'
                track.reason = ('Action %s was not found after %s s (missing_grace): check the uid'
                                % (track.uid, seconds_text(self.missing_grace)))

    def _check_stalls(self, now):
        if not self.stall_timeout:
            return
        for track in self._awaited():
            message = track.stall(now, self.stall_timeout)
            if message is None:
                continue
            if track.uid not in self.stalled:
                self.stalled.append(track.uid)
            if self.on_stall == 'fail':
                track.terminal = True
                track.outcome = 'stalled'
                track.reason = message
            else:
                self._warn(message)

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
        decision = self.policy.next_gap(now, self._backoff, self.rng, error_streak=self._error_streak,
                                        status_changed=self._status_changed,
                                        windows=[track.window() for track in pending], grace_end=grace_end,
                                        stall_ends=stall_ends)
        self._backoff = decision.backoff
        return decision.gap

    # ----------------------------------------------------------------------------------------- outcome

    def _decision(self):
        """None to keep waiting, else True (success) or False (failure)."""
        if not self._first_poll_done:
            return None
        awaited = self._awaited()
        failures = [track for track in awaited if track.terminal and track.outcome not in OK_OUTCOMES]
        if failures and self.fail_fast:
            return False
        if all(track.terminal for track in awaited):
            return not failures
        return None

    def _snapshot(self):
        """What a progress printer needs after a poll: ``retrying`` is the transient error of this poll (None after a
        success), ``last_poll`` the elapsed time of the last successful poll (None before the first)."""
        return dict(elapsed=round(self.elapsed(), 3), polls=self.polls, status_changed=self._status_changed,
                    actions=[track.report() for track in self._awaited()],
                    transient_errors=len(self.transient_errors),
                    retrying=self._last_error[1] if self._last_error else None, attempts=self._error_streak,
                    last_poll=self._last_poll)

    def run(self):
        """Wait; return the result dict (``failed``, ``msg``, ``actions``, ``elapsed``, ``polls``, ...)."""
        self.start = self.clock()
        self.deadline = self.start + self.timeout
        error = None
        timed_out = False
        try:
            while True:
                polled = self._poll()
                if self.on_progress is not None:
                    self.on_progress(self._snapshot())
                if polled and self._decision() is not None:
                    break
                now = self.clock()
                if now >= self.deadline:
                    timed_out = True
                    break
                gap = self._next_gap(now)
                if self._misconfig_streak():
                    # A wrong url: the next attempt, the one that gives up, comes right at the end of connect_grace.
                    gap = min(gap, max(self.start + self.connect_grace - now, 0.0))
                if now + gap >= self.deadline:
                    gap = self.deadline - now  # last look: sleep until the deadline and poll once more
                if gap > 0:
                    self.sleep(gap)
        except RSError as exc:
            error = exc
        return self._result(error, timed_out)

    def _result(self, error, timed_out):
        awaited = self._awaited()
        failures = [track for track in awaited if track.terminal and track.outcome not in OK_OUTCOMES]
        if self.object_name is not None:
            actions = [self.tracks[uid].report() for uid in self.order]
        else:
            actions = [track.report() for track in awaited]
        result = dict(
            changed=False,
            actions=actions,
            elapsed=round(self.elapsed(), 3),
            polls=self.polls,
            timed_out=timed_out,
            history=self.history,
            transient_errors=self.transient_errors,
            api_version=getattr(self.api, 'api_version', None),
            failed_actions=[track.uid for track in failures],
            outcome_unknown=[track.uid for track in awaited if track.outcome == OUTCOME_FINISHED_UNKNOWN],
            stalled=list(self.stalled),
            finished=bool(self._first_poll_done) and all(track.terminal for track in awaited),
        )
        if error is not None:
            result.update(error.to_result())
        result.update(self._outcome(error, failures, timed_out, awaited))
        for message in getattr(self.api, 'warnings', None) or ():
            self._warn(message)  # e.g. the fallback of api_version=auto from /v2/actions to v1
        result['warnings'] = list(self.warnings)
        return result

    def _outcome(self, error, failures, timed_out, awaited):
        """``failed`` and ``msg`` of the result: a timeout reads as a timeout, a failure as a failure, an error as
        what it is, with what was seen before it."""
        if error is not None:
            return dict(failed=True, msg=self._error_message(error, awaited))
        if failures:
            reasons = [track.reason for track in failures]
            running = len([track for track in awaited if not track.terminal])
            if timed_out and running:
                # fail_fast false: the wait went on after the failures and then ran out of time.
                return dict(failed=True, msg='%s. Before the timeout: %s' % (
                    self._timeout_message(awaited), failure_message(reasons, 0)))
            return dict(failed=True, msg=failure_message(reasons, running if self.fail_fast else 0))
        if timed_out:
            return dict(failed=True, msg=self._timeout_message(awaited))
        unknown = len([track for track in awaited if track.outcome == OUTCOME_FINISHED_UNKNOWN])
        return dict(failed=False, msg=success_message(len(awaited), self.elapsed(), self.object_name, self.name, unknown))

    def _error_message(self, error, awaited):
        """The message of a wait that an error stopped: the error, and what the wait saw before it."""
        if self._gave_up == 'connect_grace':
            return ('%s. No poll succeeded in %s s (%d attempts): the url looks wrong, so the wait stopped after '
                    'connect_grace (%s s) instead of retrying until its timeout'
                    % (str(error).rstrip('.'), seconds_text(self.elapsed()), self.polls, seconds_text(self.connect_grace)))
        if not self._first_poll_done:
            return str(error)
        seen = []
        for track in awaited[:LAST_SEEN_SHOWN]:
            seen.append('%s %s' % (action_label(track.action, track.uid), describe(track.action))
                        if track.seen else '%s not reported by RS yet' % track.uid)
        if len(awaited) > LAST_SEEN_SHOWN:
            seen.append('%d more' % (len(awaited) - LAST_SEEN_SHOWN))
        return ('Stopped waiting after %s s at an error that a retry cannot fix: %s. Before it, %d poll%s succeeded '
                '(the last %s s ago); last seen: %s. The actions keep running on the cluster; fix the cause and wait '
                'again' % (
                    seconds_text(self.elapsed()), str(error).rstrip('.'), self.good_polls,
                    '' if self.good_polls == 1 else 's',
                    seconds_text(self.elapsed() - (self._last_poll or 0.0)), '; '.join(seen) or 'nothing'))

    def _timeout_message(self, awaited):
        last_error = self.transient_errors[-1]['error'] if self.transient_errors else None
        if not self._first_poll_done:
            return no_poll_message(self.elapsed(), self.polls, last_error)
        pending = [(track.uid, track.action if track.seen else None, track.vanished)
                   for track in awaited if not track.terminal]
        return timeout_message(self.elapsed(), pending, len(awaited) - len(pending), self.object_name, self.name,
                               last_error)
