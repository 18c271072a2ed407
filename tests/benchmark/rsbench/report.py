# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Outputs: the Markdown table, results.json, results.png, the console summary and the block for the README."""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess

from . import ROOT
from .scenarios import SHORT, STRATEGIES

COLUMNS = ('latency', 'requests', 'wall', 'cpu')
HEADERS = ('Detection latency (s)', 'HTTP requests', 'Wall (s)', 'Controller CPU (s)')


def machine():
    cpu = 'unknown'
    try:
        with open('/proc/cpuinfo', encoding='utf-8') as handle:
            for line in handle:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        from ansible.release import __version__ as ansible_version  # pylint: disable=import-outside-toplevel
    except ImportError:
        ansible_version = 'not installed'
    try:
        commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT, capture_output=True, text=True,
                                check=False, timeout=10).stdout.strip() or None
    except OSError:
        commit = None
    return {
        'cpu': cpu,
        'cores': os.cpu_count(),
        'python': platform.python_version(),
        'ansible_core': ansible_version,
        'os': f'{platform.system()} {platform.release()}',
        'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
        'commit': commit,
    }


def machine_line(info, config):
    where = config.get('collection', 'working tree')
    source = f"commit {info['commit']} + working tree" if where == 'working tree' and info.get('commit') else where
    return (f"{info['cpu']}, {info['cores']} cores, Python {info['python']}, ansible-core {info['ansible_core']}, "
            f"{info['os']}, {info['date']}; simulator speed {config['speed']:g}, {config['reps']} repetitions, "
            f"{config['mode']}; collection: {source}")


def load_line(load):
    line = (f"Machine load during the run: the benchmark used {load['benchmark_share']:.0%} of the CPU, other processes "
            f"{load['others_share']:.0%} (load average before: {load['loadavg_before']:g}).")
    if not load['quiet']:
        line += ' WARNING: other work competed for the CPU; the figures are distorted. Rerun on a quiet machine.'
    return line


def fmt(stat, digits=2, integer=False):
    if not stat:
        return '—'
    form = (lambda v: f'{v:.0f}') if integer else (lambda v: f'{v:.{digits}f}')
    median, low, high = form(stat['median']), form(stat['min']), form(stat['max'])
    return median if low == high else f'{median} ({low}–{high})'


def _cells(row):
    if row['strategy'] == 'oracle':
        return ['0 (limit)', fmt(row['requests'], integer=True), fmt(row['wall'], 1), '—']
    cells = [fmt(row['latency']), fmt(row['requests'], integer=True), fmt(row['wall'], 1), fmt(row['cpu'], 1)]
    if row['failed']:
        cells[0] += f" ⚠ {row['failed']}/{row['runs']} runs failed"
    return cells


def markdown_table(table):
    lines = ['| Scenario | Strategy | ' + ' | '.join(HEADERS) + ' |', '|---|---|' + '---:|' * len(HEADERS)]
    previous = None
    for row in table:
        title = f"**{row['title']}**" if row['scenario'] != previous else ''
        previous = row['scenario']
        lines.append(f"| {title} | {row['label']} | " + ' | '.join(_cells(row)) + ' |')
    return '\n'.join(lines)


