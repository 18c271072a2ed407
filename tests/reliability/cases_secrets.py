# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Group "secrets": no password, nor its Basic-auth token, in any output of any case; no traceback anywhere.

This group runs last: besides its own cases (a wrong password, a password from the environment, a password with
special characters), it scans everything the suite collected: the ``-vvvv`` output of every ansible-playbook run
and every recorded task result (failure messages, transient_errors, invocations, warnings).
"""

from __future__ import annotations

import json

from harness import (ENV_PASSWORD, ENV_USER, SPECIAL_PASSWORD, SPECIAL_USER, TRACEBACK_MARK, UNICODE_PASSWORD, UNICODE_USER,
                     WRONG_PASSWORD, Case, HostSpec, connection, find_secrets, no_traceback, secret_forms, short, step)

GROUP = 'secrets'
WAIT = 'redis_enterprise.software.rs_action_wait'
INFO = 'redis_enterprise.software.rs_action_info'
# The batched cases of this group run with the password in the controller's environment, as redisctl users do.
PLAYBOOK_ENV = {'REDIS_ENTERPRISE_USER': ENV_USER, 'REDIS_ENTERPRISE_PASSWORD': ENV_PASSWORD}


def both_modules(conn):
    return [step('wait', WAIT, dict(conn, object_name='bdb:1', timeout=5)), step('info', INFO, conn)]


def credentials_case(name, expectation, make_conn, works, user, pattern=None):
    def setup(env):
        sim = env.sim()
        return HostSpec(both_modules(make_conn(sim)), sims={'sim': sim})

    def verify(view, out):
        requests = view.sim.requests()
        users = sorted({entry['user'] or '(rejected)' for entry in requests})
        for key in ('wait', 'info'):
            result = view.step(key)
            msg = result.get('msg') or ''
            if works:
                out.expect(result['_status'] == 'ok', f'{key}: failed "{short(msg, 100)}"')
            else:
                out.expect(result['_status'] == 'failed' and pattern in msg, f'{key}: unclear failure "{short(msg, 100)}"')
            out.expect(not find_secrets(json.dumps(result)), f'{key}: a password is in the result')
            no_traceback(out, result)
        shown = find_secrets(view.output)
        info = view.step('info')
        out.note(f"{'worked' if info['_status'] == 'ok' else 'failed: ' + short(info.get('msg'), 90)}; "
                 f"{len(requests)} requests as {users}; password in this host's -vvvv output: {'yes' if shown else 'no'}")
        out.expect(not shown, f'printed: {shown}')
        out.expect(user in users, f'the requests were not sent as {user}')
    return Case(GROUP, name, expectation, setup=setup, verify=verify)


# ------------------------------------------------------------------------------------------------ scans of everything

def run_self_test(env, out):
    """The scanner finds what it looks for: planted copies of every form are found, and nothing else is."""
    forms = secret_forms()
    planted = '\n'.join(f'noise {text} noise' for dummy, text in forms)
    found = find_secrets(planted)
    clean = find_secrets('the password option is never shown: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER ********')
    out.note(f'{len(found)}/{len(forms)} planted forms found (passwords, URL-encoded, Basic tokens); {len(clean)} false hits')
    out.expect(len(found) == len(forms), 'the scanner misses a planted secret')
    out.expect(not clean, 'the scanner reports a secret in a clean text')
    out.expect(env.outputs, 'no output was collected to scan')


def run_scan_playbook_output(env, out):
    texts = [(label, text) for label, text in env.outputs if 'ansible-playbook' in label]
    hits = [(label, find_secrets(text)) for label, text in texts if find_secrets(text)]
    size = sum(len(text) for dummy, text in texts)
    out.note(f'{len(texts)} ansible-playbook runs at -vvvv, {size / 1e6:.1f} MB: {len(hits)} with a password or token')
    for label, found in hits[:3]:
        out.expect(False, f'{label}: {", ".join(found)}')


def _records(env):
    return [record for run in env.runs for record in run.records]


def _flatten(result):
    """A result, and the per-item results of a loop."""
    yield result
    for item in result.get('results') or []:
        if isinstance(item, dict):
            yield item


def run_scan_results(env, out):
    messages, transient, hits = 0, 0, []
    for record in _records(env):
        for result in _flatten(record['result']):
            if result.get('msg') and record['status'] == 'failed' or result.get('failed_when_result') is False and result.get('msg'):
                messages += 1
            transient += len(result.get('transient_errors') or [])
            found = find_secrets(json.dumps(result, default=str))
            if found:
                hits.append(f"{record['host']} {record['task']}: {', '.join(found)}")
    out.note(f'{len(_records(env))} task results scanned, among them {messages} failure messages and {transient} '
             f'transient_errors entries: {len(hits)} with a password or token')
    out.expect(transient > 0 and messages > 0, 'nothing to scan: no failure message or transient error was collected')
    for hit in hits[:3]:
        out.expect(False, hit)


def run_scan_tracebacks(env, out):
    found = [label for label, text in env.outputs if TRACEBACK_MARK in text or 'MODULE FAILURE' in text]
    exceptions = [record for record in _records(env)
                  for result in _flatten(record['result']) if result.get('exception') not in (None, '(traceback unavailable)')]
    out.note(f'{len(env.outputs)} outputs: {len(found)} with a traceback; {len(exceptions)} results with an exception')
    out.expect(not found, f'traceback in {found[:3]}')
    out.expect(not exceptions, f"exception in {[r['host'] for r in exceptions[:3]]}")


CASES = [
    credentials_case('Wrong password (401)', 'fails: "Authentication failed (401)"; the wrong password is never shown',
                     lambda sim: connection(sim, password=WRONG_PASSWORD), works=False, user='(rejected)',
                     pattern='Authentication failed (401)'),
    credentials_case('Password from REDIS_ENTERPRISE_PASSWORD', 'works; the password is never shown',
                     lambda sim: {'url': sim.url, 'ca_path': sim.ca_path}, works=True, user=ENV_USER),
    credentials_case("Password with ':' and '%'", 'works; the password is never shown',
                     lambda sim: connection(sim, username=SPECIAL_USER, password=SPECIAL_PASSWORD), works=True,
                     user=SPECIAL_USER),
    credentials_case("Non-ASCII password ('\u00e9')", 'works as with curl or redisctl (UTF-8 Basic auth); never shown',
                     lambda sim: connection(sim, username=UNICODE_USER, password=UNICODE_PASSWORD), works=True,
                     user=UNICODE_USER),
    Case(GROUP, 'Scanner self-test', 'planted passwords and Basic tokens are found (the scan below can fail)',
         run=run_self_test),
    Case(GROUP, '-vvvv output of every playbook', 'no password, no Basic token, in any run of any group',
         run=run_scan_playbook_output),
    Case(GROUP, 'Failure messages, transient_errors, results', 'no password, no Basic token, in any recorded task result',
         run=run_scan_results),
    Case(GROUP, 'No traceback anywhere', 'no Python traceback or MODULE FAILURE in any output of any case',
         run=run_scan_tracebacks),
]
