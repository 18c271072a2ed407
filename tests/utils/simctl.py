# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Start and stop simulated RS clusters in the background (used by the Makefile, Molecule and the demo).

    python tests/utils/simctl.py start STATE_DIR [--speed 10] [--profile 7.4.0] [-- extra run.py arguments, e.g. --no-v2]
    python tests/utils/simctl.py stop STATE_DIR

`start` returns once the simulator accepts TLS connections, and prints its URL.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_PY = os.path.join(os.path.dirname(HERE), 'simulator', 'run.py')


def _read(path):
    try:
        with open(path, encoding='utf-8') as handle:
            return handle.read().strip()
    except OSError:
        return None


def _port_open(url):
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=1):
            return True
    except OSError:
        return False


class SimulatorStartError(RuntimeError):
    """The simulator exited or did not listen in time; the message points at its log."""


def launch(state_dir, speed, extra=(), wait=30.0):
    """Start ``run.py`` in the background on a free port; return ``(process, url)`` once it accepts connections."""
    os.makedirs(state_dir, exist_ok=True)
    try:
        os.remove(os.path.join(state_dir, 'url'))
    except OSError:
        pass
    cmd = [sys.executable, RUN_PY, '--port', '0', '--state-dir', state_dir, '--speed', str(speed)] + list(extra)
    with open(os.path.join(state_dir, 'simulator.log'), 'ab') as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,  # pylint: disable=consider-using-with
                                start_new_session=True)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SimulatorStartError(f'simulator exited with {proc.returncode}; see {state_dir}/simulator.log')
        url = _read(os.path.join(state_dir, 'url'))
        if url and _port_open(url):
            return proc, url.rstrip('/')
        time.sleep(0.1)
    proc.terminate()
    raise SimulatorStartError(f'simulator did not start within {wait} s; see {state_dir}/simulator.log')


def start(state_dir, speed, extra, wait=30.0):
    stop(state_dir, quiet=True)
    try:
        os.remove(os.path.join(state_dir, 'pid'))
    except OSError:
        pass
    try:
        proc, url = launch(state_dir, speed, extra, wait)
    except SimulatorStartError as exc:
        sys.stderr.write(f'{exc}\n')
        return 1
    with open(os.path.join(state_dir, 'pid'), 'w', encoding='utf-8') as handle:
        handle.write(str(proc.pid))
    print(url)
    return 0


def stop(state_dir, quiet=False):
    pid = _read(os.path.join(state_dir, 'pid'))
    if not pid:
        return 0
    try:
        os.kill(int(pid), signal.SIGTERM)
    except (OSError, ValueError):
        return 0
    for dummy in range(50):
        try:
            os.kill(int(pid), 0)
        except OSError:
            break
        time.sleep(0.1)
    else:
        try:
            os.kill(int(pid), signal.SIGKILL)
        except OSError:
            pass
    if not quiet:
        print(f'stopped simulator {pid}')
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('command', choices=('start', 'stop'))
    parser.add_argument('state_dir')
    parser.add_argument('--speed', type=float, default=10.0)
    parser.add_argument('--profile', help='RS version profile for run.py (latest, 7.4.0, 7.8, 7.22, 8.0.2, 8.0.16, 8.2.0)')
    args, extra = parser.parse_known_args(argv)
    args.extra = [arg for arg in extra if arg != '--']
    if args.profile:
        args.extra += ['--profile', args.profile]
    state_dir = os.path.abspath(args.state_dir)
    if args.command == 'start':
        return start(state_dir, args.speed, args.extra)
    return stop(state_dir)


if __name__ == '__main__':
    sys.exit(main())
