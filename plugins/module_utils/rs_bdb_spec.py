# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""The words of a database (bdb) and the checks of its options, before any request is sent. No I/O.

* ``parse_memory_size()`` turns ``100MB``, ``1.5GB``, ``512mb``, ``100MiB`` or plain digits into bytes.
  Every unit is **binary**: ``1KB = 1024``, ``1MB = 1024**2``, ``1GB = 1024**3``, ``1TB = 1024**4``
  (the RS UI shows GB meaning GiB), and ``KiB``/``MiB``/``GiB``/``TiB`` are accepted as synonyms.
* ``validate_name()`` applies the RS name rule; ``validate_bdb_uid()`` the uid rule (``validate_positive_int()``);
  ``validate_config()`` and ``validate_params()`` check the other options of ``rs_database``.
* ``compute_changes()`` compares the wanted fields with a bdb object and returns only the differing ones;
  ``diff_view()`` and ``planned_update()`` show them.
* ``DuplicateNameError``, ``LOOKUP_FIELDS``, ``same_uid()`` and ``response_action_uid()``: the lookup by name and
  the answers to writes, shared by ``rs_bdb`` and ``rs_operations``.
"""

from __future__ import annotations

import copy
import math
import re
from decimal import Decimal, InvalidOperation

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSConfigError, RSError

NAME_MAX_LENGTH = 63
# Matched whole (\Z, not $): YAML's folded scalars (name: >) end with a newline, which $ would let through.
_NAME_RE = re.compile(r'\A[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\Z')

_KIB = 1024
_UNITS = {
    '': 1, 'b': 1, 'byte': 1, 'bytes': 1,
    'k': _KIB, 'kb': _KIB, 'kib': _KIB,
    'm': _KIB ** 2, 'mb': _KIB ** 2, 'mib': _KIB ** 2,
    'g': _KIB ** 3, 'gb': _KIB ** 3, 'gib': _KIB ** 3,
    't': _KIB ** 4, 'tb': _KIB ** 4, 'tib': _KIB ** 4,
}
_SIZE_RE = re.compile(r'\A\s*(\d+(?:\.\d*)?|\.\d+)\s*([A-Za-z]*)\s*\Z')
# The smallest database RS creates is 1 MiB (it refuses smaller sizes, or rounds them up to the shard minimum).
MEMORY_SIZE_MIN = _KIB ** 2
# No RS cluster holds a petabyte of database memory (RAM and flash together): a larger size is a typo (1e30, a
# wrong unit), refused before RS tries to place it.
MEMORY_SIZE_MAX = _KIB ** 5
# Deepest nesting of config values: RS's bdb fields nest at most 3 or 4 levels (e.g. module_list[].module_args).
CONFIG_MAX_DEPTH = 16

# Keys of ``config`` that have their own option (or must not be changed through config).
RESERVED_CONFIG_KEYS = ('name', 'uid', 'memory_size')

# Fields requested when looking a name up.
LOOKUP_FIELDS = 'uid,name,status'


class DuplicateNameError(RSError):
    """Several databases carry the requested name; ``uids`` lists them."""

    def __init__(self, msg, uids):
        super(DuplicateNameError, self).__init__(msg)
        self.uids = list(uids)

    def to_result(self):
        result = super(DuplicateNameError, self).to_result()
        result['uids'] = list(self.uids)
        return result


# ---------------------------------------------------------------------- validation


def parse_memory_size(value):
    """Return ``value`` in bytes (an int > 0).

    Accepts an int, or a string of digits (optionally with a decimal part) followed by an optional
    unit: ``B``, ``K``/``KB``/``KiB``, ``M``/``MB``/``MiB``, ``G``/``GB``/``GiB``, ``T``/``TB``/``TiB``
    (case-insensitive, spaces allowed). All units are binary: ``1GB == 1GiB == 1024**3`` bytes.
    The result must be a whole number of bytes (``1.5GB`` is, ``1.5`` is not) between ``MEMORY_SIZE_MIN``
    (1 MiB) and ``MEMORY_SIZE_MAX`` (1 PiB). Raises ``RSConfigError``.
    """
    number, unit = _size_number_and_unit(value)
    return _whole_bytes(value, number * _UNITS[unit])


def _size_number_and_unit(value):
    """``(number, unit)`` of a size given as an int, a float or a string: a ``Decimal`` and a key of ``_UNITS``."""
    if value is None or isinstance(value, bool):
        raise RSConfigError('memory_size must be a size such as 1073741824, 100MB or 1GB, not %r' % (value,))
    if isinstance(value, int):
        return Decimal(value), ''
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise RSConfigError('memory_size must be a finite size, not %r' % (value,))
        return Decimal(repr(value)), ''
    if isinstance(value, str):
        return _size_text_parts(value)
    raise RSConfigError('memory_size must be a size such as 1073741824, 100MB or 1GB, not a %s' % type(value).__name__)


def _size_text_parts(value):
    """``(number, unit)`` of a size written as text (``100MB``, `` 1.5 gib``, ``512``)."""
    match = _SIZE_RE.match(value)
    if not match:
        if value.strip().startswith('-'):
            raise RSConfigError('memory_size must be greater than 0, not %r' % value)
        raise RSConfigError(
            'memory_size %r is not a size: use bytes (1073741824) or a number with a binary unit such as '
            '100MB, 512mb, 1.5GB or 100MiB' % value)
    try:
        number = Decimal(match.group(1))
    except InvalidOperation:  # pragma: no cover - the pattern only lets valid numbers through
        raise RSConfigError('memory_size %r is not a size' % value) from None
    unit = match.group(2).lower()
    if unit not in _UNITS:
        raise RSConfigError(
            'memory_size %r has an unknown unit %r: use B, KB, MB, GB or TB (binary: 1GB = 1024^3 bytes; '
            'KiB, MiB, GiB and TiB are accepted too)' % (value, match.group(2)))
    return number, unit


def _whole_bytes(value, exact):
    """``exact`` (the size of ``value`` in bytes, a ``Decimal``) as an int: whole, within the limits."""
    if exact <= 0:
        raise RSConfigError('memory_size must be greater than 0 bytes, got %r' % (value,))
    if exact != exact.to_integral_value():
        raise RSConfigError(
            'memory_size %r is not a whole number of bytes (%s): give bytes as an integer, or a size with a unit '
            'such as 100MB or 1.5GB' % (value, format(exact.normalize(), 'f')))
    if exact < MEMORY_SIZE_MIN:
        raise RSConfigError('memory_size %r is %d bytes: RS databases need at least 1MB (%d bytes)'
                            % (value, int(exact), MEMORY_SIZE_MIN))
    if exact > MEMORY_SIZE_MAX:
        raise RSConfigError('memory_size %r is larger than 1024TB (1 PiB), which no RS cluster can place: check the '
                            'number and its unit (binary: 1GB = 1024^3 bytes)' % (value,))
    return int(exact)


def validate_name(name):
    """Check the RS database name rule; return the name or raise ``RSConfigError``."""
    if not isinstance(name, str) or not name:
        raise RSConfigError('name must be a non-empty string')
    if len(name) > NAME_MAX_LENGTH:
        raise RSConfigError('name %r is %d characters long: RS allows at most %d' % (name, len(name), NAME_MAX_LENGTH))
    if not _NAME_RE.match(name):
        raise RSConfigError(
            'name %r is not a valid database name: use only letters, digits and hyphens, starting and ending with '
            'a letter or a digit (at most %d characters)' % (name, NAME_MAX_LENGTH))
    return name


def validate_positive_int(value, what, hint=''):
    """Return ``value`` as an int >= 1, written whole (no sign, space, newline or leading zero); raise
    ``RSConfigError`` saying ``<what> must be a positive integer<hint>`` otherwise."""
    message = '%s must be a positive integer%s, not %r' % (what, hint, value)
    if isinstance(value, bool):
        raise RSConfigError(message)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise RSConfigError(message) from None
    if number < 1 or str(number) != str(value):
        raise RSConfigError(message)
    return number


def validate_bdb_uid(uid):
    """Return ``uid`` as an int >= 1 (or ``None``); raise ``RSConfigError`` otherwise."""
    return None if uid is None else validate_positive_int(uid, 'uid')


def validate_config(config):
    """Return a copy of ``config`` (a dict, may be ``None``); reject keys that have their own option."""
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise RSConfigError('config must be a dictionary of bdb fields')
    for key in config:
        if not isinstance(key, str) or not key:
            raise RSConfigError('config keys must be non-empty strings, got %r' % (key,))
    reserved = sorted(k for k in config if k in RESERVED_CONFIG_KEYS)
    if reserved:
        raise RSConfigError(
            'config must not contain %s: use the option(s) of the same name instead' % ', '.join(reserved))
    _check_config_value(config, 'config', 0)
    return copy.deepcopy(config)


def _check_config_value(value, where, depth):
    """Refuse what JSON cannot carry to RS (infinity, NaN) and absurd nesting, naming the field."""
    if depth > CONFIG_MAX_DEPTH:
        raise RSConfigError('%s is nested more than %d levels deep: RS fields never are' % (where, CONFIG_MAX_DEPTH))
    if isinstance(value, float) and (math.isinf(value) or math.isnan(value)):
        raise RSConfigError('%s must be a finite number, not %r' % (where, value))
    if isinstance(value, dict):
        for key, item in value.items():
            _check_config_value(item, '%s.%s' % (where, key), depth + 1)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _check_config_value(item, '%s[%d]' % (where, index), depth + 1)


UPDATE_PASSWORD_CHOICES = ('on_create', 'always')


def validate_params(name, state='present', memory_size=None, config=None, uid=None, update_password='on_create'):
    """Validate the module options before any request; return a dict of normalised values."""
    if state not in ('present', 'absent'):
        raise RSConfigError('state must be present or absent, not %r' % (state,))
    if update_password is None:
        update_password = 'on_create'
    if update_password not in UPDATE_PASSWORD_CHOICES:
        raise RSConfigError('update_password must be on_create or always, not %r' % (update_password,))
    return dict(
        name=validate_name(name),
        state=state,
        memory_size=None if memory_size is None else parse_memory_size(memory_size),
        config=validate_config(config),
        uid=validate_bdb_uid(uid),
        update_password=update_password,
    )


# ---------------------------------------------------------------------- comparison


def values_equal(wanted, current):
    """Compare a wanted value with the value RS returned.

    Dicts compare only the keys of ``wanted`` that RS returned (extra keys in ``current`` are read-only
    details); lists compare element by element, in order; booleans never equal numbers; ints equal
    floats of the same value.
    """
    if isinstance(wanted, dict):
        if not isinstance(current, dict):
            return False
        return all(values_equal(v, current[k]) for k, v in wanted.items() if k in current)
    if isinstance(wanted, (list, tuple)):
        if not isinstance(current, (list, tuple)) or len(wanted) != len(current):
            return False
        return all(values_equal(w, c) for w, c in zip(wanted, current))
    if isinstance(wanted, bool) or isinstance(current, bool):
        return isinstance(wanted, bool) and isinstance(current, bool) and wanted == current
    return wanted == current


def desired_fields(memory_size=None, config=None):
    """The fields the module manages: ``config`` plus ``memory_size`` when given."""
    fields = copy.deepcopy(config) if config else {}
    if memory_size is not None:
        fields['memory_size'] = memory_size
    return fields


def compute_changes(current, wanted):
    """Compare ``wanted`` (field -> value) with the bdb object ``current``.

    Returns ``(changes, unreturned)``: ``changes`` holds only the fields whose value differs (the PUT
    payload); ``unreturned`` lists the wanted keys RS does not return (write-only fields such as
    passwords), which cannot be compared and are therefore neither compared nor sent.
    """
    changes = {}
    unreturned = []
    for key in sorted(wanted):
        if key not in current:
            unreturned.append(key)
            continue
        if not values_equal(wanted[key], current[key]):
            changes[key] = copy.deepcopy(wanted[key])
    return changes, unreturned


def changes_to_send(current, wanted, update_password='on_create'):
    """The fields of ``wanted`` an update sends: those that differ from ``current``, plus, with
    ``update_password='always'``, those RS never returns (passwords), which cannot be compared."""
    changes, unreturned = compute_changes(current, wanted)
    if update_password == 'always':
        for key in unreturned:
            changes[key] = copy.deepcopy(wanted[key])
    return changes


def diff_view(current, wanted):
    """``before``/``after`` of the compared fields (``name`` plus the wanted keys RS returned)."""
    before = {'name': current.get('name')}
    for key in sorted(wanted):
        if key in current:
            before[key] = copy.deepcopy(current[key])
    after = copy.deepcopy(before)
    changes, dummy = compute_changes(current, wanted)
    after.update(changes)
    return before, after


def planned_update(current, changes):
    """The bdb object ``current`` with ``changes`` applied (copies): what an update would make of it."""
    planned = copy.deepcopy(current)
    planned.update(copy.deepcopy(changes))
    return planned


# ---------------------------------------------------------------------- lookup and answers


def same_uid(left, right):
    return left is not None and right is not None and str(left) == str(right)


def response_action_uid(response):
    """The ``action_uid`` of RS's answer to a database write (as a string), or None."""
    if isinstance(response, dict):
        value = response.get('action_uid')
        if value not in (None, ''):
            return str(value)
    return None
