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
    in the database object (a write-only field such as a password) cannot be compared; O(update_password) decides
    whether it is sent on update.
  - Creating, updating and deleting a database start background work in RS. With O(wait=true) the module waits for
    it; otherwise it returns at once with RV(action_uid), which M(redis_enterprise.software.rs_action_wait) can
    wait for.
  - RV(action_uid) is always the action still running on the database, whether this run started it or an earlier
    one did (for example a run whose wait timed out), so a re-run waits for the same unfinished creation.
  - O(state=present) on a database in status C(creation-failed) fails with RS's error for the failed creation,
    as RS does not repair it; delete it and create it again.
  - When RS answers C(409) (the database is busy with another change), the module waits for the running actions
    of the database (at most 300 seconds in total) and sends the update or deletion again, at most 3 times in all.
  - RS does not enforce unique database names. If several databases carry O(name), the module fails and lists
    their uids, unless O(uid) selects one of them.
author:
  - Redis Enterprise Software collection maintainers (@redis-enterprise-software)
extends_documentation_fragment:
  - redis_enterprise.software.connection
  - redis_enterprise.software.connection.action_group
  - redis_enterprise.software.wait
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
      - The deletion continues in the background; the database shows status C(delete-pending) until it is gone.
        With O(wait=true) the module waits until RS answers C(404) for it.
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
        compared; they are sent on creation, and on update only with O(update_password=always).
      - Must not contain C(name), C(uid) or C(memory_size); use the options of the same name.
      - The values of keys that name a secret (C(authentication_redis_pass), C(authentication_sasl_pass),
        C(authentication_admin_pass), and any key named or ending in C(_pass), C(password), C(secret),
        C(secret_access_key), C(account_key), C(private_key), C(credentials) or C(token), at any depth), and
        credentials written into URLs (V(ftp://user:password@host/)), are replaced by
        C(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER) in the result, the diff, C(invocation) and the logs, on every code
        path and also when another option fails validation. Other values are shown; set C(no_log) on the task to
        hide everything.
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
  update_password:
    description:
      - Whether the O(config) keys that RS never returns (write-only fields such as C(authentication_redis_pass))
        are sent when the database exists.
      - V(on_create) sends them only when the database is created; an existing database is left as it is.
      - V(always) sends them on every run, in an update (C(PUT)) that also carries any other differing field;
        as RS cannot show whether they differ, the task then reports a change on every run.
    type: str
    choices: [on_create, always]
    default: on_create
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
  - Without O(wait), the module returns as soon as RS accepted the change; the database is C(pending) (new) or
    C(active-change-pending) (updated) at that time.
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
# The connection (url, username, password, ca_path) comes from module_defaults, for example at play level:
#   module_defaults:
#     group/redis_enterprise.software.rs:
#       url: https://cluster.example.com:9443
#       username: admin@example.com
#       password: "{{ rs_admin_password }}"
#       ca_path: /etc/ssl/rs/ca.pem

- name: Create a database and wait until it is active
  redis_enterprise.software.rs_database:
    name: app-cache
    memory_size: 1GB
    config:
      replication: true
      eviction_policy: allkeys-lru
    wait: true
    wait_timeout: 900

- name: Create a database without waiting
  redis_enterprise.software.rs_database:
    name: app-queue
    memory_size: 512MB
  register: db

- name: Wait for its creation in a later task (the action still running, even one an earlier run started)
  redis_enterprise.software.rs_action_wait:
    uid: "{{ db.action_uid }}"
  when: db.action_uid is not none

- name: Grow the database and turn on persistence (only the differing fields are sent)
  redis_enterprise.software.rs_database:
    name: app-cache
    memory_size: 2GB
    config:
      data_persistence: aof
    wait: true

- name: Create a database with a password, and send the password again on every run
  redis_enterprise.software.rs_database:
    name: sessions
    memory_size: 512MB
    config:
      authentication_redis_pass: "{{ sessions_password | default('Change-me-2026') }}"
    update_password: always
    wait: true
  no_log: true

- name: Delete a database and wait until it is gone
  redis_enterprise.software.rs_database:
    name: app-queue
    state: absent
    wait: true
'''

RETURN = r'''
database:
  description:
    - The database object as RS returned it.
    - After a creation or an update, the object from the response of the C(POST) or C(PUT), with status
      C(pending) or C(active-change-pending); with O(wait=true), the object read again after the wait.
      Without a change, the object as read.
    - In check mode, the object that would be sent for a creation (the planned fields such as C(name),
      C(memory_size) and those of O(config), with C(uid) V(null) unless O(uid) is given, since RS chooses it), or the
      current object with the changes applied for an update. Test C(database.uid is not none) before using the uid.
    - An empty dictionary when O(state=absent).
    - Fields that RS echoes are returned as they are, except secrets (the fields that O(config) masks, see there,
      also when RS echoes them without O(config) naming them), which read C(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER).
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
    - The uid of the background action still running on the database, whether this run started it (taken from
      RS's response to the C(POST) or C(PUT)) or an earlier run did (the database's own C(action_uid), or its
      running state machine in C(GET /v1/actions/bdb/<uid>)). When the response to the C(POST) or C(PUT) carries no
      C(action_uid) or no C(status), the module reads the database back once to find them.
    - With O(wait=true), the action that was awaited.
    - V(null) when no action runs on the database, and when RS did not return one (for example on deletion).
    - Pass it to M(redis_enterprise.software.rs_action_wait) to wait for the change to finish.
  returned: always
  type: str
  sample: 0b6f3a52-8d1e-4c57-9a55-2f1c7d0e9b41
actions:
  description:
    - The awaited actions as the wait last saw them, in the shape of
      M(redis_enterprise.software.rs_action_wait)'s RV(redis_enterprise.software.rs_action_wait#module:actions).
    - Empty after a deletion (the wait reads the database until it answers C(404)) and when nothing ran.
  returned: when O(wait=true) and not in check mode
  type: list
  elements: dict
  sample:
    - action_uid: 0b6f3a52-8d1e-4c57-9a55-2f1c7d0e9b41
      name: SMCreateBDB
      status: completed
      progress: 100.0
      object_name: bdb:3
elapsed:
  description: Seconds the wait took.
  returned: when O(wait=true) and not in check mode
  type: float
  sample: 10.4
timed_out:
  description: Whether the wait ended at O(wait_timeout) with the work still running (the task then fails).
  returned: when O(wait=true) and not in check mode
  type: bool
  sample: false
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

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_bdb_run import (
    database_argument_spec,
    run_database,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_module import RSModule


def main():
    module = RSModule(argument_spec=database_argument_spec(), supports_check_mode=True)
    module.run_and_exit(run_database, diff=module.diff)


if __name__ == '__main__':
    main()
