# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""itsims.plan: which ansible-test runs `make integration` starts for the profiles and the splits."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import itsims  # noqa: E402  pylint: disable=wrong-import-position


@pytest.mark.parametrize('profiles, splits, args, expected', [
    (['latest', '7.4.0'], {}, [], [('latest', 'latest', []), ('7.4.0', '7.4.0', [])]),
    (['latest', '8.0.2'], {'8.0.2': ['rs_a', 'rs_b']}, ['-v'],
     [('latest', 'latest', ['-v']),
      ('8.0.2', '8.0.2', ['-v', '--exclude', 'rs_a', '--exclude', 'rs_b']),
      ('8.0.2-b', '8.0.2', ['-v', 'rs_a', 'rs_b'])]),
    # a split profile that is not run, or targets named by hand: no split
    (['latest'], {'8.0.2': ['rs_a']}, [], [('latest', 'latest', [])]),
    (['8.0.2'], {'8.0.2': ['rs_a']}, ['rs_database', '--continue-on-error'],
     [('8.0.2', '8.0.2', ['rs_database', '--continue-on-error'])]),
])
def test_plan(profiles, splits, args, expected):
    assert itsims.plan(profiles, splits, args) == expected
