from django.apps import AppConfig


class PompidouConfig(AppConfig):
    name = "pompidou"
    verbose_name = "Pompidou portal"

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (registers the system checks)
            converters,
        )
        from .security import signals  # noqa: F401  (logins, logouts, lockouts in the audit log)

        converters.register()
