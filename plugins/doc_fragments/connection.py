# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """Connection options of every module (``connection_argument_spec()`` in ``module_utils/rs_client.py``)."""

    # Keep in sync with connection_argument_spec(): validate-modules compares the two.
    DOCUMENTATION = r'''
options:
  url:
    description:
      - Base URL of the cluster's REST API, made of the scheme, the host and the port only, for example
        V(https://cluster.example.com:9443). The RS REST API listens on port V(9443) by default.
      - The URL must not contain a path, a query or credentials; set O(username) and O(password) instead.
        Credentials written into the URL are refused, and masked in every output (the task's C(invocation) at
        C(-vvv), the log file) before any other option is checked.
      - With an V(http://) URL the username and password travel in clear text; use V(https://).
      - Required, through this option, the E(REDIS_ENTERPRISE_URL) environment variable or the C(module_defaults) of
        the C(redis_enterprise.software.rs) group. It is not marked required so that playbooks which set it in
        C(module_defaults) or the environment pass ansible-lint; a missing url still fails before any request.
      - If not set, the value of the E(REDIS_ENTERPRISE_URL) environment variable is used.
    type: str
  username:
    description:
      - Name or email of the RS user, sent with HTTP Basic authentication.
      - Required, through this option or the environment variable.
      - If not set, the value of the E(REDIS_ENTERPRISE_USER) environment variable is used.
      - The user's role needs the permissions of the requests the module sends, for example
        C(view_status_of_cluster_action) to read actions.
    type: str
    aliases:
      - user
  password:
    description:
      - Password of the RS user.
      - Required, through this option or the environment variable.
      - If not set, the value of the E(REDIS_ENTERPRISE_PASSWORD) environment variable is used. Export it in the
        shell that runs C(ansible-playbook), or use a vault and O(password) or C(module_defaults).
      - Never pass the password through a task's or play's C(environment) keyword. ansible-core puts those variables
        on the command line of the module process, where C(ps) shows them to every user of the host, and prints
        them in the C(-vvv) EXEC lines and in the log file.
    type: str
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the cluster.
      - When the option is not set, certificates are verified (the effective default is V(true)), unless the
        E(REDIS_ENTERPRISE_INSECURE) environment variable is V(true), V(1) or V(yes) (case-insensitive),
        which turns verification off. A value set for this option always wins over the environment variable.
      - RS ships with a self-signed certificate; rather than turning verification off, set O(ca_path) to the
        cluster's CA bundle.
      - Ignored when O(ca_path) is set.
    type: bool
  ca_path:
    description:
      - Path to a PEM file or directory with the CA certificates that signed the cluster's certificate.
      - Checked before any request is sent; a missing or unreadable path, or a file without a PEM certificate,
        fails with an error naming it.
      - When set, the certificate is verified against it, whatever the value of O(validate_certs).
      - If not set, the value of the E(REDIS_ENTERPRISE_CA_PATH) environment variable is used.
    type: path
  request_timeout:
    description:
      - Seconds each HTTP request may take in total, from connecting to receiving the last byte of the answer.
        A server that sends its answer slowly cannot hold a request longer. In a wait (C(rs_action_wait), and
        C(wait=true) of the modules that have it), a request also ends when the timeout of the wait runs out,
        whichever comes first, retries included.
      - Must be a finite number greater than V(0) and at most V(3600).
    type: float
    default: 30
requirements:
  - requests
notes:
  - The connection options are read where the module runs; environment variables must be set there
    (on the controller for C(localhost) or C(delegate_to=localhost)).
  - The password is never included in results or error messages.
'''

    # Membership of the action group used with module_defaults.
    ACTION_GROUP = r'''
options: {}
attributes:
  action_group:
    description: Use C(group/redis_enterprise.software.rs) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - redis_enterprise.software.rs
'''

    # For modules that only read: they behave the same in check mode and report no diff.
    ATTRIBUTES_INFO = r'''
options: {}
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
    support: full
    details:
      - This module only reads and behaves the same in check mode.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
    support: none
'''
