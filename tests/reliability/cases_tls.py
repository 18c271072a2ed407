# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Group "tls": certificates are verified by default, failures point to ca_path, and turning it off is explicit.

Each host reads actions with rs_action_wait (the action plugin's loop on the controller) and rs_action_info (the
module). A TLS failure must happen before any HTTP request: the simulator's request log stays empty, so the
credentials were never sent over an unverified connection.
"""

from __future__ import annotations

import re

from harness import Case, HostSpec, connection, no_traceback, short, step

GROUP = 'tls'
WAIT = 'redis_enterprise.software.rs_action_wait'
INFO = 'redis_enterprise.software.rs_action_info'


def both_modules(conn, environment=None):
    extra = {'environment': environment} if environment else {}
    return [step('wait', WAIT, dict(conn, object_name='bdb:1', timeout=5), **extra), step('info', INFO, conn, **extra)]


def tls_case(name, expectation, make, works, pattern=None):
    """``make(env) -> (sim, connection options, task environment)``; ``works``: whether both modules succeed."""
    def setup(env):
        sim, conn, environment = make(env)
        return HostSpec(both_modules(conn, environment), sims={'sim': sim})

    def verify(view, out):
        requests = view.sim.requests()
        results = {key: view.step(key) for key in ('wait', 'info')}
        for key, result in results.items():
            msg = result.get('msg') or ''
            if works:
                out.expect(result['_status'] == 'ok', f'{key}: failed "{short(msg, 100)}"')
            else:
                out.expect(result['_status'] == 'failed', f'{key}: did not fail')
                out.expect(re.search(pattern, msg), f'{key}: the message does not point to the fix: "{short(msg, 120)}"')
            no_traceback(out, result)
        if works:
            out.note(f'both modules worked ({len(requests)} requests)')
        else:
            out.note(f"both failed, {len(requests)} HTTP requests reached the server: \"{short(results['info'].get('msg'), 150)}\"")
            out.expect(not requests, 'an HTTP request (with credentials) was sent over an unverified connection')
    return Case(GROUP, name, expectation, setup=setup, verify=verify)


def default_verification(env):
    sim = env.sim()
    return sim, connection(sim, ca_path=None), None


def wrong_ca(env):
    sim, other = env.sim(), env.sim(own_ca=True)
    return sim, connection(sim, ca_path=other.ca_path), None


def hostname_mismatch(env):
    sim = env.sim(cert_name='other.example')
    return sim, connection(sim), None


def right_ca(env):
    sim = env.sim()
    return sim, connection(sim), None


def right_ca_from_env(env):
    sim = env.sim()
    return sim, connection(sim, ca_path=None), {'REDIS_ENTERPRISE_CA_PATH': sim.ca_path}


def no_verification(env):
    sim = env.sim()
    return sim, connection(sim, ca_path=None, validate_certs=False), None


def insecure_env(env):
    sim = env.sim()
    return sim, connection(sim, ca_path=None), {'REDIS_ENTERPRISE_INSECURE': 'true'}


def off_but_wrong_ca(env):
    sim, other = env.sim(), env.sim(own_ca=True)
    return sim, connection(sim, ca_path=other.ca_path, validate_certs=False), None


POINTS_TO_CA_PATH = r'TLS verification of https://127\.0\.0\.1:\d+ failed: .*ca_path'

CASES = [
    tls_case('Verification on by default', 'no ca_path, no validate_certs: fails, pointing to ca_path; nothing sent',
             default_verification, works=False, pattern=POINTS_TO_CA_PATH),
    tls_case('Wrong CA (another cluster)', "fails, pointing to ca_path; nothing sent", wrong_ca, works=False,
             pattern=POINTS_TO_CA_PATH),
    tls_case('Hostname mismatch (cert for other.example)', 'fails, saying the certificate does not cover the host name of url; '
             'nothing sent', hostname_mismatch, works=False, pattern=r'not valid for the host .*subject alternative names'),
    tls_case('Correct ca_path', 'works', right_ca, works=True),
    tls_case('Correct CA from REDIS_ENTERPRISE_CA_PATH', 'works', right_ca_from_env, works=True),
    tls_case('validate_certs: false', "works: the user's explicit choice", no_verification, works=True),
    tls_case('REDIS_ENTERPRISE_INSECURE=true', "works: the user's explicit choice, through the environment", insecure_env,
             works=True),
    tls_case('validate_certs: false with a wrong ca_path', 'ca_path wins (documented): still verified, fails pointing to '
             'ca_path', off_but_wrong_ca, works=False, pattern=POINTS_TO_CA_PATH),
]
