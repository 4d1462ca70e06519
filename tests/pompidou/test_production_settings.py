"""Production settings: `check --deploy` passes with the example production
environment and refuses what production must not run with. Each run is a fresh
interpreter with only the environment given."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "deploy" / "check-deploy.env"


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


PRODUCTION = read_env_file(EXAMPLE)
# The machine's environment without anything the settings read.
BASE = {
    k: v
    for k, v in os.environ.items()
    if k == "PATH" or k.startswith(("LANG", "LC_", "PYTHON", "HOME", "VIRTUAL_ENV"))
}
BASE.pop("PYTHONPATH", None)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**BASE, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_value(expression: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; print({expression})",
        ],
        cwd=ROOT,
        env={**BASE, "DJANGO_SETTINGS_MODULE": "pompidou.settings", "LOG_LEVEL": "ERROR", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_passes_with_the_example_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_on_development_defaults_with_each_problem_named():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    for check_id in (
        "security.W004",  # no HSTS
        "security.W008",  # no HTTPS redirect
        "security.W012",  # session cookie over HTTP
        "security.W016",  # CSRF cookie over HTTP
        "security.W018",  # DEBUG on
        "pompidou.W001",  # SQLite
        "pompidou.W002",  # no broker
        "pompidou.W003",  # console e-mail
        "pompidou.W004",  # no shared cache
    ):
        assert check_id in result.stderr, check_id


def test_with_debug_off_a_missing_broker_and_console_email_are_errors():
    env = {**PRODUCTION}
    del env["CELERY_BROKER_URL"]
    env["EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
    result = manage("check", "--deploy", **env)
    assert result.returncode != 0
    assert "pompidou.E002" in result.stderr and "No Celery broker" in result.stderr
    assert "pompidou.E003" in result.stderr and "E-mail is not sent" in result.stderr
    assert "EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend" in result.stderr
    # Without --deploy (as the test suite runs, DEBUG off) nothing is required.
    plain = manage("check", **env)
    assert plain.returncode == 0, plain.stderr


def test_each_production_security_value_comes_from_the_environment():
    result = settings_value(
        "settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " settings.SECURE_HSTS_PRELOAD, settings.SECURE_SSL_REDIRECT,"
        " settings.SECURE_PROXY_SSL_HEADER, settings.SESSION_COOKIE_SECURE,"
        " settings.CSRF_COOKIE_SECURE",
        **{**PRODUCTION, "SECURE_HSTS_SECONDS": "3600", "SECURE_HSTS_PRELOAD": "false"},
    )
    assert result.stdout.strip() == (
        "3600 True False True ('HTTP_X_FORWARDED_PROTO', 'https') True True"
    ), result.stderr
    development = settings_value(
        "settings.SECURE_HSTS_SECONDS, settings.SECURE_SSL_REDIRECT, settings.SECURE_PROXY_SSL_HEADER"
    )
    assert development.stdout.strip() == "0 False None", development.stderr


def test_a_malformed_proxy_header_or_hsts_age_is_an_error_that_says_how_to_write_it():
    result = settings_value("1", SECURE_PROXY_SSL_HEADER="https")
    assert result.returncode != 0
    assert "write it as X-Forwarded-Proto=https" in result.stderr
    result = settings_value("1", SECURE_HSTS_SECONDS="-5")
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS='-5' is below its minimum of 0" in result.stderr
    result = settings_value("1", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT='xml' is not one of text, json" in result.stderr


def test_behind_the_proxy_plain_http_is_redirected_and_https_is_served_with_hsts(settings, db):
    from django.test import Client

    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    plain = Client().get("/en/accounts/login/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/en/accounts/login/"
    secure = Client().get("/en/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=3600; includeSubDomains"
    # The stack's health probes talk plain HTTP to gunicorn.
    assert Client().get("/healthz").status_code != 301
