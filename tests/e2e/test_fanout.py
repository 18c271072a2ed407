# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Ansible fans out to many clusters: one inventory host per cluster, connection local, forks."""

from __future__ import annotations

import json
import sys
import textwrap

import pytest
import requests

from conftest import PASSWORD, PROFILES, USER, run_playbook, start_simulator

PLAYBOOK = textwrap.dedent('''\
    - name: Provision the same databases on every cluster
      hosts: clusters
      gather_facts: false
      tasks:
        - name: Provision and wait
          ansible.builtin.include_role:
            name: redis_enterprise.software.rs_provision
          vars:
            rs_provision_databases:
              - {name: fanout-a, memory_size: 100MB}
              - {name: fanout-b, memory_size: 200MB}

        - name: Save this cluster's results
          ansible.builtin.copy:
            content: "{{ {'url': rs_provision_url, 'results': rs_provision_results} | to_json }}"
            dest: "{{ results_dir }}/{{ inventory_hostname }}.json"
            mode: "0644"
          delegate_to: localhost
    ''')


@pytest.fixture
def clusters():
    sims = [start_simulator(speed=1.0) for dummy in range(3)]
    yield sims
    for sim in sims:
        sim.stop()


def write_inventory(path, sims, results_dir):
    hosts = {}
    for index, sim in enumerate(sims, start=1):
        hosts[f'cluster{index}'] = {
            'ansible_connection': 'local',
            'ansible_python_interpreter': sys.executable,
            'rs_provision_url': sim.url,
            'rs_provision_username': USER,
            'rs_provision_password': PASSWORD,
            'rs_provision_ca_path': sim.ca_path,
            'results_dir': str(results_dir),
        }
    path.write_text(json.dumps({'clusters': {'hosts': hosts}}))


def test_role_across_three_clusters_in_parallel(clusters, tmp_path):
    playbook = tmp_path / 'fanout.yml'
    playbook.write_text(PLAYBOOK)

    one = tmp_path / 'one.json'
    write_inventory(one, clusters[:1], tmp_path / 'one')
    (tmp_path / 'one').mkdir()
    single = run_playbook(str(playbook), inventory=str(one), extra_args=['--forks', '3'])
    assert single.returncode == 0, single.output

    for sim in clusters:
        sim.reset()
    three = tmp_path / 'three.json'
    write_inventory(three, clusters, tmp_path / 'three')
    (tmp_path / 'three').mkdir()
    parallel = run_playbook(str(playbook), inventory=str(three), extra_args=['--forks', '3'])
    assert parallel.returncode == 0, parallel.output

    # The waits run in parallel: three clusters take about as long as one.
    assert parallel.elapsed <= single.elapsed * 1.5 + 3, (single.elapsed, parallel.elapsed)

    # Results don't mix: each host reports the databases of its own cluster.
    for index, sim in enumerate(clusters, start=1):
        with open(tmp_path / 'three' / f'cluster{index}.json', encoding='utf-8') as handle:
            saved = json.load(handle)
        assert saved['url'] == sim.url
        names = sorted(entry['name'] for entry in saved['results'])
        assert names == ['fanout-a', 'fanout-b']
        assert all(entry['status'] == 'active' for entry in saved['results'])
        bdbs = requests.get(f'{sim.url}/v1/bdbs', auth=(USER, PASSWORD), verify=sim.ca_path, timeout=10).json()
        assert sorted((bdb['uid'], bdb['name']) for bdb in bdbs) == sorted((entry['uid'], entry['name']) for entry in saved['results'])


@pytest.fixture
def profile_clusters():
    sims = [start_simulator(speed=1.0, profile=profile) for profile in PROFILES]
    yield sims
    for sim in sims:
        sim.stop()


def test_role_on_every_profile_in_parallel(profile_clusters, tmp_path):
    """The role provisions and verifies the same databases on one cluster of each RS version profile at once."""
    playbook = tmp_path / 'fanout.yml'
    playbook.write_text(PLAYBOOK)
    inventory = tmp_path / 'profiles.json'
    write_inventory(inventory, profile_clusters, tmp_path / 'results')
    (tmp_path / 'results').mkdir()
    run = run_playbook(str(playbook), inventory=str(inventory), extra_args=['--forks', str(len(profile_clusters))])
    assert run.returncode == 0, run.output
    for index, sim in enumerate(profile_clusters, start=1):
        with open(tmp_path / 'results' / f'cluster{index}.json', encoding='utf-8') as handle:
            saved = json.load(handle)
        assert saved['url'] == sim.url, PROFILES[index - 1]
        assert sorted((entry['name'], entry['status']) for entry in saved['results']) == [
            ('fanout-a', 'active'), ('fanout-b', 'active')], (PROFILES[index - 1], saved)
