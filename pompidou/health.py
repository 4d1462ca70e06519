"""Health answers for the stack: ``/healthz`` (the process answers) and ``/readyz``
(it can serve: database reachable, Redis reachable when the broker or the cache is on
Redis, no unapplied migration). JSON, no login, no secrets: only "ok" or what is
wrong, never a host, a URL or an exception's text (those go to the log).

Answered by a middleware placed first, before the host check, the HTTPS redirect,
the session and the login: a container's health probe asks ``http://127.0.0.1:8000``
with a host the production ``ALLOWED_HOSTS`` does not list, over plain HTTP, and
must not create a session or be redirected to a login page.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
REDIS_TIMEOUT_SECONDS = 2.0
# Loading the migration graph reads every migration file: once the database is up
# to date, one process trusts that for a minute (a deployment migrates before the
# new web containers start, see the compose file's one-shot migrate service).
MIGRATIONS_OK_SECONDS = 60.0

_migrations_ok_until = 0.0


def healthz() -> JsonResponse:
    return _json({"status": "ok"}, 200)


def readyz() -> JsonResponse:
    checks = {
        "database": _check_database(),
        "migrations": _check_migrations(),
        "redis": _check_redis(),
    }
    ready = all(value in ("ok", "not configured") for value in checks.values())
    return _json(
        {"status": "ready" if ready else "not ready", "checks": checks}, 200 if ready else 503
    )


def _json(data: dict[str, Any], status: int) -> JsonResponse:
    response = JsonResponse(data, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _check_database() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any driver error means the same to a probe
        logger.exception("readyz: the database is unreachable")
        return "unreachable"
    return "ok"


def _check_migrations() -> str:
    global _migrations_ok_until
    if time.monotonic() < _migrations_ok_until:
        return "ok"
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        logger.exception("readyz: the migrations could not be read")
        return "unknown"
    if plan:
        return f"{len(plan)} unapplied"
    _migrations_ok_until = time.monotonic() + MIGRATIONS_OK_SECONDS
    return "ok"


def redis_urls() -> list[str]:
    """The Redis servers the portal depends on: Celery's broker (and result backend)
    and any cache on Redis; empty in development (eager tasks, local memory cache)."""
    urls: list[str] = []
    candidates: list[Any] = [
        getattr(settings, "CELERY_BROKER_URL", ""),
        getattr(settings, "CELERY_RESULT_BACKEND", ""),
    ]
    for cache in getattr(settings, "CACHES", {}).values():
        if "redis" in str(cache.get("BACKEND", "")).lower():
            location = cache.get("LOCATION", "")
            candidates.extend(location if isinstance(location, list | tuple) else [location])
    for url in candidates:
        if isinstance(url, str) and url.startswith(("redis://", "rediss://")) and url not in urls:
            urls.append(url)
    return urls


def _check_redis() -> str:
    urls = redis_urls()
    if not urls:
        return "not configured"
    import redis

    for url in urls:
        client = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
        )
        try:
            client.ping()
        except Exception:
            logger.exception("readyz: a Redis server is unreachable")
            return "unreachable"
        finally:
            client.close()
    return "ok"


class HealthMiddleware:
    """Answers ``GET``/``HEAD`` of ``/healthz`` and ``/readyz`` before any other
    middleware (see the module's docstring); every other request passes on."""

    ANSWERS: dict[str, Callable[[], JsonResponse]] = {HEALTH_PATH: healthz, READY_PATH: readyz}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        answer = self.ANSWERS.get(request.path_info.rstrip("/") or "/")
        if answer is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = _json({"detail": "Only GET and HEAD are allowed here."}, 405)
            response["Allow"] = "GET, HEAD"
            return response
        return answer()
