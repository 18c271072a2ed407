# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The ``module_utils`` files import each other without a cycle (docs/architecture.md)."""

from __future__ import annotations

import ast
import os

MODULE_UTILS = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'plugins', 'module_utils')
PREFIX = 'ansible_collections.redis_enterprise.software.plugins.module_utils'


def imports_of(path):
    """The module_utils files ``path`` imports (``from PREFIX.x import ...`` or ``from PREFIX import x``)."""
    with open(path, encoding='utf-8') as handle:
        tree = ast.parse(handle.read())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == PREFIX:
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or '').startswith(PREFIX + '.'):
            found.add(node.module[len(PREFIX) + 1:].split('.')[0])
    return found


def import_graph():
    names = sorted(name[:-3] for name in os.listdir(MODULE_UTILS) if name.endswith('.py') and name != '__init__.py')
    return {name: imports_of(os.path.join(MODULE_UTILS, name + '.py')) & set(names) for name in names}


def find_cycle(graph):
    """One cycle of ``graph`` as a list of names (first and last equal), or None."""
    done = set()

    def visit(name, path):
        if name in path:
            return path[path.index(name):] + [name]
        if name in done:
            return None
        for target in sorted(graph[name]):
            cycle = visit(target, path + [name])
            if cycle:
                return cycle
        done.add(name)
        return None

    for name in sorted(graph):
        cycle = visit(name, [])
        if cycle:
            return cycle
    return None


def test_find_cycle_finds_one():
    assert find_cycle({'a': {'b'}, 'b': {'c'}, 'c': {'a'}}) == ['a', 'b', 'c', 'a']
    assert find_cycle({'a': {'b'}, 'b': set(), 'c': {'a', 'b'}}) is None


def test_module_utils_have_no_import_cycle():
    graph = import_graph()
    assert {'rs_client', 'rs_connection', 'rs_body', 'rs_error_map', 'rs_actions', 'rs_normalize'} <= set(graph)
    assert graph['rs_client'] >= {'rs_connection', 'rs_body', 'rs_error_map'}
    assert find_cycle(graph) is None


def test_rs_errors_imports_no_other_module_utils():
    assert import_graph()['rs_errors'] == set()


# The wait loop knows nothing about databases (issue 11): its files reach no database file through their imports and
# name no status of a database (the bdb status lifecycle, objects/bdb/status.md; 'unknown' is an action status too).
WAIT_LOOP = ('rs_wait', 'rs_settle', 'rs_wait_journal', 'rs_wait_result', 'rs_track', 'rs_poll', 'rs_progress',
             'rs_wait_text')
BDB_STATUSES = frozenset(('pending', 'active', 'active-change-pending', 'import-pending', 'delete-pending',
                          'creation-failed', 'recovery'))


def reachable(graph, name):
    """Every module_utils file ``name`` imports, directly or not."""
    found, todo = set(), [name]
    while todo:
        for target in graph[todo.pop()] - found:
            found.add(target)
            todo.append(target)
    return found


def string_constants(name):
    with open(os.path.join(MODULE_UTILS, name + '.py'), encoding='utf-8') as handle:
        tree = ast.parse(handle.read())
    return {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def test_reachable_and_string_constants_see_what_they_should():
    assert reachable({'a': {'b'}, 'b': {'c'}, 'c': set(), 'd': {'a'}}, 'a') == {'b', 'c'}
    named = set().union(*(string_constants(name) for name in import_graph()))
    assert {'pending', 'active'} <= named    # the check sees a status where a file names one (the database files)


def test_the_wait_loop_knows_nothing_about_databases():
    graph = import_graph()
    for name in WAIT_LOOP:
        assert not {target for target in reachable(graph, name) if 'bdb' in target}, name
        assert not string_constants(name) & BDB_STATUSES, name


def test_the_architecture_page_covers_every_module_utils_and_plugin_utils_file():
    plugins = os.path.join(MODULE_UTILS, '..')
    with open(os.path.join(plugins, '..', 'docs', 'architecture.md'), encoding='utf-8') as handle:
        text = handle.read()
    for folder in ('module_utils', 'plugin_utils'):
        for name in sorted(os.listdir(os.path.join(plugins, folder))):
            if name.endswith('.py') and name != '__init__.py':
                assert '`plugins/%s/%s`' % (folder, name) in text, name
