# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""The options of ``rs_action_wait`` (the module and its action plugin): spec, checks, and the waiter they build.

``waiter_from_params()`` wires the database settler (``rs_bdb_settle.bdb_settler``) into the waiter, so the wait
loop (``rs_wait``) itself knows nothing about databases.
"""

from __future__ import annotations

import math

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_actions import (
    parse_object_name,
    validate_action_name,
    validate_action_uid,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb_settle import bdb_settler
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_client import (
    FINITE_FLOAT,
    FINITE_INT,
    connection_argument_spec,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSConfigError
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait import (
    DEFAULT_CONNECT_GRACE,
    MIN_POLL_INTERVAL,
    ActionWaiter,
)


def wait_argument_spec():
    """A fresh argument spec of ``rs_action_wait``: the connection options plus the wait options."""
    spec = connection_argument_spec()
    spec.update(
        uid=dict(type='list', elements='str', aliases=['uids', 'action_uid']),
        object_name=dict(type='str'),
        name=dict(type='str'),
        timeout=dict(type=FINITE_INT, default=600),
        poll_interval=dict(type=FINITE_FLOAT, default=1.0),
        max_poll_interval=dict(type=FINITE_FLOAT, default=10.0),
        missing_grace=dict(type=FINITE_FLOAT, default=30.0),
        connect_grace=dict(type=FINITE_FLOAT, default=DEFAULT_CONNECT_GRACE),
        fail_fast=dict(type='bool', default=True),
        api_version=dict(type='str', default='auto', choices=['auto', 'v1', 'v2']),
        stall_timeout=dict(type=FINITE_FLOAT, default=0.0),
        on_stall=dict(type='str', default='warn', choices=['warn', 'fail']),
    )
    return spec


def wait_module_kwargs():
    """The option rules of ``rs_action_wait``, for ``AnsibleModule`` and ``ArgumentSpecValidator`` alike."""
    return dict(
        mutually_exclusive=[['uid', 'object_name']],
        required_one_of=[['uid', 'object_name']],
        required_by={'name': ['object_name']},
    )


def _check_number(params, option, minimum=None, strict=False):
    value = params.get(option)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RSConfigError('%s must be a number of seconds; got %r' % (option, value)) from None
    if math.isnan(number) or math.isinf(number):
        raise RSConfigError('%s must be a finite number of seconds; got %r' % (option, value))
    if minimum is not None:
        if strict and not number > minimum:
            raise RSConfigError('%s must be greater than %g; got %g' % (option, minimum, number))
        if not strict and number < minimum:
            raise RSConfigError('%s must be %g or more; got %g' % (option, minimum, number))
    return number


def _check_targets(uids, object_name, name):
    """(uids deduplicated, object_name normalized): what to wait for."""
    if uids is not None and object_name is not None:
        raise RSConfigError('uid and object_name are mutually exclusive: give one of them')
    if uids is None and object_name is None:
        raise RSConfigError('one of uid or object_name is required')
    if name is not None and object_name is None:
        raise RSConfigError('name can only be used with object_name (it filters the actions of that object)')
    return uids, object_name


def _check_times(params):
    """The time options as floats, checked against each other."""
    timeout = _check_number(params, 'timeout', 0, strict=True)
    poll_interval = _check_number(params, 'poll_interval', MIN_POLL_INTERVAL)
    if poll_interval > timeout:
        raise RSConfigError('poll_interval (%g s) must not be greater than timeout (%g s)' % (poll_interval, timeout))
    max_poll_interval = _check_number(params, 'max_poll_interval', MIN_POLL_INTERVAL)
    if max_poll_interval < poll_interval:
        raise RSConfigError('max_poll_interval (%g s) must be greater than or equal to poll_interval (%g s)'
                            % (max_poll_interval, poll_interval))
    missing_grace = _check_number(params, 'missing_grace', 0)
    connect_grace = DEFAULT_CONNECT_GRACE
    if params.get('connect_grace') is not None:
        connect_grace = _check_number(params, 'connect_grace', 0)
    stall_timeout = _check_number(params, 'stall_timeout', 0) if params.get('stall_timeout') is not None else 0.0
    on_stall = params.get('on_stall') or 'warn'
    if on_stall not in ('warn', 'fail'):
        raise RSConfigError('on_stall must be warn or fail; got %r' % (on_stall,))
    request_timeout = params.get('request_timeout')
    if request_timeout is not None:
        request_timeout = _check_number(params, 'request_timeout', 0, strict=True)
    return dict(timeout=timeout, poll_interval=poll_interval, max_poll_interval=max_poll_interval,
                missing_grace=missing_grace, connect_grace=connect_grace, stall_timeout=stall_timeout,
                on_stall=on_stall, request_timeout=request_timeout)


def _clean_uids(uids):
    if uids is None:
        return None
    if isinstance(uids, str):
        uids = [uids]
    if not uids:
        raise RSConfigError('uid must list at least one action uid')
    clean_uids = []
    for uid in uids:
        validate_action_uid(uid)
        if uid not in clean_uids:
            clean_uids.append(uid)
    return clean_uids


def validate_wait_params(params):
    """Check the wait options before any request; raise ``RSConfigError`` naming the option.

    Returns a dict of normalized values: ``uids`` (deduplicated, in order), ``object_name`` (type in lowercase),
    ``name``, and the numbers as floats.
    """
    uids, object_name = _check_targets(params.get('uid'), params.get('object_name'), params.get('name'))
    name = params.get('name')
    values = _check_times(params)
    uids = _clean_uids(uids)
    if object_name is not None:
        object_name = '%s:%s' % parse_object_name(object_name)
    if name is not None:
        validate_action_name(name)
    values.update(uids=uids, object_name=object_name, name=name, fail_fast=bool(params.get('fail_fast', True)))
    return values


def waiter_from_params(api, client, params, **kwargs):
    """Validate ``params`` (the module's options) and build an ``ActionWaiter``; ``kwargs`` go to the waiter.

    The waiter settles a vanished action on a database through ``client`` (``rs_bdb_settle.bdb_settler``) unless
    ``kwargs`` gives another ``settle``.
    """
    values = validate_wait_params(params)
    request_timeout = values['request_timeout']
    if request_timeout is None:
        request_timeout = getattr(client, 'request_timeout', None) or 30.0
    kwargs.setdefault('settle', bdb_settler(client))
    return ActionWaiter(
        api, uids=values['uids'], object_name=values['object_name'], name=values['name'],
        timeout=values['timeout'], poll_interval=values['poll_interval'], max_poll_interval=values['max_poll_interval'],
        missing_grace=values['missing_grace'], connect_grace=values['connect_grace'], fail_fast=values['fail_fast'],
        request_timeout=request_timeout,
        stall_timeout=values['stall_timeout'], on_stall=values['on_stall'], **kwargs)
