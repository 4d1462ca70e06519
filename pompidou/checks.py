"""System checks that flag unsafe production values, each with a hint.

They run with `manage.py check --deploy` (the stack's `migrate` service and CI run
it). With DEBUG off a missing broker or an e-mail backend that sends nothing is an
error, not a warning: reminders and notifications would silently never leave.
The test suite runs with DEBUG off but never with --deploy, so it is unaffected.
"""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

# Backends that accept a message and send nothing.
NON_SENDING_EMAIL_BACKENDS = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
)


@register(Tags.security, deploy=True)
def production_settings(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    # In development (DEBUG on) these are reminders; in production, refusals.
    level = Warning if settings.DEBUG else Error
    problems: list[CheckMessage] = []
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        problems.append(
            Warning(
                "The portal runs on the embedded SQLite database.",
                hint="Set DATABASE_URL=postgres://… for production.",
                id="pompidou.W001",
            )
        )
    if settings.CELERY_TASK_ALWAYS_EAGER:
        problems.append(
            level(
                "No Celery broker: tasks (document compilation, reminders, notifications) "
                "run inside the web process.",
                hint="Set CELERY_BROKER_URL=redis://… and run a worker and beat.",
                id="pompidou.W002" if level is Warning else "pompidou.E002",
            )
        )
    if settings.EMAIL_BACKEND in NON_SENDING_EMAIL_BACKENDS:
        problems.append(
            level(
                f"E-mail is not sent: EMAIL_BACKEND is {settings.EMAIL_BACKEND}.",
                hint=(
                    "Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and "
                    "EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, "
                    "EMAIL_USE_TLS."
                ),
                id="pompidou.W003" if level is Warning else "pompidou.E003",
            )
        )
    if not getattr(settings, "CACHE_URL", None):
        problems.append(
            Warning(
                "No shared cache: each process keeps its own cached list counts and "
                "summary figures, so with several gunicorn workers a page may show a "
                "figure up to LIST_COUNT_CACHE_SECONDS old after a write.",
                hint="Set CACHE_URL=redis://… (the stack's Redis).",
                id="pompidou.W004",
            )
        )
    return problems
