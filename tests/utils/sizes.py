#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Size of each plugin file, its largest classes and functions, and their cyclomatic complexity.

Aims (as the model collections): files under ~400 lines, classes under ~250, functions under ~60 lines with a
complexity under ~15. Complexity comes from radon when it is importable (``pip install radon`` in a private
venv); without it only the sizes are printed.

    python3 tests/utils/sizes.py [--top N] [paths...]     # default: plugins/
"""

from __future__ import annotations

import argparse
import ast
import importlib
import os
import sys

LIMITS = dict(file=400, ClassDef=250, FunctionDef=60, complexity=15)


def complexities(source):
    try:
        radon = importlib.import_module('radon.complexity')
    except ImportError:
        return {}
    result = {}
    for block in radon.cc_visit(source):
        result[(block.name, block.lineno)] = block.complexity
        for method in getattr(block, 'methods', []):
            result[(method.name, method.lineno)] = method.complexity
    return result


def blocks(path, top):
    with open(path, encoding='utf-8') as handle:
        source = handle.read()
    cc = complexities(source)
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            kind = 'ClassDef' if isinstance(node, ast.ClassDef) else 'FunctionDef'
            found.append((node.end_lineno - node.lineno + 1, kind, node.name, cc.get((node.name, node.lineno))))
    found.sort(key=lambda item: (-item[0], item[2]))
    shown = found[:top] + [item for item in found[top:] if (item[3] or 0) > LIMITS['complexity']]
    return len(source.splitlines()), shown


def files(paths):
    for path in paths:
        if os.path.isfile(path):
            yield path
            continue
        for folder, dummy, names in sorted(os.walk(path)):
            for name in sorted(names):
                if name.endswith('.py') and name != '__init__.py':
                    yield os.path.join(folder, name)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('paths', nargs='*', default=['plugins'])
    parser.add_argument('--top', type=int, default=3)
    args = parser.parse_args(argv)
    over = 0
    for path in files(args.paths):
        lines, found = blocks(path, args.top)
        flag = ' !' if lines > LIMITS['file'] else ''
        over += bool(flag)
        print('%-48s %5d lines%s' % (path, lines, flag))
        for size, kind, name, complexity in found:
            bad = size > LIMITS[kind] or (complexity or 0) > LIMITS['complexity']
            over += bad
            label = 'class' if kind == 'ClassDef' else 'def'
            shown = '-' if complexity is None else complexity
            print('    %-5s %-36s %4d lines  cc %s%s' % (label, name, size, shown, ' !' if bad else ''))
    print('%d above the aims (marked !)' % over)
    return 0


if __name__ == '__main__':
    sys.exit(main())
