# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTP(S) server: HTTP/1.1 with keep-alive, one thread per connection, TLS per connection.

``Simulator`` ties the parts together: configuration, certificates, cluster state, API, control API, faults,
request log and data plane. ``start()`` binds and serves in a background thread; ``stop()`` ends everything.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import socketserver
import ssl
import sys
import tempfile
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from . import tls
from .api import Api, Request, Response
from .cluster import Cluster
from .config import defaults, merge
from .control import Control, RequestLog
from .dataplane import DataPlane
from .faults import HTML_PAGE, Faults

GARBAGE = b'<<<\x00 this is not JSON {"actions": [ }'
DISCONNECTS = (ConnectionError, ssl.SSLError, socket.timeout, TimeoutError)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, simulator):
        self.sim = simulator
        super().__init__(address, Handler)

    def server_bind(self):
        # Skip HTTPServer.server_bind: its getfqdn() may wait on DNS.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def finish_request(self, request, client_address):
        connection = request
        try:
            request.settimeout(30)
            request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.sim.ssl_context is not None:
                connection = self.sim.ssl_context.wrap_socket(request, server_side=True)
            self.sim.track(connection, True)
            try:
                self.RequestHandlerClass(connection, client_address, self)
            finally:
                self.sim.track(connection, False)
        except DISCONNECTS:
            pass
        except OSError:
            pass
        finally:
            if connection is not request:
                try:
                    connection.close()
                except OSError:
                    pass

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if not isinstance(exc, (OSError,) + DISCONNECTS):
            self.sim.log('error while handling a request:\n' + traceback.format_exc())


