# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Group "input": bad input gets a clear error, before any request wherever possible, and never reaches another path.

Every host has its own simulator, so its request log shows exactly what that host sent: zero requests for input that
can be rejected locally, and only the intended paths otherwise.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from harness import URL_PASSWORD, URL_USER, Case, HostSpec, connection, find_secrets, no_traceback, paths_of, short, step

GROUP = 'input'
BOTH = ('controller', 'module')
WAIT = 'redis_enterprise.software.rs_action_wait'
INFO = 'redis_enterprise.software.rs_action_info'
DATABASE = 'redis_enterprise.software.rs_database'
DATABASE_INFO = 'redis_enterprise.software.rs_database_info'
DATABASE_ACTION = 'redis_enterprise.software.rs_database_action'
NODE_ACTION = 'redis_enterprise.software.rs_node_action'
LONG_UID = 'a' * 10000
MAX_MESSAGE = 400        # a message that repeats a 10,000-character value is not a clear message


def rejected(name, expectation, variants, pattern, paths=BOTH, sim_config=None):
    """Every variant (``step name -> (module, args)``) fails with a message matching ``pattern``, and no request is sent."""
    def setup(env):
        sim = env.sim(**(sim_config or {}))
        conn = connection(sim)
        tasks = [step(key, module, dict(conn, **args)) for key, (module, args) in variants.items()]
        return HostSpec(tasks, sims={'sim': sim})

    def verify(view, out):
        requests = view.sim.requests()
        messages = []
        for key in variants:
            result = view.step(key)
            msg = result.get('msg') or ''
            messages.append(msg)
            out.expect(result['_status'] == 'failed', f'{key}: accepted ({short(msg, 80)})')
            out.expect(re.search(pattern, msg), f'{key}: unclear message "{short(msg, 100)}"')
            out.expect(len(msg) <= MAX_MESSAGE, f'{key}: the message is {len(msg)} characters long')
            no_traceback(out, result)
        out.note(f'{len(variants)}/{len(variants)} rejected' if all(view.step(k)['_status'] == 'failed' for k in variants)
                 else 'not all rejected')
        out.note(f'{len(requests)} requests sent' + (f' ({short(paths_of(requests)[:3], 120)})' if requests else ''))
        out.note(f'e.g. "{short(messages[0], 110)}"')
        out.expect(not requests, 'requests were sent for input that can be rejected locally')
    return Case(GROUP, name, expectation, setup=setup, verify=verify, paths=paths)


def wait_args(**args):
    return dict({'timeout': 5, 'missing_grace': 0}, **args)


# ------------------------------------------------------------------------------------------ uid that looks like a path

ODD_UID = '%2F..%2Fv1%2Fbdbs?fields=x#frag'


def setup_odd_uid(env):
    sim = env.sim()
    return HostSpec([step('wait', WAIT, dict(connection(sim), **wait_args(uid=ODD_UID)))], sims={'sim': sim})


def verify_odd_uid(view, out):
    wait = view.step('wait')
    quoted = quote(ODD_UID, safe='')
    allowed = {f'/{api}/actions{tail}' for api in ('v1', 'v2') for tail in ('', '/' + quoted)}
    requests = view.sim.requests()
    stray = [entry for entry in requests if entry['path'] not in allowed or entry['method'] != 'GET']
    out.note(f"{len(requests)} requests, all to {sorted({entry['path'].replace(quoted, '<uid quoted as one segment>') for entry in requests})}")
    out.note(f"\"{short(wait.get('msg'), 100)}\"")
    out.expect(not stray, f'requests to other paths: {paths_of(stray)}')
    out.expect(wait['_status'] == 'failed' and 'not found' in (wait.get('msg') or ''), 'an unknown uid was not reported as not found')
    no_traceback(out, wait)


def setup_info_uids(env):
    sim = env.sim()
    conn = connection(sim)
    tasks = [step(key, INFO, dict(conn, uid=uid)) for key, uid in INFO_UIDS.items()]
    return HostSpec(tasks, sims={'sim': sim})


INFO_UIDS = {'slash': 'x/../../v1/bdbs', 'dots': '..', 'spaces': 'abc def', 'long': LONG_UID}


def verify_info_uids(view, out):
    requests = view.sim.requests()
    allowed = {'/v2/actions'} | {f'/v2/actions/{quote(uid, safe="")}' for uid in INFO_UIDS.values()}
    stray = [entry for entry in requests if entry['path'] not in allowed]
    outcomes = []
    for key in INFO_UIDS:
        result = view.step(key)
        outcomes.append(f"{key}: " + (f"error \"{short(result.get('msg'), 60)}\"" if result['_status'] == 'failed'
                                      else f"ok, {len(result.get('actions') or [])} actions"))
        out.expect(result['_status'] == 'failed', f'{key}: no error')
        no_traceback(out, result)
    out.note('; '.join(outcomes))
    out.note(f'{len(requests)} requests sent, {len(stray)} to another path')
    out.expect(not requests, 'requests were sent for uids that can be rejected locally')
    out.expect(not stray, f'requests to other paths: {paths_of(stray)}')


