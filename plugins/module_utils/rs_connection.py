# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the content of this file may change in any release.

"""The connection options and the cluster's URL, checked before any request.

* ``connection_argument_spec()``: the options every module shares (documented by the
  ``redis_enterprise.software.connection`` doc fragment), with the option types ``URL_TYPE``, ``FINITE_INT`` and
  ``FINITE_FLOAT``.
* ``resolve_validate_certs()``, ``parse_base_url()``, ``check_ca_path()``, ``check_credentials()`` and
  ``check_request_timeout()`` refuse what cannot work with an ``RSConfigError`` that names the fix.
* ``url_secrets()``, ``mask_url_credentials()`` and ``strip_credentials()`` keep credentials written into a URL out
  of every output.

``rs_client`` re-exports the public names of this file.
"""

from __future__ import annotations

import math
import os
import re
import ssl
from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback
from ansible.module_utils.common.validation import check_type_float, check_type_int, check_type_str

from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import RSConfigError

ENV_URL = 'REDIS_ENTERPRISE_URL'
ENV_USER = 'REDIS_ENTERPRISE_USER'
ENV_PASSWORD = 'REDIS_ENTERPRISE_PASSWORD'
ENV_INSECURE = 'REDIS_ENTERPRISE_INSECURE'
ENV_CA_PATH = 'REDIS_ENTERPRISE_CA_PATH'

DEFAULT_REQUEST_TIMEOUT = 30.0
# A timeout override (for example the budget a wait loop has left) is clamped to at least this.
MIN_REQUEST_TIMEOUT = 0.01
# No single request of the RS REST API needs more (its long work runs as actions, which the waits follow).
MAX_REQUEST_TIMEOUT = 3600
INSECURE_TRUE_VALUES = ('true', '1', 'yes')
# What replaces a secret in a text.
REDACTED = '********'


def mask_url_credentials(url):
    """``url`` with anything between ``scheme://`` and the last ``@`` replaced by ``********``.

    Applied when the options are validated, so credentials written into the url never reach ``module_args``
    (``-vvv``, the log file) even when another option fails validation first. The client then refuses the
    url anyway (credentials belong in ``username``/``password``); nothing of them is kept.
    """
    if not isinstance(url, str) or '@' not in url:
        return url
    prefix, rest = url.split('://', 1) if '://' in url else ('', url)
    host = rest.rsplit('@', 1)[1]
    return '%s%s@%s' % (prefix + '://' if prefix else '', REDACTED, host)


class _URLType(str):
    """The type of the ``url`` option: equal to ``'str'`` (what the documentation, ``ansible-doc`` and
    validate-modules see) and callable, so ``AnsibleModule`` and ``ArgumentSpecValidator`` use it as the type
    checker: a string, with credentials masked before any output can show them.

    ``no_log`` would hide the whole url (and every message naming the cluster); ``no_log_values`` added after
    ``AnsibleModule()`` returns come too late, because a failed validation ends the module inside it.
    """

    __slots__ = ()

    def __call__(self, value, **kwargs):
        return mask_url_credentials(check_type_str(value, allow_conversion=True, **kwargs))


URL_TYPE = _URLType('str')


class _FiniteNumberType(str):
    """``'int'`` or ``'float'`` for the documentation and validate-modules, and, as the type checker, ansible's own
    conversion that refuses infinity and NaN with a clear message. (``check_type_int`` lets an ``OverflowError``
    escape for ``.inf``: a traceback instead of an error naming the option.)"""

    __name__ = property(str.__str__)   # what ansible's message calls the wanted type: int or float

    def __call__(self, value, **kwargs):
        number = value
        if isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                number = 0.0
        if isinstance(number, float) and (math.isinf(number) or math.isnan(number)):
            raise TypeError('%s is not a finite number' % value)
        return (check_type_int if self == 'int' else check_type_float)(value)


# Number types for options: e.g. dict(type=FINITE_FLOAT) documents as float and refuses .inf/.nan.
FINITE_INT = _FiniteNumberType('int')
FINITE_FLOAT = _FiniteNumberType('float')


def connection_argument_spec():
    """Return a fresh dict with the connection options shared by every module."""
    return dict(
        url=dict(type=URL_TYPE, fallback=(env_fallback, [ENV_URL])),
        username=dict(type='str', aliases=['user'], fallback=(env_fallback, [ENV_USER])),
        password=dict(type='str', no_log=True, fallback=(env_fallback, [ENV_PASSWORD])),
        # None means "not set": resolve_validate_certs() then looks at REDIS_ENTERPRISE_INSECURE.
        validate_certs=dict(type='bool'),
        ca_path=dict(type='path', fallback=(env_fallback, [ENV_CA_PATH])),
        request_timeout=dict(type=FINITE_FLOAT, default=DEFAULT_REQUEST_TIMEOUT),
    )


