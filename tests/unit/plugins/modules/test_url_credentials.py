# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Credentials written into ``url`` never reach a module's output, whatever fails first."""

from __future__ import annotations

import json

import pytest

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_client
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_client import (
    connection_argument_spec,
    mask_url_credentials,
)
from ansible_collections.redis_enterprise.software.plugins.modules import (
    rs_action_info,
    rs_action_wait,
    rs_database,
    rs_database_action,
    rs_database_info,
    rs_node_action,
)

SECRET = 'Url-Pa55word'
URL = 'https://admin:%s@cluster.example.com:9443' % SECRET


@pytest.mark.parametrize('url, masked', [
    ('https://admin:pw@cluster:9443', 'https://********@cluster:9443'),
    ('https://admin@cluster:9443', 'https://********@cluster:9443'),
    ('https://a:p/w@x#y@cluster:9443', 'https://********@cluster:9443'),   # '/', '#' and '@' in the password
    ('admin:pw@cluster:9443', '********@cluster:9443'),                    # no scheme
    ('https://cluster:9443', 'https://cluster:9443'),
    (None, None),
])
def test_mask_url_credentials(url, masked):
    assert mask_url_credentials(url) == masked


def test_url_type_is_str_for_the_docs_and_masks_for_the_validator():
    spec = connection_argument_spec()
    assert spec['url']['type'] == 'str'
    result = ArgumentSpecValidator(spec).validate({'url': URL, 'username': 'u', 'password': 'p'})
    assert result.validated_parameters['url'] == 'https://********@cluster.example.com:9443'
    assert not result.error_messages


def test_url_from_the_environment_is_masked_too(monkeypatch):
    monkeypatch.setenv(rs_client.ENV_URL, URL)
    result = ArgumentSpecValidator(connection_argument_spec()).validate({'username': 'u', 'password': 'p'})
    assert SECRET not in json.dumps(result.validated_parameters)


@pytest.mark.parametrize('module, args', [
    (rs_action_info, dict(uid=5)),                                    # wrong type: a later option fails first
    (rs_action_info, dict(no_such_option=1)),                         # unsupported option
    (rs_action_wait, dict(uid='a', object_name='bdb:1')),             # mutually exclusive options
    (rs_action_wait, dict(uid='a', timeout='soon')),                  # a number that is not one
    (rs_database, dict(name='db', state='gone')),                     # a choice outside the list
    (rs_database, dict(name='db')),                                   # valid options: the url itself is refused
])
def test_credentials_in_url_never_reach_the_module_output(run_module, module, args):
    failed, result = run_module(module.main, dict(args, url=URL, username='admin', password='pw-option'))
    assert failed
    output = json.dumps(result)
    assert SECRET not in output
    assert 'admin:' not in output
    assert result['invocation']['module_args']['url'] == 'https://********@cluster.example.com:9443'


@pytest.mark.parametrize('value', [float('inf'), float('-inf'), float('nan'), 'inf', 'NaN'])
def test_request_timeout_infinite_or_nan_is_a_clear_error(value):
    spec = connection_argument_spec()
    assert spec['request_timeout']['type'] == 'float'
    result = ArgumentSpecValidator(spec).validate({'url': 'https://cluster:9443', 'request_timeout': value})
    assert result.error_messages
    message = result.error_messages[0]
    assert "argument 'request_timeout'" in message
    assert 'unable to convert to float' in message and 'is not a finite number' in message


@pytest.mark.parametrize('value, expected', [(12, 12.0), ('2.5', 2.5), (30.0, 30.0)])
def test_finite_types_convert_like_ansible(value, expected):
    assert rs_client.FINITE_FLOAT(value) == expected
    assert rs_client.FINITE_INT(int(expected)) == int(expected)
    with pytest.raises(TypeError):
        rs_client.FINITE_INT(float('inf'))


def test_action_wait_timeout_inf_fails_without_traceback(run_module):
    failed, result = run_module(rs_action_wait.main, dict(uid='abc', timeout=float('inf'), url='https://cluster:9443',
                                                          username='admin', password='pw'))
    assert failed
    assert 'timeout' in result['msg'] and 'not a finite number' in result['msg']