# ------------------------------------------------------------------------------------------ url

def url_setup(make_url, credentials=True, **sim_config):
    """rs_action_wait (controller path) and rs_action_info (module) with the url ``make_url(sim)``."""
    def setup(env):
        sim = env.sim(**sim_config)
        conn = dict(connection(sim), url=make_url(sim))
        if not credentials:
            conn = {key: value for key, value in conn.items() if key not in ('username', 'password')}
        tasks = [step('wait', WAIT, dict(conn, object_name='bdb:1', timeout=5)), step('info', INFO, conn)]
        return HostSpec(tasks, sims={'sim': sim})
    return setup


def url_verify(pattern):
    """Both modules fail with a message matching ``pattern``; nothing reached the simulator."""
    def verify(view, out):
        requests = view.sim.requests()
        for key in ('wait', 'info'):
            result = view.step(key)
            msg = result.get('msg') or ''
            out.expect(result['_status'] == 'failed' and re.search(pattern, msg), f'{key}: unclear or no error "{short(msg, 100)}"')
            no_traceback(out, result)
        out.note(f"both modules rejected it, {len(requests)} requests sent: \"{short(view.step('info').get('msg'), 120)}\"")
        out.expect(not requests, 'requests were sent')
    return verify


def url_case(name, expectation, make_url, pattern):
    return Case(GROUP, name, expectation, setup=url_setup(make_url), verify=url_verify(pattern))


def credentials_url(sim):
    return sim.url.replace('https://', f'https://{quote(URL_USER, safe="")}:{URL_PASSWORD}@')


def verify_credentials_url(view, out):
    requests = view.sim.requests()
    for key in ('wait', 'info'):
        result = view.step(key)
        out.expect(result['_status'] == 'failed' and 'credentials' in (result.get('msg') or ''),
                   f"{key}: unclear or no error \"{short(result.get('msg'), 100)}\"")
        leaked = find_secrets(repr(result))
        out.expect(not leaked, f"{key}: the result shows the password from the url ({'invocation' if 'invocation' in result else 'msg'})")
        no_traceback(out, result)
    in_output = find_secrets(view.output)
    out.note(f"both modules rejected it, {len(requests)} requests sent: \"{short(view.step('info').get('msg'), 110)}\"")
    out.note(f"password from the url printed in the -vvvv output: {'yes' if in_output else 'no'}")
    out.expect(not requests, 'requests were sent')
    out.expect(not in_output, 'the password embedded in the url is printed in the -vvvv output (module_args.url)')


def setup_http(env):
    sim = env.sim(http=True)
    conn = {'url': sim.url, 'username': connection(sim)['username'], 'password': connection(sim)['password']}
    tasks = [step('wait', WAIT, dict(conn, object_name='bdb:1', timeout=5)), step('info', INFO, conn)]
    return HostSpec(tasks, sims={'sim': sim})


def verify_http(view, out):
    requests = view.sim.requests()
    users = sorted({entry['user'] for entry in requests if entry['user']})
    warnings = []
    for key in ('wait', 'info'):
        result = view.step(key)
        out.expect(result['_status'] == 'ok', f"{key}: failed \"{short(result.get('msg'), 100)}\"")
        found = [w for w in result.get('warnings') or [] if 'clear text' in w]
        out.expect(found, f'{key}: no warning that the credentials travel in clear text')
        warnings += found
        no_traceback(out, result)
    out.note(f"allowed: both modules worked over plain HTTP ({len(requests)} requests, Basic auth of {users} sent unencrypted)")
    out.note(f'each warns: "{short(warnings[0] if warnings else "nothing", 120)}"')


# ------------------------------------------------------------------------------------------ databases

def setup_unknown_field(env):
    sim = env.sim()
    args = dict(connection(sim), name='orders', memory_size='100MB', config={'no_such_field': 1})
    return HostSpec([step('create', DATABASE, args)], sims={'sim': sim})


def verify_unknown_field(view, out):
    create = view.step('create')
    msg = create.get('msg') or ''
    expected = "Additional properties are not allowed ('no_such_field' was unexpected)"
    requests = paths_of(view.sim.requests())
    out.note(f'"{short(msg, 150)}"; error_code {create.get("error_code")}; requests {requests}')
    out.expect(create['_status'] == 'failed', 'accepted')
    out.expect(expected in msg and 'invalid_schema' in msg, "RS's invalid_schema description is not in the message intact")
    out.expect(create.get('error_code') == 'invalid_schema' and create.get('description') == expected,
               'error_code/description are not returned as RS sent them')
    out.expect(requests == ['GET /v1/bdbs', 'POST /v1/bdbs'], 'unexpected requests')
    no_traceback(out, create)