def resolve_validate_certs(validate_certs, environ=None):
    """Effective ``validate_certs``: the option when set, else ``True`` unless
    ``REDIS_ENTERPRISE_INSECURE`` is ``true``, ``1`` or ``yes`` (case-insensitive)."""
    if validate_certs is not None:
        return bool(validate_certs)
    environ = os.environ if environ is None else environ
    insecure = environ.get(ENV_INSECURE)
    if insecure is not None and str(insecure).strip().lower() in INSECURE_TRUE_VALUES:
        return False
    return True


def host_for_url(hostname):
    """``hostname`` as a URL writes it: an IPv6 address in brackets."""
    return '[%s]' % hostname if ':' in hostname else hostname


def _url_scheme(url):
    """The scheme of ``url`` (a stripped string) in lowercase; ``RSConfigError`` for a url without ``://``, with
    another scheme than https or http, or with credentials."""
    if '://' not in url:
        # Also catches "user:password@host": nothing of the value is repeated.
        raise RSConfigError(
            'url must start with https:// (or http://) and name the host and port only, for example '
            'https://cluster.example.com:9443')
    scheme = url.split('://', 1)[0].lower()
    if scheme not in ('https', 'http'):
        raise RSConfigError(
            'url scheme %r is not supported: use https://host:port, for example https://cluster.example.com:9443'
            % scheme[:20])
    if '@' in url:
        raise RSConfigError(
            'url must not contain credentials (user:password@): give only scheme://host:port and set the '
            'username and password options (%s / %s) instead' % (ENV_USER, ENV_PASSWORD))
    return scheme


def parse_base_url(url):
    """Validate ``url`` and return ``(base_url, scheme, host, port)``.

    ``base_url`` is ``scheme://host[:port]`` (without a trailing slash). Raises ``RSConfigError``
    with a message that never repeats credentials found in the URL.
    """
    if url is None or not str(url).strip():
        raise RSConfigError(
            'url is required: set the url option or the %s environment variable, for example '
            'https://cluster.example.com:9443' % ENV_URL)
    url = str(url).strip()
    scheme = _url_scheme(url)
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        port = parts.port
    except ValueError:
        raise RSConfigError(
            'url is not a valid URL (check the host and the port): give only scheme://host:port, for example '
            'https://cluster.example.com:9443') from None
    if not hostname:
        raise RSConfigError(
            'url has no host: give only scheme://host:port, for example https://cluster.example.com:9443')
    if parts.path not in ('', '/') or parts.query or parts.fragment or '?' in url or '#' in url:
        raise RSConfigError(
            'url must not contain a path, a query or a fragment: give only scheme://host:port, for example '
            'https://cluster.example.com:9443 (the collection adds /v1/... itself)')
    if port is None:
        port = 443 if scheme == 'https' else 80
        netloc = host_for_url(hostname)
    else:
        netloc = '%s:%d' % (host_for_url(hostname), port)
    return '%s://%s' % (scheme, netloc), scheme, hostname, port


def check_credentials(username, password):
    """Refuse a missing ``username`` or ``password``."""
    if not username:
        raise RSConfigError(
            'username is required: set the username option (alias user) or the %s environment variable' % ENV_USER)
    if not password:
        raise RSConfigError(
            'password is required: set the password option or the %s environment variable' % ENV_PASSWORD)


def check_request_timeout(request_timeout):
    """``request_timeout`` as a float (``DEFAULT_REQUEST_TIMEOUT`` for None); ``RSConfigError`` unless it is a
    finite number of seconds greater than 0 and at most ``MAX_REQUEST_TIMEOUT``."""
    if request_timeout is None:
        return DEFAULT_REQUEST_TIMEOUT
    try:
        request_timeout = float(request_timeout)
    except (TypeError, ValueError):
        raise RSConfigError('request_timeout must be a number of seconds greater than 0') from None
    if not math.isfinite(request_timeout) or request_timeout <= 0:   # NaN and infinities too
        raise RSConfigError('request_timeout must be a number of seconds greater than 0')
    if request_timeout > MAX_REQUEST_TIMEOUT:   # 1e300 would overflow the socket's timeout (a traceback)
        raise RSConfigError('request_timeout must be at most %d seconds (one request); got %g: a wait longer than '
                            'that is the timeout of the wait' % (MAX_REQUEST_TIMEOUT, request_timeout))
    return request_timeout