@pytest.mark.parametrize('params, hidden', [
    ({'url': 'https://u:pw@h:9443'}, {'u:pw', 'pw'}),
    ({'url': 'u:pw@h:9443'}, {'u:pw', 'pw'}),                                    # no scheme: masked all the same
    ({'config': {'authentication_redis_pass': 'a', 'authentication_sasl_pass': 'b', 'replication': True,
                 'port': 12000, 'name': 'x'}}, {'a', 'b'}),
    ({'config': {'backup_location': {'type': 's3', 'access_key_id': 'id', 'secret_access_key': 'k'}}}, {'k'}),
    ({'params': {'dataset_import_sources': [{'type': 'ftp', 'credentials': {'user': 'u', 'password': 'p2'}}]}},
     {'u', 'p2'}),
    ({'config': {'passwords': ['p3', 'p4'], 'shard_key_regex': [{'regex': '.*'}]}}, {'p3', 'p4'}),
    ({'params': {'export_location': {'type': 'url', 'url': 'ftp://bk:Ftp-pw@backup.example.com/x/'}}},
     {'bk:Ftp-pw', 'Ftp-pw'}),                                                  # credentials in a URL value
    ({'config': {'proxy_policy': 'all-nodes', 'url': 'https://example.com/a@b'}}, set()),   # '@' in the path only
    ({'config': {'authentication_redis_pass': ''}, 'password': 'pw'}, set()),    # the password option is no_log
    (None, set()),
])
def test_option_secrets(params, hidden):
    assert rs_client.option_secrets(params) == hidden


INF = float('inf')


class RecordingSession:
    """A session that records any request (none is expected) and answers nothing."""

    def __init__(self, sent):
        self.sent = sent

    def request(self, method, url, **kwargs):
        self.sent.append((method, url))
        raise AssertionError('a request was sent: %s %s' % (method, url))

    def close(self):
        pass


@pytest.mark.parametrize('module, args, option', [
    (rs_database, dict(name='db', memory_size='1GB', uid=INF), 'uid'),
    (rs_database, dict(name='db', memory_size='1GB', wait=True, wait_timeout=INF), 'wait_timeout'),
    (rs_database, dict(name='db', memory_size='1GB', wait=True, wait_timeout=float('nan')), 'wait_timeout'),
    (rs_database_action, dict(uid=INF, action='rebalance'), 'uid'),
    (rs_database_action, dict(name='db', action='rebalance', wait=True, wait_timeout=INF), 'wait_timeout'),
    (rs_node_action, dict(node=INF, action='maintenance_on'), 'node'),
    (rs_node_action, dict(node=1, action='maintenance_on', wait=True, wait_timeout=INF), 'wait_timeout'),
    (rs_database_info, dict(uid=[INF]), 'uid'),
])
def test_every_integer_option_refuses_infinity_and_nan_before_any_request(run_module, monkeypatch, module, args, option):
    """Not an OverflowError (a traceback, "cannot convert Infinity to integer"): a message naming the option."""
    sent = []
    monkeypatch.setattr(rs_client, 'new_session', lambda: RecordingSession(sent))
    failed, result = run_module(module.main, dict(args, url='https://cluster:9443', username='admin', password='pw'))
    assert failed
    assert option in result['msg'] and 'not a finite number' in result['msg']
    assert 'exception' not in result
    assert sent == []


def test_action_info_name_is_matched_whole(run_module, monkeypatch):
    """A trailing newline (YAML's ``name: >``) is refused before any request, as rs_action_wait does."""
    sent = []
    monkeypatch.setattr(rs_client, 'new_session', lambda: RecordingSession(sent))
    failed, result = run_module(rs_action_info.main, dict(name='SMCreateBDB\n', url='https://cluster:9443',
                                                          username='admin', password='pw'))
    assert failed and 'name must be' in result['msg']
    assert sent == []


def test_answer_secrets_are_the_secrets_rs_echoes_not_sentences():
    answer = {'database': {'authentication_redis_pass': 'p1', 'sync_sources': [{'uri': 'redis://:p2@10.0.0.5:12000'}],
                           'name': 'db'},
              'msg': 'url must not contain credentials (user:password@): give only scheme://host:port',
              'warnings': ['see https://docs.example.com/a@b and user@example.com']}
    assert rs_client.answer_secrets(answer) == {'p1', ':p2', 'p2'}
    assert rs_client.answer_secrets('text') == set()


@pytest.mark.parametrize('value', [1e300, 3601])
def test_request_timeout_beyond_an_hour_is_refused_before_any_request(run_module, monkeypatch, value):
    """1e300 s is finite, but overflowed the socket's timeout (a traceback: timestamp out of range)."""
    sent = []
    monkeypatch.setattr(rs_client, 'new_session', lambda: RecordingSession(sent))
    failed, result = run_module(rs_action_info.main, dict(request_timeout=value, url='https://cluster:9443',
                                                          username='admin', password='pw'))
    assert failed and 'request_timeout must be at most 3600 seconds' in result['msg']
    assert 'exception' not in result and sent == []
