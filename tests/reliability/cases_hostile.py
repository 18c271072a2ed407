# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Group "hostile": hostile HTTPS servers (``hostile.py``) that a wait and a read must survive.

Every host has its own server(s), so their request logs show what that host sent. A wait is timed from the first
request its server received to the moment its result came back (the recorder's clock; both are this machine's wall
clock): it must end within ``timeout`` + 1 s (+ 2 s on the module path, which also ends a process), whatever the
server does. The cases that measure memory run alone in
their playbook run, so the peak memory of its processes (sampled from ``/proc``) belongs to them: the module
processes for the module path, the ansible-playbook workers for the controller path.
"""

from __future__ import annotations

import re
import socket

from harness import ADMIN_USER, PASSWORD, Case, HostSpec, connection, no_traceback, peak_memory, short, step

GROUP = 'hostile'
BOTH = ('controller', 'module')
WAIT = 'redis_enterprise.software.rs_action_wait'
INFO = 'redis_enterprise.software.rs_action_info'
UID = '4e3c9d1a-6f0b-4c55-9a7e-0d2b8c1f5a10'
OTHER_UID = '7b1d2e3f-8a9c-4d0e-b1f2-a3b4c5d6e7f8'
GRACE = 1.0                  # a wait ends within timeout + GRACE
# On the module path the task also ends the module's process and hands its result back to the worker (seen: 0.7 s
# on a loaded 2-core machine), after the wait's own deadline.
MODULE_GRACE = 2.0
READ_TRIES = 3               # rs_action_info tries a read that meets a transient error twice more (rs_client.READ_RETRIES)
READ_PAUSES = 0.5 + 1.0      # with these pauses between the tries (rs_client: retry_pause 0.5 s x attempt)


def read_limit(request_timeout):
    """The longest a read may take when every try meets a transient error that uses up its request_timeout."""
    return READ_TRIES * request_timeout + READ_PAUSES


MEMORY_LIMIT_MB = 400        # peak resident memory of a process that read a hostile body


def wait_step(name, server, uid=UID, **options):
    args = dict(connection(server), uid=uid, timeout=6, poll_interval=0.5, max_poll_interval=1, request_timeout=3)
    args.update(options)
    return step(name, WAIT, args)


def info_step(task, server, **options):
    return step(task, INFO, dict(connection(server), **dict({'request_timeout': 3}, **options)))


def timed(view, name, server, limit):
    """``(seconds, text)``: how long task ``name`` took, from its server's first request to its result."""
    record = view.record(name)
    earlier = [other['time'] for other in view.run.host_records(view.host)
               if record is not None and other['time'] < record['time'] and other['task'].startswith('step:')]
    begin = max(earlier, default=0.0)
    first = min((entry['time'] for entry in server.requests() if entry['time'] >= begin), default=None)
    if record is None or first is None:
        return None, f'{name}: {"no result" if record is None else "no request reached the server"}'
    seconds = record['time'] - first
    return seconds, f'{name} ended {seconds:.1f} s after its first request (limit {limit:g} s)'


def describe(result):
    if result.get('_missing'):
        return 'did not run'
    state = 'ok' if result['_status'] == 'ok' else ('timed out' if result.get('timed_out') else 'failed')
    return f"{state}: \"{short(result.get('msg') or '', 110)}\"" if state != 'ok' else 'ok'


def judge_deadline(view, out, name, server, timeout):
    """Task ``name`` ended within ``timeout`` + GRACE s (MODULE_GRACE on the module path) of its server's first
    request (or of the end of the task before it on the same server)."""
    grace = MODULE_GRACE if view.spec.path == 'module' else GRACE
    seconds, text = timed(view, name, server, timeout + grace)
    out.note(text)
    out.expect(seconds is not None and seconds <= timeout + grace, f'{name} did not end within {timeout:g} + {grace:g} s')
    return seconds


# ------------------------------------------------------------------------------------------------ a dripping body

