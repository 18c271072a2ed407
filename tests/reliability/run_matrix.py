# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The hostile-conditions matrix: run every case against simulated clusters and print what happened.

    .venv/bin/python tests/reliability/run_matrix.py [--group faults] [--case TEXT] [--keep] [-v]

``make reliability`` runs it with ANSIBLE_COLLECTIONS_PATH pointing at a built copy of the collection; without
it, a symlink tree to this checkout is used. Groups: faults, hostile, input, tls, lost, secrets (see README.md next to this
file). The exit status is non-zero when any case fails. The matrix is printed, then a Markdown table (also written to
tests/reliability/results.md), then the line ``reliability: N passed, M failed``.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import sys
import tempfile
import time
import traceback

import cases_faults
import cases_hostile
import cases_input
import cases_lost
import cases_secrets
import cases_tls
from harness import HERE, ROOT, Env, Outcome, in_order_lines, local_host, markdown_table, print_matrix, short

GROUPS = (cases_faults, cases_hostile, cases_input, cases_tls, cases_lost, cases_secrets)
MODULE_PATH_ENV = {'RS_RELIABILITY_FORCE_MODULE': '1'}


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--group', action='append', help='run only this group (repeatable)')
    parser.add_argument('--case', help='run only the cases whose name contains this text')
    parser.add_argument('--keep', action='store_true', help='keep the temporary directory (playbooks, outputs)')
    parser.add_argument('--no-write', action='store_true', help='do not write tests/reliability/results.md')
    parser.add_argument('-v', '--verbose', action='store_true', help='also print each ansible-playbook run and its directory')
    return parser.parse_args(argv)


def collections_path():
    """ANSIBLE_COLLECTIONS_PATH, or a symlink tree to this checkout."""
    path = os.environ.get('ANSIBLE_COLLECTIONS_PATH')
    if path:
        return path
    tree = tempfile.mkdtemp(prefix='rs-reliability-collections-')
    namespace = os.path.join(tree, 'ansible_collections', 'redis_enterprise')
    os.makedirs(namespace)
    os.symlink(ROOT, os.path.join(namespace, 'software'))
    return tree


# ------------------------------------------------------------------------------------------------- batched cases

def _force_module(tasks):
    """A task ``environment`` makes the rs_action_wait action plugin run the module instead of its local loop."""
    forced = []
    for task in tasks:
        task = dict(task)
        if any(key.startswith('redis_enterprise.software.') for key in task):
            task['environment'] = dict(task.get('environment') or {}, **MODULE_PATH_ENV)
        forced.append(task)
    return forced


def dump_tasks(tasks, path):
    """Write ``tasks`` as JSON, which is YAML; infinite and NaN numbers become YAML's ``.inf``/``.nan``, as a user
    writes them."""
    text = json.dumps(tasks, indent=1)
    text = re.sub(r'(?<=: )(-?)(Infinity|NaN)(?=,?\n)',
                  lambda match: match.group(1) + ('.inf' if match.group(2) == 'Infinity' else '.nan'), text)
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(text)


def run_batch(env, group, cases):
    """Set up every batched case of ``group``, run them all in one playbook, then judge each host.

    A case marked ``alone`` (it measures the memory of its processes) gets a playbook run of its own, at the same
    time as the others (each run's processes are sampled apart)."""
    runs = []
    shared = [case for case in cases if not case.alone]
    if shared:
        runs.append((shared, group.GROUP))
    runs += [([case], f'{group.GROUP}-{case.slug}') for case in cases if case.alone]
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(runs) or 1) as pool:
        for future in [pool.submit(_run_batch, env, group, batch, label) for batch, label in runs]:
            future.result()


def _run_batch(env, group, cases, label):
    hosts = {}
    for case in cases:
        for path in case.paths:
            name = f'{case.slug}-{path[0]}'
            try:
                spec = case.setup(env)
            except Exception:  # pylint: disable=broad-except
                case.outcome.expect(False, 'setup failed: ' + short(traceback.format_exc().splitlines()[-1]))
                continue
            spec.name, spec.path = name, path
            if path == 'module':
                spec.tasks = _force_module(spec.tasks)
            case.hosts.append(spec)
            hosts[name] = spec
    if not hosts:
        return
    tasks_dir = os.path.join(env.tmp, f'tasks-{label}')
    os.makedirs(tasks_dir, exist_ok=True)
    inventory = {'all': {'hosts': {}}}
    for name, spec in hosts.items():
        tasks_file = os.path.join(tasks_dir, f'{name}.yml')
        dump_tasks(spec.tasks, tasks_file)
        inventory['all']['hosts'][name] = local_host(case_tasks=tasks_file, **spec.variables)
    plays = [{'name': f'reliability: {group.GROUP}', 'hosts': 'all', 'gather_facts': False, 'strategy': 'free',
              'tasks': [{'name': 'Run the case', 'ansible.builtin.include_tasks': '{{ case_tasks }}'}]}]
    run = env.playbook(label, plays, inventory, forks=len(hosts), extra_env=getattr(group, 'PLAYBOOK_ENV', None),
                       extra_args=getattr(group, 'PLAYBOOK_ARGS', ()))
    for case in cases:
        for spec in case.hosts:
            view = HostView(run, spec)
            sub = Outcome()
            try:
                case.verify(view, sub)
            except Exception:  # pylint: disable=broad-except
                sub.expect(False, 'verify raised ' + short(traceback.format_exc().splitlines()[-1]))
            _merge(case.outcome, sub, spec.path if len(case.paths) > 1 else None)


