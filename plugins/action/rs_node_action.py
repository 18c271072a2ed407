# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin of ``rs_node_action``: runs the module's logic in the controller process for local connections.

When the task runs on the controller anyway, this plugin runs the very same code as the module
(``module_utils/rs_ops_run.run_node_action``) here, ``wait`` included;
otherwise it runs the module as usual. The result is the same either way. See ``plugin_utils/rs_in_process.InProcessAction``.
"""

from __future__ import annotations

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_ops_run import (
    node_action_argument_spec,
    run_node_action,
)
from ansible_collections.redis_enterprise.software.plugins.plugin_utils.rs_in_process import InProcessAction


class ActionModule(InProcessAction):
    MODULE_NAME = 'redis_enterprise.software.rs_node_action'
    ARGUMENT_SPEC = staticmethod(node_action_argument_spec)
    RUN = staticmethod(run_node_action)
