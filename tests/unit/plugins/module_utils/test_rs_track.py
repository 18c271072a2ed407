# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ActionTrack: what counts as a change of an action, for the poll policy."""

from __future__ import annotations

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_track import (
    ActionTrack,
    actions_by_uid,
    sighting_changes,
)

UID = 'a6186b5e-8ee8-414f-8b4d-72910db24e51'


def seen(status, progress):
    return {'action_uid': UID, 'name': 'SMCreateBDB', 'status': status, 'progress': progress, 'object_name': 'bdb:1'}


@pytest.mark.parametrize('before, after, status_change, changed', [
    (seen('running', 40.0), seen('running', 40.0), False, False),   # nothing moved
    (seen('running', 40.0), seen('running', 60.0), False, True),    # progress moved on
    (seen('queued', 0.0), seen('running', 0.0), True, True),        # a new status
    (seen('running', 70.0), seen('running', 10.0), True, True),     # progress went back: RS started over
])
def test_what_counts_as_a_change(before, after, status_change, changed):
    track = ActionTrack(UID)
    assert track.observe(before, 1.0) == (True, True)               # the first sighting is a change
    assert track.observe(after, 2.0) == (status_change, changed)


def test_progress_that_went_back_forgets_the_levels_of_the_first_run():
    track = ActionTrack(UID)
    for now, progress in ((1.0, 20.0), (2.0, 40.0), (3.0, 60.0)):
        track.observe(seen('running', progress), now)
    assert track.progress_track.window() is not None
    track.observe(seen('running', 5.0), 4.0)
    assert [level[0] for level in track.progress_track.levels] == [5.0]


def sighting(status='running', progress=40.0, **extra):
    return dict(seen(status, progress), **extra)


@pytest.mark.parametrize('previous, action, first, expected', [
    (None, sighting(), True, (True, True, True)),                                      # the first sighting
    (sighting(), sighting(), False, (False, False, False)),                            # nothing at all
    (sighting(), sighting(progress=41.0), False, (False, True, True)),                 # progress on
    (sighting(progress=None), sighting(progress=0.0), False, (False, True, True)),     # progress appears
    (sighting(), sighting(progress=None), False, (False, True, True)),                 # progress gone
    (sighting(progress=70.0), sighting(progress=10.0), False, (True, True, True)),     # went back: a new run
    (sighting('queued', 0.0), sighting(progress=0.0), False, (True, True, True)),      # a new status
    (sighting(heartbeat=1), sighting(heartbeat=2), False, (False, False, True)),       # only a heartbeat
    (sighting(state='a'), sighting(state='b'), False, (False, False, True)),           # only the state
])
def test_sighting_changes(previous, action, first, expected):
    assert sighting_changes(previous, action, first) == expected


@pytest.mark.parametrize('actions, expected', [
    ([], {}),
    ([{'action_uid': 'AbC'}], {'abc': {'action_uid': 'AbC'}}),                         # matched in lower case
    ([{'action_uid': 'a', 'n': 1}, {'action_uid': 'A', 'n': 2}], {'a': {'action_uid': 'a', 'n': 1}}),  # first wins
    ([None, 'a', {'action_uid': None}, {'action_uid': ''}, {'action_uid': 3}, {}], {}),  # no usable uid
])
def test_actions_by_uid(actions, expected):
    assert actions_by_uid(actions) == expected


@pytest.mark.parametrize('observed, terminal, elapsed, missing', [
    (False, False, 29.9, False),
    (False, False, 30.0, True),
    (True, False, 90.0, False),      # seen: never missing
    (False, True, 90.0, False),      # ended already (e.g. a permanent error)
])
def test_check_missing(observed, terminal, elapsed, missing):
    track = ActionTrack(UID)
    if observed:
        track.observe(seen('running', 10.0), 1.0)
    track.terminal = terminal
    track.check_missing(elapsed, 30.0)
    assert (track.outcome == 'missing') is missing
    if missing:
        assert track.reason == 'Action %s was not found after 30 s (missing_grace): check the uid' % UID


def test_an_unknown_status_is_warned_once_per_status():
    track = ActionTrack(UID)
    weird = dict(seen('unknown', 10.0), api_status='weird')
    track.observe(weird, 1.0)
    assert track.unknown_status_warning(weird) == (
        "Action SMCreateBDB %s on bdb:1 reports the status 'weird', which this module does not know; waiting on as if "
        "it were running" % UID)
    assert track.unknown_status_warning(weird) is None
    other = dict(weird, api_status='odd')
    track.observe(other, 2.0)
    assert 'odd' in track.unknown_status_warning(other)
    track.observe(seen('running', 20.0), 3.0)
    assert track.unknown_status_warning(seen('running', 20.0)) is None
