# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The gate scheduler of `make test`: weights, exclusive groups, every gate run once, results kept."""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import gates  # noqa: E402  pylint: disable=wrong-import-position


class Recorder:
    """A stand-in for run_gate: records which gates run at the same time."""

    def __init__(self, seconds=0.05):
        self.lock = threading.Lock()
        self.running = {}
        self.snapshots = []
        self.order = []
        self.seconds = seconds

    def __call__(self, gate):
        with self.lock:
            self.running[gate.target] = gate
            self.order.append(gate.target)
            self.snapshots.append(dict(self.running))
        time.sleep(self.seconds)
        with self.lock:
            del self.running[gate.target]
        return (0 if gate.target != 'bad' else 2, self.seconds, 0.0, {})


def make(*specs):
    return [gates.Gate(target, target, weight=weight, group=group) for target, weight, group in specs]


def test_every_gate_runs_once_and_results_are_kept():
    run = Recorder()
    result = gates.schedule(make(('a', 1, None), ('bad', 1, None), ('c', 0.25, None)), 2, run)
    assert sorted(run.order) == ['a', 'bad', 'c']
    assert result['bad'][0] == 2 and result['a'][0] == 0


@pytest.mark.parametrize('cpus', [1, 2, 2.5])
def test_running_weights_never_exceed_the_cpus(cpus):
    run = Recorder()
    gates.schedule(make(('i', 1.5, None), ('s', 0.25, None), ('l', 1, None), ('d', 1, None), ('c', 0.25, None)),
                   cpus, run)
    assert all(sum(gate.weight for gate in snap.values()) <= cpus or len(snap) == 1 for snap in run.snapshots)
    assert len(run.order) == 5


def test_a_gate_heavier_than_the_cpus_still_runs_alone():
    run = Recorder()
    gates.schedule(make(('huge', 3, None), ('small', 1, None)), 2, run)
    assert run.order == ['huge', 'small']
    assert all(len(snap) == 1 for snap in run.snapshots)


def test_gates_of_one_group_never_overlap():
    run = Recorder()
    gates.schedule(make(('sanity', 0.25, 'ansible-test'), ('units', 0.25, 'ansible-test'), ('lint', 0.25, None)), 4, run)
    assert not any({'sanity', 'units'} <= set(snap) for snap in run.snapshots)
    # lint does not wait for the group
    assert any({'sanity', 'lint'} <= set(snap) for snap in run.snapshots)


def test_start_order_follows_the_list_when_everything_fits():
    run = Recorder()
    gates.schedule(make(('first', 0.5, None), ('second', 0.5, None), ('third', 0.5, None)), 8, run)
    assert run.order == ['first', 'second', 'third']
    assert any(len(snap) == 3 for snap in run.snapshots)


def test_count_tests_reads_pytest_and_suite_closing_lines():
    lines = ['==== 498 passed, 2 skipped in 2.31s ====\n', 'reliability: 64 passed, 0 failed\n', 'noise 3 passed\n']
    assert gates.count_tests(lines) == {'passed': 562, 'skipped': 2, 'failed': 0}
