# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The options of rs_action_wait: spec, rules and checks."""

from __future__ import annotations

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSConfigError
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait_params import (
    validate_wait_params,
    wait_argument_spec,
    wait_module_kwargs,
)

UID = '0b6f3a52-8d1e-4c57-9a55-2f1c7d0e9b41'

GOOD = dict(uid=[UID], timeout=60, poll_interval=1.0, max_poll_interval=10.0, missing_grace=30.0, fail_fast=True)


@pytest.mark.parametrize('change, option', [
    (dict(timeout=0), 'timeout'),
    (dict(poll_interval=0), 'poll_interval'),
    (dict(poll_interval=-1), 'poll_interval'),
    (dict(timeout=5, poll_interval=10), 'poll_interval'),
    (dict(max_poll_interval=0.5), 'max_poll_interval'),
    (dict(missing_grace=-1), 'missing_grace'),
    (dict(missing_grace=float('nan')), 'missing_grace'),
    (dict(stall_timeout=-1), 'stall_timeout'),
    (dict(uid=['']), 'uid'),
    (dict(uid=['a/b']), 'uid'),
    (dict(uid=['a b']), 'uid'),
    (dict(uid=['..']), 'uid'),
    (dict(uid=['x' * 201]), 'uid'),
    (dict(uid=[]), 'uid'),
    (dict(uid=None, object_name='bdb'), 'object_name'),
    (dict(uid=None, object_name='bdb:3/x'), 'object_name'),
    (dict(uid=None, object_name='bdb:3', name=''), 'name'),
    (dict(name='SMCreateBDB'), 'name'),
    (dict(object_name='bdb:3'), 'mutually exclusive'),
    (dict(uid=None), 'required'),
])
def test_invalid_options_are_rejected_with_the_option_named(change, option):
    params = dict(GOOD, **change)
    with pytest.raises(RSConfigError) as info:
        validate_wait_params(params)
    assert option in str(info.value)


def test_valid_object_name_is_normalized():
    values = validate_wait_params(dict(GOOD, uid=None, object_name='BDB:3', name='SMUpdateBDB'))
    assert values['object_name'] == 'bdb:3'
    assert values['uids'] is None


def test_argument_spec_and_rules():
    spec = wait_argument_spec()
    assert spec['uid']['aliases'] == ['uids', 'action_uid']
    assert spec['timeout'] == dict(type='int', default=600)
    assert spec['password']['no_log'] is True
    assert spec is not wait_argument_spec()
    rules = wait_module_kwargs()
    assert rules['mutually_exclusive'] == [['uid', 'object_name']]
    assert rules['required_one_of'] == [['uid', 'object_name']]
    assert rules['required_by'] == {'name': ['object_name']}
