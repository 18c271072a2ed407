# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ActionTrack: what counts as a change of an action, for the poll policy."""

from __future__ import annotations

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_track import ActionTrack

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
