# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Create synthetic actions through the simulator's control API and print their uids as a JSON list.

    PYTHONPATH=tests/benchmark python -m rsbench.create_actions --url URL --ca CA --spec SPEC.json --out UIDS.json

The playbooks call it from a ``pipe`` lookup (one controller-side process, no module run), so that the actions
start while the playbook runs, right before its wait task, as they would after an ``rs_database`` task.
The POSTs go to /_sim/ and are not counted as the strategy's requests.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import requests

USER = 'admin@example.com'
PASSWORD = 'sim-S3cret-pw'


def create_actions(session, url, specs):
    """POST each spec to /_sim/actions; return the uids in the order of ``specs``."""
    uids = []
    for spec in specs:
        response = session.post(url.rstrip('/') + '/_sim/actions', json=spec, timeout=30, verify=session.verify)
        response.raise_for_status()
        uids.append(response.json()['action_uid'])
    return uids


def wait_for_go(ready, go, timeout=300.0):
    """Tell the harness this job is ready (its ansible-playbook has started), then wait for its go signal.

    The harness releases the jobs of one wave at chosen moments, so that the CPU-heavy start of one
    ansible-playbook never overlaps the measured wait of another.
    """
    if not ready:
        return
    with open(ready, 'w', encoding='utf-8') as handle:
        handle.write(str(time.time()))
    deadline = time.monotonic() + timeout
    while not os.path.exists(go):
        if time.monotonic() > deadline:
            raise SystemExit(f'no go signal ({go}) within {timeout:.0f} s')
        time.sleep(0.005)


def new_session(ca_path, user=USER, password=PASSWORD):
    """A session that verifies with ``ca_path``. Callers pass ``verify=session.verify`` on each request: a
    session-level setting loses to REQUESTS_CA_BUNDLE when that is set in the environment."""
    session = requests.Session()
    session.auth = (user, password)
    session.verify = ca_path
    return session


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--url', required=True)
    parser.add_argument('--ca', required=True)
    parser.add_argument('--spec', required=True, help='JSON file: a list of action specs for POST /_sim/actions')
    parser.add_argument('--out', required=True, help='where to write the uids (JSON list)')
    parser.add_argument('--ready', help='file to create once started')
    parser.add_argument('--go', help='file to wait for before creating the actions')
    args = parser.parse_args(argv)
    with open(args.spec, encoding='utf-8') as handle:
        specs = json.load(handle)
    wait_for_go(args.ready, args.go)
    with new_session(args.ca) as session:
        uids = create_actions(session, args.url, specs)
    with open(args.out, 'w', encoding='utf-8') as handle:
        json.dump(uids, handle)
    sys.stdout.write(json.dumps(uids))
    return 0


if __name__ == '__main__':
    sys.exit(main())
