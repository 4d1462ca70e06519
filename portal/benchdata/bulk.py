"""Bulk inserts for the generator: ``bulk_create`` in batches, with the generated
timestamps kept (``auto_now``/``auto_now_add`` would stamp every row with the moment of
the insert, and the lists ordered by creation would all tie)."""

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence

from django.db import connection, models
from django.utils import timezone

BATCH = 2000


@contextlib.contextmanager
def explicit_timestamps(
    model: type[models.Model], sample: models.Model | None = None
) -> Iterator[None]:
    """``auto_now``/``auto_now_add`` off for the timestamps the generator gives (those
    set on ``sample``, every one without a sample); the others stamp the insert's time."""
    saved = []
    for f in model._meta.concrete_fields:
        automatic = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        given = sample is None or getattr(sample, f.attname) is not None
        if isinstance(f, models.DateField) and automatic and given:
            saved.append((f, f.auto_now, f.auto_now_add))
            f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add


@contextlib.contextmanager
def indexes_deferred(tables: list[str]) -> Iterator[None]:
    """On PostgreSQL, drop the plain (non-unique, not a constraint's) indexes of
    ``tables`` and build them again afterwards: one bulk build instead of an update
    per row (the full-text GIN indexes above all). Unique indexes and constraints stay
    in force throughout."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
            " FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
            " WHERE t.relname = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [tables],
        )
        found = cursor.fetchall()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _ in found:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    yield
    with connection.cursor() as cursor:
        # The deferred foreign-key checks run now: an index is not built over pending ones.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _, definition in found:
            cursor.execute(definition)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def insert(objs: Sequence[models.Model]) -> list:
    """Insert ``objs`` (of one model) with their generated timestamps; returns them with
    their primary keys (PostgreSQL and SQLite return them from ``bulk_create``)."""
    if not objs:
        return []
    model = type(objs[0])
    with explicit_timestamps(model, objs[0]):
        return model._default_manager.bulk_create(objs, batch_size=BATCH)


def insert_links(
    through: type[models.Model], pairs: Sequence[tuple[int, int]], a: str, b: str
) -> list:
    """Rows of a many-to-many table: ``(a_id, b_id)`` pairs."""
    return through._default_manager.bulk_create(
        [through(**{f"{a}_id": x, f"{b}_id": y}) for x, y in pairs], batch_size=BATCH * 5
    )


def moment(day: dt.date, hour: int = 10) -> dt.datetime:
    """An aware datetime on ``day`` (the portal's time zone)."""
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))
