# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The small framework of the reliability suite: cases, simulators, batched playbook runs, checks, the report.

A ``Case`` is a row of the matrix: a name, what a user expects, and how to run and judge it.

* A *batched* case (``setup`` + ``verify``) contributes one inventory host per code path to ONE playbook run of its
  group: ``setup(env)`` starts its own simulator(s), arms faults and returns a ``HostSpec`` (tasks, variables);
  every host runs its own task file in parallel (``strategy: free``). ``verify(view, out)`` then judges the recorded
  results of that host and the simulator's request log.
* A *custom* case (``run``) does whatever it needs (several role runs at once, scans of every output so far).

``Outcome`` collects what happened (``note``) and what went wrong (``expect``); a case passes when nothing went
wrong. Every output of every run (``-vvvv`` playbook output, recorded results) is kept in ``Env.outputs`` for the
secrets scan.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import traceback
from urllib.parse import quote

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'simulator'))

from rssim import ADMIN_USER, DEFAULT_PASSWORD  # noqa: E402  pylint: disable=wrong-import-position
from rssim.testing import start_simulator  # noqa: E402  pylint: disable=wrong-import-position

COLLECTION = 'redis_enterprise.software'
TRACEBACK_MARK = 'Traceback (most recent call last)'
# Environment variables that would change what a playbook does behind the suite's back.
SCRUBBED_ENV = ('REDIS_ENTERPRISE_URL', 'REDIS_ENTERPRISE_USER', 'REDIS_ENTERPRISE_PASSWORD', 'REDIS_ENTERPRISE_CA_PATH',
                'REDIS_ENTERPRISE_INSECURE', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
                'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'ANSIBLE_CONFIG')

# Every password the suite hands to the collection. None of them, nor their Basic-auth or URL-encoded forms, may
# appear in any output.
PASSWORD = DEFAULT_PASSWORD                     # admin@example.com on every simulator
ENV_USER, ENV_PASSWORD = 'env-user@example.com', 'Env-Only-S3cret-8c1f'
URL_USER, URL_PASSWORD = 'url-user@example.com', 'In-Url-S3cret-5d2e'
SPECIAL_USER, SPECIAL_PASSWORD = 'special@example.com', 'Sp3c:al%20-S3cret'
UNICODE_USER, UNICODE_PASSWORD = 'unicode@example.com', 'Caf\u00e9-S3cret-77d1'
WRONG_PASSWORD = 'Wrong-S3cret-9a7b'
DB_PASSWORD = 'Db-Auth-S3cret-3f9a'             # config.authentication_redis_pass of a database
USERS = [{'name': name, 'password': password, 'role': 'admin'}
         for name, password in ((ENV_USER, ENV_PASSWORD), (URL_USER, URL_PASSWORD), (SPECIAL_USER, SPECIAL_PASSWORD),
                                (UNICODE_USER, UNICODE_PASSWORD))]
# (what it is, the user it goes with, the password)
SECRETS = [('password of admin', ADMIN_USER, PASSWORD), ('password from the environment', ENV_USER, ENV_PASSWORD),
           ('password in the url', URL_USER, URL_PASSWORD), ("password with ':' and '%'", SPECIAL_USER, SPECIAL_PASSWORD),
           ('non-ASCII password', UNICODE_USER, UNICODE_PASSWORD), ('wrong password', ADMIN_USER, WRONG_PASSWORD),
           ('database password (config.authentication_redis_pass)', 'default', DB_PASSWORD)]


def secret_forms():
    """``(label, text)`` for every form of every password that must never be printed: as is, URL-encoded, escaped
    in JSON, and as the Basic-auth token (UTF-8 and Latin-1 encodings)."""
    forms = []
    for label, user, password in SECRETS:
        variants = [(label, password), (f'{label}, URL-encoded', quote(password, safe='')),
                    (f'{label}, JSON-escaped', json.dumps(password)[1:-1])]
        for encoding in ('utf-8', 'latin-1'):
            token = base64.b64encode(f'{user}:{password}'.encode(encoding)).decode()
            variants.append((f'{label}, Basic token ({encoding})', token))
        for variant in variants:
            if variant[1] not in [text for dummy, text in forms]:
                forms.append(variant)
    return forms


SECRET_FORMS = secret_forms()


def find_secrets(text):
    """Labels of the secret forms found in ``text``."""
    return [label for label, secret in SECRET_FORMS if secret in text]


def redact(text):
    for dummy, secret in SECRET_FORMS:
        text = text.replace(secret, '<SECRET>')
    return text


def short(text, limit=160):
    """One line, at most ``limit`` characters, secrets redacted."""
    text = redact(' '.join(str(text).split()))
    return text if len(text) <= limit else text[:limit - 3] + '...'


# ------------------------------------------------------------------------------------------------------------ cases

class Outcome:
    """What happened in one case, and what went against the expectation."""

    def __init__(self):
        self.facts = []
        self.problems = []

    def note(self, text):
        self.facts.append(str(text))

    def expect(self, condition, problem):
        if not condition:
            self.problems.append(str(problem))
        return bool(condition)

    @property
    def passed(self):
        return not self.problems

    def text(self):
        parts = list(self.facts)
        if self.problems:
            parts.append('FAILED: ' + '; '.join(self.problems))
        return redact('; '.join(parts))


class Case:  # pylint: disable=too-many-instance-attributes
    """One row of the matrix.

    ``paths``: for batched cases, the code paths to run: ``controller`` (the action plugin's wait loop, for a local
    connection) and/or ``module`` (the module itself, forced by a task ``environment``).
    """

    def __init__(self, group, name, expectation, setup=None, verify=None, run=None, paths=('controller',),
                 alone=False):
        self.alone = alone          # a playbook run of its own (its processes' memory is measured)
        self.group = group
        self.name = name
        self.expectation = expectation
        self.setup = setup
        self.verify = verify
        self.run = run
        self.paths = paths
        self.outcome = Outcome()
        self.hosts = []
        self.seconds = 0.0

    @property
    def batched(self):
        return self.run is None

    @property
    def slug(self):
        return re.sub(r'[^a-z0-9]+', '-', self.name.lower()).strip('-')[:40]


class HostSpec:  # pylint: disable=too-few-public-methods
    """One inventory host of a batched case: its tasks, its simulators, its variables. The runner names it."""

    def __init__(self, tasks, sims=None, variables=None):
        self.name = None
        self.path = None
        self.tasks = tasks
        self.variables = dict(variables or {})
        self.sims = dict(sims or {})


def step(name, module, args, **extra):
    """A task named ``step:<name>`` that never stops the host (its result is judged afterwards)."""
    task = {'name': f'step:{name}', module: args, 'register': name.replace('-', '_'), 'ignore_errors': True}
    task.update(extra)
    return task


def connection(sim, **overrides):
    """Connection options for ``sim`` (the admin user, verified against its CA)."""
    options = {'url': sim.url, 'username': ADMIN_USER, 'password': PASSWORD, 'ca_path': sim.ca_path}
    options.update(overrides)
    return {key: value for key, value in options.items() if value is not None}


# ------------------------------------------------------------------------------------------------------ playbook runs

class PlaybookRun:
    """The outcome of one ``ansible-playbook`` run: exit code, combined output, recorded results."""

    def __init__(self, label, returncode, output, records, elapsed):
        self.processes = {}        # pid -> what ProcessSampler saw of it
        self.cmdlines = set()      # every command line ProcessSampler saw
        self.samples = 0
        self.log = ''              # the ANSIBLE_LOG_PATH file
        self.label = label
        self.returncode = returncode
        self.output = output
        self.records = records
        self.elapsed = elapsed

    def host_records(self, host):
        return [record for record in self.records if record['host'] == host]

    def step(self, host, name):
        """The recorded result of task ``step:<name>`` on ``host`` (a dict; ``{'_missing': True}`` when absent)."""
        for record in self.records:
            if record['host'] == host and record['task'] == f'step:{name}':
                result = dict(record['result'])
                result['_status'] = record['status']
                return result
        return {'_missing': True, '_status': 'missing'}

    def failed_tasks(self, host=None):
        return [record for record in self.records
                if record['status'] in ('failed', 'unreachable') and (host is None or record['host'] == host)]


class Env:  # pylint: disable=too-many-instance-attributes
    """Shared state of one suite run: temp dir, simulators, outputs, the trigger watcher."""

    def __init__(self, collections_path, keep=False, verbose=False):
        self.tmp = tempfile.mkdtemp(prefix='rs-reliability-')
        self.collections_path = collections_path
        self.keep = keep
        self.verbose = verbose
        self.outputs = []          # (label, text) of every output produced by the collection
        self.runs = []             # every PlaybookRun
        self._sims = []
        self._next_sim = 0
        self._lock = threading.Lock()
        self.watcher = Watcher()
        self.watcher.start()
        self.cert_dir = os.path.join(self.tmp, 'certs')
        start_simulator(state_dir=self.cert_dir).stop()   # one CA for every simulator, issued once

    # -------------------------------------------------------------- simulators
    def sim(self, own_ca=False, **config):
        """Start a simulator (speed 10 unless given) with the extra users; reuses one CA unless ``own_ca``."""
        config.setdefault('speed', 10)
        config.setdefault('users', [{'name': ADMIN_USER, 'password': PASSWORD, 'role': 'admin'}] + USERS)
        config.setdefault('data_plane', 'off')
        with self._lock:
            index = self._next_sim
            self._next_sim += 1
        state_dir = os.path.join(self.tmp, 'sims', str(index))
        if not own_ca:
            shutil.copytree(self.cert_dir, state_dir, ignore=shutil.ignore_patterns('url', 'pid'))
        handle = start_simulator(state_dir=state_dir, **config)
        with self._lock:
            self._sims.append(handle)
        return handle

    def hostile(self, behaviour, **options):
        """Start a hostile HTTPS server (``hostile.HostileServer``) with the simulators' CA."""
        from hostile import HostileServer  # pylint: disable=import-outside-toplevel
        with self._lock:
            index = self._next_sim
            self._next_sim += 1
        server = HostileServer(behaviour, self.cert_dir, os.path.join(self.tmp, 'hostile', str(index)), **options)
        with self._lock:
            self._sims.append(server)
        return server

    def close(self):
        self.watcher.stop()
        for handle in self._sims:
            try:
                handle.stop()
            except Exception:  # pylint: disable=broad-except
                pass
        if not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def add_output(self, label, text):
        with self._lock:
            self.outputs.append((label, text))

    # -------------------------------------------------------------- ansible-playbook
    def base_env(self, extra=None):
        env = {key: value for key, value in os.environ.items() if key not in SCRUBBED_ENV}
        env.update({
            'ANSIBLE_COLLECTIONS_PATH': self.collections_path,
            'ANSIBLE_CALLBACK_PLUGINS': os.path.join(HERE, 'callback_plugins'),
            'ANSIBLE_CALLBACKS_ENABLED': 'reliability_recorder',
            'ANSIBLE_NOCOLOR': '1', 'ANSIBLE_FORCE_COLOR': '0', 'PYTHONUNBUFFERED': '1',
            'ANSIBLE_LOCALHOST_WARNING': '0', 'ANSIBLE_HOST_KEY_CHECKING': '0', 'ANSIBLE_RETRY_FILES_ENABLED': '0',
            'ANSIBLE_LOCAL_TEMP': os.path.join(self.tmp, 'ansible-local'),
        })
        env.update(extra or {})
        return env

    def playbook(self, label, plays, inventory, forks=10, extra_env=None, verbosity=4, timeout=240, extra_args=()):
        """Write ``plays`` and ``inventory`` (JSON is YAML) and run ansible-playbook at ``-v`` x ``verbosity``."""
        workdir = tempfile.mkdtemp(prefix=re.sub(r'[^a-z0-9]+', '-', label.lower()) + '-', dir=self.tmp)
        playbook_path = os.path.join(workdir, 'playbook.yml')
        inventory_path = os.path.join(workdir, 'inventory.json')
        record_path = os.path.join(workdir, 'records.jsonl')
        write_json(playbook_path, plays)
        write_json(inventory_path, inventory)
        cmd = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', inventory_path,
               playbook_path, '-f', str(forks)]
        if verbosity:
            cmd.append('-' + 'v' * verbosity)
        cmd.extend(extra_args)
        env = self.base_env(dict(extra_env or {}, RELIABILITY_RECORD_FILE=record_path))
        env['ANSIBLE_LOG_PATH'] = log_path = os.path.join(workdir, 'ansible.log')
        start = time.monotonic()
        with open(os.path.join(workdir, 'output.raw'), 'w+', encoding='utf-8') as sink:
            proc = subprocess.Popen(cmd, cwd=workdir, env=env, stdout=sink, stderr=subprocess.STDOUT, text=True)  # pylint: disable=consider-using-with
            sampler = ProcessSampler(proc.pid)
            sampler.start()
            try:
                returncode = proc.wait(timeout=timeout)
                killed = ''
            except subprocess.TimeoutExpired:
                proc.kill()
                returncode = proc.wait()
                killed = f'\n[reliability] ansible-playbook killed after {timeout} s\n'
            sampler.stop()
            sink.seek(0)
            output = sink.read() + killed
        elapsed = time.monotonic() - start
        records = []
        if os.path.exists(record_path):
            with open(record_path, encoding='utf-8') as handle:
                records = [json.loads(line) for line in handle if line.strip()]
        with open(os.path.join(workdir, 'output.txt'), 'w', encoding='utf-8') as handle:
            handle.write(output)
        run = PlaybookRun(label, returncode, output, records, elapsed)
        run.processes = sampler.processes
        run.cmdlines = sampler.cmdlines
        run.samples = sampler.samples
        self.add_output(f'{label}: ansible-playbook -{"v" * verbosity} output', output)
        self.add_output(f'{label}: ps (command lines of every process of the run, {sampler.samples} samples)',
                        '\n'.join(sorted(sampler.cmdlines)))
        if os.path.exists(log_path):
            with open(log_path, encoding='utf-8', errors='replace') as handle:
                run.log = handle.read()
            self.add_output(f'{label}: ANSIBLE_LOG_PATH log file', run.log)
        self.add_output(f'{label}: recorded task results', json.dumps(records))
        with self._lock:
            self.runs.append(run)
        if self.verbose:
            print(f'  [{label}] ansible-playbook rc={returncode} in {elapsed:.1f} s ({workdir})', flush=True)
        return run


