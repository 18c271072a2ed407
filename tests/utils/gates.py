# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run every gate of `make test`, several at a time, keep going after a failure, and print a summary.

Each gate is a Makefile target. The collection copy is made once (`make copy`); the gates then run with
RS_COPY_READY=1 so that none of them rebuilds it under another. A gate's output goes to .build/logs/<gate>.log and is
printed whole when the gate ends. The exit status is non-zero when any gate failed.

Scheduling: each gate has a CPU weight (the cores it keeps busy: the integration gates run several ansible-test
processes at once; the simulator and e2e suites mostly wait on simulated clusters) and gates start, in the order of
GATES, while the weights of the running ones fit in --cpus (default: 1.25 per core of this machine). Gates of one
exclusive group never overlap (ansible-test writes tests/output/ inside the one copy). The summary gives each gate's
wall time and CPU time (its processes' user + system time).
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOGS = os.path.join(ROOT, '.build', 'logs')


class Gate:  # pylint: disable=too-few-public-methods
    """A Makefile target: what it checks, a path that must exist for it to apply, its CPU weight, its group."""

    def __init__(self, target, what, needs=None, weight=1.0, group=None):
        self.target, self.what, self.needs, self.weight, self.group = target, what, needs, weight, group


# In start order: the longest first, so that the short ones fill the cores around it. The weights are the cores each
# keeps busy on average (measured: CPU time / wall time when run alone on 2 cores). The suites that check timings
# against the wall clock (reliability, e2e, the simulator's own tests) come last and never run together.
GATES = [
    Gate('integration', 'ansible-test integration vs simulator (newest)', 'tests/integration/targets', weight=1.5),
    Gate('lint', 'ansible-lint, production profile + role-argument-spec', weight=0.9),
    Gate('sanity', 'ansible-test sanity (newest, no ignore file)', weight=0.9, group='ansible-test'),
    Gate('integration-2.16', 'ansible-test integration vs simulator (2.16)', 'tests/integration/targets', weight=0.5),
    Gate('bench-smoke', 'benchmark smoke run (checks the harness, not the figures)', 'tests/benchmark/run.py',
         weight=0.8),
    Gate('units', 'ansible-test units (newest)', 'tests/unit', weight=0.9, group='ansible-test'),
    Gate('units-2.16', 'ansible-test units (2.16)', 'tests/unit', weight=0.9, group='ansible-test'),
    Gate('docs-lint', 'antsibull-docs lint-collection-docs --plugin-docs', weight=0.9),
    Gate('examples', 'README and module EXAMPLES vs simulator, --check and normal (newest) + ansible-lint', weight=0.6),
    Gate('examples-2.16', 'README and module EXAMPLES vs simulator, --check and normal (2.16)', weight=0.6),
    Gate('examples-2.19', 'README and module EXAMPLES vs simulator, --check and normal (2.19 + requests only)',
         weight=0.6),
    Gate('molecule', 'molecule test --all', 'extensions/molecule/default/molecule.yml', weight=0.8),
    Gate('artifact', 'make demo, then the built artifact is clean and small', weight=0.4),
    Gate('ee', 'ansible-builder create accepts meta/execution-environment.yml', 'meta/execution-environment.yml',
         weight=0.2),
    Gate('tooling-tests', 'pytest of the gate tooling (example extraction, artifact check)', 'tests/utils/tests',
         weight=0.2),
    Gate('changelog-lint', 'antsibull-changelog lint', weight=0.2),
    Gate('reliability', 'hostile-conditions matrix', 'tests/reliability/run_matrix.py', weight=1.5, group='timed'),
    Gate('e2e', 'playbook-level tests (progress lines, fan-out)', 'tests/e2e', weight=0.7, group='timed'),
    Gate('simulator-tests', 'simulator pytest suite', 'tests/simulator/tests', weight=0.6, group='timed'),
]

COUNT_RE = re.compile(r'(\d+) (passed|failed|error|errors|skipped)\b')
# pytest's closing line, e.g. '==== 498 passed, 2 skipped in 2.31s ===='
PYTEST_RE = re.compile(r'\d+ (passed|failed)\b.* in [0-9.]+s\b')
# The closing line of a suite that is not pytest, e.g. 'reliability: 64 passed, 0 failed'.
TOTAL_RE = re.compile(r'^[a-z]+: \d+ passed, \d+ failed$')

PRINT_LOCK = threading.Lock()


def count_tests(lines):
    """The test counts that the closing lines of the suites in ``lines`` report."""
    counts = {}
    for line in lines:
        if PYTEST_RE.search(line) or TOTAL_RE.match(line.strip()):
            for number, word in COUNT_RE.findall(line):
                word = 'errors' if word == 'error' else word
                counts[word] = counts.get(word, 0) + int(number)
    return counts


def run_gate(gate, env):
    """Run one gate; return (returncode, wall seconds, CPU seconds, test counts). Prints its log when it ends."""
    os.makedirs(LOGS, exist_ok=True)
    log_path = os.path.join(LOGS, f'{gate.target}.log')
    start = time.monotonic()
    with open(log_path, 'w', encoding='utf-8') as log:
        proc = subprocess.Popen(  # pylint: disable=consider-using-with
            ['make', '--no-print-directory', gate.target], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        # wait4 gives the CPU time of this gate's processes alone, although other gates run beside it.
        dummy, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - start
    with open(log_path, encoding='utf-8', errors='replace') as log:
        lines = log.readlines()
    with PRINT_LOCK:
        print(f'\n=== make {gate.target}: {gate.what} ({"PASS" if proc.returncode == 0 else "FAIL"}, {elapsed:.1f} s)',
              flush=True)
        sys.stdout.writelines(lines)
        sys.stdout.flush()
    return proc.returncode, elapsed, usage.ru_utime + usage.ru_stime, count_tests(lines)


def schedule(gates, cpus, run):
    """Run each of ``gates`` with ``run(gate)``, several at once within ``cpus`` of weight and never two of one group
    together; return {target: what ``run`` returned}."""
    results, running, pending = {}, {}, list(gates)
    done = threading.Condition()

    def work(gate):
        outcome = run(gate)
        with done:
            results[gate.target] = outcome
            del running[gate.target]
            done.notify()

    with done:
        while pending or running:
            busy = sum(gate.weight for gate in running.values())
            groups = set(gate.group for gate in running.values() if gate.group)
            startable = [gate for gate in pending if gate.group not in groups]
            # The first startable gate that fits; one always starts when nothing runs.
            chosen = next((gate for gate in startable if not running or busy + gate.weight <= cpus + 1e-9), None)
            if chosen is None:
                done.wait()
                continue
            pending.remove(chosen)
            running[chosen.target] = chosen
            threading.Thread(target=work, args=(chosen,), daemon=True).start()
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--cpus', type=float, default=float(os.environ.get('GATES_CPUS') or 1.25 * (os.cpu_count() or 2)),
                        help='CPU weight that may run at once (default: GATES_CPUS, or 1.25 per core: the gates also wait on '
                        'simulated clusters)')
    parser.add_argument('gates', nargs='*', help='run only these gates (default: all)')
    opts = parser.parse_args(argv)
    subprocess.run(['make', '--no-print-directory', 'versions'], cwd=ROOT, check=False)
    if subprocess.run(['make', '--no-print-directory', 'copy'], cwd=ROOT, check=False).returncode != 0:
        return 1
    env = dict(os.environ, RS_COPY_READY='1')
    wanted = [gate for gate in GATES if not opts.gates or gate.target in opts.gates]
    applicable = [gate for gate in wanted if not gate.needs or glob.glob(os.path.join(ROOT, gate.needs))]
    started = time.monotonic()
    print(f'gates: {len(applicable)} gates, up to {opts.cpus:g} CPUs of weight at once; logs in {LOGS}', flush=True)
    results = schedule(applicable, opts.cpus, lambda gate: run_gate(gate, env))
    wall = time.monotonic() - started

    print('\n' + '=' * 108)
    print(f"{'gate':<18} {'result':<6} {'wall':>8} {'cpu':>8}  {'tests':<24} what")
    total_tests = {'passed': 0, 'failed': 0}
    passed = failed = 0
    cpu_total = 0.0
    for gate in wanted:
        if gate.target not in results:
            print(f"{gate.target:<18} {'n/a':<6} {'':>8} {'':>8}  {'':<24} {gate.what}")
            continue
        returncode, elapsed, cpu, counts = results[gate.target]
        tests = ', '.join(f'{value} {key}' for key, value in sorted(counts.items()))
        for key in total_tests:
            total_tests[key] += counts.get(key, 0)
        passed, failed = passed + (returncode == 0), failed + (returncode != 0)
        cpu_total += cpu
        print(f"{gate.target:<18} {'PASS' if returncode == 0 else 'FAIL':<6} {elapsed:>7.1f}s {cpu:>7.1f}s  "
              f"{tests:<24} {gate.what}")
    print('=' * 108)
    print(f"pytest-based tests: {total_tests['passed']} passed, {total_tests['failed']} failed")
    print(f'gates: {passed} passed, {failed} failed in {wall:.0f} s of wall time, {cpu_total:.0f} s of CPU')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
