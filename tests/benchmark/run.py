# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: rs_action_wait and the rs_provision role against what playbooks do today, side by side.

    .venv/bin/python tests/benchmark/run.py            # full run (make bench), ~15 minutes on 2 cores
    .venv/bin/python tests/benchmark/run.py --smoke    # tiny run that checks the harness (make test), < 60 s

Writes tests/benchmark/results/{results.md,results.json,results.png} (smoke: tests/benchmark/results/raw/smoke/),
prints the table, PASS/FAIL for each target and a block ready to paste into README.md here ("Latest results").
Exit status: 0 when every run worked and (full run only) every target passed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time

from rsbench import BENCH_DIR, ROOT
from rsbench import metrics, report, scenarios, schedule
from rsbench.load import LoadMeter
from rsbench.scenarios import SHORT
from rsbench.sim import RUN_PY, Simulator

RESULTS = os.path.join(BENCH_DIR, 'results')
KEEP_RUNS = 3
COLLECTION_PARTS = ('galaxy.yml', 'meta', 'plugins', 'roles')


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--smoke', action='store_true', help='tiny run that only checks that the harness works (< 60 s)')
    parser.add_argument('--reps', type=int, help='repetitions (default 3; smoke 1)')
    parser.add_argument('--speed', type=float, help='simulator speed (default 1 = real durations; smoke 4)')
    parser.add_argument('--only', action='append', metavar='SCENARIO', help='run only these scenarios (repeatable)')
    parser.add_argument('--sequential', action='store_true', help='run every job alone (no side-by-side waves or lanes)')
    parser.add_argument('--lanes', type=int, default=2, help='busy jobs run side by side, one per core (default 2)')
    parser.add_argument('--stagger', type=float, help='seconds between the releases of the jobs of a wave (default 0.75; smoke 0.5)')
    parser.add_argument('--out', help='output directory (default tests/benchmark/results; smoke results/raw/smoke)')
    parser.add_argument('--timeout', type=float, default=600, help='per-process timeout in seconds')
    parser.add_argument('--collection', metavar='DIR',
                        help='benchmark this copy of the collection (a directory with galaxy.yml, plugins/, roles/) instead of '
                             'the working tree, e.g. to try a change of plugins/module_utils/rs_wait.py before committing it')
    parser.add_argument('--list', action='store_true', help='list the scenarios and exit')
    args = parser.parse_args(argv)
    args.reps = args.reps or (1 if args.smoke else 3)
    args.speed = args.speed or (4.0 if args.smoke else 1.0)
    args.stagger = args.stagger if args.stagger is not None else (0.5 if args.smoke else 0.75)
    args.out_given = bool(args.out) or args.smoke
    args.out = args.out or (os.path.join(RESULTS, 'raw', 'smoke') if args.smoke else RESULTS)
    return args


def collection_tree(tmp, source=ROOT):
    """A real copy of the collection (a snapshot: edits made while the benchmark runs do not leak into it)."""
    root = os.path.join(tmp, 'collections')
    dest = os.path.join(root, 'ansible_collections', 'redis_enterprise', 'software')
    os.makedirs(dest)
    for part in COLLECTION_PARTS:
        src = os.path.join(source, part)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(dest, part), ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))
        elif os.path.exists(src):
            shutil.copy2(src, dest)
    return root


def preflight(source=ROOT):
    missing = [path for path in (RUN_PY, os.path.join(source, 'plugins', 'modules', 'rs_action_wait.py'),
                                 os.path.join(source, 'roles', 'rs_provision', 'tasks', 'main.yml'))
               if not os.path.exists(path)]
    if missing:
        sys.exit('benchmark: missing ' + ', '.join(missing))


def start_simulators(count, tmp, speed):
    sims = [Simulator(os.path.join(tmp, f'sim{i}'), speed=speed) for i in range(count)]
    errors = []

    def start(sim):
        try:
            sim.start()
        except Exception as exc:  # pylint: disable=broad-exception-caught
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(sim,)) for sim in sims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        for sim in sims:
            sim.stop()
        raise errors[0]
    return sims


def describe(sample):
    if not sample.ok:
        return f'FAILED: {sample.error}'

    def num(value, form):
        return '-' if value is None else format(value, form)

    return (f'latency {num(sample.latency, ".2f")} s, {num(sample.requests, "d")} requests'
            f'{"" if sample.polls is None else f" ({sample.polls} polls)"}, wall {num(sample.wall, ".1f")} s, '
            f'cpu {num(sample.cpu, ".1f")} s')


def run_directory(args):
    """A directory of its own for this run's logs and raw records (not versioned), so that two runs never clobber
    each other: results/raw/runs/<time>-<pid> (smoke: results/raw/smoke/runs/...), or <--out>/runs/... . The oldest
    are pruned, keeping the last KEEP_RUNS (and any younger than an hour, which may still be running)."""
    parent = os.path.join(args.out, 'runs') if args.out_given else os.path.join(RESULTS, 'raw', 'runs')
    os.makedirs(parent, exist_ok=True)
    old = sorted((entry for entry in os.scandir(parent) if entry.is_dir()), key=lambda entry: entry.stat().st_mtime)
    for entry in old[:-KEEP_RUNS]:
        if time.time() - entry.stat().st_mtime > 3600:
            shutil.rmtree(entry.path, ignore_errors=True)
    path = os.path.join(parent, time.strftime('%Y%m%d-%H%M%S') + f'-{os.getpid()}')
    os.makedirs(path)
    return path


