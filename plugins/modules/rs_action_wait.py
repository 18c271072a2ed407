#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: rs_action_wait
short_description: Wait until background actions of a Redis Enterprise Software cluster finish
version_added: 1.0.0
description:
  - Block until background actions of a Redis Enterprise Software (RS) cluster finish, for example the
    C(SMCreateBDB) state machine started by a database creation.
  - Waits for the actions given by O(uid) (one or many), or for every action that runs on one object with
    O(object_name) (optionally only those named O(name)).
  - Succeeds when every awaited action is C(completed). Fails when an awaited action ends C(failed) or C(cancelled),
    with a message that names the action, its uid and the error RS reported, and fails with RV(timed_out=true) when
    O(timeout) passes first.
  - Polls quickly at first and backs off while nothing moves. Once progress moves, it computes the window in which
    each action can finish (from every progress value seen, whether progress is continuous or moves in steps) and
    sleeps until then, so that it returns shortly after the action completes without flooding the cluster. When the
    window is wide (progress in coarse steps), it polls every O(poll_interval) across it. Several actions cost one
    request per poll, not one per action.
  - Shows progress lines such as C(bdb:3 SMCreateBDB running 40%), followed by the elapsed seconds, while it waits,
    when it runs on the controller; see the notes.
  - This module never changes anything; it reports C(changed=false) and polls as usual in check mode.
author:
  - Redis Enterprise Software collection maintainers (@redis-enterprise-software)
extends_documentation_fragment:
  - redis_enterprise.software.connection
  - redis_enterprise.software.connection.action_group
  - redis_enterprise.software.connection.attributes_info
options:
  uid:
    description:
      - The C(action_uid) of the actions to wait for, for example the C(action_uid) returned by
        M(redis_enterprise.software.rs_database), or the one in the answer to C(POST /v1/bdbs).
      - One uid or a list of uids. All of them share one O(timeout).
      - Each uid must be a non-empty string of at most 200 characters without C(/) or whitespace.
      - Exactly one of O(uid) and O(object_name) is required.
    type: list
    elements: str
    aliases:
      - uids
      - action_uid
  object_name:
    description:
      - Wait until no action on this object is queued or running, given as C(type:uid), for example V(bdb:3) or
        V(node:1).
      - The type is one of V(bdb), V(node), V(cluster) or V(shard), compared case-insensitively; the uid is 1 to 200
        letters, digits, V(_) or V(-).
      - The actions awaited are those seen queued or running during this wait. Actions already finished at the first
        poll are returned in RV(actions) but do not decide the outcome; a failed one gives a warning.
      - When nothing runs on the object, the module succeeds at once.
      - Exactly one of O(uid) and O(object_name) is required.
    type: str
  name:
    description:
      - With O(object_name), wait only for the actions with this name, for example V(SMUpdateBDB).
    type: str
  timeout:
    description:
      - How many seconds to wait in all, for every awaited action together, request time included.
      - Must be greater than V(0). The task ends at most one O(request_timeout) after it.
      - When it passes, the task fails with RV(timed_out=true); B(the actions keep running on the cluster). Run the
        module again with the same O(uid) to wait more.
    type: int
    default: 600
  poll_interval:
    description:
      - Seconds between the first polls, between polls after a status change, and between polls across a finish
        window that is wider than this. The wait returns at most about this long after an action finishes.
      - Must be at least V(0.1) (a shorter interval would flood the cluster with requests) and not greater than
        O(timeout).
    type: float
    default: 1
  max_poll_interval:
    description:
      - The longest pause between two polls, so also the longest a failure can go unseen. While nothing moves, the
        pause grows by half at each poll up to this.
      - One exception saves a request. When the progress of every awaited action says it finishes within 1.5 times
        this, the wait sleeps straight to that moment.
      - Must be at least V(0.1) and greater than or equal to O(poll_interval).
    type: float
    default: 10
  missing_grace:
    description:
      - How many seconds a uid RS does not know (HTTP 404, or absent from the list of actions) is looked for again
        before the task fails, naming the uid. This covers an action that is not visible yet right after the request
        that started it.
      - Must be V(0) or more.
    type: float
    default: 30
  connect_grace:
    description:
      - Seconds the wait keeps retrying, before any poll has succeeded, an error that most likely means a wrong
        O(url) rather than a busy cluster. That is, the host name does not resolve, or nothing listens on the port
        (connection refused). The wait then fails with the client's message, which names the fix, instead of
        retrying until O(timeout).
      - TLS spoken to a plain-HTTP port, plain HTTP spoken to a TLS port, and a proxy that refuses the connection
        fail at once, whatever this is.
      - After one poll has succeeded, the same errors are retried until O(timeout), like any transient error (a
        node restarting, a master failover).
      - V(0) fails at the first such error. Must be V(0) or more.
    type: float
    default: 20
  fail_fast:
    description:
      - With V(true), stop at the first awaited action that fails.
      - With V(false), wait for every awaited action and report every outcome; the message lists each failure.
    type: bool
    default: true
  api_version:
    description:
      - Which actions API to read.
      - V(auto) uses V(v2) when the cluster serves C(/v2/actions) (RS 7.22 and later) and V(v1) otherwise. It falls
        back to V(v1), with one warning, when C(/v2/actions) answers C(404) or C(405) (RS before 7.22) or C(400)
        (RS 8.2.0-25 answered C(invalid_schema)).
      - With O(object_name=bdb:N), the actions of the database are found through C(GET /v1/actions/bdb/N)
        (RS 7.4.2 and later) whichever API is read, since v2 may leave out C(additional_info). A v1 task, which
        names only its node (C(node_uid)), counts as running on V(node:<node_uid>).
      - RV(api_version) tells which one was used.
    type: str
    choices: [auto, v1, v2]
    default: auto
  stall_timeout:
    description:
      - When greater than V(0), an awaited action whose status, progress, state and heartbeat have not moved for this
        many seconds is reported as stalled, naming its state-machine C(state); see O(on_stall).
      - V(0) turns stall detection off.
    type: float
    default: 0
  on_stall:
    description:
      - What to do with a stalled action (see O(stall_timeout)).
      - V(warn) adds a warning and keeps waiting; V(fail) counts the action as failed.
    type: str
    choices: [warn, fail]
    default: warn
