# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""Controller only: ``ProgressPrinter`` shows the progress of ``rs_action_wait`` while the wait runs.

The action plugin passes ``printer.on_progress`` (called by the waiter after every poll) and ``printer.sleep``
(the waiter's sleep) to the waiter; the printer writes the lines of ``progress_lines()`` through ``emit``.
"""

from __future__ import annotations

import time

from ansible_collections.redis_enterprise.software.plugins.plugin_utils.rs_progress_lines import progress_lines

PROGRESS_EVERY = 5.0


class ProgressPrinter:
    """Prints progress lines: after a poll that changed a status, and at least every ``every`` seconds."""

    def __init__(self, emit, clock=time.monotonic, sleep=time.sleep, every=PROGRESS_EVERY, prefix=''):
        self.emit = emit
        self.clock = clock
        self._sleep = sleep
        self.every = every
        self.prefix = prefix
        self.waiter = None
        self.actions = None
        self.last_line = None

    def _print(self, elapsed):
        for line in progress_lines(self.actions, elapsed):
            self.emit(self.prefix + line)
        self.last_line = self.clock()

    def on_progress(self, snapshot):
        """Called by the waiter after every poll."""
        first = self.actions is None
        if snapshot.get('actions'):
            self.actions = snapshot['actions']
        elif first:
            return
        if first or snapshot.get('status_changed') or self.clock() - self.last_line >= self.every:
            self._print(snapshot['elapsed'])

    def sleep(self, seconds):
        """Sleep ``seconds`` in slices, printing the last known status whenever a line is due."""
        end = self.clock() + seconds
        while True:
            now = self.clock()
            if now >= end:
                return
            if self.actions is not None and self.last_line is not None and now - self.last_line >= self.every:
                self._print(self.waiter.elapsed() if self.waiter is not None else 0)
                continue
            due = end if self.last_line is None or self.actions is None else min(end, self.last_line + self.every)
            self._sleep(max(due - now, 0.0))
