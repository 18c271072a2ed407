# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The bdb (database) object: accepted fields, validation as RS does it, and the object RS returns.

Validation order and codes: a body that is not an object, unknown or read-only fields and wrong types give 400
``invalid_schema``; a missing name or memory size 400 ``missing_db_name`` / ``missing_memory_size``; an invalid
name 400 ``invalid_schema``; a semantically invalid configuration 406 (``invalid_sharding``,
``eviction_policy_violation``, ``invalid_data_persistence``, ``invalid_proxy_policy``, ``invalid_bdb_tags``,
``memcached_cannot_use_modules``, ``missing_module``). Conflicts (409) are checked by the cluster.
"""

from __future__ import annotations

import copy
import re
import time

from .bdb_fields import DOCUMENTED_WRITABLE

NAME_RE = re.compile(r'^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$')

EVICTION_POLICIES = ('volatile-lru', 'volatile-ttl', 'volatile-random', 'allkeys-lru', 'allkeys-random', 'noeviction',
                     'volatile-lfu', 'allkeys-lfu')
PERSISTENCE = ('disabled', 'snapshot', 'aof')
PROXY_POLICIES = ('single', 'all-master-shards', 'all-nodes')
KNOWN_MODULES = ('search', 'ReJSON', 'timeseries', 'bf', 'graph', 'rediscompat')

# Writable fields: name -> (type or tuple of allowed values, default). A default of None means "absent unless set".
FIELDS = {
    'uid': (int, None),
    'name': (str, None),
    'memory_size': (int, None),
    'type': (('redis', 'memcached'), 'redis'),
    'port': (int, 0),
    'replication': (bool, False),
    'sharding': (bool, False),
    'shards_count': (int, 1),
    'shards_placement': (('dense', 'sparse'), 'dense'),
    'data_persistence': (str, 'disabled'),
    'aof_policy': (('appendfsync-every-sec', 'appendfsync-always'), 'appendfsync-every-sec'),
    'snapshot_policy': (list, []),
    'eviction_policy': (str, 'volatile-lru'),
    'proxy_policy': (str, 'single'),
    'oss_cluster': (bool, False),
    'oss_cluster_api_preferred_ip_type': (('internal', 'external'), 'internal'),
    'module_list': (list, []),
    'tags': (list, []),
    'bigstore': (bool, False),
    'bigstore_ram_size': (int, 0),
    'replica_ha': (bool, False),
    'slave_ha': (bool, False),
    'rack_aware': (bool, False),
    'max_connections': (int, 0),
    'implicit_shard_key': (bool, False),
    'shard_key_regex': (list, []),
    'hash_slots_policy': (('legacy', '16k'), '16k'),
    'ssl': (bool, False),
    'tls_mode': (('enabled', 'disabled', 'replica_ssl'), 'disabled'),
    'enforce_client_authentication': (('enabled', 'disabled'), 'enabled'),
    'default_user': (bool, True),
    'backup': (bool, False),
    'backup_interval': (int, None),
    'backup_location': (dict, None),
    'crdt': (bool, False),
    'sync': (('enabled', 'disabled', 'paused', 'stopped'), 'disabled'),
    'sync_sources': (list, []),
    'replica_sources': (list, []),
    'redis_version': (str, None),
    'dns_address_master': (str, ''),
    'avoid_nodes': (list, []),
    'shard_block_crossslot_keys': (bool, False),
    'shard_block_foreign_keys': (bool, True),
    'data_internode_encryption': (bool, False),
    'email_alerts': (bool, False),
    'roles_permissions': (list, []),
    'authentication_redis_pass': (str, None),
    'authentication_sasl_uname': (str, ''),
    'authentication_sasl_pass': (str, None),
    'authentication_admin_pass': (str, None),
}
# Accepted on write, never returned (passwords).
WRITE_ONLY = ('authentication_redis_pass', 'authentication_sasl_pass', 'authentication_admin_pass', 'dataset_import_sources')
# The other writable fields the docs list (bdb_fields.py): checked for their JSON type only, no default.
DOC_TYPES = {'int': int, 'bool': bool, 'str': str, 'number': (int, float), 'list': list, 'dict': dict}
EXTRA_FIELDS = {key: DOC_TYPES.get(kind) for key, kind in DOCUMENTED_WRITABLE.items() if key not in FIELDS}


class BdbError(Exception):
    """A validation failure: HTTP status, RS error_code, description."""

    def __init__(self, status, code, description):
        super().__init__(description)
        self.status = status
        self.code = code
        self.description = description


def _type_name(spec):
    if spec == (int, float):
        return 'number'
    if isinstance(spec, tuple):
        return 'one of ' + ', '.join(repr(value) for value in spec)
    return {int: 'integer', str: 'string', bool: 'boolean', list: 'array', dict: 'object'}[spec]


def _check_type(key, value, spec):
    if spec == (int, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif isinstance(spec, tuple):
        ok = value in spec
    elif spec is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, spec)
    if not ok:
        enum = isinstance(spec, tuple) and spec != (int, float)
        raise BdbError(400, 'invalid_schema', f'{json_repr(value)} is not {"" if enum else "of type "}'
                                              f'{_type_name(spec)} (field {key!r})')


def json_repr(value):
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return 'null' if value is None else str(value)


def check_schema(body, creating):
    """Schema checks (400). Returns a copy of the body."""
    if not isinstance(body, dict):
        raise BdbError(400, 'invalid_schema', 'The request body must be a JSON object')
    for key in body:
        if key not in FIELDS and key not in EXTRA_FIELDS:
            raise BdbError(400, 'invalid_schema', f"Additional properties are not allowed ('{key}' was unexpected)")
    for key, value in body.items():
        spec = FIELDS[key][0] if key in FIELDS else EXTRA_FIELDS[key]
        if spec is not None:
            _check_type(key, value, spec)
    if creating and 'name' not in body:
        raise BdbError(400, 'missing_db_name', 'Name is a required property')
    if creating and 'memory_size' not in body:
        raise BdbError(400, 'missing_memory_size', 'Memory Size is a required property')
    if 'name' in body and not NAME_RE.match(body['name']):
        raise BdbError(400, 'invalid_schema', f"Invalid database name {body['name']!r}: use letters, digits and hyphens, "
                                              'start and end with a letter or digit, at most 63 characters')
    if 'memory_size' in body and body['memory_size'] <= 0:
        raise BdbError(400, 'invalid_schema', f"{body['memory_size']} is less than the minimum of 1 (field 'memory_size')")
    if 'shards_count' in body and not 1 <= body['shards_count'] <= 512:
        raise BdbError(400, 'invalid_schema', f"{body['shards_count']} is out of range 1-512 (field 'shards_count')")
    if 'port' in body and not 0 <= body['port'] <= 65535:
        raise BdbError(400, 'invalid_schema', f"{body['port']} is out of range 0-65535 (field 'port')")
    if 'uid' in body and body['uid'] <= 0:
        raise BdbError(400, 'invalid_schema', f"{body['uid']} is less than the minimum of 1 (field 'uid')")
    return copy.deepcopy(body)


def check_semantics(config):
    """Configuration checks (406) on the full resulting configuration."""
    if config.get('shards_count', 1) > 1 and not config.get('sharding'):
        raise BdbError(406, 'invalid_sharding', 'Sharding must be enabled to use more than one shard (shards_count > 1)')
    if config.get('eviction_policy') not in EVICTION_POLICIES:
        raise BdbError(406, 'eviction_policy_violation', f"Invalid eviction policy {config.get('eviction_policy')!r}")
    if config.get('data_persistence') not in PERSISTENCE:
        raise BdbError(406, 'invalid_data_persistence', f"Invalid data persistence {config.get('data_persistence')!r}")
    if config.get('proxy_policy') not in PROXY_POLICIES:
        raise BdbError(406, 'invalid_proxy_policy', f"Invalid proxy policy {config.get('proxy_policy')!r}")
    for tag in config.get('tags') or []:
        if not (isinstance(tag, dict) and set(tag) == {'key', 'value'} and all(isinstance(v, str) for v in tag.values())):
            raise BdbError(406, 'invalid_bdb_tags', 'Each tag must be an object with string "key" and "value"')
    modules = config.get('module_list') or []
    if modules and config.get('type') == 'memcached':
        raise BdbError(406, 'memcached_cannot_use_modules', 'A memcached database cannot use modules')
    for module in modules:
        if not isinstance(module, dict) or not isinstance(module.get('module_name'), str):
            raise BdbError(400, 'invalid_schema', 'Each module_list entry must be an object with a "module_name"')
        if module['module_name'] not in KNOWN_MODULES:
            raise BdbError(406, 'missing_module', f"Module {module['module_name']!r} is not installed on the cluster")


def defaults_for(body):
    config = {key: copy.deepcopy(default) for key, (dummy, default) in FIELDS.items() if default is not None}
    if body.get('type') == 'memcached':
        config['eviction_policy'] = 'allkeys-lru'
    config.update(copy.deepcopy(body))
    return config


def iso(timestamp):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(timestamp))


def memory_footprint(config):
    return config['memory_size'] * (2 if config.get('replication') else 1)


class Bdb:  # pylint: disable=too-many-instance-attributes
    """One database. ``config`` holds the writable fields; the rest is read-only state."""

    def __init__(self, uid, config, now):
        self.uid = uid
        self.config = config
        self.config['uid'] = uid
        self.status = 'pending'
        self.action_uid = None
        self.endpoint_port = None
        self.shard_list = []
        self.created_time = iso(now)
        self.last_changed_time = iso(now)
        self.extra = {}                # export_status, import_progress, ...
        self.running = {}              # 'export'/'import' -> action uid while it runs
        self.placed = True             # False: the shards never found room; it holds no memory

    @property
    def name(self):
        return self.config['name']

    def touch(self, now):
        self.last_changed_time = iso(now)

    def render(self, versions, cluster_name, live=None):
        """The object RS returns. ``live`` overrides fields computed from running actions (export/import)."""
        body = {key: copy.deepcopy(value) for key, value in self.config.items() if key not in WRITE_ONLY}
        body.update({
            'uid': self.uid,
            'status': self.status,
            'version': versions[0],
            'redis_version': self.config.get('redis_version') or versions[1],
            'shard_list': list(self.shard_list),
            'endpoints': [],
            'created_time': self.created_time,
            'last_changed_time': self.last_changed_time,
            'background_op': [{'status': 'idle'}],
        })
        if self.action_uid:
            body['action_uid'] = self.action_uid
        if self.endpoint_port:
            body['endpoints'] = [{
                'uid': f'{self.uid}:1',
                'addr': ['127.0.0.1'],
                'addr_type': 'external',
                'dns_address_name': f'redis-{self.endpoint_port}.{cluster_name}',
                'port': self.endpoint_port,
                'proxy_policy': self.config.get('proxy_policy', 'single'),
                'oss_cluster_api_preferred_ip_type': self.config.get('oss_cluster_api_preferred_ip_type', 'internal'),
                'exclude_proxies': [],
                'include_proxies': [],
            }]
        body.update(self.extra)
        body.update(live or {})
        return dict(sorted(body.items()))


def select_fields(body, fields):
    """Apply ``?fields=a,b`` (unknown names are ignored)."""
    if not fields:
        return body
    wanted = [name.strip() for name in fields.split(',') if name.strip()]
    return {name: body[name] for name in wanted if name in body}


def render_live(running, now):
    """export_*/import_* fields of a database while its export or import runs (``running``: kind -> action)."""
    live = {}
    for kind, action in running.items():
        if action is None:
            continue
        snap = action.snapshot(now)
        if kind == 'export':
            live['export_status'] = 'exporting'
        else:
            live['import_status'] = 'initializing' if snap.status == 'queued' else 'importing'
        live[f'{kind}_progress'] = snap.progress
    return live
