# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The wait loop on a fake clock: a fake actions API scripted as a function of (fake) time.

Every request advances the fake clock by a latency; ``sleep`` advances it by the time asked. Nothing here
uses the real client or the real ``ActionsAPI``.
"""

from __future__ import annotations

import math
import random

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    RSAuthError,
    RSConfigError,
    RSConnectionError,
    RSHTTPError,
    RSInvalidResponse,
    RSNotFound,
    RSTimeoutError,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_settle, rs_wait_text
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb_settle import bdb_settler
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait import MIN_REQUEST_TIMEOUT, ActionWaiter
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait_params import validate_wait_params

UID = '0b6f3a52-8d1e-4c57-9a55-2f1c7d0e9b41'
KEYS = ('action_uid', 'name', 'action_type', 'status', 'api_status', 'progress', 'object_name', 'node_uid',
        'creation_time', 'error', 'raw', 'error_code', 'state', 'heartbeat', 'description')


def act(uid=UID, status='running', progress=None, name='SMCreateBDB', object_name='bdb:3', **extra):
    action = dict((key, None) for key in KEYS)
    action.update(action_uid=uid, name=name, status=status, api_status=status, progress=progress,
                  object_name=object_name, action_type='state-machine', raw={'action_uid': uid})
    action.update(extra)
    return action


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


class FakeAPI:
    """``script(t)`` gives the list of actions the cluster holds at fake time ``t`` (or raises).

    A request takes ``latency`` seconds (or fails with a read timeout when its timeout is shorter);
    the answer reflects the middle of the request.
    """

    def __init__(self, clock, script, latency=0.02, api_version='v2'):
        self.clock = clock
        self.script = script
        self.latency = latency
        self.api_version = api_version
        self.calls = []

    def _answer(self, kind, arg, timeout):
        sent = self.clock.now
        self.calls.append(dict(kind=kind, arg=arg, timeout=timeout, sent=sent))
        if timeout is not None and self.latency > timeout:
            self.clock.now += timeout
            raise RSTimeoutError('The cluster did not answer within %g s' % timeout)
        self.clock.now += self.latency / 2
        try:
            return self.script(self.clock.now)
        finally:
            self.clock.now += self.latency / 2

    def get(self, uid, timeout=None):
        for action in self._answer('get', uid, timeout):
            if action['action_uid'] == uid:
                return action
        return None

    def list(self, timeout=None):
        return self._answer('list', None, timeout)

    def list_for_object(self, object_name, timeout=None):
        return [a for a in self._answer('list_for_object', object_name, timeout) if a.get('object_name') == object_name]


class FakeClient:
    def __init__(self, clock, bdbs):
        self.clock = clock
        self.bdbs = bdbs      # uid -> status, a callable(t) -> status, or an exception
        self.calls = []

    def get(self, path, timeout=None):
        self.calls.append((path, timeout))
        self.clock.now += 0.01
        answer = self.bdbs.get(path[2])
        if callable(answer) and not isinstance(answer, type):
            answer = answer(self.clock.now)
        if isinstance(answer, Exception):
            raise answer
        if answer is None:
            raise RSNotFound('Not found (404): GET /v1/bdbs/%s' % path[2], status=404)
        if isinstance(answer, dict):
            return dict(answer, uid=int(path[2]))
        return {'uid': int(path[2]), 'status': answer}


def linear(uid, duration, start=-0.3, name='SMCreateBDB', object_name='bdb:3', outcome='completed', error=None):
    """An action with linear progress that ends at ``start + duration``."""
    def at(t):
        age = t - start
        if age < 0:
            return None
        if age >= duration:
            return act(uid, outcome, 100.0 if outcome == 'completed' else 60.0, name=name, object_name=object_name,
                       error=error)
        return act(uid, 'running', 100.0 * age / duration, name=name, object_name=object_name)
    return at


def stepped(uid, duration, steps, start=-0.3, object_name='bdb:3'):
    def at(t):
        age = t - start
        if age < 0:
            return None
        if age >= duration:
            return act(uid, 'completed', 100.0, object_name=object_name)
        return act(uid, 'running', math.floor(steps * age / duration) * 100.0 / steps, object_name=object_name)
    return at


def cluster(*actions):
    def script(t):
        return [a for a in (f(t) for f in actions) if a is not None]
    return script


def make(script, uids=(UID,), latency=0.02, client_bdbs=None, rng=None, api_version='v2', **kwargs):
    clock = FakeClock()
    api = FakeAPI(clock, script, latency=latency, api_version=api_version)
    client = FakeClient(clock, client_bdbs or {})
    if 'object_name' in kwargs:
        uids = None
    waiter = ActionWaiter(api, settle=bdb_settler(client), uids=list(uids) if uids is not None else None, clock=clock,
                          sleep=clock.sleep, rng=rng or random.Random(7).random, **kwargs)
    return waiter, api, client, clock


# --------------------------------------------------------------------------------------------- success


def test_single_action_success_and_result_shape():
    waiter, api, dummy, clock = make(cluster(linear(UID, 5.0)))
    result = waiter.run()
    assert result['failed'] is False
    assert result['changed'] is False
    assert result['timed_out'] is False
    assert result['finished'] is True
    assert [a['status'] for a in result['actions']] == ['completed']
    assert result['actions'][0]['action_uid'] == UID
    assert result['polls'] == len(api.calls)
    assert {c['kind'] for c in api.calls} == {'get'}
    assert result['api_version'] == 'v2'
    assert result['transient_errors'] == []
    assert result['warnings'] == []
    assert result['elapsed'] == pytest.approx(clock.now, abs=0.001)
    history = result['history']
    assert history[0]['status'] == 'running' and history[0]['action_uid'] == UID
    assert history[-1]['status'] == 'completed' and history[-1]['progress'] == 100.0
    assert set(history[0]) == {'elapsed', 'action_uid', 'status', 'progress'}
    assert 'completed' in result['msg']


def test_already_completed_action_costs_one_poll():
    waiter, api, dummy, clock = make(cluster(lambda t: act(status='completed', progress=100.0)))
    result = waiter.run()
    assert result['failed'] is False
    assert result['polls'] == 1
    assert clock.sleeps == []


@pytest.mark.parametrize('duration, max_requests', [(10.0, 3), (30.0, 5), (120.0, 14)])
def test_linear_action_few_requests_low_latency(duration, max_requests):
    """A linear action: two polls give its finish window, the next poll lands just after it; < 0.6 s late."""
    start = -0.3
    waiter, api, dummy, clock = make(cluster(linear(UID, duration, start=start)))
    result = waiter.run()
    assert result['failed'] is False
    finish = start + duration
    assert 0 <= result['elapsed'] - finish <= 0.6, result['elapsed']
    assert len(api.calls) <= max_requests, [c['sent'] for c in api.calls]
    # Fixed 1 s polling would make about `duration` requests: at most 40 % of that.
    assert len(api.calls) <= 0.4 * duration


def test_near_finish_is_slept_to_in_one_go_but_a_far_one_keeps_max_poll_interval():
    """A finish within 1.5 x max_poll_interval costs one sleep; farther away, polls stay max_poll_interval apart, so a
    failure is never seen later than that."""
    waiter, api, dummy, clock = make(cluster(linear(UID, 13.0, start=0.0)), max_poll_interval=10)
    assert waiter.run()['failed'] is False
    sent = [c['sent'] for c in api.calls]
    assert len(sent) == 3 and 11.0 < sent[2] - sent[1] <= 13.0, sent

    waiter, api, dummy, clock = make(cluster(linear(UID, 100.0, start=0.0)), max_poll_interval=10)
    assert waiter.run()['failed'] is False
    sent = [c['sent'] for c in api.calls]
    assert max(b - a for a, b in zip(sent, sent[1:])) <= 15.0 + 0.05, sent
    assert all(b - a <= 10.0 + 0.05 for a, b in zip(sent, sent[1:]) if sent[-1] - a > 15.5), sent


def test_failure_of_a_long_action_is_seen_within_max_poll_interval():
    """A 600 s action whose finish is well predicted fails at 40 s: seen at most max_poll_interval later."""
    def script(t):
        if t >= 40:
            return [act(status='failed', progress=round(100 * 40 / 600, 1), error='boom')]
        return [act(progress=round(100 * t / 600, 1))]
    waiter, api, dummy, clock = make(script, max_poll_interval=10, timeout=600)
    result = waiter.run()
    assert result['failed'] is True and 'boom' in result['msg']
    assert result['elapsed'] <= 40 + 10 + 0.1, result['elapsed']


@pytest.mark.parametrize('steps', [4, 5, 10])
@pytest.mark.parametrize('duration', [10.0, 30.0])
def test_stepped_action_returns_within_a_poll_interval(duration, steps):
    """Progress in steps: the finish window is as wide as the steps allow, and polls sweep it poll_interval apart.

    Over several start offsets, every return comes at most poll_interval (plus one request) after the finish, and
    the requests stay below those of fixed 1 s polling (about ``duration``): four steps in 10 s is the costly case
    (each step brackets the finish only to within a few seconds).
    """
    latencies = []
    for start in (-0.1, -0.3, -0.6, -0.9):
        waiter, api, dummy, clock = make(cluster(stepped(UID, duration, steps, start=start)))
        result = waiter.run()
        assert result['failed'] is False
        latency = result['elapsed'] - (start + duration)
        assert 0 <= latency <= 1.0 + 0.1, (latency, [round(c['sent'], 2) for c in api.calls])
        assert len(api.calls) <= (0.8 if duration < 20 else 0.45) * duration, [round(c['sent'], 2) for c in api.calls]
        latencies.append(latency)
    assert sorted(latencies)[1] <= 1.0, latencies


# --------------------------------------------------------------------------------------------- finish window


def test_many_uids_one_list_request_per_cycle():
    uids = ['a%d' % i for i in range(3)]
    script = cluster(linear('a0', 3.0), linear('a1', 6.0), linear('a2', 4.0, object_name=None))
    waiter, api, dummy, clock = make(script, uids=uids)
    result = waiter.run()
    assert result['failed'] is False
    assert [c['kind'] for c in api.calls] == ['list'] * len(api.calls)
    assert result['polls'] == len(api.calls)
    assert [a['action_uid'] for a in result['actions']] == uids
    assert all(a['status'] == 'completed' for a in result['actions'])


def test_duplicate_uids_are_awaited_once():
    waiter, api, dummy, clock = make(cluster(linear(UID, 2.0)), uids=[UID, UID])
    result = waiter.run()
    assert [a['action_uid'] for a in result['actions']] == [UID]
    assert {c['kind'] for c in api.calls} == {'get'}
    assert validate_wait_params(dict(uid=[UID, UID], timeout=10, poll_interval=1, max_poll_interval=10,
                                     missing_grace=1))['uids'] == [UID]


def test_fifty_actions_cost_at_most_twice_one_action():
    rnd = random.Random(50)
    durations = [round(8 * (0.6 + 0.4 * i / 49), 2) for i in range(50)]
    rnd.shuffle(durations)
    actions = [(linear if i % 2 == 0 else (lambda uid, d: stepped(uid, d, 5)))('u%d' % i, d) for i, d in enumerate(durations)]
    uids = ['u%d' % i for i in range(50)]
    waiter, api, dummy, clock = make(cluster(*actions), uids=uids)
    result = waiter.run()
    assert result['failed'] is False
    assert {c['kind'] for c in api.calls} == {'list'}
    assert result['polls'] == len(api.calls)

    single, single_api, dummy, dummy_clock = make(cluster(linear('u0', 8.0)), uids=['u0'])
    single.run()
    assert len(api.calls) <= 2 * len(single_api.calls), (len(api.calls), len(single_api.calls))
    assert result['elapsed'] <= max(durations) - 0.3 + 1.0


# --------------------------------------------------------------------------------------------- intervals


def test_backoff_grows_to_max_and_resets_on_status_change():
    """No progress number: the interval grows x1.5 (with jitter) to max_poll_interval, then a status change resets it."""
    def script(t):
        if t < 40:
            return [act(status='queued')]
        if t < 70:
            return [act(status='running')]
        return [act(status='completed', progress=100.0)]
    waiter, api, dummy, clock = make(script, rng=lambda: 0.5)
    result = waiter.run()
    assert result['failed'] is False
    sleeps = clock.sleeps
    assert sleeps[0] == pytest.approx(1.0)
    assert sleeps[1] == pytest.approx(1.5)
    assert sleeps[2] == pytest.approx(2.25)
    assert max(sleeps) == pytest.approx(10.0)
    assert all(s <= 10.0 + 1e-9 for s in sleeps)
    # the poll that first sees "running" is followed by a poll_interval sleep
    running_poll = next(i for i, c in enumerate(api.calls) if c['sent'] >= 40)
    assert sleeps[running_poll] == pytest.approx(1.0)


def test_backoff_jitter_stays_within_ten_percent():
    waiter, api, dummy, clock = make(lambda t: [act(status='queued')], timeout=60, rng=random.Random(3).random)
    waiter.run()
    growing = [b / a for a, b in zip(clock.sleeps, clock.sleeps[1:]) if b < 10 and a < 10][:4]
    assert growing and all(1.5 * 0.9 - 1e-9 <= r <= 1.5 * 1.1 + 1e-9 for r in growing), growing
    assert len(set(round(r, 6) for r in growing)) > 1  # jittered, not a fixed factor


def test_progress_change_aims_at_predicted_finish():
    waiter, api, dummy, clock = make(cluster(linear(UID, 20.0, start=0.0)), max_poll_interval=60)
    waiter.run()
    sent = [c['sent'] for c in api.calls]
    # first poll, one poll_interval later, then straight at the predicted finish (20 s) plus a small margin
    assert len(sent) == 3, sent
    assert 20.0 < sent[2] <= 20.6


def test_predicted_finish_passed_polls_at_poll_interval():
    """Progress says 100 % but RS has not said completed yet: poll every poll_interval until it does."""
    def script(t):
        if t < 2:
            return [act(progress=50.0 * t)]
        if t < 6:
            return [act(progress=100.0)]
        return [act(status='completed', progress=100.0)]
    waiter, api, dummy, clock = make(script)
    result = waiter.run()
    assert result['failed'] is False
    late = [c['sent'] for c in api.calls if c['sent'] > 2.1]
    gaps = [b - a for a, b in zip(late, late[1:])]
    assert gaps and all(g <= 1.05 for g in gaps), late


# --------------------------------------------------------------------------------------------- failures


def test_failure_names_action_uid_object_and_error():
    script = cluster(linear(UID, 3.0, outcome='failed', error='insufficient resources to place shards'))
    waiter, api, dummy, clock = make(script)
    result = waiter.run()
    assert result['failed'] is True
    assert result['timed_out'] is False
    assert result['msg'] == 'Action SMCreateBDB %s on bdb:3 failed: insufficient resources to place shards' % UID
    assert result['failed_actions'] == [UID]
    assert result['actions'][0]['status'] == 'failed'


def test_cancelled_action_fails_the_task():
    waiter, api, dummy, clock = make(lambda t: [act(status='cancelled' if t > 2 else 'running', name='retry_bdb',
                                                    object_name=None)])
    result = waiter.run()
    assert result['failed'] is True
    assert result['msg'].startswith('Action retry_bdb %s cancelled' % UID)


def test_fail_fast_stops_at_first_failure():
    script = cluster(linear('bad', 3.0, outcome='failed', error='boom'), linear('slow', 60.0, object_name='bdb:4'))
    waiter, api, dummy, clock = make(script, uids=['bad', 'slow'])
    result = waiter.run()
    assert result['failed'] is True
    assert clock.now < 6
    assert 'Action SMCreateBDB bad on bdb:3 failed: boom' in result['msg']
    assert '1 other action is still running' in result['msg']
    assert result['failed_actions'] == ['bad']
    assert [a['status'] for a in result['actions']] == ['failed', 'running']


def test_without_fail_fast_every_outcome_is_reported():
    script = cluster(linear('bad1', 3.0, outcome='failed', error='boom'),
                     linear('good', 8.0, object_name='bdb:4'),
                     linear('bad2', 12.0, outcome='cancelled', object_name='bdb:5'))
    waiter, api, dummy, clock = make(script, uids=['bad1', 'good', 'bad2'], fail_fast=False)
    result = waiter.run()
    assert result['failed'] is True
    assert clock.now >= 11.7
    assert result['msg'].startswith('2 actions did not complete: ')
    assert 'Action SMCreateBDB bad1 on bdb:3 failed: boom' in result['msg']
    assert 'Action SMCreateBDB bad2 on bdb:5 cancelled' in result['msg']
    assert result['failed_actions'] == ['bad1', 'bad2']
    assert [a['status'] for a in result['actions']] == ['failed', 'completed', 'cancelled']
    assert result['finished'] is True


# --------------------------------------------------------------------------------------------- deadline


def test_timeout_message_and_flags():
    script = cluster(lambda t: act('a1', 'running', 40.0, state='create_shards'),
                     lambda t: act('a2', 'queued', None, name='SMUpdateBDB', object_name='bdb:4'))
    waiter, api, dummy, clock = make(script, uids=['a1', 'a2'], timeout=30)
    result = waiter.run()
    assert result['failed'] is True
    assert result['timed_out'] is True
    assert result['finished'] is False
    assert result['msg'].startswith('Timed out after 30.0 s waiting for 2 actions: '
                                    'SMCreateBDB a1 (bdb:3) running 40%, state create_shards; SMUpdateBDB a2 (bdb:4) queued')
    assert 'keep running on the cluster' in result['msg']
    assert 30.0 <= result['elapsed'] <= 30.5
    # the last poll happened at the deadline, not earlier, not later
    assert api.calls[-1]['sent'] == pytest.approx(30.0)
    assert [a['status'] for a in result['actions']] == ['running', 'queued']


def test_last_look_at_the_deadline_catches_completion():
    """The next sleep would cross the deadline: sleep until the deadline and poll once more."""
    def script(t):
        return [act(status='completed' if t >= 29.9 else 'running')]
    waiter, api, dummy, clock = make(script, timeout=30, poll_interval=1, max_poll_interval=10, rng=lambda: 0.5)
    result = waiter.run()
    assert result['failed'] is False, result['msg']
    assert result['timed_out'] is False
    assert api.calls[-1]['sent'] == pytest.approx(30.0)
    assert sum(clock.sleeps) <= 30.0


@pytest.mark.parametrize('latency', [0.3, 4.0, 25.0])
def test_slow_requests_never_overshoot_by_more_than_one_request_timeout(latency):
    waiter, api, dummy, clock = make(lambda t: [act()], latency=latency, timeout=12, request_timeout=30)
    result = waiter.run()
    assert result['timed_out'] is True
    assert result['elapsed'] <= 12 + 30
    # and, because every request's timeout is clamped to the budget left, much less than that
    assert result['elapsed'] <= 12 + max(latency, MIN_REQUEST_TIMEOUT) + 0.01, result['elapsed']


def test_request_timeout_is_clamped_to_the_budget_left():
    waiter, api, dummy, clock = make(lambda t: [act()], latency=0.5, timeout=20, request_timeout=8)
    waiter.run()
    for call in api.calls:
        expected = min(8.0, max(20.0 - call['sent'], MIN_REQUEST_TIMEOUT))
        assert call['timeout'] == pytest.approx(expected), call
    assert api.calls[0]['timeout'] == pytest.approx(8.0)
    assert api.calls[-1]['timeout'] == pytest.approx(MIN_REQUEST_TIMEOUT)


# --------------------------------------------------------------------------------------------- missing and vanished


def test_uid_not_visible_yet_is_retried_within_missing_grace():
    waiter, api, dummy, clock = make(cluster(linear(UID, 3.0, start=4.0)))
    result = waiter.run()
    assert result['failed'] is False
    assert result['history'][0]['elapsed'] >= 4.0


def test_uid_never_found_fails_after_missing_grace():
    waiter, api, dummy, clock = make(lambda t: [], uids=['1234'], missing_grace=30)
    result = waiter.run()
    assert result['failed'] is True
    assert result['timed_out'] is False
    assert result['msg'] == 'Action 1234 was not found after 30 s (missing_grace): check the uid'
    assert 30.0 <= result['elapsed'] <= 31.0
    assert result['actions'][0]['action_uid'] == '1234'
    assert result['actions'][0]['status'] == 'unknown'
    assert result['actions'][0]['raw'] is None


def test_missing_grace_zero_fails_at_first_poll():
    waiter, api, dummy, clock = make(lambda t: [], uids=['1234'], missing_grace=0)
    result = waiter.run()
    assert result['failed'] is True
    assert result['polls'] == 1


def vanishing(uid, gone_at, object_name='bdb:3'):
    return lambda t: act(uid, 'running', 10.0, object_name=object_name) if t < gone_at else None


def test_vanished_action_settled_by_active_database():
    waiter, api, client, clock = make(cluster(vanishing(UID, 2.0)), client_bdbs={'3': 'active'})
    result = waiter.run()
    assert result['failed'] is False, result['msg']
    assert result['actions'][0]['status'] == 'completed'
    assert client.calls[0][0] == ('v1', 'bdbs', '3')
    assert result['history'][-1]['status'] == 'completed'


def test_vanished_action_with_creation_failed_database_fails():
    waiter, api, client, clock = make(cluster(vanishing(UID, 2.0)), client_bdbs={'3': 'creation-failed'})
    result = waiter.run()
    assert result['failed'] is True
    assert 'creation-failed' in result['msg'] and UID in result['msg']
    assert 'the creation failed' in result['msg']
    assert result['actions'][0]['status'] == 'failed'


def test_vanished_action_waits_while_database_is_pending():
    waiter, api, client, clock = make(cluster(vanishing(UID, 2.0)),
                                      client_bdbs={'3': lambda t: 'pending' if t < 9 else 'active'})
    result = waiter.run()
    assert result['failed'] is False
    assert len(client.calls) >= 2
    assert clock.now >= 9


@pytest.mark.parametrize('bdbs, text', [({}, 'does not exist (404); its outcome is unknown'),
                                        ({'3': 'delete-pending'}, 'delete-pending; its outcome is unknown')])
def test_vanished_action_with_unknown_outcome_through_database(bdbs, text):
    waiter, api, client, clock = make(cluster(vanishing(UID, 2.0)), client_bdbs=bdbs)
    result = waiter.run()
    assert result['failed'] is True
    assert text in result['msg']


def test_vanished_action_not_on_a_database_has_unknown_outcome():
    waiter, api, client, clock = make(cluster(vanishing(UID, 2.0, object_name='node:1')))
    result = waiter.run()
    assert result['failed'] is True
    assert result['msg'] == ('Action SMCreateBDB %s on node:1 vanished before it finished; its outcome is unknown '
                             '(last seen running 10%%)' % UID)
    assert result['actions'][0]['status'] == 'unknown'
    assert result['failed_actions'] == [UID]
    assert client.calls == []


def test_vanished_action_database_lookup_transient_error_is_retried():
    answers = iter([RSHTTPError('RS failed (503)', status=503), 'active'])
    waiter, api, client, clock = make(cluster(vanishing(UID, 2.0)), client_bdbs={'3': lambda t: next(answers)})
    result = waiter.run()
    assert result['failed'] is False
    assert len(result['transient_errors']) == 1


def test_completed_action_that_later_disappears_stays_completed():
    def first(t):
        if t < 1:
            return act('a', 'running', 5.0)
        return act('a', 'completed', 100.0) if t < 3 else None
    waiter, api, client, clock = make(cluster(first, linear('b', 8.0)), uids=['a', 'b'])
    result = waiter.run()
    assert result['failed'] is False
    assert [a['status'] for a in result['actions']] == ['completed', 'completed']
    assert client.calls == []


# --------------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize('error', [
    RSHTTPError('RS failed to handle the request (503) for GET /v2/actions/x; this may be temporary', status=503),
    RSHTTPError('RS is throttling requests (429)', status=429),
    RSConnectionError('Cannot connect to the cluster at cluster.example.com:9443: connection refused'),
    RSInvalidResponse('The cluster answered with invalid or truncated JSON (200, 12 bytes); retry later'),
])
def test_transient_errors_are_retried_with_jittered_backoff_and_listed(error):
    def script(t):
        if t < 5.0:
            raise error
        return [act(status='completed', progress=100.0)]
    waiter, api, dummy, clock = make(script, rng=lambda: 0.5)
    result = waiter.run()
    assert result['failed'] is False
    errors = result['transient_errors']
    assert errors and all(e['error'] == str(error) for e in errors)
    assert set(errors[0]) == {'elapsed', 'error'}
    # exponential: 1, 2, 4 ... times 0.75 with this rng
    assert clock.sleeps[:3] == pytest.approx([0.75, 1.5, 3.0])
    assert result['polls'] == len(api.calls) == len(errors) + 1


def test_timeout_message_keeps_the_cause_when_the_last_request_was_cut_short():
    """A cluster that answers 503 throughout, whose last request the deadline cuts short (a loaded machine): the
    message still says why no poll succeeded (the 503s), not only that the last request timed out."""
    server_error = RSHTTPError('RS failed to handle the request (503 service_unavailable)', status=503)
    cut_short = RSConnectionError('The cluster at 127.0.0.1:9443 did not answer within 0.25 s')

    def script(t):
        raise cut_short if t >= 2.5 else server_error
    waiter, api, dummy, clock = make(script, timeout=3, rng=lambda: 0.5)
    result = waiter.run()
    assert result['timed_out'] is True
    assert result['transient_errors'][-1]['error'] == str(cut_short)
    assert ('Last transient error: %s (before it, %d times: %s)' % (
        str(cut_short).rstrip('.'), len(result['transient_errors']) - 1, str(server_error).rstrip('.'))) in result['msg']


def test_transient_errors_text():
    assert rs_wait_text.transient_errors_text([]) is None
    assert rs_wait_text.transient_errors_text(['a', 'a']) == 'a'
    assert rs_wait_text.transient_errors_text(['b.', 'c', 'b.', 'a.']) == 'a (before it, 2 times: b)'
    assert rs_wait_text.transient_errors_text(['c', 'a']) == 'a (before it, 1 time: c)'


def test_transient_error_backoff_is_jittered():
    def script(t):
        raise RSConnectionError('Cannot connect: connection reset')
    waiter, api, dummy, clock = make(script, timeout=20, rng=random.Random(1).random)
    result = waiter.run()
    assert result['timed_out'] is True
    assert result['msg'].startswith('Timed out after 20.0 s: no poll of the actions succeeded')
    assert 'Last transient error: Cannot connect: connection reset' in result['msg']
    ratios = [s / min(10.0, 2 ** i) for i, s in enumerate(clock.sleeps[:3])]
    assert all(0.5 <= r <= 1.0 for r in ratios)
    assert len(set(round(r, 6) for r in ratios)) > 1


def test_permanent_error_fails_at_once():
    def script(t):
        raise RSAuthError('Authentication failed (401): check username and password', status=401)
    waiter, api, dummy, clock = make(script)
    result = waiter.run()
    assert result['failed'] is True
    assert result['msg'] == 'Authentication failed (401): check username and password'
    assert result['status'] == 401
    assert result['polls'] == 1
    assert clock.sleeps == []
    assert result['timed_out'] is False


# --------------------------------------------------------------------------------------------- statuses


def test_unknown_status_warns_once_and_keeps_waiting():
    def script(t):
        if t < 5:
            return [act(status='unknown', api_status='rebalancing')]
        return [act(status='completed', progress=100.0)]
    waiter, api, dummy, clock = make(script)
    result = waiter.run()
    assert result['failed'] is False
    assert len(api.calls) >= 3
    assert len(result['warnings']) == 1
    assert "'rebalancing'" in result['warnings'][0] and UID in result['warnings'][0]


# --------------------------------------------------------------------------------------------- object mode


def test_object_mode_waits_for_running_actions_and_warns_about_earlier_failure():
    def old_failure(t):
        return act('old', 'failed', 30.0, name='SMUpdateBDB', error='shard timeout')
    script = cluster(old_failure, linear('upd', 4.0, name='SMUpdateBDB'), linear('other', 4.0, object_name='bdb:9'))
    waiter, api, dummy, clock = make(script, object_name='bdb:3')
    result = waiter.run()
    assert result['failed'] is False, result['msg']
    assert {c['kind'] for c in api.calls} == {'list_for_object'}
    assert [a['action_uid'] for a in result['actions']] == ['old', 'upd']
    assert len(result['warnings']) == 1
    assert 'old' in result['warnings'][0] and 'finished before the wait started' in result['warnings'][0]
    assert 'shard timeout' in result['warnings'][0]
    assert clock.now >= 3.7


def test_object_mode_name_filter():
    script = cluster(linear('upd', 3.0, name='SMUpdateBDB'), linear('long', 50.0, name='SMUpgradeBDB'))
    waiter, api, dummy, clock = make(script, object_name='bdb:3', name='SMUpdateBDB')
    result = waiter.run()
    assert result['failed'] is False
    assert [a['action_uid'] for a in result['actions']] == ['upd']
    assert clock.now < 10


def test_object_mode_nothing_running_succeeds_at_once():
    waiter, api, dummy, clock = make(cluster(lambda t: act('done', 'completed', 100.0)), object_name='bdb:3')
    result = waiter.run()
    assert result['failed'] is False
    assert result['polls'] == 1
    assert 'No action' in result['msg']


def test_object_mode_failure_of_an_awaited_action():
    script = cluster(linear('upd', 3.0, name='SMUpdateBDB', outcome='failed', error='invalid shard placement'))
    waiter, api, dummy, clock = make(script, object_name='bdb:3')
    result = waiter.run()
    assert result['failed'] is True
    assert result['msg'] == 'Action SMUpdateBDB upd on bdb:3 failed: invalid shard placement'


def test_object_mode_action_appearing_later_is_awaited():
    script = cluster(linear('a', 2.0), linear('b', 4.0, start=0.5))
    waiter, api, dummy, clock = make(script, object_name='bdb:3')
    result = waiter.run()
    assert result['failed'] is False
    assert [a['action_uid'] for a in result['actions']] == ['a', 'b']
    assert clock.now >= 4.5


def test_object_mode_timeout_message():
    waiter, api, dummy, clock = make(cluster(lambda t: act('upd', 'running', 10.0, name='SMUpdateBDB')),
                                     object_name='bdb:3', name='SMUpdateBDB', timeout=5)
    result = waiter.run()
    assert result['timed_out'] is True
    assert result['msg'].startswith('Timed out after 5.0 s waiting for the actions on bdb:3 named SMUpdateBDB')


# --------------------------------------------------------------------------------------------- stalls and callbacks


@pytest.mark.parametrize('on_stall', ['warn', 'fail'])
def test_stall_detection(on_stall):
    def script(t):
        if t < 60:
            return [act(progress=40.0 if t > 1 else 10.0, state='proxy_policy', heartbeat=1000)]
        return [act(status='completed', progress=100.0)]
    waiter, api, dummy, clock = make(script, stall_timeout=20, on_stall=on_stall)
    result = waiter.run()
    assert result['stalled'] == [UID]
    if on_stall == 'warn':
        assert result['failed'] is False
        assert len(result['warnings']) == 1
        assert 'proxy_policy' in result['warnings'][0] and 'has not moved for' in result['warnings'][0]
    else:
        assert result['failed'] is True
        assert 'proxy_policy' in result['msg']
        assert 21 <= clock.now <= 23


def test_heartbeat_change_is_not_a_stall():
    def script(t):
        if t < 60:
            return [act(progress=40.0, heartbeat=int(t))]
        return [act(status='completed', progress=100.0)]
    waiter, api, dummy, clock = make(script, stall_timeout=20, on_stall='fail')
    result = waiter.run()
    assert result['failed'] is False
    assert result['stalled'] == []


def test_on_progress_is_called_after_every_poll():
    snapshots = []
    waiter, api, dummy, clock = make(cluster(linear(UID, 5.0)), on_progress=snapshots.append)
    result = waiter.run()
    assert len(snapshots) == result['polls']
    assert snapshots[0]['actions'][0]['status'] == 'running'
    assert snapshots[0]['status_changed'] is True
    assert snapshots[-1]['actions'][0]['status'] == 'completed'


# --------------------------------------------------------------------------------------------- text helpers


# --------------------------------------------------------------------------------------------- issue 14, point 4:
# never claim an outcome RS did not report


def vanishing_named(name, gone_at=2.0, object_name='bdb:3'):
    return lambda t: act(UID, 'running', 10.0, name=name, object_name=object_name) if t < gone_at else None


def test_vanished_update_on_active_database_is_finished_with_unknown_outcome():
    """An update ends in active whether it worked or not (objects/bdb/status.md): never 'completed'."""
    waiter, api, client, clock = make(cluster(vanishing_named('SMUpdateBDB')), client_bdbs={'3': 'active'})
    result = waiter.run()
    assert result['failed'] is False, result['msg']
    assert result['finished'] is True
    assert result['actions'][0]['status'] == 'unknown'
    assert result['outcome_unknown'] == [UID]
    assert result['failed_actions'] == []
    assert 'RS did not report the outcome of 1 of them' in result['msg']
    assert 'completed' not in result['msg']
    assert len(result['warnings']) == 1
    assert 'vanished before it finished and database bdb:3 is active again' in result['warnings'][0]
    assert all(entry['status'] != 'completed' for entry in result['history'])


def test_vanished_create_on_active_database_is_a_success():
    waiter, api, client, clock = make(cluster(vanishing_named('SMCreateBDB')), client_bdbs={'3': 'active'})
    result = waiter.run()
    assert result['failed'] is False
    assert result['actions'][0]['status'] == 'completed'
    assert result['outcome_unknown'] == [] and result['warnings'] == []


@pytest.mark.parametrize('name', ['SMDeleteBDB', 'delete_bdb'])
def test_vanished_delete_with_database_gone_is_a_success(name):
    waiter, api, client, clock = make(cluster(vanishing_named(name)), client_bdbs={})
    result = waiter.run()
    assert result['failed'] is False, result['msg']
    assert result['actions'][0]['status'] == 'completed'


def test_vanished_delete_waits_while_delete_pending():
    waiter, api, client, clock = make(cluster(vanishing_named('SMDeleteBDB')),
                                      client_bdbs={'3': lambda t: 'delete-pending' if t < 6 else None})
    result = waiter.run()
    assert result['failed'] is False
    assert clock.now >= 6


def test_vanished_update_with_database_gone_is_unknown_and_fails():
    waiter, api, client, clock = make(cluster(vanishing_named('SMUpdateBDB')), client_bdbs={})
    result = waiter.run()
    assert result['failed'] is True
    assert 'does not exist (404); its outcome is unknown' in result['msg']


def test_vanished_update_waits_while_change_pending():
    waiter, api, client, clock = make(cluster(vanishing_named('SMUpdateBDB')),
                                      client_bdbs={'3': lambda t: 'active-change-pending' if t < 7 else 'active'})
    result = waiter.run()
    assert result['failed'] is False and result['outcome_unknown'] == [UID]
    assert clock.now >= 7


def test_mixed_outcomes_fail_fast_false():
    waiter, api, client, clock = make(cluster(vanishing_named('SMUpdateBDB'), linear('b', 4.0)), uids=[UID, 'b'],
                                      client_bdbs={'3': 'active'}, fail_fast=False)
    result = waiter.run()
    assert result['failed'] is False
    assert {a['action_uid']: a['status'] for a in result['actions']} == {UID: 'unknown', 'b': 'completed'}
    assert result['msg'].startswith('2 actions finished after ')


# --------------------------------------------------------------------------------------------- issue 14, point 5:
# state machines that never end (RS before 8.0.2-17, RS166122)


def stuck_at_full(name='SMUpdateBDB', reach=3.0):
    """A state machine that reaches 100 % and stays listed as running."""
    def at(t):
        return act(UID, 'running', min(100.0, 100.0 * (t + 0.3) / reach), name=name)
    return at


def test_state_machine_stuck_at_100_is_checked_through_the_database():
    waiter, api, client, clock = make(cluster(stuck_at_full('SMCreateBDB')), client_bdbs={'3': 'active'}, timeout=600)
    result = waiter.run()
    assert result['failed'] is False, result['msg']
    assert result['actions'][0]['status'] == 'completed'
    # checked AT_FULL_CHECK_AFTER after 100 % was first seen, not at the deadline
    assert clock.now < 3.0 + rs_settle.AT_FULL_CHECK_AFTER + 2 * 10.0
    assert len(client.calls) == 1


def test_update_stuck_at_100_is_finished_with_unknown_outcome_and_a_warning():
    waiter, api, client, clock = make(cluster(stuck_at_full('SMUpdateBDB')), client_bdbs={'3': 'active'}, timeout=600)
    result = waiter.run()
    assert result['failed'] is False
    assert result['outcome_unknown'] == [UID]
    assert result['actions'][0]['status'] == 'unknown'
    assert 'is still listed as running (at 100 % for' in result['warnings'][0]
    assert 'RS166122' in result['warnings'][0]
    assert clock.now < 60


def test_stuck_at_100_while_database_busy_keeps_waiting_and_rechecks():
    waiter, api, client, clock = make(cluster(stuck_at_full('SMUpdateBDB')),
                                      client_bdbs={'3': lambda t: 'active-change-pending' if t < 50 else 'active'},
                                      timeout=600)
    result = waiter.run()
    assert result['failed'] is False and result['outcome_unknown'] == [UID]
    assert clock.now >= 50
    # one check per CHECK_INTERVAL, not one per poll
    assert 2 <= len(client.calls) <= 3 + int(50 / rs_settle.CHECK_INTERVAL)


def test_unmoving_state_machine_needs_another_action_uid_on_the_database():
    """Below 100 % and not a creation/update: only a database naming no action, or another one, ends it."""
    def frozen(t):
        return act(UID, 'running', 40.0, name='SMRebalance')
    answers = {'3': lambda t: {'status': 'active', 'action_uid': UID} if t < 100 else {'status': 'active'}}
    waiter, api, client, clock = make(cluster(frozen), client_bdbs=answers, timeout=600)
    result = waiter.run()
    assert result['failed'] is False
    assert result['outcome_unknown'] == [UID]
    assert 100 <= clock.now < 100 + rs_settle.CHECK_INTERVAL + 11
    assert 'without any change for' in result['warnings'][0]


def test_stuck_check_never_runs_for_actions_not_on_a_database_and_timeout_reports_it():
    def frozen(t):
        return act(UID, 'running', 100.0, name='SMNode', object_name='node:1')
    waiter, api, client, clock = make(cluster(frozen), timeout=40)
    result = waiter.run()
    assert result['timed_out'] is True
    assert client.calls == []


def test_stuck_check_ignores_tasks():
    def task(t):
        return act(UID, 'running', 100.0, name='SMUpdateBDB', action_type='task')
    waiter, api, client, clock = make(cluster(task), client_bdbs={'3': 'active'}, timeout=30)
    result = waiter.run()
    assert result['timed_out'] is True
    assert client.calls == []


@pytest.mark.parametrize('targets', [dict(), dict(uids=[UID], object_name='bdb:3')])
def test_waiter_needs_uids_or_object_name(targets):
    with pytest.raises(RSConfigError) as info:
        ActionWaiter(FakeAPI(FakeClock(), lambda t: []), **targets)
    assert str(info.value) == 'give either uids or object_name'
