# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""What the wait loop knows about one action: its last sighting (what changed since the one before), its outcome,
its progress track, its stalls; and how the actions of a poll's answer are matched to the tracks (by uid)."""

from __future__ import annotations

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_actions import (
    ACTION_KEYS,
    FAILURE_STATUSES,
    STATUS_FAILED,
    STATUS_QUEUED,
    STATUS_RUNNING,
    STATUS_UNKNOWN,
    TERMINAL_STATUSES,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_progress import ProgressTrack
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait_text import (
    action_label,
    describe,
    error_text,
    seconds_text,
    where_text,
)


def _progress_of(action):
    """The progress of ``action`` as a float, None when it has none (a bool is none)."""
    progress = action.get('progress') if action else None
    if isinstance(progress, bool) or not isinstance(progress, (int, float)):
        return None
    return float(progress)


def _previous_progress(previous):
    """The progress of the previous sighting as a float, None when there was none."""
    if previous is not None and isinstance(previous.get('progress'), (int, float)):
        return float(previous['progress'])
    return None


def sighting_changes(previous, action, first):
    """What changed from the sighting ``previous`` (None at first) to ``action``: a tuple of three flags.

    ``status_change``: the first sighting, a new status, or progress that went back (RS started the work over: a new
    run, so scheduling starts again from poll_interval); ``changed``: that, or progress moved; ``moved``: that, or
    the ``heartbeat`` or ``state`` changed (for stall detection).
    """
    status = action.get('status') if action else None
    progress = _progress_of(action)
    old_status = previous.get('status') if previous else None
    old_progress = _previous_progress(previous)
    restarted = old_progress is not None and progress is not None and progress < old_progress
    status_change = first or status != old_status or restarted
    changed = status_change or progress != old_progress
    moved = changed or (previous is not None and (action.get('heartbeat') != previous.get('heartbeat')
                                                  or action.get('state') != previous.get('state')))
    return status_change, changed, moved


def actions_by_uid(actions):
    """The actions of a poll's answer by uid in lower case (RS may answer a uid in another case); the first of
    each uid wins, and an entry without a string uid is ignored."""
    by_uid = {}
    for action in actions:
        uid = action.get('action_uid') if isinstance(action, dict) else None
        if isinstance(uid, str) and uid and uid.lower() not in by_uid:
            by_uid[uid.lower()] = action
    return by_uid


class ActionTrack:
    """What the waiter knows about one action."""

    def __init__(self, uid):
        self.uid = uid
        self.action = None           # last normalized action seen
        self.seen = False
        self.awaited = True          # object mode: False for actions already finished at the first poll
        self.terminal = False
        self.outcome = None          # completed | failed | cancelled | missing | unknown | finished-unknown | stalled
        self.reason = None           # failure message
        self.vanished = False        # seen unfinished, then absent: waiting for a settlement
        self.full_since = None       # when it was first seen running at 100 % (in the current stretch at 100 %)
        self.next_check = None       # no check through settle(listed=True) before this time
        self.warned = set()
        self.progress_track = ProgressTrack()
        # stall detection
        self.last_move = None
        self.stall_flagged = False

    @property
    def status(self):
        return self.action.get('status') if self.action else None

    @property
    def progress(self):
        return _progress_of(self.action)

    def observe(self, action, now):
        """Take ``action`` as seen at ``now``; return (its status changed, its status or progress changed)."""
        previous = self.action
        first = not self.seen
        self.action = dict(action)
        self.seen = True
        status_change, changed, moved = sighting_changes(previous, self.action, first)
        if moved or self.last_move is None:
            self.last_move = now
            self.stall_flagged = False
        status = self.status
        self.progress_track.observe(status == STATUS_RUNNING, status == STATUS_QUEUED, self.progress, now, status_change)
        self._note_full(now)
        self._note_end(action)
        return status_change, changed

    def _note_full(self, now):
        """Remember since when the action runs at 100 % (the current stretch); forget it when it does not."""
        progress = self.progress
        if self.status == STATUS_RUNNING and progress is not None and progress >= 100:
            if self.full_since is None:
                self.full_since = now
        else:
            self.full_since = None

    def _note_end(self, action):
        """End the track when RS reports a terminal status; a failure gets its reason."""
        status = self.status
        if status in TERMINAL_STATUSES:
            self.terminal = True
            self.outcome = status
            if status in FAILURE_STATUSES:
                self.reason = 'Action %s%s %s: %s' % (action_label(action), where_text(action), status, error_text(action))

    def stall(self, now, stall_timeout):
        """The stall message when the action has not moved for ``stall_timeout`` s (flagged once), else None."""
        if self.terminal or not self.seen or self.stall_flagged or self.last_move is None:
            return None
        quiet = now - self.last_move
        if quiet < stall_timeout:
            return None
        self.stall_flagged = True
        action = self.action
        return ('Action %s%s has not moved for %s s (stall_timeout %s s): %s'
                % (action_label(action), where_text(action), seconds_text(quiet), seconds_text(stall_timeout),
                   describe(action)))

    def check_missing(self, elapsed, missing_grace):
        """End the track as ``missing`` when RS has not reported the action ``missing_grace`` s into the wait."""
        if not self.seen and not self.terminal and elapsed >= missing_grace:
            self.terminal = True
            self.outcome = 'missing'
            self.reason = ('Action %s was not found after %s s (missing_grace): check the uid'
                           % (self.uid, seconds_text(missing_grace)))

    def unknown_status_warning(self, action):
        """The warning that ``action`` (just observed) reports a status this module does not know, once per status
        RS sent; None otherwise."""
        if self.status != STATUS_UNKNOWN:
            return None
        key = action.get('api_status')
        if key in self.warned:
            return None
        self.warned.add(key)
        return ('Action %s%s reports the status %r, which this module does not know; waiting on as if it were running'
                % (action_label(action), where_text(action), action.get('api_status')))

    def fail(self, outcome, reason):
        """End the track with a failed or unknown ``outcome``; the action, if seen, reads ``failed`` or ``unknown``."""
        self.terminal = True
        self.outcome = outcome
        self.reason = reason
        if self.action is not None:
            # A settled failure reads "failed"; an outcome nobody knows reads "unknown", never "completed".
            self.action = dict(self.action, status=STATUS_FAILED if outcome == STATUS_FAILED else STATUS_UNKNOWN)
            if not self.action.get('error'):
                self.action['error'] = reason

    def window(self):
        """(earliest, latest) clock time the action can finish at, from its progress so far, or None when unknown.

        The latest is ``inf`` until the progress seen bounds it (see ``finish_window()``).
        """
        if self.terminal or self.status != STATUS_RUNNING:
            return None
        return self.progress_track.window()

    def report(self):
        if self.action is not None:
            return dict(self.action)
        placeholder = dict((key, None) for key in ACTION_KEYS)
        placeholder.update(action_uid=self.uid, status=STATUS_UNKNOWN)
        return placeholder
