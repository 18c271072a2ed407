# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run a simulated Redis Enterprise Software cluster until SIGTERM or SIGINT.

    python tests/simulator/run.py --port 9443 --state-dir /tmp/rs-sim --speed 10

The first line on stdout is ``URL: https://127.0.0.1:PORT``. The state directory receives ``ca.pem`` (verify with
it), ``url``, ``pid`` and the server certificate and key. See tests/simulator/README.md.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import shutil
import signal
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from rssim.config import DEFAULTS, PROFILES, ConfigError, parse_user  # noqa: E402  pylint: disable=wrong-import-position
from rssim.server import Simulator  # noqa: E402  pylint: disable=wrong-import-position


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--host', default='127.0.0.1', help='address to listen on (default 127.0.0.1)')
    parser.add_argument('--port', type=int, default=9443, help='port (default 9443; 0 picks a free port)')
    parser.add_argument('--state-dir', help='directory for ca.pem, url, pid and the certificate (default: a temporary one)')
    parser.add_argument('--speed', type=float, help='global time factor: durations are divided by it (default 1)')
    parser.add_argument('--http', action='store_true', help='serve plain HTTP instead of HTTPS (tests only)')
    parser.add_argument('--no-v2', action='store_true', help='answer 404 on every /v2 path, like RS before 7.22')
    parser.add_argument('--profile', choices=tuple(PROFILES),
                        help='RS version profile (default latest); --no-v2 and --config keys win over it')
    parser.add_argument('--config', help='JSON file with configuration keys (see README.md)')
    parser.add_argument('--user', action='append', default=[], metavar='NAME:PASSWORD:ROLE',
                        help='add a user, or replace the user of that name (repeatable)')
    parser.add_argument('--cert-name', help='issue the server certificate for this host name only (mismatch tests)')
    parser.add_argument('--data-plane', choices=('auto', 'builtin', 'redis', 'off'),
                        help='what listens on database ports (default auto)')
    parser.add_argument('--quiet', action='store_true', help='do not log requests to stderr')
    return parser.parse_args(argv)


def build_config(args):
    config = {}
    if args.config:
        with open(args.config, encoding='utf-8') as handle:
            config = json.load(handle)
        if not isinstance(config, dict):
            raise ConfigError(f'{args.config} must hold a JSON object')
    if args.profile:
        config['profile'] = args.profile
    if args.speed is not None:
        config['speed'] = args.speed
    if args.no_v2:
        config['v2'] = False
    if args.data_plane:
        config['data_plane'] = args.data_plane
    if args.user:
        users = {user['name']: user for user in config.get('users', DEFAULTS['users'])}
        for text in args.user:
            user = parse_user(text)
            users[user['name']] = user
        config['users'] = list(users.values())
    return config


def main(argv=None):
    args = parse_args(argv)
    try:
        config = build_config(args)
    except (OSError, ValueError) as exc:
        sys.stderr.write(f'rssim: {exc}\n')
        return 2
    try:
        if not ipaddress.ip_address(args.host).is_loopback:
            sys.stderr.write(f'rssim: warning: listening on {args.host}, which is not a loopback address\n')
    except ValueError:
        pass
    own_dir = not args.state_dir
    state_dir = os.path.abspath(args.state_dir or tempfile.mkdtemp(prefix='rs-sim-'))
    try:
        simulator = Simulator(config, host=args.host, port=args.port, state_dir=state_dir, http=args.http,
                              cert_name=args.cert_name, log_requests=not args.quiet).start()
    except (OSError, ValueError) as exc:
        sys.stderr.write(f'rssim: cannot start: {exc}\n')
        return 1
    pid_file = os.path.join(state_dir, 'pid')
    with open(pid_file, 'w', encoding='utf-8') as handle:
        handle.write(f'{os.getpid()}\n')
    print(f'URL: {simulator.url}', flush=True)
    print(f'CA: {simulator.ca_path}', flush=True)
    print(f'Control: {simulator.url}/_sim/', flush=True)

    stop = threading.Event()

    def on_signal(signum, frame):
        del signum, frame
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    while not stop.wait(0.5):
        pass
    simulator.stop()
    if os.path.exists(pid_file):
        os.remove(pid_file)
    if own_dir:
        shutil.rmtree(state_dir, ignore_errors=True)
    print('stopped', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