def setup_drip(env):
    wait, info = env.hostile('drip', uids=[UID]), env.hostile('drip', uids=[UID])
    return HostSpec([wait_step('wait', wait), info_step('info', info)], sims={'sim': wait, 'info': info})


def verify_drip(view, out):
    wait, info = view.step('wait'), view.step('info')
    out.note(f'wait {describe(wait)}')
    judge_deadline(view, out, 'wait', view.sim, 6)
    out.expect(wait.get('_status') == 'failed' and wait.get('timed_out') is True, 'the wait did not end as a timeout')
    msg = wait.get('msg') or ''
    out.expect(re.search(r'[Tt]imed out', msg), 'the message does not say the wait timed out')
    judge_deadline(view, out, 'info', view.sims['info'], read_limit(3))
    out.expect(info.get('_status') == 'failed', 'rs_action_info did not fail on a body that never completes')
    out.note(f'info {describe(info)}')
    no_traceback(out, wait, info)


# ------------------------------------------------------------------------------------------------ deep JSON

def setup_deep(env):
    wait, info = env.hostile('deep', uids=[UID]), env.hostile('deep', uids=[UID])
    return HostSpec([wait_step('wait', wait, timeout=10), info_step('info', info)], sims={'sim': wait, 'info': info})


def verify_deep(view, out):
    wait, info = view.step('wait'), view.step('info')
    errors = wait.get('transient_errors') or []
    deep = [entry for entry in view.sim.requests() if entry['fault'] == 'deep']
    out.note(f"wait {describe(wait)}, {len(errors)} transient errors listed for {len(deep)} deep answers"
             + (f" e.g. \"{short(errors[0].get('error'), 90)}\"" if errors else ''))
    out.expect(wait.get('_status') == 'ok', 'deep JSON was not retried as a transient invalid response')
    out.expect(len(errors) >= len(deep) >= 2, 'transient_errors does not list both deep answers')
    judge_deadline(view, out, 'wait', view.sim, 10)
    msg = info.get('msg') or ''
    out.note(f'info {describe(info)}')
    out.expect(info.get('_status') == 'ok' or re.search(r'nest|deep|invalid|not valid JSON', msg, re.I),
               'rs_action_info: neither the actions nor a clear error about the answer')
    no_traceback(out, wait, info)


# ------------------------------------------------------------------------------------------------ a gzip bomb

def setup_bomb(env):
    wait, info = env.hostile('gzip_bomb', uids=[UID]), env.hostile('gzip_bomb', uids=[UID])
    return HostSpec([wait_step('wait', wait, timeout=8), info_step('info', info)], sims={'sim': wait, 'info': info})


def verify_bomb(view, out):
    wait, info = view.step('wait'), view.step('info')
    out.note(f'wait {describe(wait)}')
    judge_deadline(view, out, 'wait', view.sim, 8)
    errors = ' '.join([wait.get('msg') or ''] + [entry.get('error', '') for entry in wait.get('transient_errors') or []])
    out.expect(re.search(r'too large|larger than|size limit|exceeds', errors, re.I),
               'the wait does not say the answer was too large')
    judge_memory(view, out, WAIT)
    out.note(f'info {describe(info)}')
    out.expect(info.get('_status') == 'failed' and re.search(r'too large|larger than|size limit|exceeds', info.get('msg') or '', re.I),
               'rs_action_info does not fail saying the answer was too large')
    judge_deadline(view, out, 'info', view.sims['info'], read_limit(3))
    no_traceback(out, wait, info)


def judge_memory(view, out, module):
    """The peak memory of the process that ran ``module`` on this host's path."""
    if view.spec.path == 'module':
        peak = peak_memory(view.run, module.rsplit('.', 1)[-1])
    else:
        peak = peak_memory(view.run)
    out.note(f'peak memory {peak:.0f} MB' if peak is not None else 'peak memory not measured')
    out.expect(peak is not None and peak <= MEMORY_LIMIT_MB, f'peak memory over {MEMORY_LIMIT_MB} MB')


