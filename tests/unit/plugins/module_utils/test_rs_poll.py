# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The poll policy, table-driven: inputs in, (gap, backoff) out. rng is fixed at 0.5 (no jitter)."""

from __future__ import annotations

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_poll import Decision, PollPolicy
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_progress import Window

NOW = 10.0
HALF = 0.5


def rng():
    return HALF


# (policy options, next_gap() arguments besides now and rng, expected gap, expected backoff)
CASES = [
    # transient errors: 1 s, 2 s, 4 s ... capped at 10 s, times 0.5 + 0.5 rng; the idle backoff is kept
    ('first error', {}, dict(backoff=2.0, error_streak=1, windows=[None]), 0.75, 2.0),
    ('third error', {}, dict(backoff=2.0, error_streak=3, windows=[None]), 3.0, 2.0),
    ('error cap', {}, dict(backoff=2.0, error_streak=9, windows=[None]), 7.5, 2.0),
    # idle: x1.5 per poll up to max_poll_interval; a status change resets to poll_interval
    ('idle grows', {}, dict(backoff=1.0, windows=[None]), 1.5, 1.5),
    ('idle capped', {}, dict(backoff=8.0, windows=[None]), 10.0, 10.0),
    ('status change', {}, dict(backoff=8.0, status_changed=True, windows=[None]), 1.0, 1.0),
    ('nothing pending', {}, dict(backoff=1.0, windows=[]), 10.0, 1.5),
    # finish windows
    ('narrow and near: straight to it', {}, dict(backoff=1.0, windows=[(20.0, 20.5)]), 10.55, 1.5),
    ('narrow but far: max_poll_interval', {}, dict(backoff=1.0, windows=[(40.0, 40.5)]), 10.0, 1.5),
    ('wide: poll_interval after its start', {}, dict(backoff=1.0, windows=[(12.0, 20.0)]), 3.05, 1.5),
    ('finish already passed', {}, dict(backoff=1.0, windows=[(5.0, 5.2)]), 1.0, 1.5),
    ('one action unpredicted: backoff', {}, dict(backoff=1.0, windows=[(12.0, 12.2), None]), 1.5, 1.5),
    ('one unpredicted, aim sooner', {}, dict(backoff=4.0, windows=[(12.0, 12.2), None]), 2.25, 6.0),
    ('open window is unpredicted', {}, dict(backoff=1.0, windows=[(12.0, float('inf'))]), 1.5, 1.5),
    ('fail_fast: the soonest finish', {}, dict(backoff=1.0, windows=[(12.0, 12.2), (30.0, 30.1)]), 2.25, 1.5),
    ('fail_fast: not sooner than 2 intervals', {}, dict(backoff=1.0, windows=[(10.5, 10.6), (30.0, 30.1)]), 2.05, 1.5),
    ('no fail_fast: the latest finish', dict(fail_fast=False), dict(backoff=1.0, windows=[(12.0, 12.2), (30.0, 30.1)]),
     10.0, 1.5),
    # wake-up deadlines
    ('end of missing_grace', {}, dict(backoff=1.0, windows=[None], grace_end=10.3), 0.3, 1.5),
    ('missing_grace at the floor', {}, dict(backoff=1.0, windows=[None], grace_end=10.1), 0.25, 1.5),
    ('missing_grace over', {}, dict(backoff=1.0, windows=[None], grace_end=9.0), 1.5, 1.5),
    ('stall deadline, at least poll_interval', {}, dict(backoff=4.0, windows=[None], stall_ends=[10.5]), 1.0, 6.0),
    ('stall deadline', {}, dict(backoff=4.0, windows=[None], stall_ends=[13.0]), 3.0, 6.0),
    # plain backoff: finish windows ignored
    ('plain backoff ignores a window', dict(predict=False), dict(backoff=1.0, windows=[(20.0, 20.5)]), 1.5, 1.5),
    ('plain backoff, nothing pending', dict(predict=False), dict(backoff=1.0, windows=[]), 1.5, 1.5),
    ('plain backoff keeps deadlines', dict(predict=False), dict(backoff=4.0, windows=[None], stall_ends=[13.0]),
     3.0, 6.0),
]


@pytest.mark.parametrize('label, options, arguments, gap, backoff', CASES, ids=[case[0] for case in CASES])
def test_next_gap(label, options, arguments, gap, backoff):
    policy = PollPolicy(1.0, 10.0, **options)
    decision = policy.next_gap(NOW, rng=rng, **arguments)
    assert isinstance(decision, Decision), label
    assert decision.gap == pytest.approx(gap, abs=1e-9)
    assert decision.backoff == pytest.approx(backoff, abs=1e-9)


def test_next_gap_changes_nothing():
    policy = PollPolicy(1.0, 10.0)
    before = dict(vars(policy))
    windows = [(12.0, 12.2), None]
    first = policy.next_gap(NOW, 4.0, rng, windows=windows, grace_end=10.3, stall_ends=[13.0])
    second = policy.next_gap(NOW, 4.0, rng, windows=windows, grace_end=10.3, stall_ends=[13.0])
    assert first == second
    assert vars(policy) == before
    assert windows == [(12.0, 12.2), None]


def test_jitter_is_within_ten_percent():
    policy = PollPolicy(1.0, 100.0)
    low = policy.next_gap(NOW, 2.0, lambda: 0.0, windows=[None]).backoff
    high = policy.next_gap(NOW, 2.0, lambda: 0.999999, windows=[None]).backoff
    assert low == pytest.approx(2.0 * 1.5 * 0.9)
    assert high == pytest.approx(2.0 * 1.5 * 1.1, abs=1e-5)


def test_max_poll_interval_is_at_least_poll_interval():
    policy = PollPolicy(5.0, 2.0)
    assert policy.max_poll_interval == 5.0


def test_a_window_that_forgot_levels_never_sleeps_past_max_poll_interval():
    """The 1.5 x max_poll_interval exception needs a window that fits every level seen."""
    policy = PollPolicy(1.0, 10.0)
    trusted, untrusted = Window((20.0, 20.5)), Window((20.0, 20.5))
    untrusted.fits_all = False
    assert policy.next_gap(8.0, 1.0, lambda: 0.5, windows=[trusted]).gap > 12.0
    assert policy.next_gap(8.0, 1.0, lambda: 0.5, windows=[untrusted]).gap == 10.0
