# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""Reading databases, and the database and node operations that start background work.

* ``select_databases()``: the databases of ``GET /v1/bdbs`` (one request) chosen by name and/or uid
  (``rs_database_info``).
* ``DatabaseOperation``: one documented database action (``rs_database_action``): export, import, recover,
  rebalance, revamp, stop_traffic, resume_traffic, upgrade. ``BDB_OPERATIONS`` says, per action, which method and
  path RS documents, which ``params`` go in the query string, whether a body is accepted and whether RS answers
  with an ``action_uid``.
* ``NodeOperation``: one node action (``rs_node_action``): maintenance_on, maintenance_off, remove, enslave_node,
  idempotent where the node object tells.

``client`` is an ``RSClient`` (or a fake with the same ``get``/``post``/``put``); nothing here calls Ansible.
"""

from __future__ import annotations

import copy
import time

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_actions import (
    IN_PROGRESS_STATUSES,
    normalize_status,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_await import MIN_POLL_REQUEST
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb_spec import (
    LOOKUP_FIELDS,
    DuplicateNameError,
    response_action_uid,
    validate_bdb_uid,
    validate_name,
    validate_positive_int,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    RSConfigError,
    RSConflict,
    RSError,
    RSInvalidResponse,
    RSNotFound,
)

# ---------------------------------------------------------------------------------------------- databases


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def validate_selection(names=None, uids=None):
    """Return ``(names, uids)`` as clean lists (uids as ints); raise ``RSConfigError`` on a bad entry."""
    clean_names = []
    for name in _as_list(names):
        validate_name(name)
        if name not in clean_names:
            clean_names.append(name)
    clean_uids = []
    for uid in _as_list(uids):
        value = validate_bdb_uid(uid)
        if value not in clean_uids:
            clean_uids.append(value)
    return clean_names, clean_uids


def list_databases(client, fields=None):
    """``GET /v1/bdbs`` (with ``fields`` when given): a list of bdb objects."""
    params = {'fields': fields} if fields else None
    bdbs = client.get(('v1', 'bdbs'), params=params)
    if bdbs is None:
        return []
    if not isinstance(bdbs, list):
        raise RSInvalidResponse('GET /v1/bdbs did not return a JSON array of databases (%s)' % type(bdbs).__name__)
    return [bdb for bdb in bdbs if isinstance(bdb, dict)]


def select_databases(client, names=None, uids=None):
    """The databases named in ``names`` or with a uid in ``uids`` (all of them when both are empty): one request.

    Returns ``(databases, missing)``: the bdb objects in RS's order, and the names and uids that matched none.
    """
    names, uids = validate_selection(names, uids)
    bdbs = list_databases(client)
    if not names and not uids:
        return bdbs, []
    wanted_uids = set(str(uid) for uid in uids)
    chosen = [bdb for bdb in bdbs if bdb.get('name') in names or str(bdb.get('uid')) in wanted_uids]
    found_names = set(bdb.get('name') for bdb in chosen)
    found_uids = set(str(bdb.get('uid')) for bdb in chosen)
    missing = [name for name in names if name not in found_names] + [uid for uid in uids if str(uid) not in found_uids]
    return chosen, missing


def resolve_database(client, name=None, uid=None):
    """Return the summary (``uid``, ``name``, ``status``) of the database chosen by ``name`` and/or ``uid``.

    Fails (``RSNotFound``) when it does not exist, (``DuplicateNameError``) when several carry ``name`` and no
    ``uid`` picks one, and (``RSConfigError``) when ``uid`` and ``name`` point at different databases.
    """
    if name is None and uid is None:
        raise RSConfigError('one of name or uid is required to choose the database')
    if name is not None:
        validate_name(name)
    uid = validate_bdb_uid(uid)
    bdbs = list_databases(client, LOOKUP_FIELDS)
    if uid is not None:
        return _database_by_uid(bdbs, uid, name)
    return _database_by_name(bdbs, name)


def _database_by_uid(bdbs, uid, name=None):
    """The summary of ``bdbs`` with ``uid``, which must be named ``name`` when given."""
    chosen = [bdb for bdb in bdbs if str(bdb.get('uid')) == str(uid)]
    if not chosen:
        raise RSNotFound('database uid %s does not exist' % uid, status=404)
    if name is not None and chosen[0].get('name') != name:
        raise RSConfigError('uid %s belongs to the database %r, not %r: fix uid or name'
                            % (uid, chosen[0].get('name'), name))
    return chosen[0]


def _database_by_name(bdbs, name):
    """The one summary of ``bdbs`` named ``name``."""
    chosen = [bdb for bdb in bdbs if bdb.get('name') == name]
    if not chosen:
        raise RSNotFound('database %r does not exist' % name, status=404)
    if len(chosen) > 1:
        uids = [bdb.get('uid') for bdb in chosen]
        raise DuplicateNameError('several databases are named %r (uids %s): set uid to choose one'
                                 % (name, ', '.join(str(u) for u in uids)), uids)
    return chosen[0]


# Per action: HTTP method, path after /v1/bdbs/<uid>, the params sent as query parameters, whether the other params
# form a JSON body, whether RS answers with an action_uid, and which params it documents (None: any bdb field).
BDB_OPERATIONS = {
    'export': dict(method='post', path=('actions', 'export'), query=(), body=True, action_uid=False,
                   known=('export_location', 'email_notification')),
    'import': dict(method='post', path=('actions', 'import'), query=(), body=True, action_uid=False, known=None),
    'recover': dict(method='post', path=('actions', 'recover'), query=(), body=True, action_uid=True, known=None),
    'rebalance': dict(method='put', path=('actions', 'rebalance'), query=('dry_run', 'only_failovers', 'max_operations'),
                      body=False, action_uid=True, known=()),
    'revamp': dict(method='put', path=('actions', 'revamp'), query=('dry_run', 'pause_persistence'), body=True,
                   action_uid=True, known=('avoid_nodes', 'bigstore_ram_size', 'memory_size', 'replication',
                                           'shards_count', 'shards_placement')),
    'stop_traffic': dict(method='post', path=('actions', 'stop_traffic'), query=(), body=False, action_uid=True,
                         known=()),
    'resume_traffic': dict(method='post', path=('actions', 'resume_traffic'), query=(), body=False, action_uid=True,
                           known=()),
    'upgrade': dict(method='post', path=('upgrade',), query=(), body=True, action_uid=True, known=None),
}
# Actions without an action_uid: the bdb field that follows them (docs: "export_status", "import_status").
TRANSFER_ACTIONS = ('export', 'import')


# The query params that take a positive integer; the others take true or false.
INTEGER_QUERY_PARAMS = ('max_operations',)


def split_params(action, params):
    """Return ``(query, body, dry_run)`` for ``action`` from ``params``; raise ``RSConfigError`` on a misfit."""
    if action not in BDB_OPERATIONS:
        raise RSConfigError('action must be one of %s; got %r' % (', '.join(sorted(BDB_OPERATIONS)), action))
    spec = BDB_OPERATIONS[action]
    params = copy.deepcopy(params or {})
    if not isinstance(params, dict):
        raise RSConfigError('params must be a dictionary')
    query = _pop_query(spec, params)
    _check_body(action, spec, params)
    dry_run = query.get('dry_run') == 'true'
    return query, (params if spec['body'] else None), dry_run


def _pop_query(spec, params):
    """Take the query params of the action (``spec['query']``) out of ``params``: ``{name: text}``."""
    query = {}
    for key in spec['query']:
        if key in params:
            query[key] = _query_text(key, params.pop(key))
    return query


def _query_text(key, value):
    """The text of query param ``key`` in the URL: a positive integer, or ``true``/``false``."""
    if key in INTEGER_QUERY_PARAMS:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise RSConfigError('params.%s must be a positive integer; got %r' % (key, value))
        return str(value)
    if not isinstance(value, bool):
        raise RSConfigError('params.%s must be true or false; got %r' % (key, value))
    return 'true' if value else 'false'


def _check_body(action, spec, params):
    """Refuse the ``params`` left after the query params that the action does not take in its body."""
    if 'dry_run' in params:
        raise RSConfigError('params.dry_run is supported by the rebalance and revamp actions only, not %s' % action)
    if params and not spec['body']:
        raise RSConfigError('the %s action takes %s; got %s' % (
            action, 'only the params %s' % ', '.join(spec['query']) if spec['query'] else 'no params',
            ', '.join(sorted(params))))
    unknown = sorted(set(params) - set(spec['known'])) if params and spec['known'] else []
    if unknown:
        raise RSConfigError('params %s are not documented for the %s action (it accepts %s)'
                            % (', '.join(unknown), action, ', '.join(spec['known'] + spec['query'])))
    if action == 'export' and 'export_location' not in params:
        raise RSConfigError('the export action needs params.export_location (for example {type: url, url: ...})')


class DatabaseOperation:
    """Start one database action. ``run()`` returns the module result without the wait."""

    def __init__(self, client, check_mode=False):
        self.client = client
        self.check_mode = check_mode

    def run(self, action, name=None, uid=None, params=None):
        query, body, dry_run = split_params(action, params)
        database = resolve_database(self.client, name, uid)
        bdb_uid = database.get('uid')
        spec = BDB_OPERATIONS[action]
        result = dict(changed=not dry_run, action=action, uid=bdb_uid, name=database.get('name'), action_uid=None,
                      dry_run=dry_run)
        if self.check_mode and not dry_run:
            return result
        path = ('v1', 'bdbs', str(bdb_uid)) + spec['path']
        what = '%s of database %r (%s /%s)' % (action, database.get('name'), spec['method'].upper(), '/'.join(path))
        call = getattr(self.client, spec['method'])
        kwargs = dict(params=query or None)
        if spec['body'] or spec['method'] == 'post':
            kwargs['json'] = body if body is not None else ({} if spec['method'] == 'post' else None)
        try:
            response = call(path, **kwargs)
        except RSConflict as exc:
            exc.msg = ('%s failed: %s. To wait for the running actions of the database, use rs_action_wait with '
                       'object_name bdb:%s, then run again' % (what, exc.msg, bdb_uid))
            raise
        except RSError as exc:
            exc.msg = '%s failed: %s' % (what, exc.msg)
            raise
        if dry_run:
            result['blueprint'] = response
            return result
        result['action_uid'] = response_action_uid(response)
        result['response'] = response if isinstance(response, (dict, list)) else {}
        return result


# ---------------------------------------------------------------------------------------------- nodes

NODE_ACTIONS = ('maintenance_on', 'maintenance_off', 'remove', 'enslave_node')
# The names a node action may carry in the node's action list (docs requests/nodes/actions.md: ``remove_node``).
NODE_ACTION_NAMES = {'remove': ('remove', 'remove_node')}
# The maintenance actions: whether the node is in maintenance mode once the action is done, and what the result
# says when it already is where the action leads.
MAINTENANCE_ACTIONS = {
    'maintenance_on': (True, 'node %s is already in maintenance mode (%s)'),
    'maintenance_off': (False, 'node %s is not in maintenance mode (%s)'),
}


def validate_node_uid(node):
    """Return the node uid ``node`` as an int >= 1; raise ``RSConfigError`` otherwise."""
    return validate_positive_int(node, 'node', ' (the node uid)')


def validate_node_action(node, action, params=None):
    """Return ``(node_uid, body)`` for a node action; raise ``RSConfigError`` before any request."""
    node_uid = validate_node_uid(node)
    if action not in NODE_ACTIONS:
        raise RSConfigError('action must be one of %s; got %r' % (', '.join(NODE_ACTIONS), action))
    if params is not None and not isinstance(params, dict):
        raise RSConfigError('params must be a dictionary')
    return node_uid, copy.deepcopy(params or {})


def node_action_uid(action):
    """The uid of a node action object or of the answer to its POST (``task_id``, or ``action_uid``)."""
    if not isinstance(action, dict):
        return None
    for key in ('action_uid', 'task_id'):
        if action.get(key) not in (None, ''):
            return str(action[key])
    return None


class NodeOperation:
    """Start one node action, unless the node already is where it leads or the same action is running."""

    def __init__(self, client, check_mode=False):
        self.client = client
        self.check_mode = check_mode
        # The same action found queued or running (its object), when run() found one.
        self.running = None

    def _node(self, node_uid, timeout=None):
        try:
            node = self.client.get(('v1', 'nodes', str(node_uid)), timeout=timeout)
        except RSNotFound:
            return None
        return node if isinstance(node, dict) else {}

    def _running(self, node_uid, action):
        """The node's action of that name that is still queued or running (``GET /v1/nodes/<uid>/actions``), with
        or without a uid (the docs' example shows none, and names the remove action ``remove_node``)."""
        try:
            data = self.client.get(('v1', 'nodes', str(node_uid), 'actions'))
        except RSNotFound:
            return None
        items = data.get('actions') if isinstance(data, dict) else data
        names = NODE_ACTION_NAMES.get(action, (action,))
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and item.get('name') in names \
                    and normalize_status(item.get('status')) in IN_PROGRESS_STATUSES:
                return item
        return None

    def _in_maintenance(self, node_uid, node, timeout=None):
        """``(True|False|None, evidence)``: whether the node is in maintenance mode.

        ``GET /v1/nodes/<uid>/status`` has ``maintenance_snapshot`` while a maintenance snapshot exists (docs
        requests/nodes/status.md); where that request is not served, the node's ``accept_servers`` (false while it
        takes no new shards) decides.
        """
        try:
            status = self.client.get(('v1', 'nodes', str(node_uid), 'status'), timeout=timeout)
        except RSNotFound:
            status = None
        if isinstance(status, dict):
            if status.get('maintenance_snapshot'):
                return True, 'its status has the maintenance snapshot %s' % (
                    status['maintenance_snapshot'].get('name') if isinstance(status['maintenance_snapshot'], dict)
                    else status['maintenance_snapshot'])
            return False, 'its status has no maintenance_snapshot'
        accepts = node.get('accept_servers')
        if accepts is None:
            return None, 'unknown'
        return accepts is False, 'accept_servers is %s' % ('true' if accepts else 'false')

    def _already_there(self, node_uid, action, node):
        """The message of a maintenance action whose node already is where it leads, or None."""
        if action not in MAINTENANCE_ACTIONS:
            return None
        wanted, message = MAINTENANCE_ACTIONS[action]
        in_maintenance, evidence = self._in_maintenance(node_uid, node)
        return message % (node_uid, evidence) if in_maintenance is wanted else None

    def reached(self, node_uid, action, timeout=None):
        """Whether the node is where ``action`` leads, as far as RS lets it tell (used when the action's own status
        is gone): in or out of maintenance mode, or removed (404); True for ``enslave_node``, which RS shows nowhere.
        With ``timeout``, its requests together take at most that long (at least ``MIN_POLL_REQUEST`` each)."""
        ends = None if timeout is None else time.monotonic() + timeout

        def left():
            return None if ends is None else max(ends - time.monotonic(), MIN_POLL_REQUEST)

        node = self._node(node_uid, timeout=left())
        if action == 'remove':
            return node is None
        if action not in MAINTENANCE_ACTIONS:
            return True
        if node is None:
            return False
        in_maintenance = self._in_maintenance(node_uid, node, timeout=left())[0]
        return in_maintenance is MAINTENANCE_ACTIONS[action][0]

    def _start(self, node_uid, action, body):
        """``POST /v1/nodes/<uid>/actions/<action>``: RS's answer; an error names the request."""
        path = ('v1', 'nodes', str(node_uid), 'actions', action)
        try:
            return self.client.post(path, json=body)
        except RSError as exc:
            hint = ''
            if isinstance(exc, RSConflict):
                hint = ' (RS runs one %s at a time on a node: wait for the running one and run again)' % action
            exc.msg = '%s on node %s (POST /%s) failed: %s%s' % (action, node_uid, '/'.join(path), exc.msg, hint)
            raise

    def run(self, node, action, params=None):
        node_uid, body = validate_node_action(node, action, params)
        current = self._node(node_uid)
        result = dict(changed=False, node=current or {}, action=action, action_uid=None)
        if current is None:
            if action == 'remove':
                result['msg'] = 'node %s is not in the cluster (404): nothing to remove' % node_uid
                return result
            raise RSNotFound('node %s does not exist (GET /v1/nodes/%s answered 404)' % (node_uid, node_uid), status=404)
        running = self.running = self._running(node_uid, action)
        if running is not None:
            result['action_uid'] = node_action_uid(running)
            result['msg'] = '%s is already running on node %s; not started again' % (action, node_uid)
            return result
        already = self._already_there(node_uid, action, current)
        if already is not None:
            result['msg'] = already
            return result
        result['changed'] = True
        if self.check_mode:
            return result
        response = self._start(node_uid, action, body)
        result['action_uid'] = node_action_uid(response)
        result['response'] = response if isinstance(response, dict) else {}
        return result
