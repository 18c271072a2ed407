#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: rs_database_info
short_description: Read the databases of a Redis Enterprise Software cluster
version_added: 1.0.0
description:
  - Read all the databases (C(bdb) objects) of a Redis Enterprise Software (RS) cluster, or those chosen by O(name)
    or O(uid).
  - Always one request, C(GET /v1/bdbs), however many databases are asked for; the choice is made from its answer.
  - Each database is returned with the same keys as RV(redis_enterprise.software.rs_database#module:database) of
    M(redis_enterprise.software.rs_database).
  - This module never changes anything.
author:
  - Redis Enterprise Software collection maintainers (@redis-enterprise-software)
extends_documentation_fragment:
  - redis_enterprise.software.connection
  - redis_enterprise.software.connection.action_group
  - redis_enterprise.software.connection.attributes_info
options:
  name:
    description:
      - Return the databases with one of these names (case-sensitive). A name RS does not know is listed in
        RV(missing), not a failure.
      - With O(uid) as well, a database is returned when it matches either.
      - Without O(name) and O(uid), every database is returned.
    type: list
    elements: str
  uid:
    description:
      - Return the databases with one of these uids. A uid RS does not know is listed in RV(missing).
    type: list
    elements: int
seealso:
  - module: redis_enterprise.software.rs_database
  - name: RS REST API, databases
    description: The request and the fields of the bdb object.
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

- name: Read every database
  redis_enterprise.software.rs_database_info:
  register: all_dbs

- name: Show their names and statuses
  ansible.builtin.debug:
    msg: "{{ all_dbs.databases | map(attribute='name') | zip(all_dbs.databases | map(attribute='status')) | list }}"

- name: Read some databases by name (one request for all of them)
  redis_enterprise.software.rs_database_info:
    name: [app-cache, sessions]
  register: some_dbs

- name: Read a database by uid
  redis_enterprise.software.rs_database_info:
    uid: 1
'''

RETURN = r'''
databases:
  description:
    - The chosen databases, as RS returned them in C(GET /v1/bdbs), in RS's order (by uid).
    - Fields that RS echoes are returned as they are, except secrets. The values of fields that name a secret
      (C(authentication_redis_pass), C(authentication_sasl_pass), ...) and credentials written into URLs
      (C(sync_sources[].uri)) read C(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER).
  returned: success
  type: list
  elements: dict
  sample:
    - uid: 3
      name: app-cache
      type: redis
      memory_size: 1073741824
      status: active
      endpoints:
        - dns_address_master: redis-12000.cluster.example.com:12000
missing:
  description: The names and uids given in O(name) and O(uid) that no database has.
  returned: success
  type: list
  elements: raw
  sample: [old-cache, 7]
'''

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_info_run import (
    database_info_argument_spec,
    run_database_info,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_module import RSModule


def main():
    module = RSModule(argument_spec=database_info_argument_spec(), supports_check_mode=True)
    module.run_and_exit(run_database_info)


if __name__ == '__main__':
    main()
