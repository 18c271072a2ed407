# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What is measured: scenarios (actions or databases to wait for) and the strategies compared on each."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

PHASE_WINDOW = 5.0

# Strategy key -> label shown in the results. ``oracle`` is computed, not run.
STRATEGIES = {
    'oracle': 'oracle: knows the completion time (1 request, 0 latency)',
    'rs_action_wait': 'rs_action_wait, defaults (one task)',
    'uri_until': 'uri + until, delay 1 (GET /v1/actions/{uid}, loop over uids)',
    'redisctl': 'redisctl-style fixed 5 s, v1 GET per action (Python loop)',
    'fixed1': 'bare fixed 1 s polling, v1 GET per action (Python loop, no Ansible overhead)',
    'backoff': 'plain backoff 1 s x1.5 up to 10 s, v1 GET per action (Python loop): no prediction',
    'wait_loop': 'loop of one rs_action_wait per uid',
    'role': 'rs_provision role (create all, one wait)',
    'role_instant': 'rs_provision role, creations that take 0 s (= fixed overhead)',
    'role_rerun': 'rs_provision role again, databases already exist',
    'serial': 'one database at a time (rs_database + rs_action_wait per db)',
}

SHORT = {
    'oracle': 'oracle',
    'rs_action_wait': 'rs_action_wait',
    'uri_until': 'uri+until (1 s)',
    'redisctl': 'redisctl-style 5 s',
    'fixed1': 'bare 1 s loop',
    'backoff': 'plain backoff',
    'wait_loop': 'loop of rs_action_wait',
    'role': 'rs_provision role',
    'role_instant': 'role, 0 s creations (overhead)',
    'role_rerun': 'role again, dbs exist',
    'serial': 'one db at a time',
}


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    group: str                      # single | fanout | role
    batch: str                      # scenarios of one batch run side by side in the same waves
    strategies: tuple
    actions: tuple = ()             # specs for POST /_sim/actions
    databases: tuple = ()           # {name, memory_size} for the role scenarios
    notes: dict = field(default_factory=dict)

    @property
    def longest(self):
        """The longest nominal duration (before the repetition's shift)."""
        return max((spec['duration'] for spec in self.actions), default=0.0)

    @property
    def max_shift(self):
        """The largest shift: 5 s (redisctl's interval), at most half the longest nominal duration."""
        return min(PHASE_WINDOW, self.longest / 2)

    def shift(self, rep, reps):
        """Seconds added to every duration in repetition ``rep`` (1-based) of ``reps``.

        Fixed-interval pollers detect a completion at a delay that depends only on where in their cycle the action
        ends. A 10 s action polled every 5 s from its start is always seen the instant it completes, which would make
        redisctl's 5 s loop look perfect. So each repetition shifts the durations by a different amount, evenly
        spread over one 5 s cycle (or over half the duration for short actions), the same for every strategy.
        """
        return round(self.max_shift * (rep - 0.5) / reps, 3)

    def specs(self, rep, reps):
        shift = self.shift(rep, reps)
        return [dict(spec, duration=round(spec['duration'] + shift, 3)) for spec in self.actions]


def action_spec(index, duration, mode, pending_fraction=None, shape=None):
    spec = {
        'name': 'SMCreateBDB',
        'kind': 'state-machine',
        'object_name': f'bdb:{101 + index}',
        'duration': duration,
        'progress_mode': mode,
        'outcome': 'completed',
    }
    if pending_fraction is not None:
        spec['pending_fraction'] = pending_fraction
    if shape is not None:
        spec['progress_shape'] = shape
    return spec


def _shifted(nominal, shortest=None):
    low = '' if shortest is None else f'{shortest:g}-'
    return f'{low}{nominal:g} s (+0-{min(PHASE_WINDOW, nominal / 2):g} s)'


