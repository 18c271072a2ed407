#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: rs_database
short_description: Create, update or delete a database of a Redis Enterprise Software cluster
version_added: 1.0.0
description:
  - Create, update or delete a database (a C(bdb)) of a Redis Enterprise Software (RS) cluster, identified by its
    O(name).
  - The module looks the name up first (C(GET /v1/bdbs)). A missing database is created with C(POST /v1/bdbs); an
    existing one whose compared fields differ is updated with C(PUT /v1/bdbs/<uid>), sending only the fields that
    differ; a database whose fields all match is left alone (no write request, C(changed=false)).
  - The fields compared are O(memory_size) and every key of O(config). A O(config) key that RS does not return
    in the database object (a write-only field such as a password) cannot be compared; it is sent when the
    database is created, and otherwise ignored with a warning, so it never reports a change on every run.
  - Creating and updating a database start a background action in RS. The module does not wait for it; it returns
    its RV(action_uid), which M(redis_enterprise.software.rs_action_wait) can wait for.
  - When RS answers C(409) (the database is busy with another change), the module waits for the running actions
    of the database (at most 300 seconds in total) and sends the update or deletion again, at most 3 times in all.
  - RS does not enforce unique database names. If several databases carry O(name), the module fails and lists
    their uids, unless O(uid) selects one of them.
author:
  - Redis Enterprise Software collection maintainers (@redis-enterprise-software)
extends_documentation_fragment:
  - redis_enterprise.software.connection
  - redis_enterprise.software.connection.action_group
options:
  name:
    description:
      - Name of the database. Names are case-sensitive.
      - Must follow the RS rule, which is checked before any request is sent; letters, digits and hyphens only,
        starting and ending with a letter or a digit, at most 63 characters.
    type: str
    required: true
  state:
    description:
      - V(present) creates the database or updates it to match O(memory_size) and O(config).
      - V(absent) deletes the database (C(DELETE /v1/bdbs/<uid>)), also when it is in status C(creation-failed).
        A database that does not exist, or is already being deleted, gives C(changed=false).
      - The deletion continues in the background after the module returns; the database shows status
        C(delete-pending) until it is gone. The module does not wait for it.
    type: str
    choices: [present, absent]
    default: present
  memory_size:
    description:
      - Memory limit of the database, as bytes (V(1073741824)) or a number with a unit (V(100MB), V(512mb),
        V(1.5GB), V(100MiB)). Units are case-insensitive and a space before the unit is allowed.
      - Units are B(binary), as in the RS admin console; V(1KB) is 1024 bytes, V(1MB) is 1024^2 bytes,
        V(1GB) is 1024^3 bytes and V(1TB) is 1024^4 bytes. V(KiB), V(MiB), V(GiB) and V(TiB) mean the same.
      - Must be a whole number of bytes (V(1.5GB) is, V(1.5) is not), at least V(1MB) and at most V(1024TB) (1 PiB).
      - Required when the database must be created; optional for an existing database, whose memory limit is then
        not compared.
    type: raw
  config:
    description:
      - Further fields of the database object, sent to RS as they are, for example C(replication),
        C(shards_count), C(sharding), C(data_persistence), C(eviction_policy), C(port) or C(module_list). See the
        RS REST API reference of the bdb object for the fields and their types. RS rejects unknown fields with
        C(400 invalid_schema).
      - Each key is compared with the value RS returns. Nested dictionaries compare only the keys given here;
        lists compare element by element, in order. Keys that RS does not return (write-only fields) are not
        compared, and are sent on creation only.
      - Must not contain C(name), C(uid) or C(memory_size); use the options of the same name.
      - Values are not hidden in the output. When O(config) holds a secret (for example
        C(authentication_redis_pass)), set C(no_log) on the task.
    type: dict
  uid:
    description:
      - Unique ID of the database.
      - When the database is created, it is sent to RS, which otherwise assigns the next free uid.
      - A fixed uid makes concurrent runs safe. When another run creates the same database first, RS answers
        C(409 uid_exists) and the module uses that database instead of creating a second one with the same name.
      - When the database exists, its uid must match, otherwise the module fails. When several databases share
        O(name), O(uid) selects one of them.
      - B(Once one database of the cluster has been created with an explicit uid, RS requires a uid for every
        database created after it) (C(POST /v1/bdbs) in the RS REST API reference). So either always set O(uid)
        on a cluster, or never.
    type: int
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
    support: full
    details:
      - In check mode the module sends only C(GET) requests.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
    support: full
    details:
      - The diff shows the compared fields before and after the change.
