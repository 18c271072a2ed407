# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Start one simulated cluster per RS version profile for the integration targets, run the targets, stop them.

    python tests/utils/itsims.py run SIMS_DIR COLL --bin BIN --python X.Y [--jobs N] [--split PROFILE=T1,T2]
                                     PROFILE [...] [-- ARGS]
    python tests/utils/itsims.py start SIMS_DIR CONFIG_FILE PROFILE [PROFILE ...]
    python tests/utils/itsims.py stop SIMS_DIR

`run` (what `make integration` calls) starts the simulators side by side (one `it-<profile>` state directory each),
copies the collection tree COLL once per profile, writes each copy's integration config with that one cluster, and
runs `BIN/ansible-test integration --local --python X.Y [ARGS]` in the copies, N at a time (most of a run is spent
waiting for the cluster and starting module processes, so profiles overlap well even on 2 cores). Each profile's
output goes to SIMS_DIR/it-<profile>/integration.log; the logs of failed profiles are printed at the end. Profiles that took
longest last time start first. Every target loops over `rs_clusters`, so it runs once per profile either way.
`--split PROFILE=T1,T2` runs targets T1 and T2 of a slow profile in a second run (`it-<profile>-b`, its own simulator
and copy) beside the others of that profile.

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


def launch_all(sims_dir, profiles, names=None):
    """Start one simulator per profile (state directory ``it-<name>``, ``names`` defaulting to the profiles); return
    the clusters (``profile``, ``url``, ``ca``, ``api``)."""
    config_path = os.path.join(sims_dir, 'start-config.json')
    os.makedirs(sims_dir, exist_ok=True)
    with open(config_path, 'w', encoding='utf-8') as handle:
        json.dump(START_CONFIG, handle)
    launched = []
    for profile, name in zip(profiles, names or profiles):
        state_dir = os.path.join(sims_dir, 'it-%s' % name)
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


def _copy_collection(coll, name, sims_dir):
    """A copy of the collection tree for run ``name`` (a profile, or a part of one):
    ``<collection root>.<SIMS_DIR's name>-<name>/ansible_collections/...`` (two SIMS_DIRs may share profiles)."""
    parts = os.path.normpath(coll).split(os.sep)
    root = os.sep.join(parts[:-3])  # above ansible_collections/<namespace>/<name>
    copy_root = '%s.%s-%s' % (root, os.path.basename(os.path.normpath(sims_dir)), name)
    shutil.rmtree(copy_root, ignore_errors=True)
    target = os.path.join(copy_root, *parts[-3:])
    shutil.copytree(coll, target, ignore=shutil.ignore_patterns('output'))
    return copy_root, target


def _run_profile(name, cluster, coll, bin_dir, python, args, sims_dir):
    """Run ansible-test for run ``name`` against ``cluster``; its output goes to SIMS_DIR/it-<name>/integration.log."""
    log_path = os.path.join(sims_dir, 'it-%s' % name, 'integration.log')
    copy_root, copy = _copy_collection(coll, name, sims_dir)
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


def plan(profiles, splits, args):
    """The runs: ``(name, profile, ansible-test arguments)``. A profile of ``splits`` (profile -> target names) runs
    as two, each against its own simulator: ``<profile>`` without those targets, ``<profile>-b`` with only them, so
    that its slowest targets overlap. Not when ``args`` name targets already."""
    runs = []
    for profile in profiles:
        targets = splits.get(profile)
        if targets and all(arg.startswith('-') for arg in args):
            runs.append((profile, profile, list(args) + [part for target in targets for part in ('--exclude', target)]))
            runs.append((profile + '-b', profile, list(args) + list(targets)))
        else:
            runs.append((profile, profile, list(args)))
    return runs


def run(sims_dir, coll, bin_dir, python, jobs, profiles, args, splits=None):
    """Run the integration targets against each profile, ``jobs`` runs at a time; 0 when all passed."""
    runs = plan(profiles, splits or {}, args)
    names = [name for name, dummy, dummy2 in runs]
    timings_path = os.path.join(sims_dir, 'timings.json')
    try:
        with open(timings_path, encoding='utf-8') as handle:
            timings = json.load(handle)
    except (OSError, ValueError):
        timings = {}
    try:
        clusters = launch_all(sims_dir, [profile for dummy, profile, dummy2 in runs], names)
    except simctl.SimulatorStartError as exc:
        sys.stderr.write('%s\n' % exc)
        stop(sims_dir)
        return 1
    jobs_of = dict((name, (cluster, run_args)) for (name, dummy, run_args), cluster in zip(runs, clusters))
    # The longest first, so that the slowest run does not start last.
    order = sorted(names, key=lambda name: -float(timings.get(name, 0)))
    results = {}
    started = time.monotonic()
    print('integration: %d profiles (%s) in %d runs, %d at a time; logs in %s/it-<run>/integration.log'
          % (len(profiles), ' '.join(profiles), len(runs), jobs, sims_dir), flush=True)
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = dict((pool.submit(_run_profile, name, jobs_of[name][0], coll, bin_dir, python, jobs_of[name][1],
                                        sims_dir), name)
                           for name in order)
            for future in concurrent.futures.as_completed(futures):
                name = futures[future]
                cluster = jobs_of[name][0]
                returncode, elapsed = future.result()
                results[name] = (returncode, elapsed)
                print('  %-8s %s in %5.1f s (%s, %s)' % (name, 'PASS' if returncode == 0 else 'FAIL',
                                                         elapsed, cluster['url'], cluster['api']), flush=True)
    finally:
        stop(sims_dir)
    timings.update((name, round(outcome[1], 1)) for name, outcome in results.items())
    with open(timings_path, 'w', encoding='utf-8') as handle:
        json.dump(timings, handle, indent=2)
    failed = [name for name in names if results.get(name, (1, 0))[0] != 0]
    for name in failed:
        log_path = os.path.join(sims_dir, 'it-%s' % name, 'integration.log')
        print('\n' + '=' * 30 + ' %s (run %s) ' % (log_path, name) + '=' * 30)
        with open(log_path, encoding='utf-8', errors='replace') as handle:
            sys.stdout.write(handle.read())
    print('integration: %d of %d runs passed in %.1f s%s' % (
        len(names) - len(failed), len(names), time.monotonic() - started,
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
        parser.add_argument('--split', action='append', default=[], metavar='PROFILE=TARGET,...',
                            help='run these targets of PROFILE against a second simulator, beside the others')
        opts = parser.parse_args(args)
        splits = {}
        for item in opts.split:
            profile, dummy, targets = item.partition('=')
            splits[profile] = [target for target in targets.split(',') if target]
        return run(os.path.abspath(opts.sims_dir), os.path.abspath(opts.coll), os.path.abspath(opts.bin), opts.python,
                   opts.jobs, opts.profiles, extra, splits)
    if len(argv) >= 4 and argv[0] == 'start':
        return start(os.path.abspath(argv[1]), argv[2], argv[3:])
    if len(argv) == 2 and argv[0] == 'stop':
        return stop(os.path.abspath(argv[1]))
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main())