# ------------------------------------------------------------------------------------------------ a huge list

def setup_huge(env):
    server = env.hostile('huge_list', uids=[UID, OTHER_UID], count=100000)
    # rs_action_info reads the whole list and returns the two SMCreateBDB actions (a 50 MB result would measure
    # ansible-playbook's display, not the module).
    tasks = [wait_step('wait', server, uid=[UID, OTHER_UID], timeout=30),
             info_step('info', server, request_timeout=30, name='SMCreateBDB')]
    return HostSpec(tasks, sims={'sim': server}, variables={'size_mb': round(server.list_size / 1e6, 1)})


def verify_huge(view, out):
    wait, info = view.step('wait'), view.step('info')
    size = view.variables['size_mb']
    too_large = r'too large|larger than|size limit|exceeds'
    out.note(f'a {size} MB list; wait {describe(wait)}')
    statuses = [action.get('status') for action in wait.get('actions') or []]
    out.expect(statuses == ['completed', 'completed'] or re.search(too_large, wait.get('msg') or '', re.I),
               f'the wait neither completed nor said the list was too large ({statuses})')
    judge_deadline(view, out, 'wait', view.sim, 30)
    judge_memory(view, out, WAIT)
    raws = [action for action in wait.get('actions') or [] if action.get('raw')]
    out.note(f"info {describe(info)}, {len(info.get('actions') or [])} actions returned; {len(raws)} awaited actions "
             f"with raw in the wait's result")
    judge_deadline(view, out, 'info', view.sim, 30 + 30)
    out.expect(info.get('_status') == 'ok' or re.search(too_large, info.get('msg') or '', re.I),
               'rs_action_info neither returned the list nor said it was too large')
    if view.spec.path == 'module':
        out.expect(not any(action.get('raw') for action in (info.get('actions') or [])[:50]),
                   'rs_action_info keeps raw (a second copy of every action) without being asked')
        judge_memory(view, out, INFO)
    no_traceback(out, wait, info)


# ------------------------------------------------------------------------------------------------ uid in another case

def setup_case_uid(env):
    single, several = env.hostile('case_uid', uids=[UID]), env.hostile('case_uid', uids=[UID, OTHER_UID])
    tasks = [wait_step('single', single), wait_step('several', several, uid=[UID, OTHER_UID])]
    return HostSpec(tasks, sims={'sim': single, 'several': several})


def verify_case_uid(view, out):
    for name, server in (('single', view.sim), ('several', view.sims['several'])):
        result = view.step(name)
        statuses = [action.get('status') for action in result.get('actions') or []]
        out.note(f'{name}: {describe(result)} {statuses}')
        out.expect(result.get('_status') == 'ok' and set(statuses) == {'completed'},
                   f'{name}: the action RS reported with its uid in upper case was not matched')
        judge_deadline(view, out, name, server, 6)
        no_traceback(out, result)


# ------------------------------------------------------------------------------------------------ a wrong url (issue 15)

CONNECT_GRACE = 3


