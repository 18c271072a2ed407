# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Helpers to run a module's ``main()`` in-process with given arguments."""

from __future__ import annotations

import json

import pytest

from ansible_collections.redis_enterprise.software.tests.unit.plugins.module_args import patch_module_args, with_invocation


@pytest.fixture(autouse=True)
def module_side_of_ansible(monkeypatch):
    """Run modules as on a target host.

    Importing controller code (the action plugin's tests do) flips ansible-core 2.19's process-wide
    ``is_controller`` flag, after which module warnings go to the controller's display instead of the
    module result. Modules never run with that flag set, so the tests must not either.
    """
    try:
        from ansible.module_utils import _internal
    except ImportError:  # ansible-core < 2.19
        return
    monkeypatch.setattr(_internal, 'is_controller', False, raising=False)


@pytest.fixture
def run_module(capsys):
    """Run ``main`` with ``args``; return ``(failed, result)`` parsed from the module's JSON output."""

    def _run(main, args):
        with patch_module_args(with_invocation(args)):
            with pytest.raises(SystemExit) as exit_info:
                main()
        out = capsys.readouterr().out
        result = json.loads(out)
        failed = exit_info.value.code not in (0, None)
        if failed != bool(result.get('failed')):
            raise AssertionError('exit code %r does not match result %r' % (exit_info.value.code, result))
        return failed, result

    return _run
