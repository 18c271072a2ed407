# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""`make examples`: every YAML example of the READMEs and of the modules' EXAMPLES runs against the simulator.

    python tests/utils/examples.py list
    python tests/utils/examples.py run --bin VENV/bin [--bin VENV216/bin] [--lint] [--only SUBSTRING]

Where the examples come from:
  * the ```yaml fences of README.md and roles/rs_provision/README.md (parsed with markdown-it-py);
  * the EXAMPLES of every plugins/modules/*.py (read with ansible-core's own plugin docs reader).

How an example runs (the convention is documented in tests/utils/EXAMPLES.md):
  * A playbook runs as it is; a list of tasks is wrapped into a play on `localhost` whose `module_defaults` for
    `group/redis_enterprise.software.rs` hold the simulator's connection. The environment holds it too
    (REDIS_ENTERPRISE_URL, _USER, _PASSWORD, _CA_PATH).
  * The placeholder cluster of the examples, `https://<anything>.example.com[:port]`, becomes the simulator's URL, and
    every CA path (`ca_path`, `rs_provision_ca_path`, `REDIS_ENTERPRISE_CA_PATH`) its CA bundle. Nothing else of the
    example is changed.
  * Before each run the simulator is reset to an empty cluster; the inventory gives `localhost` only the password
    variables of fixture_vars() below, at the lowest precedence, so an example makes every database and action it
    uses itself, as it must for a user who runs it.
  * Each example runs with `--check` first, on the fresh fixture, then normally; both must succeed with no warning.
  * With --lint, ansible-lint (production profile) checks every example as a user would write it (a task list
    wrapped into a plain play), with 0 warnings.

