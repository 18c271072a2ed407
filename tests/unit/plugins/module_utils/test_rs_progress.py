# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The progress track: observations in, finish window out."""

from __future__ import annotations

import math

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_progress import (
    ProgressTrack,
    finish_window,
    progress_window,
    step_size,
)


def test_step_size_finds_the_coarsest_grid():
    assert step_size([0.0, 25.0, 50.0]) == 25.0
    assert step_size([33.3, 66.7]) == pytest.approx(100.0 / 3)
    assert step_size([50.0]) == 50.0
    assert step_size([0.0, 100.0]) == 100.0      # nothing inside: every grid fits, the coarsest wins
    assert step_size([12.3, 47.9]) is None       # continuous progress
    assert step_size([5.15]) is None             # 0.15 off the 5 % grid: not on it


def test_finish_window_of_linear_progress_is_narrow_and_holds_the_finish():
    # 10 % at t=1, 30 % at t=3: a line that reaches 100 % at t=10
    earliest, latest = finish_window([(10.0, 1.0, 1.0), (30.0, 3.0, 3.0)])
    assert earliest <= 10.0 <= latest
    assert latest - earliest < 0.2


def test_finish_window_of_steps_brackets_the_finish():
    # 4 steps of 25 % over 12 s (boundaries at 3, 6, 9, 12): seen 0 % at 0.5 and 2.5, 25 % at 4, 50 % at 7
    levels = [(0.0, 0.5, 2.5), (25.0, 4.0, 4.0), (50.0, 7.0, 7.0)]
    earliest, latest = finish_window(levels, step=25.0)
    assert earliest <= 12.0 <= latest
    assert latest - earliest > 1.0       # steps leave real doubt
    # read as continuous progress, the same values contradict a straight line: the step matters
    assert finish_window(levels, step=0.0) is None


def test_finish_window_is_open_until_progress_moves_and_none_on_contradiction():
    earliest, latest = finish_window([(40.0, 2.0, 2.0)])
    assert earliest == pytest.approx(2.0, abs=0.01) and latest == math.inf
    # progress that went from 10 % to 90 % in 1 s, then stood at 90 % for 20 s: not a straight line
    assert finish_window([(10.0, 0.0, 0.0), (90.0, 1.0, 21.0)]) is None
    # 100 % while still running: it can finish any moment
    assert finish_window([(50.0, 0.0, 0.0), (100.0, 4.0, 5.0)]) == (5.0, 5.0)


def test_started_after_bounds_the_start_of_progress():
    # 25 % seen at t=10, nothing else: without a start, the finish is unbounded; queued at t=8, 25 % took at most
    # 2 s, so 100 % takes at most 8 s: the finish is at most 16
    assert finish_window([(25.0, 10.0, 10.0)], step=25.0)[1] == math.inf
    earliest, latest = finish_window([(25.0, 10.0, 10.0)], step=25.0, started_after=8.0)
    assert latest == pytest.approx(16.0, abs=0.1)


def test_progress_window_forgets_levels_that_contradict_a_new_rate():
    """The rate changed (slow start, then fast): the old levels are dropped, the window follows the new rate."""
    levels = [(1.0, 0.0, 0.0), (2.0, 10.0, 10.0), (40.0, 12.0, 12.0), (60.0, 13.0, 13.0)]
    earliest, latest = progress_window(levels)
    assert earliest <= 15.0 <= latest <= 15.5


# ---------------------------------------------------------------------------------------------- ProgressTrack

RUN = 'running'
QUEUE = 'queued'
DONE = 'completed'


def observed(*observations):
    """A track after ``(status, progress, now[, restart])`` observations."""
    track = ProgressTrack()
    for observation in observations:
        status, progress, now = observation[:3]
        restart = observation[3] if len(observation) > 3 else False
        track.observe(status == RUN, status == QUEUE, progress, now, restart)
    return track


@pytest.mark.parametrize('observations, levels, started_after', [
    # each new value is a level
    ([(RUN, 10.0, 1.0), (RUN, 30.0, 3.0)], [[10.0, 1.0, 1.0], [30.0, 3.0, 3.0]], None),
    # the same value again: the level was seen until then
    ([(RUN, 10.0, 1.0), (RUN, 10.0, 2.0), (RUN, 10.0, 4.0)], [[10.0, 1.0, 4.0]], None),
    # progress that goes back (a restart): the old levels are dropped
    ([(RUN, 60.0, 1.0), (RUN, 20.0, 2.0)], [[20.0, 2.0, 2.0]], None),
    # a status change: the levels before it describe another run
    ([(RUN, 60.0, 1.0), (RUN, 70.0, 2.0, True)], [[70.0, 2.0, 2.0]], None),
    # queued: no levels, and the start comes after the latest queued sighting
    ([(QUEUE, None, 1.0), (QUEUE, None, 3.0), (RUN, 25.0, 5.0)], [[25.0, 5.0, 5.0]], 3.0),
    # running without a number: nothing to compute from
    ([(RUN, 10.0, 1.0), (RUN, None, 2.0)], [], None),
    # finished: nothing pending
    ([(RUN, 10.0, 1.0), (DONE, 100.0, 2.0)], [], None),
])
def test_progress_track_levels(observations, levels, started_after):
    track = observed(*observations)
    assert track.levels == levels
    assert track.started_after == started_after


@pytest.mark.parametrize('observations, window', [
    ([], None),
    ([(QUEUE, None, 1.0)], None),
    # one level: the finish is not bounded yet
    ([(RUN, 40.0, 2.0)], (2.0, math.inf)),
    # 100 % but still running: any moment now
    ([(RUN, 50.0, 0.0), (RUN, 100.0, 4.0), (RUN, 100.0, 5.0)], (5.0, 5.0)),
    # a straight line: 11 % at 1.1 s, 31 % at 3.1 s -> 100 % at 10 s
    ([(RUN, 11.0, 1.1), (RUN, 31.0, 3.1)], (10.0, 10.0)),
    # the same values on a 10 % grid (10, 30) may be steps: the window is wide
    ([(RUN, 10.0, 1.0), (RUN, 30.0, 3.0)], (7.0, 17.2)),
    # queued at 8, 25 % at 10 (steps of 25 %): done by 16 at the latest
    ([(QUEUE, None, 8.0), (RUN, 25.0, 10.0)], (10.0, 16.0)),
])
def test_progress_track_window(observations, window):
    result = observed(*observations).window()
    if window is None:
        assert result is None
    else:
        assert result[0] == pytest.approx(window[0], abs=0.15)
        assert result[1] == pytest.approx(window[1], abs=0.15)


def test_the_track_says_whether_its_window_fits_every_level():
    track = ProgressTrack()
    for now, progress in ((0.0, 0.1), (1.0, 14.4)):
        track.observe(True, False, progress, now)
    assert track.window().fits_all is True
    track.observe(True, False, 45.0, 7.26)     # far below the line of the first two: it went down and up again
    assert track.window().fits_all is False
