# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The extraction, classification and rewriting of tests/utils/examples.py (`make examples`)."""

from __future__ import annotations

import os
import sys
import tarfile
import textwrap

import pytest
import yaml

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import artifact  # noqa: E402  pylint: disable=wrong-import-position
import examples  # noqa: E402  pylint: disable=wrong-import-position

README = textwrap.dedent('''\
    # Title

    ```sh
    make demo
    ```

    ```yaml
    - name: A play
      hosts: localhost
      tasks: []
    ```

    Text.

    ```yml
    - name: A task
      ansible.builtin.debug:
        msg: hi
    ```

    ```yaml
    clusters:
      hosts:
        rs-eu: {}
    ```

    ```text
    - name: not yaml for us
    ```

        - name: an indented block is not a fence
''')

MODULE = textwrap.dedent('''\
    DOCUMENTATION = r\'\'\'
    module: fake
    short_description: A fake module
    description: [A fake module.]
    author: [Someone]
    options: {}
    \'\'\'

    EXAMPLES = r\'\'\'
    - name: Use it
      redis_enterprise.software.rs_action_info:
        url: https://cluster.example.com:9443
    \'\'\'

    RETURN = r\'\'\'
    \'\'\'
''')


@pytest.fixture
def tree(tmp_path):
    (tmp_path / 'README.md').write_text(README)
    (tmp_path / 'plugins' / 'modules').mkdir(parents=True)
    (tmp_path / 'plugins' / 'modules' / 'fake.py').write_text(MODULE)
    return tmp_path


def test_markdown_fences_yaml_and_yml_only_with_their_lines(tree):
    found = examples.markdown_examples('README.md', str(tree))
    assert [(e.line, e.kind) for e in found] == [(8, 'playbook'), (16, 'tasks'), (22, 'other')]  # the block's first line
    assert found[0].text.startswith('- name: A play')
    assert 'inventory' in found[2].reason


def test_module_examples_read_through_ansible(tree):
    found = examples.module_examples('plugins/modules/fake.py', str(tree))
    assert len(found) == 1
    assert found[0].kind == 'tasks'
    assert found[0].data[0]['name'] == 'Use it'
    assert found[0].ident == 'plugins/modules/fake.py:10'  # the first line of EXAMPLES' text


def test_all_examples_lists_readme_then_modules(tree):
    found = examples.all_examples(str(tree))
    assert [e.source for e in found] == ['README.md'] * 3 + ['plugins/modules/fake.py']


@pytest.mark.parametrize('data, kind', [
    ([{'hosts': 'all', 'tasks': []}], 'playbook'),
    ([{'ansible.builtin.import_playbook': 'x.yml'}], 'playbook'),
    ([{'name': 't', 'ansible.builtin.debug': None}], 'tasks'),
    ([{'hosts': 'all'}, {'name': 't', 'ansible.builtin.debug': None}], 'invalid'),
    ({'version': 3, 'dependencies': {}}, 'other'),
    ({'all': {'hosts': {'a': None}}}, 'other'),
    ('just a string', 'other'),
    ([], 'other'),
])
def test_classify(data, kind):
    assert examples.classify(data)[0] == kind


def test_invalid_yaml_is_reported_not_dropped():
    example = examples.Example('README.md', 3, '- name: [unclosed\n')
    assert example.kind == 'invalid'
    assert 'not valid YAML' in example.reason


