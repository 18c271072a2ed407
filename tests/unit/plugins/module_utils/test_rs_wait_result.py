# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""rs_wait_result: which tracks are failures, and how the last sightings read in a message that stops a wait.
The whole result is tested through ActionWaiter (test_rs_wait.py)."""

from __future__ import annotations

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_track import ActionTrack
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait_result import (
    failed_tracks,
    last_seen_text,
)


def track(uid, status=None, outcome=None, progress=None):
    result = ActionTrack(uid)
    if status is not None:
        result.observe({'action_uid': uid, 'name': 'SMCreateBDB', 'status': status, 'progress': progress}, 0.0)
    if outcome is not None:
        result.terminal = True
        result.outcome = outcome
    return result


@pytest.mark.parametrize('outcomes, expected', [
    ([], []),
    ([None, 'completed', 'finished-unknown'], []),                 # running, a success, over without a verdict
    (['failed', 'cancelled', 'missing', 'unknown', 'stalled'], ['u0', 'u1', 'u2', 'u3', 'u4']),
    (['completed', 'failed', None], ['u1']),
])
def test_failed_tracks(outcomes, expected):
    tracks = [track('u%d' % index, outcome=outcome) for index, outcome in enumerate(outcomes)]
    assert [item.uid for item in failed_tracks(tracks)] == expected


@pytest.mark.parametrize('tracks, shown, expected', [
    ([], 5, 'nothing'),
    ([track('u1')], 5, 'u1 not reported by RS yet'),
    ([track('u1', 'running', progress=40.0), track('u2')], 5, 'SMCreateBDB u1 running 40%; u2 not reported by RS yet'),
    ([track('u%d' % index, 'queued') for index in range(4)], 2, 'SMCreateBDB u0 queued; SMCreateBDB u1 queued; 2 more'),
])
def test_last_seen_text(tracks, shown, expected):
    assert last_seen_text(tracks, shown) == expected
