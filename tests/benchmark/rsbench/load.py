# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""How busy the machine was with OTHER work while the benchmark ran (figures from a busy machine are distorted)."""

from __future__ import annotations

import os
import resource
import time

CLOCK_TICKS = os.sysconf('SC_CLK_TCK')
OTHERS_WARNING = 0.05     # share of the machine's CPU used by other processes above which the run is flagged


def _machine_busy():
    """CPU seconds the whole machine spent busy (all cores), from /proc/stat."""
    with open('/proc/stat', encoding='ascii') as handle:
        fields = [int(value) for value in handle.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal ...
    busy = fields[0] + fields[1] + fields[2] + sum(fields[5:8])
    return busy / CLOCK_TICKS


def _ours():
    """CPU seconds used by this process and every child it has reaped (ansible-playbook runs, simulators)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


class LoadMeter:  # pylint: disable=too-few-public-methods
    """Start before the runs; ``stop()`` once every child process has been reaped."""

    def __init__(self):
        self.started = time.monotonic()
        self.busy = _machine_busy()
        self.ours = _ours()
        self.loadavg = os.getloadavg()[0]

    def stop(self):
        elapsed = time.monotonic() - self.started
        capacity = elapsed * (os.cpu_count() or 1)
        busy = _machine_busy() - self.busy
        ours = _ours() - self.ours
        return {
            'benchmark_share': round(ours / capacity, 3),
            'others_share': round(max(0.0, busy - ours) / capacity, 3),
            'loadavg_before': round(self.loadavg, 2),
            'quiet': max(0.0, busy - ours) / capacity <= OTHERS_WARNING,
        }