def write_atomically(path, writer):
    """Write through a temporary file and rename it, so a concurrent reader never sees half a file."""
    root, ext = os.path.splitext(path)
    tmp = f'{root}.{os.getpid()}.tmp{ext}'      # keeps the extension: matplotlib picks the format from it
    writer(tmp)
    os.replace(tmp, path)


def show(sample):
    print(f'    {sample.scenario:<18} {SHORT[sample.strategy]:<26} {describe(sample)}', flush=True)


def run(args, chosen, tmp):
    repetitions = schedule.plan(chosen, args.reps, sequential=args.sequential)
    sims = start_simulators(schedule.simulators_needed(repetitions, args.lanes), tmp, args.speed)
    collections = collection_tree(tmp, os.path.abspath(args.collection) if args.collection else ROOT)
    workroot = run_directory(args)
    print(f'Logs and raw records: {os.path.relpath(workroot, ROOT)}', flush=True)
    context = schedule.Context(args.reps, workroot, collections, args.timeout, args.stagger)
    samples = []
    try:
        total = sum(len(phases) for phases in repetitions)
        done = 0
        for rep, phases in enumerate(repetitions, start=1):
            for kind, jobs in phases:
                done += 1
                names = ', '.join(f'{s.key}/{SHORT[k]}' for s, k in jobs)
                started = time.monotonic()
                how = ('side by side' if len(jobs) > 1 else 'alone') if kind == 'wave' else f'{args.lanes} lanes'
                print(f'[{done}/{total} rep {rep}, {how}] {names}', flush=True)
                if kind == 'wave':
                    batch = schedule.run_wave(context, jobs, rep, sims)
                    for sample in batch:
                        show(sample)
                else:
                    batch = schedule.run_lanes(context, jobs, rep, sims[:args.lanes], on_sample=show)
                samples.extend(batch)
                print(f'    ({time.monotonic() - started:.0f} s)', flush=True)
    finally:
        for sim in sims:
            sim.stop()
    return samples


def main(argv=None):
    args = parse_args(argv)
    chosen = scenarios.smoke() if args.smoke else scenarios.full()
    if args.list:
        for scenario in chosen:
            print(f'{scenario.key:<20} {scenario.title:<45} {", ".join(scenario.strategies)}')
        return 0
    if args.only:
        chosen = [s for s in chosen if s.key in args.only]
        if not chosen:
            sys.exit('benchmark: --only matched no scenario (see --list)')
    preflight(os.path.abspath(args.collection) if args.collection else ROOT)
    started = time.monotonic()
    meter = LoadMeter()
    tmp = tempfile.mkdtemp(prefix='rs-bench-')
    try:
        samples = run(args, chosen, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    elapsed = time.monotonic() - started
    load = meter.stop()

    config = {'speed': args.speed, 'reps': args.reps, 'smoke': args.smoke, 'elapsed': round(elapsed, 1),
              'collection': os.path.abspath(args.collection) if args.collection else 'working tree', 'load': load,
              'mode': 'one job at a time' if args.sequential else
              f'light jobs side by side (released {args.stagger:g} s apart), busy jobs {args.lanes} at a time'}
    info = report.machine()
    table = metrics.rows(chosen, samples)
    verdicts = metrics.verdicts(chosen, table, samples)
    os.makedirs(args.out, exist_ok=True)
    markdown = report.markdown(table, verdicts, info, config, smoke=args.smoke)

    def write_markdown(path):
        with open(path, 'w', encoding='utf-8') as handle:
            handle.write(markdown)

    write_atomically(os.path.join(args.out, 'results.md'), write_markdown)
    write_atomically(os.path.join(args.out, 'results.json'), lambda path: report.write_json(path, samples, table, verdicts, info, config))
    write_atomically(os.path.join(args.out, 'results.png'), lambda path: report.chart(path, table, info, config))

    print('\n' + report.text_table(table))
    print(f'\nMachine: {report.machine_line(info, config)}')
    print(report.load_line(load))
    print('\n'.join(report.verdict_lines(verdicts, smoke=args.smoke)))
    print('\n----- 8< ----- ready to paste into tests/benchmark/README.md ("Latest results") ----- 8< -----')
    print(report.readme_block(table, verdicts, info, config))
    print('----- 8< ---------------------------------------------------------------- 8< -----')
    print(f'\nResults: {os.path.relpath(args.out, ROOT)}/results.{{md,json,png}}; total time {elapsed:.0f} s')

    failed = [s for s in samples if not s.ok]
    if args.smoke:
        # The smoke run checks the harness: a product defect it happens to meet (the role failing on its second run)
        # is shown above but does not fail `make test`.
        failed = [s for s in failed if s.strategy != 'role_rerun']
    if failed:
        print(f'benchmark: {len(failed)} run(s) failed: ' + '; '.join(f'{s.scenario}/{s.strategy}: {s.error}' for s in failed[:5]))
        return 1
    if not args.smoke and any(v.passed is False for v in verdicts):
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
