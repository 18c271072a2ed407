# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The waiter against hostile conditions (issue 12, issue 15 item 5), on a fake clock: a wrong url fails within
connect_grace, a permanent error in the middle of a wait says what was seen before it, a timeout reads as a timeout,
uids match whatever their case, and the options refuse what would flood the cluster."""

from __future__ import annotations

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    RSAuthError,
    RSConfigError,
    RSConnectionError,
    RSHTTPError,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait_params import validate_wait_params
from ansible_collections.redis_enterprise.software.tests.unit.plugins.module_utils.test_rs_wait import UID, act, make

OTHER = '7b1d2e3f-8a9c-4d0e-b1f2-a3b4c5d6e7f8'
REFUSED = 'Cannot connect to the cluster at db.example.com:9443: connection refused (is the port right?)'


def refused(kind='refused'):
    return RSConnectionError(REFUSED, kind=kind)


# --------------------------------------------------------------------------------------------- connect_grace

@pytest.mark.parametrize('kind', ['refused', 'dns'])
def test_wrong_url_fails_after_connect_grace_not_at_the_timeout(kind):
    def script(t):
        raise refused(kind)
    waiter, api, dummy, clock = make(script, timeout=600, connect_grace=20)
    result = waiter.run()
    assert result['failed'] is True and result['timed_out'] is False
    # The attempt that gives up comes right at the end of the grace, not one backoff later.
    assert result['elapsed'] == pytest.approx(20, abs=0.05)
    assert result['msg'].startswith(REFUSED)
    assert 'connect_grace (20 s)' in result['msg'] and 'No poll succeeded' in result['msg']
    assert len(result['transient_errors']) == result['polls']


def test_connect_grace_zero_fails_at_the_first_refusal():
    def script(t):
        raise refused()
    waiter, api, dummy, clock = make(script, timeout=600, connect_grace=0)
    result = waiter.run()
    assert result['failed'] is True and result['polls'] == 1 and clock.sleeps == []


def test_connect_grace_does_not_apply_to_errors_that_are_not_about_the_url():
    def script(t):
        raise RSConnectionError('Connection reset by the cluster', kind='reset')
    waiter, api, dummy, clock = make(script, timeout=60, connect_grace=5)
    result = waiter.run()
    assert result['timed_out'] is True and result['elapsed'] == pytest.approx(60, abs=0.6)


def test_refusals_after_a_successful_poll_are_retried_until_they_stop():
    """A node restarting (failover) refuses connections for a while: not a wrong url once a poll succeeded."""
    def script(t):
        if t < 1:
            return [act(status='running', progress=10.0)]
        if t < 40:
            raise refused()
        return [act(status='completed', progress=100.0)]
    waiter, api, dummy, clock = make(script, timeout=120, connect_grace=5)
    result = waiter.run()
    assert result['failed'] is False and result['elapsed'] > 40


# --------------------------------------------------------------------------------------------- messages

def test_permanent_error_in_the_middle_of_a_wait_says_what_was_seen_before_it():
    def script(t):
        if t < 5:
            return [act(status='running', progress=40.0)]
        raise RSAuthError('Authentication failed (401): check username and password', status=401)
    waiter, api, dummy, clock = make(script, timeout=600)
    result = waiter.run()
    msg = result['msg']
    assert result['failed'] is True and result['timed_out'] is False and result['status'] == 401
    assert msg.startswith('Stopped waiting after ')
    assert 'an error that a retry cannot fix: Authentication failed (401)' in msg
    assert 'polls succeeded' in msg and 'last seen: SMCreateBDB %s running 40%%' % UID in msg
    assert 'fail_fast' not in msg


def test_a_400_on_the_list_after_good_polls_is_stated_as_permanent():
    def script(t):
        if t < 3:
            return [act(status='running', progress=10.0), act(OTHER, status='queued')]
        raise RSHTTPError('RS rejected the request (400 bad_request)', status=400)
    waiter, api, dummy, clock = make(script, uids=(UID, OTHER), timeout=600)
    result = waiter.run()
    assert 'an error that a retry cannot fix: RS rejected the request (400 bad_request)' in result['msg']
    assert 'SMCreateBDB %s running 10%%; SMCreateBDB %s queued' % (UID, OTHER) in result['msg']


def test_a_permanent_error_at_the_first_poll_is_the_error_alone():
    def script(t):
        raise RSAuthError('Authentication failed (401): check username and password', status=401)
    waiter, api, dummy, clock = make(script)
    assert waiter.run()['msg'] == 'Authentication failed (401): check username and password'


def test_timeout_after_a_failure_without_fail_fast_reads_as_a_timeout():
    def script(t):
        return [act(status='failed', progress=60.0, error='internal error: failed to create shards'),
                act(OTHER, status='running', progress=5.0)]
    waiter, api, dummy, clock = make(script, uids=(UID, OTHER), timeout=10, fail_fast=False)
    result = waiter.run()
    msg = result['msg']
    assert result['failed'] is True and result['timed_out'] is True
    assert msg.startswith('Timed out after 10.0 s waiting for 1 action: SMCreateBDB %s' % OTHER)
    assert 'Before the timeout: Action SMCreateBDB %s on bdb:3 failed: internal error' % UID in msg
    assert 'fail_fast' not in msg
    assert 'completed' not in msg  # the other finished action failed: it is not counted as completed


def test_timeout_counts_as_completed_only_the_actions_that_completed():
    third = 'c0ffee00-0000-4000-8000-000000000003'

    def script(t):
        return [act(status='failed', progress=60.0, error='boom'), act(OTHER, status='running', progress=5.0),
                act(third, status='completed', progress=100.0)]
    waiter, api, dummy, clock = make(script, uids=(UID, OTHER, third), timeout=10, fail_fast=False)
    msg = waiter.run()['msg']
    assert msg.startswith('Timed out after 10.0 s waiting for 1 action: SMCreateBDB %s' % OTHER)
    assert '(1 other completed)' in msg and 'Before the timeout: Action SMCreateBDB %s' % UID in msg


def test_failure_with_fail_fast_still_says_fail_fast():
    def script(t):
        return [act(status='failed', progress=60.0, error='boom'), act(OTHER, status='running', progress=5.0)]
    waiter, api, dummy, clock = make(script, uids=(UID, OTHER), timeout=10, fail_fast=True)
    result = waiter.run()
    assert result['timed_out'] is False and 'Stopped waiting at the first failure (fail_fast)' in result['msg']


# --------------------------------------------------------------------------------------------- progress snapshots

def test_snapshots_say_what_is_retried_and_when_the_last_poll_succeeded():
    snapshots = []

    def script(t):
        if 2 < t < 6:
            raise RSHTTPError('RS failed to handle the request (503)', status=503)
        if t > 12:
            return [act(status='completed', progress=100.0)]
        return [act(status='running', progress=30.0)]
    waiter, api, dummy, clock = make(script, timeout=60, on_progress=snapshots.append, rng=lambda: 0.5)
    assert waiter.run()['failed'] is False
    failing = [snap for snap in snapshots if snap['retrying']]
    assert failing and all(snap['retrying'] == 'RS failed to handle the request (503)' for snap in failing)
    assert [snap['attempts'] for snap in failing] == list(range(1, len(failing) + 1))
    assert all(snap['last_poll'] is not None and snap['last_poll'] < 2.5 for snap in failing)
    last = snapshots[-1]
    assert last['retrying'] is None and last['last_poll'] == pytest.approx(last['elapsed'], abs=0.05)


# --------------------------------------------------------------------------------------------- uid case

def test_a_uid_rs_answers_in_another_case_is_matched_in_a_list():
    def script(t):
        return [act(UID.upper(), status='completed', progress=100.0), act(OTHER.upper(), status='completed', progress=100.0)]
    waiter, api, dummy, clock = make(script, uids=(UID, OTHER))
    result = waiter.run()
    assert result['failed'] is False and [a['status'] for a in result['actions']] == ['completed', 'completed']


def test_a_uid_rs_answers_in_another_case_is_matched_for_one_uid():
    def script(t):
        return [act(UID.upper(), status='completed', progress=100.0)]
    waiter, api, dummy, clock = make(script, uids=(UID,))
    api.get = lambda uid, timeout=None: script(clock.now)[0]       # RS answers GET /v2/actions/<uid> in upper case
    result = waiter.run()
    assert result['failed'] is False and result['polls'] == 1


def test_object_mode_does_not_track_one_action_twice_when_its_case_changes():
    answers = iter([[act(UID, status='running', progress=50.0)], [act(UID.upper(), status='completed', progress=100.0)]])

    def script(t):
        return next(answers, [act(UID.upper(), status='completed', progress=100.0)])
    waiter, api, dummy, clock = make(script, object_name='bdb:3', timeout=30)
    result = waiter.run()
    assert result['failed'] is False and len(result['actions']) == 1


# --------------------------------------------------------------------------------------------- options

BASE = dict(uid=['abc'], timeout=600, poll_interval=1.0, max_poll_interval=10.0, missing_grace=30.0, connect_grace=20.0)


@pytest.mark.parametrize('changes, text', [
    (dict(poll_interval=1e-6), 'poll_interval must be 0.1 or more; got 1e-06'),
    (dict(poll_interval=0.05), 'poll_interval must be 0.1 or more'),
    (dict(poll_interval=0.05, max_poll_interval=0.05), 'poll_interval must be 0.1 or more'),
    (dict(max_poll_interval=0.09, poll_interval=0.1), 'max_poll_interval must be 0.1 or more'),
    (dict(connect_grace=-1), 'connect_grace must be 0 or more'),
    (dict(connect_grace=float('nan')), 'connect_grace must be a finite number of seconds'),
    (dict(timeout=float('inf')), 'timeout must be a finite number of seconds'),
    (dict(poll_interval=float('nan')), 'poll_interval must be a finite number of seconds'),
])
def test_options_that_would_harm_the_cluster_are_refused(changes, text):
    with pytest.raises(RSConfigError) as exc_info:
        validate_wait_params(dict(BASE, **changes))
    assert text in str(exc_info.value)


def test_the_smallest_intervals_are_accepted():
    values = validate_wait_params(dict(BASE, poll_interval=0.1, max_poll_interval=0.1, connect_grace=0))
    assert values['poll_interval'] == 0.1 and values['max_poll_interval'] == 0.1 and values['connect_grace'] == 0
