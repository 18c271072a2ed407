# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""What a wait records as it goes, for its progress snapshots and its result.

``WaitJournal`` counts the polls, keeps the transient errors and the streak of failed polls, and applies the
connect-grace rule: before any poll has succeeded, a transient error whose ``misconfig`` is true (the host does not
resolve, the connection is refused: most likely a wrong url) is retried for ``connect_grace`` seconds only. It also
keeps the history of statuses, the warnings (each once) and the uids of stalled actions. It sends no request and
knows nothing about RS.
"""

from __future__ import annotations

# Why a retryable error was not retried any more (``WaitJournal.gave_up``).
GAVE_UP_CONNECT_GRACE = 'connect_grace'


class WaitJournal:
    """The record of one wait; ``start`` is set by ``begin()``, times are seconds of ``clock``."""

    def __init__(self, clock, connect_grace):
        self.clock = clock
        self.connect_grace = float(connect_grace)
        self.start = None
        self.polls = 0
        self.good_polls = 0
        self.first_poll_done = False
        self.history = []
        self.transient_errors = []
        self.warnings = []
        self.stalled = []
        self.error_streak = 0         # failed polls in a row
        self.last_error = None        # (elapsed, text) of the last transient error while it is not followed by a success
        self.last_poll = None         # elapsed at the last successful poll
        self.gave_up = None           # why a retryable error was not retried any more
        self.last_misconfig = False   # whether the last transient error looked like a wrong url

    def begin(self):
        """The wait starts now."""
        self.start = self.clock()
        return self.start

    def elapsed(self, now=None):
        if self.start is None:
            return 0.0
        return (self.clock() if now is None else now) - self.start

    # ----------------------------------------------------------------------------------------- polls

    def poll_failed(self, error):
        """Record the transient ``error`` of a poll; True when the wait must stop at it (connect_grace is over)."""
        self.error_streak += 1
        self.last_error = (self.elapsed(), str(error))
        self.last_misconfig = error.misconfig
        self.transient(error)
        if error.misconfig and not self.first_poll_done and self.elapsed() >= self.connect_grace:
            self.gave_up = GAVE_UP_CONNECT_GRACE
            return True
        return False

    def poll_succeeded(self):
        """Record a successful poll: the error streak ends."""
        self.error_streak = 0
        self.last_error = None
        self.last_poll = self.elapsed()
        self.good_polls += 1

    def transient(self, error):
        """Record a transient ``error`` (of a poll, or of a request of ``settle``)."""
        self.transient_errors.append(dict(elapsed=round(self.elapsed(), 3), error=str(error)))

    def misconfig_streak(self):
        """Whether no poll has succeeded yet and the last one failed with an error that suggests a wrong url."""
        return not self.first_poll_done and self.last_error is not None and self.last_misconfig

    def grace_gap(self, now, gap):
        """``gap`` shortened so that, during a misconfig streak, the next attempt (the one that gives up) comes right
        at the end of connect_grace."""
        if self.misconfig_streak():
            return min(gap, max(self.start + self.connect_grace - now, 0.0))
        return gap

    # ----------------------------------------------------------------------------------------- what was seen

    def record(self, track, now):
        """Add the status and progress of ``track`` at ``now`` to the history."""
        self.history.append(dict(elapsed=round(now - self.start, 3), action_uid=track.uid, status=track.status,
                                 progress=track.progress))

    def warn(self, message):
        if message not in self.warnings:
            self.warnings.append(message)

    def stall(self, uid):
        if uid not in self.stalled:
            self.stalled.append(uid)

    def snapshot(self, actions, status_changed):
        """What a progress printer needs after a poll: ``retrying`` is the transient error of this poll (None after a
        success), ``last_poll`` the elapsed time of the last successful poll (None before the first)."""
        return dict(elapsed=round(self.elapsed(), 3), polls=self.polls, status_changed=status_changed,
                    actions=actions, transient_errors=len(self.transient_errors),
                    retrying=self.last_error[1] if self.last_error else None, attempts=self.error_streak,
                    last_poll=self.last_poll)
