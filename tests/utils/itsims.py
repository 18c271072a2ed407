# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Start one simulated cluster per RS version profile for the integration targets, and stop them.

    python tests/utils/itsims.py start SIMS_DIR CONFIG_FILE PROFILE [PROFILE ...]
    python tests/utils/itsims.py stop SIMS_DIR

`start` launches the simulators side by side (one `it-<profile>` state directory each), waits until every one
accepts TLS connections, and writes the integration config: `rs_clusters` (one entry per profile: `profile`, `url`,
`ca`, and `api`, the actions API the collection reads there in auto mode), plus `rs_url`/`rs_ca_path` (the first
profile) and `rs_url_v1`/`rs_ca_path_v1` (the first profile without `/v2`) for targets that need one cluster.
"""

from __future__ import annotations

import glob
import json
import os
import sys

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


def start(sims_dir, config_file, profiles):
    config_path = os.path.join(sims_dir, 'start-config.json')
    os.makedirs(sims_dir, exist_ok=True)
    with open(config_path, 'w', encoding='utf-8') as handle:
        json.dump(START_CONFIG, handle)
    launched = []
    try:
        for profile in profiles:
            state_dir = os.path.join(sims_dir, 'it-%s' % profile)
            simctl.stop(state_dir, quiet=True)
            proc, url = simctl.launch(state_dir, SPEED, ['--profile', profile, '--config', config_path])
            with open(os.path.join(state_dir, 'pid'), 'w', encoding='utf-8') as handle:
                handle.write(str(proc.pid))
            launched.append(dict(profile=profile, url=url, ca=os.path.join(state_dir, 'ca.pem'),
                                 api='v1' if profile in V1_PROFILES else 'v2'))
    except simctl.SimulatorStartError as exc:
        sys.stderr.write('%s\n' % exc)
        stop(sims_dir)
        return 1
    first = launched[0]
    v1 = next((cluster for cluster in launched if cluster['api'] == 'v1'), first)
    config = dict(rs_clusters=launched, rs_url=first['url'], rs_ca_path=first['ca'], rs_url_v1=v1['url'],
                  rs_ca_path_v1=v1['ca'], rs_username=USERNAME, rs_password=PASSWORD)
    with open(config_file, 'w', encoding='utf-8') as handle:
        handle.write('---\n')
        json.dump(config, handle, indent=2)  # JSON is YAML
        handle.write('\n')
    for cluster in launched:
        print('%-8s %s (%s)' % (cluster['profile'], cluster['url'], cluster['api']))
    return 0


def stop(sims_dir):
    for state_dir in glob.glob(os.path.join(sims_dir, 'it-*')):
        simctl.stop(state_dir, quiet=True)
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) >= 4 and argv[0] == 'start':
        return start(os.path.abspath(argv[1]), argv[2], argv[3:])
    if len(argv) == 2 and argv[0] == 'stop':
        return stop(os.path.abspath(argv[1]))
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main())
