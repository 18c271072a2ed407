# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark harness for redis_enterprise.software's waiting (see tests/benchmark/README.md)."""

from __future__ import annotations

import os

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH_DIR = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(BENCH_DIR))

USER = 'admin@example.com'
PASSWORD = 'sim-S3cret-pw'
