"""The lockout holds across processes: real gunicorn servers (two, as two web
replicas, of two workers each) on the test's PostgreSQL database and a Redis cache.
Wrong passwords sent in turn to both servers, each with a forged X-Forwarded-For,
still lock the account after six, on the login page and the token endpoint.

Needs PostgreSQL and Redis (CACHE_URL, else the CELERY_BROKER_URL's Redis); skipped
with the reason otherwise.
"""

import os
import re
import uuid

import pytest
from django.db import connection

from pompidou.models import AuditEvent
from programme.services import account_create
from tests.jobs.stack import Stack, database_url

PASSWORD = "harbour-lantern-71-quill"
pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("gunicorn")]


_CACHE: list[str] = []  # the servers' Redis and their key prefix


def _forget_failures() -> None:
    """Lift every lock and count of the servers (as the cool-off would), between the
    two doors: the web login's failures locked the address the next ones come from."""
    import redis

    client = redis.Redis.from_url(_CACHE[0])
    keys = list(client.scan_iter(f"{_CACHE[1]}:*"))
    assert keys  # the web login's failures were counted in the shared cache
    client.delete(*keys)


@pytest.fixture
def servers(transactional_db, settings, tmp_path):
    redis_url = os.environ.get("CACHE_URL") or os.environ.get("CELERY_BROKER_URL")
    if not redis_url or not redis_url.startswith("redis"):
        pytest.skip("no Redis: set CACHE_URL (or CELERY_BROKER_URL) to redis://…")
    if connection.vendor != "postgresql":
        pytest.skip("the gunicorn workers need a shared database server (PostgreSQL)")
    # The servers check passwords with the production hashers, not the tests' MD5.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    _CACHE[:] = [redis_url, f"lockout-test-{uuid.uuid4().hex}"]
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CACHE_URL": redis_url,
        "CACHE_KEY_PREFIX": _CACHE[1],  # no other test's counts
        "TRUSTED_PROXY_COUNT": "0",
        "DEBUG": "1",
    }
    processes = Stack(env, tmp_path)
    yield [processes.web(workers=2, name=f"gunicorn{n}") for n in range(2)]
    processes.stop()


def _login_form(session, url):
    page = session.get(f"{url}/en/accounts/login/", timeout=10)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def _web_login(session, url, username, password, forged):
    token = _login_form(session, url)
    return session.post(
        f"{url}/en/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"X-Forwarded-For": forged, "Referer": f"{url}/en/accounts/login/"},
        allow_redirects=False,
        timeout=20,
    )


def test_six_wrong_passwords_spread_over_gunicorn_workers_lock_web_and_api_logins(servers):
    # One test for both doors: starting the servers costs most of its time.
    _web_login_locks(servers)
    _forget_failures()
    _token_endpoint_locks(servers)


def _web_login_locks(servers):
    import requests

    account_create(username="victim", role="secretariat", password=PASSWORD, validate=False)
    session = requests.Session()
    answers = [
        _web_login(session, servers[n % 2], "victim", f"guess-{n}", f"192.0.2.{n}").status_code
        for n in range(6)
    ]
    assert answers == [200] * 5 + [429]

    for url in servers:
        response = _web_login(session, url, "victim", PASSWORD, "203.0.113.77")
        assert response.status_code == 429, url
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOCKED_OUT, subject_label="victim")
    assert set(
        AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED).values_list("ip", flat=True)
    ) == {"127.0.0.1"}


def _token_endpoint_locks(servers):
    import requests

    account_create(username="client", role="expert", password=PASSWORD, validate=False)
    answers = [
        requests.post(
            f"{servers[n % 2]}/api/v1/auth/token/",
            json={"username": "client", "password": f"guess-{n}"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
            timeout=20,
        ).status_code
        for n in range(6)
    ]
    assert answers == [400] * 5 + [429]

    for url in servers:
        response = requests.post(
            f"{url}/api/v1/auth/token/",
            json={"username": "client", "password": PASSWORD},
            headers={"X-Forwarded-For": "203.0.113.78"},
            timeout=20,
        )
        assert response.status_code == 429, url
        assert "token" not in response.json()
