# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Finish window vs plain backoff, on a fake clock: requests and detection latency per progress shape.

The real ``ActionWaiter`` of this working tree polls a fake actions API whose progress follows a shape (linear,
steps, S-curve, pauses, uneven steps, a jump from 0 to 100, progress that restarts). Time is fake: a request takes
``LATENCY`` s, a sleep takes what it asks. Each shape runs from several start offsets (the first poll comes that
long after the action was created) and jitter seeds; the table gives, per shape and policy, the mean number of
requests and the median and worst detection latency (return - completion).

    python3 tests/benchmark/policies.py            # prints the Markdown table
"""

from __future__ import annotations

import math
import os
import random
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

LATENCY = 0.02
OFFSETS = (0.2, 0.45, 0.7, 0.95, 1.3, 1.9, 2.6, 3.4)
SEEDS = (1, 2, 3)
UID = 'a1'
# The policies compared: the default (finish window), plain backoff (same growth, windows ignored), and a fixed
# 1 s poll (what it costs to be as timely as the window without predicting).
POLICIES = (('window', dict(predict=True)), ('backoff', dict(predict=False)),
            ('fixed 1 s', dict(predict=False, max_poll_interval=1.0)))


def _import_waiter():
    """ActionWaiter from this working tree (a temporary ansible_collections/redis_enterprise/software link)."""
    top = tempfile.mkdtemp(prefix='rsbench-policies-')
    os.makedirs(os.path.join(top, 'ansible_collections', 'redis_enterprise'))
    os.symlink(ROOT, os.path.join(top, 'ansible_collections', 'redis_enterprise', 'software'))
    sys.path.insert(0, top)
    from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait import ActionWaiter
    return ActionWaiter


# ------------------------------------------------------------------------------------------------------- shapes
# A shape: (label, duration, progress(t) for 0 <= t < duration, in percent). RS shows progress to 0.1 %.


def linear(t, d):
    return 100.0 * t / d


def steps(k):
    return lambda t, d: math.floor(k * t / d) * 100.0 / k


def s_curve(t, d):
    x = t / d
    return 100.0 * x * x * (3 - 2 * x)


def slow_start(t, d):
    return 100.0 * (t / d) ** 2


def fast_start(t, d):
    return 100.0 * math.sqrt(t / d)


def pause(t, d):
    """Linear to 50 % in the first quarter, stands still for half the time, then linear to 100 %."""
    if t < d / 4:
        return 200.0 * t / d
    if t < 3 * d / 4:
        return 50.0
    return 50.0 + 200.0 * (t - 3 * d / 4) / d


def uneven(t, d):
    """Steps of uneven size at uneven times: 10 % at 5 %, 60 % at 30 %, 70 % at 80 %, 95 % at 90 % of the time."""
    value = 0.0
    for at, level in ((0.05, 10.0), (0.3, 60.0), (0.8, 70.0), (0.9, 95.0)):
        if t >= at * d:
            value = level
    return value


def jump(t, d):
    """0 % until it completes."""
    return 0.0


def restart(t, d):
    """Linear to 60 % in the first third, back to 0, then linear to 100 % over the rest."""
    if t < d / 3:
        return 180.0 * t / d
    return 150.0 * (t - d / 3) / d


SHAPES = [
    ('linear 10 s', 10.0, linear), ('linear 30 s', 30.0, linear), ('linear 120 s', 120.0, linear),
    ('4 steps 10 s', 10.0, steps(4)), ('4 steps 30 s', 30.0, steps(4)), ('10 steps 60 s', 60.0, steps(10)),
    ('S-curve 30 s', 30.0, s_curve), ('S-curve 120 s', 120.0, s_curve),
    ('slow start 60 s', 60.0, slow_start), ('fast start 60 s', 60.0, fast_start),
    ('pause 40 s', 40.0, pause), ('uneven steps 60 s', 60.0, uneven),
    ('jump 0->100 10 s', 10.0, jump), ('jump 0->100 60 s', 60.0, jump),
    ('restart 45 s', 45.0, restart),
]


# ------------------------------------------------------------------------------------------------------- fake RS


class FakeClock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += max(seconds, 0.0)


class FakeAPI:
    """One action created at t=0 that completes at ``duration``; a request takes LATENCY s."""

    api_version = 'v2'

    def __init__(self, clock, duration, shape):
        self.clock = clock
        self.duration = duration
        self.shape = shape
        self.requests = 0

    def _action(self, t):
        if t >= self.duration:
            status, progress = 'completed', 100.0
        else:
            status, progress = 'running', round(min(max(self.shape(t, self.duration), 0.0), 100.0), 1)
        return dict(action_uid=UID, name='SMBench', action_type='state-machine', status=status, api_status=status,
                    progress=progress, object_name='node:1', raw={})

    def get(self, uid, timeout=None):
        self.requests += 1
        self.clock.now += LATENCY / 2
        action = self._action(self.clock.now)
        self.clock.now += LATENCY / 2
        return action


def run_once(waiter_class, duration, shape, offset, seed, options):
    clock = FakeClock(offset)
    api = FakeAPI(clock, duration, shape)
    waiter = waiter_class(api, uids=[UID], timeout=duration * 3 + 60, clock=clock, sleep=clock.sleep,
                          rng=random.Random(seed).random, **options)
    result = waiter.run()
    assert not result['failed'], result['msg']
    return api.requests, clock.now - duration


def measure(waiter_class):
    """Rows: (shape, [(requests mean, latency median, latency max) per policy of POLICIES])."""
    rows = []
    for label, duration, shape in SHAPES:
        figures = []
        for dummy, options in POLICIES:
            runs = [run_once(waiter_class, duration, shape, offset, seed, options)
                    for offset in OFFSETS for seed in SEEDS]
            requests = [r for r, dummy in runs]
            late = [lat for dummy, lat in runs]
            figures.append((statistics.mean(requests), statistics.median(late), max(late)))
        rows.append((label, figures))
    return rows


def table(rows):
    names = [name for name, dummy in POLICIES]
    lines = ['| Shape | %s | %s | Window: fewer requests than backoff, never later |' % (
        ' | '.join('Requests: %s' % name for name in names), ' | '.join('Late: %s (median / worst)' % name for name in names)),
        '|---|%s---|' % ('---:|' * (2 * len(names)))]
    for label, figures in rows:
        (req_w, med_w, max_w), (req_b, med_b, max_b) = figures[0], figures[1]
        fewer = 'yes' if req_w <= req_b else 'no (+%.1f)' % (req_w - req_b)
        never_later = 'yes' if max_w <= max_b + 0.05 and med_w <= med_b + 0.05 else 'NO'
        lines.append('| %s | %s | %s | %s, %s |' % (
            label, ' | '.join('%.1f' % f[0] for f in figures), ' | '.join('%.2f / %.2f s' % f[1:] for f in figures),
            fewer, never_later))
    return '\n'.join(lines)


def main():
    print(table(measure(_import_waiter())))
    print()
    offsets = ', '.join('%g' % offset for offset in OFFSETS)
    seeds = ', '.join(str(seed) for seed in SEEDS)
    print('%d runs per cell: first poll %s s after creation, jitter seeds %s; request latency %g s; '
          'poll_interval 1 s, max_poll_interval 10 s (fixed: 1 s).' % (len(OFFSETS) * len(SEEDS), offsets, seeds, LATENCY))
    return 0


if __name__ == '__main__':
    sys.exit(main())
