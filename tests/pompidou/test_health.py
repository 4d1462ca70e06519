"""/healthz says the process answers; /readyz says it can serve (database, Redis when
configured, migrations applied), 503 otherwise. Both JSON, open to anyone, answered
before the host check and the HTTPS redirect, and never naming a host or a secret."""

import os
import socket

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from pompidou import health

# A port nothing listens on: connection refused at once.
CLOSED = "redis://:s3cret-password@127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def _no_redis_no_cached_migrations(settings, monkeypatch):
    """Development settings unless a test says otherwise: eager tasks, a local cache."""
    settings.CELERY_BROKER_URL = "memory://"
    settings.CELERY_RESULT_BACKEND = None
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    monkeypatch.setattr(health, "_migrations_ok_until", 0.0)


def probe(path: str, **headers):
    # A container's probe: plain HTTP, its own address as the host, no cookies.
    return Client().get(path, HTTP_HOST="172.18.0.5:8000", **headers)


def test_healthz_answers_ok_to_anyone_without_touching_the_database(settings):
    # No django_db mark: pytest-django makes any query an error here.
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = probe("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Content-Type"] == "application/json"
    assert "sessionid" not in response.cookies and response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_is_ready_with_the_database_up_and_every_migration_applied(settings):
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = probe("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "redis": "not configured"},
    }


@pytest.mark.django_db
def test_readyz_is_503_while_a_migration_is_unapplied():
    recorder = MigrationRecorder(health.connections["default"])
    app, name = max(
        (m for m in recorder.applied_migrations() if m[0] == "activities"), key=lambda m: m[1]
    )
    recorder.record_unapplied(app, name)  # rolled back with the test's transaction
    response = probe("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready" and body["checks"]["migrations"] == "1 unapplied"
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_is_unreachable(monkeypatch):
    class Down:
        def __getitem__(self, alias):
            raise health.connections["default"].Database.OperationalError(
                "could not connect to server at db.internal (password=hunter2)"
            )

    monkeypatch.setattr(health, "connections", Down())
    response = probe("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "unreachable" and checks["migrations"] == "unknown"
    assert b"db.internal" not in response.content and b"hunter2" not in response.content


@pytest.mark.django_db
def test_readyz_is_503_when_a_configured_redis_is_unreachable_and_names_no_secret(settings):
    settings.CELERY_BROKER_URL = CLOSED
    response = probe("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "unreachable"
    assert b"s3cret" not in response.content and b"127.0.0.1" not in response.content


def _local_redis() -> str | None:
    url = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/13"
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return None
    return url


@pytest.mark.django_db
def test_readyz_pings_the_redis_of_the_cache_too(settings):
    url = _local_redis()
    if url is None:
        if os.environ.get("CI"):
            pytest.fail("CI runs Redis on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    assert health.redis_urls() == [url]
    response = probe("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["redis"] == "ok"

    settings.CELERY_BROKER_URL = CLOSED  # the broker down is enough to be not ready
    assert probe("/readyz").status_code == 503


def test_only_get_and_head_are_answered():
    assert Client().head("/healthz").status_code == 200
    response = Client().post("/healthz")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


def test_other_addresses_pass_through_to_the_portal():
    assert Client().get("/healthzz").status_code == 404
