"""The settings read the environment strictly, in a fresh interpreter each time."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLEAN = {
    k: v
    for k, v in os.environ.items()
    if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DEBUG", "SECRET_KEY"}
}


def run(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        # Logs go to stdout too (pompidou.logging); only what the code prints is read here.
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "pompidou.settings", "LOG_LEVEL": "ERROR", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_defaults_are_sqlite_in_the_project_and_eager_celery_running_the_smoke_task():
    result = run(
        "from django.conf import settings; from pompidou.tasks import ping;"
        "print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME']);"
        "print(settings.CELERY_TASK_ALWAYS_EAGER, ping.delay().get(timeout=5));"
        "print(settings.TIME_ZONE, [c for c, _ in settings.LANGUAGES])"
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"django.db.backends.sqlite3 {ROOT / 'db.sqlite3'}"
    assert lines[1] == "True pong"
    assert lines[2] == "Europe/Paris ['en', 'fr']"


def test_a_broker_url_turns_eager_mode_off():
    result = run(
        "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/9",
    )
    assert result.stdout.strip() == "False", result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run("", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_bad_boolean_is_an_error_not_false():
    result = run("", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_database_url_selects_postgresql():
    result = run(
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal",
    )
    assert result.stdout.strip() == "django.db.backends.postgresql", result.stderr


def test_postgresql_connections_run_without_jit_unless_asked(settings):
    """The connection itself says so (``SHOW jit``), as the portal opens it."""
    import pytest

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("PostgreSQL's setting")
    show = (
        "from django.db import connection; c = connection.cursor();"
        "c.execute(\"SELECT setting, source FROM pg_settings WHERE name = 'jit'\");"
        "print(*c.fetchone())"
    )
    url = os.environ["DATABASE_URL"]
    assert run(show, DATABASE_URL=url).stdout.strip() == "off client"
    # Asked for: the server's own setting, whatever it is.
    setting, source = run(show, DATABASE_URL=url, DATABASE_JIT="1").stdout.split()
    assert setting in {"on", "off"} and source != "client"


def test_request_size_limits_have_defaults_and_follow_the_environment():
    code = (
        "from django.conf import settings;"
        "print(settings.DATA_UPLOAD_MAX_MEMORY_SIZE, settings.FILE_UPLOAD_MAX_MEMORY_SIZE,"
        " settings.DATA_UPLOAD_MAX_NUMBER_FIELDS, settings.FILE_UPLOAD_HANDLERS[0])"
    )
    default = run(code)
    assert default.stdout.split() == [
        "2621440",
        "2621440",
        "1000",
        "pompidou.uploads.DocumentSizeUploadHandler",
    ], default.stderr
    chosen = run(
        code,
        DATA_UPLOAD_MAX_MEMORY_SIZE="1048576",
        FILE_UPLOAD_MAX_MEMORY_SIZE="0",
        DATA_UPLOAD_MAX_NUMBER_FIELDS="200",
    )
    assert chosen.stdout.split()[:3] == ["1048576", "0", "200"], chosen.stderr


def test_a_request_size_limit_that_is_not_a_number_or_below_its_minimum_is_an_error():
    result = run("", DATA_UPLOAD_MAX_MEMORY_SIZE="2.5MB")
    assert result.returncode != 0
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE='2.5MB' is not an integer" in result.stderr
    result = run("", DATA_UPLOAD_MAX_NUMBER_FIELDS="-1")
    assert result.returncode != 0
    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS='-1' is below its minimum of 1" in result.stderr


def test_a_worker_process_is_replaced_past_its_memory_limit_unless_told_not_to():
    """Celery reads it as worker_max_memory_per_child, in KiB (0 MB: no limit)."""
    code = "from pompidou.celery import app; print(app.conf.worker_max_memory_per_child)"
    assert run(code).stdout.strip() == str(600 * 1024)
    assert run(code, WORKER_MAX_MEMORY_MB="2048").stdout.strip() == str(2048 * 1024)
    assert run(code, WORKER_MAX_MEMORY_MB="0").stdout.strip() == "None"
    refused = run(code, WORKER_MAX_MEMORY_MB="-1")
    assert refused.returncode != 0 and "WORKER_MAX_MEMORY_MB" in refused.stderr