def closed_port():
    """A local port nothing listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class _Closed:  # pylint: disable=too-few-public-methods
    """A 'server' on a closed port: its request log stays empty."""

    def __init__(self, ca_path):
        self.url = 'https://127.0.0.1:%d' % closed_port()
        self.ca_path = ca_path

    @staticmethod
    def requests():
        return []


def setup_wrong_url(env):
    sim = env.sim()
    closed = _Closed(sim.ca_path)
    tasks = [step('closed', WAIT, {'url': closed.url, 'username': ADMIN_USER, 'password': PASSWORD,
                                   'ca_path': sim.ca_path, 'uid': UID, 'timeout': 60, 'connect_grace': CONNECT_GRACE}),
             step('plain', WAIT, dict(connection(sim, url=sim.url.replace('https://', 'http://')), uid=UID, timeout=60))]
    return HostSpec(tasks, sims={'sim': sim})


# A module's start and end on a loaded 2-core machine, counted in a task's duration (seen: 5.6 s while other gates
# ran). The wait's own elapsed is checked exactly; this bound only has to rule out waiting until the timeout (60 s).
STARTUP = 15.0


def verify_wrong_url(view, out):
    """Timed twice: the wait's own ``elapsed`` (within connect_grace + 1 s, or 1 s), and the whole task from its
    start (with STARTUP s more for the module to start)."""
    for name, limit, pattern in (('closed', CONNECT_GRACE + 1, r'refused|nothing listens|port'),
                                 ('plain', 1, r'https://|TLS')):
        result = view.step(name)
        record = view.record(name)
        took = (record['time'] - record['started']) if record and record.get('started') else None
        msg = result.get('msg') or ''
        elapsed = result.get('elapsed')
        out.note(f"{name}: {describe(result)} after {took:.1f} s (the wait's elapsed: {elapsed} s)" if took is not None
                 else f'{name}: no timing')
        out.expect(result.get('_status') == 'failed' and not result.get('timed_out'), f'{name}: did not fail fast')
        out.expect(isinstance(elapsed, (int, float)) and elapsed <= limit, f"{name}: the wait's elapsed is over {limit} s")
        out.expect(took is not None and took <= limit + STARTUP, f'{name}: the task took more than {limit + STARTUP} s '
                   '(timeout 60)')
        out.expect(re.search(pattern, msg), f'{name}: the message does not name the fix')
        no_traceback(out, result)


def setup_retrying(env):
    """The cluster answers 503 for 12 s from the wait's first poll on, then the action completes."""
    from cases_faults import ACTIONS  # pylint: disable=import-outside-toplevel
    sim = env.sim()
    uid = sim.create_action(kind='state-machine', name='SMUpdateBDB', object_name='bdb:7', duration=150)
    sim.fault(kind='status', status=503, path=ACTIONS, duration=600)
    env.watcher.on_request(sim, ACTIONS, lambda: sim.clear_faults(), delay=12)  # pylint: disable=unnecessary-lambda
    return HostSpec([step('wait', WAIT, dict(connection(sim), uid=uid, timeout=40, max_poll_interval=10))],
                    sims={'sim': sim})


def verify_retrying(view, out):
    wait = view.step('wait')
    out.note(f"wait {describe(wait)}, {len(wait.get('transient_errors') or [])} transient errors")
    out.expect(wait.get('_status') == 'ok', 'the wait did not complete after the errors stopped')
    if view.spec.path != 'controller':
        return
    lines = [line for line in view.run.output.splitlines() if line.startswith(f'[{view.host}] retrying: ')]
    seconds = [int(found.group(1)) for found in (re.search(r'\((\d+) s\)\s*$', line) for line in lines) if found]
    gaps = [b - a for a, b in zip(seconds, seconds[1:])]
    out.note(f"{len(lines)} 'retrying:' lines at {seconds} s" + (f", e.g. \"{short(lines[0], 90)}\"" if lines else ''))
    out.expect(len(seconds) >= 2 and max(gaps or [99]) <= 10, "no 'retrying:' line at least every 10 s")


# ------------------------------------------------------------------------------------------------ waits of rs_database

DATABASE = 'redis_enterprise.software.rs_database'
DB_WAIT = 6


def database_step(name, server, **options):
    args = dict(connection(server), name='orders', wait=True, wait_timeout=DB_WAIT, request_timeout=3)
    args.update(options)
    return step(name, DATABASE, args)


def setup_database_drip(env):
    """rs_database's own waits (with the read retries every module but rs_action_wait has) against dripping
    bodies: the action of a creation, and the polls of a deletion."""
    create = env.hostile('db_drip', uids=[UID])
    delete = env.hostile('db_gone', after_delete='drip')
    tasks = [database_step('create', create, memory_size='100MB'), database_step('delete', delete, state='absent')]
    return HostSpec(tasks, sims={'sim': create, 'delete': delete})


