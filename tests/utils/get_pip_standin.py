# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Offline stand-in for the pip bootstrap script that ansible-test downloads.

`make test` copies this file to ~/.ansible/test/cache/get_pip_<version>.py, where ansible-test looks
for a cached copy before it tries its download site (unreachable here). It installs pip from the
interpreter's own ensurepip wheel, in a child process because ensurepip clears the PIP_* environment
of its own process, then installs what ansible-test asked for.
"""

from __future__ import annotations

import subprocess
import sys


def main():
    subprocess.check_call([sys.executable, '-m', 'ensurepip'])
    args = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
    return subprocess.call([sys.executable, '-m', 'pip', 'install'] + args)


if __name__ == '__main__':
    sys.exit(main())