def _merge(outcome, sub, label):
    prefix = f'{label}: ' if label else ''
    if sub.facts:
        outcome.note(prefix + '; '.join(sub.facts))
    for problem in sub.problems:
        outcome.expect(False, prefix + problem)


class HostView:
    """What ``verify`` sees of one host: its recorded results, its output lines, its simulators."""

    def __init__(self, run, spec):
        self.run = run
        self.spec = spec
        self.host = spec.name
        self.sims = spec.sims
        self.sim = spec.sims.get('sim')
        self.variables = spec.variables

    def step(self, name):
        return self.run.step(self.host, name)

    def record(self, name):
        """The raw record of task ``step:<name>`` (``time``: when its result came, ``started``: when it started)."""
        return next((record for record in self.run.records
                     if record['host'] == self.host and record['task'] == f'step:{name}'), None)

    @property
    def output(self):
        return in_order_lines(self.run.output, self.host)


# ------------------------------------------------------------------------------------------------- main

def main(argv=None):
    args = parse_args(argv)
    started = time.monotonic()
    groups = [g for g in GROUPS if not args.group or g.GROUP in args.group]
    env = Env(collections_path(), keep=args.keep, verbose=args.verbose)
    all_cases = []
    try:
        for group in groups:
            cases = [c for c in group.CASES if not args.case or args.case.lower() in c.name.lower()]
            all_cases.extend(cases)
            group_start = time.monotonic()
            print(f'reliability: group {group.GROUP}, {len(cases)} cases ...', flush=True)
            batched = [c for c in cases if c.batched]
            if batched:
                run_batch(env, group, batched)
            custom = [c for c in cases if not c.batched]
            parallel = [c for c in custom if getattr(c, 'parallel', False)]
            with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, len(parallel))) as pool:
                list(pool.map(lambda case: _run_custom(env, case), parallel))
            for case in custom:
                if case not in parallel:
                    _run_custom(env, case)
            done = [c for c in cases if c.outcome.passed]
            print(f'reliability: group {group.GROUP} done in {time.monotonic() - group_start:.0f} s: {len(done)} passed, '
                  f'{len(cases) - len(done)} failed', flush=True)
        if env.watcher.errors:
            print('watcher errors:\n' + '\n'.join(env.watcher.errors), file=sys.stderr)
    finally:
        env.close()
    elapsed = time.monotonic() - started
    passed = sum(1 for case in all_cases if case.outcome.passed)
    failed = len(all_cases) - passed
    print()
    print_matrix(all_cases)
    table = markdown_table(all_cases)
    summary = (f'{passed} passed, {failed} failed in {elapsed:.0f} s ({len(env.runs)} ansible-playbook runs, '
               f'{sum(len(text) for dummy, text in env.outputs) / 1e6:.1f} MB of output scanned)')
    print('\nMarkdown (tests/reliability/results.md):\n')
    print(table)
    if not args.no_write and not args.group and not args.case:
        with open(os.path.join(HERE, 'results.md'), 'w', encoding='utf-8') as handle:
            handle.write('# Reliability matrix\n\nGenerated by `make reliability` (tests/reliability/run_matrix.py): '
                         + summary + '.\n\n' + table)
    print(f'Total: {summary}')
    print(f'reliability: {passed} passed, {failed} failed')
    return 1 if failed else 0


def _run_custom(env, case):
    start = time.monotonic()
    try:
        case.run(env, case.outcome)
    except Exception:  # pylint: disable=broad-except
        case.outcome.expect(False, 'raised ' + short(traceback.format_exc().splitlines()[-1]))
    case.seconds = time.monotonic() - start


if __name__ == '__main__':
    sys.exit(main())
