# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""WaitJournal: the connect_grace rule, the error streak, the history, the warnings and the progress snapshot."""

from __future__ import annotations

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    RSConnectionError,
    RSHTTPError,
    RSTimeoutError,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_track import ActionTrack
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait_journal import (
    GAVE_UP_CONNECT_GRACE,
    WaitJournal,
)


class Clock:
    def __init__(self, now=100.0):
        self.now = now

    def __call__(self):
        return self.now


def journal_at(elapsed, first_poll_done=False, grace=20.0):
    clock = Clock()
    journal = WaitJournal(clock, grace)
    journal.begin()
    journal.first_poll_done = first_poll_done
    clock.now += elapsed
    return journal


@pytest.mark.parametrize('error, elapsed, first_poll_done, gives_up', [
    (RSConnectionError('refused', kind='refused'), 19.5, False, False),   # a wrong url, within connect_grace
    (RSConnectionError('refused', kind='refused'), 20.0, False, True),    # a wrong url, connect_grace is over
    (RSConnectionError('no such host', kind='dns'), 25.0, False, True),
    (RSConnectionError('refused', kind='refused'), 25.0, True, False),    # a poll succeeded before: no grace
    (RSConnectionError('reset', kind='reset'), 25.0, False, False),       # not a wrong url: retried until the timeout
    (RSTimeoutError('slow', kind='timeout'), 25.0, False, False),
    (RSHTTPError('Service unavailable (503)', status=503), 25.0, False, False),
])
def test_connect_grace(error, elapsed, first_poll_done, gives_up):
    journal = journal_at(elapsed, first_poll_done)
    assert journal.poll_failed(error) is gives_up
    assert journal.gave_up == (GAVE_UP_CONNECT_GRACE if gives_up else None)
    assert journal.error_streak == 1
    assert journal.last_error == (elapsed, str(error))
    assert journal.transient_errors == [dict(elapsed=elapsed, error=str(error))]
    assert journal.misconfig_streak() is (error.misconfig and not first_poll_done)


def test_a_successful_poll_ends_the_streak():
    journal = journal_at(3.0)
    for dummy in range(3):
        journal.poll_failed(RSConnectionError('refused', kind='refused'))
    assert (journal.error_streak, journal.misconfig_streak()) == (3, True)
    journal.poll_succeeded()
    assert (journal.error_streak, journal.last_error, journal.last_poll, journal.good_polls) == (0, None, 3.0, 1)
    assert journal.misconfig_streak() is False
    assert len(journal.transient_errors) == 3     # the errors stay in the result


@pytest.mark.parametrize('kind, elapsed, gap, expected', [
    ('refused', 5.0, 10.0, 10.0),     # before the last attempt: the gap as the policy chose it
    ('refused', 15.0, 10.0, 5.0),     # the next attempt comes right at the end of connect_grace
    ('refused', 22.0, 10.0, 0.0),     # past it: at once
    ('reset', 15.0, 10.0, 10.0),      # not a wrong url: no grace
])
def test_grace_gap(kind, elapsed, gap, expected):
    journal = journal_at(elapsed)
    journal.poll_failed(RSConnectionError('x', kind=kind))
    assert journal.grace_gap(journal.clock(), gap) == pytest.approx(expected)


def test_warnings_are_kept_once_in_order():
    journal = journal_at(0.0)
    for message in ('b', 'a', 'b', 'c', 'a'):
        journal.warn(message)
    assert journal.warnings == ['b', 'a', 'c']


def test_stalled_uids_are_kept_once():
    journal = journal_at(0.0)
    for uid in ('u2', 'u1', 'u2'):
        journal.stall(uid)
    assert journal.stalled == ['u2', 'u1']


def test_history_and_snapshot():
    journal = journal_at(0.0)
    track = ActionTrack('u1')
    track.observe({'action_uid': 'u1', 'status': 'running', 'progress': 25}, 101.5)
    journal.record(track, 101.5)
    assert journal.history == [dict(elapsed=1.5, action_uid='u1', status='running', progress=25.0)]
    journal.polls = 2
    journal.clock.now = 102.0
    journal.poll_failed(RSTimeoutError('slow', kind='timeout'))
    assert journal.snapshot(['a'], True) == dict(elapsed=2.0, polls=2, status_changed=True, actions=['a'],
                                                 transient_errors=1, retrying='slow', attempts=1, last_poll=None)


def test_elapsed_before_the_start_is_zero():
    journal = WaitJournal(Clock(), 20.0)
    assert journal.elapsed() == 0.0
    journal.begin()
    assert journal.elapsed(130.0) == 30.0
