#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: rs_node_action
short_description: Start an action on a node of a Redis Enterprise Software cluster, and wait for it
version_added: 1.0.0
description:
  - Start a node action of a Redis Enterprise Software (RS) cluster (C(POST /v1/nodes/<node>/actions/<action>),
    with O(params) as the JSON body) and, with O(wait=true), wait until it has finished.
  - RS may answer with the action's C(task_id) or C(action_uid), returned as RV(action_uid); the wait then follows
    that action through the actions API, as M(redis_enterprise.software.rs_action_wait) does. Should the actions API
    not show it within 10 seconds, the wait follows the node's action status instead (below).
  - The RS documentation promises no uid in the answer (only that the body may provide additional action details).
    Without one, the wait follows the node's action status (C(GET /v1/nodes/<node>/actions/<action>)) until it reads
    C(completed) (C(failed), C(aborted) or C(cancelled) fail the task), and returns the uid that status shows, if
    any. Where RS no longer shows that status (404), the wait ends once the node is where the action leads (in or
    out of maintenance mode, or removed).
  - "The module does not start what is not needed, where RS lets it tell:
    when the same action is already queued or running on the node (C(GET /v1/nodes/<node>/actions)), the module
    reports no change, returns that action's uid and, with O(wait=true), waits for it;
    V(maintenance_on) on a node already in maintenance mode, and V(maintenance_off) on a node that is not, report
    no change (a node is in maintenance mode while C(GET /v1/nodes/<node>/status) shows a C(maintenance_snapshot);
    where that request is not served, while the node's C(accept_servers) is false). This matters, as maintenance
    activations stack in RS: turning it on twice needs two V(maintenance_off);
    V(remove) of a node that does not exist (C(404)) reports no change."
  - V(enslave_node) is always started.
author:
  - Redis Enterprise Software collection maintainers (@redis-enterprise-software)
extends_documentation_fragment:
  - redis_enterprise.software.connection
  - redis_enterprise.software.connection.action_group
  - redis_enterprise.software.wait
options:
  node:
    description:
      - The uid of the node.
    type: int
    required: true
  action:
    description:
      - The node action to start.
      - V(maintenance_on) snapshots the node, migrates its shards away and prepares it for maintenance.
      - V(maintenance_off) restores the node to its state before maintenance.
      - V(remove) removes the node from the cluster after migrating everything bound to it.
      - V(enslave_node) turns every master shard of the node into a replica.
    type: str
    required: true
    choices: [maintenance_on, maintenance_off, remove, enslave_node]
  params:
    description:
      - The JSON body of the request, as the RS REST API documents it for the action, for example
        C(overwrite_snapshot), C(evict_ha_replica), C(evict_active_active_replica) and C(evict_dbs) (a list of
        database uids as strings) for V(maintenance_on), C(snapshot_name) for V(maintenance_off), or
        C(wait_for_persistence) for V(remove).
    type: dict
    default: {}
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
    support: full
    details:
      - In check mode the module sends only C(GET) requests.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
    support: none
notes:
  - RS runs one action of a kind at a time on a node, and removes the status of the previous one when a new one
    is submitted.
  - Node actions need the C(admin) role (permission C(start_node_action)).
seealso:
  - module: redis_enterprise.software.rs_action_wait
  - name: RS REST API, node actions
    description: The requests and their parameters.
    link: https://redis.io/docs/latest/operate/rs/references/rest-api/requests/nodes/actions/
  - name: Maintenance mode
    description: What maintenance mode does to a node.
    link: https://redis.io/docs/latest/operate/rs/clusters/maintenance-mode/
'''

EXAMPLES = r'''
# The connection (url, username, password, ca_path) comes from module_defaults, for example at play level:
#   module_defaults:
#     group/redis_enterprise.software.rs:
#       url: https://cluster.example.com:9443
#       username: admin@example.com
#       password: "{{ rs_admin_password }}"
#       ca_path: /etc/ssl/rs/ca.pem

- name: Put node 1 in maintenance mode with a fresh snapshot, and wait until it is done
  redis_enterprise.software.rs_node_action:
    node: 1
    action: maintenance_on
    params:
      overwrite_snapshot: true
    wait: true
    wait_timeout: 1800

- name: Running it again changes nothing (the node is already in maintenance)
  redis_enterprise.software.rs_node_action:
    node: 1
    action: maintenance_on

- name: Take node 1 out of maintenance mode, without waiting
  redis_enterprise.software.rs_node_action:
    node: 1
    action: maintenance_off
  register: node_off

- name: Wait for it in a later task
  redis_enterprise.software.rs_action_wait:
    uid: "{{ node_off.action_uid }}"
  when: node_off.action_uid is not none
'''

RETURN = r'''
action:
  description: The action (O(action)).
  returned: always
  type: str
  sample: maintenance_on
action_uid:
  description:
    - The uid of the node action, the C(task_id) (or C(action_uid)) RS returned; or, when the same action was already
      running, the uid of that one; or, with O(wait=true), the uid the node's action status showed.
    - V(null) when nothing was started or found running, when RS showed no uid, and in check mode.
  returned: always
  type: str
  sample: 8f7d3e0c-40c6-4c40-9b0a-7b2f6d1f0e11
node:
  description:
    - The node object as RS returned it (C(GET /v1/nodes/<node>)); with O(wait=true), read again after the wait.
    - An empty dictionary when the node does not exist (V(remove)).
  returned: success
  type: dict
  sample: {uid: 1, status: active, accept_servers: false, addr: 10.0.0.1}
response:
  description: 'RS''s answer to the request, for example C({"status": "queued", "task_id": "..."}).'
  returned: when the action was started
  type: dict
  sample: {status: queued, task_id: 8f7d3e0c-40c6-4c40-9b0a-7b2f6d1f0e11}
msg:
  description: Why nothing was started, when nothing was.
  returned: when no change
  type: str
  sample: node 1 is already in maintenance mode (its status has the maintenance snapshot maintenance_mode_2026-01-01_10-00-00)
actions:
  description:
    - The awaited action as the wait last saw it, in the shape of
      M(redis_enterprise.software.rs_action_wait)'s RV(redis_enterprise.software.rs_action_wait#module:actions).
  returned: when O(wait=true), not in check mode, and an action was started or found running
  type: list
  elements: dict
  sample:
    - action_uid: 8f7d3e0c-40c6-4c40-9b0a-7b2f6d1f0e11
      name: maintenance_on
      status: completed
      progress: 100.0
elapsed:
  description: Seconds the wait took.
  returned: when O(wait=true), not in check mode, and an action was started or found running
  type: float
  sample: 42.0
timed_out:
  description: Whether the wait ended at O(wait_timeout) with the action still running (the task then fails).
  returned: when O(wait=true), not in check mode, and an action was started or found running
  type: bool
  sample: false
'''

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_module import RSModule
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_ops_run import (
    node_action_argument_spec,
    run_node_action,
)


def main():
    module = RSModule(argument_spec=node_action_argument_spec(), supports_check_mode=True)
    module.run_and_exit(run_node_action)


if __name__ == '__main__':
    main()
