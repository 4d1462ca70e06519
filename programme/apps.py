from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = _("Programme")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import permissions  # noqa: F401  (registers the rules for {% can %})
        from .collation import register_sqlite_collations
        from .roles import grant_secretariat_permissions

        # After every app's migrations, once its permissions exist.
        post_migrate.connect(grant_secretariat_permissions)
        # SQLite has no ICU: the collations order_by_name uses, from Python.
        connection_created.connect(register_sqlite_collations)
