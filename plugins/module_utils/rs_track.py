# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""What the wait loop knows about one action: its last sighting, its outcome, its progress track, its stalls."""

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
        progress = self.action.get('progress') if self.action else None
        if isinstance(progress, bool) or not isinstance(progress, (int, float)):
            return None
        return float(progress)

    def observe(self, action, now):
        """Take ``action`` as seen at ``now``; return (its status changed, its status or progress changed)."""
        previous = self.action
        first = not self.seen
        self.action = dict(action)
        self.seen = True
        status, progress = self.status, self.progress
        old_status = previous.get('status') if previous else None
        old_progress = None
        if previous is not None and isinstance(previous.get('progress'), (int, float)):
            old_progress = float(previous['progress'])
        # Progress that went back (RS started the work over) is a new run: scheduling starts again from poll_interval.
        restarted = old_progress is not None and progress is not None and progress < old_progress
        status_change = first or status != old_status or restarted
        changed = status_change or progress != old_progress
        moved = changed or (previous is not None and (action.get('heartbeat') != previous.get('heartbeat')
                                                      or action.get('state') != previous.get('state')))
        if moved or self.last_move is None:
            self.last_move = now
            self.stall_flagged = False
        self.progress_track.observe(status == STATUS_RUNNING, status == STATUS_QUEUED, progress, now, status_change)
        if status == STATUS_RUNNING and progress is not None and progress >= 100:
            if self.full_since is None:
                self.full_since = now
        else:
            self.full_since = None
        if status in TERMINAL_STATUSES:
            self.terminal = True
            self.outcome = status
            if status in FAILURE_STATUSES:
                self.reason = 'Action %s%s %s: %s' % (action_label(action), where_text(action), status, error_text(action))
        return status_change, changed

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
