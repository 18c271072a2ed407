# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Start one simulated cluster per RS version profile for the integration targets, run the targets, stop them.

    python tests/utils/itsims.py run SIMS_DIR COLL --bin BIN --python X.Y [--jobs N] PROFILE [...] [-- ARGS]
    python tests/utils/itsims.py start SIMS_DIR CONFIG_FILE PROFILE [PROFILE ...]
    python tests/utils/itsims.py stop SIMS_DIR

`run` (what `make integration` calls) starts the simulators side by side (one `it-<profile>` state directory each),
copies the collection tree COLL once per profile, writes each copy's integration config with that one cluster, and
runs `BIN/ansible-test integration --local --python X.Y [ARGS]` in the copies, N at a time (most of a run is spent
waiting for the cluster and starting module processes, so profiles overlap well even on 2 cores). Each profile's
output goes to SIMS_DIR/it-<profile>/integration.log; the logs of failed profiles are printed at the end. Profiles that took
longest last time start first. Every target loops over `rs_clusters`, so it runs once per profile either way.

`start` launches the simulators and writes one integration config with all of them, for running ansible-test by
hand: `rs_clusters` (one entry per profile: `profile`, `url`, `ca`, and `api`, the actions API the collection reads
there in auto mode), plus `rs_url`/`rs_ca_path` (the first profile).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import glob
import json
import os
import shutil
import subprocess
import sys
import time

import simctl

SPEED = 20
# Finished actions stay listed for 10 minutes (cluster seconds at SPEED 20), so that a slow, loaded machine never
# sees an action vanish between two steps of a test. Targets that test vanishing set their own retention.
START_CONFIG = {'retention': 12000}
# Profiles on which auto mode reads /v1/actions (docs/rs-behaviour.md): no /v2 before 7.22, and RS 8.2.0-25
# answered /v2/actions with 400 invalid_schema.
V1_PROFILES = ('7.4.0', '7.8', '8.2.0')
USERNAME = 'admin@example.com'
PASSWORD = 'sim-S3cret-pw'


def launch_all(sims_dir, profiles):
    """Start one simulator per profile; return the clusters (``profile``, ``url``, ``ca``, ``api``)."""
    config_path = os.path.join(sims_dir, 'start-config.json')
    os.makedirs(sims_dir, exist_ok=True)
    with open(config_path, 'w', encoding='utf-8') as handle:
        json.dump(START_CONFIG, handle)
    launched = []
    for profile in profiles:
        state_dir = os.path.join(sims_dir, 'it-%s' % profile)
        simctl.stop(state_dir, quiet=True)
        proc, url = simctl.launch(state_dir, SPEED, ['--profile', profile, '--config', config_path])
        with open(os.path.join(state_dir, 'pid'), 'w', encoding='utf-8') as handle:
            handle.write(str(proc.pid))
        launched.append(dict(profile=profile, url=url, ca=os.path.join(state_dir, 'ca.pem'),
                             api='v1' if profile in V1_PROFILES else 'v2'))
    return launched


def write_config(config_file, clusters):
    first = clusters[0]
    config = dict(rs_clusters=clusters, rs_url=first['url'], rs_ca_path=first['ca'], rs_username=USERNAME,
                  rs_password=PASSWORD)
    with open(config_file, 'w', encoding='utf-8') as handle:
        handle.write('---\n')
        json.dump(config, handle, indent=2)  # JSON is YAML
        handle.write('\n')


def start(sims_dir, config_file, profiles):
    try:
        launched = launch_all(sims_dir, profiles)
    except simctl.SimulatorStartError as exc:
        sys.stderr.write('%s\n' % exc)
        stop(sims_dir)
        return 1
    write_config(config_file, launched)
    for cluster in launched:
        print('%-8s %s (%s)' % (cluster['profile'], cluster['url'], cluster['api']))
    return 0


def _copy_collection(coll, profile, sims_dir):
    """A copy of the collection tree for one profile of one run:
    ``<collection root>.<SIMS_DIR's name>-<profile>/ansible_collections/...`` (two runs may share profiles)."""
    parts = os.path.normpath(coll).split(os.sep)
    root = os.sep.join(parts[:-3])  # above ansible_collections/<namespace>/<name>
    copy_root = '%s.%s-%s' % (root, os.path.basename(os.path.normpath(sims_dir)), profile)
    shutil.rmtree(copy_root, ignore_errors=True)
    target = os.path.join(copy_root, *parts[-3:])
    shutil.copytree(coll, target, ignore=shutil.ignore_patterns('output'))
    return copy_root, target


