# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""rssim: a simulated Redis Enterprise Software (RS) cluster for demos and tests.

Start it with ``python tests/simulator/run.py`` or, inside a test process, with
``rssim.testing.start_simulator()``. See ``tests/simulator/README.md``.
"""

from __future__ import annotations

__version__ = '1.0.0'

ADMIN_USER = 'admin@example.com'
NOACCESS_USER = 'noaccess@example.com'
DEFAULT_PASSWORD = 'sim-S3cret-pw'
