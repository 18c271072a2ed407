# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The corpus: every action example of the RS docs pages and every captured response, through the normalizers.

Each file of ``fixtures/actions/`` holds one response body, the page (or the capture) it comes from (``source``,
``section``, ``origin``: documented, documented values, or captured), the normalizer that reads it, and the
normalized values expected, written by hand from the source (``runs_on``: the object ``filter_actions()`` counts
the action on).
"""

from __future__ import annotations

import copy
import json
import os

import pytest

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_actions import (
    ActionsAPI,
    filter_actions,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_normalize import (
    ACTION_KEYS,
    normalize_action,
    normalize_v1_list,
    normalize_v2_list,
)

CORPUS_DIR = os.path.join(os.path.dirname(__file__), 'fixtures', 'actions')
CORPUS = sorted(name for name in os.listdir(CORPUS_DIR) if name.endswith('.json'))


def load(name):
    with open(os.path.join(CORPUS_DIR, name)) as handle:
        return json.load(handle)


class OneRouteClient:
    def __init__(self, path, body):
        self.path = path
        self.body = body
        self.calls = []

    def get(self, path, params=None, timeout=None):
        self.calls.append(path)
        assert path == self.path
        return copy.deepcopy(self.body)


def normalize(case):
    body = copy.deepcopy(case['body'])
    normalizer = case['normalizer']
    if normalizer == 'v1_list':
        return normalize_v1_list(body)
    if normalizer == 'v2_list':
        return normalize_v2_list(body)
    if normalizer == 'v1_single':
        return [normalize_action(body, 'v1')]
    if normalizer == 'v2_single':
        return [normalize_action(body, 'v2')]
    if normalizer == 'v1_bdb':
        client = OneRouteClient(('v1', 'actions', 'bdb', case['bdb_uid']), body)
        actions = ActionsAPI(client, 'v1').list_for_object('bdb:%s' % case['bdb_uid'])
        assert len(client.calls) == 1
        return actions
    raise AssertionError('unknown normalizer %r in the corpus' % normalizer)


def test_corpus_is_not_empty_and_cites_its_sources():
    assert len(CORPUS) >= 9
    for name in CORPUS:
        case = load(name)
        assert case['origin'] in ('documented', 'documented values', 'captured'), name
        assert case['source'].startswith(('redis/docs@', 'redis-developer/redis-enterprise-rs@')), name
        assert case['section'] and case['expected'], name


@pytest.mark.parametrize('name', CORPUS)
def test_corpus_normalizes_as_expected(name):
    case = load(name)
    actions = normalize(case)
    assert len(actions) == len(case['expected'])
    for action, expected in zip(actions, case['expected']):
        expected = dict(expected)
        runs_on = expected.pop('runs_on')
        assert set(action) == set(ACTION_KEYS)
        assert dict((key, value) for key, value in action.items() if key != 'raw') == expected, action['action_uid']
        assert isinstance(action['raw'], dict) and action['raw']['action_uid'] == expected['action_uid']
        # the object the action counts for in object mode, and no other
        assert filter_actions([action], object_name=runs_on) == [action]
        other = 'node:999' if runs_on.startswith('bdb:') else 'bdb:999'
        assert filter_actions([action], object_name=other) == []


@pytest.mark.parametrize('name', CORPUS)
def test_corpus_normalizing_does_not_change_the_body(name):
    case = load(name)
    before = copy.deepcopy(case['body'])
    normalize(case)
    assert case['body'] == before
