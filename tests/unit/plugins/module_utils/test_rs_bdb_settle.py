# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests of plugins/module_utils/rs_bdb_settle.py: the database settler, against a fake client (no network)."""

from __future__ import annotations

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb_settle import bdb_settler
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSHTTPError, RSNotFound


# ---------------------------------------------------------------------- settling a vanished action


class BdbStatusClient:
    """GET /v1/bdbs/<uid> answers ``answer`` (a status, an exception, or None for a non-object body)."""

    def __init__(self, answer):
        self.answer = answer
        self.calls = []

    def get(self, path, timeout=None):
        self.calls.append((path, timeout))
        if isinstance(self.answer, Exception):
            raise self.answer
        return {'uid': 3, 'status': self.answer} if self.answer is not None else ['not', 'an', 'object']


def vanished(object_name='bdb:3'):
    return {'action_uid': 'a1', 'name': 'SMCreateBDB', 'status': 'running', 'object_name': object_name}


@pytest.mark.parametrize('answer, outcome, detail', [
    ('active', 'completed', None),
    ('creation-failed', 'failed', 'database bdb:3 is in status creation-failed: the creation failed'),
    ('pending', None, None),
    ('active-change-pending', None, None),
    ('import-pending', None, None),
    ('recovery', None, None),
    ('delete-pending', 'unknown', 'database bdb:3 is in status delete-pending; its outcome is unknown'),
    (None, 'unknown', 'database bdb:3 is in status None; its outcome is unknown'),
    (RSNotFound('no such bdb', status=404), 'unknown', 'database bdb:3 does not exist (404); its outcome is unknown'),
])
def test_bdb_settler_reads_the_database(answer, outcome, detail):
    client = BdbStatusClient(answer)
    settled = bdb_settler(client)(vanished(), 4.5)
    assert (settled.outcome, settled.detail) == (outcome, detail)
    assert client.calls == [(('v1', 'bdbs', '3'), 4.5)]


@pytest.mark.parametrize('object_name', ['node:1', None, 'bdb: 3', 'cluster:1'])
def test_bdb_settler_knows_only_databases(object_name):
    client = BdbStatusClient('active')
    assert bdb_settler(client)(vanished(object_name), 4.5) is None
    assert client.calls == []


def test_bdb_settler_sends_nothing_past_the_deadline():
    client = BdbStatusClient('active')
    settled = bdb_settler(client)(vanished(), None)
    assert (settled.outcome, settled.detail) == (None, None)
    assert client.calls == []


def test_bdb_settler_lets_other_errors_through():
    client = BdbStatusClient(RSHTTPError('RS failed (503)', status=503))
    with pytest.raises(RSHTTPError):
        bdb_settler(client)(vanished(), 4.5)


# ---------------------------------------------------------------------- every kind of action, status and listing

NOT_OVER = 'database bdb:3 is active again, which it is after %s whether it worked or not: RS did not report the outcome'
RS166122 = '; RS before 8.0.2-17 could keep listing a finished state machine as running (RS166122)'
GONE = RSNotFound('no such bdb', status=404)


class BdbClient:
    """GET /v1/bdbs/3 answers a bdb of status ``answer`` with ``action_uid``; an exception is raised, a non-str
    answer is returned as it is (None: an empty body)."""

    def __init__(self, answer, action_uid=None):
        self.answer = answer
        self.action_uid = action_uid

    def get(self, path, timeout=None):
        if isinstance(self.answer, Exception):
            raise self.answer
        if isinstance(self.answer, str):
            return {'uid': 3, 'status': self.answer, 'action_uid': self.action_uid}
        return self.answer


@pytest.mark.parametrize('name, answer, listed, progress, bdb_action, outcome, detail', [
    # a creation
    ('SMCreateBDB', 'active', False, 50, None, 'completed', None),
    ('SMCreateBDB', 'active', True, 50, 'a1', 'completed', None),
    ('SMCreateBDB', 'creation-failed', True, 50, 'a1', 'failed',
     'database bdb:3 is in status creation-failed: the creation failed'),
    ('SMCreateBDB', GONE, True, 100, None, None, None),
    ('SMCreateBDB', None, False, 50, None, 'unknown', 'database bdb:3 does not exist (404); its outcome is unknown'),
    ('SMCreateBDB', ['a'], False, 50, None, 'unknown', 'database bdb:3 is in status None; its outcome is unknown'),
    ('SMCreateBDB', 'pending', True, 100, None, None, None),
    # a deletion (RS documents no state machine: any name with "delete" in it)
    ('SMDeleteBDB', GONE, False, 50, None, 'completed', None),
    ('delete_bdb', None, True, 50, None, 'completed', None),
    ('SMDeleteBDB', 'delete-pending', False, 50, None, None, None),
    ('SMDeleteBDB', 'active', True, 50, None, None, None),
    ('SMDeleteBDB', 'active', False, 50, None, 'unknown',
     'database bdb:3 is in status active after its deletion; its outcome is unknown'),
    # an update
    ('SMUpdateBDB', 'active', False, 50, None, 'finished-unknown', NOT_OVER % 'an update' + '. Check the database'),
    ('SMUpdateBDB', 'active', True, 50, 'a1', 'finished-unknown',
     NOT_OVER % 'an update' + RS166122 + '. Check the database'),
    ('SMUpdateBDB', 'active-change-pending', False, 50, None, None, None),
    ('SMUpdateBDB', 'creation-failed', False, 50, None, 'unknown',
     'database bdb:3 is in status creation-failed; its outcome is unknown'),
    ('SMUpdateBDB', 'creation-failed', True, 50, None, None, None),
    # any other action: only the database's own action_uid, or 100 %, tells a listed one is over
    ('SMRecoverBDB', 'active', False, 50, None, 'finished-unknown', NOT_OVER % 'such an action' + '. Check the database'),
    ('SMRecoverBDB', 'active', True, 50, 'a1', None, None),
    ('SMRecoverBDB', 'active', True, True, 'a1', None, None),
    ('SMRecoverBDB', 'active', True, 100, 'a1', 'finished-unknown',
     NOT_OVER % 'such an action' + RS166122 + '. Check the database'),
    ('SMRecoverBDB', 'active', True, 50, 'a2', 'finished-unknown',
     NOT_OVER % 'such an action' + RS166122 + '. Check the database'),
    ('SMRecoverBDB', 'active', True, 50, '', 'finished-unknown',
     NOT_OVER % 'such an action' + RS166122 + '. Check the database'),
    ('SMRecoverBDB', 'recovery', False, 50, None, None, None),
    ('SMRecoverBDB', 'import-pending', False, 50, None, None, None),
    ('SMRecoverBDB', GONE, False, 50, None, 'unknown', 'database bdb:3 does not exist (404); its outcome is unknown'),
    (None, 'active', False, None, None, 'finished-unknown', NOT_OVER % 'such an action' + '. Check the database'),
])
def test_bdb_settler_outcomes(name, answer, listed, progress, bdb_action, outcome, detail):
    action = {'action_uid': 'a1', 'name': name, 'status': 'running', 'progress': progress, 'object_name': 'bdb:3'}
    settled = bdb_settler(BdbClient(answer, bdb_action))(action, 4.5, listed=listed)
    assert (settled.outcome, settled.detail) == (outcome, detail)


def test_bdb_settler_without_a_client_settles_nothing():
    assert bdb_settler(None)({'action_uid': 'a1', 'name': 'SMCreateBDB', 'object_name': 'bdb:3'}, 4.5) is None