A YAML block that is neither a playbook nor a task list (an inventory, an execution-environment definition) is not
run; it is listed with the reason, never skipped silently.
"""

from __future__ import annotations

import argparse
import copy
import glob
import os
import re
import shutil
import subprocess
import sys
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

MARKDOWN_SOURCES = ('README.md', 'roles/rs_provision/README.md')
MODULE_GLOB = 'plugins/modules/*.py'
GROUP = 'group/redis_enterprise.software.rs'
USER, PASSWORD = 'admin@example.com', 'sim-S3cret-pw'
# Placeholder cluster URLs of the examples: any host under example.com, https, any port.
PLACEHOLDER_URL_RE = re.compile(r'^https://[A-Za-z0-9.-]*\bexample\.com(:\d+)?/?$')
URL_KEYS = ('url', 'rs_provision_url', 'REDIS_ENTERPRISE_URL')
CA_KEYS = ('ca_path', 'rs_provision_ca_path', 'REDIS_ENTERPRISE_CA_PATH')
WARNING_RE = re.compile(r'^\[(DEPRECATION )?WARNING\]|^\[WARNING\]', re.M)


class Example:
    """One YAML example: where it is, its text, and what it is (playbook, tasks or something else)."""

    def __init__(self, source, line, text):
        self.source = source
        self.line = line
        self.text = text
        self.data = None
        self.kind = None
        self.reason = None
        self._classify()

    @property
    def ident(self):
        return f'{self.source}:{self.line}'

    @property
    def slug(self):
        return re.sub(r'[^A-Za-z0-9]+', '-', self.ident).strip('-').lower()

    def _classify(self):
        try:
            self.data = yaml.safe_load(self.text)
        except yaml.YAMLError as exc:
            self.kind, self.reason = 'invalid', f'not valid YAML: {exc}'
            return
        self.kind, self.reason = classify(self.data)

    @classmethod
    def invalid(cls, source, line, text, reason):
        """An example that cannot be run as it is written: the gate fails on it (nothing is skipped silently)."""
        example = cls(source, line, text)
        example.kind, example.reason = 'invalid', reason
        return example


def classify(data):
    """Return (kind, reason): kind is 'playbook', 'tasks' or 'other' (with the reason it does not run)."""
    if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        if all('hosts' in item or 'import_playbook' in item or 'ansible.builtin.import_playbook' in item for item in data):
            return 'playbook', None
        if not any('hosts' in item for item in data):
            return 'tasks', None
        return 'invalid', 'mixes plays and tasks'
    if isinstance(data, dict):
        if 'dependencies' in data and 'version' in data:
            return 'other', 'an execution-environment definition (checked by `make ee` with ansible-builder create)'
        if any(isinstance(value, dict) and ('hosts' in value or 'children' in value) for value in data.values()):
            return 'other', 'an inventory, not a playbook or a task list'
    return 'other', 'neither a playbook nor a task list'


def _looks_runnable(example):
    """A playbook or task list whose every item does something (more than a `name`)."""
    return example.kind in ('playbook', 'tasks') and all(len(item) > 1 for item in example.data)


def markdown_examples(path, root=ROOT):
    """The ```yaml / ```yml fences of a Markdown file, with the line where each block starts."""
    from markdown_it import MarkdownIt  # the venv's ansible-lint brings it; only the newest venv runs this

    with open(os.path.join(root, path), encoding='utf-8') as handle:
        tokens = MarkdownIt('commonmark').parse(handle.read())
    found = []
    for token in tokens:
        if token.type != 'fence':
            continue
        lang = token.info.strip().split(' ')[0].lower()
        if lang in ('yaml', 'yml'):
            found.append(Example(path, token.map[0] + 2, token.content))
        elif _looks_runnable(Example(path, token.map[0] + 2, token.content)):
            # A playbook or task list in a ```sh, ```text or bare fence would never run: it must be fenced as yaml.
            found.append(Example.invalid(path, token.map[0] + 2, token.content,
                                         f'a playbook or task list in a ```{lang} fence: fence it as ```yaml'))
    return found


def module_examples(path, root=ROOT):
    """A module's EXAMPLES, read by ansible-core's plugin docs reader, as one task-list example."""
    from ansible.parsing.plugin_docs import read_docstring

    docs = read_docstring(os.path.abspath(os.path.join(root, path)), verbose=False, ignore_errors=False)
    text = docs.get('plainexamples')
    if not text or not text.strip():
        return [Example.invalid(path, 1, '', 'the module has no EXAMPLES')]
    with open(os.path.join(root, path), encoding='utf-8') as handle:
        source = handle.read()
    line = source[:source.find('EXAMPLES')].count('\n') + 2 if 'EXAMPLES' in source else 1
    return [Example(path, line, text)]


def all_examples(root=ROOT):
    found = []
    for path in MARKDOWN_SOURCES:
        if os.path.exists(os.path.join(root, path)):
            found.extend(markdown_examples(path, root))
    for path in sorted(glob.glob(os.path.join(root, MODULE_GLOB))):
        found.extend(module_examples(os.path.relpath(path, root), root))
    return found


def substitute(data, url, ca_path):
    """A copy of an example's data with the placeholder cluster replaced by the simulator (see the module docstring)."""
    if isinstance(data, dict):
        result = {}
        for key, value in data.items():
            if key in URL_KEYS and isinstance(value, str) and PLACEHOLDER_URL_RE.match(value):
                result[key] = url
            elif key in CA_KEYS and isinstance(value, str) and '{{' not in value:
                result[key] = ca_path
            else:
                result[key] = substitute(value, url, ca_path)
        return result
    if isinstance(data, list):
        return [substitute(item, url, ca_path) for item in data]
    return data


def wrap_tasks(tasks, connection=None):
    """A play on localhost around a task list; with `connection`, module_defaults for the collection's group."""
    play = {'name': 'Example', 'hosts': 'localhost', 'gather_facts': False}
    if connection:
        play['module_defaults'] = {GROUP: dict(connection)}
    play['tasks'] = tasks
    return [play]


def playbook_for_run(example, url, ca_path):
    data = substitute(copy.deepcopy(example.data), url, ca_path)
    if example.kind == 'tasks':
        return wrap_tasks(data, {'url': url, 'username': USER, 'password': PASSWORD, 'ca_path': ca_path})
    return data


def text_for_lint(example):
    """The example as a user would write it in a playbook file: a task list goes under a plain play, as it is."""
    if example.kind != 'tasks':
        return f'---\n# {example.ident}\n' + example.text
    body = ''.join(('    ' + line if line.strip() else line) for line in example.text.strip('\n').splitlines(True))
    return (f'---\n# {example.ident}, wrapped into a play\n- name: Example\n  hosts: localhost\n'
            f'  gather_facts: false\n  tasks:\n{body}\n')


# ---------------------------------------------------------------- the fixture

