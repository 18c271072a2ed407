# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The data plane: an active database answers on its endpoint port (127.0.0.1 only).

Mode ``redis`` runs ``redis-server --port P --save "" --appendonly no`` per database; mode ``builtin`` runs a tiny
RESP responder (PING, ECHO, SET, GET, DEL, EXISTS, DBSIZE, FLUSHALL, SELECT, AUTH, INFO, COMMAND, QUIT); ``auto``
picks ``redis`` when ``redis-server`` is on PATH; ``off`` listens nowhere.
"""

from __future__ import annotations

import shutil
import socket
import socketserver
import subprocess
import threading

HOST = '127.0.0.1'


def _port_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def _bulk(value):
    if value is None:
        return b'$-1\r\n'
    return b'$%d\r\n%s\r\n' % (len(value), value)


class _RespHandler(socketserver.StreamRequestHandler):
    timeout = 300

    def _read_command(self):
        line = self.rfile.readline(65536)
        if not line:
            return None
        if not line.startswith(b'*'):
            return line.strip().split()
        args = []
        for dummy in range(int(line[1:].strip() or 0)):
            header = self.rfile.readline(65536)
            if not header.startswith(b'$'):
                return None
            size = int(header[1:].strip())
            args.append(self.rfile.read(size + 2)[:size])
        return args

    def handle(self):
        try:
            while True:
                args = self._read_command()
                if args is None:
                    return
                if not args:
                    continue
                reply = self._reply(args)
                self.wfile.write(reply)
                self.wfile.flush()
                if args[0].upper() == b'QUIT':
                    return
        except (OSError, ValueError):
            return

    def _reply(self, args):  # pylint: disable=too-many-return-statements
        data = self.server.data
        command = args[0].upper()
        if command == b'PING':
            return _bulk(args[1]) if len(args) > 1 else b'+PONG\r\n'
        if command == b'ECHO' and len(args) == 2:
            return _bulk(args[1])
        if command == b'SET' and len(args) >= 3:
            data[args[1]] = args[2]
            return b'+OK\r\n'
        if command == b'GET' and len(args) == 2:
            return _bulk(data.get(args[1]))
        if command in (b'DEL', b'EXISTS') and len(args) >= 2:
            found = [key for key in args[1:] if key in data]
            if command == b'DEL':
                for key in found:
                    data.pop(key, None)
            return b':%d\r\n' % len(found)
        if command == b'DBSIZE':
            return b':%d\r\n' % len(data)
        if command in (b'FLUSHALL', b'FLUSHDB'):
            data.clear()
            return b'+OK\r\n'
        if command in (b'SELECT', b'AUTH', b'QUIT', b'CLIENT'):
            return b'+OK\r\n'
        if command == b'INFO':
            return _bulk(b'# Server\r\nredis_version:7.4.0\r\nredis_mode:standalone\r\n')
        if command == b'COMMAND':
            return b'*0\r\n'
        return b"-ERR unknown command '%s'\r\n" % command.lower()


class _RespServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port):
        super().__init__((HOST, port), _RespHandler)
        self.data = {}

    def handle_error(self, request, client_address):
        """Client disconnects are normal here."""


class DataPlane:
    """Listeners keyed by bdb uid."""

    def __init__(self, log=None):
        self._lock = threading.Lock()
        self._running = {}
        self.log = log or (lambda message: None)

    @staticmethod
    def resolve(mode):
        if mode == 'auto':
            return 'redis' if shutil.which('redis-server') else 'builtin'
        return mode

    def start(self, key, port, mode):
        """Listen on ``port`` for database ``key``. False when the port is busy."""
        mode = self.resolve(mode)
        if mode == 'off':
            return _port_free(port)
        self.stop(key)
        if mode == 'redis':
            if not _port_free(port):
                return False
            proc = subprocess.Popen([shutil.which('redis-server') or 'redis-server', '--port', str(port), '--bind', HOST,  # pylint: disable=consider-using-with
                                     '--save', '', '--appendonly', 'no'],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
            with self._lock:
                self._running[key] = ('redis', proc)
            return True
        try:
            server = _RespServer(port)
        except OSError:
            return False
        thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.2}, daemon=True,
                                  name=f'rssim-resp-{port}')
        thread.start()
        with self._lock:
            self._running[key] = ('builtin', server)
        return True

    def stop(self, key):
        """Stop the listener of ``key``; returns a thread to join (or None) while a built-in one shuts down."""
        with self._lock:
            entry = self._running.pop(key, None)
        if entry is None:
            return None
        kind, handle = entry
        if kind == 'redis':
            handle.terminate()
            try:
                handle.wait(timeout=3)
            except subprocess.TimeoutExpired:
                handle.kill()
                handle.wait(timeout=3)
            return None
        thread = threading.Thread(target=self._stop_server, args=(handle,), daemon=True)
        thread.start()
        return thread

    @staticmethod
    def _stop_server(server):
        server.shutdown()
        server.server_close()

    def stop_all(self):
        with self._lock:
            keys = list(self._running)
        threads = [self.stop(key) for key in keys]
        for thread in threads:
            if thread is not None:
                thread.join(timeout=5)
