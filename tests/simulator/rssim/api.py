# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The RS REST API (/v1, /v2): authentication, permissions, routing and the handlers.

Order of checks: /v2 switched off -> 404; credentials -> 401; unknown path -> 404; wrong method -> 405;
role lacks the permission -> 403; then the handler (400/404/406/409 and 200).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import re

from . import actions as act
from .bdb import select_fields
from .cluster import ApiError

EVERYONE = ('admin', 'cluster_member', 'cluster_viewer', 'db_member', 'db_viewer', 'user_manager')
WRITERS = ('admin', 'cluster_member', 'db_member')
PERMISSIONS = {
    'view_status_of_cluster_action': EVERYONE,
    'view_bdb_info': EVERYONE,
    'view_node_info': EVERYONE,
    'view_cluster_info': EVERYONE,
    'view_status_of_node_action': EVERYONE,
    'create_bdb': WRITERS,
    'update_bdb': WRITERS,
    'delete_bdb': WRITERS,
    'start_bdb_export': WRITERS,
    'start_bdb_import': WRITERS,
    'reset_bdb_current_export_status': WRITERS,
    'reset_bdb_current_import_status': WRITERS,
    'start_bdb_recovery': WRITERS,
    'view_bdb_recovery_plan': EVERYONE,
    'update_bdb_with_action': WRITERS,
    'start_node_action': ('admin',),
    'cancel_node_action': ('admin',),
}


class Request:  # pylint: disable=too-few-public-methods
    """What a handler needs from an HTTP request."""

    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path
        self.query = query          # dict: name -> last value
        self.headers = headers      # dict with lower-case names
        self.body = body            # raw bytes
        self.user = None

    def flag(self, name):
        return str(self.query.get(name, '')).lower() in ('1', 'true', 'yes')

    def json(self, required=False):
        if not self.body or not self.body.strip():
            if required:
                raise ApiError(400, 'invalid_schema', 'A JSON request body is required')
            return None
        content_type = self.headers.get('content-type', '')
        if 'json' not in content_type.lower():
            raise ApiError(400, 'invalid_header', 'Content-Type must be application/json')
        try:
            return json.loads(self.body.decode('utf-8'))
        except (UnicodeDecodeError, ValueError):
            raise ApiError(400, 'invalid_schema', 'The request body is not valid JSON') from None


class Response:  # pylint: disable=too-few-public-methods
    def __init__(self, status=200, payload=None, headers=None, empty=False):
        self.status = status
        self.payload = payload
        self.headers = headers or {}
        self.empty = empty


def _payload(payload):
    return Response(200, empty=True) if payload is None else Response(200, payload)


def error_response(error):
    return Response(error.status, {'error_code': error.code, 'description': error.description}, error.headers)


