from django.apps import AppConfig


class PompidouConfig(AppConfig):
    name = "pompidou"
    verbose_name = "Pompidou portal"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from . import (
            checks,  # noqa: F401  (registers the system checks)
            converters,
        )
        from .security import signals  # noqa: F401  (logins, logouts, lockouts in the audit log)

        converters.register()
        # Every deletion of a row the API lists leaves a tombstone for the changes feed.
        from .tombstones import connect

        connect()
        # SQLite has no ICU: the collations order_by_name uses, from Python.
        from .lib.collation import register_sqlite_collations

        connection_created.connect(register_sqlite_collations)
