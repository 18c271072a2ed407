# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The control API under /_sim/ (no authentication, never recorded, never faulted). See README.md.

    GET    /_sim                       summary (version, url, endpoints)
    GET    /_sim/config                the configuration;  PUT: partial update
    GET    /_sim/faults                armed faults;  POST: arm one (or a list);  DELETE: disarm all
    DELETE /_sim/faults/<id>           disarm one
    GET    /_sim/actions               every action with its timeline;  POST: create a synthetic action
    GET    /_sim/actions/<uid>         one action's timeline
    POST   /_sim/actions/<uid>/<verb>  fail | stall | resume | cancel | abort | complete
    PUT    /_sim/bdbs/<uid>            {"status": "recovery"}: force a database's status
    GET    /_sim/profiles              the version profiles and the keys each sets
    GET    /_sim/requests[?since=N]    the request log;  DELETE: clear it
    POST   /_sim/reset                 initial state (keeps certificates and port)
    GET    /_sim/clock                 the simulated clock;  POST {"advance": seconds}: move it forward
"""

from __future__ import annotations

import collections
import itertools
import json
import re
import threading

from . import __version__
from . import actions as act
from .api import Response, error_response
from .cluster import ApiError
from .config import PROFILES, ConfigError, merge
from .faults import FaultError

SYNTHETIC_FIELDS = ('name', 'kind', 'object_name', 'node_uid', 'duration', 'progress_mode', 'outcome', 'error',
                    'error_code', 'description', 'states', 'pending_fraction', 'progress_shape')
# objects/bdb/status.md
BDB_STATUSES = ('pending', 'active', 'active-change-pending', 'import-pending', 'delete-pending', 'recovery',
                'creation-failed')


class RequestLog:
    """Every /v1 and /v2 request: index, method, path, query, status, time, duration, user, fault."""

    def __init__(self, limit=100000):
        self._lock = threading.Lock()
        self._entries = collections.deque(maxlen=limit)
        self._index = itertools.count()

    def set_limit(self, limit):
        with self._lock:
            if limit != self._entries.maxlen:
                self._entries = collections.deque(self._entries, maxlen=limit)

    def add(self, entry):
        with self._lock:
            entry['index'] = next(self._index)
            self._entries.append(entry)

    def since(self, index=0):
        with self._lock:
            return [dict(entry) for entry in self._entries if entry['index'] >= index]

    def clear(self):
        with self._lock:
            self._entries.clear()


def _bad(message):
    return ApiError(400, 'invalid_request', message)


class Control:
    """Handlers of /_sim/..."""

    def __init__(self, simulator):
        self.sim = simulator
        self.cluster = simulator.cluster

    def handle(self, method, path, query, body):
        try:
            data = None
            if body and body.strip():
                try:
                    data = json.loads(body.decode('utf-8'))
                except (UnicodeDecodeError, ValueError):
                    raise _bad('the body is not valid JSON') from None
            return self._route(method, path.rstrip('/') or '/', query, data)
        except ApiError as error:
            return error_response(error)
        except (ConfigError, FaultError) as error:
            return error_response(_bad(str(error)))

    def _route(self, method, path, query, data):  # pylint: disable=too-many-return-statements,too-many-branches
        parts = path.split('/')[2:]      # '/_sim/a/b' -> ['a', 'b']
        head = parts[0] if parts else ''
        with self.cluster.lock:
            self.cluster.advance()
        if head == '' and method == 'GET':
            return Response(200, self.summary())
        if head == 'config' and len(parts) == 1:
            return self.config(method, data)
        if head == 'faults':
            return self.faults(method, parts[1:], data)
        if head == 'actions':
            return self.actions(method, parts[1:], data)
        if head == 'requests' and len(parts) == 1:
            if method == 'GET':
                since = query.get('since', '0')
                if not str(since).isdigit():
                    raise _bad('since must be a non-negative integer')
                return Response(200, self.sim.request_log.since(int(since)))
            if method == 'DELETE':
                self.sim.request_log.clear()
                return Response(200, {'cleared': True})
        if head == 'reset' and len(parts) == 1 and method == 'POST':
            self.sim.reset()
            return Response(200, {'reset': True, 'cluster_state_id': self.cluster.state_id})
        if head == 'clock' and len(parts) == 1:
            return self.clock(method, data)
        if head == 'profiles' and len(parts) == 1 and method == 'GET':
            return Response(200, PROFILES)
        if head == 'bdbs' and len(parts) == 2 and method == 'PUT':
            status = data.get('status') if isinstance(data, dict) else None
            if status not in BDB_STATUSES or set(data) != {'status'}:
                raise _bad(f'the body must be {{"status": S}} with S one of {", ".join(BDB_STATUSES)}')
            with self.cluster.lock:
                return Response(200, self.cluster.set_bdb_status(parts[1], status))
        raise ApiError(404, 'not_found', f'No control endpoint {method} {path}')

    def summary(self):
        with self.cluster.lock:
            return {'simulator': 'rssim', 'version': __version__, 'url': self.sim.url, 'cluster_state_id': self.cluster.state_id,
                    'profile': self.cluster.config['profile'],
                    'v2': self.cluster.config['v2'], 'speed': self.cluster.config['speed'],
                    'bdbs': len(self.cluster.bdbs), 'actions': len(self.cluster.actions),
                    'control': [line.strip() for line in (__doc__ or '').splitlines()
                                if re.match(r'\s*(GET|PUT|POST|DELETE)\s', line)]}

    def config(self, method, data):
        with self.cluster.lock:
            if method == 'PUT':
                self.cluster.config = merge(self.cluster.config, data if data is not None else {})
                self.sim.request_log.set_limit(self.cluster.config['max_request_log'])
                self.cluster.bump()
            elif method != 'GET':
                raise ApiError(405, 'method_not_allowed', 'Use GET or PUT')
            shown = dict(self.cluster.config)
            shown['users'] = [{'name': u['name'], 'role': u['role']} for u in shown['users']]
            return Response(200, shown)

    def faults(self, method, rest, data):
        faults = self.sim.faults
        if not rest:
            if method == 'GET':
                return Response(200, faults.list())
            if method == 'DELETE':
                faults.clear()
                return Response(200, {'cleared': True})
            if method == 'POST':
                specs = data if isinstance(data, list) else [data]
                added = [faults.add(spec) for spec in specs]
                for fault in added:
                    if fault.get('immediate'):
                        self.sim.refuse_soon(fault['seconds'])
                return Response(200, added if isinstance(data, list) else added[0])
        elif len(rest) == 1 and method == 'DELETE':
            if faults.remove(rest[0]):
                return Response(200, {'removed': rest[0]})
            raise ApiError(404, 'not_found', f'No fault {rest[0]}')
        raise ApiError(404, 'not_found', 'No such control endpoint')

    def actions(self, method, rest, data):
        cluster = self.cluster
        with cluster.lock:
            if not rest and method == 'GET':
                return Response(200, [cluster.timeline(a) for a in sorted(cluster.actions.values(), key=lambda a: a.created)])
            if not rest and method == 'POST':
                return Response(200, self.create_action(data))
            if len(rest) == 1 and method == 'GET':
                action = cluster.actions.get(rest[0])
                if action is None:
                    raise ApiError(404, 'action_not_found', 'Action does not exist')
                return Response(200, cluster.timeline(action))
            if len(rest) == 2 and method == 'POST' and rest[1] in ('fail', 'stall', 'resume', 'cancel', 'abort', 'complete'):
                error = data.get('error') if isinstance(data, dict) else None
                return Response(200, cluster.control_action(rest[0], rest[1], error=error))
        raise ApiError(404, 'not_found', 'No such control endpoint')

    def create_action(self, spec):
        cluster = self.cluster
        if not isinstance(spec, dict):
            raise _bad('the action must be a JSON object')
        unknown = sorted(set(spec) - set(SYNTHETIC_FIELDS))
        if unknown:
            raise _bad(f'unknown field(s): {", ".join(unknown)}')
        kind = spec.get('kind', act.SM)
        if kind not in act.KINDS:
            raise _bad(f'kind must be one of {", ".join(act.KINDS)}')
        outcome = spec.get('outcome', 'completed')
        if outcome not in act.OUTCOMES:
            raise _bad(f'outcome must be one of {", ".join(act.OUTCOMES)}')
        mode = spec.get('progress_mode')
        if mode not in (None, 'linear', 'steps'):
            raise _bad('progress_mode must be linear or steps')
        duration = spec.get('duration', 10)
        if isinstance(duration, bool) or not isinstance(duration, (int, float)) or duration < 0:
            raise _bad('duration must be a non-negative number of cluster seconds')
        object_type = object_uid = None
        if spec.get('object_name') is not None:
            match = re.match(r'^([A-Za-z_]+):(.+)$', str(spec['object_name']))
            if not match:
                raise _bad('object_name must look like "bdb:3"')
            object_type, object_uid = match.group(1), match.group(2)
        name = spec.get('name') or {act.SM: 'SMUpdateBDB', act.TASK: 'maintenance_on', act.OTHER: 'export'}[kind]
        pending_fraction = spec.get('pending_fraction')
        if pending_fraction is not None and (isinstance(pending_fraction, bool) or not isinstance(pending_fraction, (int, float))
                                             or not 0 <= pending_fraction <= 0.9):
            raise _bad('pending_fraction must be a number from 0 to 0.9')
        shape = spec.get('progress_shape')
        if shape is not None:
            try:
                shape = act.check_shape(shape)
            except ValueError as error:
                raise _bad(str(error)) from None
        states = spec.get('states')
        if states is not None and (not isinstance(states, list) or not states):
            raise _bad('states must be a non-empty list of step names')
        action = cluster.new_action(kind, str(name), cluster.scaled(duration), progress_mode=mode, outcome=outcome,
                                    error=spec.get('error'), error_code=spec.get('error_code'), object_type=object_type,
                                    object_uid=object_uid, node_uid=spec.get('node_uid'), description=spec.get('description'),
                                    pending_fraction=pending_fraction, shape=shape)
        if states:
            action.states = [str(state) for state in states]
        return {'action_uid': action.uid, 'name': action.name, 'kind': action.kind, 'created_at': action.created,
                'visible_at': action.visible_at, 'expected_finish': action.created + action.duration}

    def clock(self, method, data):
        with self.cluster.lock:
            if method == 'POST':
                seconds = (data or {}).get('advance') if isinstance(data, dict) else None
                if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
                    raise _bad('advance must be a non-negative number of cluster seconds')
                self.cluster.clock_offset += self.cluster.scaled(seconds)
                self.cluster.advance()
            elif method != 'GET':
                raise ApiError(405, 'method_not_allowed', 'Use GET or POST')
            return Response(200, {'now': self.cluster.now(), 'offset': self.cluster.clock_offset})