def text_table(table):
    header = ['scenario', 'strategy'] + list(HEADERS)
    body = [[row['scenario'], SHORT[row['strategy']]] + _cells(row) for row in table]
    widths = [max(len(str(r[i])) for r in [header] + body) for i in range(len(header))]
    out = ['  '.join(str(c).ljust(w) if i < 2 else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
           for r in [header] + body]
    out.insert(1, '-' * len(out[0]))
    return '\n'.join(out)


def verdict_lines(verdicts, smoke=False):
    lines = []
    for verdict in verdicts:
        word = 'n/a' if verdict.passed is None else ('PASS' if verdict.passed else 'FAIL')
        if smoke and verdict.passed is not None:
            word += ' (smoke: informational)'
        lines.append(f'{word}: {verdict.target}')
        lines.extend(f'    {detail}' for detail in verdict.details)
    return lines


METHOD = """\
Each strategy waits for the same scenario on its own simulated cluster (`tests/simulator`, speed 1: real durations;
each repetition shifts the durations by a different part of a 5 s cycle, so fixed-interval pollers are seen at
different phases). Detection latency = the moment the wait task returned (recorded by a callback plugin when
ansible-playbook hands the result over; for the Python loop, by the loop itself) minus the completion time the
simulator recorded for the last action. HTTP requests = the simulator's request log for that run, control requests
excluded. Wall = first action created until the wait returned (databases: first task started until the last
returned). Controller CPU = user + system time of the whole ansible-playbook process tree (for the Python loop: its
process), including ansible-playbook's own start-up (~1.3 s). Median of the repetitions, min–max in brackets.
Method and validation: tests/benchmark/README.md."""


def markdown(table, verdicts, info, config, smoke=False):
    parts = ['# Benchmark: waiting for Redis Enterprise actions', '',
             f'Machine: {machine_line(info, config)}.', '', load_line(config['load']), '', METHOD, '', markdown_table(table), '',
             '## Targets', '']
    parts += [f'- {line.strip()}' if not line.startswith('    ') else f'  - {line.strip()}' for line in verdict_lines(verdicts, smoke)]
    parts += ['', '## Strategies', '']
    parts += [f'- **{SHORT[key]}**: {label}' for key, label in STRATEGIES.items()]
    parts += ['', 'Reproduce: `make bench` (`.venv/bin/python tests/benchmark/run.py`); see tests/benchmark/README.md.', '']
    return '\n'.join(parts)


def readme_block(table, verdicts, info, config):
    lines = ['## Latest results', '',
             'Measured side by side against the simulated cluster (`make bench`, method in '
             '[tests/benchmark/README.md](tests/benchmark/README.md)). Median of '
             f"{config['reps']} runs, min–max in brackets; the oracle row is the physical limit: a waiter that knows "
             'when the action completes and returns at that instant after one request.', '',
             markdown_table(table), '', f'Machine: {machine_line(info, config)}. {load_line(config["load"])}', '', 'Targets:', '']
    for verdict in verdicts:
        word = 'n/a' if verdict.passed is None else ('PASS' if verdict.passed else 'FAIL')
        lines.append(f'- {word}: {verdict.target}')
    return '\n'.join(lines)


def write_json(path, samples, table, verdicts, info, config):
    with open(path, 'w', encoding='utf-8') as handle:
        json.dump({'machine': info, 'config': config, 'rows': table, 'targets': [v.to_dict() for v in verdicts],
                   'samples': [s.to_dict() for s in samples]}, handle, indent=1, default=str)


def chart(path, table, info, config):
    import matplotlib  # pylint: disable=import-outside-toplevel
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt  # pylint: disable=import-outside-toplevel
    from matplotlib.patches import Patch  # pylint: disable=import-outside-toplevel

    scenarios = []
    for row in table:
        if row['scenario'] not in [s for s, dummy in scenarios]:
            scenarios.append((row['scenario'], row['title']))
    strategies = [key for key in STRATEGIES if any(row['strategy'] == key for row in table)]
    colors = dict(zip(strategies, plt.get_cmap('tab20').colors))  # more strategies than tab10 has colours
    panels = (('latency', 'Detection latency (s, log scale)', True), ('requests', 'HTTP requests (log scale)', True),
              ('wall', 'Wall time (s)', False), ('cpu', 'Controller CPU (s)', False))
    fig, axes = plt.subplots(len(panels), 1, figsize=(max(12, 1.6 * len(scenarios)), 4.2 * len(panels)))
    width = 0.8 / max(1, len(strategies))
    for axis, (metric, label, log) in zip(axes, panels):
        for offset, strategy in enumerate(strategies):
            xs, heights, low, high = [], [], [], []
            for index, (key, dummy) in enumerate(scenarios):
                row = next((r for r in table if r['scenario'] == key and r['strategy'] == strategy), None)
                stat = row.get(metric) if row else None
                if not stat or (log and stat['min'] <= 0):
                    continue   # the oracle's 0 s latency has no place on a log scale
                xs.append(index + (offset - (len(strategies) - 1) / 2) * width)
                heights.append(stat['median'])
                low.append(stat['median'] - stat['min'])
                high.append(stat['max'] - stat['median'])
            if xs:
                axis.bar(xs, heights, width, yerr=[low, high], capsize=2, color=colors[strategy])
        axis.set_ylabel(label)
        if log:
            axis.set_yscale('log')
        axis.set_xticks(range(len(scenarios)))
        axis.set_xticklabels([title for dummy, title in scenarios], rotation=20, ha='right', fontsize=8)
        axis.grid(axis='y', alpha=0.3)
    handles = [Patch(color=colors[strategy], label=SHORT[strategy]) for strategy in strategies]
    fig.legend(handles=handles, loc='upper center', ncol=min(5, len(handles)), fontsize=8, bbox_to_anchor=(0.5, 0.965))
    fig.suptitle(f'redis_enterprise.software waiting vs what playbooks do today (median, bars: min-max; oracle latency = 0)\n'
                 f'{machine_line(info, config)}', fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 0.94))
    fig.savefig(path, dpi=110, format='png')
    plt.close(fig)
