# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pytest plugin: ``PYTHONPATH=tests/simulator pytest -p rssim.pytest_plugin``.

Fixture ``rs_sim``: a fresh simulator per test (speed 50, HTTPS), an ``rssim.testing.SimHandle``.
Configure it by overriding the ``rs_sim_config`` fixture (a dict) or with ``@pytest.mark.rs_sim(v2=False, ...)``;
the marker wins.
"""

from __future__ import annotations

import pytest

from .testing import start_simulator

FAST = {'speed': 50.0}


def pytest_configure(config):
    config.addinivalue_line('markers', 'rs_sim(**config): configuration of the rs_sim fixture (rssim config keys)')


@pytest.fixture
def rs_sim_config():
    """Override to configure ``rs_sim`` for a module or a directory."""
    return {}


@pytest.fixture
def rs_sim(request, rs_sim_config):  # pylint: disable=redefined-outer-name
    config = dict(FAST)
    config.update(rs_sim_config)
    marker = request.node.get_closest_marker('rs_sim')
    if marker is not None:
        config.update(marker.kwargs)
    handle = start_simulator(**config)
    yield handle
    handle.stop()
