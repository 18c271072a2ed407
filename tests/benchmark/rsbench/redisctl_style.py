# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""redisctl-style waiting, rewritten as a small Python loop: fixed 5 s interval, ``GET /v1/actions/{uid}``.

This follows redisctl's ``poll_action`` (crates/redisctl-core/src/enterprise/progress.rs, as described in
docs/reference waiting-peers.md section 3.1): loop { past the timeout -> fail; GET /v1/actions/{uid};
completed -> return; failed or cancelled -> fail; else sleep the fixed interval }. Any request error fails at once.
Many actions are waited for one after the other, as a script calling it in a loop would.

    PYTHONPATH=tests/benchmark python -m rsbench.redisctl_style --url URL --ca CA --spec SPEC.json --out RESULT.json

It creates the actions first (like the playbooks do), then writes the wall-clock time at which the wait returned.
With ``--interval 1`` the same loop is the benchmark's bare "fixed 1 s polling" (``fixed1``); with ``--growth 1.5
--max-interval 10`` it is a plain backoff waiter (``backoff``: 1 s, x1.5 after every poll, at most 10 s), the policy
``rs_action_wait`` would follow without its finish-window prediction.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from rsbench.create_actions import create_actions, new_session, wait_for_go

INTERVAL = 5.0
TIMEOUT = 600.0


class ActionFailed(RuntimeError):
    pass


def poll_action(session, url, uid, interval=INTERVAL, timeout=TIMEOUT, counter=None, growth=1.0, max_interval=None):
    start = time.monotonic()
    while True:
        if time.monotonic() - start > timeout:
            raise ActionFailed(f'Task timed out after {timeout:.0f} s')
        response = session.get(f'{url}/v1/actions/{uid}', timeout=30, verify=session.verify)
        if counter is not None:
            counter.append(time.time())
        response.raise_for_status()
        action = response.json()
        status = action.get('status')
        if status == 'completed':
            return action
        if status in ('failed', 'cancelled'):
            raise ActionFailed(action.get('error') or f'Action {status}')
        time.sleep(interval)
        interval = min(interval * growth, max_interval or interval * growth)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--url', required=True)
    parser.add_argument('--ca', required=True)
    parser.add_argument('--spec', required=True)
    parser.add_argument('--out', required=True)
    parser.add_argument('--interval', type=float, default=INTERVAL)
    parser.add_argument('--timeout', type=float, default=TIMEOUT)
    parser.add_argument('--growth', type=float, default=1.0, help='interval factor after each poll (1: fixed)')
    parser.add_argument('--max-interval', type=float, help='upper bound of the interval when it grows')
    parser.add_argument('--ready')
    parser.add_argument('--go')
    args = parser.parse_args(argv)
    url = args.url.rstrip('/')
    with open(args.spec, encoding='utf-8') as handle:
        specs = json.load(handle)
    wait_for_go(args.ready, args.go)
    result = {'uids': [], 'polls': 0, 'error': None}
    with new_session(args.ca) as session:
        result['uids'] = create_actions(session, url, specs)
        started = time.time()
        sent = []
        try:
            for uid in result['uids']:
                poll_action(session, url, uid, interval=args.interval, timeout=args.timeout, counter=sent,
                            growth=args.growth, max_interval=args.max_interval)
        except (ActionFailed, OSError, ValueError) as exc:  # requests' errors are OSErrors
            result['error'] = str(exc)
        result['returned'] = time.time()
    result['started'] = started
    result['polls'] = len(sent)
    with open(args.out, 'w', encoding='utf-8') as handle:
        json.dump(result, handle)
    return 1 if result['error'] else 0


if __name__ == '__main__':
    sys.exit(main())
