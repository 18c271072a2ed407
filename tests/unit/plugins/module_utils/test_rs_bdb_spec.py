# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests of plugins/module_utils/rs_bdb_spec.py: option checks and comparison (no I/O)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb_spec import (
    changes_to_send,
    compute_changes,
    diff_view,
    parse_memory_size,
    validate_bdb_uid,
    validate_config,
    validate_name,
    validate_params,
    values_equal,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSConfigError
from ansible_collections.redis_enterprise.software.tests.unit.plugins.module_utils.bdb_fakes import GIB, MIB, active_bdb


# ---------------------------------------------------------------------- parse_memory_size


@pytest.mark.parametrize('value, expected', [
    (1048576, MIB),
    (104857600, 104857600),
    ('104857600', 104857600),
    (' 1048576 ', MIB),
    ('100MB', 100 * MIB),
    ('100mb', 100 * MIB),
    ('512mb', 512 * MIB),
    ('100MiB', 100 * MIB),
    ('100M', 100 * MIB),
    ('100 MB', 100 * MIB),
    ('1GB', GIB),
    ('1gib', GIB),
    ('1G', GIB),
    ('1.5GB', 3 * GIB // 2),
    ('.5GB', GIB // 2),
    ('2.GB', 2 * GIB),
    ('1024KB', MIB),
    ('1024k', MIB),
    ('1TB', 1024 ** 4),
    ('1TiB', 1024 ** 4),
    ('1048576B', MIB),
    ('1048576 bytes', MIB),
    ('1.25MB', 1310720),
    (2097152.0, 2 * MIB),
    ('1MB', MIB),                 # the minimum
    ('1024TB', 1024 ** 5),        # the maximum
])
def test_parse_memory_size_valid(value, expected):
    assert parse_memory_size(value) == expected


def test_parse_memory_size_is_binary():
    # The decision the docs state: MB means 2**20, GB means 2**30.
    assert parse_memory_size('1MB') == 1048576
    assert parse_memory_size('1GB') == 1073741824
    assert parse_memory_size('1GB') == parse_memory_size('1GiB') == parse_memory_size('1024MB')


@pytest.mark.parametrize('value, fragment', [
    (0, 'greater than 0'),
    ('0', 'greater than 0'),
    ('0MB', 'greater than 0'),
    ('0.1B', 'whole number of bytes'),
    (1.5, 'whole number of bytes'),          # was 1 byte
    ('1.1MB', 'whole number of bytes (1153433.6)'),
    (1, 'at least 1MB'),
    ('1KB', 'is 1024 bytes: RS databases need at least 1MB'),
    ('1048575', 'at least 1MB'),
    (1e30, 'larger than 1024TB'),            # was sent to RS
    ('1025TB', 'larger than 1024TB'),
    (1024 ** 5 + 1, 'larger than 1024TB'),
    (-5, 'greater than 0'),
    ('-5MB', 'greater than 0'),
    ('', 'not a size'),
    ('   ', 'not a size'),
    ('MB', 'not a size'),
    ('abc', 'not a size'),
    ('1,5GB', 'not a size'),
    ('1e9', 'not a size'),
    ('10XB', 'unknown unit'),
    ('10 gigs', 'unknown unit'),
    ('1 G B', 'not a size'),
    ('nan', 'not a size'),
    ('inf', 'not a size'),
    (float('nan'), 'finite'),
    (float('inf'), 'finite'),
    (True, 'not True'),
    (None, 'not None'),
    ([1], 'not a list'),
    ({'size': 1}, 'not a dict'),
])
def test_parse_memory_size_invalid(value, fragment):
    with pytest.raises(RSConfigError) as exc_info:
        parse_memory_size(value)
    assert fragment in str(exc_info.value)
    assert 'memory_size' in str(exc_info.value)


# ---------------------------------------------------------------------- validate_name / uid / config


@pytest.mark.parametrize('name', ['a', 'A', '1', 'app-cache', 'App-Cache-01', '9lives', 'a' * 63, 'a-b-c', 'x1-2y'])
def test_validate_name_valid(name):
    assert validate_name(name) == name


@pytest.mark.parametrize('name, fragment', [
    ('', 'non-empty'),
    (None, 'non-empty'),
    (5, 'non-empty'),
    ('a' * 64, 'at most 63'),
    ('-app', 'not a valid database name'),
    ('app-', 'not a valid database name'),
    ('app_cache', 'not a valid database name'),
    ('app cache', 'not a valid database name'),
    ('app.cache', 'not a valid database name'),
    ('café', 'not a valid database name'),
    ('app/../x', 'not a valid database name'),
    ('-', 'not a valid database name'),
    ('nl-db\n', 'not a valid database name'),      # YAML's folded scalar (name: >) ends with a newline
    ('\nnl-db', 'not a valid database name'),
    ('nl-db\r', 'not a valid database name'),
])
def test_validate_name_invalid(name, fragment):
    with pytest.raises(RSConfigError) as exc_info:
        validate_name(name)
    assert fragment in str(exc_info.value)


def test_validate_bdb_uid():
    assert validate_bdb_uid(None) is None
    assert validate_bdb_uid(3) == 3
    assert validate_bdb_uid('7') == 7
    for bad in (0, -1, True, 'x', '1.5', 1.5, '7\n', ' 7', '07'):
        with pytest.raises(RSConfigError):
            validate_bdb_uid(bad)


def test_validate_config_rejects_reserved_keys_and_copies():
    original = {'replication': True, 'tags': [{'key': 'a', 'value': 'b'}]}
    copied = validate_config(original)
    assert copied == original and copied is not original
    assert validate_config(None) == {}
    for key in ('name', 'uid', 'memory_size'):
        with pytest.raises(RSConfigError) as exc_info:
            validate_config({key: 1})
        assert key in str(exc_info.value)
    with pytest.raises(RSConfigError):
        validate_config(['replication'])


@pytest.mark.parametrize('config, fragment', [
    ({'eviction_ratio': float('inf')}, 'config.eviction_ratio must be a finite number'),
    ({'tags': [{'value': float('nan')}]}, 'config.tags[0].value must be a finite number'),
    ({'a': json.loads('[' * 17 + '1' + ']' * 17)}, 'nested more than 16 levels'),
])
def test_validate_config_refuses_what_json_cannot_carry(config, fragment):
    with pytest.raises(RSConfigError) as exc_info:
        validate_config(config)
    assert fragment in str(exc_info.value)


def test_validate_params_normalises():
    params = validate_params('db1', 'present', '1GB', {'replication': True}, '4')
    assert params == dict(name='db1', state='present', memory_size=GIB, config={'replication': True}, uid=4,
                          update_password='on_create')
    with pytest.raises(RSConfigError):
        validate_params('db1', 'gone')


def test_update_password_is_validated():
    with pytest.raises(RSConfigError, match='update_password'):
        validate_params('app-cache', update_password='sometimes')


# ---------------------------------------------------------------------- comparison


def test_values_equal_rules():
    assert values_equal(1, 1.0)
    assert not values_equal(True, 1)
    assert not values_equal(1, True)
    assert values_equal(False, False)
    assert not values_equal('2', 2)
    assert values_equal({'a': 1}, {'a': 1, 'b': 2})  # extra keys RS returns are ignored
    assert not values_equal({'a': 1}, {'a': 2})
    assert values_equal({'secret': 'x'}, {})  # nested key not returned: not compared
    assert not values_equal({'a': 1}, [1])
    assert values_equal([{'module_name': 'search'}], [{'module_name': 'search', 'module_id': 'abc', 'semantic_version': '2.8.4'}])
    assert not values_equal([1, 2], [2, 1])
    assert not values_equal([1], [1, 2])
    assert values_equal(None, None)
    assert not values_equal(None, 0)


def test_compute_changes_only_differing_fields():
    current = active_bdb(memory_size=GIB, replication=False, eviction_policy='volatile-lru')
    changes, unreturned = compute_changes(current, {'memory_size': 2 * GIB, 'replication': False,
                                                    'eviction_policy': 'allkeys-lru'})
    assert changes == {'memory_size': 2 * GIB, 'eviction_policy': 'allkeys-lru'}
    assert unreturned == []


def test_compute_changes_ignores_keys_rs_does_not_return():
    current = active_bdb()
    changes, unreturned = compute_changes(current, {'authentication_redis_pass': 's3cret', 'replication': False})
    assert changes == {}
    assert unreturned == ['authentication_redis_pass']


def test_diff_view_shows_compared_fields():
    current = active_bdb(memory_size=GIB, replication=False)
    before, after = diff_view(current, {'memory_size': 2 * GIB, 'replication': False, 'write_only': 1})
    assert before == {'name': 'app-cache', 'memory_size': GIB, 'replication': False}
    assert after == {'name': 'app-cache', 'memory_size': 2 * GIB, 'replication': False}


@pytest.mark.parametrize('wanted, update_password, expected', [
    ({'memory_size': GIB}, 'on_create', {}),
    ({'memory_size': 2 * GIB}, 'on_create', {'memory_size': 2 * GIB}),
    ({'memory_size': 2 * GIB, 'authentication_redis_pass': 'pw'}, 'on_create', {'memory_size': 2 * GIB}),
    ({'memory_size': GIB, 'authentication_redis_pass': 'pw'}, 'on_create', {}),
    ({'memory_size': GIB, 'authentication_redis_pass': 'pw'}, 'always', {'authentication_redis_pass': 'pw'}),
    ({'memory_size': 2 * GIB, 'authentication_redis_pass': 'pw'}, 'always',
     {'memory_size': 2 * GIB, 'authentication_redis_pass': 'pw'}),
    ({'replication': False}, 'always', {}),
])
def test_changes_to_send(wanted, update_password, expected):
    """What an update sends: the differing fields, and with update_password=always the fields RS never returns."""
    current = active_bdb(memory_size=GIB)
    assert changes_to_send(current, wanted, update_password) == expected
    assert current == active_bdb(memory_size=GIB)  # the bdb object is left alone
