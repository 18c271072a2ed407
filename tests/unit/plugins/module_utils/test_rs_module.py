# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The module edge (plugins/module_utils/rs_module.py): one client, one failure format, the client closed."""

from __future__ import annotations

import json
from unittest import mock

import pytest

from ansible.module_utils import basic

from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_client
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    RSConfigError,
    RSHTTPError,
    error_message,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_module import RSModule, rs_error_result
from ansible_collections.redis_enterprise.software.tests.unit.plugins.fake_http import FakeResponse, RoutedSession
from ansible_collections.redis_enterprise.software.tests.unit.plugins.module_args import patch_module_args

URL = 'https://cluster.example.com:9443'
PASSWORD = 'Sup3r-s3cret-pw'
CONNECTION = dict(url=URL, username='admin@example.com', password=PASSWORD)


class ClosingSession(RoutedSession):
    closed = 0

    def close(self):
        self.closed += 1


@pytest.fixture
def session(monkeypatch):
    session = ClosingSession({'/v1/bdbs/3': {'uid': 3, 'name': 'app-cache'},
                              '/v1/bdbs/4': FakeResponse(400, {'error_code': 'invalid_schema',
                                                               'description': "'foo' was unexpected"})})
    monkeypatch.setattr(rs_client, 'new_session', mock.Mock(return_value=session))
    return session


@pytest.fixture(autouse=True)
def module_side_of_ansible(monkeypatch):
    """Modules run with ansible-core 2.19's ``is_controller`` flag off (see tests/unit/plugins/modules/conftest.py)."""
    try:
        from ansible.module_utils import _internal
    except ImportError:  # ansible-core < 2.19
        return
    monkeypatch.setattr(_internal, 'is_controller', False, raising=False)


def main():
    """A module written the way every module of the collection is."""
    module = RSModule(argument_spec=dict(uid=dict(type='int', required=True)), supports_check_mode=True)
    with module.errors_reported():
        if module.params['uid'] < 1:
            raise RSConfigError('uid must be 1 or more')
        database = module.client(read_retries=2).get(('v1', 'bdbs', module.params['uid']))
    module.exit_json(changed=False, database=database)


def run(capsys, args):
    with patch_module_args(args):
        with pytest.raises(SystemExit) as exit_info:
            main()
    result = json.loads(capsys.readouterr().out)
    assert (exit_info.value.code not in (0, None)) == bool(result.get('failed'))
    return result


def test_success_closes_the_client(capsys, session):
    result = run(capsys, dict(CONNECTION, uid=3))
    assert result['database'] == {'uid': 3, 'name': 'app-cache'}
    assert [call['path'] for call in session.calls] == ['/v1/bdbs/3']
    assert session.closed == 1


def test_rs_error_is_one_message_with_the_rs_keys(capsys, session):
    result = run(capsys, dict(CONNECTION, uid=4))
    assert result['failed'] is True
    assert result['msg'] == "RS rejected the request (400 invalid_schema): 'foo' was unexpected"
    assert result['status'] == 400
    assert result['error_code'] == 'invalid_schema'
    assert result['description'] == "'foo' was unexpected"
    assert session.closed == 1
    assert PASSWORD not in json.dumps(result)


def test_error_before_the_client_sends_nothing(capsys, session):
    result = run(capsys, dict(CONNECTION, uid=0))
    assert result['failed'] is True
    assert result['msg'] == 'uid must be 1 or more'
    assert not {'status', 'error_code', 'description'} & set(result)
    assert session.calls == []
    assert session.closed == 0


def test_missing_requests_reports_missing_required_lib(session):
    fail_json = mock.Mock(side_effect=SystemExit(1))
    with mock.patch.object(rs_client, 'HAS_REQUESTS', False), \
            mock.patch.object(rs_client, 'REQUESTS_IMPORT_ERROR', 'Traceback: no requests'), \
            mock.patch.object(basic.AnsibleModule, 'fail_json', fail_json), \
            patch_module_args(dict(CONNECTION, uid=3)):
        with pytest.raises(SystemExit):
            main()
    kwargs = fail_json.call_args.kwargs
    assert kwargs['msg'].startswith('Failed to import the required Python library (requests)')
    assert kwargs['exception'] == 'Traceback: no requests'
    assert session.calls == []


def test_credentials_in_the_url_are_hidden_from_the_output(capsys, session):
    result = run(capsys, dict(CONNECTION, url='https://admin:t0p-secret@cluster.example.com:9443', uid=3))
    assert result['failed'] is True
    assert 'url must not contain credentials' in result['msg']
    assert 't0p-secret' not in json.dumps(result)
    assert session.calls == []


def test_http_url_warns(capsys, session):
    result = run(capsys, dict(CONNECTION, url='http://cluster.example.com:8080', uid=3))
    assert result.get('failed') in (None, False)
    assert len(result['warnings']) == 1
    assert 'clear text' in json.dumps(result['warnings'][0])  # a string, or a structured warning on 2.19


def test_rs_error_result_keys():
    error = RSHTTPError('RS rejected the request (400)', status=400, error_code='invalid_schema', description='bad')
    assert rs_error_result(error) == dict(msg='RS rejected the request (400) (error_code: invalid_schema; description: bad)',
                                          status=400, error_code='invalid_schema', description='bad')
    assert rs_error_result(RSConfigError('plain')) == dict(msg='plain')


def test_error_message_adds_code_and_description_once():
    exc = RSHTTPError('RS rejected the request (400)', status=400, error_code='invalid_schema',
                      description="Additional properties are not allowed ('foo' was unexpected)")
    assert error_message(exc) == ("RS rejected the request (400) (error_code: invalid_schema; "
                                  "description: Additional properties are not allowed ('foo' was unexpected))")
    exc2 = RSHTTPError('RS rejected the request (406 invalid_sharding): bad sharding', status=406,
                       error_code='invalid_sharding', description='bad sharding')
    assert error_message(exc2) == 'RS rejected the request (406 invalid_sharding): bad sharding'
    assert error_message(RSConfigError('plain')) == 'plain'
