from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from pompidou.jobs import register_sweep

        from .export_jobs import sweep

        register_sweep(sweep)