class Api:  # pylint: disable=too-many-public-methods
    """Routes /v1 and /v2 requests to the cluster."""

    def __init__(self, cluster):
        self.cluster = cluster
        route = self._route
        self.routes = [
            route('GET', r'/v1/actions', self.v1_actions, 'view_status_of_cluster_action'),
            route('GET', r'/v1/actions/bdb/(?P<bdb>[^/]+)', self.v1_bdb_actions, 'view_status_of_cluster_action'),
            route('GET', r'/v1/actions/(?P<uid>[^/]+)', self.v1_action, 'view_status_of_cluster_action'),
            route('GET', r'/v2/actions', self.v2_actions, 'view_status_of_cluster_action'),
            route('GET', r'/v2/actions/(?P<uid>[^/]+)', self.v2_action, 'view_status_of_cluster_action'),
            route('GET', r'/v1/bdbs', self.list_bdbs, 'view_bdb_info'),
            route('POST', r'/v1/bdbs', self.create_bdb, 'create_bdb'),
            route('POST', r'/v2/bdbs', self.create_bdb_v2, 'create_bdb'),
            route('GET', r'/v1/bdbs/(?P<bdb>[^/]+)', self.get_bdb, 'view_bdb_info'),
            route('PUT', r'/v1/bdbs/(?P<bdb>[^/]+)', self.update_bdb, 'update_bdb'),
            route('DELETE', r'/v1/bdbs/(?P<bdb>[^/]+)', self.delete_bdb, 'delete_bdb'),
            route('POST', r'/v1/bdbs/(?P<bdb>[^/]+)/actions/(?P<kind>export|import)', self.transfer, None),
            route('PUT', r'/v1/bdbs/(?P<bdb>[^/]+)/actions/(?P<kind>export|import)_reset_status', self.reset_transfer, None),
            route('GET', r'/v1/bdbs/(?P<bdb>[^/]+)/actions/recover', self.recovery_plan, 'view_bdb_recovery_plan'),
            route('POST', r'/v1/bdbs/(?P<bdb>[^/]+)/actions/(?P<operation>recover)', self.bdb_operation, 'start_bdb_recovery'),
            route('PUT', r'/v1/bdbs/(?P<bdb>[^/]+)/actions/(?P<operation>rebalance)', self.bdb_operation, 'view_bdb_info'),
            route('PUT', r'/v1/bdbs/(?P<bdb>[^/]+)/actions/(?P<operation>revamp)', self.bdb_operation, 'update_bdb_with_action'),
            route('POST', r'/v1/bdbs/(?P<bdb>[^/]+)/actions/(?P<operation>stop_traffic|resume_traffic)', self.bdb_operation,
                  'update_bdb_with_action'),
            route('POST', r'/v1/bdbs/(?P<bdb>[^/]+)/(?P<operation>upgrade)', self.bdb_operation, 'update_bdb_with_action'),
            route('GET', r'/v1/nodes', self.list_nodes, 'view_node_info'),
            route('GET', r'/v1/nodes/actions', self.all_node_actions, 'view_status_of_node_action'),
            route('GET', r'/v1/nodes/status', self.all_node_status, 'view_node_info'),
            route('GET', r'/v1/nodes/(?P<node>[^/]+)', self.get_node, 'view_node_info'),
            route('GET', r'/v1/nodes/(?P<node>[^/]+)/status', self.node_status, 'view_node_info'),
            route('GET', r'/v1/nodes/(?P<node>[^/]+)/actions', self.node_actions, 'view_status_of_node_action'),
            route('GET', r'/v1/nodes/(?P<node>[^/]+)/actions/(?P<name>[^/]+)', self.get_node_action, 'view_status_of_node_action'),
            route('POST', r'/v1/nodes/(?P<node>[^/]+)/actions/(?P<name>[^/]+)', self.start_node_action, 'start_node_action'),
            route('DELETE', r'/v1/nodes/(?P<node>[^/]+)/actions/(?P<name>[^/]+)', self.cancel_node_action, 'cancel_node_action'),
            route('GET', r'/v1/cluster', self.get_cluster, 'view_cluster_info'),
            route('GET', r'/v1/bootstrap', self.bootstrap, None),
        ]

    @staticmethod
    def _route(method, pattern, handler, permission):
        return method, re.compile(pattern + '/?$'), handler, permission

    # ------------------------------------------------------------ dispatch
    def authenticate(self, request):
        header = request.headers.get('authorization', '')
        scheme, dummy, encoded = header.partition(' ')
        user = None
        if scheme.lower() == 'basic' and encoded:
            try:
                name, sep, password = base64.b64decode(encoded.strip(), validate=True).decode('utf-8').partition(':')
            except (binascii.Error, UnicodeDecodeError):
                sep = ''
            if sep:
                for candidate in self.cluster.config['users']:
                    if candidate['name'].lower() == name.lower() and \
                            hmac.compare_digest(candidate['password'].encode('utf-8'), password.encode('utf-8')):
                        user = candidate
        if user is None:
            realm = self.cluster.config['realm']
            raise ApiError(401, 'unauthorized', 'Authentication required: missing or invalid credentials',
                           {'WWW-Authenticate': f'Basic realm="{realm}"'})
        return user

    def handle(self, request):
        """Answer one /v1 or /v2 request (the caller holds the cluster lock)."""
        try:
            if request.path.startswith('/v2') and not self.cluster.config['v2']:
                raise ApiError(404, 'not_found', 'Not found')
            request.user = self.authenticate(request)
            self.cluster.advance()
            allowed = []
            for method, pattern, handler, permission in self.routes:
                match = pattern.match(request.path)
                if not match:
                    continue
                if method != request.method:
                    allowed.append(method)
                    continue
                self._authorize(request.user, permission or self._dynamic_permission(request, match))
                return handler(request, **match.groupdict())
            if allowed:
                raise ApiError(405, 'method_not_allowed', f'Method {request.method} is not allowed on {request.path}',
                               {'Allow': ', '.join(sorted(set(allowed)))})
            raise ApiError(404, 'not_found', f'Not found: {request.path}')
        except ApiError as error:
            return error_response(error)

    @staticmethod
    def _dynamic_permission(request, match):
        kind = match.groupdict().get('kind')
        if kind and request.method == 'POST':
            return f'start_bdb_{kind}'
        if kind:
            return f'reset_bdb_current_{kind}_status'
        return None

    @staticmethod
    def _authorize(user, permission):
        if permission and user['role'] not in PERMISSIONS.get(permission, ('admin',)):
            raise ApiError(403, 'insufficient_permissions',
                           f'The user does not have the required permission ({permission}) for this request')

    def _write_guard(self, request):
        self.cluster.check_state_id(request.headers)

    # ------------------------------------------------------------ actions
    def v1_actions(self, request):
        del request
        tasks = [self.cluster.v1_object(a, s) for a, s in self.cluster.visible_actions((act.TASK,))]
        machines = [self.cluster.v1_object(a, s) for a, s in self.cluster.visible_actions((act.SM,))]
        return Response(200, {'actions': tasks, 'state-machines': machines})

    def v1_action(self, request, uid):
        del request
        action, snap = self.cluster.find_action(uid, kinds=(act.TASK, act.SM))
        return Response(200, self.cluster.v1_object(action, snap))

    def v1_bdb_actions(self, request, bdb):
        del request
        if not self.cluster.config['v1_bdb_actions']:
            raise ApiError(404, 'not_found', f'Not found: /v1/actions/bdb/{bdb}')
        found = self.cluster.get_bdb(bdb)
        name = f'bdb:{found.uid}'
        return Response(200, [self.cluster.v1_object(a, s) for a, s in self.cluster.visible_actions((act.SM,)) if a.object_name == name])

    def v2_actions(self, request):
        del request
        if self.cluster.config['v2_actions_invalid_schema']:
            raise ApiError(400, 'invalid_schema', 'Invalid schema in response: actions')
        return Response(200, [self.cluster.v2_object(a, s) for a, s in self.cluster.visible_actions()])

    def v2_action(self, request, uid):
        del request
        action, snap = self.cluster.find_action(uid)
        return Response(200, self.cluster.v2_object(action, snap))

    # ------------------------------------------------------------ databases
    def list_bdbs(self, request):
        fields = request.query.get('fields')
        return Response(200, [select_fields(body, fields) for body in self.cluster.list_bdbs()])

    def get_bdb(self, request, bdb):
        return Response(200, select_fields(self.cluster.render_bdb(self.cluster.get_bdb(bdb)), request.query.get('fields')))

    def create_bdb(self, request):
        body = request.json(required=True)
        dry_run = request.flag('dry_run')
        if not dry_run:
            self._write_guard(request)
        return Response(200, self.cluster.create_bdb(body, dry_run=dry_run))

    def create_bdb_v2(self, request):
        body = request.json(required=True)
        if not isinstance(body, dict) or not isinstance(body.get('bdb'), dict):
            raise ApiError(400, 'invalid_schema', "'bdb' is a required property")
        unknown = sorted(set(body) - {'bdb', 'recovery_plan'})
        if unknown:
            raise ApiError(400, 'invalid_schema', f"Additional properties are not allowed ('{unknown[0]}' was unexpected)")
        dry_run = request.flag('dry_run')
        if not dry_run:
            self._write_guard(request)
        return Response(200, self.cluster.create_bdb(body['bdb'], dry_run=dry_run))

    def update_bdb(self, request, bdb):
        self.cluster.get_bdb(bdb)
        body = request.json(required=True)
        dry_run = request.flag('dry_run')
        if not dry_run:
            self._write_guard(request)
        return Response(200, self.cluster.update_bdb(bdb, body, dry_run=dry_run))

    def delete_bdb(self, request, bdb):
        self.cluster.get_bdb(bdb)
        self._write_guard(request)
        self.cluster.delete_bdb(bdb)
        return Response(200, empty=True)

    def transfer(self, request, bdb, kind):
        self.cluster.get_bdb(bdb)
        body = request.json()
        return _payload(self.cluster.bdb_transfer(bdb, kind, body))

    def bdb_operation(self, request, bdb, operation):
        self.cluster.get_bdb(bdb)
        body = request.json()
        return _payload(self.cluster.bdb_operation(bdb, operation, body, dict(request.query)))

    def recovery_plan(self, request, bdb):
        del request
        return Response(200, self.cluster.recovery_plan(bdb))

    def reset_transfer(self, request, bdb, kind):
        del request
        self.cluster.reset_transfer_status(bdb, kind)
        return Response(200, empty=True)

    # ------------------------------------------------------------ nodes and cluster
    def list_nodes(self, request):
        del request
        return Response(200, [self.cluster.node(uid) for uid in self.cluster.node_uids])

    def get_node(self, request, node):
        del request
        return Response(200, self.cluster.node(node))

    def all_node_actions(self, request):
        del request
        return Response(200, self.cluster.node_actions_list())

    def node_actions(self, request, node):
        del request
        return Response(200, self.cluster.node_actions_list(node))

    def get_node_action(self, request, node, name):
        del request
        return Response(200, self.cluster.node_action(node, name))

    def start_node_action(self, request, node, name):
        return _payload(self.cluster.start_node_action(node, name, request.json()))

    def all_node_status(self, request):
        del request
        return Response(200, {uid: self.cluster.node_status(uid) for uid in self.cluster.node_uids})

    def node_status(self, request, node):
        del request
        return Response(200, self.cluster.node_status(node))

    def cancel_node_action(self, request, node, name):
        del request
        self.cluster.cancel_node_action(node, name)
        return Response(200, empty=True)

    def get_cluster(self, request):
        del request
        config = self.cluster.config
        return Response(200, {'name': config['cluster_name'], 'email_alerts': False, 'rack_aware': False,
                              'cm_port': 8443, 'cnm_https_port': 9443})

    def bootstrap(self, request):
        del request
        return Response(200, {'bootstrap_status': {'state': 'completed'}, 'local_node_info': {'uid': '1'}})