NAMES = {'empty': '', 'underscore': 'bad_name', 'leading-hyphen': '-lead', 'trailing-hyphen': 'trail-', 'too-long': 'a' * 64,
         'space': 'white space', 'unicode': 'caf\u00e9', 'path': '../bdbs'}
SIZES = {'word': 'lots', 'unit': '1XB', 'negative': '-1GB', 'zero': 0, 'two-dots': '1.5.5GB', 'empty': '', 'nan': 'nan',
         'list': [1]}


def database_variants(field, values):
    variants = {}
    for key, value in values.items():
        args = {'name': 'orders', 'memory_size': '100MB'}
        args[field] = value
        variants[f'{field.replace("_", "-")}-{key}'] = (DATABASE, args)
    return variants


# ------------------------------------------------------------------------------------------ limits (issue 12)

INF, NAN = float('inf'), float('nan')
# The message names the option and says what is wrong with the number (not "cannot convert Infinity to integer").
NOT_FINITE = r'(timeout|poll_interval|missing_grace|stall_timeout|memory_size)\b.*(finite|not a number|NaN)'
LIMIT_CASES = [
    rejected('poll_interval or max_poll_interval below 0.1 s', 'clear error before any request (1e-6 s would flood the '
             'cluster)', {'tiny': (WAIT, wait_args(uid='abc', poll_interval=1e-6)),
                          'poll': (WAIT, wait_args(uid='abc', poll_interval=0.05, max_poll_interval=1)),
                          'max': (WAIT, wait_args(uid='abc', poll_interval=0.05, max_poll_interval=0.05))},
             r'poll_interval.*0\.1'),
    rejected('A trailing newline in a uid, an action name or a database name', "clear error before any request (YAML's "
             "'name: >' adds one)", {'uid': (WAIT, wait_args(uid='abc\n')),
                                     'action-name': (WAIT, wait_args(object_name='bdb:1', name='SMCreateBDB\n')),
                                     'db-name': (DATABASE, {'name': 'nl-db\n', 'memory_size': '100MB'}),
                                     'info-uid': (INFO, {'uid': 'abc\n'}),
                                     'info-name': (INFO, {'name': 'SMCreateBDB\n'}),
                                     'db-info-name': (DATABASE_INFO, {'name': ['nl-db\n']}),
                                     'db-action-name': (DATABASE_ACTION, {'name': 'nl-db\n', 'action': 'rebalance'})},
             r'uid|name'),
    rejected('memory_size 1.5, below 1 MiB, 1e30', 'clear error before any request: no fraction of a byte, nothing below '
             '1 MiB or beyond what RS can place', database_variants('memory_size', {
                 'fraction': 1.5, 'half-mib': '0.5MB', 'bytes': 1000, 'huge': '1e30', 'huge-unit': '1000000000TB'}),
             r'memory_size'),
    rejected("object_name 'bdb:1/../x' and 'bdb: 3'", 'the same strict parser in every module: clear error before any '
             'request', {'wait-dots': (WAIT, wait_args(object_name='bdb:1/../x')),
                         'wait-space': (WAIT, wait_args(object_name='bdb: 3')),
                         'info-dots': (INFO, {'object_name': 'bdb:1/../x'}),
                         'info-space': (INFO, {'object_name': 'bdb: 3'}),
                         'wait-newline': (WAIT, wait_args(object_name='bdb:3\n'))}, r'object_name'),
    rejected('timeout: .inf, NaN and infinite intervals', 'a clear error naming the option, before any request; no '
             'traceback', {'timeout-inf': (WAIT, wait_args(uid='abc', timeout=INF)),
                           'timeout-nan': (WAIT, wait_args(uid='abc', timeout=NAN)),
                           'poll-nan': (WAIT, wait_args(uid='abc', poll_interval=NAN)),
                           'max-poll-inf': (WAIT, wait_args(uid='abc', max_poll_interval=INF)),
                           'request-timeout-inf': (WAIT, wait_args(uid='abc', request_timeout=INF)),
                           'info-request-timeout-nan': (INFO, {'request_timeout': NAN}),
                           'size-inf': (DATABASE, {'name': 'orders', 'memory_size': INF})}, NOT_FINITE),
    rejected('.inf and NaN on the integer options of every module', 'a clear error naming the option, before any '
             'request; no traceback (not "cannot convert Infinity to integer")',
             {'db-uid': (DATABASE, {'name': 'orders', 'memory_size': '100MB', 'uid': INF}),
              'db-wait-timeout': (DATABASE, {'name': 'orders', 'memory_size': '100MB', 'wait': True, 'wait_timeout': INF}),
              'db-wait-timeout-nan': (DATABASE, {'name': 'orders', 'memory_size': '100MB', 'wait': True,
                                                 'wait_timeout': NAN}),
              'db-action-uid': (DATABASE_ACTION, {'uid': INF, 'action': 'rebalance'}),
              'db-action-wait-timeout': (DATABASE_ACTION, {'name': 'orders', 'action': 'rebalance', 'wait': True,
                                                           'wait_timeout': INF}),
              'node': (NODE_ACTION, {'node': INF, 'action': 'maintenance_on'}),
              'node-wait-timeout': (NODE_ACTION, {'node': 1, 'action': 'maintenance_on', 'wait': True,
                                                  'wait_timeout': NAN}),
              'db-info-uid': (DATABASE_INFO, {'uid': [INF]})},
             r"(uid|node|wait_timeout)'? is of type \w+ .*not a finite number"),
]

