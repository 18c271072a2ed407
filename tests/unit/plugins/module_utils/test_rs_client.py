# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import base64
import json
import socket
from unittest import mock

import pytest
import requests

from ansible.module_utils.basic import env_fallback

from ansible_collections.redis_enterprise.software.plugins.module_utils import rs_client
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_client import (
    RSClient,
    connection_argument_spec,
    parse_base_url,
    resolve_validate_certs,
)
from ansible_collections.redis_enterprise.software.plugins.module_utils.rs_errors import (
    RSAuthError,
    RSConfigError,
    RSConflict,
    RSConnectionError,
    RSError,
    RSHTTPError,
    RSInvalidResponse,
    RSNotFound,
    RSTimeoutError,
    RSTLSError,
)

URL = 'https://cluster.example.com:9443'
# A real PEM bundle (ca_path is checked before any request): the one requests itself trusts.
CA_BUNDLE = requests.certs.where()
USER = 'admin@example.com'
PASSWORD = 'S3cr3t-pa55word'
BASIC_TOKEN = base64.b64encode(('%s:%s' % (USER, PASSWORD)).encode()).decode()


class FakeResponse:
    def __init__(self, status_code=200, body=b'', content_type='application/json'):
        self.status_code = status_code
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode('utf-8')
        self.content = body
        self.headers = {'Content-Type': content_type} if content_type else {}