notes:
  - B(A timeout does not stop anything on the cluster.) RS has no request to cancel an action, so the actions go on
    after the task fails; RV(actions) holds their last status and a later task can wait for them again.
  - B(Progress display.) An Ansible module cannot print while it runs; only its final result reaches the controller.
    So the module ships with an action plugin of the same name. When the task runs on the controller with a local
    connection (C(hosts=localhost), C(delegate_to=localhost) or C(connection=local)), without C(async) and without a
    task-level C(environment), and the Python library C(requests) is available there, the plugin runs the very same
    wait loop in the controller process, with the same options, defaults, environment variable fallbacks and checks,
    and prints a line such as C(bdb:3 SMCreateBDB running 40%), followed by the elapsed seconds, at every status
    change and at least every 5 seconds (one summary line when more than five actions are awaited). In every other case (a remote host, an
    C(async) task, a task C(environment)) it runs the module normally, without live lines. The result is the same
    either way. This design keeps C(delegate_to), C(async) and C(check_mode) working, needs no extra option, and
    does not cost extra requests to the cluster.
  - B(Fault tolerance.) Connection errors, timeouts of single requests, HTTP 5xx and 429 answers and invalid or
    truncated JSON never fail the task on their own. They are retried with jittered exponential backoff inside
    O(timeout) and listed in RV(transient_errors). Authentication, permission and TLS errors fail at once.
  - B(Never an outcome RS did not report.) An action that was seen unfinished and then disappears (HTTP 404 or
    absent from the list) is never reported as a success on its own. For an action on a database (C(bdb:N)), the
    database (C(GET /v1/bdbs/N)) settles it, and a busy status (C(pending), C(active-change-pending),
    C(import-pending), C(recovery)) keeps the wait going. A vanished creation (C(SMCreateBDB)) whose database is
    C(active) completed; C(creation-failed) means it failed. A vanished deletion whose database now answers C(404)
    completed. Any other vanished action, an update for example, leaves the database C(active) whether it worked or
    not. So it is reported as finished with its outcome unknown. Its RV(actions[].status) is V(unknown), its uid is in
    RV(outcome_unknown), a warning says why, and the task does not fail. It is never reported as V(completed). In
    every other case the task fails, saying that the outcome is unknown. An action seen completed stays completed.
  - B(State machines that never end.) Before RS 8.0.2-17, RS could keep listing a state machine as running after it
    had finished. A state machine on a database that sits at 100 % for 10 seconds, or shows no change at all for
    60 seconds, is checked through its database, at most every 30 seconds, instead of being polled until the
    deadline. The same rule then applies. The database must be C(active) (or C(creation-failed) for a creation).
    Below 100 %, for an action other than a creation or an update, its C(action_uid) must also name no action or
    another one.
  - Statuses this module does not know keep the wait going and give a warning.
