# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The RS error the API answers with."""

from __future__ import annotations


class ApiError(Exception):
    """An RS error response: ``{"error_code": ..., "description": ...}`` with an HTTP status."""

    def __init__(self, status, code, description, headers=None):
        super().__init__(description)
        self.status = status
        self.code = code
        self.description = description
        self.headers = headers or {}

    @classmethod
    def from_bdb(cls, error):
        return cls(error.status, error.code, error.description)