class FakeSession:
    """Stands in for requests.Session: records calls, answers from a queue (or raises)."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []

    def request(self, method, url, **kwargs):
        self.calls.append(dict(method=method, url=url, **kwargs))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, BaseException):
            raise answer
        return answer


def make_client(*answers, **kwargs):
    session = FakeSession(*(answers or (FakeResponse(200, {}),)))
    params = dict(username=USER, password=PASSWORD, session=session)
    params.update(kwargs)
    return RSClient(params.pop('url', URL), **params), session


def raised(client_call):
    with pytest.raises(RSError) as info:
        client_call()
    return info.value


def assert_no_secret(error):
    texts = [str(error), error.msg, repr(error.args), json.dumps(error.to_result()), str(error.url)]
    for text in texts:
        assert PASSWORD not in text
        assert BASIC_TOKEN not in text


@pytest.fixture(autouse=True)
def clean_rs_environment(monkeypatch):
    for name in ('REDIS_ENTERPRISE_URL', 'REDIS_ENTERPRISE_USER', 'REDIS_ENTERPRISE_PASSWORD',
                 'REDIS_ENTERPRISE_INSECURE', 'REDIS_ENTERPRISE_CA_PATH'):
        monkeypatch.delenv(name, raising=False)


# ---------------------------------------------------------------- argument spec


def test_argument_spec_exact():
    spec = connection_argument_spec()
    assert spec == {
        'url': dict(type='str', fallback=(env_fallback, ['REDIS_ENTERPRISE_URL'])),
        'username': dict(type='str', aliases=['user'], fallback=(env_fallback, ['REDIS_ENTERPRISE_USER'])),
        'password': dict(type='str', no_log=True, fallback=(env_fallback, ['REDIS_ENTERPRISE_PASSWORD'])),
        'validate_certs': dict(type='bool'),
        'ca_path': dict(type='path', fallback=(env_fallback, ['REDIS_ENTERPRISE_CA_PATH'])),
        'request_timeout': dict(type='float', default=30.0),
    }
    assert spec['validate_certs'].get('default') is None


def test_argument_spec_is_fresh_each_call():
    first = connection_argument_spec()
    first['url']['required'] = True
    first['extra'] = {}
    second = connection_argument_spec()
    assert 'required' not in second['url']
    assert 'extra' not in second


# ---------------------------------------------------------------- REDIS_ENTERPRISE_INSECURE


@pytest.mark.parametrize('value', ['true', 'TRUE', 'True', '1', 'yes', 'YES', ' yes '])
def test_insecure_env_turns_verification_off_when_option_unset(value):
    assert resolve_validate_certs(None, {'REDIS_ENTERPRISE_INSECURE': value}) is False


@pytest.mark.parametrize('value', ['false', '0', 'no', '', 'insecure', 'y'])
def test_insecure_env_other_values_keep_verification(value):
    assert resolve_validate_certs(None, {'REDIS_ENTERPRISE_INSECURE': value}) is True


def test_insecure_env_absent_means_verify():
    assert resolve_validate_certs(None, {}) is True


@pytest.mark.parametrize('option', [True, False])
def test_option_wins_over_insecure_env(option):
    assert resolve_validate_certs(option, {'REDIS_ENTERPRISE_INSECURE': 'true'}) is option
    assert resolve_validate_certs(option, {}) is option


def test_insecure_env_read_from_os_environ(monkeypatch):
    monkeypatch.setenv('REDIS_ENTERPRISE_INSECURE', 'Yes')
    assert resolve_validate_certs(None) is False
    monkeypatch.setenv('REDIS_ENTERPRISE_INSECURE', 'no')
    assert resolve_validate_certs(None) is True


def _params(**params):
    return dict(dict(url=URL, username=USER, password=PASSWORD, validate_certs=None, ca_path=None,
                     request_timeout=30.0), **params)


def test_from_params_resolves_insecure_env(monkeypatch):
    monkeypatch.setenv('REDIS_ENTERPRISE_INSECURE', 'true')
    with mock.patch.object(rs_client, 'new_session', return_value=FakeSession(FakeResponse(200, {}))):
        client = RSClient.from_params(_params())
        assert client.verify is False
        client = RSClient.from_params(_params(validate_certs=True))
        assert client.verify is True


def test_from_params_ca_path_is_used_for_verify():
    with mock.patch.object(rs_client, 'new_session', return_value=FakeSession(FakeResponse(200, {}))):
        client = RSClient.from_params(_params(ca_path=CA_BUNDLE, request_timeout=12.5))
    assert client.verify == CA_BUNDLE
    assert client.request_timeout == 12.5
    client.get(('v1', 'actions'))
    call = client.session.calls[0]
    assert call['verify'] == CA_BUNDLE
    assert call['timeout'] == (12.5, 12.5)


def test_from_params_uses_a_given_session():
    session = FakeSession(FakeResponse(200, {}))
    with mock.patch.object(rs_client, 'new_session', side_effect=AssertionError('no new session')):
        client = RSClient.from_params(_params(), session=session)
    assert client.session is session


def test_from_params_without_requests_raises_missing_lib():
    with mock.patch.object(rs_client, 'HAS_REQUESTS', False):
        with pytest.raises(RSConfigError) as info:
            RSClient.from_params(_params())
    assert 'requests' in str(info.value)
    assert PASSWORD not in str(info.value)


def test_from_params_http_url_warns_without_secrets():
    warnings = []
    with mock.patch.object(rs_client, 'new_session', return_value=FakeSession(FakeResponse(200, {}))):
        client = RSClient.from_params(_params(url='http://cluster.example.com:8080'), warn=warnings.append)
        assert client.base_url == 'http://cluster.example.com:8080'
        assert len(warnings) == 1
        assert 'clear text' in warnings[0]
        assert PASSWORD not in warnings[0]
        RSClient.from_params(_params(url='http://cluster.example.com:8080'))  # no warn callable: no warning
        RSClient.from_params(_params(), warn=warnings.append)  # https: no warning
    assert len(warnings) == 1


def test_from_params_config_error_is_raised():
    with pytest.raises(RSConfigError):
        RSClient.from_params(_params(url='cluster.example.com:9443'))


# ---------------------------------------------------------------- URL validation


@pytest.mark.parametrize('url, base', [
    ('https://cluster.example.com:9443', 'https://cluster.example.com:9443'),
    ('https://cluster.example.com:9443/', 'https://cluster.example.com:9443'),
    ('  HTTPS://Cluster.Example.com:9443  ', 'https://cluster.example.com:9443'),
    ('http://10.0.0.5:8080', 'http://10.0.0.5:8080'),
    ('https://[::1]:9443', 'https://[::1]:9443'),
    ('https://cluster.example.com', 'https://cluster.example.com'),
])
def test_valid_urls(url, base):
    assert parse_base_url(url)[0] == base


def test_display_url_always_has_port():
    client, dummy = make_client(url='https://cluster.example.com')
    assert client.display_url == 'https://cluster.example.com:443'
    assert client.host_port == 'cluster.example.com:443'


@pytest.mark.parametrize('url, expected', [
    (None, 'REDIS_ENTERPRISE_URL'),
    ('', 'REDIS_ENTERPRISE_URL'),
    ('cluster.example.com:9443', 'https://'),
    ('ftp://cluster.example.com:9443', 'scheme'),
    ('https://:9443', 'no host'),
    ('https://cluster.example.com:99999', 'port'),
    ('https://cluster.example.com:9443/v1', 'scheme://host:port'),
    ('https://cluster.example.com:9443/v1/actions', 'path'),
    ('https://cluster.example.com:9443?x=1', 'query'),
    ('https://cluster.example.com:9443/#frag', 'fragment'),
])
def test_invalid_urls(url, expected):
    with pytest.raises(RSConfigError) as info:
        parse_base_url(url)
    assert expected in str(info.value)


@pytest.mark.parametrize('url', [
    'https://admin:%s@cluster.example.com:9443' % PASSWORD,
    'https://admin@cluster.example.com:9443',
    'admin:%s@cluster.example.com:9443' % PASSWORD,
    'https://admin:%s#x@cluster.example.com:9443' % PASSWORD,
])
def test_url_with_credentials_is_rejected_without_echo(url):
    with pytest.raises(RSConfigError) as info:
        RSClient(url, USER, PASSWORD, session=FakeSession(FakeResponse()))
    message = str(info.value)
    assert PASSWORD not in message
    assert 'admin:' not in message
    if '://' in url:
        assert 'username and password options' in message


def test_invalid_url_sends_nothing():
    session = FakeSession(FakeResponse(200, {}))
    with pytest.raises(RSConfigError):
        RSClient('https://cluster.example.com:9443/api', USER, PASSWORD, session=session)
    assert session.calls == []


@pytest.mark.parametrize('username, password, option, env', [
    (None, PASSWORD, 'username', 'REDIS_ENTERPRISE_USER'),
    ('', PASSWORD, 'username', 'REDIS_ENTERPRISE_USER'),
    (USER, None, 'password', 'REDIS_ENTERPRISE_PASSWORD'),
    (USER, '', 'password', 'REDIS_ENTERPRISE_PASSWORD'),
])
def test_credentials_required(username, password, option, env):
    with pytest.raises(RSConfigError) as info:
        RSClient(URL, username, password, session=FakeSession(FakeResponse()))
    assert option in str(info.value)
    assert env in str(info.value)


@pytest.mark.parametrize('value', [0, -1, 'abc', float('inf'), float('-inf'), float('nan'), 'nan'])
def test_invalid_request_timeout(value):
    with pytest.raises(RSConfigError) as info:
        RSClient(URL, USER, PASSWORD, request_timeout=value, session=FakeSession(FakeResponse()))
    assert 'request_timeout' in str(info.value)


# ---------------------------------------------------------------- request building


def test_request_sends_auth_verify_headers_and_timeout():
    client, session = make_client(FakeResponse(200, {'uid': 1}))
    assert client.get(('v1', 'bdbs', 1), params={'fields': 'uid'}) == {'uid': 1}
    call = session.calls[0]
    assert call['method'] == 'GET'
    assert call['url'] == 'https://cluster.example.com:9443/v1/bdbs/1'
    assert call['auth'] == (USER.encode('utf-8'), PASSWORD.encode('utf-8'))
    assert call['verify'] is True
    assert call['timeout'] == (30.0, 30.0)
    assert call['stream'] is True
    assert call['params'] == {'fields': 'uid'}
    assert call['headers']['Accept'] == 'application/json'
    assert 'Content-Type' not in call['headers']
    assert call['allow_redirects'] is False
    assert client.requests_sent == 1


def test_verify_false_and_ca_path():
    client, session = make_client(validate_certs=False)
    client.get(('v1', 'actions'))
    assert session.calls[0]['verify'] is False
    client, session = make_client(validate_certs=False, ca_path=CA_BUNDLE)
    client.get(('v1', 'actions'))
    assert session.calls[0]['verify'] == CA_BUNDLE


def test_post_and_put_send_json_body():
    client, session = make_client(FakeResponse(200, {'uid': 3}))
    assert client.post(('v1', 'bdbs'), json={'name': 'db1'}) == {'uid': 3}
    assert client.put(('v1', 'bdbs', 3), json={'memory_size': 1024}) == {'uid': 3}
    assert session.calls[0]['method'] == 'POST'
    assert session.calls[0]['json'] == {'name': 'db1'}
    assert session.calls[0]['headers']['Content-Type'] == 'application/json'
    assert session.calls[1]['method'] == 'PUT'
    assert session.calls[1]['headers']['Content-Type'] == 'application/json'
    assert client.requests_sent == 2


def test_delete_with_empty_body_returns_none():
    client, session = make_client(FakeResponse(200, b'', content_type=None))
    assert client.delete(('v1', 'bdbs', 3)) is None
    assert session.calls[0]['method'] == 'DELETE'


def test_expect_json_false_returns_text():
    client, dummy = make_client(FakeResponse(200, b'plain text', content_type='text/plain'))
    assert client.request('GET', ('v1', 'logs'), expect_json=False) == 'plain text'


def test_credentials_are_sent_as_utf8_bytes_like_curl():
    client, session = make_client(username='usér', password='pässwörd€')
    client.get(('v1', 'actions'))
    assert session.calls[0]['auth'] == ('usér'.encode('utf-8'), 'pässwörd€'.encode('utf-8'))


def test_get_retries_a_transient_error_when_asked():
    client, session = make_client(FakeResponse(503, {'error_code': 'busy', 'description': 'node down'}), FakeResponse(200, []))
    client.read_retries = 2
    pauses = []
    client.sleep = pauses.append
    assert client.get(('v1', 'bdbs')) == []
    assert len(session.calls) == 2 and pauses == [0.5]


def test_get_does_not_retry_by_default_nor_a_permanent_error():
    client, session = make_client(FakeResponse(503, {'error_code': 'busy', 'description': 'node down'}),
                                  FakeResponse(401, {'error_code': 'unauthorized', 'description': 'no'}))
    with pytest.raises(RSHTTPError):
        client.get(('v1', 'bdbs'))
    client.read_retries = 2
    client.sleep = lambda seconds: None
    with pytest.raises(RSAuthError):
        client.get(('v1', 'bdbs'))
    assert len(session.calls) == 2


def test_get_retries_stay_within_its_timeout():
    """``timeout`` bounds the whole GET: a retry gets only what is left, and none starts past it (a wait that gives a
    GET its remaining time ends on time even with read_retries)."""
    now = [100.0]

    class SlowSession(FakeSession):
        def request(self, method, url, **kwargs):
            now[0] += 2.0                     # each answer takes 2 s, then is a 503
            return super(SlowSession, self).request(method, url, **kwargs)

    session = SlowSession(FakeResponse(503, {'error_code': 'busy', 'description': 'node down'}))
    client = RSClient(URL, username=USER, password=PASSWORD, session=session)
    client.clock = lambda: now[0]
    client.sleep = lambda seconds: now.__setitem__(0, now[0] + seconds)
    client.read_retries = 2
    with pytest.raises(RSHTTPError):
        client.get(('v1', 'bdbs'), timeout=3)
    assert [call['timeout'] for call in session.calls] == [(3.0, 3.0), (pytest.approx(0.5), pytest.approx(0.5))]
    with pytest.raises(RSHTTPError):                 # no timeout: every retry is sent, as before
        client.get(('v1', 'bdbs'))
    assert len(session.calls) == 5


def test_url_secrets_names_the_credentials_of_the_url():
    assert rs_client.url_secrets('https://admin:t0p-secret@cluster:9443') == ['admin:t0p-secret', 't0p-secret']
    assert rs_client.url_secrets('https://cluster:9443') == []
    assert rs_client.url_secrets(None) == []


@pytest.mark.parametrize('uid, expected', [
    ('abc', '/v1/actions/abc'),
    ('a/b', '/v1/actions/a%2Fb'),
    ('../../v1/users', '/v1/actions/..%2F..%2Fv1%2Fusers'),
    ('a b', '/v1/actions/a%20b'),
    ('x?y=1#z', '/v1/actions/x%3Fy%3D1%23z'),
    ('%2e%2e', '/v1/actions/%252e%252e'),
    (42, '/v1/actions/42'),
])
def test_path_segments_are_quoted(uid, expected):
    client, session = make_client()
    client.get(('v1', 'actions', uid))
    assert session.calls[0]['url'] == URL + expected


@pytest.mark.parametrize('segment', ['', '.', '..', None])
def test_dot_and_empty_segments_rejected_before_sending(segment):
    client, session = make_client()
    with pytest.raises(RSConfigError):
        client.get(('v1', 'actions', segment))
    assert session.calls == []
    assert client.requests_sent == 0


def test_path_must_be_a_tuple():
    client, session = make_client()
    with pytest.raises(TypeError):
        client.get('v1/actions')
    assert session.calls == []


@pytest.mark.parametrize('override, expected', [
    (None, 30.0), (5, 5.0), (0.5, 0.5), (0, rs_client.MIN_REQUEST_TIMEOUT), (-3, rs_client.MIN_REQUEST_TIMEOUT),
    (300, 30.0),  # never above request_timeout
])
def test_timeout_override_is_clamped(override, expected):
    client, session = make_client()
    client.get(('v1', 'actions'), timeout=override)
    assert session.calls[0]['timeout'] == (expected, expected)
    assert expected > 0


def test_requests_sent_counts_failures_too():
    client, dummy = make_client(FakeResponse(500, {}), requests.exceptions.ConnectionError('refused'))
    for dummy_i in range(3):
        with pytest.raises(RSError):
            client.get(('v1', 'actions'))
    assert client.requests_sent == 3


def test_default_session_factory_creates_requests_session():
    with mock.patch.object(rs_client.requests, 'Session') as session_class:
        client = RSClient(URL, USER, PASSWORD)
    assert client.session is session_class.return_value


def test_repr_has_no_password():
    client, dummy = make_client()
    assert PASSWORD not in repr(client)
    assert 'cluster.example.com' in repr(client)


# ---------------------------------------------------------------- HTTP error mapping


def test_400_message_with_error_code_and_description():
    body = {'error_code': 'invalid_schema', 'description': "Additional properties are not allowed ('foo' was unexpected)"}
    client, dummy = make_client(FakeResponse(400, body))
    error = raised(lambda: client.post(('v1', 'bdbs'), json={'foo': 1}))
    assert error.__class__ is RSHTTPError
    assert str(error) == "RS rejected the request (400 invalid_schema): Additional properties are not allowed ('foo' was unexpected)"
    assert error.status == 400
    assert error.error_code == 'invalid_schema'
    assert error.transient is False
    assert error.to_result() == {'status': 400, 'error_code': 'invalid_schema',
                                 'description': "Additional properties are not allowed ('foo' was unexpected)"}


def test_description_falls_back_to_message():
    client, dummy = make_client(FakeResponse(406, {'error_code': 'bad_config', 'message': 'Not enough memory'}))
    error = raised(lambda: client.get(('v1', 'bdbs')))
    assert error.description == 'Not enough memory'
    assert 'Not enough memory' in str(error)
    assert '406 bad_config' in str(error)


def test_description_preferred_over_message():
    client, dummy = make_client(FakeResponse(400, {'error_code': 'x', 'description': 'desc', 'message': 'msg'}))
    assert raised(lambda: client.get(('v1', 'bdbs'))).description == 'desc'


def test_401_is_auth_error_with_fixed_message():
    client, dummy = make_client(FakeResponse(401, b'', content_type=None))
    error = raised(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is RSAuthError
    assert str(error) == ('Authentication failed (401): check username and password '
                          '(REDIS_ENTERPRISE_USER / REDIS_ENTERPRISE_PASSWORD)')
    assert error.transient is False
    assert_no_secret(error)


def test_403_names_the_missing_permission():
    client, dummy = make_client(FakeResponse(403, {'error_code': 'forbidden', 'description': 'no access'}))
    error = raised(lambda: client.get(('v2', 'actions', 'abc')))
    assert error.__class__ is RSAuthError
    assert error.status == 403
    assert 'view_status_of_cluster_action' in str(error)
    assert 'role' in str(error)
    assert error.transient is False


@pytest.mark.parametrize('method, path, permission', [
    ('get', ('v1', 'bdbs'), 'view_all_bdbs_info'),      # GET /v1/bdbs: requests/bdbs/_index.md, permissions.md
    ('get', ('v1', 'bdbs', 3), 'view_bdb_info'),
    ('delete', ('v1', 'bdbs', 3), 'delete_bdb'),
])
def test_403_permission_of_bdb_requests(method, path, permission):
    client, dummy = make_client(FakeResponse(403, {'error_code': 'forbidden'}))
    error = raised(lambda: getattr(client, method)(path))
    assert 'the permission %s;' % permission in str(error)


def test_404_is_not_found():
    client, dummy = make_client(FakeResponse(404, {'error_code': 'action_not_exist', 'description': 'Action does not exist'}))
    error = raised(lambda: client.get(('v1', 'actions', 'x')))
    assert error.__class__ is RSNotFound
    assert error.status == 404
    assert error.error_code == 'action_not_exist'
    assert '/v1/actions/x' in str(error)
    assert error.url == URL + '/v1/actions/x'
    assert error.transient is False


def test_409_is_conflict():
    client, dummy = make_client(FakeResponse(409, {'error_code': 'bdb_busy', 'description': 'busy with another change'}))
    error = raised(lambda: client.put(('v1', 'bdbs', 1), json={}))
    assert error.__class__ is RSConflict
    assert error.status == 409
    assert error.transient is False
    assert str(error).endswith('The object may be busy with another change; retry later')


@pytest.mark.parametrize('code, what', [('uid_exists', 'uid'), ('name_exists', 'name'), ('name_already_exists', 'name')])
def test_409_duplicate_says_it_exists_not_busy(code, what):
    client, dummy = make_client(FakeResponse(409, {'error_code': code, 'description': 'Database already exists'}))
    error = raised(lambda: client.post(('v1', 'bdbs'), json={}))
    assert error.__class__ is RSConflict and error.error_code == code
    assert 'An object with this %s already exists' % what in str(error)
    assert 'busy' not in str(error)


@pytest.mark.parametrize('status, transient', [(500, True), (502, True), (503, True), (429, True),
                                               (400, False), (405, False), (406, False), (505, True)])
def test_status_classes(status, transient):
    client, dummy = make_client(FakeResponse(status, {'error_code': 'e', 'description': 'd'}))
    error = raised(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is RSHTTPError
    assert error.status == status
    assert error.transient is transient
    assert str(status) in str(error)


def test_redirect_is_not_followed():
    client, session = make_client(FakeResponse(301, b'', content_type=None))
    error = raised(lambda: client.get(('v1', 'actions')))
    assert isinstance(error, RSHTTPError)
    assert error.status == 301
    assert session.calls[0]['allow_redirects'] is False


def test_html_error_page_gives_http_error_with_short_description():
    page = '<html><body><h1>502 Bad Gateway</h1>' + 'x' * 5000 + '</body></html>'
    client, dummy = make_client(FakeResponse(502, page, content_type='text/html'))
    error = raised(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is RSHTTPError
    assert error.description == 'HTML error page from a proxy'
    assert '<html>' not in str(error)
    assert error.transient is True


def test_plain_text_error_body_is_kept_short():
    client, dummy = make_client(FakeResponse(400, 'bad header\n' + 'y' * 2000, content_type='text/plain'))
    error = raised(lambda: client.get(('v1', 'actions')))
    assert error.description == 'bad header'


# ---------------------------------------------------------------- 2xx bodies


@pytest.mark.parametrize('body, content_type', [
    ('<!DOCTYPE html><html><body>Login</body></html>', 'text/html; charset=utf-8'),
    ('<html><body>proxy</body></html>', 'application/json'),
    ('  <html></html>', None),
])
def test_html_page_on_2xx_is_invalid_response(body, content_type):
    client, dummy = make_client(FakeResponse(200, body, content_type=content_type))
    error = raised(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is RSInvalidResponse
    assert error.transient is True
    assert 'HTML' in str(error)


def test_xml_on_2xx_is_invalid_json_not_html():
    client, dummy = make_client(FakeResponse(200, '<?xml version="1.0"?><actions/>', content_type='application/xml'))
    error = raised(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is RSInvalidResponse
    assert 'HTML' not in str(error) and 'invalid or truncated JSON' in str(error)


@pytest.mark.parametrize('body', ['{"actions": [', 'not json', '{"a": 1}}'])
def test_invalid_or_truncated_json_on_2xx(body):
    client, dummy = make_client(FakeResponse(200, body))
    error = raised(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is RSInvalidResponse
    assert error.transient is True
    assert 'JSON' in str(error)


def test_list_body():
    client, dummy = make_client(FakeResponse(200, [{'action_uid': 'a'}]))
    assert client.get(('v2', 'actions')) == [{'action_uid': 'a'}]


# ---------------------------------------------------------------- transport errors


SSL_TEXT = ("HTTPSConnectionPool(host='cluster.example.com', port=9443): Max retries exceeded with url: "
            "/v1/actions (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] "
            "certificate verify failed: self-signed certificate in certificate chain (_ssl.c:1006)')))")


def test_tls_verification_failure():
    client, dummy = make_client(requests.exceptions.SSLError(SSL_TEXT))
    error = raised(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is RSTLSError
    assert error.transient is False
    message = str(error)
    assert message.startswith('TLS verification of https://cluster.example.com:9443 failed: ')
    assert 'self-signed' in message
    assert 'Set ca_path (REDIS_ENTERPRISE_CA_PATH)' in message
    assert 'validate_certs=false' in message
    assert 'HTTPSConnectionPool' not in message


def test_tls_verification_failure_with_ca_path_points_at_the_bundle(tmp_path):
    bundle = tmp_path / 'ca.pem'
    with open(CA_BUNDLE, 'rb') as source:
        bundle.write_bytes(source.read())
    client, dummy = make_client(requests.exceptions.SSLError(SSL_TEXT), ca_path=str(bundle))
    message = str(raised(lambda: client.get(('v1', 'actions'))))
    assert 'The CA bundle in ca_path (%s) does not hold the CA that signed' % bundle in message
    assert 'validate_certs=false' not in message   # ca_path wins over it: the hint would not help


def test_tls_hostname_mismatch():
    text = "Caused by SSLError(CertificateError(\"hostname 'x' doesn't match 'y'\"))"
    client, dummy = make_client(requests.exceptions.SSLError(text))
    error = raised(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is RSTLSError
    assert 'not valid for the host cluster.example.com' in str(error)


def test_tls_strict_x509_failure_is_named_with_its_fix():
    """Python 3.13's strict checks reject a certificate without an Authority Key Identifier before any other check
    (even expiry): the message says so, not "point ca_path at ..."."""
    text = SSL_TEXT.replace('self-signed certificate in certificate chain', 'Missing Authority Key Identifier')
    client, dummy = make_client(requests.exceptions.SSLError(text), ca_path=CA_BUNDLE)
    message = str(raised(lambda: client.get(('v1', 'actions'))))
    assert 'strict X.509 checks' in message and 'missing authority key identifier' in message
    assert 'Reissue the certificate' in message and 'ca_path does not help here' in message


def test_tls_other_verification_failure_keeps_openssl_reason():
    text = SSL_TEXT.replace('self-signed certificate in certificate chain', 'certificate signature failure')
    client, dummy = make_client(requests.exceptions.SSLError(text), ca_path=CA_BUNDLE)
    message = str(raised(lambda: client.get(('v1', 'actions'))))
    assert 'certificate verify failed (certificate signature failure); point ca_path' in message
    assert 'HTTPSConnectionPool' not in message


def test_tls_wrong_protocol():
    text = "Caused by SSLError(SSLError(1, '[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)'))"
    client, dummy = make_client(requests.exceptions.SSLError(text))
    error = raised(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is RSConnectionError
    assert (error.kind, error.misconfig, error.transient) == ('tls_to_plain', True, False)
    assert 'answers in plain HTTP, not TLS' in str(error)


def test_connection_refused_names_host_and_port():
    text = ("HTTPSConnectionPool(host='cluster.example.com', port=9443): Max retries exceeded (Caused by "
            "NewConnectionError('<urllib3.connection.HTTPSConnection object>: Failed to establish a new connection: "
            "[Errno 111] Connection refused'))")
    client, dummy = make_client(requests.exceptions.ConnectionError(text))
    error = raised(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is RSConnectionError
    assert error.transient is True
    assert 'cluster.example.com:9443' in str(error)
    assert 'refused' in str(error)
    assert 'urllib3' not in str(error)


def test_dns_failure():
    text = "Failed to resolve 'nohost.example.com' ([Errno -2] Name or service not known)"
    client, dummy = make_client(requests.exceptions.ConnectionError(text))
    error = raised(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is RSConnectionError
    assert 'resolve' in str(error)
    assert 'cluster.example.com' in str(error)


def test_connection_reset():
    text = "('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))"
    client, dummy = make_client(requests.exceptions.ConnectionError(text))
    error = raised(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is RSConnectionError
    assert error.transient is True
    assert 'reset' in str(error)


def test_read_timeout():
    client, dummy = make_client(requests.exceptions.ReadTimeout('Read timed out. (read timeout=7.5)'))
    error = raised(lambda: client.get(('v1', 'actions'), timeout=7.5))
    assert error.__class__ is RSTimeoutError
    assert isinstance(error, RSConnectionError)
    assert error.transient is True
    assert 'did not answer within 7.5 s' in str(error)


def test_connect_timeout():
    client, dummy = make_client(requests.exceptions.ConnectTimeout('connect timeout=30'))
    error = raised(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is RSTimeoutError
    assert 'within 30 s' in str(error)


def test_read_timeout_wrapped_in_connection_error():
    client, dummy = make_client(requests.exceptions.ConnectionError("HTTPSConnectionPool(...): Read timed out."))
    assert raised(lambda: client.get(('v1', 'actions'))).__class__ is RSTimeoutError


def test_chunked_encoding_error_is_invalid_response():
    client, dummy = make_client(requests.exceptions.ChunkedEncodingError('Connection broken: IncompleteRead'))
    error = raised(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is RSInvalidResponse
    assert error.transient is True


def test_unreadable_ca_path_is_config_error():
    with pytest.raises(RSConfigError) as info:
        make_client(ca_path='/nope/ca.pem')
    assert '/nope/ca.pem' in str(info.value)
    assert 'does not exist' in str(info.value)


def test_real_session_connection_refused():
    """A real requests.Session against a closed port on the loopback interface."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    client = RSClient('http://127.0.0.1:%d' % port, USER, PASSWORD, request_timeout=5)
    error = raised(lambda: client.get(('v1', 'actions')))
    assert error.__class__ is RSConnectionError
    assert '127.0.0.1:%d' % port in str(error)
    client.close()


