# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Group "faults": faults while waiting or reading.

Each case creates a database through the REST API (its SMCreateBDB held still until the wait's first poll), or a
synthetic action through the control API, and waits for it with rs_action_wait, on both code paths (the action
plugin's loop on the controller, and the module), against its own simulator with its own faults. Faults only match
the actions API (``^/v[12]/actions``), so they hit the wait. The expectation everywhere: the right outcome within the
deadline, every transient error listed, no traceback; a success must match the simulator's own record.
"""

from __future__ import annotations

import re

from harness import Case, HostSpec, action_control, connection, control, no_traceback, short, step

GROUP = 'faults'
ACTIONS = r'^/v[12]/actions'
WAIT = {'timeout': 30, 'poll_interval': 0.5, 'max_poll_interval': 2, 'request_timeout': 2}
BOTH = ('controller', 'module')
CREATE_SECONDS = 30          # cluster seconds at speed 10: 3 s


def started_database(env, sim, name='orders', trigger=None, resume=True):
    """Create ``name`` through the REST API with its SMCreateBDB held still until the wait's first poll.

    The action's whole life then happens during the wait, whatever the time ansible-playbook took to start. Returns
    ``(bdb_uid, action_uid)``.
    """
    status, dummy, body = sim.api('POST', '/v1/bdbs', json={'name': name, 'memory_size': 100 * 1024 * 1024})
    if status != 200:
        raise RuntimeError(f'POST /v1/bdbs answered {status}: {body!r}')
    action = body['action_uid']
    sim.action_control(action, 'stall')
    if resume:
        env.watcher.on_request(sim, trigger or re.escape(action), lambda: action_control(sim, action, 'resume'))
    return body['uid'], action


def wait_only(sim, uid, **wait):
    return [step('wait', 'redis_enterprise.software.rs_action_wait', dict(connection(sim), uid=uid, **dict(WAIT, **wait)))]


def faulted(sim):
    """Requests of the log that a fault answered (or dropped)."""
    return [entry for entry in sim.requests() if entry.get('fault')]


def summary(wait):
    if wait.get('_missing'):
        return 'the wait task did not run'
    state = 'completed' if wait['_status'] == 'ok' else 'failed'
    if wait.get('timed_out'):
        state = 'timed out'
    return f"{state} in {wait.get('elapsed')} s ({wait.get('polls')} polls)"


def judge_completed(view, out, pattern, exact=True, minimum=1):
    """The wait completed within its timeout, with one listed transient error per injected fault."""
    wait = view.step('wait')
    errors = wait.get('transient_errors') or []
    injected = faulted(view.sim)
    out.note(f"{summary(wait)}; {len(errors)} transient errors listed for {len(injected)} injected faults")
    statuses = [action.get('status') for action in wait.get('actions') or []]
    out.expect(wait.get('_status') == 'ok' and statuses == ['completed'],
               f"expected completed, got {statuses} {short(wait.get('msg'))}")
    out.expect(wait.get('elapsed', 1e9) < wait_timeout(view), 'not within the deadline')
    out.expect(len(injected) >= minimum, f'the fault fired {len(injected)} times, expected at least {minimum}')
    if exact:
        out.expect(len(errors) == len(injected), 'transient_errors does not list every injected fault')
    else:
        out.expect(len(errors) >= 1, 'no transient error listed')
    bad = [entry['error'] for entry in errors if not re.search(pattern, entry.get('error', ''))]
    out.expect(not bad, f'transient error text does not say what happened: {short(bad[:1])}')
    if errors:
        out.note(f"e.g. \"{short(errors[0]['error'], 110)}\"")
    truth = control(view.sim, 'GET', f"/_sim/actions/{view.variables['action']}")
    offset = control(view.sim, 'GET', '/_sim/clock')['offset']       # the simulated clock may have jumped
    last_poll = max((entry['time'] for entry in view.sim.requests()), default=0.0) + offset
    if truth.get('finished_at'):
        out.note(f"noticed {max(0.0, last_poll - truth['finished_at']):.1f} s after the action finished")
    out.expect(truth.get('status') == 'completed' and truth.get('finished_at') and truth['finished_at'] <= last_poll,
               f"reported completed while the simulator has it {truth.get('status')}")
    no_traceback(out, wait)


def wait_timeout(view):
    for task in view.spec.tasks:
        options = task.get('redis_enterprise.software.rs_action_wait')
        if options:
            return float(options.get('timeout', 600))
    return 600.0


# ------------------------------------------------------------------------------------------------ fault cases

def fault_case(name, expectation, fault, pattern, exact=True, minimum=1, wait=None, paths=BOTH):
    def setup(env):
        sim = env.sim(durations={'create_bdb': CREATE_SECONDS})
        sim.fault(**dict(fault, path=fault.get('path', ACTIONS)))
        bdb, action = started_database(env, sim)
        return HostSpec(wait_only(sim, action, **(wait or {})), sims={'sim': sim},
                        variables={'action': action, 'bdb': bdb})

    def verify(view, out):
        judge_completed(view, out, pattern, exact=exact, minimum=minimum)
    return Case(GROUP, name, expectation, setup=setup, verify=verify, paths=paths)


def setup_v1_only(env):
    sim = env.sim(v2=False, durations={'create_bdb': CREATE_SECONDS})
    bdb, action = started_database(env, sim)
    return HostSpec(wait_only(sim, action), sims={'sim': sim}, variables={'action': action, 'bdb': bdb})


def verify_v1_only(view, out):
    wait = view.step('wait')
    judge_completed(view, out, r'.', exact=True, minimum=0)
    v2_calls = [entry for entry in view.sim.requests() if entry['path'].startswith('/v2')]
    out.note(f"api_version {wait.get('api_version')}, {len(v2_calls)} request(s) to /v2 (404)")
    out.expect(wait.get('api_version') == 'v1', 'did not fall back to /v1/actions')
    out.expect(len(v2_calls) <= 2, 'kept probing /v2 after detecting its absence')


def setup_invisible(env):
    """The action stays invisible (404) for 600 cluster s; 1.5 s into the wait the clock jumps and it shows up."""
    sim = env.sim(visibility_delay=600, durations={'create_bdb': CREATE_SECONDS})
    bdb, action = started_database(env, sim, resume=False)

    def appear():
        control(sim, 'POST', '/_sim/clock', {'advance': 600})
        action_control(sim, action, 'resume')
    env.watcher.on_request(sim, re.escape(action), appear, delay=1.5)
    return HostSpec(wait_only(sim, action), sims={'sim': sim}, variables={'action': action, 'bdb': bdb})


def verify_invisible(view, out):
    judge_completed(view, out, r'.', minimum=0)
    misses = [entry for entry in view.sim.requests() if view.variables['action'] in entry['path'] and entry['status'] == 404]
    out.note(f'{len(misses)} polls answered 404 while the action was not visible yet')
    out.expect(misses, 'the action was never invisible during the wait: the case did not exercise visibility_delay')


def setup_vanish_bdb(env):
    sim = env.sim(retention=0, durations={'create_bdb': CREATE_SECONDS})
    bdb, action = started_database(env, sim)
    return HostSpec(wait_only(sim, action), sims={'sim': sim}, variables={'action': action, 'bdb': bdb})


def verify_vanish_bdb(view, out):
    judge_completed(view, out, r'.', minimum=0)
    wait = view.step('wait')
    seen = [entry['status'] for entry in wait.get('history') or []]
    uid = view.variables['bdb']
    settled = [entry for entry in view.sim.requests() if entry['path'] == f'/v1/bdbs/{uid}' and entry['method'] == 'GET']
    out.note(f"history {seen}; settled through GET /v1/bdbs/{uid} ({len(settled)}x)")
    out.expect('running' in seen or 'queued' in seen, 'the action was never seen unfinished')
    out.expect(settled, 'the vanished action was not settled through its database (it was seen completed instead)')


def setup_vanish_task(env):
    sim = env.sim(retention=0)
    uid = sim.create_action(kind='task', name='maintenance_on', node_uid='2', duration=600)
    env.watcher.on_request(sim, re.escape(uid), lambda: action_control(sim, uid, 'complete'), delay=1.0)
    return HostSpec(wait_only(sim, uid), sims={'sim': sim}, variables={'action': uid})


def verify_vanish_task(view, out):
    wait = view.step('wait')
    statuses = [action.get('status') for action in wait.get('actions') or []]
    out.note(f"{summary(wait)}, status {statuses}: \"{short(wait.get('msg'), 120)}\"")
    out.expect(wait.get('_status') == 'failed', 'a vanished action without a database was reported as a success')
    out.expect('outcome is unknown' in (wait.get('msg') or ''), 'the message does not say the outcome is unknown')
    out.expect(statuses == ['unknown'], 'the action is not reported with status unknown')
    out.expect(not wait.get('timed_out') and wait.get('elapsed', 1e9) < 10, 'did not fail promptly after the action vanished')
    no_traceback(out, wait)


def setup_failover(env):
    sim = env.sim(durations={'create_bdb': CREATE_SECONDS})
    sim.fault(kind='refuse', seconds=2.5, path=ACTIONS, count=1)
    bdb, action = started_database(env, sim)
    return HostSpec(wait_only(sim, action), sims={'sim': sim}, variables={'action': action, 'bdb': bdb})


def verify_failover(view, out):
    judge_completed(view, out, r'refused|reset|closed|did not accept', exact=False)
    wait = view.step('wait')
    out.expect(wait.get('elapsed', 0) >= 2.5, 'finished before the outage ended: the outage did not span the wait')


def stalled_action(env, delay, **wait):
    """A synthetic update (10 s, queued for its first second), held still until the wait's first poll, that stops
    moving for good 1 + ``delay`` s later (while running)."""
    sim = env.sim()
    uid = sim.create_action(kind='state-machine', name='SMUpdateBDB', object_name='bdb:7', duration=100)
    sim.action_control(uid, 'stall')
    env.watcher.on_request(sim, re.escape(uid), lambda: action_control(sim, uid, 'resume'))
    env.watcher.on_request(sim, re.escape(uid), lambda: action_control(sim, uid, 'stall'), delay=1.0 + delay)
    return HostSpec(wait_only(sim, uid, **wait), sims={'sim': sim}, variables={'action': uid})


def last_seen(wait):
    """``running 40%``: how the timeout message should describe the action as last seen."""
    action = (wait.get('actions') or [{}])[0]
    progress = action.get('progress')
    return f"{action.get('status')} {int(progress)}%" if isinstance(progress, (int, float)) else str(action.get('status'))


def verify_stall_timeout(view, out):
    wait = view.step('wait')
    uid = view.variables['action']
    msg = wait.get('msg') or ''
    out.note(f"{summary(wait)}: \"{short(msg, 150)}\"")
    out.expect(wait.get('_status') == 'failed' and wait.get('timed_out') is True, 'did not fail with timed_out=true')
    out.expect(4 <= wait.get('elapsed', 0) <= 4 + 2 + 1, 'did not end at the deadline (4 s, request_timeout 2 s)')
    for needle, what in ((uid, 'the uid'), ('SMUpdateBDB', 'the action name'), (last_seen(wait), 'the last status and progress'),
                         ('keep running on the cluster', 'that it keeps running')):
        out.expect(needle in msg, f'the timeout message does not name {what} ({needle})')
    no_traceback(out, wait)


def verify_stall_detected(view, out):
    wait = view.step('wait')
    msg = wait.get('msg') or ''
    out.note(f"{summary(wait)}, stalled {len(wait.get('stalled') or [])}: \"{short(msg, 120)}\"")
    out.expect(wait.get('_status') == 'failed' and not wait.get('timed_out'), 'did not fail before the deadline')
    out.expect('has not moved' in msg, 'the message does not say that the action stalled')
    out.expect(wait.get('elapsed', 1e9) < 10, 'took too long to flag the stall (stall_timeout 1.5 s)')
    no_traceback(out, wait)


def setup_retention(env):
    """A: a database creation (2 s); B: a synthetic update completed 5 s into the wait; retention 1.5 s."""
    sim = env.sim(retention=15, durations={'create_bdb': 20})
    bdb, first = started_database(env, sim, trigger='^/v2/actions$')
    other = sim.create_action(kind='state-machine', name='SMUpdateBDB', object_name='bdb:9', duration=600)
    env.watcher.on_request(sim, '^/v2/actions$', lambda: action_control(sim, other, 'complete'), delay=5.0)
    tasks = wait_only(sim, [first, other], poll_interval=0.25, max_poll_interval=0.5)
    return HostSpec(tasks, sims={'sim': sim}, variables={'action': first, 'other': other, 'bdb': bdb})


def verify_retention(view, out):
    wait = view.step('wait')
    first = view.variables['action']
    statuses = {action.get('action_uid'): action.get('status') for action in wait.get('actions') or []}
    timeline = {action['action_uid']: action for action in view.sim.actions()}
    last_poll = max((entry['time'] for entry in view.sim.requests() if entry['path'].startswith('/v2/actions')), default=0)
    expired = timeline.get(first, {}).get('expires_at')
    out.note(f"{summary(wait)}; statuses {sorted(statuses.values())}; the first action expired "
             f"{(last_poll - expired) if expired else float('nan'):.1f} s before the last poll")
    out.expect(wait.get('_status') == 'ok' and set(statuses.values()) == {'completed'} and len(statuses) == 2,
               f"expected both completed, got {statuses} {short(wait.get('msg'))}")
    out.expect(expired and expired < last_poll, 'the first action did not expire during the wait: case not exercised')
    no_traceback(out, wait)


def setup_failing(env):
    sim = env.sim(fail_names=['doomed'], durations={'create_bdb_failed': 20})
    bdb, action = started_database(env, sim, name='doomed')
    return HostSpec(wait_only(sim, action), sims={'sim': sim}, variables={'action': action, 'bdb': bdb})


def verify_failing(view, out):
    wait = view.step('wait')
    msg = wait.get('msg') or ''
    out.note(f"{summary(wait)}: \"{short(msg, 130)}\"")
    out.expect(wait.get('_status') == 'failed' and not wait.get('timed_out'), 'the failure was not reported as one')
    out.expect('failed to create shards' in msg, "RS's error is not in the message")
    out.expect(wait.get('elapsed', 1e9) < 10, 'did not stop at the failure (2 s action, 30 s timeout)')
    no_traceback(out, wait)


def setup_down(env):
    sim = env.sim(durations={'create_bdb': CREATE_SECONDS})
    sim.fault(kind='status', status=503, path=ACTIONS, duration=60)
    bdb, action = started_database(env, sim)
    return HostSpec(wait_only(sim, action, timeout=3), sims={'sim': sim}, variables={'action': action, 'bdb': bdb})


def verify_down(view, out):
    wait = view.step('wait')
    msg = wait.get('msg') or ''
    errors = wait.get('transient_errors') or []
    out.note(f"{summary(wait)}, {len(errors)} transient errors listed: \"{short(msg, 130)}\"")
    out.expect(wait.get('_status') == 'failed' and wait.get('timed_out') is True, 'did not time out')
    out.expect(3 <= wait.get('elapsed', 0) <= 3 + 2 + 1, 'did not end at the deadline')
    out.expect('503' in msg and 'no poll' in msg, 'the message does not say that no poll succeeded and why (503)')
    out.expect(len(errors) == len(faulted(view.sim)) and errors, 'not every failed attempt is listed')
    no_traceback(out, wait)


# ------------------------------------------------------------------------------------------------ reading

def setup_info_500(env):
    sim = env.sim()
    sim.fault(kind='status', status=500, path=ACTIONS, count=1)
    return HostSpec([step('info', 'redis_enterprise.software.rs_action_info', connection(sim))],
                    sims={'sim': sim})


def verify_info_500(view, out):
    info = view.step('info')
    out.note('rs_action_info ' + ('returned the actions' if info['_status'] == 'ok' else
                                  f"failed: \"{short(info.get('msg'), 120)}\""))
    out.expect(info['_status'] == 'ok', 'one 500 while reading killed the task (no retry of a transient error)')
    no_traceback(out, info)


def setup_lookup_503(env):
    sim = env.sim()
    sim.fault(kind='status', status=503, path=r'^/v1/bdbs$', method='GET', count=1)
    tasks = [step('create', 'redis_enterprise.software.rs_database', dict(connection(sim), name='orders', memory_size='100MB'))]
    return HostSpec(tasks, sims={'sim': sim})


def verify_lookup_503(view, out):
    create = view.step('create')
    posts = [entry for entry in view.sim.requests() if entry['method'] == 'POST']
    out.note('rs_database ' + ('created the database' if create['_status'] == 'ok' else
                               f"failed: \"{short(create.get('msg'), 120)}\"") + f'; {len(posts)} POST')
    out.expect(create['_status'] == 'ok', 'one 503 on the read-only lookup (GET /v1/bdbs) killed the task')
    out.expect(len(posts) <= 1, 'more than one POST')
    no_traceback(out, create)


def setup_permanent(env):
    """Three good polls, then one 401 (the password was rotated during the wait, say)."""
    sim = env.sim(durations={'create_bdb': 300})
    sim.fault(kind='status', status=401, path=ACTIONS, skip=3, count=1)
    bdb, action = started_database(env, sim)
    return HostSpec(wait_only(sim, action, poll_interval=0.25, max_poll_interval=0.5), sims={'sim': sim},
                    variables={'action': action, 'bdb': bdb})


def verify_permanent(view, out):
    wait = view.step('wait')
    msg = wait.get('msg') or ''
    out.note(f"{summary(wait)}: \"{short(msg, 170)}\"")
    out.expect(wait.get('_status') == 'failed' and not wait.get('timed_out'), 'did not stop at the permanent error')
    for needle, what in (('a retry cannot fix', 'that the error is permanent'), ('401', 'the status'),
                         ('polls succeeded', 'the polls before it'), ('last seen', 'what was seen before it'),
                         (view.variables['action'], 'the action')):
        out.expect(needle in msg, f'the message does not state {what} ({needle})')
    out.expect('fail_fast' not in msg, 'the message speaks of fail_fast')
    no_traceback(out, wait)


CASES = [
    fault_case('Burst of 503s', 'wait completes; each 503 listed in transient_errors',
               {'kind': 'status', 'status': 503, 'count': 4}, r'\b503\b'),
    fault_case('A single 500', 'wait completes; the 500 listed', {'kind': 'status', 'status': 500, 'count': 1}, r'\b500\b'),
    fault_case('429 throttling with Retry-After', 'wait completes; each 429 listed',
               {'kind': 'status', 'status': 429, 'count': 2, 'retry_after': 1}, r'\b429\b'),
    fault_case('Dropped connections', 'wait completes; each drop listed', {'kind': 'drop', 'count': 3},
               r'reset or closed|Cannot connect'),
    fault_case('Answers slower than request_timeout', 'each slow answer abandoned after request_timeout (0.5 s), listed; completes',
               {'kind': 'slow', 'seconds': 1.5, 'count': 2}, r'did not answer within 0\.5 s', wait={'request_timeout': 0.5}),
    fault_case('HTML 502 page from a proxy', 'wait completes; each 502 listed', {'kind': 'html', 'status': 502, 'count': 2},
               r'\b502\b'),
    fault_case('HTML page with status 200', 'wait completes; "HTML page instead of JSON" listed',
               {'kind': 'html', 'status': 200, 'count': 1}, r'HTML page'),
    fault_case('Truncated JSON', 'wait completes; each truncated answer listed', {'kind': 'truncated', 'count': 2},
               r'invalid or truncated JSON'),
    fault_case('Connection closed mid-body', 'wait completes; the short read listed',
               {'kind': 'truncated', 'short_read': True, 'count': 1}, r'truncated|reset or closed|cut off'),
    fault_case('Invalid JSON', 'wait completes; each invalid answer listed', {'kind': 'invalid_json', 'count': 2},
               r'invalid or truncated JSON|HTML page instead of JSON'),
    Case(GROUP, 'v2 missing (RS < 7.22)', 'falls back to /v1/actions, completes, no error', setup_v1_only, verify_v1_only,
         paths=BOTH),
    Case(GROUP, 'New action not yet visible', 'keeps looking within missing_grace (404s), then completes',
         setup_invisible, verify_invisible, paths=BOTH),
    Case(GROUP, 'Action vanishes, bdb active', 'seen running, then 404 (retention 0): settled through the database: completed',
         setup_vanish_bdb, verify_vanish_bdb, paths=BOTH),
    Case(GROUP, 'Non-bdb action vanishes', 'seen running, then 404: fails at once, "outcome is unknown", never a success',
         setup_vanish_task, verify_vanish_task, paths=BOTH),
    Case(GROUP, 'Master failover (2.5 s refused)', 'connections refused, then back: completes; refusals listed',
         setup_failover, verify_failover, paths=BOTH),
    Case(GROUP, 'Action stalls, timeout 4 s', 'fails at the deadline, timed_out=true; message names uid, name, last status, '
         'progress', lambda env: stalled_action(env, 0.0, timeout=4), verify_stall_timeout, paths=BOTH),
    Case(GROUP, 'Action stalls, stall_timeout 1.5 s', 'on_stall=fail: fails long before the deadline, saying it stalled',
         lambda env: stalled_action(env, 0.5, stall_timeout=1.5, on_stall='fail'), verify_stall_detected,
         paths=BOTH),
    Case(GROUP, 'Retention expires during a wait', 'an action seen completed, then expired (404) while waiting for another, '
         'stays completed', setup_retention, verify_retention, paths=BOTH),
    Case(GROUP, 'Action fails', 'fails at once with the error RS reported, not at the deadline', setup_failing,
         verify_failing, paths=BOTH),
    Case(GROUP, 'A 401 after good polls', 'stops at once, stating a permanent error and what the wait saw before it',
         setup_permanent, verify_permanent, paths=('controller', 'module')),
    Case(GROUP, 'Cluster answers 503 throughout', 'fails at the deadline; says no poll succeeded and why; every attempt listed',
         setup_down, verify_down, paths=BOTH),
    Case(GROUP, 'Reading: a single 500 (rs_action_info)', 'the read is retried and returns the actions', setup_info_500,
         verify_info_500),
    Case(GROUP, 'Reading: a single 503 on the lookup (rs_database)', 'the read-only lookup is retried; the database is created '
         'once', setup_lookup_503, verify_lookup_503),
]
