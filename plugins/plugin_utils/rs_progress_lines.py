# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Progress lines of ``rs_action_wait``, printed on the controller while the wait runs (controller only)."""

from __future__ import annotations

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_actions import (
    STATUS_CANCELLED,
    STATUS_COMPLETED,
    STATUS_FAILED,
    STATUS_QUEUED,
    STATUS_RUNNING,
    STATUS_UNKNOWN,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait_text import percent_text, status_text

SUMMARY_THRESHOLD = 5         # more awaited actions than this: one summary line instead of one line each


def _age_text(seen_ago):
    """`` as of 8 s ago`` when the status shown is older than a second (printed between two polls)."""
    return ' as of %d s ago' % int(seen_ago) if seen_ago is not None and seen_ago >= 1 else ''


def format_progress_line(action, elapsed, seen_ago=None):
    """One progress line, e.g. ``bdb:3 SMCreateBDB running 40% (12 s)``.

    The object is left out when RS gave none, the progress when it is not a number. ``seen_ago``: how old the
    status is (seconds since the poll that saw it); from one second on the line says so (``running 40% as of 8 s
    ago (20 s)``), so that a percentage repeated during a long sleep does not read as fresh.
    """
    parts = []
    if action.get('object_name'):
        parts.append(action['object_name'])
    parts.append(action.get('name') or action.get('action_uid') or 'action')
    parts.append(status_text(action))
    if isinstance(action.get('progress'), (int, float)) and not isinstance(action.get('progress'), bool):
        parts.append(percent_text(action['progress']))
    return '%s%s (%d s)' % (' '.join(parts), _age_text(seen_ago), int(max(elapsed, 0)))


def format_summary_line(actions, elapsed, seen_ago=None):
    """One line for many actions, e.g. ``50 actions: 12 completed, 38 running (12 s)``."""
    counts = {}
    for action in actions:
        status = action.get('status') or STATUS_UNKNOWN
        counts[status] = counts.get(status, 0) + 1
    order = [STATUS_COMPLETED, STATUS_RUNNING, STATUS_QUEUED, STATUS_FAILED, STATUS_CANCELLED, STATUS_UNKNOWN]
    parts = ['%d %s' % (counts[status], status) for status in order if counts.get(status)]
    parts += ['%d %s' % (count, status) for status, count in sorted(counts.items()) if status not in order]
    summary = ', '.join(parts) or 'none seen yet'
    return '%d actions: %s%s (%d s)' % (len(actions), summary, _age_text(seen_ago), int(max(elapsed, 0)))


def progress_lines(actions, elapsed, seen_ago=None):
    """The lines to show for ``actions``: one per action, or one summary line for more than five."""
    if len(actions) > SUMMARY_THRESHOLD:
        return [format_summary_line(actions, elapsed, seen_ago)]
    return [format_progress_line(action, elapsed, seen_ago) for action in actions]


def retry_line(error, attempts, elapsed):
    """``retrying: <error> (3 failed attempts in a row) (12 s)``: printed while transient errors are retried."""
    return 'retrying: %s (%d failed attempt%s in a row) (%d s)' % (
        ' '.join(str(error).split()), attempts, '' if attempts == 1 else 's', int(max(elapsed, 0)))
