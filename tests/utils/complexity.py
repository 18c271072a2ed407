# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Print each plugin file's size and its largest classes and functions with their cyclomatic complexity.

    radon cc -j plugins | python tests/utils/complexity.py [--top 5]

Reads radon's JSON on stdin (``make complexity`` runs it). A ``!`` marks what exceeds the sizes the model
collections keep to: files over 400 lines, classes over 250 lines, functions over 60 lines or a complexity over 15.
"""

from __future__ import annotations

import argparse
import json
import sys

MAX_FILE_LINES = 400
MAX_CLASS_LINES = 250
MAX_FUNCTION_LINES = 60
MAX_COMPLEXITY = 15


def file_lines(path):
    with open(path, encoding='utf-8') as handle:
        return sum(1 for _line in handle)


def blocks(entries):
    """Every class, function and method once (radon lists methods both alone and inside their class)."""
    seen = set()
    for entry in entries:
        key = (entry['type'], entry.get('classname'), entry['name'], entry['lineno'])
        if key not in seen:
            seen.add(key)
            yield entry


def over(block, lines):
    if block['type'] == 'class':
        return lines > MAX_CLASS_LINES
    return lines > MAX_FUNCTION_LINES or block['complexity'] > MAX_COMPLEXITY


def report(data, top, out):
    for path in sorted(data):
        entries = data[path]
        if isinstance(entries, dict):  # radon could not parse the file
            out.write('%s  ERROR %s\n' % (path, entries.get('error')))
            continue
        size = file_lines(path)
        out.write('%s%s  %d lines\n' % ('! ' if size > MAX_FILE_LINES else '  ', path, size))
        ranked = sorted(blocks(entries), key=lambda block: (block['endline'] - block['lineno'] + 1, block['complexity']),
                        reverse=True)
        for block in ranked[:top]:
            lines = block['endline'] - block['lineno'] + 1
            name = '%s.%s' % (block['classname'], block['name']) if block.get('classname') else block['name']
            out.write('    %s%-8s %-48s %4d lines  complexity %2d\n'
                      % ('! ' if over(block, lines) else '  ', block['type'], name, lines, block['complexity']))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--top', type=int, default=5, help='how many classes and functions to show per file')
    args = parser.parse_args(argv)
    report(json.load(sys.stdin), args.top, sys.stdout)
    sys.stdout.write('Limits: files %d lines, classes %d lines, functions %d lines and complexity %d (! marks an excess).\n'
                     % (MAX_FILE_LINES, MAX_CLASS_LINES, MAX_FUNCTION_LINES, MAX_COMPLEXITY))


if __name__ == '__main__':
    main()
