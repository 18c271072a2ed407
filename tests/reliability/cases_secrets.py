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

import re
from urllib.parse import quote

from harness import (ADMIN_USER, DB_PASSWORD, ENV_PASSWORD, ENV_USER, PASSWORD, SPECIAL_PASSWORD, SPECIAL_USER, TRACEBACK_MARK,
                     UNICODE_PASSWORD, UNICODE_USER, URL_PASSWORD, URL_USER, USERS, WRONG_PASSWORD, Case, HostSpec, connection,
                     find_secrets, local_host, no_traceback, secret_forms, short, step)

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


# ------------------------------------------------------------------------------------------------ issue 12: more outputs

DATABASE = 'redis_enterprise.software.rs_database'
# Not one of the suite's secrets: the demonstration below plants it on purpose.
DEMO_USER, DEMO_PASSWORD = 'demo-env@example.com', 'Demo-Env-Visible-41c7'


def url_with_credentials(sim):
    return sim.url.replace('https://', f'https://{quote(URL_USER, safe="")}:{URL_PASSWORD}@')


def setup_url_first(env):
    """Credentials in the url while another option fails validation first (argument spec, or the module's own)."""
    sim = env.sim()
    conn = {'url': url_with_credentials(sim), 'ca_path': sim.ca_path}
    tasks = [step('wait-type', WAIT, dict(conn, uid='abc', timeout='soon')),
             step('wait-unknown', WAIT, dict(conn, uid='abc', no_such_option=1)),
             step('wait-value', WAIT, dict(conn, uid='abc', timeout=-1)),
             step('info-type', INFO, dict(conn, request_timeout='soon')),
             step('database-size', DATABASE, dict(conn, name='orders', memory_size='lots'))]
    return HostSpec(tasks, sims={'sim': sim})


def verify_url_first(view, out):
    leaks = []
    for name in ('wait-type', 'wait-unknown', 'wait-value', 'info-type', 'database-size'):
        result = view.step(name)
        out.expect(result['_status'] == 'failed', f'{name}: accepted')
        if find_secrets(json.dumps(result, default=str)):
            leaks.append(name + (' (invocation.module_args.url)' if URL_PASSWORD in json.dumps(result.get('invocation'))
                                 else ''))
        no_traceback(out, result)
    shown = find_secrets(view.output)
    out.note(f"5/5 failed; the url's password in results: {leaks or 'none'}; in this host's -vvvv output: "
             f"{'yes' if shown else 'no'}; requests sent: {len(view.sim.requests())}")
    out.expect(not leaks, f"the password from the url is in the result of {', '.join(leaks)}")
    out.expect(not shown, "the password from the url is in the -vvvv output")
    out.expect(not view.sim.requests(), 'requests were sent')


def setup_env_demo(env):
    """A task that passes the password through ``environment:``, as the docs must never recommend."""
    sim = env.sim(users=[{'name': ADMIN_USER, 'password': PASSWORD, 'role': 'admin'}] + USERS
                  + [{'name': DEMO_USER, 'password': DEMO_PASSWORD, 'role': 'admin'}])
    uid = sim.create_action(kind='state-machine', name='SMUpdateBDB', object_name='bdb:7', duration=20)
    tasks = [step('wait', WAIT, {'url': sim.url, 'ca_path': sim.ca_path, 'uid': uid, 'timeout': 10},
                  environment={'REDIS_ENTERPRISE_USER': DEMO_USER, 'REDIS_ENTERPRISE_PASSWORD': DEMO_PASSWORD})]
    return HostSpec(tasks, sims={'sim': sim})


def verify_env_demo(view, out):
    wait = view.step('wait')
    visible = sorted({cmdline[:60] + '...' for cmdline in view.run.cmdlines if DEMO_PASSWORD in cmdline})
    out.note(f"the wait {'worked' if wait['_status'] == 'ok' else 'failed'}; command lines showing the password: "
             f"{len(visible)} (e.g. {short(visible[:1], 70) if visible else 'none'})")
    out.expect(wait['_status'] == 'ok', f"the wait failed: {short(wait.get('msg'), 80)}")
    out.expect(visible, 'the password of a task environment was not seen on a command line: the claim of the docs, or '
               'the ps sampler, is wrong')


