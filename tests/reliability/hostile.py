# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile HTTPS servers for the reliability matrix: local (127.0.0.1), verified with the simulators' CA.

A ``HostileServer`` answers every request with one *behaviour* and logs what it received (method, path, time,
user), like the simulator's request log. Behaviours:

* ``drip``: the headers at once (status 200, a Content-Length of 4 KB), then the body one byte a second, for at most
  ``drip_for`` seconds (then the connection is closed): a client without a total deadline hangs that long.
* ``deep``: JSON nested ``depth`` levels deep: first as a 500, then as a 200, then (from the third request on) a
  normal answer: the action completed. A client that treats deep JSON as a transient invalid response completes.
* ``gzip_bomb``: ``Content-Encoding: gzip``, about 1 MB on the wire that inflates to 1 GB (of JSON whitespace).
* ``huge_list``: ``GET /v2/actions`` answers a list of ``count`` completed actions (about 50 MB), among them the
  awaited ones; ``GET /v2/actions/<uid>`` answers the action.
* ``case_uid``: the action (completed) with its ``action_uid`` in upper case: same uid, other case.
* ``db_drip``: a small RS for ``rs_database`` (``wait: true``): no database, ``POST /v1/bdbs`` answers a pending
  database with the action ``uids[0]``, and every actions path drips as ``drip`` does.
* ``db_gone``: one database (``uid`` 1, named ``orders``) that ``DELETE`` accepts; the polls of its deletion then
  answer ``delete-pending`` twice, then ``after_delete``: ``401`` (a permanent error in the middle of the wait) or
  ``drip`` (a body that never completes).
* ``db_echo``: one active database (``uid`` 1, named ``orders``) whose answers echo the secret ``echo``: as its
  ``authentication_redis_pass`` and in the URI of a sync source, as a cluster that returns what it was given.
