# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run every gate of `make test` in turn, keep going after a failure, and print a summary.

Each gate is a Makefile target. The output of each gate is streamed and also kept in .build/logs/.
The exit status is non-zero when any gate failed.
"""

from __future__ import annotations

import glob
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOGS = os.path.join(ROOT, '.build', 'logs')

# (target, what it checks, a path that must exist for the gate to apply)
GATES = [
    ('lint', 'ansible-lint, production profile + role-argument-spec', None),
    ('docs-lint', 'antsibull-docs lint-collection-docs --plugin-docs', None),
    ('changelog-lint', 'antsibull-changelog lint', None),
    ('sanity', 'ansible-test sanity (newest, no ignore file)', None),
    ('units', 'ansible-test units (newest)', 'tests/unit'),
    ('units-2.16', 'ansible-test units (2.16)', 'tests/unit'),
    ('simulator-tests', 'simulator pytest suite', 'tests/simulator/tests'),
    ('tooling-tests', 'pytest of the gate tooling (example extraction, artifact check)', 'tests/utils/tests'),
    ('integration', 'ansible-test integration vs simulator (newest)', 'tests/integration/targets'),
    ('integration-2.16', 'ansible-test integration vs simulator (2.16)', 'tests/integration/targets'),
    ('examples', 'README and module EXAMPLES vs simulator, --check and normal (newest) + ansible-lint', None),
    ('examples-2.16', 'README and module EXAMPLES vs simulator, --check and normal (2.16)', None),
    ('artifact', 'make demo, then the built artifact is clean and small', None),
    ('ee', 'ansible-builder create accepts meta/execution-environment.yml', 'meta/execution-environment.yml'),
    ('e2e', 'playbook-level tests (progress lines, fan-out)', 'tests/e2e'),
    ('molecule', 'molecule test --all', 'extensions/molecule/default/molecule.yml'),
    ('reliability', 'hostile-conditions matrix', 'tests/reliability/run_matrix.py'),
    ('bench-smoke', 'benchmark smoke run', 'tests/benchmark/run.py'),
]

COUNT_RE = re.compile(r'(\d+) (passed|failed|error|errors|skipped)\b')
# pytest's closing line, e.g. '==== 498 passed, 2 skipped in 2.31s ===='
PYTEST_RE = re.compile(r'\d+ (passed|failed)\b.* in [0-9.]+s\b')
# The closing line of a suite that is not pytest, e.g. 'reliability: 64 passed, 0 failed'.
TOTAL_RE = re.compile(r'^[a-z]+: \d+ passed, \d+ failed$')


def run_gate(target):
    os.makedirs(LOGS, exist_ok=True)
    log_path = os.path.join(LOGS, f'{target}.log')
    counts = {}
    start = time.monotonic()
    with open(log_path, 'w', encoding='utf-8') as log:
        with subprocess.Popen(['make', '--no-print-directory', target], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, bufsize=1) as proc:
            for line in proc.stdout:
                sys.stdout.write(line)
                log.write(line)
                if PYTEST_RE.search(line) or TOTAL_RE.match(line.strip()):
                    for number, word in COUNT_RE.findall(line):
                        word = 'errors' if word == 'error' else word
                        counts[word] = counts.get(word, 0) + int(number)
            returncode = proc.wait()
    return returncode, time.monotonic() - start, counts


def main():
    subprocess.run(['make', '--no-print-directory', 'versions'], cwd=ROOT, check=False)
    results = []
    for target, what, needs in GATES:
        if needs and not glob.glob(os.path.join(ROOT, needs)):
            results.append((target, what, 'n/a', 0.0, {}))
            continue
        print(f'\n=== make {target}: {what}', flush=True)
        returncode, elapsed, counts = run_gate(target)
        results.append((target, what, 'PASS' if returncode == 0 else 'FAIL', elapsed, counts))

    print('\n' + '=' * 100)
    print(f"{'gate':<18} {'result':<6} {'time':>8}  {'tests':<24} what")
    total_tests = {'passed': 0, 'failed': 0}
    for target, what, status, elapsed, counts in results:
        tests = ', '.join(f'{value} {key}' for key, value in sorted(counts.items()))
        for key in total_tests:
            total_tests[key] += counts.get(key, 0)
        print(f'{target:<18} {status:<6} {elapsed:>7.1f}s  {tests:<24} {what}')
    passed = sum(1 for r in results if r[2] == 'PASS')
    failed = sum(1 for r in results if r[2] == 'FAIL')
    print('=' * 100)
    print(f"pytest-based tests: {total_tests['passed']} passed, {total_tests['failed']} failed")
    print(f'gates: {passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
