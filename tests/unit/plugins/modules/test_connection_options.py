# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""``url`` is not marked required (it may come from module_defaults or the environment), yet a missing url
fails every module before any request, with a message that says where to set it."""

from __future__ import annotations

from unittest import mock

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_client
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_client import connection_argument_spec
from ansible_collections.redis_enterprise.software.plugins.modules import rs_action_info, rs_action_wait, rs_database
from ansible_collections.redis_enterprise.software.tests.unit.plugins.fake_http import RoutedSession


def test_url_is_not_marked_required():
    assert 'required' not in connection_argument_spec()['url']


@pytest.mark.parametrize('module, args', [
    (rs_action_info, dict()),
    (rs_action_wait, dict(uid='abc')),
    (rs_database, dict(name='db')),
])
def test_missing_url_fails_before_any_request(run_module, monkeypatch, module, args):
    monkeypatch.delenv(rs_client.ENV_URL, raising=False)
    session = RoutedSession({})
    with mock.patch.object(rs_client, 'new_session', return_value=session):
        failed, result = run_module(module.main, dict(args, username='admin', password='pw'))
    assert failed
    assert result['msg'].startswith('url is required')
    assert rs_client.ENV_URL in result['msg']
    assert session.calls == []
