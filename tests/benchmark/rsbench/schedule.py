# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Order of the runs: repetitions, then in each repetition light waves and busy lanes.

Every job runs on its own simulated cluster, so request logs never mix. Jobs share the machine as follows, so
that one job does not distort another's figures:

* **light waves**: the jobs that spend their time asleep between polls (rs_action_wait, the Python loop) of one batch
  (a scenario and its linear/steps twin) run side by side. Each ansible-playbook starts (the CPU-heavy part, ~1.5 s
  of CPU) once the previous one is blocked at its ``Bench: start`` gate; once all are there the harness releases
  them ``stagger`` seconds apart, so no start-up overlaps another start-up or a measured wait, and no two actions of
  the same length complete at the same instant. What a process burns while held at its gate is subtracted from its
  CPU figure;
* uri + until on one uid runs a module about once a second (~0.45 s of CPU each): its twins (linear and steps) run
  as a pair in a wave of their own, since its request count depends on how fast each module run goes;
* **busy lanes**: the jobs that keep a CPU core busy (a loop over many uids, the role, the serial provisioning) run
  with nothing else but each other, at most one per core (``lanes``, 2 by default), longest first.

``sequential=True`` runs every job alone instead.
"""

from __future__ import annotations

import collections
import os
import threading
import time

from .measure import Job, group_cpu

NOT_RUN = ('oracle', 'role_rerun', 'role_instant')   # computed, or run inside the role job
CREATE_BDB = 10.0                    # the simulator's default creation time, for estimates only


def busy(scenario, strategy):
    if strategy in ('role', 'serial', 'role_instant'):
        return True
    return strategy in ('uri_until', 'wait_loop') and len(scenario.actions) > 1


def estimate(scenario, strategy, speed=1.0):
    """Rough seconds a job takes, to start the longest busy jobs first."""
    if scenario.group == 'role':
        count = len(scenario.databases)
        if strategy == 'serial':
            return 3 + count * (CREATE_BDB / speed + 1.2)
        if strategy == 'role_instant':
            return 5 + 1.5 * count
        return 10 + CREATE_BDB / speed + 5 * count     # three runs: the role, its re-run, its 0 s creations
    per_item = {'uri_until': 0.55, 'wait_loop': 0.05}.get(strategy, 0.0)
    return 3 + (scenario.longest + scenario.max_shift) / speed + per_item * len(scenario.actions)


def plan(scenarios, reps, sequential=False):
    """A list of repetitions; each a list of phases ``(kind, jobs)``, kind ``wave`` or ``lanes``, jobs (scenario, strategy)."""
    batches = {}
    for scenario in scenarios:
        batches.setdefault(scenario.batch, []).append(scenario)
    phases = []
    heavy = []
    for batch in batches.values():
        # role_instant runs inside the role job, or on its own where the scenario has no role job (role_overhead).
        jobs = [(s, k) for s in batch for k in s.strategies
                if k not in NOT_RUN or (k == 'role_instant' and 'role' not in s.strategies)]
        light = [job for job in jobs if not busy(*job) and job[1] != 'uri_until']
        polling = [job for job in jobs if not busy(*job) and job[1] == 'uri_until']
        heavy += [job for job in jobs if busy(*job)]
        if sequential:
            phases.extend(('wave', [job]) for job in light + polling)
            continue
        if light:
            phases.append(('wave', light))
        if polling:
            phases.append(('wave', polling))
    if sequential:
        phases.extend(('wave', [job]) for job in heavy)
    elif heavy:
        phases.append(('lanes', sorted(heavy, key=lambda job: -estimate(*job))))
    return [phases for dummy in range(reps)]


def simulators_needed(repetitions, lanes):
    return max(len(jobs) if kind == 'wave' else min(lanes, len(jobs)) for phases in repetitions for kind, jobs in phases)


class Context:  # pylint: disable=too-few-public-methods
    """What every job of a run shares."""

    def __init__(self, reps, workroot, collections_path, timeout, stagger):
        self.reps = reps
        self.workroot = workroot
        self.collections_path = collections_path
        self.timeout = timeout
        self.stagger = stagger

    def job(self, scenario, strategy, rep, sim, gated):
        workdir = os.path.join(self.workroot, f'rep{rep}', scenario.key, strategy)
        return Job(scenario, strategy, rep, sim, workdir, self.collections_path, timeout=self.timeout, gated=gated,
                   reps=self.reps)


def run_wave(context, jobs, rep, sims, log=print):
    """Run jobs side by side; return their samples.

    With more than one job, each is started once the previous one has reached its gate (so no two start-ups
    overlap), and they are released ``stagger`` s apart once all are there.
    """
    runs = [context.job(s, k, rep, sims[i], gated=len(jobs) > 1) for i, (s, k) in enumerate(jobs)]
    threads = [threading.Thread(target=run.run, name=run.name, daemon=True) for run in runs]
    # CPU each process had used when it reached its gate: what it burns while held there (ansible-playbook's
    # controller loop keeps polling) is subtracted from its figure, as it only waited for the others.
    at_gate = {}
    for run, thread in zip(runs, threads):
        thread.start()
        if len(runs) == 1:
            break
        deadline = time.monotonic() + 120
        while not os.path.exists(run.ready_file):
            if time.monotonic() > deadline:
                log(f'  warning: {run.name} did not reach its gate within 120 s')
                break
            time.sleep(0.01)
        at_gate[run.name] = group_cpu(run.pid) if run.pid else None
    for position, run in enumerate(runs if len(runs) > 1 else []):
        if position:
            time.sleep(context.stagger)
        if run.pid and at_gate.get(run.name) is not None:
            run.gate_cpu = max(0.0, group_cpu(run.pid) - at_gate[run.name])
        with open(run.go_file, 'w', encoding='utf-8') as handle:
            handle.write(str(time.time()))
    for thread in threads:
        thread.join(context.timeout * 4 + 60)
    return [sample for run in runs for sample in run.samples]


def run_lanes(context, jobs, rep, sims, on_sample=None):
    """Run busy jobs ``len(sims)`` at a time (one per core), longest first; return their samples."""
    queue = collections.deque(jobs)
    lock = threading.Lock()
    samples = []

    def lane(sim):
        while True:
            with lock:
                if not queue:
                    return
                scenario, strategy = queue.popleft()
            run = context.job(scenario, strategy, rep, sim, gated=False)
            for sample in run.run():
                with lock:
                    samples.append(sample)
                    if on_sample:
                        on_sample(sample)

    threads = [threading.Thread(target=lane, args=(sim,), daemon=True) for sim in sims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples
