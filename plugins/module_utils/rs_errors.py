# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""Typed exceptions raised by the Redis Enterprise Software REST client.

The client raises; a module reports the error once, at its edge (``rs_module.RSModule``), with
``error_message(exc)`` as the message and ``exc.to_result()`` as extra keys.
"""

from __future__ import annotations


class RSError(Exception):
    """Base class of every error the client raises.

    ``transient`` tells a retry loop whether trying again later may succeed
    (connection refused or reset, timeouts, 5xx, 429, an HTML page from a proxy).
    """

    transient = False

    def __init__(self, msg, status=None, error_code=None, description=None, url=None):
        super(RSError, self).__init__(msg)
        self.msg = msg
        self.status = status
        self.error_code = error_code
        self.description = description
        self.url = url

    def __str__(self):
        return self.msg

    def to_result(self):
        """Extra keys for ``fail_json``: never contains credentials."""
        result = {}
        if self.status is not None:
            result['status'] = self.status
        if self.error_code is not None:
            result['error_code'] = self.error_code
        if self.description is not None:
            result['description'] = self.description
        return result


class RSConfigError(RSError):
    """Invalid options, detected before any request is sent (permanent)."""


class RSConnectionError(RSError):
    """The cluster could not be reached: refused, reset, DNS (transient)."""

    transient = True


class RSTimeoutError(RSConnectionError):
    """The cluster did not answer within the request timeout (transient)."""


class RSTLSError(RSError):
    """The server certificate could not be verified (permanent)."""


class RSInvalidResponse(RSError):
    """A 2xx answer whose body is not the JSON RS sends: an HTML page from a
    proxy, a truncated or invalid document (transient)."""

    transient = True


class RSHTTPError(RSError):
    """The cluster answered with an HTTP error status.

    5xx and 429 are transient; other 4xx are permanent.
    """

    @property
    def transient(self):  # pylint: disable=invalid-overridden-method
        return self.status is not None and (self.status >= 500 or self.status == 429)


class RSAuthError(RSHTTPError):
    """401 (bad credentials) or 403 (the role lacks a permission)."""


class RSNotFound(RSHTTPError):
    """404: the URI or the object does not exist."""


class RSConflict(RSHTTPError):
    """409: the object is busy with another change, or a duplicate uid."""


def error_message(exc):
    """``str(exc)`` plus RS's ``error_code`` and ``description`` when the message does not show them yet."""
    msg = str(exc)
    extra = []
    error_code = getattr(exc, 'error_code', None)
    description = getattr(exc, 'description', None)
    if error_code and str(error_code) not in msg:
        extra.append('error_code: %s' % error_code)
    if description and str(description) not in msg:
        extra.append('description: %s' % description)
    if extra:
        msg = '%s (%s)' % (msg, '; '.join(extra))
    return msg
