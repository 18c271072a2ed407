# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""The progress track of one action: progress observations in, a finish window out.

No I/O, no clock of its own: every observation carries its time. ``ProgressTrack`` keeps the progress levels seen
while an action runs; ``progress_window()`` turns them into the earliest and latest moment the action can finish;
``rs_poll.PollPolicy`` aims the next poll at it.

Why it stays (tests/benchmark/README.md, "Finish window vs plain backoff"): on every progress shape tried it is
never later than plain backoff, and it needs 35-88 % fewer requests than a fixed poll that is as timely.

Its constraints (where the window can be trusted):

* progress is a straight line in time from 0 % at an unknown start to 100 % at the finish, possibly shown rounded
  down to steps of 100/k % (k <= ``MAX_STEPS``); 100 % while running means "any moment now";
* the rate may drift: only the latest ``MAX_LEVELS`` levels count, and older ones are dropped while they
  contradict the line. Curved, paused or unevenly stepped progress is aimed at wrongly at times: in the benchmark
  the return was then up to 1.5 s (S-curve, pause) or 3.6 s (uneven steps) late, never later than plain backoff,
  because a far aim never sleeps past ``max_poll_interval``;
* progress that goes back (a restart) or a status change starts a new track;
* progress that never moves (a jump from 0 to 100 %) gives no window: plain backoff polls it.
"""

from __future__ import annotations

import math

# Prediction: when can an action finish, given the progress seen so far?
#
# Progress is modelled as a straight line in time, 0 % at an unknown start ``b`` and 100 % at the unknown finish
# ``f``; RS may show it rounded down to steps of ``step`` percent (state machines often move a step at a time).
# Every poll that saw ``p`` % at time ``t`` says ``p <= 100 (t - b) / (f - b) < p + step``. Multiplied out, each of
# these is a linear constraint on (f, b), so the finishes consistent with everything seen form an interval, found
# exactly from the corners of a small polygon. No constant is tuned to a duration: a narrow interval means "aim
# just after it", a wide one means "the finish may come as early as its lower end".

# Tuning constants of the prediction (all of them, here and only here), each with its reason.
MAX_LEVELS = 6          # levels the window is computed from: the latest ones, since rates drift
PROGRESS_SLACK = 0.06   # RS rounds progress to 0.1 %: a value shown may be up to 0.05 off
STEP_TOLERANCE = 0.05   # a value this close to a multiple of 100/k is on that grid (33.3 is on 100/3)
MAX_STEPS = 20          # step grids tried, 100/1 ... 100/20 %: finer steps read as continuous progress
FAR = 1e7               # seconds that stand for "unbounded" in the polygon (a latest finish beyond is inf)
AIM_NEAR = 1.5          # x max_poll_interval: a finish this near is slept to in one go (saves the poll on the way)
AIM_LATE = 0.05         # seconds past the predicted finish: a hair late beats a request too early


def step_size(values):
    """The coarsest grid of 100/k % (k <= 20) that every progress value lies on, or None when none fits."""
    inside = [value for value in values if 0 < value < 100]
    for steps in range(1, MAX_STEPS + 1):
        grid = 100.0 / steps
        if all(abs(value / grid - round(value / grid)) * grid <= STEP_TOLERANCE for value in inside):
            return grid
    return None


def _corners(constraints):
    """Corners (f, b) of the polygon ``a*f + c*b <= d`` for every (a, c, d), or [] when it is empty."""
    corners = []
    for i, (a1, c1, d1) in enumerate(constraints):
        for a2, c2, d2 in constraints[i + 1:]:
            det = a1 * c2 - a2 * c1
            if abs(det) < 1e-12:
                continue
            f = (d1 * c2 - d2 * c1) / det
            b = (a1 * d2 - a2 * d1) / det
            if all(a * f + c * b <= d + 1e-7 * (1 + abs(d)) for a, c, d in constraints):
                corners.append((f, b))
    return corners


def finish_window(levels, step=0.0, started_after=None):
    """The earliest and latest finish consistent with ``levels``, or None when they contradict the model.

    ``levels``: ``(progress, first_seen, last_seen)`` of a running action, oldest first. ``step``: the size of the
    steps RS shows progress in (0 for continuous progress). ``started_after``: a moment the action had not started
    yet (it was queued then), or None. The latest finish is ``inf`` when nothing bounds it yet.
    """
    last = levels[-1][2]
    constraints = [(-1.0, 0.0, -last), (-1.0, 1.0, -0.01), (1.0, 0.0, last + FAR), (0.0, -1.0, FAR - last)]
    if started_after is not None:
        constraints.append((0.0, -1.0, -started_after))
    for progress, first_seen, last_seen in levels:
        if progress >= 100:
            return last, last  # RS says 100 % but not completed yet: it can finish any moment now
        low = max(progress - PROGRESS_SLACK, 0.0)
        constraints.append((low, 100.0 - low, 100.0 * first_seen))
        high = progress + step + PROGRESS_SLACK
        if high < 100:
            constraints.append((-high, high - 100.0, -100.0 * last_seen))
    corners = _corners(constraints)
    if not corners:
        return None
    earliest = min(f for f, b in corners)
    latest = max(f for f, b in corners)
    return earliest, (math.inf if latest >= last + FAR / 2 else latest)


class Window(tuple):
    """``(earliest, latest)``, and ``fits_all``: whether every progress level seen fits it. When old levels had to be
    forgotten (the progress slowed down, paused, or went down and up again between two polls), the model has
    already been wrong once for this action: the poll policy then never sleeps past ``max_poll_interval`` for it."""

    fits_all = True


def progress_window(levels, started_after=None):
    """``finish_window`` for what a track saw: guess the step size, forget old levels the model cannot fit.

    Progress moves in steps when it stood still between two polls (a level below 100 % seen by two polls), or when
    its values lie on a grid of 100/k %
    (k <= 20, within 0.05: a continuous value lands there by chance 2 % of the time, costing a request or two);
    the step is the grid (or the smallest jump seen when no grid fits). Otherwise, or when the steps contradict
    what was seen, it is taken as continuous.
    """
    return progress_fit(levels, started_after)[0]


def progress_fit(levels, started_after=None):
    """``(window, fitted)``: ``progress_window()``, and how many of the last MAX_LEVELS levels it fits."""
    values = [level[0] for level in levels]
    grid = step_size(values)
    jumps = [b - a for a, b in zip(values, values[1:]) if b > a]
    if any(last_seen > first_seen and progress < 100 for progress, first_seen, last_seen in levels):
        steps = [grid if grid is not None else (min(jumps) if jumps else 100.0)]
    elif grid is not None and grid < 100:
        steps = [grid, 0.0]
    else:
        steps = [0.0]
    levels = levels[-MAX_LEVELS:]
    while levels:
        for step in steps:
            window = finish_window(levels, step, started_after)
            if window is not None:
                return window, len(levels)
        levels = levels[1:]
        started_after = None
    return None, 0


class ProgressTrack:
    """The progress levels of one running action: ``[progress, first seen, last seen]``, oldest first."""

    def __init__(self):
        self.levels = []
        self.started_after = None    # the latest observation that saw the action queued

    def observe(self, running, queued, progress, now, restart=False):
        """Record one observation at ``now``.

        ``running``/``queued``: the action's status class; ``progress``: a number or None; ``restart``: the status
        changed since the last observation (the levels seen before do not describe this run).
        """
        if not running or progress is None:
            self.levels = []
            if queued:
                self.started_after = now
            return
        if restart or (self.levels and progress < self.levels[-1][0]):
            self.levels = []
        if self.levels and progress == self.levels[-1][0]:
            self.levels[-1][2] = now
        else:
            self.levels.append([progress, now, now])

    def window(self):
        """(earliest, latest) the action can finish at, or None when nothing is known (``progress_window()``)."""
        if not self.levels:
            return None
        levels = [tuple(level) for level in self.levels][-MAX_LEVELS:]
        window, fitted = progress_fit(levels, self.started_after)
        if window is None:
            return None
        result = Window(window)
        result.fits_all = fitted == len(levels)
        return result
