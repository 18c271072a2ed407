#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: rs_action_info
short_description: Read background actions of a Redis Enterprise Software cluster
version_added: 1.0.0
description:
  - Read the background actions (tasks, state machines and, on RS 7.22 and later, import, export and backup
    actions) of a Redis Enterprise Software (RS) cluster.
  - Reads one action by O(uid), the actions of one object with O(object_name), or all actions, and can filter them
    by O(name), O(object_name) and O(status).
  - Uses the v2 actions API when the cluster serves it (RS 7.22 and later) and the v1 API otherwise; see O(api_version).
  - Actions from both APIs are returned in one normalized shape, with a common status vocabulary.
  - This module never changes anything.
author:
  - Redis Enterprise Software collection maintainers (@redis-enterprise-software)
extends_documentation_fragment:
  - redis_enterprise.software.connection
  - redis_enterprise.software.connection.action_group
  - redis_enterprise.software.connection.attributes_info
options:
  uid:
    description:
      - The C(action_uid) of one action, for example the one returned when a database was created.
      - An action RS does not know gives an empty RV(actions) list, not a failure.
    type: str
  api_version:
    description:
      - Which actions API to read.
      - V(auto) uses V(v2) when the cluster serves C(/v2/actions) and V(v1) otherwise. It falls back to V(v1),
        with a warning, when C(/v2/actions) answers C(404) or C(405) (RS before 7.22) or C(400) (RS 8.2.0-25
        answered C(invalid_schema)).
      - V(v1) lists tasks and state machines only; V(v2) also lists import, export and backup actions.
    type: str
    choices: [auto, v1, v2]
    default: auto
  name:
    description:
      - Return only the actions with this name, for example V(SMCreateBDB) or V(retry_bdb).
    type: str
  object_name:
    description:
      - Return only the actions that run on this object, given as C(type:uid), for example V(bdb:3) or V(node:1).
      - The type is one of V(bdb), V(node), V(cluster) or V(shard), compared case-insensitively; the uid is 1 to 200
        letters, digits, V(_) or V(-). Anything else is rejected before any request is sent.
      - A v1 task names only the node it runs on (C(node_uid)); it counts as running on V(node:<node_uid>).
      - For a database (V(bdb:N)), the module does not rely on the optional C(additional_info) of v2. It asks
        C(GET /v1/actions/bdb/N) (RS 7.4.2 and later) which actions are the database's. When that answers C(404)
        (an older cluster, or a database that no longer exists), it filters the full list of actions, so the
        actions of a deleted database still show.
    type: str
  status:
    description:
      - Return only the actions with one of these normalized statuses.
      - V(queued) includes the v1 state machine status C(pending); V(running) includes C(active), C(starting) and
        C(cancelling); V(failed) includes C(aborted).
    type: list
    elements: str
    choices: [queued, running, completed, failed, cancelled, unknown]
  include_raw:
    description:
      - Also return each action exactly as the API returned it, in RV(actions[].raw).
      - Off by default. Every field of the normalized action comes from that object, so C(raw) roughly doubles the
        size of the result (and of the module's memory and output on a cluster with many actions).
    type: bool
    default: false
seealso:
  - module: redis_enterprise.software.rs_action_wait
    description: Wait until actions finish.
  - name: Actions requests of the RS REST API
    description: The C(/v1/actions) and C(/v2/actions) endpoints.
    link: https://redis.io/docs/latest/operate/rs/references/rest-api/requests/actions/
'''

EXAMPLES = r'''
- name: List all actions of the cluster
  redis_enterprise.software.rs_action_info:
    url: https://cluster.example.com:9443
    username: admin@example.com
    password: "{{ rs_password }}"
    ca_path: /etc/pki/redis-enterprise/ca.pem
  register: rs_actions

- name: Read one action by uid
  redis_enterprise.software.rs_action_info:
    url: https://cluster.example.com:9443
    username: admin@example.com
    password: "{{ rs_password }}"
    uid: 159ca2f8-7bf3-4cda-97e8-4eb560665c28
  register: rs_action

- name: Show whether the action is known
  ansible.builtin.debug:
    msg: "{{ rs_action.actions | length > 0 }}"

- name: Read the actions that still run on database 3, with the connection set once for the group
  module_defaults:
    group/redis_enterprise.software.rs:
      url: https://cluster.example.com:9443
      username: admin@example.com
      password: "{{ rs_password }}"
      ca_path: /etc/pki/redis-enterprise/ca.pem
  block:
    - name: Read running and queued actions on bdb:3
      redis_enterprise.software.rs_action_info:
        object_name: bdb:3
        status:
          - queued
          - running
      register: rs_bdb_actions

    - name: Read failed database creations through the v1 API
      redis_enterprise.software.rs_action_info:
        api_version: v1
        name: SMCreateBDB
        status:
          - failed

# The connection from REDIS_ENTERPRISE_URL, REDIS_ENTERPRISE_USER, REDIS_ENTERPRISE_PASSWORD and
# REDIS_ENTERPRISE_CA_PATH, exported in the shell that runs ansible-playbook. Do not set them with the task's
# environment: keyword: ansible-core would put the password on the module's command line (see the password option).
- name: Read all actions with the connection taken from REDIS_ENTERPRISE_* environment variables
  redis_enterprise.software.rs_action_info: {}
'''

RETURN = r'''
actions:
  description:
    - The matching actions, normalized. Always a list; empty when nothing matched or when O(uid) is unknown to RS.
  returned: always
  type: list
  elements: dict
  contains:
    action_uid:
      description: The globally unique identifier of the action.
      returned: success
      type: str
      sample: 159ca2f8-7bf3-4cda-97e8-4eb560665c28
    name:
      description: The name of the action, for example C(SMCreateBDB) or C(retry_bdb).
      returned: success
      type: str
      sample: SMCreateBDB
    action_type:
      description:
        - V(task), V(state-machine) or V(other) (import, export, backup; v2 only).
        - On v1, from the list the action is in, or inferred from its fields for a single action.
      returned: success
      type: str
      choices: [task, state-machine, other]
      sample: state-machine
    status:
      description:
        - The normalized status.
        - C(pending) maps to V(queued); C(active), C(starting) and C(cancelling) to V(running); C(aborted) to V(failed);
          values RS does not document to V(unknown).
      returned: success
      type: str
      choices: [queued, running, completed, failed, cancelled, unknown]
      sample: running
    api_status:
      description: The status exactly as the API sent it.
      returned: success
      type: str
      sample: active
    progress:
      description: Percent of the action that is done (0 to 100), or V(null) when RS did not send a number.
      returned: success
      type: float
      sample: 50.0
    object_name:
      description:
        - The object the action runs on, as C(type:uid), or V(null).
        - On v2, built from C(additional_info.object_type) (in lowercase) and C(additional_info.object_uid).
      returned: success
      type: str
      sample: bdb:3
    node_uid:
      description: The uid of the node the action runs on, or V(null).
      returned: success
      type: str
      sample: '1'
    creation_time:
      description: When the action was created, in seconds since the Unix epoch, or V(null).
      returned: success
      type: int
      sample: 1742595918
    error:
      description:
        - The error of a failed action, or V(null).
        - A state machine's C(error), a task's C(error_message), or C(additional_info.error) on v2.
      returned: success
      type: str
      sample: Not enough memory to create the database
    error_code:
      description: The error code RS reported for a failed action, or V(null).
      returned: success
      type: str
      sample: insufficient_resources
    state:
      description: The current step of a state machine, or V(null).
      returned: success
      type: str
      sample: proxy_policy
    heartbeat:
      description: When a state machine last made progress, in seconds since the Unix epoch, or V(null).
      returned: success
      type: int
      sample: 1650378874
    description:
      description: The short description of the action (v2 C(additional_info.description)), or V(null).
      returned: success
      type: str
      sample: Exporting database
    raw:
      description:
        - The action object exactly as the API returned it.
        - Only with O(include_raw=true). Without it the key is left out, so that a list of many actions is not
          returned twice over.
      returned: when O(include_raw=true)
      type: dict
      sample:
        action_uid: a10586b1-60bc-428e-9bc6-392eb5f0d8ae
        heartbeat: 1650378874
        name: SMCreateBDB
        object_name: bdb:1
        progress: 100
        status: completed
api_version:
  description: The actions API that was read.
  returned: always
  type: str
  choices: [v1, v2]
  sample: v2
'''

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_info_run import (
    action_info_argument_spec,
    run_action_info,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_module import RSModule


def main():
    module = RSModule(argument_spec=action_info_argument_spec(), supports_check_mode=True)
    module.run_and_exit(run_action_info)


if __name__ == '__main__':
    main()