CASES = [
    rejected("uid containing '/'", 'clear error before any request; never a request to another path',
             {'wait': (WAIT, wait_args(uid='x/../../v1/bdbs'))}, r"must not contain '/'"),
    rejected("uid '..'", 'clear error before any request', {'wait': (WAIT, wait_args(uid='..'))}, r'not a valid action uid'),
    rejected('uid with spaces', 'clear error before any request', {'wait': (WAIT, wait_args(uid='abc def'))}, r'whitespace'),
    rejected('uid of 10,000 characters', 'clear, short error before any request', {'wait': (WAIT, wait_args(uid=LONG_UID))},
             r'too long'),
    Case(GROUP, 'uid with %2F, ?, # (URL syntax)', 'sent quoted as one path segment of /v2/actions/...; reported not found',
         setup_odd_uid, verify_odd_uid, paths=BOTH),
    Case(GROUP, "rs_action_info: uid with '/', '..', spaces, 10,000 chars", 'the same clear errors before any request as '
         'rs_action_wait; never another path', setup_info_uids, verify_info_uids, paths=BOTH),
    rejected('timeout 0 or negative', 'clear error before any request',
             {'zero': (WAIT, wait_args(uid='abc', timeout=0)), 'negative': (WAIT, wait_args(uid='abc', timeout=-5))},
             r'timeout must be greater than 0'),
    rejected('poll_interval greater than timeout', 'clear error before any request',
             {'wait': (WAIT, wait_args(uid='abc', timeout=5, poll_interval=10))}, r'poll_interval .* must not be greater than timeout'),
    rejected('request_timeout 0 or 1e300', 'clear error before any request (1e300 overflowed the socket timeout)',
             {'wait': (WAIT, wait_args(uid='abc', request_timeout=0)), 'info': (INFO, {'request_timeout': 0}),
              'huge': (INFO, {'request_timeout': 1e300}),
              'db-huge': (DATABASE, {'name': 'orders', 'memory_size': '100MB', 'request_timeout': 1e300})},
             r'request_timeout must be'),
    rejected('object_name not type:uid', 'clear error before any request',
             {'dots': (WAIT, wait_args(object_name='bdb:../1')), 'no-uid': (WAIT, wait_args(object_name='bdb'))},
             r'object_name must be type:uid'),
    url_case('url without a scheme', 'clear error before any request', lambda sim: sim.url.replace('https://', ''),
             r'must start with https://'),
    url_case('url with a path', 'clear error before any request', lambda sim: sim.url + '/v1/actions', r'must not contain a path'),
    Case(GROUP, 'url with credentials embedded', 'clear error before any request; the embedded password is never shown',
         url_setup(credentials_url, credentials=False), verify_credentials_url),
    Case(GROUP, 'url with http:// (plain-HTTP simulator)', 'allowed (RS can serve HTTP), works, and warns that the '
         'credentials travel in clear text', setup_http, verify_http),
    Case(GROUP, 'https:// url on a plain-HTTP port', 'clear TLS error naming the scheme/port; no credentials sent',
         url_setup(lambda sim: sim.url.replace('http://', 'https://'), http=True), url_verify(r'answers in plain HTTP, not TLS')),
    rejected('Invalid database names', 'clear error before any request, for each of 8 bad names',
             database_variants('name', NAMES), r'name'),
    rejected('Unreadable memory_size', 'clear error before any request, for each of 8 bad sizes',
             database_variants('memory_size', SIZES), r'memory_size'),
    rejected('config key that has its own option', 'clear error before any request',
             {'create': (DATABASE, {'name': 'orders', 'memory_size': '1GB', 'config': {'name': 'other'}})},
             r'config must not contain name'),
    Case(GROUP, 'config with an unknown field', "RS's invalid_schema description reaches the user intact",
         setup_unknown_field, verify_unknown_field, paths=BOTH),
] + LIMIT_CASES
