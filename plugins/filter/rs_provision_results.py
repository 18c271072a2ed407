# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The summary the ``rs_provision`` role returns: one entry per database (filter ``rs_provision_results``)."""

from __future__ import annotations

DOCUMENTATION = r'''
name: rs_provision_results
short_description: Summarise the outcome of provisioning databases, one entry per database
version_added: 1.0.0
description:
  - Combines what the M(redis_enterprise.software.rs_database) loop, the single
    M(redis_enterprise.software.rs_action_wait) call and the single M(redis_enterprise.software.rs_database_info) read-back
    of the C(redis_enterprise.software.rs_provision) role registered into one entry per database, in the order of the
    input list.
  - The role sets C(rs_provision_results) with it; a playbook that provisions databases its own way can use it too.
  - Entries are built for as many databases as the M(redis_enterprise.software.rs_database) loop has results for.
  - The C(changed) and C(outcome) of an entry agree; C(outcome) is V(unchanged) exactly when C(changed) is false and
    there was no action to wait for.
options:
  _input:
    description: The databases that were provisioned, each a dictionary with at least C(name).
    type: list
    elements: dict
    required: true
  changes:
    description: The registered result of the M(redis_enterprise.software.rs_database) loop (a dictionary with C(results)).
    type: dict
    required: true
  readback:
    description:
      - The registered result of the M(redis_enterprise.software.rs_database_info) call that read every database back
        (a dictionary with C(databases)). Each entry is matched by C(name), and by C(uid) when the entry gives one.
      - When that read failed, its C(msg) is the C(error) of every entry that has no error of its own.
    type: dict
    required: true
  wait:
    description:
      - The registered result of the one M(redis_enterprise.software.rs_action_wait) call that waited for every action.
      - An empty dictionary (or a skipped result) when nothing was waited for.
    type: dict
    default: {}
  check_mode:
    description:
      - Whether the changes were registered in check mode (pass C(ansible_check_mode)).
      - In check mode nothing was created or updated, so a database whose change was planned has the outcome
        V(would_create) or V(would_update) instead of the status of an action; a database that would be created is
        not read back, so its C(status) is V(absent) and its C(uid) is V(null).
    type: bool
    default: false
author:
  - redis_enterprise.software contributors
'''

EXAMPLES = r'''
- name: Summarise the outcome for each database
  ansible.builtin.set_fact:
    rs_provision_results: >-
      {{ rs_provision_databases
         | redis_enterprise.software.rs_provision_results(rs_provision_changes, rs_provision_readback, rs_provision_wait,
                                                          check_mode=ansible_check_mode) }}

- name: The databases that are not active
  ansible.builtin.debug:
    msg: "{{ rs_provision_results | rejectattr('status', 'equalto', 'active') | map(attribute='name') | list }}"
'''

RETURN = r'''
_value:
  description: One entry per database, in the order of the input.
  type: list
  elements: dict
  contains:
    name:
      description: The name of the database, from the input.
      type: str
      sample: app-cache
    uid:
      description: The uid of the database as read back, or V(null) when it could not be read.
      type: int
      sample: 3
    status:
      description: The status of the database as read back, or V(absent) when it could not be read.
      type: str
      sample: active
    endpoints:
      description: The endpoints of the database as read back (an empty list when it could not be read).
      type: list
      elements: dict
      sample: [{"dns_address_master": "redis-12000.cluster.example.com:12000", "port": 12000}]
    changed:
      description:
        - Whether the M(redis_enterprise.software.rs_database) task changed (or, in check mode, would change) this
          database.
      type: bool
      sample: true
    action_uid:
      description: The action that was waited for, or V(null) when nothing changed.
      type: str
      sample: 0b6f3a52-8d1e-4c57-9a55-2f1c7d0e9b41
    outcome:
      description:
        - V(error) when RS refused the request for this database; V(timed_out) when the wait timed out before its
          action finished; else the final status of its action (V(completed), V(failed), V(cancelled));
          V(unknown) when the wait did not report the action.
        - V(created) or V(updated) when the database changed but RS started no action to wait for.
        - V(unchanged) when the database did not change and there was nothing to wait for.
        - In check mode, V(would_create) for a database that does not exist yet and V(would_update) for one whose
          fields differ; nothing was sent, so nothing was waited for.
      type: str
      choices: [completed, failed, cancelled, timed_out, created, updated, unchanged, would_create, would_update, error,
                unknown]
      sample: completed
    elapsed:
      description:
        - Seconds from the start of the wait until the last change of this database's action seen by the wait.
        - V(0.0) when there was nothing to wait for.
      type: float
      sample: 4.02
    error:
      description: The error RS reported for this database (its request, its action or the read-back), or V(null).
      type: str
      sample: null
'''

