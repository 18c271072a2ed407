# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Integration-test helper: one HTTPS request to the simulated cluster, sent from the controller process.

The targets drive the simulator between steps (``/_sim/reset``, ``/_sim/config``, ``/_sim/requests``, ...) and read
objects back to check them. ``ansible.builtin.uri`` would do, but each ``uri`` task starts a module process (about
0.7 s of CPU) and the targets make about fifty such calls per RS version profile. This action takes the ``uri``
options the targets use (``url``, ``method``, ``body``, ``status_code``, ``url_username``, ``url_password``,
``ca_path``; ``force_basic_auth`` and ``body_format: json`` are implied) and returns what they read: ``status`` and
``json``. TLS is verified against ``ca_path``. It fails, like ``uri``, when the status is not in ``status_code``.
"""

from __future__ import annotations

import json
from urllib.error import HTTPError

from ansible.module_utils.urls import open_url
from ansible.plugins.action import ActionBase

ARGS = frozenset(('url', 'method', 'body', 'status_code', 'url_username', 'url_password', 'ca_path',
                  'force_basic_auth', 'body_format'))


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = ARGS

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        args = self._task.args
        expected = args.get('status_code', [200])
        expected = [int(code) for code in (expected if isinstance(expected, list) else [expected])]
        body = args.get('body')
        data = None if body is None else json.dumps(body).encode('utf-8')
        try:
            response = open_url(args['url'], data=data, method=args.get('method', 'GET'),
                                headers={'Content-Type': 'application/json'}, url_username=args.get('url_username'),
                                url_password=args.get('url_password'), force_basic_auth=True,
                                ca_path=args.get('ca_path'), timeout=30)
            status, content = response.getcode(), response.read()
        except HTTPError as error:
            status, content = error.code, error.read()
        result.update(changed=False, status=status, url=args['url'])
        try:
            result['json'] = json.loads(content.decode('utf-8')) if content else None
        except ValueError:
            result['content'] = content.decode('utf-8', 'replace')
        if status not in expected:
            result.update(failed=True, msg='Status code was %s and not %s: %s' % (status, expected, content[:500]))
        return result