def run_scan_ps(env, out):
    texts = [(label, text) for label, text in env.outputs if ': ps (' in label]
    modules = sum(len(re.findall(r'AnsiballZ_\w+\.py', text)) for dummy, text in texts)
    samples = sum(run.samples for run in env.runs)
    hits = [(label, find_secrets(text)) for label, text in texts if find_secrets(text)]
    out.note(f'{samples} samples of the process tree of {len(texts)} runs, {modules} module command lines among them: '
             f'{len(hits)} runs with a password on a command line')
    out.expect(len(texts) == len(env.runs) and modules > 0, 'the ps sampler saw no module process')
    for label, found in hits[:3]:
        out.expect(False, f'{label}: {", ".join(found)}')


def run_scan_logs(env, out):
    texts = [(label, text) for label, text in env.outputs if 'ANSIBLE_LOG_PATH' in label]
    hits = [(label, find_secrets(text)) for label, text in texts if find_secrets(text)]
    size = sum(len(text) for dummy, text in texts)
    out.note(f'{len(texts)} log files, {size / 1e6:.1f} MB: {len(hits)} with a password or token')
    out.expect(len(texts) == len(env.runs) and size > 0, 'not every run wrote its log file')
    for label, found in hits[:3]:
        out.expect(False, f'{label}: {", ".join(found)}')


def setup_database_diff(env):
    """rs_database alone (no role, no no_log) under diff mode with a database password in config: a creation, an
    update that sends it again, and a task whose other option fails validation first."""
    sim = env.sim(durations={'create_bdb': 10, 'update_bdb': 10})
    conn = connection(sim)
    config = {'authentication_redis_pass': DB_PASSWORD, 'replication': False}
    tasks = [step('create', DATABASE, dict(conn, name='diffdb', memory_size='100MB', config=config), diff=True),
             step('grow', DATABASE, dict(conn, name='diffdb', memory_size='200MB', config=config,
                                         update_password='always'), diff=True),
             step('invalid', DATABASE, dict(conn, name='diffdb', memory_size='200MB', config=config, state='bogus'),
                  diff=True)]
    return HostSpec(tasks, sims={'sim': sim})


def verify_database_diff(view, out):
    leaks = [name for name in ('create', 'grow', 'invalid') if find_secrets(json.dumps(view.step(name), default=str))]
    shown = find_secrets(view.output)
    create, grow = view.step('create'), view.step('grow')
    after = (create.get('diff') or {}).get('after') or {}
    grown = (grow.get('diff') or {}).get('after') or {}
    sent = [entry for entry in view.sim.requests() if entry['method'] in ('POST', 'PUT')]
    out.note(f"{len(sent)} writes ({', '.join(entry['method'] for entry in sent)}); the database password in results: "
             f"{leaks or 'none'}; in this host's -vvvv --diff output: {'yes' if shown else 'no'}; the diffs show "
             f"memory_size {after.get('memory_size')} then {grown.get('memory_size')}, the password as "
             f"{after.get('authentication_redis_pass')!r}")
    out.expect(create['_status'] == 'ok' and create.get('changed') and grow['_status'] == 'ok' and grow.get('changed'),
               'the creation or the update failed')
    out.expect(view.step('invalid')['_status'] == 'failed', 'state: bogus was accepted')
    out.expect(not leaks, f"the database password is in the result of {', '.join(leaks)}")
    out.expect(not shown, 'the database password is in the -vvvv --diff output')
    out.expect(after.get('memory_size') == 104857600 and grown.get('memory_size') == 209715200,
               '--diff does not show memory_size (the non-secret fields)')
    out.expect([entry['method'] for entry in sent][:2] == ['POST', 'PUT'], 'expected a POST, then a PUT')