def check_ca_path(ca_path):
    """Refuse, before any request, a ``ca_path`` that cannot work: missing, unreadable, or a file without a PEM
    certificate (``ssl.create_default_context(cafile=...)`` loads it as the request would)."""
    where = 'ca_path %s (%s)' % (ca_path, ENV_CA_PATH)
    if not os.path.exists(ca_path):
        raise RSConfigError('%s does not exist: give the path of the PEM file of the CA that signed the '
                            "cluster's certificate" % where)
    if os.path.isdir(ca_path):
        try:
            os.listdir(ca_path)
        except OSError:
            raise RSConfigError('%s is a directory that cannot be read: check its permissions' % where) from None
        return
    try:
        with open(ca_path, 'rb') as handle:
            handle.read(1)
    except OSError:
        raise RSConfigError('%s cannot be read: check its permissions (the user that runs the module must be '
                            'able to read it)' % where) from None
    try:
        ssl.create_default_context(cafile=ca_path)
    except (ssl.SSLError, ValueError, OSError):
        raise RSConfigError(
            '%s holds no usable PEM certificate: give a PEM file (text with -----BEGIN CERTIFICATE-----) of the CA '
            "that signed the cluster's certificate, for example the proxy_cert or the CA of the cluster's api "
            'certificate' % where) from None


def strip_credentials(proxy):
    """``scheme://host:port`` of a proxy URL, without its credentials (or ``None``)."""
    try:
        parts = urlsplit(proxy if '://' in proxy else 'http://' + proxy)
        host, port = parts.hostname, parts.port
    except (TypeError, ValueError, AttributeError):
        return None
    if not host:
        return None
    return '%s://%s%s' % (parts.scheme, host_for_url(host), ':%d' % port if port else '')


def url_secrets(url):
    """The credentials embedded in ``url`` (``user:password@``, with or without a scheme), to hide them from every
    output; the same part of the url that ``mask_url_credentials()`` masks."""
    if not isinstance(url, str) or '@' not in url:
        return []
    rest = url.split('://', 1)[1] if '://' in url else url
    if '@' not in rest:
        return []
    userinfo = rest.rsplit('@', 1)[0]
    secrets = [userinfo]
    if ':' in userinfo:
        secrets.append(userinfo.split(':', 1)[1])
    return [secret for secret in secrets if secret]


# Keys whose values are secrets wherever they appear in a dict option (``config`` of rs_database, ``params`` of
# rs_database_action): RS's authentication_redis_pass, authentication_sasl_pass, authentication_admin_pass, the
# secret_access_key, account_key, private_key or credentials of a backup or import location, ...
SECRET_KEY_RE = re.compile(r'(?:\A|_)(?:pass|passwd|password|passwords|passphrase|secret|secret_key|'
                           r'secret_access_key|access_key_secret|account_key|private_key|credentials|token)\Z',
                           re.IGNORECASE)


# A value that is a URL with credentials (no whitespace: not a sentence that mentions one).
_URL_WITH_USERINFO = re.compile(r'\A[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#]*@\S*\Z')


def _secret_leaves(value, under_secret=False, depth=0):
    """The non-empty strings of ``value`` that sit under a secret-looking key (nested dicts and lists), and the
    credentials written into URLs anywhere in it."""
    found = []
    if depth > 32:
        return found
    if isinstance(value, dict):
        for key, item in value.items():
            found += _secret_leaves(item, under_secret or bool(SECRET_KEY_RE.search(str(key))), depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value:
            found += _secret_leaves(item, under_secret, depth + 1)
    elif under_secret and isinstance(value, str) and value:
        found.append(value)
    elif isinstance(value, str) and _URL_WITH_USERINFO.match(value):
        found += url_secrets(value)  # ftp://user:password@host/ of an export_location, a dataset_import_sources uri
    return found


def answer_secrets(data):
    """The secrets RS echoes in an answer, as a module's result holds it (``database``, ``databases``, ``diff``):
    the values under secret-looking keys (``authentication_redis_pass``, ...) and credentials written into URLs
    (``sync_sources[].uri``). Hidden from the output like the options' secrets."""
    if not isinstance(data, (dict, list)):
        return set()
    return set(_secret_leaves(data))


def option_secrets(params):
    """What no output may show of a module's raw or validated options: the credentials written into ``url`` and
    the values under secret-looking keys of its dict options (``config.authentication_redis_pass``), and
    credentials written into URLs there (``params.export_location.url``). The
    ``password`` option is ``no_log`` already."""
    if not isinstance(params, dict):
        return set()
    hidden = set(url_secrets(params.get('url')))
    for name, value in params.items():
        if isinstance(value, (dict, list)):
            hidden.update(_secret_leaves(value))
    return hidden
