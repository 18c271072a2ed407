# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Actions (tasks, state machines, "other") whose state is computed from the clock, and their wire shapes.

An action is created with a start time, a real-time duration (cluster seconds already divided by ``speed``) and an
outcome. Its status, progress, step and heartbeat at any moment are *computed* from the clock, so no thread has to
drive it. Run time control (stall, resume, fail, cancel, abort) only moves the numbers the computation uses.

Internally every action uses the task vocabulary (queued, starting, running, cancelling, cancelled, aborted,
completed, failed); each API family translates it to its own documented vocabulary.
"""

from __future__ import annotations

import math
import uuid

TASK = 'task'
SM = 'state-machine'
OTHER = 'other'
KINDS = (TASK, SM, OTHER)

TERMINAL = ('completed', 'failed', 'cancelled', 'aborted')
OUTCOMES = TERMINAL

SM_V1_STATUS = {'queued': 'pending', 'starting': 'active', 'running': 'active', 'cancelling': 'active'}
# v2 documents only queued, running, completed and failed (requests/actions/_index.md), for every family.
V2_STATUS = {'queued': 'queued', 'starting': 'running', 'running': 'running', 'cancelling': 'running',
             'completed': 'completed', 'failed': 'failed', 'cancelled': 'failed', 'aborted': 'failed'}
STARTING_FRACTION = 0.05

# Progress shapes: how progress follows the run time. Parameters (all optional) and their defaults.
SHAPES = {
    'linear': {},
    'steps': {},                                          # one jump per state-machine step
    's_curve': {'steepness': 10.0},                       # slow start, fast middle, slow end
    'pauses': {'pauses': [[0.2, 0.45], [0.6, 0.8]]},      # progress (and heartbeat) stand still in these run fractions
    'uneven_steps': {'weights': [1.0, 6.0, 1.0, 2.0], 'jumps': False},   # step i takes weights[i] of the run time
    'jump': {},                                           # 0 until the end, then 100
    'restart': {'at': 0.5, 'peak': 0.7},                  # rises to peak at run fraction "at", drops to 0, rises again
}


def check_shape(spec, where='progress_shape'):
    """Validate a shape: a name or {"shape": name, parameters...}. Returns the full dict."""
    if isinstance(spec, str):
        spec = {'shape': spec}
    if not isinstance(spec, dict) or spec.get('shape') not in SHAPES:
        raise ValueError(f'{where} must be one of {", ".join(SHAPES)} or an object with "shape"')
    name = spec['shape']
    unknown = set(spec) - {'shape'} - set(SHAPES[name])
    if unknown:
        raise ValueError(f'{where}: unknown parameter(s) {", ".join(sorted(unknown))} for shape {name}')
    result = dict(SHAPES[name], **spec)
    number = (int, float)
    if name == 's_curve' and (isinstance(result['steepness'], bool) or not isinstance(result['steepness'], number)
                              or result['steepness'] <= 0):
        raise ValueError(f'{where}: steepness must be a positive number')
    if name == 'pauses':
        pauses = result['pauses']
        if not isinstance(pauses, list) or not all(
                isinstance(p, list) and len(p) == 2 and all(isinstance(x, number) and not isinstance(x, bool) for x in p)
                and 0 <= p[0] < p[1] <= 1 for p in pauses):
            raise ValueError(f'{where}: pauses must be a list of [start, end] run fractions with 0 <= start < end <= 1')
        pauses = sorted([float(a), float(b)] for a, b in pauses)
        if any(pauses[i][1] > pauses[i + 1][0] for i in range(len(pauses) - 1)) or sum(b - a for a, b in pauses) >= 1:
            raise ValueError(f'{where}: pauses must not overlap nor fill the whole run')
        result['pauses'] = pauses
    if name == 'uneven_steps':
        weights = result['weights']
        if not isinstance(weights, list) or not weights or not all(
                isinstance(w, number) and not isinstance(w, bool) and w > 0 for w in weights):
            raise ValueError(f'{where}: weights must be a non-empty list of positive numbers')
        if not isinstance(result['jumps'], bool):
            raise ValueError(f'{where}: jumps must be true or false')
    if name == 'restart':
        if not all(isinstance(result[k], number) and not isinstance(result[k], bool) and 0 < result[k] < 1
                   for k in ('at', 'peak')):
            raise ValueError(f'{where}: at and peak must be numbers between 0 and 1')
    return result


def _sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def shape_point(shape, g, steps):
    """Progress fraction, step index (None: follow progress) and the run fraction of the last progress change, for
    run fraction ``g`` (0..1) under ``shape``."""
    name = shape['shape']
    g = min(max(g, 0.0), 1.0)
    if name == 'steps':
        done = int(g * steps) / steps
        return done, None, done
    if name == 's_curve':
        k = float(shape['steepness'])
        low, high = _sigmoid(-k / 2), _sigmoid(k / 2)
        return (_sigmoid(k * (g - 0.5)) - low) / (high - low), None, g
    if name == 'pauses':
        pauses = shape['pauses']
        total = sum(b - a for a, b in pauses)
        paused, beat = 0.0, g
        for start, end in pauses:
            if g >= end:
                paused += end - start
            elif g > start:
                paused += g - start
                beat = start
        return (g - paused) / (1.0 - total), None, beat
    if name == 'uneven_steps':
        weights = [shape['weights'][i % len(shape['weights'])] for i in range(steps)]
        total = float(sum(weights))
        start = 0.0
        for index, weight in enumerate(weights):
            share = weight / total
            if g < start + share or index == steps - 1:
                within = min(1.0, (g - start) / share) if share else 1.0
                if g >= 1.0:
                    return 1.0, index, 1.0
                if shape['jumps']:
                    return index / steps, index, start
                return (index + within) / steps, index, g
            start += share
    if name == 'jump':
        return (1.0, None, 1.0) if g >= 1.0 else (0.0, None, 0.0)
    if name == 'restart':
        at, peak = float(shape['at']), float(shape['peak'])
        return (peak * g / at if g < at else (g - at) / (1.0 - at)), None, g
    return g, None, g


class Snapshot:  # pylint: disable=too-few-public-methods
    """What an action looks like at one moment."""

    def __init__(self, status, progress, state, heartbeat, finished_at):
        self.status = status
        self.progress = progress
        self.state = state
        self.heartbeat = heartbeat
        self.finished_at = finished_at

    @property
    def terminal(self):
        return self.status in TERMINAL


class Action:  # pylint: disable=too-many-instance-attributes
    """One long-running operation. Times are wall-clock seconds (``time.time()`` plus the clock offset)."""

    def __init__(self, *, kind, name, created, duration, states, pending_fraction=0.1, progress_mode='linear',
                 outcome='completed', error=None, error_code=None, object_type=None, object_uid=None, node_uid=None,
                 visible_at=None, purpose=None, description=None, fail_fraction=0.6, uid=None, shape=None):
        self.uid = uid or str(uuid.uuid4())
        self.kind = kind
        self.name = name
        self.created = created
        self.duration = max(0.0, float(duration))
        self.pending = self.duration * min(max(pending_fraction, 0.0), 0.9)
        self.states = list(states) or ['running']
        self.progress_mode = progress_mode
        self.shape = shape              # a checked shape dict (check_shape), or None: progress_mode
        self.outcome = outcome
        self.error = error
        self.error_code = error_code
        self.object_type = object_type
        self.object_uid = None if object_uid is None else str(object_uid)
        self.node_uid = None if node_uid is None else str(node_uid)
        self.visible_at = created if visible_at is None else visible_at
        self.purpose = purpose          # what finishing it does to the cluster (create_bdb, update_bdb, ...)
        self.description = description
        self.fail_fraction = fail_fraction
        self.paused = 0.0               # total time spent stalled
        self.stalled_since = None
        self.forced = None              # (status, at, final_status, final_at): fail/abort/cancel at run time
        self.finalized = False          # finishing effects applied
        self.last_status = None         # for cluster-state-id bumps
        self.recorded_finish = None
        self.operation = None           # the database or node operation that started it (recover, maintenance_on, ...)
        self.params = None              # that operation's body / query parameters

    # ------------------------------------------------------------ identity
    @property
    def object_name(self):
        if self.object_type and self.object_uid is not None:
            return f'{self.object_type}:{self.object_uid}'
        return None

    @property
    def stalled(self):
        return self.stalled_since is not None

    # ------------------------------------------------------------ clock
    def _elapsed(self, now):
        frozen = self.stalled_since if self.stalled_since is not None else now
        if self.forced is not None:
            frozen = min(frozen, self.forced[1])
        return max(0.0, frozen - self.created - self.paused)

    def _progress_at(self, elapsed, final):
        """(status, progress, state index, heartbeat offset from start) of an undisturbed run ``elapsed`` s in.

        A run that ends in failure (or cancelled/aborted) only gets ``fail_fraction`` of the way."""
        steps = len(self.states)
        scale = 1.0 if final == 'completed' else self.fail_fraction
        run = self.duration - self.pending
        if elapsed < self.pending:
            return 'queued', 0.0, 0, 0.0
        if elapsed >= self.duration:
            fraction, status = 1.0, final
        else:
            fraction = (elapsed - self.pending) / run if run > 0 else 1.0
            status = 'starting' if self.kind == TASK and fraction < STARTING_FRACTION else 'running'
        shape = self.shape or {'shape': 'steps' if self.progress_mode == 'steps' else 'linear'}
        done, index, beat_fraction = shape_point(shape, fraction * scale, steps)
        if index is None:
            index = min(int(done * steps), steps - 1)
        beat = self.duration if status in TERMINAL else self.pending + run * beat_fraction / scale
        return status, 100.0 * done, index, beat

    def snapshot(self, now):
        elapsed = self._elapsed(now)
        status, progress, index, beat = self._progress_at(elapsed, self.outcome)
        finished_at = self.created + self.paused + self.duration if status in TERMINAL else None
        if self.forced is not None and status not in TERMINAL:
            forced_status, dummy, final_status, final_at = self.forced
            status = final_status if now >= final_at else forced_status
            finished_at = final_at if status in TERMINAL else None
        heartbeat = int(self.created + self.paused + beat)
        return Snapshot(status, round(progress, 1), self.states[index], heartbeat, finished_at)

    # ------------------------------------------------------------ run time control
    def stall(self, now):
        if self.stalled_since is None:
            self.stalled_since = now

    def resume(self, now):
        if self.stalled_since is not None:
            self.paused += now - self.stalled_since
            self.stalled_since = None

    def force(self, now, status, error=None, linger=0.0):
        """End the action now with ``status`` (after ``linger`` seconds in ``cancelling`` for a cancel)."""
        if status == 'cancelled' and linger > 0:
            self.forced = ('cancelling', now, 'cancelled', now + linger)
        else:
            self.forced = (status, now, status, now)
        if error:
            self.error = error
        if status != 'completed' and not self.error_code:
            self.error_code = 'internal_error'

    # ------------------------------------------------------------ wire shapes
    def v1(self, snap, quirks=None):
        """The v1 object: a task (``actions``) or a state machine (``state-machines``).

        ``quirks`` (from the configuration): ``completed_sm_details``, ``sm_running_after_finish``,
        ``task_progress``, ``integer_progress``."""
        quirks = quirks or {}
        integer = quirks.get('integer_progress', False)
        if self.kind == SM:
            body = {'action_uid': self.uid, 'name': self.name}
            if self.object_name:
                body['object_name'] = self.object_name
            status = SM_V1_STATUS.get(snap.status, snap.status)
            if snap.status in ('cancelled', 'aborted'):
                status = 'failed'          # v1 state machines: pending, active, completed, failed only
            stale = snap.status == 'completed' and quirks.get('sm_running_after_finish', False)
            body['status'] = 'active' if stale else status
            if status != 'completed' or stale or quirks.get('completed_sm_details', False):
                body['state'] = snap.state
                progress = 100.0 if snap.status == 'completed' else float(snap.progress)
                body['progress'] = int(round(progress)) if integer else progress
                body['pending_ops'] = {}
            body['heartbeat'] = snap.heartbeat
            if status == 'failed':
                body['error'] = self.error or f'action {snap.status}'
            return dict(sorted(body.items()))
        body = {'action_uid': self.uid, 'task_id': self.uid, 'name': self.name}
        if self.node_uid is not None:
            body['node_uid'] = self.node_uid
        if quirks.get('task_progress', True) or snap.terminal:
            body['progress'] = str(int(round(snap.progress))) if integer else _number_string(snap.progress)
        body['status'] = snap.status
        body['creation_time'] = str(int(self.created))
        if snap.status in ('failed', 'aborted'):
            body['error_code'] = self.error_code or 'internal_error'
            body['error_message'] = self.error or f'task {snap.status}'
        return body

    def node_action(self, snap, quirks=None):
        """The object of ``GET /v1/nodes/<uid>/actions/<action>`` (numeric progress, as in the docs)."""
        body = {'name': self.name, 'node_uid': self.node_uid, 'status': snap.status, 'progress': snap.progress,
                'task_id': self.uid}
        if not (quirks or {}).get('task_progress', True) and not snap.terminal:
            del body['progress']
        if snap.status in ('failed', 'aborted'):
            body['error_code'] = self.error_code or 'internal_error'
            body['error_message'] = self.error or f'task {snap.status}'
        return body

    def v2(self, snap, status_map, object_types, stale=False):
        body = {'action_uid': self.uid, 'action_type': self.kind, 'creation_time': int(self.created), 'name': self.name,
                'progress': float(snap.progress)}
        status = V2_STATUS.get(snap.status, snap.status)
        body['status'] = status_map.get(snap.status, status)
        if stale and self.kind == SM and snap.status == 'completed':
            body['status'], body['progress'] = 'running', 100.0
        info = {}
        if self.description:
            info['description'] = self.description
        if snap.status in ('failed', 'cancelled', 'aborted'):
            info['error'] = self.error or f'action {snap.status}'
        if self.object_type:
            info['object_type'] = object_types.get(self.object_type, self.object_type)
            info['object_uid'] = self.object_uid
        elif self.node_uid is not None:
            info['object_type'] = object_types.get('node', 'node')
            info['object_uid'] = self.node_uid
        if info:
            body['additional_info'] = info
        return body

    def timeline(self, snap, retention_end, now):
        """The control API's record: wall-clock times, for latency measurements."""
        return {
            'action_uid': self.uid, 'name': self.name, 'kind': self.kind, 'object_name': self.object_name,
            'node_uid': self.node_uid, 'status': snap.status, 'progress': snap.progress, 'state': snap.state,
            'outcome': self.outcome, 'error': self.error, 'stalled': self.stalled,
            'created_at': self.created, 'visible_at': self.visible_at, 'finished_at': snap.finished_at,
            'expires_at': retention_end, 'expired': retention_end is not None and now >= retention_end,
            'duration': self.duration,
        }


def _number_string(value):
    """Progress as real clusters send it for tasks: "100", "37.5"."""
    if math.isclose(value, round(value)):
        return str(int(round(value)))
    return f'{value:.1f}'
