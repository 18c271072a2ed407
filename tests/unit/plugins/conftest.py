# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fixtures for every unit test: a clean environment and a fake HTTP session for the real client."""

from __future__ import annotations

from unittest import mock

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_client
from ansible_collections.redis_enterprise.software.tests.unit.plugins.fake_http import RoutedSession

ENV_VARS = (
    'REDIS_ENTERPRISE_URL',
    'REDIS_ENTERPRISE_USER',
    'REDIS_ENTERPRISE_PASSWORD',
    'REDIS_ENTERPRISE_INSECURE',
    'REDIS_ENTERPRISE_CA_PATH',
)


@pytest.fixture(autouse=True)
def clean_rs_environment(monkeypatch):
    """Tests never see the REDIS_ENTERPRISE_* variables of the shell that runs them."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def session_for(monkeypatch):
    """``session_for(routes)`` makes the client use a ``RoutedSession`` over ``routes`` (no network) and returns it."""

    def _install(routes):
        session = RoutedSession(routes)
        monkeypatch.setattr(rs_client, 'new_session', mock.Mock(return_value=session))
        return session

    return _install
