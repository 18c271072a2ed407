# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Running one strategy on one scenario ("a job") and turning what happened into a Sample.

* return time: for playbooks, the time the bench_timing callback recorded when ``Bench: wait`` returned; for the
  Python loop, the time it recorded itself right after its loop;
* completion: the ``finished`` time the simulator recorded for each action;
* requests: the simulator's request log, control requests (/_sim/...) excluded, from just before the process started
  (the log is cleared then) until the wait returned;
* CPU: user + system time of the process and everything it waited for (os.wait4's rusage of that child; the same
  number as a RUSAGE_CHILDREN delta, but exact even when jobs run side by side).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field

from . import BENCH_DIR
from . import playbooks

CLOCK_TICKS = os.sysconf('SC_CLK_TCK')
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
# Runs that measure the role's overhead: they have no latency.
OVERHEAD_RUNS = ('role_instant', 'role_rerun')
# Strategies run as a small Python loop (rsbench/redisctl_style.py), with their fixed interval in seconds.
PYTHON_LOOPS = {'redisctl': 5.0, 'fixed1': 1.0, 'backoff': 1.0}
# Extra arguments of a loop whose interval grows: plain backoff, x1.5 up to 10 s.
PYTHON_LOOP_ARGS = {'backoff': ['--growth', '1.5', '--max-interval', '10']}
# Tasks of the database playbooks that wait (the role's "Wait for every action at once...", serial's "Wait for its action").
# Role tasks are named "<role> : <task name>".
WAIT_NAME = re.compile(r'(^|: )wait\b', re.IGNORECASE)


@dataclass
class Sample:
    scenario: str
    strategy: str
    rep: int
    ok: bool = True
    error: str = None
    latency: float = None           # wait returned - last action finished (s)
    requests: int = None            # counted HTTP requests in the window
    wall: float = None              # first action created -> wait returned; for databases: first -> last task
    cpu: float = None               # controller CPU seconds (user + sys, process and its children), gate excluded
    gate_cpu: float = 0.0           # CPU spent held at the gate of a side-by-side wave (subtracted from cpu)
    polls: int = None               # what the strategy reports (rs_action_wait: polls; uri: attempts)
    api_probes: int = 0             # requests that only detect the API version (404 on /v2/...)
    late_requests: int = 0          # requests after the wait returned (should be 0)
    longest_action: float = None    # longest action duration (finished - created) in this run
    action_durations: list = field(default_factory=list)
    returned: float = None
    wait_returned: float = None     # databases: when the last wait task returned
    started: float = None
    log: str = None

    def to_dict(self):
        return asdict(self)


@dataclass
class ProcessRun:
    returncode: int
    cpu: float
    started: float
    ended: float


def group_cpu(pgid):
    """CPU seconds used so far by the live processes of process group ``pgid`` and the children they reaped.

    Each process counts its own time plus that of the children it waited for (cutime, cstime); exited children not
    reaped yet are still listed with their own time, so nothing is counted twice.
    """
    total = 0
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open(f'/proc/{entry}/stat', encoding='ascii', errors='replace') as handle:
                fields = handle.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        # fields[0] is field 3 (state): pgrp is field 5, utime..cstime are fields 14-17.
        if int(fields[2]) == pgid:
            total += sum(int(value) for value in fields[11:15])
    return total / CLOCK_TICKS


def run_process(cmd, env, log_path, timeout, on_start=None):
    """Run ``cmd`` to completion; return its exit code, its CPU time (rusage of the child) and its start/end."""
    started = time.time()
    with open(log_path, 'ab') as log:
        log.write(('$ ' + ' '.join(shlex.quote(part) for part in cmd) + '\n').encode())
        log.flush()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,  # pylint: disable=consider-using-with
                                start_new_session=True)
    if on_start:
        on_start(proc.pid)
    deadline = time.monotonic() + timeout
    killed = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if not killed and time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            killed = True
        time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return ProcessRun(-9 if killed else proc.returncode, usage.ru_utime + usage.ru_stime, started, time.time())


def read_jsonl(path):
    records = []
    if os.path.exists(path):
        with open(path, encoding='utf-8') as handle:
            records = [json.loads(line) for line in handle if line.strip()]
    return records


