# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark-only callback: writes the wall-clock time at which each task starts and returns.

The benchmark (tests/benchmark/run.py) enables it with ANSIBLE_CALLBACK_PLUGINS and ANSIBLE_CALLBACKS_ENABLED and
names the output file in BENCH_TIMING_FILE. One JSON object per line:
``{"event": "task_start"|"ok"|"failed"|"skipped"|"unreachable"|"end", "task": NAME, "time": EPOCH, "result": {...}}``.
``time`` is taken first thing in each handler, i.e. when the controller hands the task's result to the callbacks,
which is the moment the next task could start.
"""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r'''
name: bench_timing
type: aggregate
short_description: Record when each task starts and returns (benchmark only)
description:
  - Appends one JSON line per task start and task result to the file named by the environment variable
    E(BENCH_TIMING_FILE). Does nothing when it is not set.
requirements:
  - enabled in ANSIBLE_CALLBACKS_ENABLED
'''

# Keys of a task's result that the benchmark reads (rs_action_wait's counters, until's attempts, errors).
KEEP = ('polls', 'elapsed', 'attempts', 'api_version', 'timed_out', 'failed', 'msg', 'transient_errors', 'changed')


def _subset(result):
    data = {key: result[key] for key in KEEP if key in result}
    if isinstance(result.get('results'), list):
        data['results'] = [{key: item[key] for key in KEEP if key in item}
                           for item in result['results'] if isinstance(item, dict)]
    return data


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'bench_timing'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, display=None, options=None):
        super().__init__(display=display, options=options)
        self._path = os.environ.get('BENCH_TIMING_FILE')

    def _write(self, now, event, task_name, result=None):
        if not self._path:
            return
        record = {'event': event, 'task': task_name, 'time': now}
        if result is not None:
            record['result'] = _subset(result)
        with open(self._path, 'a', encoding='utf-8') as handle:
            handle.write(json.dumps(record, default=str) + '\n')

    @staticmethod
    def _parts(result):
        task = getattr(result, 'task', None) or getattr(result, '_task')
        data = getattr(result, 'result', None)
        if not isinstance(data, dict):
            data = getattr(result, '_result', {})
        return task.get_name(), data

    def v2_playbook_on_task_start(self, task, is_conditional):
        del is_conditional
        self._write(time.time(), 'task_start', task.get_name())

    def v2_runner_on_ok(self, result):
        now = time.time()
        name, data = self._parts(result)
        self._write(now, 'ok', name, data)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        now = time.time()
        del ignore_errors
        name, data = self._parts(result)
        self._write(now, 'failed', name, data)

    def v2_runner_on_skipped(self, result):
        now = time.time()
        name, data = self._parts(result)
        self._write(now, 'skipped', name, data)

    def v2_runner_on_unreachable(self, result):
        now = time.time()
        name, data = self._parts(result)
        self._write(now, 'unreachable', name, data)

    def v2_playbook_on_stats(self, stats):
        del stats
        self._write(time.time(), 'end', None)