TERMINAL_STATUSES = ('completed', 'failed', 'cancelled')


def _results(registered):
    """The per-item results of a registered loop; an empty list when the loop did not run."""
    if isinstance(registered, dict):
        return registered.get('results') or []
    return []


def _action_uid(change):
    """The action the change started, or the one still running from an earlier run (``database.action_uid``)."""
    database = change.get('database')
    return change.get('action_uid') or (database.get('action_uid') if isinstance(database, dict) else None) or None


def _is_creation(change, read):
    """Whether ``change`` created (or, in check mode, would create) its database: nothing was there before."""
    diff = change.get('diff')
    if isinstance(diff, dict) and 'before' in diff:
        return not diff.get('before')
    return not read


def _outcome(change, action_uid, waited, wait, read, check_mode):
    if change.get('failed'):
        return 'error'
    changed = bool(change.get('changed'))
    if check_mode and changed:
        return 'would_create' if _is_creation(change, read) else 'would_update'
    if wait.get('timed_out') and (waited or {}).get('status') not in TERMINAL_STATUSES:
        return 'timed_out'
    if waited is not None:
        return waited.get('status')
    if action_uid:
        return 'unknown'
    if changed:
        return 'created' if _is_creation(change, read) else 'updated'
    return 'unchanged'


def _elapsed(action_uid, wait):
    if not action_uid:
        return 0.0
    steps = [step.get('elapsed') for step in wait.get('history') or [] if step.get('action_uid') == action_uid]
    if steps:
        return float(max(steps))
    return float(wait.get('elapsed') or 0.0)


def _error(change, waited, readback):
    if change.get('failed'):
        error = change.get('msg')
    else:
        error = (waited or {}).get('error') or (readback.get('msg') if readback.get('failed') else None)
    if error is None or str(error).strip() in ('', 'None'):
        return None
    return error


def _read(database, readback):
    """This entry's database in the read-back: by name, and by uid when the entry names one."""
    found = [item for item in readback.get('databases') or []
             if isinstance(item, dict) and item.get('name') == database.get('name')]
    if database.get('uid') is not None:
        found = [item for item in found if str(item.get('uid')) == str(database.get('uid'))]
    return found[0] if found else {}


def summarise(database, change, readback, wait, check_mode=False):
    """The entry of one database: see RETURN above."""
    read = _read(database, readback)
    action_uid = _action_uid(change)
    waited = next((action for action in wait.get('actions') or []
                   if action_uid and action.get('action_uid') == action_uid), None)
    return {
        'name': database.get('name'),
        'uid': read.get('uid'),
        'status': read.get('status', 'absent'),
        'endpoints': read.get('endpoints', []),
        'changed': bool(change.get('changed')) and not change.get('failed'),
        'action_uid': action_uid,
        'outcome': _outcome(change, action_uid, waited, wait, read, check_mode),
        'elapsed': _elapsed(action_uid, wait),
        'error': _error(change, waited, readback),
    }


def rs_provision_results(databases, changes, readback, wait=None, check_mode=False):
    """One entry per database, for as many databases as the rs_database loop has results for."""
    wait = wait if isinstance(wait, dict) else {}
    readback = readback if isinstance(readback, dict) else {}
    check_mode = bool(check_mode)
    return [summarise(database, change, readback, wait, check_mode)
            for database, change in zip(databases or [], _results(changes))]


class FilterModule:
    """The filters of the rs_provision role."""

    def filters(self):
        return {'rs_provision_results': rs_provision_results}
