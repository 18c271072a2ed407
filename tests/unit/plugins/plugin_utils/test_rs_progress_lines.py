# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Progress lines printed on the controller."""

from __future__ import annotations

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_actions import ACTION_KEYS
from ansible_collections.redis_enterprise.software.plugins.plugin_utils.rs_progress_lines import (
    format_progress_line,
    format_summary_line,
    progress_lines,
)

UID = '0b6f3a52-8d1e-4c57-9a55-2f1c7d0e9b41'


def act(status='running', progress=None, name='SMCreateBDB', object_name='bdb:3', **extra):
    action = dict((key, None) for key in ACTION_KEYS)
    action.update(action_uid=UID, name=name, status=status, api_status=status, progress=progress,
                  object_name=object_name, action_type='state-machine', raw={'action_uid': UID})
    action.update(extra)
    return action


def test_format_progress_line():
    assert format_progress_line(act(progress=40.7), 12.9) == 'bdb:3 SMCreateBDB running 40% (12 s)'
    assert format_progress_line(act(object_name=None, progress=None, status='queued'), 3) == 'SMCreateBDB queued (3 s)'
    assert format_progress_line(act(name=None, object_name=None, progress=None), 0) == '%s running (0 s)' % UID
    assert format_progress_line(act(status='unknown', api_status='weird'), 1) == 'bdb:3 SMCreateBDB status weird (1 s)'
    unseen = act(name=None, object_name=None, status='unknown', api_status=None, raw=None)
    assert format_progress_line(unseen, 2) == '%s not reported by RS yet (2 s)' % UID


def test_summary_line_for_many_actions():
    actions = [act(status='completed')] * 12 + [act(status='running')] * 38
    assert format_summary_line(actions, 12.2) == '50 actions: 12 completed, 38 running (12 s)'
    assert progress_lines(actions, 12.2) == ['50 actions: 12 completed, 38 running (12 s)']
    assert len(progress_lines(actions[:5], 1)) == 5
