from django.apps import AppConfig


class PompidouConfig(AppConfig):
    name = "pompidou"
    verbose_name = "Pompidou portal"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import (
            checks,  # noqa: F401  (registers the system checks)
            converters,
        )
        from .security import signals  # noqa: F401  (logins, logouts, lockouts in the audit log)

        converters.register()
        # A write makes the lists' cached counts stale (pompidou.listing).
        from .listing import lists_changed

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(lists_changed, dispatch_uid=f"lists_changed_{id(signal)}")
        # Every deletion of a row the API lists leaves a tombstone for the changes feed.
        from .tombstones import connect

        connect()
        # SQLite has no ICU: the collations order_by_name uses, from Python.
        from .lib.collation import register_sqlite_collations

        connection_created.connect(register_sqlite_collations)
