# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""The wait loop of ``rs_action_wait``: block until RS actions finish, reliably, quickly and visibly.

``ActionWaiter`` polls an ``ActionsAPI``-like object until every awaited action is finished, the
deadline passes, or an action fails. Time is read from an injected ``clock`` and spent through an
injected ``sleep``, so tests run on a fake clock. Nothing here calls ``exit_json``/``fail_json``:
``run()`` returns a result dict that the module (or the action plugin) hands to Ansible as is.

Scheduling, in short:

* one request per poll cycle: ``get(uid)`` for one uid, ``list()`` for several, ``list_for_object()``
  in object mode;
* the interval starts at ``poll_interval`` and grows x1.5 (+-10 % jitter) up to ``max_poll_interval``
  while nothing moves; a status change or a new sighting brings it back to ``poll_interval``;
* once an action's progress moves, every value seen bounds the window its finish can fall in
  (``finish_window()``: continuous progress or progress in steps); a narrow window gets one poll just
  after it, a wide one a poll every ``poll_interval`` across it. The next poll serves the latest finish
  of the awaited actions (the moment the wait can succeed); when every action has a window and the aim
  is at most 1.5 x ``max_poll_interval`` away, the sleep goes straight to it;
* transient errors are retried with jittered exponential backoff and reported; the deadline is
  measured on a monotonic clock, request time included, with a last poll at the deadline.
