# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared fixtures: ``rs_sim`` (from rssim.pytest_plugin) and ``api``, a requests session for it."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from rssim.pytest_plugin import pytest_configure, rs_sim, rs_sim_config  # noqa: E402,F401,F811  pylint: disable=wrong-import-position,unused-import
from rssim_helpers import Api  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture
def api(rs_sim):  # noqa: F811  pylint: disable=redefined-outer-name
    client = Api(rs_sim)
    yield client
    client.close()
