"""System checks that flag unsafe production values, each with a hint."""

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def production_settings(app_configs: Any, **kwargs: Any) -> list[Any]:
    problems = []
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
            Warning(
                "Celery tasks run eagerly inside the web process.",
                hint="Set CELERY_BROKER_URL=redis://… and run a worker (make worker).",
                id="pompidou.W002",
            )
        )
    if "console" in (settings.EMAIL_BACKEND or ""):
        problems.append(
            Warning(
                "E-mail is written to the console, not sent.",
                hint="Set EMAIL_BACKEND to the SMTP backend and its EMAIL_* settings.",
                id="pompidou.W003",
            )
        )
    return problems
