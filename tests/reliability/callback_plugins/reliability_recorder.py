# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reliability-suite callback: records every task result, per host, as one JSON line.

tests/reliability/run_matrix.py enables it with ANSIBLE_CALLBACK_PLUGINS and ANSIBLE_CALLBACKS_ENABLED and names
the output file in RELIABILITY_RECORD_FILE. The result recorded is the one every callback receives (already
censored by Ansible for no_log values), so the secrets scan reads exactly what a user's callbacks would see.
"""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r'''
name: reliability_recorder
type: aggregate
short_description: Record every task result per host (reliability suite only)
description:
  - Appends one JSON line per task result to the file named by the environment variable E(RELIABILITY_RECORD_FILE).
    Does nothing when it is not set.
requirements:
  - enabled in ANSIBLE_CALLBACKS_ENABLED
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'reliability_recorder'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, display=None, options=None):
        super().__init__(display=display, options=options)
        self._path = os.environ.get('RELIABILITY_RECORD_FILE')
        self._starts = {}

    def v2_runner_on_start(self, host, task):
        self._starts[(host.get_name(), task._uuid)] = time.time()  # pylint: disable=protected-access

    def _record(self, status, result, ignore_errors=False):
        if not self._path:
            return
        task = getattr(result, 'task', None) or getattr(result, '_task')
        host = getattr(result, 'host', None) or getattr(result, '_host')
        data = getattr(result, 'result', None)
        if not isinstance(data, dict):
            data = getattr(result, '_result', {})
        started = self._starts.pop((host.get_name(), getattr(task, '_uuid', None)), None)
        record = {'time': time.time(), 'started': started, 'host': host.get_name(), 'task': task.get_name(), 'status': status,
                  'ignore_errors': bool(ignore_errors), 'result': data}
        with open(self._path, 'a', encoding='utf-8') as handle:
            handle.write(json.dumps(record, default=str) + '\n')

    def v2_runner_on_ok(self, result):
        self._record('ok', result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record('failed', result, ignore_errors)

    def v2_runner_on_skipped(self, result):
        self._record('skipped', result)

    def v2_runner_on_unreachable(self, result):
        self._record('unreachable', result)
