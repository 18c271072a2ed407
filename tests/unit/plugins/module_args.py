# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""``patch_module_args`` on every supported ansible-core.

It comes from ``ansible.module_utils.testing`` on ansible-core 2.19+; on older cores (2.16) the same is done by
patching ``ansible.module_utils.basic._ANSIBLE_ARGS``.
"""

from __future__ import annotations

import contextlib
import json
from unittest import mock

from ansible.module_utils import basic
from ansible.module_utils.common.parameters import PASS_VARS
from ansible.module_utils.common.text.converters import to_bytes

try:
    from ansible.module_utils.testing import patch_module_args  # pylint: disable=unused-import
except ImportError:  # ansible-core < 2.19

    @contextlib.contextmanager
    def patch_module_args(args=None):
        """Expose ``args`` to the ``AnsibleModule`` instances created inside the context."""
        serialized = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args or {}}))
        with mock.patch.object(basic, '_ANSIBLE_ARGS', serialized):
            yield


def with_invocation(args):
    """``args`` plus the flag with which ansible-core 2.21+ returns ``invocation`` (as it does at -vvv or with
    ``INJECT_INVOCATION``); older cores always return it, and get ``args`` unchanged."""
    if 'inject_invocation' not in PASS_VARS:
        return dict(args)
    return dict(args, _ansible_inject_invocation=True)
