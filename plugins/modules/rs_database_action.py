#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: rs_database_action
short_description: Start an action on a database of a Redis Enterprise Software cluster, and wait for it
version_added: 1.0.0
description:
  - Start one of the documented actions of a database (C(bdb)) of a Redis Enterprise Software (RS) cluster and,
    with O(wait=true), wait until it has finished.
  - The database is chosen by O(name) or O(uid), looked up with one C(GET /v1/bdbs).
  - "The requests sent, as the RS REST API documents them:
    V(export) C(POST /v1/bdbs/<uid>/actions/export) (body: O(params));
    V(import) C(POST /v1/bdbs/<uid>/actions/import) (body: O(params));
    V(recover) C(POST /v1/bdbs/<uid>/actions/recover) (body: O(params), empty for an automatic recovery);
    V(rebalance) C(PUT /v1/bdbs/<uid>/actions/rebalance) (query: C(dry_run), C(only_failovers), C(max_operations));
    V(revamp) C(PUT /v1/bdbs/<uid>/actions/revamp) (query: C(dry_run), C(pause_persistence); body: the other
    O(params));
    V(stop_traffic) and V(resume_traffic) C(POST /v1/bdbs/<uid>/actions/<action>) (no params);
    V(upgrade) C(POST /v1/bdbs/<uid>/upgrade) (body: O(params))."
  - RS answers with an C(action_uid) for recover, rebalance, revamp, stop_traffic, resume_traffic and upgrade (whose
    answer is the database object, with its C(action_uid)); the wait follows it. Should RS answer one of them without
    an C(action_uid), the wait follows every action of the database (object mode), then its C(status) until it is
    C(active) again. Export and import answer with a status code only; the wait then follows the database's actions
    of that name (as M(redis_enterprise.software.rs_action_wait) does with O(redis_enterprise.software.rs_action_wait#module:object_name)
    and O(redis_enterprise.software.rs_action_wait#module:name)), and then the database's C(export_status) or
    C(import_status) until it reads C(succeeded) or C(failed), which also works where the actions API does not
    list exports and imports (before RS 7.22). Should RS answer an export or import with an C(action_uid), the wait
    follows that action, or the C(export_status) or C(import_status) when the actions API does not show it within
    10 seconds.
  - Every run starts the action again (RS does not tell whether it is needed), so the task always reports a change,
    except with C(dry_run).
author:
  - Redis Enterprise Software collection maintainers (@redis-enterprise-software)
extends_documentation_fragment:
  - redis_enterprise.software.connection
  - redis_enterprise.software.connection.action_group
  - redis_enterprise.software.wait
options:
  name:
    description:
      - Name of the database. Give O(name), O(uid) or both (they must then match the same database).
    type: str
  uid:
    description:
      - Unique ID of the database.
    type: int
  action:
    description:
      - The action to start.
    type: str
    required: true
    choices: [export, import, recover, rebalance, revamp, stop_traffic, resume_traffic, upgrade]
  params:
    description:
      - The parameters of the action, as the RS REST API documents them; the module sends them in the query string
        or in the JSON body, where the documentation puts them.
      - V(export) needs C(export_location) and accepts C(email_notification).
      - V(import) takes the import fields of the bdb object, for example C(dataset_import_sources) and
        C(email_notification).
      - V(recover) takes a recovery plan, or nothing for an automatic recovery.
      - V(rebalance) takes C(dry_run), C(only_failovers) and C(max_operations).
      - V(revamp) takes C(dry_run) and C(pause_persistence), and the fields C(avoid_nodes), C(bigstore_ram_size),
        C(memory_size), C(replication), C(shards_count) and C(shards_placement).
      - V(upgrade) takes the upgrade fields, for example C(redis_version), C(force_restart), C(may_discard_data)
        or C(preserve_roles).
      - V(stop_traffic) and V(resume_traffic) take none.
      - Secrets in these parameters (the values of keys such as C(password), C(secret_access_key),
        C(account_key), C(private_key) or C(credentials), and credentials written into URLs such as
        V(ftp://user:password@host/)) are replaced by C(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER) in the result and
        the logs, as O(redis_enterprise.software.rs_database#module:config) of M(redis_enterprise.software.rs_database).
      - With C(dry_run=true) (rebalance and revamp), RS returns a blueprint and changes nothing; the module returns
        it in RV(blueprint) with C(changed=false), also in check mode.
      - Parameters are checked before any request is sent.
    type: dict
    default: {}
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
    support: full
    details:
      - In check mode the module only looks the database up, and reports a change without starting the action.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
    support: none
notes:
  - A C(409) answer means that the database is busy with another change; the message says how to wait for it.
seealso:
  - module: redis_enterprise.software.rs_action_wait
  - module: redis_enterprise.software.rs_database
  - name: RS REST API, database actions
    description: The requests, their parameters and their answers.
    link: https://redis.io/docs/latest/operate/rs/references/rest-api/requests/bdbs/actions/
  - name: RS REST API, upgrade a database
    description: The upgrade request and its parameters.
    link: https://redis.io/docs/latest/operate/rs/references/rest-api/requests/bdbs/upgrade/
'''

EXAMPLES = r'''
# The connection (url, username, password, ca_path) comes from module_defaults, for example at play level:
#   module_defaults:
#     group/redis_enterprise.software.rs:
#       url: https://cluster.example.com:9443
#       username: admin@example.com
#       password: "{{ rs_admin_password }}"
#       ca_path: /etc/ssl/rs/ca.pem

- name: Create the database the examples act on
  redis_enterprise.software.rs_database:
    name: app-cache
    memory_size: 1GB
    wait: true
  register: db

# Under --check the database is not created (its uid is null), so there is nothing to act on yet.
- name: Act on the database
  when: db.database.uid is not none
  block:
    - name: Export the database and wait until the export has succeeded
      redis_enterprise.software.rs_database_action:
        name: app-cache
        action: export
        params:
          export_location:
            type: url
            url: ftp://backup.example.com/app-cache/
        wait: true

    - name: Show the blueprint of a rebalance without changing anything
      redis_enterprise.software.rs_database_action:
        name: app-cache
        action: rebalance
        params:
          dry_run: true
          only_failovers: true
      register: plan

    - name: Rebalance the shards and wait for it
      redis_enterprise.software.rs_database_action:
        name: app-cache
        action: rebalance
        wait: true
        wait_timeout: 1800

    - name: Stop the traffic, without waiting
      redis_enterprise.software.rs_database_action:
        name: app-cache
        action: stop_traffic
      register: stop

    - name: Wait for it in a later task
      redis_enterprise.software.rs_action_wait:
        uid: "{{ stop.action_uid }}"
      when: stop.action_uid is not none

    - name: Resume the traffic and wait for it
      redis_enterprise.software.rs_database_action:
        name: app-cache
        action: resume_traffic
        wait: true
'''

RETURN = r'''
action:
  description: The action that was started (O(action)).
  returned: always
  type: str
  sample: rebalance
uid:
  description: The uid of the database.
  returned: success
  type: int
  sample: 3
name:
  description: The name of the database.
  returned: success
  type: str
  sample: app-cache
action_uid:
  description:
    - The C(action_uid) RS returned for the action, to wait for with M(redis_enterprise.software.rs_action_wait).
    - V(null) for export and import (RS returns none), with C(dry_run) and in check mode.
  returned: always
  type: str
  sample: 21ad01d5-55aa-4ec6-b5c0-44dc95176486
dry_run:
  description: Whether the request was a dry run (C(params.dry_run=true)).
  returned: always
  type: bool
  sample: false
blueprint:
  description: RS's answer to a dry run, the blueprint of the database after the action; nothing was changed.
  returned: when C(params.dry_run=true)
  type: raw
  sample:
    - nodes: [{node_uid: "3", role: master}, {node_uid: "1", role: slave}]
      slot_range: 5461-10922
response:
  description: RS's answer to the request, as it came (an empty dictionary when RS answered with a status code only).
  returned: when the action was started
  type: raw
  sample: {action_uid: 21ad01d5-55aa-4ec6-b5c0-44dc95176486}
actions:
  description:
    - The awaited actions as the wait last saw them, in the shape of
      M(redis_enterprise.software.rs_action_wait)'s RV(redis_enterprise.software.rs_action_wait#module:actions).
  returned: when O(wait=true) and the action was started
  type: list
  elements: dict
  sample:
    - action_uid: 21ad01d5-55aa-4ec6-b5c0-44dc95176486
      name: rebalance
      status: completed
      progress: 100.0
elapsed:
  description: Seconds the wait took.
  returned: when O(wait=true) and the action was started
  type: float
  sample: 12.3
timed_out:
  description: Whether the wait ended at O(wait_timeout) with the action still running (the task then fails).
  returned: when O(wait=true) and the action was started
  type: bool
  sample: false
'''

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_module import RSModule
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_ops_run import (
    DATABASE_ACTION_CHECKS,
    database_action_argument_spec,
    run_database_action,
)


def main():
    module = RSModule(argument_spec=database_action_argument_spec(), supports_check_mode=True,
                      **DATABASE_ACTION_CHECKS)
    module.run_and_exit(run_database_action)


if __name__ == '__main__':
    main()