def setup_env_controller(env):
    """The password in a task's environment: on the local connection, read in-process: no command line shows it."""
    sim = env.sim()
    uid = sim.create_action(kind='state-machine', name='SMUpdateBDB', object_name='bdb:7', duration=20)
    tasks = [step('wait', WAIT, {'url': sim.url, 'ca_path': sim.ca_path, 'uid': uid, 'timeout': 10},
                  environment={'REDIS_ENTERPRISE_USER': SPECIAL_USER, 'REDIS_ENTERPRISE_PASSWORD': SPECIAL_PASSWORD}),
             step('info', INFO, {'url': sim.url, 'ca_path': sim.ca_path},
                  environment={'REDIS_ENTERPRISE_USER': SPECIAL_USER, 'REDIS_ENTERPRISE_PASSWORD': SPECIAL_PASSWORD})]
    return HostSpec(tasks, sims={'sim': sim})


def verify_env_controller(view, out):
    users = sorted({entry['user'] or '(rejected)' for entry in view.sim.requests()})
    visible = [cmdline for cmdline in view.run.cmdlines if SPECIAL_PASSWORD in cmdline]
    for name in ('wait', 'info'):
        result = view.step(name)
        out.expect(result['_status'] == 'ok', f"{name} failed: {short(result.get('msg'), 80)}")
        no_traceback(out, result)
    out.note(f"both worked, requests as {users}; command lines showing the password: {len(visible)}; "
             f"in this host's -vvvv output: {'yes' if find_secrets(view.output) else 'no'}")
    out.expect(users == [SPECIAL_USER], "the task environment's user was not used")
    out.expect(not visible, 'the password of the task environment is on a command line')
    out.expect(not find_secrets(view.output), 'the password is in the -vvvv output')


DATABASE_INFO = 'redis_enterprise.software.rs_database_info'


def setup_echo(env):
    """A cluster that echoes a database's password (and a sync source's credentials) in every answer."""
    server = env.hostile('db_echo', echo=DB_PASSWORD)
    conn = connection(server)
    tasks = [step('info', DATABASE_INFO, dict(conn, name='orders')),
             step('database', DATABASE, dict(conn, name='orders', memory_size='100MB'), diff=True)]
    return HostSpec(tasks, sims={'sim': server})


def verify_echo(view, out):
    info, database = view.step('info'), view.step('database')
    leaks = [name for name, result in (('info', info), ('database', database))
             if find_secrets(json.dumps(result, default=str))]
    shown = find_secrets(view.output)
    read = ((info.get('databases') or [{}])[0]).get('authentication_redis_pass')
    out.note(f"info {'ok' if info['_status'] == 'ok' else 'failed'}, database {database['_status']}; the echoed "
             f"password in results: {leaks or 'none'} (read as {read!r}); in this host's -vvvv output: "
             f"{'yes' if shown else 'no'}; {len(view.sim.requests())} requests")
    out.expect(info['_status'] == 'ok' and database['_status'] == 'ok', 'a task failed')
    out.expect(view.sim.requests(), 'no request reached the echoing server')
    out.expect(not leaks, f"the echoed password is in the result of {', '.join(leaks)}")
    out.expect(not shown, 'the echoed password is in the -vvvv output')


def role_diff_run(env, sim, label, memory_size):
    from cases_lost import role_play  # pylint: disable=import-outside-toplevel
    databases = [{'name': 'orders', 'memory_size': memory_size, 'config': {'authentication_redis_pass': DB_PASSWORD}}]
    variables = local_host(rs_provision_url=sim.url, rs_provision_username=ADMIN_USER, rs_provision_password=PASSWORD,
                           rs_provision_ca_path=sim.ca_path, rs_provision_databases=databases, rs_provision_wait_timeout=30)
    return env.playbook(label, role_play(), {'all': {'hosts': {label: variables}}}, forks=1, extra_args=('--diff',))


