from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = _("Programme")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from pompidou.notices import register_kind

        from . import permissions  # noqa: F401  (registers the rules for {% can %})
        from .roles import grant_secretariat_permissions

        # After every app's migrations, once its permissions exist.
        post_migrate.connect(grant_secretariat_permissions)
        register_kind("programme_comment", _("A comment on a draft work programme"))