seealso:
  - module: redis_enterprise.software.rs_action_info
    description: Read actions without waiting.
  - module: redis_enterprise.software.rs_database
    description: Create, update or delete a database; returns the C(action_uid) to wait for.
  - name: Actions requests of the RS REST API
    description: The C(/v1/actions) and C(/v2/actions) endpoints.
    link: https://redis.io/docs/latest/operate/rs/references/rest-api/requests/actions/
'''

EXAMPLES = r'''
- name: Create a database and wait for its creation, with the connection set once for the group
  module_defaults:
    group/redis_enterprise.software.rs:
      url: https://cluster.example.com:9443
      username: admin@example.com
      password: "{{ rs_password }}"
      ca_path: /etc/pki/redis-enterprise/ca.pem
  block:
    - name: Create the database
      redis_enterprise.software.rs_database:
        name: app-cache
        memory_size: 100MB
      register: app_cache

    - name: Wait until the database is created
      redis_enterprise.software.rs_action_wait:
        uid: "{{ app_cache.action_uid }}"
        timeout: 300
      when: app_cache.action_uid is truthy

- name: Start two database creations, without waiting
  redis_enterprise.software.rs_database:
    url: https://cluster.example.com:9443
    username: admin@example.com
    password: "{{ rs_password }}"
    ca_path: /etc/pki/redis-enterprise/ca.pem
    name: "{{ item }}"
    memory_size: 100MB
  loop: [app-queue, app-sessions]
  register: created

# Under --check no creation starts: there is no action_uid, and nothing to wait for.
- name: Wait for several actions at once, reporting every failure
  redis_enterprise.software.rs_action_wait:
    url: https://cluster.example.com:9443
    username: admin@example.com
    password: "{{ rs_password }}"
    ca_path: /etc/pki/redis-enterprise/ca.pem
    uid: "{{ created.results | map(attribute='action_uid') | select | list }}"
    fail_fast: false
    timeout: 900
  register: waited
  when: created.results | map(attribute='action_uid') | select | list | length > 0

- name: Show how long it took
  ansible.builtin.debug:
    msg: "{{ waited.actions | length }} actions done in {{ waited.elapsed }} s ({{ waited.polls }} polls)"
  when: waited is not skipped

- name: Wait until no update runs on database 3 any more (for example before changing it again)
  redis_enterprise.software.rs_action_wait:
    url: https://cluster.example.com:9443
    username: admin@example.com
    password: "{{ rs_password }}"
    ca_path: /etc/pki/redis-enterprise/ca.pem
    object_name: bdb:3
    name: SMUpdateBDB
    timeout: 120

- name: Wait on the controller, with the connection from REDIS_ENTERPRISE_* variables and a stall warning
  redis_enterprise.software.rs_action_wait:
    action_uid: "{{ created.results[0].action_uid }}"
    stall_timeout: 300
  delegate_to: localhost
  when: created.results[0].action_uid is not none