def _run_profile(cluster, coll, bin_dir, python, args, log_path):
    copy_root, copy = _copy_collection(coll, cluster['profile'], os.path.dirname(os.path.dirname(log_path)))
    write_config(os.path.join(copy, 'tests', 'integration', 'integration_config.yml'), [cluster])
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=copy_root, PATH=bin_dir + os.pathsep + os.environ.get('PATH', ''))
    command = [os.path.join(bin_dir, 'ansible-test'), 'integration', '--local', '--python', python, '--color', 'no']
    started = time.monotonic()
    with open(log_path, 'w', encoding='utf-8') as log:
        log.write('$ %s  (in %s)\n' % (' '.join(command + list(args)), copy))
        log.flush()
        returncode = subprocess.call(command + list(args), cwd=copy, env=env, stdout=log, stderr=subprocess.STDOUT)
    shutil.rmtree(copy_root, ignore_errors=True)
    return returncode, time.monotonic() - started


def run(sims_dir, coll, bin_dir, python, jobs, profiles, args):
    """Run the integration targets against each profile, ``jobs`` profiles at a time; 0 when all passed."""
    timings_path = os.path.join(sims_dir, 'timings.json')
    try:
        with open(timings_path, encoding='utf-8') as handle:
            timings = json.load(handle)
    except (OSError, ValueError):
        timings = {}
    try:
        clusters = launch_all(sims_dir, profiles)
    except simctl.SimulatorStartError as exc:
        sys.stderr.write('%s\n' % exc)
        stop(sims_dir)
        return 1
    # The longest first, so that the slowest profile does not start last.
    order = sorted(clusters, key=lambda cluster: -float(timings.get(cluster['profile'], 0)))
    results = {}
    started = time.monotonic()
    print('integration: %d profiles (%s), %d at a time; logs in %s/it-<profile>/integration.log'
          % (len(clusters), ' '.join(profiles), jobs, sims_dir), flush=True)
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = dict((pool.submit(_run_profile, cluster, coll, bin_dir, python, args,
                                        os.path.join(sims_dir, 'it-%s' % cluster['profile'], 'integration.log')), cluster)
                           for cluster in order)
            for future in concurrent.futures.as_completed(futures):
                cluster = futures[future]
                returncode, elapsed = future.result()
                results[cluster['profile']] = (returncode, elapsed)
                print('  %-8s %s in %5.1f s (%s, %s)' % (cluster['profile'], 'PASS' if returncode == 0 else 'FAIL',
                                                         elapsed, cluster['url'], cluster['api']), flush=True)
    finally:
        stop(sims_dir)
    timings.update((profile, round(outcome[1], 1)) for profile, outcome in results.items())
    with open(timings_path, 'w', encoding='utf-8') as handle:
        json.dump(timings, handle, indent=2)
    failed = [profile for profile in profiles if results.get(profile, (1, 0))[0] != 0]
    for profile in failed:
        log_path = os.path.join(sims_dir, 'it-%s' % profile, 'integration.log')
        print('\n' + '=' * 30 + ' %s (profile %s) ' % (log_path, profile) + '=' * 30)
        with open(log_path, encoding='utf-8', errors='replace') as handle:
            sys.stdout.write(handle.read())
    print('integration: %d of %d profiles passed in %.1f s%s' % (
        len(profiles) - len(failed), len(profiles), time.monotonic() - started,
        '; failed: %s' % ' '.join(failed) if failed else ''), flush=True)
    return 1 if failed else 0


def stop(sims_dir):
    for state_dir in glob.glob(os.path.join(sims_dir, 'it-*')):
        simctl.stop(state_dir, quiet=True)
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == 'run':
        args, extra = argv[1:], []
        if '--' in args:
            args, extra = args[:args.index('--')], args[args.index('--') + 1:]
        parser = argparse.ArgumentParser(prog='itsims.py run')
        parser.add_argument('sims_dir')
        parser.add_argument('coll')
        parser.add_argument('profiles', nargs='+')
        parser.add_argument('--bin', required=True)
        parser.add_argument('--python', required=True)
        parser.add_argument('--jobs', type=int, default=3)
        opts = parser.parse_args(args)
        return run(os.path.abspath(opts.sims_dir), os.path.abspath(opts.coll), os.path.abspath(opts.bin), opts.python,
                   opts.jobs, opts.profiles, extra)
    if len(argv) >= 4 and argv[0] == 'start':
        return start(os.path.abspath(argv[1]), argv[2], argv[3:])
    if len(argv) == 2 and argv[0] == 'stop':
        return stop(os.path.abspath(argv[1]))
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main())