def fixture_vars():
    """The only variables an example may use without defining them: the cluster's password, under the names the
    examples give it (documented in tests/utils/EXAMPLES.md). An outsider running the examples supplies nothing else,
    so an example that needs an action uid or a database makes it itself."""
    return {'rs_password': PASSWORD, 'vault_rs_password': PASSWORD, 'rs_admin_password': PASSWORD}


def set_up_fixture(url, ca_path):
    """Reset the simulator to an empty cluster (its nodes, no database, no action), as a new user's would be."""
    import requests

    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE would win over session.verify
    session.verify = ca_path
    session.auth = (USER, PASSWORD)
    session.post(f'{url}/_sim/reset', timeout=10).raise_for_status()


# ---------------------------------------------------------------- running

def run_playbook(bin_dir, playbook, inventory, env, check):
    cmd = [os.path.join(bin_dir, 'ansible-playbook'), '-i', inventory, playbook] + (['--check'] if check else [])
    proc = subprocess.run(cmd, cwd=os.path.dirname(playbook), env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=False)
    return proc.returncode, proc.stdout


def core_version(bin_dir):
    out = subprocess.run([os.path.join(bin_dir, 'ansible'), '--version'], stdout=subprocess.PIPE, text=True,
                         check=True).stdout
    return re.search(r'core ([0-9][^\]]*)\]', out).group(1)


def run_examples(examples, bin_dirs, work):
    import simctl

    results = []
    for bin_dir in bin_dirs:
        version = core_version(bin_dir)
        sim_dir = os.path.join(work, f'sim-{version}')
        proc, url = simctl.launch(sim_dir, 20)
        ca_path = os.path.join(sim_dir, 'ca.pem')
        try:
            env = dict(os.environ, REDIS_ENTERPRISE_URL=url, REDIS_ENTERPRISE_USER=USER,
                       REDIS_ENTERPRISE_PASSWORD=PASSWORD, REDIS_ENTERPRISE_CA_PATH=ca_path, ANSIBLE_NOCOLOR='1',
                       ANSIBLE_FORCE_COLOR='0', ANSIBLE_RETRY_FILES_ENABLED='0')
            env.pop('REDIS_ENTERPRISE_INSECURE', None)
            for example in examples:
                if example.kind not in ('playbook', 'tasks'):
                    continue
                base = os.path.join(work, version, example.slug)
                os.makedirs(base, exist_ok=True)
                playbook = os.path.join(base, 'playbook.yml')
                with open(playbook, 'w', encoding='utf-8') as handle:
                    yaml.safe_dump(playbook_for_run(example, url, ca_path), handle, sort_keys=False)
                for check in (True, False):
                    set_up_fixture(url, ca_path)
                    inventory = os.path.join(base, 'inventory.yml')
                    host = dict(fixture_vars(), ansible_connection='local',
                                ansible_python_interpreter=os.path.join(bin_dir, 'python'))
                    with open(inventory, 'w', encoding='utf-8') as handle:
                        yaml.safe_dump({'all': {'hosts': {'localhost': host}}}, handle)
                    start = time.monotonic()
                    returncode, output = run_playbook(bin_dir, playbook, inventory, env, check)
                    elapsed = time.monotonic() - start
                    mode = '--check' if check else 'normal'
                    warnings = [line for line in output.splitlines() if WARNING_RE.match(line)]
                    status = 'PASS' if returncode == 0 and not warnings else 'FAIL'
                    with open(os.path.join(base, f'{mode.strip("-")}.log'), 'w', encoding='utf-8') as handle:
                        handle.write(output)
                    results.append((example, version, mode, status, elapsed))
                    print(f'{status}  {version:<8} {mode:<8} {elapsed:5.1f}s  {example.ident}', flush=True)
                    if status == 'FAIL':
                        why = 'warnings' if returncode == 0 else f'exit {returncode}'
                        shown = ['      | ' + line for line in output.splitlines()
                                 if line.strip() and not line.startswith('PLAY RECAP')]
                        print(f'      {why}; output:\n' + '\n'.join(shown), flush=True)
        finally:
            simctl.stop(sim_dir, quiet=True)
            if proc.poll() is None:
                proc.terminate()
    return results