def test_substitute_replaces_only_the_placeholder_cluster_and_ca_paths():
    data = [{'module_defaults': {'group/x': {'url': 'https://cluster.example.com:9443', 'ca_path': '/etc/ca.pem'}},
             'tasks': [{'environment': {'REDIS_ENTERPRISE_URL': 'https://rs-eu.example.com:9443',
                                        'REDIS_ENTERPRISE_CA_PATH': '/x.pem'},
                        'x.rs_action_wait': {'url': 'https://real.example.org:9443', 'ca_path': '{{ my_ca }}',
                                             'uid': 'https://cluster.example.com:9443'}}],
             'roles': [{'role': 'r',
                        'vars': {'rs_provision_url': 'https://cluster.example.com', 'rs_provision_ca_path': '/ca.pem'}}]}]
    out = examples.substitute(data, 'https://127.0.0.1:1', '/sim/ca.pem')
    play = out[0]
    assert play['module_defaults']['group/x'] == {'url': 'https://127.0.0.1:1', 'ca_path': '/sim/ca.pem'}
    task = play['tasks'][0]
    assert task['environment'] == {'REDIS_ENTERPRISE_URL': 'https://127.0.0.1:1', 'REDIS_ENTERPRISE_CA_PATH': '/sim/ca.pem'}
    # not a placeholder host, a templated CA path, and a url-looking value of another key stay as they are
    assert task['x.rs_action_wait'] == data[0]['tasks'][0]['x.rs_action_wait']
    assert play['roles'][0]['vars'] == {'rs_provision_url': 'https://127.0.0.1:1', 'rs_provision_ca_path': '/sim/ca.pem'}
    assert data[0]['module_defaults']['group/x']['url'] == 'https://cluster.example.com:9443'  # input untouched


def test_a_task_list_runs_in_a_play_with_the_connection_in_module_defaults():
    example = examples.Example('m.py', 1, '- name: T\n  x.rs_action_info: {}\n')
    play = examples.playbook_for_run(example, 'https://127.0.0.1:1', '/sim/ca.pem')[0]
    assert play['hosts'] == 'localhost'
    assert play['module_defaults'][examples.GROUP] == {'url': 'https://127.0.0.1:1', 'username': examples.USER,
                                                       'password': examples.PASSWORD, 'ca_path': '/sim/ca.pem'}
    assert play['tasks'] == [{'name': 'T', 'x.rs_action_info': {}}]


def test_a_playbook_runs_as_it_is_apart_from_the_placeholder():
    example = examples.Example('README.md', 1, '- name: P\n  hosts: localhost\n  tasks: []\n')
    assert examples.playbook_for_run(example, 'u', 'c') == example.data


def test_lint_text_keeps_the_users_formatting_under_a_plain_play():
    text = '- name: T\n  x.rs_action_info:\n    status:\n      - running\n'
    example = examples.Example('m.py', 1, text)
    linted = examples.text_for_lint(example)
    assert 'module_defaults' not in linted
    assert '    - name: T\n      x.rs_action_info:\n        status:\n          - running\n' in linted
    assert yaml.safe_load(linted)[0]['tasks'] == example.data


def test_fixture_vars_are_the_password_only():
    # An outsider who runs the examples gives them a password and nothing else: no uid, no registered result.
    assert examples.fixture_vars() == {name: examples.PASSWORD
                                       for name in ('rs_password', 'vault_rs_password', 'rs_admin_password')}


def test_every_example_defines_what_it_uses():
    # The examples of the tree may use, undefined, only the fixture's password variables (a real run proves the rest).
    import re
    allowed = set(examples.fixture_vars())
    for example in examples.all_examples():
        if example.kind not in ('playbook', 'tasks'):
            continue
        registered = set(re.findall(r'^\s*register:\s*(\w+)', example.text, re.M))
        used = {name for name, default in re.findall(r'{{\s*(\w+)\s*(\|\s*default\b)?', example.text) if not default}
        unknown = used - allowed - registered - {'item', 'ansible_check_mode', 'lookup'}
        assert not unknown, f'{example.ident} uses {sorted(unknown)} without defining them'