"""

from __future__ import annotations

import gzip
import http.server
import json
import os
import shutil
import socketserver
import sys
import threading
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'simulator'))

from rssim.tls import ensure_certs, server_context  # noqa: E402  pylint: disable=wrong-import-position

_BOMB = {}


def gzip_bomb(inflated=1 << 30, chunk=16 << 20):
    """Gzip members that inflate to ``inflated`` bytes of JSON (an empty list padded with spaces); cached."""
    key = (inflated, chunk)
    if key not in _BOMB:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        member = compressor.compress(b' ' * chunk) + compressor.flush()
        count = inflated // chunk
        _BOMB[key] = gzip.compress(b'[') + member * count + gzip.compress(b']')
    return _BOMB[key]


def v2_action(uid, status='completed', progress=100.0, name='SMCreateBDB', object_uid='7'):
    return {'action_uid': uid, 'action_type': 'state-machine', 'creation_time': int(time.time()) - 60, 'name': name,
            'progress': progress, 'status': status,
            'additional_info': {'description': 'Updating database', 'object_type': 'bdb', 'object_uid': object_uid}}


def huge_list_body(uids, count):
    """A JSON list of ``count`` completed v2 actions (about 500 bytes each): SMUpdateBDB fillers, then the awaited
    ``uids`` (SMCreateBDB) at the end."""
    filler = {'description': 'x' * 300, 'object_type': 'bdb', 'object_uid': '7'}
    parts = []
    for index in range(count - len(uids)):
        action = v2_action(f'filler-{index:08d}-0000-0000-0000-000000000000', name='SMUpdateBDB')
        action['additional_info'] = filler
        parts.append(json.dumps(action))
    parts += [json.dumps(v2_action(uid)) for uid in uids]
    return ('[' + ','.join(parts) + ']').encode()


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'hostile'
    sys_version = ''

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass

    def do_GET(self):  # pylint: disable=invalid-name
        owner = self.server.owner
        path = self.path.split('?', 1)[0]
        count = owner.log(self.command, path, self.headers.get('Authorization'))
        owner.respond(self, path, count)

    do_POST = do_PUT = do_DELETE = do_GET

    def send_body(self, status, body, content_type='application/json', headers=None):
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, owner, context):
        self.owner = owner
        self.context = context
        super().__init__(('127.0.0.1', 0), _Handler)

    def get_request(self):
        sock, address = super().get_request()
        # The handshake happens in the handler's thread, on its first read: a slow client does not block accept().
        return self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

    def handle_error(self, request, client_address):
        pass


class HostileServer:
    """One hostile HTTPS server. ``url``, ``ca_path``, ``requests()``, ``stop()``."""

    def __init__(self, behaviour, cert_dir, state_dir, uids=(), depth=1000, count=100000, drip_every=1.0,
                 drip_for=20.0, after_delete='401', echo=None):
        self.behaviour = behaviour
        self.echo = echo
        self.after_delete = after_delete
        self._deleted_polls = None
        self.uids = list(uids)
        self.depth = depth
        self.count = count
        self.drip_every = drip_every
        self.drip_for = drip_for
        self._log = []
        self._lock = threading.Lock()
        self._halt = threading.Event()
        self._list_body = None
        shutil.copytree(cert_dir, state_dir, ignore=shutil.ignore_patterns('url', 'pid'), dirs_exist_ok=True)
        self.ca_path, cert_path, key_path = ensure_certs(state_dir)
        if behaviour == 'huge_list':
            self._list_body = huge_list_body(self.uids, count)
        elif behaviour == 'gzip_bomb':
            gzip_bomb()
        self._server = _Server(self, server_context(cert_path, key_path))
        self.url = 'https://127.0.0.1:%d' % self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={'poll_interval': 0.1}, daemon=True,
                                        name=f'hostile-{behaviour}')
        self._thread.start()

    @property
    def list_size(self):
        return len(self._list_body or b'')

    def log(self, method, path, authorization):
        with self._lock:
            index = len(self._log)
            self._log.append({'index': index, 'method': method, 'path': path, 'time': time.time(),
                              'authorized': bool(authorization), 'status': None, 'fault': None})
            return index

    def requests(self):
        with self._lock:
            return [dict(entry) for entry in self._log]

    def stop(self):
        self._halt.set()
        self._server.shutdown()
        self._server.server_close()

    # ------------------------------------------------------------------------------------------ behaviours
    def _uid_of(self, path):
        parts = [part for part in path.split('/') if part]
        return parts[2] if len(parts) == 3 and parts[1] == 'actions' else None

    def _normal(self, handler, path, case=str):
        uid = self._uid_of(path)
        if uid is None:
            body = [v2_action(case(u)) for u in self.uids]
        else:
            body = v2_action(case(uid))
        handler.send_body(200, json.dumps(body).encode())

    def respond(self, handler, path, index):
        getattr(self, '_' + self.behaviour)(handler, path, index)

    def _drip(self, handler, path, index):  # pylint: disable=unused-argument
        uid = self._uid_of(path)
        body = json.dumps(v2_action(uid) if uid else [v2_action(u) for u in self.uids]).encode()
        body = body + b' ' * max(0, 4096 - len(body))
        stop = time.monotonic() + self.drip_for
        handler.send_response(200)
        handler.send_header('Content-Type', 'application/json')
        handler.send_header('Content-Length', str(len(body)))
        handler.end_headers()
        try:
            handler.wfile.flush()
            for byte in range(len(body)):
                if self._halt.wait(self.drip_every) or time.monotonic() > stop:
                    break
                handler.wfile.write(body[byte:byte + 1])
                handler.wfile.flush()
        except OSError:
            pass
        handler.close_connection = True
        self._mark(index, 200, 'drip')

    def _deep(self, handler, path, index):
        if index >= 2:
            self._normal(handler, path)
            self._mark(index, 200, None)
            return
        body = ('[' * self.depth + ']' * self.depth).encode()
        status = 500 if index == 0 else 200
        handler.send_body(status, body)
        self._mark(index, status, 'deep')

    def _gzip_bomb(self, handler, path, index):  # pylint: disable=unused-argument
        handler.send_body(200, gzip_bomb(), headers={'Content-Encoding': 'gzip'})
        self._mark(index, 200, 'gzip_bomb')

    def _huge_list(self, handler, path, index):
        if self._uid_of(path) is None:
            handler.send_body(200, self._list_body)
            self._mark(index, 200, 'huge_list')
        else:
            self._normal(handler, path)
            self._mark(index, 200, None)

    def _case_uid(self, handler, path, index):
        self._normal(handler, path, case=str.upper)
        self._mark(index, 200, 'case_uid')

    def _db_drip(self, handler, path, index):
        parts = [part for part in path.split('/') if part]
        if 'actions' in parts:
            self._drip(handler, path, index)
            return
        database = {'uid': 1, 'name': 'orders', 'status': 'pending', 'memory_size': 104857600}
        if handler.command == 'POST':
            handler.send_body(200, json.dumps(dict(database, action_uid=self.uids[0])).encode())
        elif parts == ['v1', 'bdbs']:
            handler.send_body(200, b'[]')
        else:
            handler.send_body(200, json.dumps(database).encode())
        self._mark(index, 200, None)

    def _db_gone(self, handler, path, index):
        database = {'uid': 1, 'name': 'orders', 'status': 'active', 'memory_size': 104857600}
        if handler.command == 'DELETE':
            self._deleted_polls = 0
            handler.send_body(200, b'{}')
        elif path == '/v1/bdbs':
            handler.send_body(200, json.dumps([database]).encode())
        elif self._deleted_polls is None:
            handler.send_body(200, json.dumps(database).encode())
        else:
            self._deleted_polls += 1
            if self._deleted_polls <= 2:
                handler.send_body(200, json.dumps(dict(database, status='delete-pending')).encode())
            elif self.after_delete == 'drip':
                self._drip(handler, path, index)
                return
            else:
                handler.send_body(401, json.dumps({'error_code': 'unauthorized',
                                                   'description': 'the session was revoked'}).encode())
                self._mark(index, 401, 'permanent')
                return
        self._mark(index, 200, None)

    def _db_echo(self, handler, path, index):
        database = {'uid': 1, 'name': 'orders', 'status': 'active', 'memory_size': 104857600,
                    'authentication_redis_pass': self.echo,
                    'sync_sources': [{'uri': 'redis://:%s@10.0.0.5:12000' % self.echo, 'status': 'in-sync'}]}
        handler.send_body(200, json.dumps([database] if path == '/v1/bdbs' else database).encode())
        self._mark(index, 200, 'echo')

    def _mark(self, index, status, fault):
        with self._lock:
            self._log[index].update(status=status, fault=fault)
