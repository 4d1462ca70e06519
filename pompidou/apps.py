from django.apps import AppConfig


class PompidouConfig(AppConfig):
    name = "pompidou"
    verbose_name = "Pompidou portal"

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (registers the system checks)
            converters,
        )

        converters.register()