def run_role_diff(env, out):
    """The role twice under --diff at -vvvv: create with a database password, then grow the database."""
    sim = env.sim(durations={'create_bdb': 10, 'update_bdb': 10})
    runs = [role_diff_run(env, sim, 'role-diff-create', '100MB'), role_diff_run(env, sim, 'role-diff-grow', '200MB')]
    for run in runs:
        texts = {'-vvvv --diff output': run.output, 'log file': run.log, 'results': json.dumps(run.records, default=str)}
        for what, text in texts.items():
            found = find_secrets(text)
            out.expect(not found, f'{run.label}: the database password is in the {what}')
        out.expect(run.returncode == 0, f'{run.label}: the role failed (rc {run.returncode})')
    posts = [entry for entry in sim.requests() if entry['method'] in ('POST', 'PUT') and entry['path'].startswith('/v1/bdbs')]
    sent = [entry for entry in posts if entry['method'] == 'POST']
    grow = runs[1].output
    useful = re.search(r'memory_size\W+104857600\W.*209715200|104857600[^\n]*->[^\n]*209715200', grow, re.S) \
        or ('-    "memory_size": 104857600' in grow and '+    "memory_size": 209715200' in grow)
    out.note(f"2 role runs under --diff ({len(sent)} POST, {len(posts) - len(sent)} PUT); the database password in "
             f"any output: {'yes' if out.problems else 'no'}; the second run's diff shows memory_size 100MB -> 200MB: "
             f"{'yes' if useful else 'no'}")
    out.expect(useful, '--diff does not show the change of memory_size (the non-secret fields)')


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
    Case(GROUP, 'Credentials in the url, another option invalid', "the url's password is masked before any other "
         'validation: in no result, -vvvv output or log line', setup_url_first, verify_url_first, paths=('controller', 'module')),
    Case(GROUP, "A password in a task's environment: is on a command line", 'yes (ps shows it): why no example passes '
         'the password through environment: (and proof that the ps scan below can fail)', setup_env_demo, verify_env_demo,
         paths=('module',)),
    Case(GROUP, "A password in a task's environment: on the local connection", 'read in-process as the module would '
         'read it: on no command line, in no output', setup_env_controller, verify_env_controller, paths=('controller',)),
    Case(GROUP, 'rs_database alone under diff with config.authentication_redis_pass', 'no role, no no_log: the '
         'database password in no result, -vvvv or --diff output, also when another option fails first; the diff still '
         'shows memory_size', setup_database_diff, verify_database_diff, paths=('controller', 'module')),
    Case(GROUP, 'A cluster that echoes database secrets', "rs_database_info and rs_database (no no_log) on a cluster "
         'that returns authentication_redis_pass and sync source credentials: in no result or output', setup_echo,
         verify_echo, paths=('controller', 'module')),
    Case(GROUP, 'Role under --diff with config.authentication_redis_pass', 'rs_provision_no_log (default true): the '
         'database password in no output, no log line, no result; --diff still shows memory_size', run=run_role_diff),
    Case(GROUP, 'Scanner self-test', 'planted passwords and Basic tokens are found (the scan below can fail)',
         run=run_self_test),
    Case(GROUP, 'ps output sampled during every run', 'no password on any command line, while the modules run',
         run=run_scan_ps),
    Case(GROUP, 'ANSIBLE_LOG_PATH log file of every run', 'no password, no Basic token, in any log file', run=run_scan_logs),
    Case(GROUP, '-vvvv output of every playbook', 'no password, no Basic token, in any run of any group',
         run=run_scan_playbook_output),
    Case(GROUP, 'Failure messages, transient_errors, results', 'no password, no Basic token, in any recorded task result',
         run=run_scan_results),
    Case(GROUP, 'No traceback anywhere', 'no Python traceback or MODULE FAILURE in any output of any case',
         run=run_scan_tracebacks),
]
