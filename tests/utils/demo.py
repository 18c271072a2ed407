# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""`make demo`: build and install the collection, start a simulated cluster, run the role, print a summary.

The simulator keeps running after the demo, so a second `make demo` shows that nothing changes.
`make demo-stop` stops it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEMO = os.path.join(ROOT, '.demo')
SIM_DIR = os.path.join(DEMO, 'sim')
BIN = os.path.dirname(sys.executable)
USER, PASSWORD = 'admin@example.com', 'sim-S3cret-pw'


def step(text):
    print(f'\n==> {text}', flush=True)


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, cwd=ROOT, **kwargs)


def install_collection():
    step('Building and installing the collection into .demo/collections')
    dist = os.path.join(DEMO, 'dist')
    shutil.rmtree(dist, ignore_errors=True)
    run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', '--output-path', dist, '--force'], stdout=subprocess.DEVNULL)
    tarball = [name for name in os.listdir(dist) if name.endswith('.tar.gz')][0]
    # The install path is the configured collections path, so ansible-galaxy has nothing to warn about.
    collections = os.path.join(DEMO, 'collections')
    run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '--force', '-p', collections,
         os.path.join(dist, tarball)], stdout=subprocess.DEVNULL, env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections))


def simulator_url():
    """Reuse the demo's simulator when it still runs, so a second run shows that nothing changes."""
    url_file = os.path.join(SIM_DIR, 'url')
    pid_file = os.path.join(SIM_DIR, 'pid')
    if os.path.exists(url_file) and os.path.exists(pid_file):
        try:
            with open(pid_file, encoding='utf-8') as handle:
                os.kill(int(handle.read().strip()), 0)
            with open(url_file, encoding='utf-8') as handle:
                url = handle.read().strip()
            step(f'Reusing the simulated cluster at {url}')
            return url
        except (OSError, ValueError):
            pass
    step('Starting a simulated cluster (HTTPS with its own CA, realistic durations: several seconds per creation)')
    out = run([sys.executable, os.path.join(ROOT, 'tests', 'utils', 'simctl.py'), 'start', SIM_DIR, '--speed', '1'],
              stdout=subprocess.PIPE, text=True)
    url = out.stdout.strip().splitlines()[-1]
    print(f'    {url}  (CA bundle: {os.path.relpath(SIM_DIR, ROOT)}/ca.pem)')
    return url


def summary(results_file, elapsed):
    with open(results_file, encoding='utf-8') as handle:
        results = json.load(handle)
    rows = [('name', 'uid', 'status', 'endpoint', 'outcome', 'wait')]
    for entry in results:
        endpoint = ''
        if entry.get('endpoints'):
            first = entry['endpoints'][0]
            endpoint = f"{first.get('dns_address_name') or (first.get('addr') or ['?'])[0]}:{first.get('port')}"
        rows.append((entry['name'], str(entry.get('uid')), entry.get('status', ''), endpoint, entry.get('outcome', ''),
                     f"{float(entry.get('elapsed') or 0):.1f} s"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    step(f'Summary (playbook wall time {elapsed:.1f} s)')
    for index, row in enumerate(rows):
        print('    ' + '  '.join(cell.ljust(width) for cell, width in zip(row, widths)))
        if index == 0:
            print('    ' + '  '.join('-' * width for width in widths))


def main():
    os.makedirs(DEMO, exist_ok=True)
    install_collection()
    url = simulator_url()
    results_file = os.path.join(DEMO, 'results.json')
    if os.path.exists(results_file):
        os.remove(results_file)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(DEMO, 'collections'), ANSIBLE_FORCE_COLOR='0',
               REDIS_ENTERPRISE_URL=url, REDIS_ENTERPRISE_USER=USER, REDIS_ENTERPRISE_PASSWORD=PASSWORD,
               REDIS_ENTERPRISE_CA_PATH=os.path.join(SIM_DIR, 'ca.pem'), RS_DEMO_RESULTS=results_file)
    env.pop('REDIS_ENTERPRISE_INSECURE', None)
    step('Running demo/provision.yml: create the databases, wait for all of them in one step, verify')
    start = time.monotonic()
    proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', os.path.join(ROOT, 'demo', 'inventory.yml'),
                           os.path.join(ROOT, 'demo', 'provision.yml')],
                          cwd=ROOT, env=env, check=False)
    elapsed = time.monotonic() - start
    if os.path.exists(results_file):
        summary(results_file, elapsed)
    print('\nThe simulated cluster keeps running: run `make demo` again to see that nothing changes, '
          '`make demo-stop` to stop it.')
    return proc.returncode


if __name__ == '__main__':
    sys.exit(main())