def single(duration, mode):
    return Scenario(
        key=f'single-{duration:g}s-{mode}',
        title=f'1 action, {_shifted(duration)}, {mode} progress from its start',
        group='single', batch=f'single-{duration:g}s',
        strategies=('oracle', 'rs_action_wait', 'uri_until', 'fixed1', 'redisctl'),
        # "Progress that is linear" (or moves in steps) over the whole action: no pending phase at 0 %.
        actions=(action_spec(0, float(duration), mode, pending_fraction=0.0),))


# Progress that fits no model (the simulator's shapes, tests/simulator/README.md): S-curve, pauses, uneven steps,
# a jump from 0 to 100 at the end, and progress that starts over.
IRREGULAR_SHAPES = ('s_curve', 'pauses', 'uneven_steps', 'jump', 'restart')


def shaped(duration, shape):
    return Scenario(
        key=f'shape-{shape}-{duration:g}s',
        title=f'1 action, {_shifted(duration)}, {shape.replace("_", " ")} progress',
        group='single', batch=f'shape-{duration:g}s',
        strategies=('oracle', 'rs_action_wait', 'uri_until', 'backoff'),
        actions=(action_spec(0, float(duration), 'linear', pending_fraction=0.0, shape=shape),))


def fanout(count, longest, batch):
    """``count`` actions started at once, lasting 60-100% of ``longest`` (in a fixed shuffled order, half of them
    with linear progress, half with steps), so a loop over uids meets them in no particular order."""
    durations = [longest] if count == 1 else [round(longest * (0.6 + 0.4 * i / (count - 1)), 2) for i in range(count)]
    random.Random(count).shuffle(durations)
    specs = tuple(action_spec(i, d, 'linear' if i % 2 == 0 else 'steps') for i, d in enumerate(durations))
    return Scenario(
        key=f'fanout-{count}',
        title=f'{count} actions at once, {_shifted(longest, min(durations))}' if count > 1 else f'N = 1: 1 action, {_shifted(longest)}',
        group='fanout', batch=batch,
        strategies=('oracle', 'rs_action_wait', 'uri_until', 'redisctl', 'wait_loop'),
        actions=specs)


def role(count, memory='100MB'):
    databases = tuple({'name': f'bench-db-{i:02d}', 'memory_size': memory} for i in range(1, count + 1))
    return Scenario(
        key=f'role-{count}', title=f'provision {count} databases', group='role', batch='role',
        strategies=('oracle', 'role', 'role_instant', 'role_rerun', 'serial'), databases=databases)


def role_overhead(count, memory='100MB'):
    """Only the role with 0 s creations, on ``count`` databases: with the role scenario's own 0 s run, it gives the
    cost of each extra database."""
    databases = tuple({'name': f'bench-db-{i:02d}', 'memory_size': memory} for i in range(1, count + 1))
    return Scenario(
        key=f'role-overhead-{count}', title=f'provision {count} databases, 0 s creations', group='role',
        batch=f'role-overhead-{count}', strategies=('role_instant',), databases=databases)


# The fixed overhead is measured at BASE databases and the cost per extra database between BASE and SCALE.
ROLE_BASE, ROLE_SCALE = 10, 50
SMOKE_ROLE_BASE, SMOKE_ROLE_SCALE = 2, 6

FANOUT_LONGEST = 8.0


def full():
    scenarios = [single(d, mode) for d in (2, 10, 30) for mode in ('linear', 'steps')]
    scenarios += [shaped(10, shape) for shape in IRREGULAR_SHAPES]
    scenarios += [fanout(1, FANOUT_LONGEST, 'fanout-1-10'), fanout(10, FANOUT_LONGEST, 'fanout-1-10'),
                  fanout(50, FANOUT_LONGEST, 'fanout-50')]
    scenarios.append(role(ROLE_BASE))
    scenarios.append(role_overhead(ROLE_SCALE))
    return scenarios


def smoke():
    return [single(2, 'linear'), shaped(3, 'restart'), fanout(3, 3.0, 'smoke'), role(SMOKE_ROLE_BASE),
            role_overhead(SMOKE_ROLE_SCALE)]
