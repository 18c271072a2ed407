# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """``wait`` and ``wait_timeout`` of the modules that start work (``await_argument_spec()`` in
    ``module_utils/rs_await.py``)."""

    # Keep in sync with await_argument_spec(): validate-modules compares the two.
    DOCUMENTATION = r'''
options:
  wait:
    description:
      - Whether to wait until the background work that the module started (or found running) has finished.
      - The wait runs the same loop as M(redis_enterprise.software.rs_action_wait) (adaptive polling, one
        deadline, tolerance of transient faults); its C(actions) and C(elapsed) are returned.
      - The module fails when the awaited work fails, or when it is still running after O(wait_timeout) seconds;
        the work then goes on in the background, and running the task again waits for it again.
      - Without a wait, the module returns as soon as RS accepted the request; wait later with
        M(redis_enterprise.software.rs_action_wait) on the returned C(action_uid).
      - Ignored in check mode.
    type: bool
    default: false
  wait_timeout:
    description:
      - How many seconds O(wait=true) waits at most, in total.
      - Must be greater than V(0).
    type: int
    default: 600
'''