'''

RETURN = r'''
actions:
  description:
    - The awaited actions as last seen, normalized, one per O(uid) in the order given.
    - With O(object_name), every matching action, including those already finished at the first poll.
    - A uid RS never reported is listed with RV(actions[].status=unknown) and RV(actions[].raw=null).
    - An action that vanished and was settled through its database has the settled status; V(unknown) when RS did
      not report its outcome (see RV(outcome_unknown)).
  returned: always
  type: list
  elements: dict
  contains:
    action_uid:
      description: The globally unique identifier of the action.
      returned: always
      type: str
      sample: 0b6f3a52-8d1e-4c57-9a55-2f1c7d0e9b41
    name:
      description: The name of the action, for example C(SMCreateBDB).
      returned: always
      type: str
      sample: SMCreateBDB
    action_type:
      description: V(task), V(state-machine) or V(other).
      returned: always
      type: str
      sample: state-machine
    status:
      description: The normalized status.
      returned: always
      type: str
      choices: [queued, running, completed, failed, cancelled, unknown]
      sample: completed
    api_status:
      description: The status exactly as the API sent it.
      returned: always
      type: str
      sample: completed
    progress:
      description: Percent done (0 to 100), or V(null).
      returned: always
      type: float
      sample: 100.0
    object_name:
      description: The object the action runs on, as C(type:uid), or V(null).
      returned: always
      type: str
      sample: bdb:3
    node_uid:
      description: The uid of the node the action runs on, or V(null).
      returned: always
      type: str
      sample: '1'
    creation_time:
      description: When the action was created, in seconds since the Unix epoch, or V(null).
      returned: always
      type: int
      sample: 1768035600
    error:
      description: The error of a failed action, or V(null).
      returned: always
      type: str
      sample: insufficient resources to place shards
    error_code:
      description: The error code RS reported, or V(null).
      returned: always
      type: str
      sample: insufficient_resources
    state:
      description: The current step of a state machine, or V(null).
      returned: always
      type: str
      sample: create_shards
    heartbeat:
      description: When a state machine last made progress, in seconds since the Unix epoch, or V(null).
      returned: always
      type: int
      sample: 1768035604
    description:
      description: The short description of the action, or V(null).
      returned: always
      type: str
      sample: Exporting database
    raw:
      description: The action exactly as the API returned it, or V(null) for a uid RS never reported.
      returned: always
      type: dict
      sample: {"action_uid": "0b6f3a52-8d1e-4c57-9a55-2f1c7d0e9b41", "name": "SMCreateBDB", "status": "completed"}
elapsed:
  description: Seconds the wait took, request time included.
  returned: always
  type: float
  sample: 12.43
polls:
  description: How many poll cycles were made (each is one request for the actions, retries of transient errors included).
  returned: always
  type: int
  sample: 4
timed_out:
  description: Whether O(timeout) passed before every awaited action finished.
  returned: always
  type: bool
  sample: false
finished:
  description: Whether every awaited action reached a final state (completed, failed, cancelled, or settled).
  returned: always
  type: bool
  sample: true
failed_actions:
  description: The uids of the awaited actions that did not complete (failed, cancelled, missing, outcome unknown, stalled with O(on_stall=fail)).
  returned: always
  type: list
  elements: str
  sample: []
outcome_unknown:
  description:
    - The uids of the awaited actions that are over while RS never reported how they ended, for example an update
      that vanished from the actions API once its database was C(active) again. They do not fail the task; a warning
      names each. See the notes.
  returned: always
  type: list
  elements: str
  sample: []
stalled:
  description: The uids of the actions found stalled (see O(stall_timeout)).
  returned: always
  type: list
  elements: str
  sample: []
history:
  description:
    - One entry per transition seen during the wait, in order. The first sighting of an action and every change of
      its status or progress.
  returned: always
  type: list
  elements: dict
  contains:
    elapsed:
      description: Seconds since the wait started.
      returned: always
      type: float
      sample: 3.02
    action_uid:
      description: The action.
      returned: always
      type: str
      sample: 0b6f3a52-8d1e-4c57-9a55-2f1c7d0e9b41
    status:
      description: Its normalized status.
      returned: always
      type: str
      sample: running
    progress:
      description: Its progress, or V(null).
      returned: always
      type: float
      sample: 40.0
transient_errors:
  description: The errors that were retried (connection errors, request timeouts, 5xx, 429, invalid JSON), in order.
  returned: always
  type: list
  elements: dict
  contains:
    elapsed:
      description: Seconds since the wait started.
      returned: always
      type: float
      sample: 1.5
    error:
      description: The error message (it never contains the password).
      returned: always
      type: str
      sample: RS failed to handle the request (503) for GET /v2/actions/0b6f3a52-8d1e-4c57-9a55-2f1c7d0e9b41; this may be temporary, retry later
api_version:
  description: The actions API that was read, or V(null) when no request succeeded.
  returned: always
  type: str
  choices: [v1, v2]
  sample: v2
'''

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_actions import ActionsAPI
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_module import RSModule
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_wait_params import (
    wait_argument_spec,
    wait_module_kwargs,
    waiter_from_params,
)


def main():
    module = RSModule(argument_spec=wait_argument_spec(), supports_check_mode=True, **wait_module_kwargs())
    with module.errors_reported():
        client = module.client()
        api = ActionsAPI(client, api_version=module.params['api_version'])
        result = waiter_from_params(api, client, module.params).run()  # validates the wait options first
    for warning in result.pop('warnings', []):
        module.warn(warning)
    if result['failed']:
        module.fail_json(**result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
