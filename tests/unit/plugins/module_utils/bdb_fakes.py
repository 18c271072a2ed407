# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fakes shared by the unit tests of the rs_bdb files: a tiny in-memory RS for the database flows."""

from __future__ import annotations

import copy

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSConflict, RSNotFound

GIB = 1024 ** 3
MIB = 1024 ** 2


def busy_error(path='/v1/bdbs/1', method='PUT'):
    return RSConflict('RS reported a conflict (409 busy) for %s %s: Database is busy with another configuration change. '
                      'The object may be busy with another change; retry later' % (method, path),
                      status=409, error_code='busy', description='Database is busy with another configuration change')


class FakeClient:
    """A tiny in-memory RS: enough of /v1/bdbs for the flows, with scripted errors per (method, path)."""

    def __init__(self, bdbs=None):
        self.bdbs = {}
        for bdb in bdbs or []:
            self.bdbs[int(bdb['uid'])] = copy.deepcopy(bdb)
        self.calls = []
        self.errors = {}
        self.next_uid = max(self.bdbs) + 1 if self.bdbs else 1
        self.action_counter = 0
        self.bdb_actions = {}  # uid -> the state machines of GET /v1/actions/bdb/<uid>
        # A list: RS before 7.4.2-54, without GET /v1/actions/bdb/<uid> (404); GET /v1/actions lists these.
        self.state_machines = None

    def fail(self, method, path, *errors):
        self.errors.setdefault((method, path), []).extend(errors)

    def _maybe_fail(self, method, path):
        queue = self.errors.get((method, path))
        if queue:
            raise queue.pop(0)

    def _new_action(self):
        self.action_counter += 1
        return 'action-%d' % self.action_counter

    @property
    def writes(self):
        return [c for c in self.calls if c[0] != 'GET']

    def get(self, path, params=None, timeout=None):
        self.calls.append(('GET', path, params, None))
        self._maybe_fail('GET', path)
        if path == ('v1', 'bdbs'):
            fields = params['fields'].split(',') if params and params.get('fields') else None
            return [dict((k, v) for k, v in b.items() if fields is None or k in fields) for b in self.bdbs.values()]
        if len(path) == 3 and path[:2] == ('v1', 'bdbs'):
            uid = int(path[2])
            if uid not in self.bdbs:
                raise RSNotFound('Not found (404 db_not_found): GET /v1/bdbs/%s' % uid, status=404)
            return copy.deepcopy(self.bdbs[uid])
        if path[:3] == ('v1', 'actions', 'bdb') and len(path) == 4:
            if self.state_machines is not None:
                raise RSNotFound('Not found (404): GET /v1/actions/bdb/%s' % path[3], status=404)
            return copy.deepcopy(self.bdb_actions.get(int(path[3]), []))
        if path == ('v1', 'actions') and self.state_machines is not None:
            return {'actions': [], 'state-machines': copy.deepcopy(self.state_machines)}
        raise AssertionError('unexpected GET %r' % (path,))

    def post(self, path, json=None, params=None, timeout=None):
        self.calls.append(('POST', path, params, copy.deepcopy(json)))
        self._maybe_fail('POST', path)
        uid = int(json.get('uid') or self.next_uid)
        self.next_uid = max(self.next_uid, uid + 1)
        bdb = dict(json, uid=uid, status='pending', action_uid=self._new_action(), port=0, type='redis')
        self.bdbs[uid] = bdb
        return copy.deepcopy(bdb)

    def put(self, path, json=None, params=None, timeout=None):
        self.calls.append(('PUT', path, params, copy.deepcopy(json)))
        self._maybe_fail('PUT', path)
        uid = int(path[2])
        bdb = self.bdbs[uid]
        bdb.update(json)
        bdb['status'] = 'active-change-pending'
        bdb['action_uid'] = self._new_action()
        return copy.deepcopy(bdb)

    def delete(self, path, params=None, timeout=None):
        self.calls.append(('DELETE', path, params, None))
        self._maybe_fail('DELETE', path)
        uid = int(path[2])
        if uid not in self.bdbs:
            raise RSNotFound('Not found (404): DELETE /v1/bdbs/%s' % uid, status=404)
        self.bdbs[uid]['status'] = 'delete-pending'
        return None


def active_bdb(uid=1, name='app-cache', memory_size=GIB, **extra):
    bdb = dict(uid=uid, name=name, memory_size=memory_size, status='active', type='redis', port=12000,
               replication=False, sharding=False, shards_count=1, eviction_policy='volatile-lru',
               data_persistence='disabled', module_list=[], tags=[])
    bdb.update(extra)
    return bdb


class FakeWait:
    """Records ``wait_busy(uid, timeout)`` calls; optionally clears the scripted busy errors or raises."""

    def __init__(self, raises=None):
        self.calls = []
        self.raises = raises

    def __call__(self, uid, timeout):
        self.calls.append((uid, timeout))
        if self.raises is not None:
            raise self.raises
