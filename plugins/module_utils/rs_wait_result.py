# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""The result dict of a wait: what ``ActionWaiter.run()`` returns, built from its tracks and its journal.

A timeout reads as a timeout, a failure as a failure, an error as what it is, with what was seen before it. The
wording of each message is in ``rs_wait_text``.
"""

from __future__ import annotations

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_settle import (
    OK_OUTCOMES,
    OUTCOME_FINISHED_UNKNOWN,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait_journal import GAVE_UP_CONNECT_GRACE
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait_text import (
    action_label,
    describe,
    failure_message,
    no_poll_message,
    seconds_text,
    success_message,
    timeout_message,
    transient_errors_text,
)

LAST_SEEN_SHOWN = 5           # a message that stops a wait describes at most this many actions as last seen


def failed_tracks(tracks):
    """The tracks of ``tracks`` that ended in a failure (an outcome not in ``OK_OUTCOMES``)."""
    return [track for track in tracks if track.terminal and track.outcome not in OK_OUTCOMES]


def last_seen_text(tracks, shown=LAST_SEEN_SHOWN):
    """How the awaited ``tracks`` were last seen, for a message that stops a wait: at most ``shown`` of them."""
    seen = []
    for track in tracks[:shown]:
        seen.append('%s %s' % (action_label(track.action, track.uid), describe(track.action))
                    if track.seen else '%s not reported by RS yet' % track.uid)
    if len(tracks) > shown:
        seen.append('%d more' % (len(tracks) - shown))
    return '; '.join(seen) or 'nothing'


class ResultBuilder:
    """Builds the result of a wait from its ``journal`` (a ``rs_wait_journal.WaitJournal``).

    ``object_name`` and ``name`` are what the wait was given (None when it waited on uids); ``fail_fast`` whether a
    failure stopped it.
    """

    def __init__(self, journal, object_name=None, name=None, fail_fast=True):
        self.journal = journal
        self.object_name = object_name
        self.name = name
        self.fail_fast = fail_fast

    def build(self, tracks, awaited, error, timed_out, api):
        """The result: ``tracks`` all tracks in order, ``awaited`` those the wait is about, ``error`` the ``RSError``
        that stopped it (or None), ``api`` the actions API (its ``api_version`` and ``warnings``)."""
        journal = self.journal
        failures = failed_tracks(awaited)
        if self.object_name is not None:
            actions = [track.report() for track in tracks]
        else:
            actions = [track.report() for track in awaited]
        result = dict(
            changed=False,
            actions=actions,
            elapsed=round(journal.elapsed(), 3),
            polls=journal.polls,
            timed_out=timed_out,
            history=journal.history,
            transient_errors=journal.transient_errors,
            api_version=getattr(api, 'api_version', None),
            failed_actions=[track.uid for track in failures],
            outcome_unknown=[track.uid for track in awaited if track.outcome == OUTCOME_FINISHED_UNKNOWN],
            stalled=list(journal.stalled),
            finished=bool(journal.first_poll_done) and all(track.terminal for track in awaited),
        )
        if error is not None:
            result.update(error.to_result())
        result.update(self._outcome(error, failures, timed_out, awaited))
        for message in getattr(api, 'warnings', None) or ():
            journal.warn(message)  # e.g. the fallback of api_version=auto from /v2/actions to v1
        result['warnings'] = list(journal.warnings)
        return result

    def _outcome(self, error, failures, timed_out, awaited):
        """``failed`` and ``msg`` of the result."""
        if error is not None:
            return dict(failed=True, msg=self._error_message(error, awaited))
        if failures:
            reasons = [track.reason for track in failures]
            running = len([track for track in awaited if not track.terminal])
            if timed_out and running:
                # fail_fast false: the wait went on after the failures and then ran out of time.
                return dict(failed=True, msg='%s. Before the timeout: %s' % (
                    self._timeout_message(awaited), failure_message(reasons, 0)))
            return dict(failed=True, msg=failure_message(reasons, running if self.fail_fast else 0))
        if timed_out:
            return dict(failed=True, msg=self._timeout_message(awaited))
        unknown = len([track for track in awaited if track.outcome == OUTCOME_FINISHED_UNKNOWN])
        return dict(failed=False, msg=success_message(len(awaited), self.journal.elapsed(), self.object_name,
                                                      self.name, unknown))

    def _error_message(self, error, awaited):
        """The message of a wait that an error stopped: the error, and what the wait saw before it."""
        journal = self.journal
        if journal.gave_up == GAVE_UP_CONNECT_GRACE:
            return ('%s. No poll succeeded in %s s (%d attempts): the url looks wrong, so the wait stopped after '
                    'connect_grace (%s s) instead of retrying until its timeout'
                    % (str(error).rstrip('.'), seconds_text(journal.elapsed()), journal.polls,
                       seconds_text(journal.connect_grace)))
        if not journal.first_poll_done:
            return str(error)
        return ('Stopped waiting after %s s at an error that a retry cannot fix: %s. Before it, %d poll%s succeeded '
                '(the last %s s ago); last seen: %s. The actions keep running on the cluster; fix the cause and wait '
                'again' % (
                    seconds_text(journal.elapsed()), str(error).rstrip('.'), journal.good_polls,
                    '' if journal.good_polls == 1 else 's',
                    seconds_text(journal.elapsed() - (journal.last_poll or 0.0)), last_seen_text(awaited)))

    def _timeout_message(self, awaited):
        journal = self.journal
        last_error = transient_errors_text([entry['error'] for entry in journal.transient_errors])
        if not journal.first_poll_done:
            return no_poll_message(journal.elapsed(), journal.polls, last_error)
        pending = [(track.uid, track.action if track.seen else None, track.vanished)
                   for track in awaited if not track.terminal]
        # "completed" counts only the actions that ended well: a failed one is reported by _outcome on its own.
        done = len(awaited) - len(pending) - len(failed_tracks(awaited))
        return timeout_message(journal.elapsed(), pending, done, self.object_name, self.name, last_error)
