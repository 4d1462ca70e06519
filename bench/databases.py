"""The bench's databases: named after DATABASE_URL's (``<name>_bench_<size>``), built
with ``generate_bench_data`` and reused while their signature (sizes, seed, the
generator's code and the migrations) still matches, kept in the database's comment."""

import hashlib
import os
import subprocess  # noqa: S404 (the bench runs its own commands)
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/portal"
SEED = 17


def proposals_for(activities: int) -> int:
    return max(10, activities // 5)


def database_url(size: int, base: str | None = None) -> str:
    parts = urlsplit(base or os.environ.get("DATABASE_URL") or DEFAULT_URL)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("make bench measures PostgreSQL: set DATABASE_URL=postgres://…")
    name = parts.path.lstrip("/") or "portal"
    return urlunsplit(parts._replace(path=f"/{name}_bench_{size}"))


def _admin_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def _name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def signature(size: int) -> str:
    """What the data depend on: the generator's code and every migration."""
    digest = hashlib.sha256()
    files = sorted(ROOT.glob("portal/benchdata/*.py")) + sorted(ROOT.glob("*/migrations/0*.py"))
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return (
        f"bench size={size} proposals={proposals_for(size)} seed={SEED} {digest.hexdigest()[:16]}"
    )


def _comment(url: str) -> str | None:
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [_name(url)],
        ).fetchone()
    if row is None:
        return None
    return row[0] or ""


# The cache, shared by the gunicorn workers, the probe and the jobs as in production
# (``CACHE_URL``): a Redis database the bench may empty of its own keys.
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/15"


def cache_url() -> str:
    return os.environ.get("BENCH_CACHE_URL") or DEFAULT_CACHE_URL


def cache_prefix(url: str) -> str:
    """The cache keys' prefix of the database ``url`` (one per size)."""
    return f"bench-{_name(url)}"


def child_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        CACHE_URL=cache_url(),
        CACHE_KEY_PREFIX=cache_prefix(url),
        # Connections kept between requests, as docker-compose.yml runs the portal.
        DATABASE_CONN_MAX_AGE=env.get("DATABASE_CONN_MAX_AGE") or "60",
    )
    return env


def clear_cache(url: str) -> int:
    """Forget what the portal cached for the database ``url`` (its prefix's keys)."""
    import redis

    client = redis.Redis.from_url(cache_url())
    keys = list(client.scan_iter(match=f"{cache_prefix(url)}:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])
    return len(keys)


def a_write_happened(url: str) -> None:
    """What any save does to the portal's cached lists and figures
    (``pompidou.listing.lists_changed``): a new generation of their keys. Django's
    Redis cache keeps integers as such, so ``INCR`` is its ``cache.incr``."""
    import redis

    redis.Redis.from_url(cache_url()).incr(f"{cache_prefix(url)}:1:lists:generation")


def ensure(size: int, log=print) -> tuple[str, float | None]:
    """The URL of the database of ``size`` activities, built unless a matching one is
    there; and the seconds its generation took (None when reused)."""
    url = database_url(size)
    wanted = signature(size)
    if _comment(url) == wanted:
        log(f"reusing {_name(url)} ({size} activities)")
        return url, None
    log(f"building {_name(url)}: {size} activities, {proposals_for(size)} proposals")
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(_name(url))))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(_name(url))))
    env = child_env(url)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)  # noqa: S603
    started = time.monotonic()
    subprocess.run(  # noqa: S603
        [
            *manage,
            "generate_bench_data",
            f"--activities={size}",
            f"--proposals={proposals_for(size)}",
            f"--seed={SEED}",
        ],
        env=env,
        check=True,
        cwd=ROOT,
    )
    took = time.monotonic() - started
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(_name(url)), sql.Literal(wanted)
            )
        )
    return url, took