def verify_database_drip(view, out):
    for name, server in (('create', view.sim), ('delete', view.sims['delete'])):
        result = view.step(name)
        out.note(f'{name} {describe(result)}')
        judge_deadline(view, out, name, server, DB_WAIT)
        out.expect(result.get('_status') == 'failed' and result.get('timed_out') is True,
                   f'{name}: the wait did not end as a timeout')
        out.expect(re.search(r'[Tt]imed out', result.get('msg') or ''), f'{name}: the message does not say it timed out')
        no_traceback(out, result)


def setup_database_permanent(env):
    """A 401 after two good polls of a deletion wait (rs_database wait: true)."""
    server = env.hostile('db_gone', after_delete='401')
    return HostSpec([database_step('delete', server, state='absent', wait_timeout=30)], sims={'sim': server})


def verify_database_permanent(view, out):
    result = view.step('delete')
    msg = result.get('msg') or ''
    polls = [entry for entry in view.sim.requests() if entry['method'] == 'GET' and entry['path'] == '/v1/bdbs/1']
    out.note(f'delete {describe(result)}; {len(polls)} reads of the database')
    out.expect(result.get('_status') == 'failed' and result.get('timed_out') is False,
               'the wait did not stop at the permanent error (it waited for its timeout, or succeeded)')
    out.expect('retry cannot fix' in msg and '401' in msg, 'the error is not stated as permanent')
    out.expect('2 polls succeeded' in msg and 'delete-pending' in msg, 'the message does not say what was seen before')
    judge_deadline(view, out, 'delete', view.sim, 10)
    no_traceback(out, result)


CASES = [
    Case(GROUP, 'Body drips 1 byte/s after the headers', 'the wait ends within timeout + 1 s as a timeout; a read (3 tries) '
         'within 3 x request_timeout + pauses + 1 s', setup_drip, verify_drip, paths=BOTH),
    Case(GROUP, 'JSON nested 1,000 levels (500, then 200)', 'an invalid answer, retried like any transient error; the '
         'wait completes; no traceback', setup_deep, verify_deep, paths=BOTH),
    Case(GROUP, 'Gzip bomb: 1 MB inflating to 1 GB', 'a clear "too large" error within timeout + 1 s; memory stays under '
         f'{MEMORY_LIMIT_MB} MB', setup_bomb, verify_bomb, paths=BOTH, alone=True),
    Case(GROUP, 'A 50 MB list of actions', f'the wait completes (or says the list is too large) within its timeout; '
         f'memory under {MEMORY_LIMIT_MB} MB; raw only when asked', setup_huge, verify_huge, paths=BOTH, alone=True),
    Case(GROUP, "v2 action_uid that differs only in case", 'matched: the wait completes (one uid and several)',
         setup_case_uid, verify_case_uid, paths=BOTH),
    Case(GROUP, 'Wrong url: a closed port, http:// to the TLS port', f'fails fast (connect_grace {CONNECT_GRACE} s; '
         'at once for plain HTTP to TLS), not at the timeout (60 s), naming the fix', setup_wrong_url, verify_wrong_url,
         paths=BOTH),
    Case(GROUP, 'Transient errors for 12 s (503)', "the progress output says 'retrying: ...' at least every 10 s; "
         'the wait then completes', setup_retrying, verify_retrying, paths=BOTH),
    Case(GROUP, 'rs_database wait: true, bodies drip (creation, deletion)', f'each wait ends within wait_timeout '
         f'({DB_WAIT} s) + 1 s as a timeout, read retries included', setup_database_drip, verify_database_drip, paths=BOTH),
    Case(GROUP, 'rs_database wait: true, a 401 during the deletion wait', 'stops at once, stating a permanent error and '
         'what the wait saw before it', setup_database_permanent, verify_database_permanent, paths=BOTH),
]
