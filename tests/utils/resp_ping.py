# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Send a Redis PING to HOST PORT and print the reply (PONG), without redis-cli.

    python tests/utils/resp_ping.py 127.0.0.1 12000
"""

from __future__ import annotations

import socket
import sys


def ping(host, port, timeout=5.0):
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(b'*1\r\n$4\r\nPING\r\n')
        reply = b''
        while not reply.endswith(b'\r\n'):
            chunk = sock.recv(64)
            if not chunk:
                break
            reply += chunk
    return reply.decode('utf-8', 'replace').strip().lstrip('+')


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    try:
        print(ping(argv[1], argv[2]))
    except OSError as exc:
        sys.stderr.write(f'PING {argv[1]}:{argv[2]} failed: {exc}\n')
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