def _num(value):
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def action_times(action):
    """(created, finished) wall-clock times that the simulator recorded for an action."""
    timeline = action.get('timeline') if isinstance(action.get('timeline'), dict) else action
    created = finished = None
    for key in ('created', 'created_at', 'created_time', 'started', 'start'):
        if _num(timeline.get(key)) is not None:
            created = _num(timeline[key])
            break
    for key in ('finished', 'finished_at', 'completed', 'completed_at', 'ended', 'end'):
        if _num(timeline.get(key)) is not None:
            finished = _num(timeline[key])
            break
    return created, finished


def action_uid(action):
    return action.get('action_uid') or action.get('uid')


def request_time(entry):
    return _num(entry.get('time', entry.get('timestamp')))


class Job:  # pylint: disable=too-many-instance-attributes
    """One strategy run on one scenario, on its own simulator."""

    def __init__(self, scenario, strategy, rep, sim, workdir, collections_path, timeout=600, gated=True, reps=1):  # pylint: disable=too-many-arguments
        self.scenario = scenario
        self.strategy = strategy
        self.rep = rep
        self.sim = sim
        self.workdir = workdir
        self.collections_path = collections_path
        self.timeout = timeout
        self.gated = gated
        self.reps = reps
        self.ready_file = os.path.join(workdir, 'ready')
        self.go_file = os.path.join(workdir, 'go')
        self.samples = []
        self.process_ended = False
        self.pid = None                 # process group of the gated run, while it runs
        self.gate_cpu = 0.0             # CPU it spent held at its gate (subtracted: it only waited for the others)
        os.makedirs(workdir, exist_ok=True)

    @property
    def name(self):
        return f'{self.scenario.key}/{self.strategy}#{self.rep}'

    # ------------------------------------------------------------ environment
    def _env(self, timing_file):
        env = {key: value for key, value in os.environ.items() if not key.startswith(('REDIS_ENTERPRISE_', 'ANSIBLE_'))}
        env.update({
            'ANSIBLE_COLLECTIONS_PATH': self.collections_path,
            'ANSIBLE_CALLBACK_PLUGINS': playbooks.CALLBACK_DIR,
            'ANSIBLE_CALLBACKS_ENABLED': 'bench_timing',
            'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
            'ANSIBLE_NOCOLOR': '1',
            'ANSIBLE_LOCALHOST_WARNING': 'false',
            'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
            'ANSIBLE_RETRY_FILES_ENABLED': 'false',
            'ANSIBLE_LOCAL_TEMP': os.path.join(self.workdir, 'tmp'),
            'ANSIBLE_HOME': os.path.join(self.workdir, 'ansible-home'),
            'BENCH_TIMING_FILE': timing_file,
            'PYTHONUNBUFFERED': '1',
        })
        return env

    def _start_cmd(self, spec_file, uids_file, gated):
        cmd = ['env', f'PYTHONPATH={BENCH_DIR}', sys.executable, '-m', 'rsbench.create_actions',
               '--url', self.sim.url, '--ca', self.sim.ca_path, '--spec', spec_file, '--out', uids_file]
        if gated:
            cmd += ['--ready', self.ready_file, '--go', self.go_file]
        return ' '.join(shlex.quote(part) for part in cmd)

    # ------------------------------------------------------------ running
    def run(self):
        try:
            self.sim.reset()
            if self.strategy in PYTHON_LOOPS:
                self.samples.append(self._run_python())
            elif self.strategy == 'role':
                self.samples.append(self._run_playbook('role', gated=self.gated))
                # Right after, on the same cluster: the same role with every database already there.
                self.samples.append(self._run_playbook('role', gated=False, strategy='role_rerun'))
                # The same role on a fresh cluster whose creations take no time: every request, module run and
                # task of the measured run, minus the waiting. This is the role's fixed overhead.
                self.sim.reset()
                self.samples.append(self._run_instant_role())
            elif self.strategy == 'role_instant':
                # Only the 0 s creations run (role_overhead scenarios).
                self.samples.append(self._run_instant_role())
            else:
                self.samples.append(self._run_playbook(self.strategy, gated=self.gated))
        except Exception as exc:  # pylint: disable=broad-exception-caught
            self.samples.append(Sample(self.scenario.key, self.strategy, self.rep, ok=False, error=f'{type(exc).__name__}: {exc}'))
        finally:
            self.process_ended = True
            if not os.path.exists(self.ready_file):
                with open(self.ready_file, 'w', encoding='utf-8') as handle:
                    handle.write('failed')
        return self.samples

    def _run_instant_role(self):
        """The role on a fresh cluster whose creations take 0 s: its fixed overhead."""
        durations = self.sim.configure()['durations']
        self.sim.configure(durations={'create_bdb': 0.0})
        try:
            return self._run_playbook('role', gated=False, strategy='role_instant')
        finally:
            self.sim.configure(durations={'create_bdb': durations['create_bdb']})

    def _started(self, pid):
        self.pid = pid

    def _write_spec(self, name):
        path = os.path.join(self.workdir, name)
        with open(path, 'w', encoding='utf-8') as handle:
            json.dump(self.scenario.specs(self.rep, self.reps), handle)
        return path

    def _save(self, sample, name, data):
        with open(os.path.join(self.workdir, f'{sample.strategy}-{name}.json'), 'w', encoding='utf-8') as handle:
            json.dump(data, handle, indent=1)

    def _run_playbook(self, kind, gated, strategy=None):
        strategy = strategy or kind
        tag = strategy
        pbdir = os.path.join(self.workdir, tag)
        os.makedirs(os.path.join(self.workdir, 'tmp'), exist_ok=True)
        os.makedirs(pbdir, exist_ok=True)
        playbook = playbooks.prepare(pbdir, kind)
        spec_file = self._write_spec(f'{tag}-spec.json')
        uids_file = os.path.join(self.workdir, f'{tag}-uids.json')
        timing_file = os.path.join(self.workdir, f'{tag}-timing.jsonl')
        vars_file = os.path.join(pbdir, 'vars.json')
        with open(vars_file, 'w', encoding='utf-8') as handle:
            json.dump(playbooks.extra_vars(self.sim, self._start_cmd(spec_file, uids_file, gated), list(self.scenario.databases)), handle)
        self.sim.clear_requests()
        window_start = time.time()
        log = os.path.join(self.workdir, f'{tag}.log')
        proc = run_process([ANSIBLE_PLAYBOOK, playbook, '-e', f'@{vars_file}'], self._env(timing_file), log, self.timeout,
                           on_start=self._started if gated else None)
        events = read_jsonl(timing_file)
        gate_cpu = self.gate_cpu if gated else 0.0
        sample = Sample(self.scenario.key, strategy, self.rep, cpu=proc.cpu - gate_cpu, gate_cpu=gate_cpu, log=log)
        if proc.returncode != 0:
            sample.ok = False
            sample.error = f'ansible-playbook exited with {proc.returncode}; see {log}'
        uids = []
        if os.path.exists(uids_file):
            with open(uids_file, encoding='utf-8') as handle:
                uids = json.load(handle)
        if self.scenario.group == 'role':
            measured = [e for e in events if e.get('task') and not str(e['task']).startswith(playbooks.PREFIX)]
            starts = [e['time'] for e in measured if e['event'] == 'task_start']
            ends = [e['time'] for e in measured if e['event'] in ('ok', 'failed', 'skipped', 'unreachable')]
            if not starts or not ends:
                return self._fail(sample, 'no task timings recorded')
            sample.started, sample.returned = min(starts), max(ends)
            sample.wall = sample.returned - sample.started
            # Detection latency: when the last wait task returned (the role's read-back comes after it).
            waits = [e['time'] for e in measured if e['event'] == 'ok' and WAIT_NAME.search(str(e['task']))]
            sample.wait_returned = max(waits) if waits else sample.returned
        else:
            returned = [e for e in events if e.get('task') == playbooks.WAIT_TASK and e['event'] in ('ok', 'failed')]
            if not returned:
                return self._fail(sample, 'the wait task did not return')
            sample.returned = returned[-1]['time']
            if returned[-1]['event'] == 'failed':
                sample.ok = False
                sample.error = str(returned[-1].get('result', {}).get('msg', 'wait failed'))[:300]
            sample.polls = self._polls(returned[-1].get('result', {}))
        self._complete(sample, uids, window_start)
        return sample

    def _polls(self, result):
        if self.strategy == 'uri_until':
            items = result.get('results') or [result]
            return int(sum(item.get('attempts', 1) for item in items))
        if 'results' in result:
            return int(sum(item.get('polls', 0) for item in result['results']))
        return result.get('polls')

    def _run_python(self):
        spec_file = self._write_spec(f'{self.strategy}-spec.json')
        out = os.path.join(self.workdir, f'{self.strategy}-result.json')
        env = {key: value for key, value in os.environ.items() if not key.startswith('REDIS_ENTERPRISE_')}
        env['PYTHONPATH'] = BENCH_DIR
        cmd = [sys.executable, '-m', 'rsbench.redisctl_style', '--url', self.sim.url, '--ca', self.sim.ca_path,
               '--spec', spec_file, '--out', out, '--interval', str(PYTHON_LOOPS[self.strategy])]
        cmd += PYTHON_LOOP_ARGS.get(self.strategy, [])
        if self.gated:
            cmd += ['--ready', self.ready_file, '--go', self.go_file]
        self.sim.clear_requests()
        window_start = time.time()
        log = os.path.join(self.workdir, f'{self.strategy}.log')
        proc = run_process(cmd, env, log, self.timeout, on_start=self._started if self.gated else None)
        gate_cpu = self.gate_cpu if self.gated else 0.0
        sample = Sample(self.scenario.key, self.strategy, self.rep, cpu=proc.cpu - gate_cpu, gate_cpu=gate_cpu, log=log)
        if not os.path.exists(out):
            return self._fail(sample, f'no result written (exit {proc.returncode}); see {log}')
        with open(out, encoding='utf-8') as handle:
            result = json.load(handle)
        sample.returned = result['returned']
        sample.polls = result['polls']
        if result.get('error'):
            sample.ok = False
            sample.error = result['error']
        self._complete(sample, result['uids'], window_start)
        return sample

    @staticmethod
    def _fail(sample, message):
        sample.ok = False
        sample.error = sample.error or message
        return sample

    def _complete(self, sample, uids, window_start):
        """Fill latency, wall, requests from the simulator's records."""
        actions = self.sim.actions()
        self._save(sample, 'actions', actions)
        if uids:
            ours = [a for a in actions if action_uid(a) in set(uids)]
        else:  # databases: the state machines the run started (not the instant retry_bdb tasks that follow them)
            ours = [a for a in actions if (action_times(a)[0] or 0) >= window_start - 1 and a.get('kind', 'state-machine') == 'state-machine']
        times = [action_times(a) for a in ours]
        finished = [f for c, f in times if f is not None]
        created = [c for c, f in times if c is not None]
        sample.action_durations = [round(f - c, 3) for c, f in times if c is not None and f is not None]
        if sample.action_durations:
            sample.longest_action = max(sample.action_durations)
        if uids and len(finished) < len(uids):
            self._fail(sample, f'{len(uids) - len(finished)} of {len(uids)} actions have no recorded completion')
        if finished and sample.returned is not None and sample.strategy not in OVERHEAD_RUNS:
            sample.latency = (sample.wait_returned or sample.returned) - max(finished)
        if sample.wall is None and created and sample.returned is not None:
            sample.started = min(created)
            sample.wall = sample.returned - sample.started
        log = [r for r in self.sim.request_log() if not str(r.get('path', '')).startswith('/_sim')]
        self._save(sample, 'requests', log)
        log = [r for r in log if (request_time(r) or window_start) >= window_start]
        cutoff = (sample.returned or time.time()) + 0.05
        sample.requests = sum(1 for r in log if (request_time(r) or 0) <= cutoff)
        sample.late_requests = len(log) - sample.requests
        sample.api_probes = sum(1 for r in log if str(r.get('path', '')).startswith('/v2/') and r.get('status') in (404, 405))
