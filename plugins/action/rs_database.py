# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin of ``rs_database``: runs the module's logic in the controller process for local connections.

A module run costs a packaged module and a new Python process (about half a second of CPU); the ``rs_provision``
role runs ``rs_database`` once per database. When the task runs on the controller anyway, this plugin runs the very
same code (``module_utils/rs_bdb_run.run_database``) here, ``wait`` included; otherwise it runs the module as usual.
See ``plugin_utils/rs_in_process.InProcessAction``.
"""

from __future__ import annotations

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb_run import (
    database_argument_spec,
    run_database,
)
from ansible_collections.redis_enterprise.software.plugins.plugin_utils.rs_in_process import InProcessAction


class ActionModule(InProcessAction):
    MODULE_NAME = 'redis_enterprise.software.rs_database'
    ARGUMENT_SPEC = staticmethod(database_argument_spec)
    RUN = staticmethod(run_database)
    DIFF = True