# ---------------------------------------------------------------- secrets


@pytest.mark.parametrize('exc', [
    requests.exceptions.SSLError('https://admin:%s@cluster.example.com:9443 certificate verify failed' % PASSWORD),
    requests.exceptions.ConnectionError('Authorization: Basic %s refused %s' % (BASIC_TOKEN, PASSWORD)),
    requests.exceptions.ReadTimeout('https://admin:%s@h read timed out' % PASSWORD),
    requests.exceptions.ConnectTimeout('https://admin:%s@h' % PASSWORD),
    requests.exceptions.ChunkedEncodingError(PASSWORD),
    requests.exceptions.InvalidHeader('Authorization: Basic %s' % BASIC_TOKEN),
    OSError('something %s' % PASSWORD),
])
def test_password_never_in_transport_errors(exc):
    client, dummy = make_client(exc)
    error = raised(lambda: client.get(('v1', 'actions')))
    assert_no_secret(error)
    assert error.__suppress_context__ is True  # the requests exception is not chained into tracebacks


@pytest.mark.parametrize('status', [400, 401, 403, 404, 409, 500])
def test_password_never_in_http_errors_even_if_echoed(status):
    body = {'error_code': 'echo', 'description': 'bad password %s / Basic %s' % (PASSWORD, BASIC_TOKEN)}
    client, dummy = make_client(FakeResponse(status, body))
    error = raised(lambda: client.get(('v1', 'actions')))
    assert_no_secret(error)


def test_password_never_in_plain_text_error_body():
    client, dummy = make_client(FakeResponse(500, 'auth with %s failed' % PASSWORD, content_type='text/plain'))
    error = raised(lambda: client.get(('v1', 'actions')))
    assert_no_secret(error)
    assert 'auth with ******** failed' in str(error)