notes:
  - The module returns as soon as RS accepted the change; the database is C(pending) (new) or
    C(active-change-pending) (updated) at that time. Wait for RV(action_uid) with
    M(redis_enterprise.software.rs_action_wait).
  - RS errors such as C(400 invalid_schema) or C(406) are reported with RS's own C(error_code) and C(description),
    in the message and as the result keys C(error_code) and C(description).
  - A C(403) on a write shows RS's description first, then the likely cause. RS answers C(403) to C(POST) and
    C(PUT) when the cluster license has expired, and to C(DELETE) for an internal database. It can also mean that
    the role of the user lacks C(create_bdb), C(update_bdb) or C(delete_bdb).
  - A 409 duplicate on creation (C(uid_exists), C(name_exists) or C(name_already_exists)) makes the module use the
    database another run created first, when it has the same name.
  - RS updates and deletes active databases, and C(creation-failed) is a final status. On such a database the
    update or deletion is sent once. If RS refuses it with C(409), the module fails at once and does not wait and
    retry.
seealso:
  - module: redis_enterprise.software.rs_action_wait
  - module: redis_enterprise.software.rs_action_info
  - name: RS REST API, databases
    description: The requests and the fields of the bdb object.
    link: https://redis.io/docs/latest/operate/rs/references/rest-api/requests/bdbs/
'''

EXAMPLES = r'''
- name: Create a database
  redis_enterprise.software.rs_database:
    url: https://cluster.example.com:9443
    username: admin@example.com
    password: "{{ rs_admin_password }}"
    ca_path: /etc/ssl/rs/ca.pem
    name: app-cache
    memory_size: 1GB
    config:
      replication: true
      eviction_policy: allkeys-lru
  register: db

- name: Wait until the database is created
  redis_enterprise.software.rs_action_wait:
    url: https://cluster.example.com:9443
    username: admin@example.com
    password: "{{ rs_admin_password }}"
    ca_path: /etc/ssl/rs/ca.pem
    uid: "{{ db.action_uid }}"
  when: db.action_uid is not none

- name: Manage databases with shared connection settings
  module_defaults:
    group/redis_enterprise.software.rs:
      url: https://cluster.example.com:9443
      username: admin@example.com
      password: "{{ rs_admin_password }}"
      ca_path: /etc/ssl/rs/ca.pem
  block:
    - name: Grow the database and turn on persistence (only the differing fields are sent)
      redis_enterprise.software.rs_database:
        name: app-cache
        memory_size: 2GB
        config:
          data_persistence: aof
      register: db

    - name: Wait for the update
      redis_enterprise.software.rs_action_wait:
        uid: "{{ db.action_uid }}"
      when: db.action_uid is not none

    - name: Create a database with a password
      redis_enterprise.software.rs_database:
        name: sessions
        memory_size: 512MB
        config:
          authentication_redis_pass: "{{ sessions_password }}"
      no_log: true

    - name: Delete a database
      redis_enterprise.software.rs_database:
        name: old-cache
        state: absent
'''

RETURN = r'''
database:
  description:
    - The database object as RS returned it.
    - After a creation or an update, the object from the response of the C(POST) or C(PUT), with status
      C(pending) or C(active-change-pending). Without a change, the object as read.
    - In check mode, the object that would be sent (creation) or the current object with the changes applied
      (update).
    - An empty dictionary when O(state=absent).
    - Fields that RS echoes are returned as they are; use C(no_log) on the task if O(config) holds secrets.
  returned: always
  type: dict
  sample:
    uid: 3
    name: app-cache
    type: redis
    memory_size: 1073741824
    status: pending
    action_uid: 0b6f3a52-8d1e-4c57-9a55-2f1c7d0e9b41
    replication: true
    port: 0
action_uid:
  description:
    - The uid of the background action that this change started, taken from the C(action_uid) of RS's response.
    - V(null) when nothing changed, in check mode, and when RS did not return one (for example on deletion).
    - Pass it to M(redis_enterprise.software.rs_action_wait) to wait for the change to finish.
  returned: always
  type: str
  sample: 0b6f3a52-8d1e-4c57-9a55-2f1c7d0e9b41
diff:
  description: The compared fields before and after the change.
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: The compared fields as they were (empty when the database did not exist).
      type: dict
      returned: when diff mode is on
    after:
      description: The compared fields as they are (or would be) after the change (empty after a deletion).
      type: dict
      returned: when diff mode is on
  sample:
    before: {name: app-cache, memory_size: 1073741824}
    after: {name: app-cache, memory_size: 2147483648}
'''

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb import (
    DatabaseManager,
    make_busy_waiter,
    validate_params,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_client import READ_RETRIES
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_module import RSModule


def main():
    module = RSModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            state=dict(type='str', default='present', choices=['present', 'absent']),
            memory_size=dict(type='raw'),
            config=dict(type='dict'),
            uid=dict(type='int'),
        ),
        supports_check_mode=True,
    )
    params = module.params

    with module.errors_reported():
        options = validate_params(params['name'], params['state'], params['memory_size'], params['config'],
                                  params['uid'])
        client = module.client(read_retries=READ_RETRIES)
        manager = DatabaseManager(client, check_mode=module.check_mode, wait_busy=make_busy_waiter(client))
        result = manager.run(**options)
    for warning in manager.warnings:
        module.warn(warning)
    diff = result.pop('diff')
    if module.diff:
        result['diff'] = diff
    module.exit_json(**result)


if __name__ == '__main__':
    main()
