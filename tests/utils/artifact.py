# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""`make artifact`: `make demo` prints no warning, and after it the collection artifact holds nothing generated or private, and is small.

    python tests/utils/artifact.py --max-bytes N [--galaxy PATH] [--no-demo] [--tarball PATH]

Runs the demo first (it leaves keys, logs, results and installed collections under .demo/), then builds the
collection from the working tree as `ansible-galaxy collection build` does for a release (with --galaxy, e.g. the oldest
ansible-core without `distlib`, as a user who installs from git has it), and fails when the
artifact holds a private key, a certificate or `.pem` file, a log, a results file, a nested `ansible_collections`
tree, tool debris (.demo, .build, virtualenvs, caches), a file outside the allow-list ALLOWED, or is larger than
--max-bytes. The demo's simulator is
stopped again unless it was already running before.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.path.dirname(sys.executable)
DEMO_SIM = os.path.join(ROOT, '.demo', 'sim')

# (fnmatch pattern on the member's path, why it must not be there)
FORBIDDEN = [
    ('*.pem', 'a key or certificate (.pem)'),
    ('*.key', 'a private key'),
    ('*.crt', 'a certificate'),
    ('*.p12', 'a key store'),
    ('*id_rsa*', 'an SSH key'),
    ('*.log', 'a log'),
    ('*results*.json', 'a results file'),
    ('*results*.md', 'a results file'),
    ('*results*.png', 'a results file'),
    ('*/results/*', 'a results file'),
    ('*ansible_collections*', 'a nested ansible_collections tree'),
    ('*.tar.gz', 'a nested artifact'),
    ('.demo*', 'the demo directory'),
    ('.build*', 'build output'),
    ('.venv*', 'a virtualenv'),
    ('*__pycache__*', 'a Python cache'),
    ('*.pyc', 'a Python cache'),
    ('*/.*', 'a hidden file'),
    ('.*', 'a hidden file'),
    ('tests/output*', 'ansible-test output'),
    ('*integration_config.yml', 'a generated test configuration'),
]


# What the artifact may hold at all (fnmatch, `*` also matches `/`): the allow-list that galaxy.yml's build_ignore must
# keep true. A new kind of file that belongs in the collection is added here; anything else is kept out in galaxy.yml.
ALLOWED = [
    'MANIFEST.json', 'FILES.json', 'README.md', 'COPYING', 'CHANGELOG.rst',
    'meta/*.yml', 'meta/*.txt', 'LICENSES/*.txt', 'docs/*.md', 'docs/*.yml',
    'changelogs/*.yaml', 'changelogs/fragments/*.yml', 'changelogs/fragments/*.yaml',
    'plugins/*.py', 'roles/*.yml', 'roles/*.md', 'extensions/molecule/*.yml',
    'tests/config.yml', 'tests/utils/simctl.py', 'tests/simulator/*.py', 'tests/simulator/*.md',
    'tests/unit/*.py', 'tests/unit/*.json', 'tests/unit/requirements.txt',
    'tests/integration/targets/*.yml', 'tests/integration/targets/*/aliases', 'tests/integration/targets/*.py',
]


def problems(tarball, max_bytes):
    """Every reason the artifact is not clean, as a list of strings (empty when it is clean)."""
    found = []
    size = os.path.getsize(tarball)
    if size > max_bytes:
        found.append(f'{os.path.basename(tarball)} is {size} bytes, over the limit of {max_bytes}')
    with tarfile.open(tarball, 'r:gz') as archive:
        for member in archive.getmembers():
            name = member.name[2:] if member.name.startswith('./') else member.name
            for pattern, why in FORBIDDEN:
                if fnmatch.fnmatch(name, pattern):
                    found.append(f'{name}: {why}')
                    break
            else:
                if member.isfile() and b'PRIVATE KEY-----' in archive.extractfile(member).read():
                    found.append(f'{name}: contains a private key')
                elif member.isfile() and not any(fnmatch.fnmatch(name, pattern) for pattern in ALLOWED):
                    found.append(f'{name}: not on the allow-list (tests/utils/artifact.py ALLOWED): keep it out with '
                                 f'build_ignore in galaxy.yml, or allow it')
    return found


def sim_running():
    try:
        with open(os.path.join(DEMO_SIM, 'pid'), encoding='utf-8') as handle:
            os.kill(int(handle.read().strip()), 0)
        return True
    except (OSError, ValueError):
        return False


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--max-bytes', type=int, required=True)
    parser.add_argument('--galaxy', default=os.path.join(BIN, 'ansible-galaxy'),
                        help='the ansible-galaxy that builds (default: the one beside this Python)')
    parser.add_argument('--no-demo', action='store_true', help='check the build without running the demo first')
    parser.add_argument('--tarball', help='check this artifact instead of building one')
    parser.add_argument('--output', default=os.path.join(ROOT, '.build', 'artifact'))
    args = parser.parse_args(argv)

    tarball = args.tarball
    demo_warnings = []
    if not tarball:
        was_running = sim_running()
        try:
            if not args.no_demo:
                print('==> make demo', flush=True)
                demo = subprocess.run([sys.executable, os.path.join(HERE, 'demo.py')], cwd=ROOT, check=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                print(demo.stdout, flush=True)
                demo_warnings = [line for line in demo.stdout.splitlines() if 'WARNING' in line]
            print('\n==> ansible-galaxy collection build', flush=True)
            os.makedirs(args.output, exist_ok=True)
            for old in os.listdir(args.output):
                if old.endswith('.tar.gz'):
                    os.remove(os.path.join(args.output, old))
            subprocess.run([args.galaxy, 'collection', 'build', '--force', '--output-path',
                            args.output], cwd=ROOT, check=True)
        finally:
            if not was_running and not args.no_demo:
                subprocess.run([sys.executable, os.path.join(HERE, 'simctl.py'), 'stop', DEMO_SIM], cwd=ROOT,
                               check=False)
        tarball = os.path.join(args.output, [n for n in os.listdir(args.output) if n.endswith('.tar.gz')][0])

    found = problems(tarball, args.max_bytes)
    with tarfile.open(tarball, 'r:gz') as archive:
        count = sum(1 for member in archive.getmembers() if member.isfile())
    print(f'\n{os.path.relpath(tarball, ROOT)}: {os.path.getsize(tarball)} bytes (limit {args.max_bytes}), '
          f'{count} files')
    found.extend(f'`make demo` warned: {line}' for line in demo_warnings)
    for problem in found:
        print(f'  NOT CLEAN: {problem}')
    print(f'artifact: {0 if found else 1} passed, {1 if found else 0} failed')
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
