# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""The poll policy of the wait loop: how long to sleep before the next poll.

Pure: no I/O, no clock, no knowledge of RS. ``PollPolicy.next_gap()`` takes the moment, the error streak, whether a
status changed, the finish windows of the pending actions and the wake-up deadlines (end of ``missing_grace``,
``stall_timeout``), and returns a ``Decision``: the gap and the idle backoff to remember. It changes nothing itself.

* transient errors: jittered exponential backoff from ``poll_interval``, capped at ``max_poll_interval``;
* idle: the interval grows x1.5 (+-10 % jitter) up to ``max_poll_interval``; a status change resets it;
* finish windows (``predict=True``): a narrow window gets one poll just after it, a wide one a poll every
  ``poll_interval`` across it; when every pending action has a window and the aim is at most ``AIM_NEAR`` x
  ``max_poll_interval`` away, the sleep goes straight to it. ``predict=False`` is the plain backoff policy;
* a wake-up deadline is never slept past.
"""

from __future__ import annotations

import collections
import math

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_progress import AIM_LATE, AIM_NEAR

# Tuning constants of the backoff, each with its reason (those of the prediction are in rs_progress).
BACKOFF_FACTOR = 1.5    # idle interval growth: reaches max_poll_interval (10 s) from 1 s in 6 polls
BACKOFF_JITTER = 0.2    # the factor varies by +-10 %, so many waiters do not poll in step
FLOOR = 0.25            # x poll_interval: the shortest sleep toward an aim or a grace end (no busy polling)

Decision = collections.namedtuple('Decision', ['gap', 'backoff'])


class PollPolicy:
    """Chooses the gap before the next poll. ``predict=False``: plain backoff, finish windows ignored."""

    def __init__(self, poll_interval, max_poll_interval, fail_fast=True, predict=True):
        self.poll_interval = float(poll_interval)
        self.max_poll_interval = max(float(max_poll_interval), self.poll_interval)
        self.fail_fast = fail_fast
        self.predict = predict

    def error_gap(self, error_streak, rng):
        """The sleep after ``error_streak`` transient errors in a row: jittered exponential backoff."""
        base = min(self.max_poll_interval, self.poll_interval * 2 ** (error_streak - 1))
        return base * (0.5 + 0.5 * rng())

    def grown(self, backoff, status_changed, rng):
        """The idle interval after a poll: back to ``poll_interval`` on a status change, else grown and capped."""
        if status_changed:
            return self.poll_interval
        factor = BACKOFF_FACTOR * (1 + BACKOFF_JITTER * (rng() - 0.5))
        return min(self.max_poll_interval, backoff * factor)

    def next_gap(self, now, backoff, rng, error_streak=0, status_changed=False, windows=(), grace_end=None,
                 stall_ends=()):
        """Decide the gap before the next poll.

        ``backoff``: the idle interval so far. ``rng``: a callable giving floats in [0, 1). ``windows``: one entry
        per pending action, its ``(earliest, latest)`` finish or None. ``grace_end``: when unseen uids fail
        (missing_grace), or None. ``stall_ends``: when each watched action would count as stalled.
        """
        if error_streak:
            return Decision(self.error_gap(error_streak, rng), backoff)
        backoff = self.grown(backoff, status_changed, rng)
        gap, limit = self._aimed_gap(now, backoff, windows)
        floor = self.poll_interval * FLOOR
        if grace_end is not None and grace_end > now:
            gap = min(gap, max(grace_end - now, floor))
        for end in stall_ends:
            gap = min(gap, max(end - now, self.poll_interval))
        return Decision(max(min(gap, limit), 0.0), backoff)

    def _aimed_gap(self, now, backoff, windows):
        """(gap, limit) from the finish windows: the gap before the wake-ups, and the most it may be."""
        if not self.predict:
            return backoff, self.max_poll_interval
        aims = []
        unpredicted = False
        for window in windows:
            if window is None or math.isinf(window[1]):
                unpredicted = True
                continue
            earliest, latest = window
            # A narrow window: poll just after its end, one request. A wide one (progress in steps): the first poll
            # comes poll_interval after the earliest finish, then one every poll_interval, so the return is never
            # later than poll_interval after the finish; every poll on the way narrows the window again.
            aims.append(latest if latest - earliest <= self.poll_interval else min(earliest + self.poll_interval, latest))
        gap = backoff if unpredicted else self.max_poll_interval
        limit = self.max_poll_interval
        if aims:
            remaining = self.target(aims, now) - now
            aim = self.poll_interval if remaining <= 0 else max(remaining + AIM_LATE, self.poll_interval * FLOOR)
            # A window that had to forget levels (the model was already wrong once for this action: its progress slowed
            # down, paused, or went down and up again between two polls) gets no such trust.
            trusted = all(getattr(window, 'fits_all', True) for window in windows if window is not None)
            if not unpredicted and trusted and remaining <= AIM_NEAR * self.max_poll_interval:
                # Every action has a finish window and the aim is near: a poll on the way would only cost a request.
                # Farther away, max_poll_interval still bounds how late a failure or a vanished action is seen.
                limit = max(limit, aim)
                gap = aim
            gap = min(gap, aim)
        return gap, limit

    def target(self, aims, now):
        """The predicted finish the next poll aims at.

        Success needs every action, so the latest predicted finish is the one that matters. With ``fail_fast`` an
        earlier finish may also be a failure worth seeing early, so the soonest predicted finish is the target, but
        never less than two poll intervals away (many actions finishing close together then cost one poll per two
        intervals, not one poll each).
        """
        latest = max(aims)
        if not self.fail_fast:
            return latest
        return min(latest, max(min(aims), now + 2 * self.poll_interval))