"""

from __future__ import annotations

import math
import random
import re
import time

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_client import connection_argument_spec
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    RSConfigError,
    RSError,
    RSNotFound,
)

# Normalized statuses (the vocabulary of rs_actions.normalize_status()).
COMPLETED = 'completed'
FAILED = 'failed'
CANCELLED = 'cancelled'
QUEUED = 'queued'
RUNNING = 'running'
UNKNOWN = 'unknown'
FAILURE_STATUSES = (FAILED, CANCELLED)
TERMINAL_STATUSES = (COMPLETED, FAILED, CANCELLED)

# Keys of a normalized action (rs_actions.ACTION_KEYS), used for the placeholder of a uid RS never reported.
ACTION_KEYS = (
    'action_uid', 'name', 'action_type', 'status', 'api_status', 'progress', 'object_name', 'node_uid',
    'creation_time', 'error', 'raw', 'error_code', 'state', 'heartbeat', 'description',
)

# Statuses of a database (GET /v1/bdbs/<uid>) after its action vanished.
BDB_DONE_STATUSES = ('active',)
BDB_FAILED_STATUSES = ('creation-failed',)
BDB_BUSY_STATUSES = ('pending', 'active-change-pending', 'import-pending', 'recovery')

MAX_UID_LENGTH = 200
OBJECT_NAME_RE = re.compile(r'^([A-Za-z_]+):([A-Za-z0-9_-]{1,200})$')
BDB_OBJECT_RE = re.compile(r'^bdb:([A-Za-z0-9_-]+)$', re.IGNORECASE)

# Scheduling constants.
BACKOFF_FACTOR = 1.5
BACKOFF_JITTER = 0.2          # the factor varies by +-10 %
MIN_REQUEST_TIMEOUT = 0.5     # a request never gets less than this, even at the deadline
SUMMARY_THRESHOLD = 5         # more awaited actions than this: one summary line instead of one line each


# ---------------------------------------------------------------------------------------------------------------
# Options


def wait_argument_spec():
    """A fresh argument spec of ``rs_action_wait``: the connection options plus the wait options."""
    spec = connection_argument_spec()
    spec.update(
        uid=dict(type='list', elements='str', aliases=['uids', 'action_uid']),
        object_name=dict(type='str'),
        name=dict(type='str'),
        timeout=dict(type='int', default=600),
        poll_interval=dict(type='float', default=1.0),
        max_poll_interval=dict(type='float', default=10.0),
        missing_grace=dict(type='float', default=30.0),
        fail_fast=dict(type='bool', default=True),
        api_version=dict(type='str', default='auto', choices=['auto', 'v1', 'v2']),
        stall_timeout=dict(type='float', default=0.0),
        on_stall=dict(type='str', default='warn', choices=['warn', 'fail']),
    )
    return spec


def wait_module_kwargs():
    """The option rules of ``rs_action_wait``, for ``AnsibleModule`` and ``ArgumentSpecValidator`` alike."""
    return dict(
        mutually_exclusive=[['uid', 'object_name']],
        required_one_of=[['uid', 'object_name']],
        required_by={'name': ['object_name']},
    )


def _has_control_chars(value):
    return any(ord(char) < 32 or ord(char) == 127 for char in value)


def _check_number(params, option, minimum=None, strict=False):
    value = params.get(option)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RSConfigError('%s must be a number of seconds; got %r' % (option, value)) from None
    if math.isnan(number) or math.isinf(number):
        raise RSConfigError('%s must be a finite number of seconds; got %r' % (option, value))
    if minimum is not None:
        if strict and not number > minimum:
            raise RSConfigError('%s must be greater than %g; got %g' % (option, minimum, number))
        if not strict and number < minimum:
            raise RSConfigError('%s must be %g or more; got %g' % (option, minimum, number))
    return number


def validate_uid(uid):
    """Raise ``RSConfigError`` unless ``uid`` looks like an RS action uid (a UUID or a short string)."""
    if not isinstance(uid, str) or uid.strip() == '':
        raise RSConfigError('uid entries must be non-empty strings; got %r' % (uid,))
    shown = uid if len(uid) <= 60 else uid[:60] + '...'
    if len(uid) > MAX_UID_LENGTH:
        raise RSConfigError('uid %r is too long (%d characters, at most %d): check the uid'
                            % (shown, len(uid), MAX_UID_LENGTH))
    if uid in ('.', '..'):
        raise RSConfigError('uid %r is not a valid action uid' % uid)
    if '/' in uid:
        raise RSConfigError("uid %r must not contain '/': give the action_uid RS returned, not a path" % shown)
    if any(char.isspace() for char in uid) or _has_control_chars(uid):
        raise RSConfigError('uid %r must not contain whitespace or control characters' % shown)


def validate_wait_params(params):
    """Check the wait options before any request; raise ``RSConfigError`` naming the option.

    Returns a dict of normalized values: ``uids`` (deduplicated, in order), ``object_name`` (type in lowercase),
    ``name``, and the numbers as floats.
    """
    uids = params.get('uid')
    object_name = params.get('object_name')
    name = params.get('name')
    if uids is not None and object_name is not None:
        raise RSConfigError('uid and object_name are mutually exclusive: give one of them')
    if uids is None and object_name is None:
        raise RSConfigError('one of uid or object_name is required')
    if name is not None and object_name is None:
        raise RSConfigError('name can only be used with object_name (it filters the actions of that object)')

    timeout = _check_number(params, 'timeout', 0, strict=True)
    poll_interval = _check_number(params, 'poll_interval', 0, strict=True)
    if poll_interval > timeout:
        raise RSConfigError('poll_interval (%g s) must not be greater than timeout (%g s)' % (poll_interval, timeout))
    max_poll_interval = _check_number(params, 'max_poll_interval', 0, strict=True)
    if max_poll_interval < poll_interval:
        raise RSConfigError('max_poll_interval (%g s) must be greater than or equal to poll_interval (%g s)'
                            % (max_poll_interval, poll_interval))
    missing_grace = _check_number(params, 'missing_grace', 0)
    stall_timeout = _check_number(params, 'stall_timeout', 0) if params.get('stall_timeout') is not None else 0.0
    on_stall = params.get('on_stall') or 'warn'
    if on_stall not in ('warn', 'fail'):
        raise RSConfigError('on_stall must be warn or fail; got %r' % (on_stall,))
    request_timeout = params.get('request_timeout')
    if request_timeout is not None:
        request_timeout = _check_number(params, 'request_timeout', 0, strict=True)

    clean_uids = None
    if uids is not None:
        if isinstance(uids, str):
            uids = [uids]
        if not uids:
            raise RSConfigError('uid must list at least one action uid')
        clean_uids = []
        for uid in uids:
            validate_uid(uid)
            if uid not in clean_uids:
                clean_uids.append(uid)
    if object_name is not None:
        match = OBJECT_NAME_RE.match(object_name) if isinstance(object_name, str) else None
        if not match:
            raise RSConfigError('object_name must be type:uid, for example bdb:3 or node:1; got %r' % (object_name,))
        object_name = '%s:%s' % (match.group(1).lower(), match.group(2))
    if name is not None:
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_UID_LENGTH or _has_control_chars(name):
            raise RSConfigError('name must be the non-empty name of an action, for example SMCreateBDB; got %r' % (name,))

    return dict(uids=clean_uids, object_name=object_name, name=name, timeout=timeout, poll_interval=poll_interval,
                max_poll_interval=max_poll_interval, missing_grace=missing_grace, fail_fast=bool(params.get('fail_fast', True)),
                stall_timeout=stall_timeout, on_stall=on_stall, request_timeout=request_timeout)


def waiter_from_params(api, client, params, **kwargs):
    """Validate ``params`` (the module's options) and build an ``ActionWaiter``; ``kwargs`` go to the waiter."""
    values = validate_wait_params(params)
    request_timeout = values['request_timeout']
    if request_timeout is None:
        request_timeout = getattr(client, 'request_timeout', None) or 30.0
    return ActionWaiter(
        api, client=client, uids=values['uids'], object_name=values['object_name'], name=values['name'],
        timeout=values['timeout'], poll_interval=values['poll_interval'], max_poll_interval=values['max_poll_interval'],
        missing_grace=values['missing_grace'], fail_fast=values['fail_fast'], request_timeout=request_timeout,
        stall_timeout=values['stall_timeout'], on_stall=values['on_stall'], **kwargs)


# ---------------------------------------------------------------------------------------------------------------
# Text


def _seconds(value):
    return '%g' % round(value, 1)


def _percent(progress):
    return '%d%%' % int(math.floor(progress + 1e-9))


def action_label(action, uid=None):
    """``SMCreateBDB 0b6f...`` (or the uid alone when RS gave no name)."""
    uid = (action or {}).get('action_uid') or uid
    name = (action or {}).get('name')
    return '%s %s' % (name, uid) if name else str(uid)


def _status_text(action):
    status = action.get('status')
    if status == UNKNOWN and action.get('raw') is None and action.get('api_status') is None:
        return 'not reported by RS yet'
    if status == UNKNOWN and action.get('api_status'):
        return 'status %s' % action['api_status']
    return status or 'unknown'


def format_progress_line(action, elapsed):
    """One progress line, e.g. ``bdb:3 SMCreateBDB running 40% (12 s)``.

    The object is left out when RS gave none, the progress when it is not a number.
    """
    parts = []
    if action.get('object_name'):
        parts.append(action['object_name'])
    parts.append(action.get('name') or action.get('action_uid') or 'action')
    parts.append(_status_text(action))
    if isinstance(action.get('progress'), (int, float)) and not isinstance(action.get('progress'), bool):
        parts.append(_percent(action['progress']))
    return '%s (%d s)' % (' '.join(parts), int(max(elapsed, 0)))


def format_summary_line(actions, elapsed):
    """One line for many actions, e.g. ``50 actions: 12 completed, 38 running (12 s)``."""
    counts = {}
    for action in actions:
        status = action.get('status') or UNKNOWN
        counts[status] = counts.get(status, 0) + 1
    order = [COMPLETED, RUNNING, QUEUED, FAILED, CANCELLED, UNKNOWN]
    parts = ['%d %s' % (counts[status], status) for status in order if counts.get(status)]
    parts += ['%d %s' % (count, status) for status, count in sorted(counts.items()) if status not in order]
    return '%d actions: %s (%d s)' % (len(actions), ', '.join(parts) or 'none seen yet', int(max(elapsed, 0)))


def progress_lines(actions, elapsed):
    """The lines to show for ``actions``: one per action, or one summary line for more than five."""
    if len(actions) > SUMMARY_THRESHOLD:
        return [format_summary_line(actions, elapsed)]
    return [format_progress_line(action, elapsed) for action in actions]


def _describe(action):
    """``running 40%, state proxy_policy``: the last status of an action for a timeout message."""
    text = _status_text(action)
    if isinstance(action.get('progress'), (int, float)) and not isinstance(action.get('progress'), bool):
        text += ' ' + _percent(action['progress'])
    if action.get('state'):
        text += ', state %s' % action['state']
    return text


def _error_text(action):
    error = action.get('error') or action.get('description')
    if error and action.get('error_code') and action['error_code'] not in error:
        return '%s (%s)' % (error, action['error_code'])
    if error:
        return error
    if action.get('error_code'):
        return action['error_code']
    return 'RS gave no error message'


# ---------------------------------------------------------------------------------------------------------------
# Prediction: when can an action finish, given the progress seen so far?
#
# Progress is modelled as a straight line in time, 0 % at an unknown start ``b`` and 100 % at the unknown finish
# ``f``; RS may show it rounded down to steps of ``step`` percent (state machines often move a step at a time).
# Every poll that saw ``p`` % at time ``t`` says ``p <= 100 (t - b) / (f - b) < p + step``. Multiplied out, each of
# these is a linear constraint on (f, b), so the finishes consistent with everything seen form an interval, found
# exactly from the corners of a small polygon. No constant is tuned to a duration: a narrow interval means "aim
# just after it", a wide one means "the finish may come as early as its lower end".

MAX_LEVELS = 6                # progress levels the window is computed from (the latest ones: rates drift)
PROGRESS_SLACK = 0.06         # RS rounds progress to 0.1 %
STEP_TOLERANCE = 0.05         # a value this close to a multiple of 100/k is on that grid (33.3 is on 100/3)
MAX_STEPS = 20                # step grids tried: 100/1 ... 100/20 %
_FAR = 1e7


def step_size(values):
    """The coarsest grid of 100/k % (k <= 20) that every progress value lies on, or None when none fits."""
    inside = [value for value in values if 0 < value < 100]
    for steps in range(1, MAX_STEPS + 1):
        grid = 100.0 / steps
        if all(abs(value / grid - round(value / grid)) * grid <= STEP_TOLERANCE for value in inside):
            return grid
    return None


def _corners(constraints):
    """Corners (f, b) of the polygon ``a*f + c*b <= d`` for every (a, c, d), or [] when it is empty."""
    corners = []
    for i, (a1, c1, d1) in enumerate(constraints):
        for a2, c2, d2 in constraints[i + 1:]:
            det = a1 * c2 - a2 * c1
            if abs(det) < 1e-12:
                continue
            f = (d1 * c2 - d2 * c1) / det
            b = (a1 * d2 - a2 * d1) / det
            if all(a * f + c * b <= d + 1e-7 * (1 + abs(d)) for a, c, d in constraints):
                corners.append((f, b))
    return corners


def finish_window(levels, step=0.0, started_after=None):
    """The earliest and latest finish consistent with ``levels``, or None when they contradict the model.

    ``levels``: ``(progress, first_seen, last_seen)`` of a running action, oldest first. ``step``: the size of the
    steps RS shows progress in (0 for continuous progress). ``started_after``: a moment the action had not started
    yet (it was queued then), or None. The latest finish is ``inf`` when nothing bounds it yet.
    """
    last = levels[-1][2]
    constraints = [(-1.0, 0.0, -last), (-1.0, 1.0, -0.01), (1.0, 0.0, last + _FAR), (0.0, -1.0, _FAR - last)]
    if started_after is not None:
        constraints.append((0.0, -1.0, -started_after))
    for progress, first_seen, last_seen in levels:
        if progress >= 100:
            return last, last  # RS says 100 % but not completed yet: it can finish any moment now
        low = max(progress - PROGRESS_SLACK, 0.0)
        constraints.append((low, 100.0 - low, 100.0 * first_seen))
        high = progress + step + PROGRESS_SLACK
        if high < 100:
            constraints.append((-high, high - 100.0, -100.0 * last_seen))
    corners = _corners(constraints)
    if not corners:
        return None
    earliest = min(f for f, b in corners)
    latest = max(f for f, b in corners)
    return earliest, (math.inf if latest >= last + _FAR / 2 else latest)


def progress_window(levels, started_after=None):
    """``finish_window`` for what a track saw: guess the step size, forget old levels the model cannot fit.

    Progress moves in steps when it stood still between two polls (a level below 100 % seen by two polls), or when
    its values lie on a grid of 100/k %
    (k <= 20, within 0.05: a continuous value lands there by chance 2 % of the time, costing a request or two);
    the step is the grid (or the smallest jump seen when no grid fits). Otherwise, or when the steps contradict
    what was seen, it is taken as continuous.
    """
    values = [level[0] for level in levels]
    grid = step_size(values)
    jumps = [b - a for a, b in zip(values, values[1:]) if b > a]
    if any(last_seen > first_seen and progress < 100 for progress, first_seen, last_seen in levels):
        steps = [grid if grid is not None else (min(jumps) if jumps else 100.0)]
    elif grid is not None and grid < 100:
        steps = [grid, 0.0]
    else:
        steps = [0.0]
    levels = levels[-MAX_LEVELS:]
    while levels:
        for step in steps:
            window = finish_window(levels, step, started_after)
            if window is not None:
                return window
        levels = levels[1:]
        started_after = None
    return None


# ---------------------------------------------------------------------------------------------------------------
# The wait loop


class _Track:
    """What the waiter knows about one action."""

    def __init__(self, uid):
        self.uid = uid
        self.action = None           # last normalized action seen
        self.seen = False
        self.awaited = True          # object mode: False for actions already finished at the first poll
        self.terminal = False
        self.outcome = None          # completed | failed | cancelled | missing | unknown | stalled
        self.reason = None           # failure message
        self.vanished = False        # seen unfinished, then absent: waiting for a settlement
        self.warned = set()
        # progress seen while running: [progress, first seen, last seen] per level, for progress_window()
        self.levels = []
        self.started_after = None    # the latest poll that saw the action queued
        # stall detection
        self.last_move = None
        self.stall_flagged = False

    @property
    def status(self):
        return self.action.get('status') if self.action else None

    @property
    def progress(self):
        progress = self.action.get('progress') if self.action else None
        if isinstance(progress, bool) or not isinstance(progress, (int, float)):
            return None
        return float(progress)

    def window(self):
        """(earliest, latest) clock time the action can finish at, from its progress so far, or None when unknown.

        The latest is ``inf`` until the progress seen bounds it (see ``finish_window()``).
        """
        if self.terminal or self.status != RUNNING or not self.levels:
            return None
        return progress_window([tuple(level) for level in self.levels], self.started_after)

    def report(self):
        if self.action is not None:
            return dict(self.action)
        placeholder = dict((key, None) for key in ACTION_KEYS)
        placeholder.update(action_uid=self.uid, status=UNKNOWN)
        return placeholder


class ActionWaiter:
    """Wait until RS actions finish.

    ``api`` reads actions (``get(uid, timeout)``, ``list(timeout)``, ``list_for_object(object_name, timeout)``,
    ``api_version``); ``client`` reads a database (``get(path, timeout=)``) to settle an action that vanished.
    Give ``uids`` (a list) or ``object_name`` (with an optional action ``name``).
    """

    def __init__(self, api, client=None, uids=None, object_name=None, name=None, timeout=600, poll_interval=1.0,
                 max_poll_interval=10.0, missing_grace=30.0, fail_fast=True, request_timeout=30.0,
                 stall_timeout=0.0, on_stall='warn', clock=time.monotonic, sleep=time.sleep, rng=random.random,
                 on_progress=None):
        if (uids is None) == (object_name is None):
            raise RSConfigError('give either uids or object_name')
        self.api = api
        self.client = client
        self.uids = list(dict.fromkeys(uids)) if uids is not None else None
        self.object_name = object_name
        self.name = name
        self.timeout = float(timeout)
        self.poll_interval = float(poll_interval)
        self.max_poll_interval = max(float(max_poll_interval), self.poll_interval)
        self.missing_grace = float(missing_grace)
        self.fail_fast = fail_fast
        self.request_timeout = float(request_timeout)
        self.stall_timeout = float(stall_timeout or 0)
        self.on_stall = on_stall
        self.clock = clock
        self.sleep = sleep
        self.rng = rng
        self.on_progress = on_progress

        self.tracks = {}
        self.order = []
        if self.uids is not None:
            for uid in self.uids:
                if uid not in self.tracks:
                    self._add_track(uid)
        self.polls = 0
        self.history = []
        self.transient_errors = []
        self.warnings = []
        self.stalled = []
        self.start = None
        self.deadline = None
        self._first_poll_done = False
        self._error_streak = 0
        self._backoff = self.poll_interval
        self._status_changed = False

    # ----------------------------------------------------------------------------------------- helpers

    def _add_track(self, uid):
        track = _Track(uid)
        self.tracks[uid] = track
        self.order.append(uid)
        return track

    def elapsed(self, now=None):
        if self.start is None:
            return 0.0
        return (self.clock() if now is None else now) - self.start

    def _awaited(self):
        return [self.tracks[uid] for uid in self.order if self.tracks[uid].awaited]

    def _request_timeout(self):
        remaining = self.deadline - self.clock()
        return min(self.request_timeout, max(remaining, MIN_REQUEST_TIMEOUT))

    def _warn(self, message):
        if message not in self.warnings:
            self.warnings.append(message)

    def _where(self, action):
        return ' on %s' % action['object_name'] if action and action.get('object_name') else ''

    # ----------------------------------------------------------------------------------------- polling

    def _fetch(self):
        """One request: the actions this cycle looks at."""
        timeout = self._request_timeout()
        if self.object_name is not None:
            actions = self.api.list_for_object(self.object_name, timeout=timeout) or []
            return [action for action in actions if self.name is None or action.get('name') == self.name]
        if len(self.uids) == 1:
            action = self.api.get(self.uids[0], timeout=timeout)
            return [action] if action is not None else []
        return self.api.list(timeout=timeout) or []

    def _poll(self):
        """One poll cycle. Transient errors are recorded; permanent ones propagate."""
        self.polls += 1
        sent = self.clock()
        try:
            actions = self._fetch()
        except RSError as error:
            if not error.transient:
                raise
            self._error_streak += 1
            self.transient_errors.append(dict(elapsed=round(self.elapsed(), 3), error=str(error)))
            return False
        # The answer describes the cluster somewhere between sending and receiving: take the middle.
        now = (sent + self.clock()) / 2.0
        self._error_streak = 0
        self._status_changed = False
        self._apply(actions, now)
        self._first_poll_done = True
        self._settle_vanished()
        now = self.clock()
        self._check_missing(now)
        self._check_stalls(now)
        return True

    def _apply(self, actions, now):
        by_uid = {}
        for action in actions:
            if isinstance(action, dict) and action.get('action_uid') and action['action_uid'] not in by_uid:
                by_uid[action['action_uid']] = action
        if self.object_name is not None:
            for uid, action in by_uid.items():
                if uid not in self.tracks:
                    track = self._add_track(uid)
                    if not self._first_poll_done and action.get('status') in TERMINAL_STATUSES:
                        track.awaited = False
                        self._note_finished_before(action)
        for uid in self.order:
            track = self.tracks[uid]
            if track.terminal:
                continue
            if uid in by_uid:
                track.vanished = False
                self._observe(track, by_uid[uid], now)
            elif track.seen:
                track.vanished = True

    def _note_finished_before(self, action):
        if action.get('status') in FAILURE_STATUSES:
            self._warn('Action %s%s %s before the wait started (it finished before the wait started, so it does not '
                       'decide the outcome): %s' % (action_label(action), self._where(action), action['status'],
                                                    _error_text(action)))

    def _record(self, track, now):
        self.history.append(dict(elapsed=round(now - self.start, 3), action_uid=track.uid, status=track.status,
                                 progress=track.progress))

    def _observe(self, track, action, now):
        previous = track.action
        first = not track.seen
        track.action = dict(action)
        track.seen = True
        status, progress = track.status, track.progress
        old_status = previous.get('status') if previous else None
        old_progress = None
        if previous is not None and isinstance(previous.get('progress'), (int, float)):
            old_progress = float(previous['progress'])
        status_change = first or status != old_status
        if status_change or progress != old_progress:
            self._record(track, now)
        if status_change:
            self._status_changed = True
        moved = status_change or progress != old_progress
        if previous is not None and (action.get('heartbeat') != previous.get('heartbeat')
                                     or action.get('state') != previous.get('state')):
            moved = True
        if moved or track.last_move is None:
            track.last_move = now
            track.stall_flagged = False
        if status == UNKNOWN:
            key = action.get('api_status')
            if key not in track.warned:
                track.warned.add(key)
                self._warn('Action %s%s reports the status %r, which this module does not know; waiting on as if it '
                           'were running' % (action_label(action), self._where(action), action.get('api_status')))
        self._estimate(track, now, status_change)
        if status in TERMINAL_STATUSES:
            track.terminal = True
            track.outcome = status
            if status in FAILURE_STATUSES:
                track.reason = 'Action %s%s %s: %s' % (action_label(action), self._where(action), status,
                                                       _error_text(action))

    # ----------------------------------------------------------------------------------------- prediction

    def _estimate(self, track, now, status_change):
        """Keep the progress levels seen since the action started running."""
        progress = track.progress
        if track.status != RUNNING or progress is None:
            track.levels = []
            if track.status == QUEUED:
                track.started_after = now
            return
        if status_change or (track.levels and progress < track.levels[-1][0]):
            track.levels = []
        if track.levels and progress == track.levels[-1][0]:
            track.levels[-1][2] = now
        else:
            track.levels.append([progress, now, now])

    # ----------------------------------------------------------------------------------------- settlement

    def _settle_vanished(self):
        for track in self._awaited():
            if track.terminal or not track.vanished:
                continue
            action = track.action
            match = BDB_OBJECT_RE.match(action.get('object_name') or '')
            if not match or self.client is None:
                self._fail_track(track, 'unknown', 'Action %s%s vanished before it finished; its outcome is unknown '
                                 '(last seen %s)' % (action_label(action), self._where(action), _describe(action)))
                continue
            if self.clock() >= self.deadline:
                continue  # no more requests past the deadline: the timeout reports it
            self._settle_through_bdb(track, match.group(1))

    def _settle_through_bdb(self, track, bdb_uid):
        action = track.action
        label = '%s%s' % (action_label(action), self._where(action))
        try:
            bdb = self.client.get(('v1', 'bdbs', bdb_uid), timeout=self._request_timeout())
        except RSNotFound:
            self._fail_track(track, 'unknown', 'Action %s vanished before it finished and database bdb:%s does not '
                             'exist (404); its outcome is unknown' % (label, bdb_uid))
            return
        except RSError as error:
            if not error.transient:
                raise
            self.transient_errors.append(dict(elapsed=round(self.elapsed(), 3), error=str(error)))
            return
        status = bdb.get('status') if isinstance(bdb, dict) else None
        now = self.clock()
        if status in BDB_DONE_STATUSES:
            track.action = dict(action, status=COMPLETED)
            track.terminal = True
            track.outcome = COMPLETED
            self._record(track, now)
        elif status in BDB_FAILED_STATUSES:
            self._fail_track(track, FAILED, 'Action %s vanished before it finished and database bdb:%s is in status '
                             '%s: the creation failed' % (label, bdb_uid, status))
        elif status not in BDB_BUSY_STATUSES:
            self._fail_track(track, 'unknown', 'Action %s vanished before it finished and database bdb:%s is in status '
                             '%s; its outcome is unknown' % (label, bdb_uid, status))

    def _fail_track(self, track, outcome, reason):
        track.terminal = True
        track.outcome = outcome
        track.reason = reason
        if track.action is not None:
            # A settled failure reads "failed"; an outcome nobody knows reads "unknown", never "completed".
            track.action = dict(track.action, status=FAILED if outcome == FAILED else UNKNOWN)
            if not track.action.get('error'):
                track.action['error'] = reason
            self._record(track, self.clock())

    def _check_missing(self, now):
        if self.uids is None:
            return
        for track in self._awaited():
            if not track.seen and not track.terminal and now - self.start >= self.missing_grace:
                track.terminal = True
                track.outcome = 'missing'
                track.reason = ('Action %s was not found after %s s (missing_grace): check the uid'
                                % (track.uid, _seconds(self.missing_grace)))

    def _check_stalls(self, now):
        if not self.stall_timeout:
            return
        for track in self._awaited():
            if track.terminal or not track.seen or track.stall_flagged or track.last_move is None:
                continue
            quiet = now - track.last_move
            if quiet < self.stall_timeout:
                continue
            track.stall_flagged = True
            action = track.action
            message = ('Action %s%s has not moved for %s s (stall_timeout %s s): %s'
                       % (action_label(action), self._where(action), _seconds(quiet), _seconds(self.stall_timeout),
                          _describe(action)))
            if track.uid not in self.stalled:
                self.stalled.append(track.uid)
            if self.on_stall == 'fail':
                track.terminal = True
                track.outcome = 'stalled'
                track.reason = message
            else:
                self._warn(message)

    # ----------------------------------------------------------------------------------------- scheduling

    def _next_gap(self, now):
        """Seconds to sleep before the next poll."""
        if self._error_streak:
            base = min(self.max_poll_interval, self.poll_interval * 2 ** (self._error_streak - 1))
            return base * (0.5 + 0.5 * self.rng())

        if self._status_changed:
            self._backoff = self.poll_interval
        else:
            factor = BACKOFF_FACTOR * (1 + BACKOFF_JITTER * (self.rng() - 0.5))
            self._backoff = min(self.max_poll_interval, self._backoff * factor)

        pending = [track for track in self._awaited() if not track.terminal]
        aims = []
        unpredicted = False
        for track in pending:
            window = track.window()
            if window is None or math.isinf(window[1]):
                unpredicted = True
                continue
            earliest, latest = window
            # A narrow window: poll just after its end, one request. A wide one (progress in steps): the first poll
            # comes poll_interval after the earliest finish, then one every poll_interval, so the return is never
            # later than poll_interval after the finish; every poll on the way narrows the window again.
            aims.append(latest if latest - earliest <= self.poll_interval else min(earliest + self.poll_interval, latest))
        gap = self._backoff if unpredicted else self.max_poll_interval
        limit = self.max_poll_interval
        floor = self.poll_interval / 4.0
        if aims:
            remaining = self._target(aims, now) - now
            if remaining <= 0:
                aim = self.poll_interval
            else:
                aim = max(remaining + 0.05, floor)  # a hair late beats a request too early
            if not unpredicted and remaining <= 1.5 * self.max_poll_interval:
                # Every action has a finish window and the aim is near: a poll on the way would only cost a request.
                # Farther away, max_poll_interval still bounds how late a failure or a vanished action is seen.
                limit = max(limit, aim)
                gap = aim
            gap = min(gap, aim)
        if self.uids is not None and any(not track.seen and not track.terminal for track in pending):
            grace_end = self.start + self.missing_grace
            if grace_end > now:
                gap = min(gap, max(grace_end - now, floor))
        if self.stall_timeout:
            for track in pending:
                if track.seen and not track.stall_flagged and track.last_move is not None:
                    gap = min(gap, max(track.last_move + self.stall_timeout - now, self.poll_interval))
        return max(min(gap, limit), 0.0)

    def _target(self, predictions, now):
        """The predicted finish the next poll aims at.

        Success needs every action, so the latest predicted finish is the one that matters. With ``fail_fast`` an
        earlier finish may also be a failure worth seeing early, so the soonest predicted finish is the target, but
        never less than two poll intervals away (many actions finishing close together then cost one poll per two
        intervals, not one poll each).
        """
        latest = max(predictions)
        if not self.fail_fast:
            return latest
        return min(latest, max(min(predictions), now + 2 * self.poll_interval))

    # ----------------------------------------------------------------------------------------- outcome

    def _decision(self):
        """None to keep waiting, else True (success) or False (failure)."""
        if not self._first_poll_done:
            return None
        awaited = self._awaited()
        failures = [track for track in awaited if track.terminal and track.outcome != COMPLETED]
        if failures and self.fail_fast:
            return False
        if all(track.terminal for track in awaited):
            return not failures
        return None

    def _snapshot(self):
        return dict(elapsed=round(self.elapsed(), 3), polls=self.polls, status_changed=self._status_changed,
                    actions=[track.report() for track in self._awaited()],
                    transient_errors=len(self.transient_errors))

    def current_actions(self):
        """The awaited actions as last seen (placeholders for uids not seen yet)."""
        return [track.report() for track in self._awaited()]

    def run(self):
        """Wait; return the result dict (``failed``, ``msg``, ``actions``, ``elapsed``, ``polls``, ...)."""
        self.start = self.clock()
        self.deadline = self.start + self.timeout
        error = None
        timed_out = False
        try:
            while True:
                polled = self._poll()
                if self.on_progress is not None:
                    self.on_progress(self._snapshot())
                if polled and self._decision() is not None:
                    break
                now = self.clock()
                if now >= self.deadline:
                    timed_out = True
                    break
                gap = self._next_gap(now)
                if now + gap >= self.deadline:
                    gap = self.deadline - now  # last look: sleep until the deadline and poll once more
                if gap > 0:
                    self.sleep(gap)
        except RSError as exc:
            error = exc
        return self._result(error, timed_out)

    def _result(self, error, timed_out):
        awaited = self._awaited()
        failures = [track for track in awaited if track.terminal and track.outcome != COMPLETED]
        if self.object_name is not None:
            actions = [self.tracks[uid].report() for uid in self.order]
        else:
            actions = [track.report() for track in awaited]
        result = dict(
            changed=False,
            actions=actions,
            elapsed=round(self.elapsed(), 3),
            polls=self.polls,
            timed_out=timed_out,
            history=self.history,
            transient_errors=self.transient_errors,
            api_version=getattr(self.api, 'api_version', None),
            failed_actions=[track.uid for track in failures],
            stalled=list(self.stalled),
            finished=bool(self._first_poll_done) and all(track.terminal for track in awaited),
        )
        if error is not None:
            result.update(error.to_result())
            result.update(failed=True, msg=str(error))
        elif failures:
            result.update(failed=True, msg=self._failure_message(failures, awaited))
        elif timed_out:
            result.update(failed=True, msg=self._timeout_message(awaited))
        else:
            result.update(failed=False, msg=self._success_message(awaited))
        for message in getattr(self.api, 'warnings', None) or ():
            self._warn(message)  # e.g. the fallback of api_version=auto from /v2/actions to v1
        result['warnings'] = list(self.warnings)
        return result

    def _failure_message(self, failures, awaited):
        reasons = [track.reason for track in failures]
        message = reasons[0] if len(reasons) == 1 else '%d actions did not complete: %s' % (len(reasons), '; '.join(reasons))
        running = [track for track in awaited if not track.terminal]
        if running:
            message += ('. Stopped waiting at the first failure (fail_fast); %d other action%s still running on the '
                        'cluster' % (len(running), ' is' if len(running) == 1 else 's are'))
        return message

    def _timeout_message(self, awaited):
        if not self._first_poll_done:
            message = 'Timed out after %.1f s: no poll of the actions succeeded (%d attempts)' % (
                self.elapsed(), self.polls)
            if self.transient_errors:
                message += '. Last transient error: %s' % self.transient_errors[-1]['error']
            return message
        pending = [track for track in awaited if not track.terminal]
        parts = []
        for track in pending:
            if not track.seen:
                parts.append('%s not reported by RS yet' % track.uid)
                continue
            action = track.action
            where = ' (%s)' % action['object_name'] if action.get('object_name') else ''
            text = '%s%s %s' % (action_label(action), where, _describe(action))
            if track.vanished:
                text += ', vanished from the actions API and its database is not settled yet'
            parts.append(text)
        count = len(pending)
        if self.object_name is not None:
            target = 'the actions on %s%s' % (self.object_name, ' named %s' % self.name if self.name else '')
            message = 'Timed out after %.1f s waiting for %s (%d unfinished): %s' % (
                self.elapsed(), target, count, '; '.join(parts))
        else:
            message = 'Timed out after %.1f s waiting for %d action%s: %s' % (
                self.elapsed(), count, '' if count == 1 else 's', '; '.join(parts))
        done = len(awaited) - count
        if done:
            message += ' (%d other%s completed)' % (done, '' if done == 1 else 's')
        if self.transient_errors:
            message += '. Last transient error: %s' % self.transient_errors[-1]['error']
        return message + '. The actions keep running on the cluster; wait again with the same uids to re-attach'

    def _success_message(self, awaited):
        if self.object_name is not None and not awaited:
            return 'No action%s is queued or running on %s' % (' named %s' % self.name if self.name else '', self.object_name)
        return '%d action%s completed after %.1f s' % (len(awaited), '' if len(awaited) == 1 else 's', self.elapsed())
