# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests of plugins/module_utils/rs_bdb_busy.py: the retry of a write on a busy database, and its wait."""

from __future__ import annotations

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_bdb_busy
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb_busy import retry_when_busy
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSConflict, RSHTTPError, RSTimeoutError
from ansible_collections.redis_enterprise.software.tests.unit.plugins.module_utils.bdb_fakes import FakeWait, busy_error


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_retry_when_busy_shares_one_wait_budget():
    clock = FakeClock()
    timeouts = []

    def wait(uid, timeout):
        timeouts.append(timeout)
        clock.now += 200  # each wait uses 200 s of the 300 s budget

    def operation():
        raise busy_error()

    with pytest.raises(RSConflict) as exc_info:
        retry_when_busy(operation, 1, wait, 'Failed', attempts=5, wait_timeout=300.0, clock=clock)
    # first wait may use 300 s, the second the 100 s left, then the budget is spent
    assert timeouts == [300.0, 100.0]
    assert '3 time(s)' in str(exc_info.value)


def test_retry_when_busy_passes_other_errors_through():
    calls = []

    def operation():
        calls.append(1)
        raise RSHTTPError('boom', status=500)

    with pytest.raises(RSHTTPError):
        retry_when_busy(operation, 1, FakeWait(), 'Failed')
    assert len(calls) == 1


def test_defaults_are_bounded():
    assert rs_bdb_busy.BUSY_ATTEMPTS == 3
    assert rs_bdb_busy.BUSY_WAIT_TIMEOUT == 300.0


# ---------------------------------------------------------------------- make_busy_waiter


class ActionsClient:
    """Answers GET /v2/actions with scripted lists (one per call; the last one repeats)."""

    def __init__(self, *lists):
        self.lists = list(lists)
        self.calls = []

    def get(self, path, params=None, timeout=None):
        self.calls.append((path, timeout))
        assert path == ('v2', 'actions')
        return self.lists.pop(0) if len(self.lists) > 1 else self.lists[0]


def v2_action(uid, status, object_uid='1'):
    return {'action_uid': uid, 'action_type': 'state-machine', 'name': 'SMUpdateBDB', 'status': status,
            'progress': 50.0, 'creation_time': 1768035600,
            'additional_info': {'object_type': 'bdb', 'object_uid': object_uid}}


def _advancing(clock, sleeps=None):
    def sleep(seconds):
        if sleeps is not None:
            sleeps.append(seconds)
        clock.now += seconds
    return sleep


def test_busy_waiter_polls_until_no_running_action():
    clock = FakeClock()
    client = ActionsClient([v2_action('a1', 'running'), v2_action('x', 'running', object_uid='2')],
                           [v2_action('a1', 'running')],
                           [v2_action('a1', 'completed')])
    wait = rs_bdb_busy.make_busy_waiter(client, sleep=_advancing(clock), clock=clock, rng=lambda: 0.5)
    wait(1, 60.0)
    # The shared wait loop polls the list once per cycle until bdb:1's action completed, then stops.
    assert len(client.calls) == 3
    assert all(timeout is not None and timeout <= 60.0 for dummy, timeout in client.calls)
    assert clock.now < 1060.0


def test_busy_waiter_ends_when_the_blocking_action_fails():
    clock = FakeClock()
    client = ActionsClient([v2_action('a1', 'running')], [v2_action('a1', 'failed')])
    wait = rs_bdb_busy.make_busy_waiter(client, sleep=_advancing(clock), clock=clock, rng=lambda: 0.5)
    wait(1, 60.0)  # no longer busy: the retried request gets RS's own answer
    assert len(client.calls) == 2


def test_busy_waiter_pauses_when_nothing_runs():
    clock = FakeClock()
    sleeps = []
    client = ActionsClient([v2_action('x', 'running', object_uid='2')])
    wait = rs_bdb_busy.make_busy_waiter(client, sleep=_advancing(clock, sleeps), clock=clock, min_pause=2.0)
    wait(1, 60.0)
    assert sleeps == [2.0]
    assert len(client.calls) == 1


def test_busy_waiter_times_out():
    clock = FakeClock()
    client = ActionsClient([v2_action('a1', 'running')])
    wait = rs_bdb_busy.make_busy_waiter(client, sleep=_advancing(clock), clock=clock, rng=lambda: 0.5)
    with pytest.raises(RSTimeoutError) as exc_info:
        wait(1, 5.0)
    assert 'bdb:1' in str(exc_info.value)
    assert 'a1' in str(exc_info.value)
    assert 1005.0 <= clock.now < 1006.0