class _Drop(Exception):
    """Close the connection without answering."""


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'envoy'
    sys_version = ''
    timeout = 120

    # ------------------------------------------------------------ BaseHTTPRequestHandler hooks
    def do_GET(self):  # pylint: disable=invalid-name
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def handle(self):
        try:
            super().handle()
        except _Drop:
            self.close_connection = True
            self._hard_close()
        except DISCONNECTS:
            self.close_connection = True

    def version_string(self):
        return self.server_version

    def log_request(self, code='-', size='-'):
        """Requests are logged by _dispatch (with their duration)."""

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        self.server.sim.log(format % args)

    def send_error(self, code, message=None, explain=None):
        """Protocol-level errors (bad request line, unsupported method) as RS-style JSON."""
        del explain
        body = json.dumps({'error_code': 'bad_request' if code == 400 else 'http_error',
                           'description': message or self.responses.get(code, ('',))[0]}).encode()
        self.close_connection = True
        try:
            self.send_response(code, message)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(body)))
            self.send_header('Connection', 'close')
            self.send_header('cluster-state-id', str(self.server.sim.cluster.state_id))
            self.end_headers()
            if self.command != 'HEAD' and code >= 200 and code not in (204, 304):
                self.wfile.write(body)
        except DISCONNECTS:
            pass

    # ------------------------------------------------------------ request handling
    def _hard_close(self):
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _read_body(self):
        length = self.headers.get('Content-Length')
        if not length:
            return b''
        try:
            size = int(length)
        except ValueError:
            return None
        return self.rfile.read(size) if size > 0 else b''

    def _dispatch(self):
        sim = self.server.sim
        started = time.time()
        split = urlsplit(self.path)
        path, query_string = split.path or '/', split.query
        query = dict(parse_qsl(query_string, keep_blank_values=True))
        body = self._read_body()
        if body is None:
            self.send_error(400, 'Invalid Content-Length')
            return
        if path == '/_sim' or path.startswith('/_sim/'):
            try:
                response = sim.control.handle(self.command, path, query, body)
            except Exception:  # pylint: disable=broad-except
                sim.log('internal error in the control API:\n' + traceback.format_exc())
                response = Response(500, {'error_code': 'internal_error', 'description': 'Internal simulator error'})
            self._send(response)
            return
        record = {'method': self.command, 'path': path, 'query': query_string, 'time': started, 'status': None,
                  'duration': None, 'user': None, 'fault': None}
        try:
            self._api_request(sim, record, path, query, body)
        finally:
            record['duration'] = round(time.time() - started, 6)
            sim.request_log.add(record)
            sim.log(f'{self.command} {self.path} {record["status"] or "-"}'
                    f'{" fault=" + record["fault"] if record["fault"] else ""} {record["duration"] * 1000:.1f}ms')

    def _api_request(self, sim, record, path, query, body):
        fault = sim.faults.match(self.command, path)
        if fault:
            record['fault'] = fault['kind']
            self._pre_fault(sim, fault, record)
        request = Request(self.command, path, query, {k.lower(): v for k, v in self.headers.items()}, body)
        try:
            with sim.cluster.lock:
                response = sim.api.handle(request)
        except Exception:  # pylint: disable=broad-except
            sim.log('internal error:\n' + traceback.format_exc())
            response = Response(500, {'error_code': 'internal_error', 'description': 'Internal simulator error'})
        record['user'] = request.user['name'] if request.user else None
        record['status'] = response.status
        if fault and fault['kind'] == 'truncated':
            self._send(response, truncate=True, short_read=fault.get('short_read'))
        else:
            self._send(response)

    def _pre_fault(self, sim, fault, record):
        kind = fault['kind']
        if kind in ('drop', 'refuse'):
            if kind == 'refuse':
                sim.refuse_soon(fault['seconds'], delay=0.0)
            raise _Drop()
        if kind == 'slow':
            time.sleep(fault['seconds'])
            return
        if kind == 'truncated':
            return                 # answered normally, then cut by _send
        if kind == 'status':
            headers = {}
            if fault.get('retry_after') is not None:
                headers['Retry-After'] = f"{fault['retry_after']:g}"
            if fault['status'] == 401:
                headers['WWW-Authenticate'] = f'Basic realm="{sim.cluster.config["realm"]}"'
            response = Response(fault['status'], {'error_code': fault['error_code'], 'description': fault['description']},
                                headers)
        elif kind == 'html':
            page = fault.get('body') or HTML_PAGE.format(status=fault['status'])
            response = Response(fault['status'], page.encode('utf-8'), {'Content-Type': 'text/html'})
        else:  # invalid_json
            response = Response(200, GARBAGE)
        record['status'] = response.status
        self._send(response)
        raise _Handled()

    def _send(self, response, truncate=False, short_read=False):
        sim = self.server.sim
        headers = dict(response.headers)
        if response.empty:
            data = b''
        elif isinstance(response.payload, bytes):
            data = response.payload
            headers.setdefault('Content-Type', 'application/json')
        else:
            data = json.dumps(response.payload).encode('utf-8')
            headers.setdefault('Content-Type', 'application/json')
        full_length = len(data)
        if truncate and data:
            data = data[:max(1, len(data) // 2)]
        self.send_response(response.status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header('Content-Length', str(full_length if short_read else len(data)))
        self.send_header('cluster-state-id', str(sim.cluster.state_id))
        self.send_header('x-envoy-upstream-service-time', '1')
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()
        if short_read:
            raise _Drop()

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except _Handled:
            pass


class _Handled(Exception):
    """A fault already answered the request."""


class Simulator:  # pylint: disable=too-many-instance-attributes
    """A simulated RS cluster on ``host:port`` (0 = a free port)."""

    def __init__(self, config=None, *, host='127.0.0.1', port=0, state_dir=None, http=False, cert_name=None,
                 log_requests=False, log_stream=None):
        self.config = merge(defaults(), config or {})
        self.host = host
        self.port = port
        self.http = http
        self.cert_name = cert_name
        self._own_state_dir = state_dir is None
        self.state_dir = os.path.abspath(state_dir or tempfile.mkdtemp(prefix='rs-sim-'))
        self.log_requests = log_requests
        self._log_stream = log_stream if log_stream is not None else sys.stderr
        self._log_lock = threading.Lock()
        self.dataplane = DataPlane(log=self.log)
        self.cluster = Cluster(self.config, dataplane=self.dataplane, log=self.log)
        self.api = Api(self.cluster)
        self.control = Control(self)
        self.faults = Faults()
        self.request_log = RequestLog(self.config['max_request_log'])
        self.ssl_context = None
        self.ca_path = self.cert_path = self.key_path = None
        self.url = None
        self._httpd = None
        self._thread = None
        self._ticker = None
        self._stopping = threading.Event()
        self._refuse_lock = threading.Lock()
        self._refuse_until = 0.0
        self._connections = set()
        self._conn_lock = threading.Lock()

    # ------------------------------------------------------------ helpers used by the handlers
    def log(self, message):
        if not self.log_requests or self._log_stream is None:
            return
        with self._log_lock:
            try:
                self._log_stream.write(f'[rssim {time.strftime("%H:%M:%S")}] {message}\n')
                self._log_stream.flush()
            except (OSError, ValueError):
                pass

    def track(self, connection, add):
        with self._conn_lock:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def _close_connections(self):
        with self._conn_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def reset(self):
        with self.cluster.lock:
            self.cluster.reset()
        self.faults.clear()
        self.request_log.clear()

    # ------------------------------------------------------------ lifecycle
    def start(self):
        self.ca_path, self.cert_path, self.key_path = tls.ensure_certs(self.state_dir, self.host, self.cert_name)
        if not self.http:
            self.ssl_context = tls.server_context(self.cert_path, self.key_path)
        self._httpd = _Server((self.host, self.port), self)
        self.port = self._httpd.server_address[1]
        self.url = f'{"http" if self.http else "https"}://{self.host}:{self.port}'
        self._thread = threading.Thread(target=self._serve, name='rssim-http', daemon=True)
        self._thread.start()
        self._ticker = threading.Thread(target=self._tick, name='rssim-ticker', daemon=True)
        self._ticker.start()
        url_file = os.path.join(self.state_dir, 'url')
        with open(url_file + '.tmp', 'w', encoding='utf-8') as handle:
            handle.write(self.url + '\n')
        os.replace(url_file + '.tmp', url_file)
        return self

    def _tick(self):
        """Apply finished actions' effects even when nobody asks (so data-plane ports open on time)."""
        while not self._stopping.wait(0.25):
            with self.cluster.lock:
                self.cluster.advance()

    def _serve(self):
        while not self._stopping.is_set():
            self._httpd.serve_forever(poll_interval=0.1)
            if self._stopping.is_set():
                break
            self._httpd.socket.close()
            self._close_connections()
            while not self._stopping.is_set():
                with self._refuse_lock:
                    remaining = self._refuse_until - time.time()
                if remaining <= 0:
                    break
                self._stopping.wait(min(remaining, 0.1))
            if self._stopping.is_set():
                break
            self._rebind()

    def _rebind(self):
        for dummy in range(100):
            try:
                self._httpd.socket = socket.socket(self._httpd.address_family, self._httpd.socket_type)
                self._httpd.server_bind()
                self._httpd.server_activate()
                self.log(f'listening again on port {self.port}')
                return
            except OSError:
                self._httpd.socket.close()
                time.sleep(0.05)
        self.log(f'could not listen again on port {self.port}')
        self._stopping.set()

    def refuse_soon(self, seconds, delay=0.05):
        """Stop listening for ``seconds`` (a master failover), starting after ``delay`` s."""
        httpd = self._httpd

        def begin():
            if delay:
                time.sleep(delay)
            with self._refuse_lock:
                already = self._refuse_until > time.time()
                self._refuse_until = max(self._refuse_until, time.time() + seconds)
            if not already and httpd is not None and not self._stopping.is_set():
                self.log(f'refusing connections for {seconds:g} s')
                httpd.shutdown()
        threading.Thread(target=begin, name='rssim-refuse', daemon=True).start()

    def stop(self):
        if self._httpd is None:
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._close_connections()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._ticker is not None:
            self._ticker.join(timeout=5)
        self.dataplane.stop_all()
        self._httpd = None
        url_file = os.path.join(self.state_dir, 'url')
        if self._own_state_dir:
            shutil.rmtree(self.state_dir, ignore_errors=True)
        elif os.path.exists(url_file):
            os.remove(url_file)
