# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""rs_settle: when a lingering state machine is due for a check, and how SettleChecks ends the tracks of vanished and
lingering actions as ``settle`` answers (a scripted ``settle``, a fake clock)."""

from __future__ import annotations

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSAuthError, RSTimeoutError
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_settle import (
    AT_FULL_CHECK_AFTER,
    CHECK_INTERVAL,
    OUTCOME_FINISHED_UNKNOWN,
    OUTCOME_UNKNOWN,
    STILL_CHECK_AFTER,
    SettleChecks,
    Settlement,
    linger_due,
    listed_running,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_track import ActionTrack
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait_journal import WaitJournal

UID = 'c0ffee00-1111-4222-8333-944455556666'


def action(status='running', progress=50.0, action_type='state-machine'):
    return {'action_uid': UID, 'name': 'SMUpdateBDB', 'action_type': action_type, 'status': status,
            'api_status': status, 'progress': progress, 'object_name': 'bdb:7', 'error': None}


def track_seen(at=0.0, **kwargs):
    track = ActionTrack(UID)
    track.observe(action(**kwargs), at)
    return track


class Clock:
    def __init__(self, now=0.0):
        self.now = now

    def __call__(self):
        return self.now


# ------------------------------------------------------------------------------------------------- linger_due

@pytest.mark.parametrize('kwargs, changes, expected', [
    (dict(), {}, True),                                        # a state machine listed as running
    (dict(status='queued'), {}, False),                        # not running
    (dict(action_type='task'), {}, False),                     # a task is not a state machine
    (dict(), dict(vanished=True), False),                      # not listed any more: vanished() handles it
    (dict(), dict(terminal=True), False),                      # ended already
    (dict(status='completed'), {}, False),                     # ended by RS
])
def test_listed_running(kwargs, changes, expected):
    track = track_seen(**kwargs)
    for key, value in changes.items():
        setattr(track, key, value)
    assert listed_running(track) is expected


def test_an_unseen_track_is_not_listed_running():
    assert listed_running(ActionTrack(UID)) is False


@pytest.mark.parametrize('progress, now, next_check, expected', [
    (100.0, AT_FULL_CHECK_AFTER - 0.1, None, None),                                 # at 100 %, not long enough
    (100.0, AT_FULL_CHECK_AFTER, None, ('at 100 %', AT_FULL_CHECK_AFTER)),          # at 100 % long enough
    (100.0, AT_FULL_CHECK_AFTER + 5, AT_FULL_CHECK_AFTER + 6, None),                # checked a moment ago
    (100.0, AT_FULL_CHECK_AFTER + 6, AT_FULL_CHECK_AFTER + 6, ('at 100 %', AT_FULL_CHECK_AFTER + 6)),
    (50.0, STILL_CHECK_AFTER - 0.1, None, None),                                    # unchanged, not long enough
    (50.0, STILL_CHECK_AFTER, None, ('without any change', STILL_CHECK_AFTER)),     # unchanged long enough
    (100.0, STILL_CHECK_AFTER, None, ('at 100 %', STILL_CHECK_AFTER)),              # both: 100 % is named
])
def test_linger_due(progress, now, next_check, expected):
    track = track_seen(progress=progress)
    track.next_check = next_check
    assert linger_due(track, now) == expected


def test_linger_due_counts_from_the_last_change():
    track = track_seen(progress=40.0)
    track.observe(action(progress=60.0), 30.0)
    assert linger_due(track, 30.0 + STILL_CHECK_AFTER - 1) is None
    assert linger_due(track, 30.0 + STILL_CHECK_AFTER) == ('without any change', STILL_CHECK_AFTER)


# ------------------------------------------------------------------------------------------------ SettleChecks

def checks(answers, now=5.0, deadline=100.0):
    """SettleChecks whose settle answers from ``answers`` (an answer, an exception, or a callable of listed)."""
    clock = Clock(now)
    journal = WaitJournal(clock, 20.0)
    journal.begin()
    calls = []

    def settle(act, timeout, listed=False):
        calls.append((act['action_uid'], timeout, listed))
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def budget():
        return 8.0 if clock() < deadline else None

    return SettleChecks(settle, journal, clock, budget), journal, calls


def vanished_track():
    track = track_seen(progress=40.0)
    track.vanished = True
    return track


@pytest.mark.parametrize('answer, outcome, status, reason, warned', [
    (Settlement('completed', None), 'completed', 'completed', None, False),
    (Settlement('failed', 'bdb:7 is in status creation-failed'), 'failed', 'failed',
     'Action SMUpdateBDB %s on bdb:7 vanished before it finished and bdb:7 is in status creation-failed' % UID, False),
    (Settlement(OUTCOME_FINISHED_UNKNOWN, 'it is active again'), OUTCOME_FINISHED_UNKNOWN, 'unknown',
     'Action SMUpdateBDB %s on bdb:7 vanished before it finished and it is active again' % UID, True),
    (Settlement(None, None), None, 'running', None, False),                     # not settled yet
    (None, OUTCOME_UNKNOWN, 'unknown',
     'Action SMUpdateBDB %s on bdb:7 vanished before it finished; its outcome is unknown (last seen running 40%%)'
     % UID, False),
])
def test_a_vanished_action_ends_as_settle_says(answer, outcome, status, reason, warned):
    settle_checks, journal, calls = checks([answer])
    track = vanished_track()
    settle_checks.vanished([track])
    assert calls == [(UID, 8.0, False)]
    assert track.outcome == outcome
    assert track.terminal is (outcome is not None)
    assert track.action['status'] == status
    assert track.reason == reason
    assert journal.warnings == ([reason] if warned else [])
    assert len(journal.history) == (1 if outcome is not None else 0)


def test_without_settle_a_vanished_action_has_an_unknown_outcome():
    journal = WaitJournal(Clock(), 20.0)
    journal.begin()
    track = vanished_track()
    SettleChecks(None, journal, Clock(), lambda: 8.0).vanished([track])
    assert (track.terminal, track.outcome, track.action['status']) == (True, OUTCOME_UNKNOWN, 'unknown')


def test_past_the_deadline_settle_gets_no_time_for_a_vanished_action():
    settle_checks, dummy, calls = checks([Settlement(None, None)], now=100.0, deadline=100.0)
    settle_checks.vanished([vanished_track()])
    assert calls == [(UID, None, False)]


def test_a_transient_error_of_settle_is_recorded_and_asked_again():
    settle_checks, journal, calls = checks([RSTimeoutError('slow', kind='timeout'), Settlement('completed', None)])
    track = vanished_track()
    settle_checks.vanished([track])
    assert not track.terminal
    assert [entry['error'] for entry in journal.transient_errors] == ['slow']
    settle_checks.vanished([track])
    assert track.outcome == 'completed'
    assert len(calls) == 2


def test_a_permanent_error_of_settle_propagates():
    settle_checks, dummy, dummy2 = checks([RSAuthError('Unauthorized (401)', status=401)])
    with pytest.raises(RSAuthError):
        settle_checks.vanished([vanished_track()])


def test_a_lingering_state_machine_is_checked_once_per_interval():
    now = AT_FULL_CHECK_AFTER
    settle_checks, dummy, calls = checks([Settlement(None, None), Settlement('completed', None)])
    track = track_seen(progress=100.0)
    settle_checks.lingering([track], now)
    assert calls == [(UID, 8.0, True)] and not track.terminal
    settle_checks.lingering([track], now + CHECK_INTERVAL - 1)
    assert len(calls) == 1
    settle_checks.lingering([track], now + CHECK_INTERVAL)
    assert track.outcome == 'completed' and track.action['status'] == 'completed'


def test_a_lingering_failure_names_how_long_it_lingered():
    settle_checks, dummy, dummy2 = checks([Settlement('failed', 'bdb:7 is in status creation-failed')])
    track = track_seen(progress=50.0)
    settle_checks.lingering([track], STILL_CHECK_AFTER + 2.0)
    assert track.reason == ('Action SMUpdateBDB %s on bdb:7 is still listed as running (without any change for 62 s) '
                            'and bdb:7 is in status creation-failed' % UID)


def test_no_lingering_check_past_the_deadline_or_without_settle():
    settle_checks, dummy, calls = checks([], now=100.0, deadline=100.0)
    track = track_seen(progress=100.0)
    settle_checks.lingering([track], 100.0)
    assert calls == [] and track.next_check is None
    journal = WaitJournal(Clock(), 20.0)
    SettleChecks(None, journal, Clock(), lambda: 8.0).lingering([track], 100.0)
    assert not track.terminal