def lint_examples(examples, bin_dir, work):
    lint_dir = os.path.join(work, 'lint')
    shutil.rmtree(lint_dir, ignore_errors=True)
    os.makedirs(lint_dir)
    files = []
    for example in examples:
        if example.kind not in ('playbook', 'tasks'):
            continue
        path = os.path.join(lint_dir, f'{example.slug}.yml')
        with open(path, 'w', encoding='utf-8') as handle:
            handle.write(text_for_lint(example))
        files.append(os.path.basename(path))
    config = os.path.join(lint_dir, '.ansible-lint')
    with open(config, 'w', encoding='utf-8') as handle:
        yaml.safe_dump({'profile': 'production', 'offline': True, 'strict': True}, handle)
    cmd = [os.path.join(bin_dir, 'ansible-lint'), '-c', config, '--offline', '--profile', 'production', '--strict',
           '--nocolor'] + files
    print('$ ansible-lint (production profile, strict) on ' + ', '.join(files), flush=True)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get('PATH', ''))
    proc = subprocess.run(cmd, cwd=lint_dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          check=False)
    print(proc.stdout, flush=True)
    warned = re.search(r'(\d+) warning', proc.stdout)
    return proc.returncode == 0 and not (warned and int(warned.group(1)))


def report_not_run(examples):
    for example in examples:
        if example.kind not in ('playbook', 'tasks'):
            print(f'NOT RUN  {example.ident}: {example.reason}', flush=True)


def check_ee_sample(examples, path):
    """0 when README.md shows an execution-environment definition with the same content as `path`."""
    with open(os.path.join(ROOT, path), encoding='utf-8') as handle:
        wanted = yaml.safe_load(handle)
    samples = [example for example in examples if example.source == 'README.md' and example.kind == 'other'
               and isinstance(example.data, dict) and 'dependencies' in example.data]
    if any(example.data == wanted for example in samples):
        print(f'README.md shows the execution-environment definition of {path}')
        return 0
    print(f'README.md has no YAML block with the content of {path} (found {len(samples)} other definitions)')
    return 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    sub = parser.add_subparsers(dest='command', required=True)
    sub.add_parser('list', help='list the examples and what each is')
    same = sub.add_parser('ee-sample', help="the README's execution-environment sample is the file ansible-builder checks")
    same.add_argument('file')
    run = sub.add_parser('run', help='run the examples against the simulator')
    run.add_argument('--bin', action='append', required=True, help="a virtualenv's bin directory (repeatable)")
    run.add_argument('--lint', action='store_true', help='also lint them with ansible-lint (first --bin)')
    run.add_argument('--only', help='only the examples whose source:line contains this')
    run.add_argument('--work', default=os.path.join(ROOT, '.build', 'examples'))
    args = parser.parse_args(argv)
    if not os.environ.get('ANSIBLE_COLLECTIONS_PATH'):
        parser.error('ANSIBLE_COLLECTIONS_PATH must point at a tree holding ansible_collections/redis_enterprise/software '
                     '(`make examples` sets it to the copy `make copy` makes)')

    examples = all_examples()
    if args.command == 'ee-sample':
        return check_ee_sample(examples, args.file)
    if args.command == 'list':
        for example in examples:
            print(f'{example.kind:<9} {example.ident}' + (f'  ({example.reason})' if example.reason else ''))
        return 0
    if args.only:
        examples = [example for example in examples if args.only in example.ident]
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    invalid = [example for example in examples if example.kind == 'invalid']
    for example in invalid:
        print(f'FAIL  {example.ident}: {example.reason}')
    report_not_run([example for example in examples if example.kind != 'invalid'])
    results = run_examples(examples, args.bin, args.work)
    lint_ok = lint_examples(examples, args.bin[0], args.work) if args.lint else True
    failed = [r for r in results if r[3] == 'FAIL']
    runnable = sum(1 for example in examples if example.kind in ('playbook', 'tasks'))
    not_run = len(examples) - runnable - len(invalid)
    print(f'{runnable} examples x {len(args.bin)} ansible-core x 2 modes (--check, normal); {not_run} not run (listed above)')
    for example, version, mode, _status, _elapsed in failed:
        print(f'  failed: {example.ident} on {version} {mode}')
    print(f'examples: {len(results) - len(failed)} passed, {len(failed) + len(invalid)} failed')
    if args.lint:
        print(f"examples lint: {'0 violations' if lint_ok else 'FAILED'}")
    return 0 if not failed and not invalid and lint_ok else 1


if __name__ == '__main__':
    sys.exit(main())
