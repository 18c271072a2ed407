# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The cluster's state: databases, nodes, actions and the cluster-state-id, behind one lock.

Nothing runs in the background: ``advance()`` (called at the start of every request, and by a slow ticker for
the data plane) looks at the clock, records status transitions (each one bumps the cluster-state-id) and applies
the effects of the actions that have finished since (a database becomes active, is removed, ...), in the order in
which they finished.
"""

from __future__ import annotations

import copy
import threading
import time

from . import actions as act
from .bdb import Bdb, BdbError, check_schema, check_semantics, defaults_for, memory_footprint, render_live
from .config import defaults as config_defaults
from .errors import ApiError
from .operations import blueprint, check_node_params, check_operation_body

NODE_ACTIONS = ('maintenance_on', 'maintenance_off', 'remove', 'enslave_node')


def not_found(what='Object'):
    codes = {'Database': 'db_not_found', 'Action': 'action_not_found', 'Node': 'node_not_found'}
    return ApiError(404, codes.get(what, 'not_found'), f'{what} does not exist')


class Cluster:  # pylint: disable=too-many-instance-attributes,too-many-public-methods
    """All simulated state. Every public method must be called with ``self.lock`` held (``with cluster.lock``)."""

    def __init__(self, config=None, dataplane=None, log=None):
        self.lock = threading.RLock()
        self.initial_config = copy.deepcopy(config or config_defaults())
        self.dataplane = dataplane
        self.log = log or (lambda message: None)
        self.state_id = 1
        self.clock_offset = 0.0
        self.config = None
        self.bdbs = {}
        self.actions = {}
        self.node_actions = {}
        self.node_state = {}
        self.next_bdb_uid = 1
        self.next_shard_uid = 1
        self.reset()

    # ------------------------------------------------------------ basics
    def reset(self):
        """Back to the initial state (databases, actions, configuration). The cluster-state-id keeps rising."""
        if self.dataplane:
            self.dataplane.stop_all()
        self.config = copy.deepcopy(self.initial_config)
        self.bdbs = {}
        self.actions = {}
        self.node_actions = {}
        self.node_state = {}
        self.next_bdb_uid = 1
        self.next_shard_uid = 1
        self.clock_offset = 0.0
        self.bump()

    def now(self):
        return time.time() + self.clock_offset

    def scaled(self, seconds):
        return float(seconds) / self.config['speed']

    def duration(self, key):
        return self.scaled(self.config['durations'].get(key, 5.0))

    def bump(self):
        self.state_id += 1

    @property
    def node_uids(self):
        return [str(uid) for uid in range(1, self.config['nodes'] + 1)
                if not self.node_state.get(str(uid), {}).get('removed')]

    # ------------------------------------------------------------ actions
    def new_action(self, kind, name, seconds, **kwargs):
        """Create an action lasting ``seconds`` real seconds (already scaled)."""
        now = self.now()
        created = kwargs.pop('created', now)
        states = self.config['sm_states'].get(name) or self.config['sm_states'].get('default') or ['running']
        pending_fraction = kwargs.pop('pending_fraction', None)
        if pending_fraction is None:
            pending_fraction = self.config['pending_fraction']
        shapes = self.config['progress_shapes']
        shape = kwargs.pop('shape', None) or shapes.get(name) or shapes.get(kwargs.get('purpose') or '')
        action = act.Action(kind=kind, name=name, created=created, duration=seconds, states=states, shape=shape,
                            pending_fraction=pending_fraction, fail_fraction=self.config['fail_fraction'],
                            progress_mode=kwargs.pop('progress_mode', None) or self.config['progress_mode'],
                            visible_at=kwargs.pop('visible_at', created + self.scaled(self.config['visibility_delay'])),
                            **kwargs)
        self.actions[action.uid] = action
        self.bump()
        return action

    def retention_end(self, snap):
        if snap.finished_at is None:
            return None
        return snap.finished_at + self.scaled(self.config['retention'])

    def visible(self, action, snap, now):
        if now < action.visible_at:
            return False
        end = self.retention_end(snap)
        return end is None or now < end

    def advance(self):
        """Record transitions and apply the effects of finished actions, in finishing order."""
        now = self.now()
        finished = []
        for action in self.actions.values():
            if action.finalized:
                continue
            snap = action.snapshot(now)
            if snap.status != action.last_status:
                action.last_status = snap.status
                self.bump()
            if snap.terminal:
                finished.append((snap.finished_at, action, snap))
        for dummy, action, snap in sorted(finished, key=lambda item: item[0]):
            action.finalized = True
            action.recorded_finish = snap.finished_at
            self._finish(action, snap)

    def visible_actions(self, kinds=act.KINDS):
        now = self.now()
        result = []
        for action in sorted(self.actions.values(), key=lambda a: a.created):
            if action.kind not in kinds:
                continue
            snap = action.snapshot(now)
            if self.visible(action, snap, now):
                result.append((action, snap))
        return result

    def find_action(self, uid, kinds=act.KINDS):
        action = self.actions.get(uid)
        if action is None or action.kind not in kinds:
            raise not_found('Action')
        now = self.now()
        snap = action.snapshot(now)
        if not self.visible(action, snap, now):
            raise not_found('Action')
        return action, snap

    def v2_object(self, action, snap):
        status_map = {key: value for key, value in self.config['v2_status_map'].items() if isinstance(value, str)}
        return action.v2(snap, status_map, self.config['v2_object_types'], stale=self.config['sm_running_after_finish'])

    @property
    def quirks(self):
        return {key: self.config[key] for key in ('completed_sm_details', 'sm_running_after_finish', 'task_progress',
                                                  'integer_progress')}

    def v1_object(self, action, snap):
        return action.v1(snap, self.quirks)

    def _unfinished(self, object_name, kinds=(act.SM, act.OTHER)):
        return [a for a in self.actions.values() if a.kind in kinds and not a.finalized and a.object_name == object_name]

    # ------------------------------------------------------------ effects of finished actions
    def _finish(self, action, snap):
        bdb = self.bdbs.get(int(action.object_uid)) if action.object_type == 'bdb' and str(action.object_uid).isdigit() else None
        ok = snap.status == 'completed'
        at = snap.finished_at
        if action.purpose == 'node_action' and ok:
            self._finish_node_action(action, at)
        if bdb is None:
            return
        if action.purpose == 'bdb_operation':
            self._finish_operation(bdb, action, ok, at)
            return
        if action.purpose == 'create_bdb' and bdb.action_uid == action.uid:
            bdb.action_uid = None
            if ok:
                self._activate(bdb)
            else:
                bdb.status = 'creation-failed'
            bdb.touch(at)
        elif action.purpose == 'update_bdb' and bdb.action_uid == action.uid:
            bdb.action_uid = None
            bdb.status = 'active'
            bdb.touch(at)
        elif action.purpose == 'delete_bdb':
            self._remove_bdb(bdb)
        elif action.purpose in ('export', 'import'):
            kind = action.purpose
            bdb.running.pop(kind, None)
            bdb.extra[f'{kind}_status'] = 'succeeded' if ok else 'failed'
            bdb.extra[f'{kind}_progress'] = 100.0 if ok else snap.progress
            if not ok:
                bdb.extra[f'{kind}_failure_reason'] = action.error or f'{kind} {snap.status}'
            if kind == 'import' and bdb.status == 'import-pending':
                bdb.status = 'active'
            bdb.touch(at)

    def _activate(self, bdb):
        bdb.status = 'active'
        count = bdb.config.get('shards_count', 1) * (2 if bdb.config.get('replication') else 1)
        bdb.shard_list = list(range(self.next_shard_uid, self.next_shard_uid + count))
        self.next_shard_uid += count
        bdb.endpoint_port = self._pick_port(bdb)

    def _pick_port(self, bdb):
        taken = {b.endpoint_port for b in self.bdbs.values() if b.endpoint_port} | \
            {b.config.get('port') for b in self.bdbs.values() if b is not bdb and b.config.get('port')}
        wanted = bdb.config.get('port') or 0
        if wanted:
            if self.dataplane and not self.dataplane.start(bdb.uid, wanted, self.config['data_plane']):
                self.log(f'data plane: port {wanted} of bdb {bdb.uid} is busy; no listener')
            return wanted
        port = self.config['port_base']
        while port < 65535:
            if port not in taken and (not self.dataplane or self.dataplane.start(bdb.uid, port, self.config['data_plane'])):
                return port
            port += 1
        raise ApiError(500, 'internal_error', 'No free port for the database endpoint')

    def _remove_bdb(self, bdb):
        if self.dataplane:
            self.dataplane.stop(bdb.uid)
        self.bdbs.pop(bdb.uid, None)
        self.bump()

    # ------------------------------------------------------------ databases
    def get_bdb(self, uid):
        try:
            bdb = self.bdbs.get(int(uid))
        except (TypeError, ValueError):
            bdb = None
        if bdb is None:
            raise not_found('Database')
        return bdb

    def render_bdb(self, bdb):
        live = render_live({kind: self.actions.get(uid) for kind, uid in bdb.running.items()}, self.now())
        return bdb.render((self.config['bdb_version'], self.config['redis_version']), self.config['cluster_name'], live)

    def list_bdbs(self):
        return [self.render_bdb(bdb) for uid, bdb in sorted(self.bdbs.items())]

    def _free_memory(self, exclude=None):
        used = sum(memory_footprint(b.config) for b in self.bdbs.values()
                   if b is not exclude and b.placed and b.status != 'creation-failed')
        return self.config['cluster_memory'] - used

    def check_state_id(self, headers):
        wanted = headers.get('cluster-state-id')
        if wanted is None or not self.config['check_cluster_state_id']:
            return
        if str(wanted).strip() != str(self.state_id):
            raise ApiError(409, 'wrong_cluster_state_id',
                           f'The cluster state changed (cluster-state-id is {self.state_id}, request has {wanted})')

    def check_license(self):
        """403 while the license is expired (requests/bdbs/_index.md: POST and PUT-with-action list it)."""
        if self.config['license_expired']:
            raise ApiError(403, 'license_expired', 'The cluster license has expired (redislabs license expired)')

    def create_bdb(self, body, dry_run=False):
        self.check_license()
        try:
            body = check_schema(body, creating=True)
            config = defaults_for(body)
            check_semantics(config)
        except BdbError as error:
            raise ApiError.from_bdb(error) from None
        uid = body.get('uid')
        if uid is not None and uid in self.bdbs:
            raise ApiError(409, 'uid_exists', f'Database with uid {uid} already exists')
        if self.config['duplicate_names'] == 'reject' and any(b.name == body['name'] for b in self.bdbs.values()):
            raise ApiError(409, 'name_exists', f"Database with name {body['name']!r} already exists")
        if config.get('port') and any(config['port'] in (b.config.get('port'), b.endpoint_port) for b in self.bdbs.values()):
            raise ApiError(406, 'port_unavailable', f"Port {config['port']} is already in use")
        if body['name'] in self.config['busy_names']:
            raise ApiError(409, 'busy', 'The request failed because another request is being processed at the same time '
                                        'on the same database')
        if self.config['insufficient_memory'] == 'reject' and memory_footprint(config) > self._free_memory():
            raise ApiError(406, 'insufficient_resources', 'Not enough resources in cluster to host the database')
        uid = uid or self.next_bdb_uid
        now = self.now()
        bdb = Bdb(uid, config, now)
        if dry_run:
            return self.render_bdb(bdb)
        self.next_bdb_uid = max(self.next_bdb_uid, uid + 1)
        fits = memory_footprint(config) <= self._free_memory()
        fail = config['name'] in self.config['fail_names']
        if fits and not fail:
            action = self.new_action(act.SM, 'SMCreateBDB', self.duration('create_bdb'), object_type='bdb', object_uid=uid,
                                     purpose='create_bdb')
        else:
            error = self.config['fail_error'] if fits else self.config['insufficient_memory_error']
            action = self.new_action(act.SM, 'SMCreateBDB', self.duration('create_bdb_failed'), object_type='bdb',
                                     object_uid=uid, purpose='create_bdb', outcome='failed', error=error,
                                     error_code='internal_error' if fits else 'insufficient_resources')
        bdb.action_uid = action.uid
        bdb.placed = fits
        self.bdbs[uid] = bdb
        for node_uid in self.node_uids:
            for dummy in range(self.config['retry_bdb_tasks']):
                appear = now + self.scaled(self.config['retry_bdb_delay'])
                self.new_action(act.TASK, 'retry_bdb', 0.0, node_uid=node_uid, created=appear, visible_at=appear)
        return self.render_bdb(bdb)

    def busy(self, bdb):
        return bdb.status not in ('active', 'creation-failed') or bool(self._unfinished(f'bdb:{bdb.uid}'))

    def update_bdb(self, uid, body, dry_run=False):
        bdb = self.get_bdb(uid)
        self.check_license()
        try:
            body = check_schema(body, creating=False)
            if body.get('uid', bdb.uid) != bdb.uid:
                raise BdbError(400, 'invalid_schema', "The field 'uid' cannot be changed")
            config = dict(copy.deepcopy(bdb.config), **body)
            check_semantics(config)
        except BdbError as error:
            raise ApiError.from_bdb(error) from None
        if self.busy(bdb):
            raise ApiError(409, 'busy', 'Database is busy with another configuration change')
        if memory_footprint(config) > self._free_memory(exclude=bdb):
            raise ApiError(406, 'insufficient_resources', 'Not enough memory in the cluster for the new configuration')
        if self.config['duplicate_names'] == 'reject' and any(b.name == config['name'] for b in self.bdbs.values() if b is not bdb):
            raise ApiError(409, 'name_exists', f"Database with name {config['name']!r} already exists")
        if dry_run:
            preview = Bdb(bdb.uid, config, self.now())
            preview.status, preview.endpoint_port, preview.shard_list = bdb.status, bdb.endpoint_port, bdb.shard_list
            return self.render_bdb(preview)
        bdb.config = config
        if bdb.status == 'creation-failed':
            bdb.touch(self.now())
            self.bump()
            return self.render_bdb(bdb)
        action = self.new_action(act.SM, 'SMUpdateBDB', self.duration('update_bdb'), object_type='bdb', object_uid=bdb.uid,
                                 purpose='update_bdb')
        bdb.status = 'active-change-pending'
        bdb.action_uid = action.uid
        bdb.touch(self.now())
        return self.render_bdb(bdb)

    def delete_bdb(self, uid):
        bdb = self.get_bdb(uid)
        if bdb.status not in ('active', 'creation-failed') or self._unfinished(f'bdb:{bdb.uid}'):
            raise ApiError(409, 'busy', f'Database is not in an active or creation-failed state (status {bdb.status}) '
                                        'or is busy with another change')
        bdb.status = 'delete-pending'
        bdb.touch(self.now())
        if self.config['delete_action']:
            action = self.new_action(act.SM, 'SMDeleteBDB', self.duration('delete_bdb'), object_type='bdb',
                                     object_uid=bdb.uid, purpose='delete_bdb')
        else:
            action = self.new_action('internal', 'delete_bdb', self.duration('delete_bdb'), object_type='bdb',
                                     object_uid=bdb.uid, purpose='delete_bdb')
        bdb.action_uid = action.uid if self.config['delete_action'] else None

    def bdb_transfer(self, uid, kind, body):
        """``export`` / ``import``: an action of type "other" by default (visible in v2 only)."""
        bdb = self.get_bdb(uid)
        self.check_license()
        if body is not None and not isinstance(body, dict):
            raise ApiError(400, 'invalid_schema', 'The request body must be a JSON object')
        if bdb.status != 'active' or bdb.running or (kind == 'import' and self._unfinished(f'bdb:{bdb.uid}')):
            raise ApiError(409, 'busy', f'Database is busy (status {bdb.status}); cannot {kind} now')
        operation = self.config['operations'][kind]
        action = self.new_action(operation['kind'], operation['name'], self.duration(kind), object_type='bdb',
                                 object_uid=bdb.uid, purpose=kind, description=f'{kind.capitalize()} of database {bdb.uid}')
        action.operation, action.params = kind, body
        bdb.running[kind] = action.uid
        for key in ('status', 'progress', 'failure_reason'):
            bdb.extra.pop(f'{kind}_{key}', None)
        if kind == 'import':
            bdb.status = 'import-pending'
        bdb.touch(self.now())
        return self._operation_response(kind, action, bdb)

    def _operation_response(self, name, action, bdb):
        response = self.config['operations'][name]['response']
        if response == 'action_uid':
            return {'action_uid': action.uid}
        if response == 'task_id':
            return {'status': 'queued', 'task_id': action.uid}
        if response == 'status':
            return {'status': 'queued'}
        if response == 'bdb':
            return self.render_bdb(bdb)
        return None

    def bdb_operation(self, uid, name, body, query):
        """recover, rebalance, revamp, stop_traffic, resume_traffic, upgrade (see operations.py). Returns the payload
        (None: an empty 200)."""
        bdb = self.get_bdb(uid)
        self.check_license()
        params = check_operation_body(name, body, query)
        dry_run = params.get('dry_run', False)
        if name == 'recover':
            if bdb.status not in self.config['recover_states'] or self._unfinished(f'bdb:{bdb.uid}', act.KINDS):
                raise ApiError(409, 'busy', f'Database {bdb.uid} is busy, already recovering or not in a recoverable '
                                            f'state (status {bdb.status})')
        elif self.busy(bdb):
            raise ApiError(409, 'busy', 'Database is busy with another configuration change')
        config = bdb.config
        if name == 'revamp':
            try:
                changes = check_schema({k: v for k, v in params.items() if k not in ('dry_run', 'pause_persistence')},
                                       creating=False)
                config = dict(copy.deepcopy(bdb.config), **changes)
                check_semantics(config)
            except BdbError as error:
                raise ApiError.from_bdb(error) from None
            if memory_footprint(config) > self._free_memory(exclude=bdb):
                raise ApiError(406, 'insufficient_resources', 'Not enough resources in the cluster for the new configuration')
        if dry_run:
            return blueprint(config, self.node_uids)
        operation = self.config['operations'][name]
        action = self.new_action(operation['kind'], operation['name'], self.duration(name), object_type='bdb',
                                 object_uid=bdb.uid, purpose='bdb_operation')
        action.operation, action.params = name, params
        bdb.config = config
        bdb.action_uid = action.uid
        if name != 'recover':
            bdb.status = 'active-change-pending'
        bdb.touch(self.now())
        return self._operation_response(name, action, bdb)

    def _finish_operation(self, bdb, action, ok, at):
        if bdb.action_uid == action.uid:
            bdb.action_uid = None
        name, params = action.operation, action.params or {}
        if name != 'recover' or ok:
            bdb.status = 'active'
        if ok and name == 'stop_traffic':
            bdb.extra['traffic_manually_disabled'] = True
        elif ok and name == 'resume_traffic':
            bdb.extra['traffic_manually_disabled'] = False
        elif ok and name == 'upgrade':
            bdb.config['redis_version'] = params.get('redis_version') or self.config['redis_version']
        bdb.touch(at)

    def recovery_plan(self, uid):
        bdb = self.get_bdb(uid)
        return {'data_files': [], 'status': 'ready' if bdb.status in self.config['recover_states'] else 'not_needed'}

    def set_bdb_status(self, uid, status):
        """Control API: force a database into a status (e.g. ``recovery``)."""
        bdb = self.get_bdb(uid)
        bdb.status = status
        bdb.touch(self.now())
        self.bump()
        return self.render_bdb(bdb)

    def reset_transfer_status(self, uid, kind):
        bdb = self.get_bdb(uid)
        if kind in bdb.running:
            raise ApiError(409, 'busy', f'The {kind} is still running')
        for key in ('status', 'progress', 'failure_reason'):
            bdb.extra.pop(f'{kind}_{key}', None)
        if kind == 'import':
            bdb.extra['import_status'] = 'idle'
        self.bump()

    # ------------------------------------------------------------ nodes
    def node(self, uid):
        if str(uid) not in self.node_uids:
            raise not_found('Node')
        uid = int(uid)
        state = self.node_state.get(str(uid), {})
        return {
            'uid': uid, 'addr': '127.0.0.1', 'status': 'active', 'shard_count': 0,
            'total_memory': self.config['cluster_memory'] // max(1, self.config['nodes']),
            'software_version': self.config['bdb_version'], 'rack_id': '',
            'accept_servers': not state.get('maintenance'),
            'max_listeners': 100, 'cores': 2, 'os_version': 'simulated',
        }

    def node_status(self, uid):
        """``GET /v1/nodes/<uid>/status`` (requests/nodes/status.md): ``maintenance_snapshot`` only while a
        maintenance snapshot exists, i.e. while the node is in maintenance mode."""
        node = self.node(uid)
        state = self.node_state.get(str(uid), {})
        body = {'cores': node['cores'], 'free_provisional_ram': 0, 'free_ram': node['total_memory'],
                'hostname': f'node{uid}', 'master_shards': [], 'node_overbooking_depth': 0, 'node_status': 'active',
                'role': state.get('role', 'master' if str(uid) == '1' else 'slave'), 'slave_shards': [],
                'software_version': self.config['bdb_version'], 'total_memory': node['total_memory'],
                'total_provisional_ram': 0}
        if state.get('snapshot'):
            body['maintenance_snapshot'] = dict(state['snapshot'])
        return dict(sorted(body.items()))

    def _finish_node_action(self, action, at):
        state = self.node_state.setdefault(str(action.node_uid), {})
        params = action.params or {}
        kind = action.operation
        if kind == 'maintenance_on':
            stamp = time.strftime('%Y-%m-%d_%H-%M-%S', time.gmtime(at))
            if not state.get('snapshot') or params.get('overwrite_snapshot'):
                state['snapshot'] = {'created_time': time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(at)),
                                     'name': f'maintenance_mode_{stamp}', 'node_uid': str(action.node_uid)}
            state['maintenance'] = state.get('maintenance', 0) + 1      # activations stack (maintenance-mode.md)
        elif kind == 'maintenance_off':
            if state.get('maintenance'):
                state['maintenance'] -= 1
            if not state.get('maintenance'):
                state['maintenance'] = 0
                state.pop('snapshot', None)
        elif kind == 'remove':
            state['removed'] = True
        elif kind == 'enslave_node':
            state['role'] = 'slave'
        self.bump()

    def start_node_action(self, node_uid, name, params=None):
        self.node(node_uid)
        if name not in NODE_ACTIONS:
            raise ApiError(404, 'action_not_found', f'Unknown node action {name!r}')
        params = check_node_params(name, params)
        previous = self.actions.get(self.node_actions.get((str(node_uid), name)) or '')
        if previous is not None and not previous.finalized:
            raise ApiError(409, 'conflict', f'Action {name} is already running on node {node_uid}')
        operation = self.config['operations'][name]
        action = self.new_action(act.TASK, operation['name'], self.duration('node_action'), node_uid=str(node_uid),
                                 purpose='node_action')
        action.operation, action.params = name, params
        self.node_actions[(str(node_uid), name)] = action.uid
        response = operation['response']
        if response == 'empty':
            return None
        if response == 'action_uid':
            return {'action_uid': action.uid}
        if response == 'status':
            return {'status': 'queued'}
        return {'status': 'queued', 'task_id': action.uid}

    def node_action(self, node_uid, name):
        self.node(node_uid)
        uid = self.node_actions.get((str(node_uid), name))
        if not uid:
            raise not_found('Action')
        action, snap = self.find_action(uid, kinds=(act.TASK,))
        return action.node_action(snap, self.quirks)

    def node_actions_list(self, node_uid=None):
        if node_uid is not None:
            self.node(node_uid)
        result = []
        for (node, dummy), uid in sorted(self.node_actions.items()):
            if node_uid is not None and node != str(node_uid):
                continue
            try:
                action, snap = self.find_action(uid, kinds=(act.TASK,))
            except ApiError:
                continue
            result.append(action.node_action(snap, self.quirks))
        return {'actions': result}

    def cancel_node_action(self, node_uid, name):
        self.node(node_uid)
        uid = self.node_actions.get((str(node_uid), name))
        if not uid or uid not in self.actions:
            raise not_found('Action')
        action = self.actions[uid]
        if action.finalized:
            del self.node_actions[(str(node_uid), name)]
            self.bump()
        else:
            action.force(self.now(), 'cancelled', linger=self.duration('cancel'))
            self.bump()

    # ------------------------------------------------------------ control API helpers
    def control_action(self, uid, verb, error=None):
        action = self.actions.get(uid)
        if action is None:
            raise not_found('Action')
        now = self.now()
        snap = action.snapshot(now)
        if verb == 'stall':
            action.stall(now)
        elif verb == 'resume':
            action.resume(now)
        else:
            if snap.terminal or action.forced is not None:
                raise ApiError(409, 'action_finished', f'Action {uid} already finished ({snap.status})')
            status = {'fail': 'failed', 'cancel': 'cancelled', 'abort': 'aborted', 'complete': 'completed'}[verb]
            action.resume(now)
            if status == 'completed':
                action.outcome = 'completed'
                action.duration = max(0.0, now - action.created - action.paused)
                action.pending = min(action.pending, action.duration)
            else:
                action.force(now, status, error=error, linger=self.duration('cancel') if status == 'cancelled' else 0.0)
        self.bump()
        self.advance()
        return self.timeline(action)

    def timeline(self, action):
        now = self.now()
        snap = action.snapshot(now)
        return action.timeline(snap, self.retention_end(snap), now)
