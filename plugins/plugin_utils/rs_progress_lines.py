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


def format_progress_line(action, elapsed):
    """One progress line, e.g. ``bdb:3 SMCreateBDB running 40% (12 s)``.

    The object is left out when RS gave none, the progress when it is not a number.
    """
    parts = []
    if action.get('object_name'):
        parts.append(action['object_name'])
    parts.append(action.get('name') or action.get('action_uid') or 'action')
    parts.append(status_text(action))
    if isinstance(action.get('progress'), (int, float)) and not isinstance(action.get('progress'), bool):
        parts.append(percent_text(action['progress']))
    return '%s (%d s)' % (' '.join(parts), int(max(elapsed, 0)))


def format_summary_line(actions, elapsed):
    """One line for many actions, e.g. ``50 actions: 12 completed, 38 running (12 s)``."""
    counts = {}
    for action in actions:
        status = action.get('status') or STATUS_UNKNOWN
        counts[status] = counts.get(status, 0) + 1
    order = [STATUS_COMPLETED, STATUS_RUNNING, STATUS_QUEUED, STATUS_FAILED, STATUS_CANCELLED, STATUS_UNKNOWN]
    parts = ['%d %s' % (counts[status], status) for status in order if counts.get(status)]
    parts += ['%d %s' % (count, status) for status, count in sorted(counts.items()) if status not in order]
    return '%d actions: %s (%d s)' % (len(actions), ', '.join(parts) or 'none seen yet', int(max(elapsed, 0)))


def progress_lines(actions, elapsed):
    """The lines to show for ``actions``: one per action, or one summary line for more than five."""
    if len(actions) > SUMMARY_THRESHOLD:
        return [format_summary_line(actions, elapsed)]
    return [format_progress_line(action, elapsed) for action in actions]
