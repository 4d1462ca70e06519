"""Bulk inserts for the generator: ``bulk_create`` in batches, with the generated
timestamps kept (``auto_now``/``auto_now_add`` would stamp every row with the moment of
the insert, and the lists ordered by creation would all tie)."""

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence

from django.db import models
from django.utils import timezone

BATCH = 2000


@contextlib.contextmanager
def explicit_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    saved = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DateField) and (
                getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            ):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add


def insert(objs: Sequence[models.Model]) -> list:
    """Insert ``objs`` (of one model) with their generated timestamps; returns them with
    their primary keys (PostgreSQL and SQLite return them from ``bulk_create``)."""
    if not objs:
        return []
    model = type(objs[0])
    with explicit_timestamps(model):
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
