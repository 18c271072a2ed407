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

from ansible_collections.redis_enterprise.software.plugins.plugin_utils.rs_progress_lines import progress_lines, retry_line

PROGRESS_EVERY = 5.0


class ProgressPrinter:
    """Prints progress lines: after a poll that changed a status, and at least every ``every`` seconds.

    While transient errors are retried, the line is ``retrying: <error> ...`` (at once, then at least every ``every``
    seconds). A status printed between two polls says how old it is (``running 40% as of 8 s ago``).
    """

    def __init__(self, emit, clock=time.monotonic, sleep=time.sleep, every=PROGRESS_EVERY, prefix=''):
        self.emit = emit
        self.clock = clock
        self._sleep = sleep
        self.every = every
        self.prefix = prefix
        self.waiter = None
        self.actions = None
        self.last_line = None
        self.snapshot = None

    def _elapsed(self):
        return self.waiter.elapsed() if self.waiter is not None else (self.snapshot or {}).get('elapsed', 0)

    def _print(self, elapsed, fresh=True):
        snapshot = self.snapshot or {}
        if snapshot.get('retrying'):
            lines = [retry_line(snapshot['retrying'], snapshot.get('attempts') or 1, elapsed)]
        else:
            seen_ago = None
            if not fresh and snapshot.get('last_poll') is not None:
                seen_ago = elapsed - snapshot['last_poll']
            lines = progress_lines(self.actions, elapsed, seen_ago)
        for line in lines:
            self.emit(self.prefix + line)
        self.last_line = self.clock()

    def _has_something(self):
        return self.actions is not None or bool((self.snapshot or {}).get('retrying'))

    def on_progress(self, snapshot):
        """Called by the waiter after every poll."""
        first = self.last_line is None
        retrying_before = bool((self.snapshot or {}).get('retrying'))
        self.snapshot = snapshot
        if snapshot.get('actions'):
            self.actions = snapshot['actions']
        if not self._has_something():
            return
        if snapshot.get('retrying'):
            due = first or not retrying_before or self.clock() - self.last_line >= self.every
        else:
            due = first or retrying_before or snapshot.get('status_changed') or self.clock() - self.last_line >= self.every
        if due:
            self._print(snapshot['elapsed'])

    def sleep(self, seconds):
        """Sleep ``seconds`` in slices, printing the last known status (or the retried error) whenever a line is due."""
        end = self.clock() + seconds
        while True:
            now = self.clock()
            if now >= end:
                return
            if self._has_something() and self.last_line is not None and now - self.last_line >= self.every:
                self._print(self._elapsed(), fresh=False)
                continue
            due = end if self.last_line is None or not self._has_something() else min(end, self.last_line + self.every)
            self._sleep(max(due - now, 0.0))