def write_json(path, data):
    with open(path, 'w', encoding='utf-8') as handle:
        json.dump(data, handle, indent=1)


def local_host(**variables):
    """Inventory variables of a host that runs on the controller with this Python."""
    base = {'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}
    base.update(variables)
    return base


# ------------------------------------------------------------------------------------------------------ processes

def _proc_read(pid, name, mode='r'):
    try:
        with open(f'/proc/{pid}/{name}', mode) as handle:  # pylint: disable=unspecified-encoding
            return handle.read()
    except OSError:
        return None


class ProcessSampler(threading.Thread):
    """What ``ps`` shows of every process under ``root`` while a playbook runs, sampled every ``every`` s.

    ``processes``: pid -> ``{'cmdline', 'ppid', 'peak_kb'}`` (the command line as ``ps -o args`` shows it; the peak
    resident memory, VmHWM, as last read). Reads ``/proc`` (Linux).
    """

    def __init__(self, root, every=0.1):
        super().__init__(name=f'ps-sampler-{root}', daemon=True)
        self.root = root
        self.every = every
        self.processes = {}
        self.cmdlines = set()          # every command line seen, also those a process had before an exec
        self.samples = 0
        self._halt = threading.Event()

    def stop(self):
        self._halt.set()
        self.join(timeout=5)

    def run(self):
        while True:
            self.sample()
            if self._halt.wait(self.every):
                return

    def sample(self):
        parents = {}
        for name in os.listdir('/proc'):
            if not name.isdigit():
                continue
            stat = _proc_read(name, 'stat')
            if stat:
                fields = stat.rsplit(')', 1)[-1].split()
                parents.setdefault(int(fields[1]), []).append(int(name))
        todo, seen = [self.root], []
        while todo:
            pid = todo.pop()
            seen.append(pid)
            todo.extend(parents.get(pid, []))
        for pid in seen:
            raw = _proc_read(pid, 'cmdline', 'rb')
            status = _proc_read(pid, 'status')
            if not raw or status is None:
                continue
            peak = re.search(r'^VmHWM:\s+(\d+)', status, re.M)
            cmdline = raw.rstrip(b'\0').replace(b'\0', b' ').decode('utf-8', 'replace')
            self.cmdlines.add(cmdline)
            entry = self.processes.get(pid)
            # A process first seen between its fork and its exec still shows its parent's command line (a worker's,
            # or /bin/sh's): after the exec it is a new program, with its own command line and its own peak memory.
            if entry is None or entry['cmdline'] != cmdline:
                entry = self.processes[pid] = {'cmdline': cmdline, 'peak_kb': 0,
                                               'ppid': next((p for p, kids in parents.items() if pid in kids), None)}
            if peak:
                entry['peak_kb'] = max(entry['peak_kb'], int(peak.group(1)))
        self.samples += 1


def peak_memory(run, module=None):
    """Peak resident memory (MB) of a run's processes: the module processes (AnsiballZ_<module>) when ``module`` is
    given, else the ansible-playbook worker processes (where the action plugin's loop runs)."""
    peaks = []
    for pid, entry in run.processes.items():
        cmdline = entry['cmdline']
        if module is not None:
            if f'AnsiballZ_{module}' in cmdline and 'python' in cmdline and not cmdline.startswith('/bin/sh'):
                peaks.append(entry['peak_kb'])
        elif 'ansible-playbook' in cmdline and entry['ppid'] in run.processes:
            peaks.append(entry['peak_kb'])
    return max(peaks) / 1024.0 if peaks else None


# ------------------------------------------------------------------------------------------------------ triggers

class Watcher(threading.Thread):
    """Runs an action when a simulator logs a matching request (e.g. "stall the action 1 s after the first poll").

    Timing relative to the wait itself, not to the start of ansible-playbook, keeps cases stable on a busy machine.
    """

    def __init__(self):
        super().__init__(name='reliability-watcher', daemon=True)
        self._triggers = []
        self._lock = threading.Lock()
        self._halt = threading.Event()
        self.errors = []

    def on_request(self, sim, pattern, action, delay=0.0, method='GET', status=None, since=None):
        """Call ``action()`` ``delay`` s after ``sim`` logs ``method`` on a path matching ``pattern`` (answered with
        ``status`` when given), among the requests logged from now on (or from log index ``since``). An action that
        takes one argument receives the matching log entry."""
        if since is None:
            logged = self._log_since(sim, 0)
            since = logged[-1]['index'] + 1 if logged else 0
        with self._lock:
            self._triggers.append({'sim': sim, 'pattern': re.compile(pattern), 'action': action, 'delay': delay,
                                   'method': method, 'status': status, 'since': since, 'due': None, 'done': False})

    def stop(self):
        self._halt.set()
        self.join(timeout=5)

    def run(self):
        while not self._halt.wait(0.02):
            with self._lock:
                triggers = [t for t in self._triggers if not t['done']]
            for trigger in triggers:
                try:
                    self._check(trigger)
                except Exception:  # pylint: disable=broad-except
                    # The simulator may be refusing connections (failover): try again for a while.
                    trigger['failures'] = trigger.get('failures', 0) + 1
                    if trigger['failures'] > 200:
                        trigger['done'] = True
                        self.errors.append(traceback.format_exc())

    @staticmethod
    def _log_since(sim, index):
        """New request-log entries: read in-process (cheap) when the simulator runs here, else through /_sim/requests."""
        simulator = getattr(sim, 'simulator', None)
        if simulator is not None:
            return simulator.request_log.since(index)
        return sim.requests(since=index)

    def _check(self, trigger):
        now = time.monotonic()
        if trigger['due'] is None:
            for entry in self._log_since(trigger['sim'], trigger['since']):
                trigger['since'] = entry['index'] + 1
                if entry['method'] == trigger['method'] and trigger['pattern'].search(entry['path']) and \
                        trigger['status'] in (None, entry['status']):
                    trigger['due'] = now + trigger['delay']
                    trigger['entry'] = entry
                    break
        if trigger['due'] is not None and now >= trigger['due']:
            action = trigger['action']
            if action.__code__.co_argcount:
                action(trigger['entry'])
            else:
                action()
            trigger['done'] = True
            took = time.monotonic() - now
            if took > 0.5:
                self.errors.append(f'a trigger action took {took:.1f} s')


def control(sim, method, path, body=None):
    """A control-API call handled in this process (no network: works while the simulator refuses connections)."""
    response = sim.simulator.control.handle(method, path, {}, json.dumps(body).encode() if body is not None else b'')
    if response.status >= 400:
        raise RuntimeError(f'{method} {path}: {response.status} {response.payload!r}')
    return response.payload


def action_control(sim, uid, verb):
    return control(sim, 'POST', f'/_sim/actions/{uid}/{verb}')


# ------------------------------------------------------------------------------------------------------ judging

def paths_of(entries):
    return [f"{entry['method']} {entry['path']}" for entry in entries]


def no_traceback(out, *texts):
    """Expect no Python traceback, MODULE FAILURE or exception key in any of ``texts`` (dicts are dumped)."""
    for text in texts:
        if isinstance(text, dict):
            # ansible-core 2.19 adds exception="(traceback unavailable)" to every failure: that is not a traceback.
            out.expect(text.get('exception') in (None, '(traceback unavailable)'), 'the result carries an exception')
            out.expect('module_stderr' not in text, 'the result carries module_stderr')
            text = json.dumps(text)
        out.expect(TRACEBACK_MARK not in text, 'a traceback was printed')
        out.expect('MODULE FAILURE' not in text, 'MODULE FAILURE')


def in_order_lines(text, host):
    """The lines of ``text`` that belong to ``host``'s results (blocks that start with ``...: [host]``)."""
    lines, keep = [], False
    marker = re.compile(r'^\S.*?\[([^\]]+)\]')
    for line in text.splitlines():
        match = marker.match(line)
        if match and not line.startswith('<'):
            keep = match.group(1) == host
        if keep:
            lines.append(line)
    return '\n'.join(lines)


# ------------------------------------------------------------------------------------------------------ report

def wrap(text, width):
    return textwrap.wrap(text, width) or ['']


def print_matrix(cases, stream=sys.stdout):
    widths = (4, 12, 30, 44, 62, 4)
    header = ('#', 'group', 'case', 'what a user expects', 'what happened', 'ok')
    rule = '-+-'.join('-' * width for width in widths)
    stream.write(' | '.join(h.ljust(w) for h, w in zip(header, widths)) + '\n' + rule + '\n')
    for number, case in enumerate(cases, 1):
        cells = (str(number), case.group, case.name, case.expectation, case.outcome.text(),
                 'PASS' if case.outcome.passed else 'FAIL')
        columns = [wrap(cell, width) for cell, width in zip(cells, widths)]
        for row in range(max(len(column) for column in columns)):
            stream.write(' | '.join((column[row] if row < len(column) else '').ljust(width)
                                    for column, width in zip(columns, widths)).rstrip() + '\n')
        stream.write(rule + '\n')


def markdown_table(cases):
    def cell(text):
        return str(text).replace('|', '\\|').replace('\n', ' ')
    lines = ['| # | Group | Case | What a user expects | What happened | Result |', '|---|---|---|---|---|---|']
    for number, case in enumerate(cases, 1):
        lines.append(f'| {number} | {cell(case.group)} | {cell(case.name)} | {cell(case.expectation)} | '
                     f'{cell(case.outcome.text())} | {"pass" if case.outcome.passed else "**FAIL**"} |')
    return '\n'.join(lines) + '\n'
