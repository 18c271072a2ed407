# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""The words of the wait loop: how an action, a failure, a timeout and a success read in messages."""

from __future__ import annotations

import collections
import math

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_actions import STATUS_UNKNOWN


def seconds_text(value):
    """``12.3``: seconds to one decimal, without trailing zeros."""
    return '%g' % round(value, 1)


def percent_text(progress):
    """``40%``: progress rounded down to a whole percent."""
    return '%d%%' % int(math.floor(progress + 1e-9))


def action_label(action, uid=None):
    """``SMCreateBDB 0b6f...`` (or the uid alone when RS gave no name)."""
    uid = (action or {}).get('action_uid') or uid
    name = (action or {}).get('name')
    return '%s %s' % (name, uid) if name else str(uid)


def status_text(action):
    """``running``, ``status weird`` (a status RS sent that has no meaning here) or ``not reported by RS yet``."""
    status = action.get('status')
    if status == STATUS_UNKNOWN and action.get('raw') is None and action.get('api_status') is None:
        return 'not reported by RS yet'
    if status == STATUS_UNKNOWN and action.get('api_status'):
        return 'status %s' % action['api_status']
    return status or STATUS_UNKNOWN


def describe(action):
    """``running 40%, state proxy_policy``: the last status of an action for a timeout message."""
    text = status_text(action)
    if isinstance(action.get('progress'), (int, float)) and not isinstance(action.get('progress'), bool):
        text += ' ' + percent_text(action['progress'])
    if action.get('state'):
        text += ', state %s' % action['state']
    return text


def error_text(action):
    """The error RS gave for an action, with its code."""
    error = action.get('error') or action.get('description')
    if error and action.get('error_code') and action['error_code'] not in error:
        return '%s (%s)' % (error, action['error_code'])
    if error:
        return error
    if action.get('error_code'):
        return action['error_code']
    return 'RS gave no error message'


def where_text(action):
    """`` on bdb:3`` (or nothing when RS gave no object)."""
    return ' on %s' % action['object_name'] if action and action.get('object_name') else ''


def failure_message(reasons, running):
    """The message of a wait that saw actions fail: their ``reasons``; ``running`` actions were not waited for."""
    message = reasons[0] if len(reasons) == 1 else '%d actions did not complete: %s' % (len(reasons), '; '.join(reasons))
    if running:
        message += ('. Stopped waiting at the first failure (fail_fast); %d other action%s still running on the '
                    'cluster' % (running, ' is' if running == 1 else 's are'))
    return message


def _pending_text(uid, action, vanished):
    if action is None:
        return '%s not reported by RS yet' % uid
    where = ' (%s)' % action['object_name'] if action.get('object_name') else ''
    text = '%s%s %s' % (action_label(action), where, describe(action))
    if vanished:
        text += ', vanished from the actions API and its outcome is not settled yet'
    return text


def transient_errors_text(errors):
    """The transient errors of a wait (their texts, oldest first) in a few words: the last one, and the most frequent
    other one when it differs (the last request, cut short by the deadline, may say less than the 503s before it);
    None without errors."""
    if not errors:
        return None
    last = errors[-1]
    others = collections.Counter(error for error in errors[:-1] if error != last)
    if not others:
        return last
    other, times = others.most_common(1)[0]
    return '%s (before it, %d time%s: %s)' % (last.rstrip('.'), times, '' if times == 1 else 's', other.rstrip('.'))


def timeout_message(elapsed, pending, done, object_name=None, name=None, last_error=None):
    """The message of a wait that timed out.

    ``pending``: ``(uid, last action seen or None, vanished)`` of each unfinished action; ``done``: how many finished.
    """
    parts = [_pending_text(*entry) for entry in pending]
    count = len(pending)
    if object_name is not None:
        target = 'the actions on %s%s' % (object_name, ' named %s' % name if name else '')
        message = 'Timed out after %.1f s waiting for %s (%d unfinished): %s' % (elapsed, target, count, '; '.join(parts))
    else:
        message = 'Timed out after %.1f s waiting for %d action%s: %s' % (
            elapsed, count, '' if count == 1 else 's', '; '.join(parts))
    if done:
        message += ' (%d other%s completed)' % (done, '' if done == 1 else 's')
    if last_error:
        message += '. Last transient error: %s' % last_error
    return message + '. The actions keep running on the cluster; wait again with the same uids to re-attach'


def no_poll_message(elapsed, polls, last_error=None):
    """The message of a wait that timed out before any poll succeeded."""
    message = 'Timed out after %.1f s: no poll of the actions succeeded (%d attempts)' % (elapsed, polls)
    if last_error:
        message += '. Last transient error: %s' % last_error
    return message


def success_message(count, elapsed, object_name=None, name=None, unknown=0):
    """The message of a wait that saw every action complete (or, for an object, nothing running); ``unknown`` of
    them finished while RS never reported how (outcome ``finished-unknown``)."""
    if object_name is not None and not count:
        return 'No action%s is queued or running on %s' % (' named %s' % name if name else '', object_name)
    if unknown:
        return ('%d action%s finished after %.1f s; RS did not report the outcome of %d of them (outcome_unknown, see '
                'the warnings)' % (count, '' if count == 1 else 's', elapsed, unknown))
    return '%d action%s completed after %.1f s' % (count, '' if count == 1 else 's', elapsed)


def finished_before_message(action):
    """The warning about an action that failed before the wait started (object mode: it does not decide the outcome)."""
    return ('Action %s%s %s before the wait started (it finished before the wait started, so it does not decide the '
            'outcome): %s' % (action_label(action), where_text(action), action['status'], error_text(action)))