def test_the_readme_ee_sample_must_match_the_file(tmp_path, monkeypatch):
    ee = {'version': 3, 'dependencies': {'galaxy': {'collections': [{'name': 'a.b'}]}}}
    (tmp_path / 'ee.yml').write_text(yaml.safe_dump(ee))
    monkeypatch.setattr(examples, 'ROOT', str(tmp_path))
    same = examples.Example('README.md', 1, yaml.safe_dump(ee))
    other = examples.Example('README.md', 9, yaml.safe_dump(dict(ee, version=1)))
    assert examples.check_ee_sample([same], 'ee.yml') == 0
    assert examples.check_ee_sample([other], 'ee.yml') == 1


def _tarball(path, members):
    with tarfile.open(path, 'w:gz') as archive:
        for name, content in members.items():
            source = path.parent / 'src'
            source.write_bytes(content)
            archive.add(str(source), arcname=name)
    return str(path)


def test_artifact_clean(tmp_path):
    tarball = _tarball(tmp_path / 'a.tar.gz', {'README.md': b'hi', 'plugins/modules/x.py': b'print(1)'})
    assert artifact.problems(tarball, 10000) == []


@pytest.mark.parametrize('name, content, why', [
    ('.demo/sim/ca.pem', b'x', 'pem'),
    ('tests/simulator/key.pem', b'x', 'pem'),
    ('server.key', b'x', 'private key'),
    ('docs/notes.txt', b'-----BEGIN RSA PRIVATE KEY-----', 'private key'),
    ('.demo/sim/simulator.log', b'x', 'log'),
    ('tests/benchmark/results/results.json', b'{}', 'results'),
    ('.demo/collections/ansible_collections/redis_enterprise/software/README.md', b'x', 'ansible_collections'),
    ('.demo/results.json', b'{}', 'results'),
    ('collections/ansible_collections/x/y/README.md', b'x', 'ansible_collections'),
    ('plugins/__pycache__/x.pyc', b'x', 'cache'),
])
def test_artifact_not_clean(tmp_path, name, content, why):
    tarball = _tarball(tmp_path / 'a.tar.gz', {'README.md': b'hi', name: content})
    found = artifact.problems(tarball, 10000)
    assert len(found) == 1 and found[0].startswith(name) and why in found[0]


@pytest.mark.parametrize('name', ['tests/utils/gates.py', 'Makefile', 'requirements/dev.txt', 'demo/provision.yml',
                                  'tests/reliability/run_matrix.py', 'tests/README.md'])
def test_artifact_holds_only_its_allow_list(tmp_path, name):
    tarball = _tarball(tmp_path / 'a.tar.gz', {'README.md': b'hi', 'tests/utils/simctl.py': b'x', name: b'x'})
    found = artifact.problems(tarball, 10000)
    assert len(found) == 1 and found[0].startswith(name) and 'allow-list' in found[0]


def test_artifact_too_big(tmp_path):
    tarball = _tarball(tmp_path / 'a.tar.gz', {'README.md': os.urandom(5000)})
    found = artifact.problems(tarball, 1000)
    assert len(found) == 1 and 'over the limit of 1000' in found[0]


def test_a_playbook_outside_a_yaml_fence_fails_instead_of_being_skipped(tmp_path):
    (tmp_path / 'README.md').write_text('```\n- name: T\n  ansible.builtin.debug:\n    msg: hi\n```\n\n'
                                        '```sh\nmake demo\n```\n')
    found = examples.markdown_examples('README.md', str(tmp_path))
    assert [(e.line, e.kind) for e in found] == [(2, 'invalid')]  # the shell block is no example
    assert 'fence it as ```yaml' in found[0].reason


def test_a_module_without_examples_fails_instead_of_being_skipped(tree):
    (tree / 'plugins' / 'modules' / 'bare.py').write_text(MODULE.replace("""EXAMPLES = r\'\'\'
- name: Use it
  redis_enterprise.software.rs_action_info:
    url: https://cluster.example.com:9443
\'\'\'""", "EXAMPLES = r\'\'\'\n\'\'\'"))
    found = examples.module_examples('plugins/modules/bare.py', str(tree))
    assert [(e.kind, e.reason) for e in found] == [('invalid', 'the module has no EXAMPLES')]
