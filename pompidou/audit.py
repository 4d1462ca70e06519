"""Writing and reading the one history (``AuditEvent``).

Services call ``record(subject, kind, actor, …)`` for every change they make;
``Workflow.move`` calls it for status changes. ``changes`` takes
``{"field": [old, new]}`` with any values: they are stored JSON-safe by ``jsonable``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from .models import AuditEvent

Kind = AuditEvent.Kind


def jsonable(value: Any) -> Any:
    """A value as the history stores it (JSON-safe, readable)."""
    if value is None or isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Model):
        full_name = getattr(value, "get_full_name", None)
        return (full_name() or str(value)) if full_name else str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(str(jsonable(v)) for v in value)
    if hasattr(value, "name"):  # a file
        return value.name or None
    return str(value)


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def event(
    subject: Model | None,
    kind: str,
    actor: Any = None,
    *,
    from_state: str = "",
    to_state: str = "",
    changes: Mapping[str, Any] | None = None,
    comment: str = "",
    label: str = "",
    ip: str | None = None,
) -> AuditEvent:
    """One event about ``subject``, not yet saved: ``record`` saves it, a bulk
    writer (an import of thousands of rows) saves many at once with ``bulk_create``."""
    return AuditEvent(
        actor=_actor(actor),
        content_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        object_id=subject.pk if subject is not None else None,
        subject_label=(label or str(subject))[:200] if subject is not None else label[:200],
        kind=kind,
        from_state=from_state or "",
        to_state=to_state or "",
        changes={
            key: [jsonable(v) for v in pair] if isinstance(pair, list | tuple) else jsonable(pair)
            for key, pair in (changes or {}).items()
        },
        comment=comment or "",
        ip=ip or None,
    )


def record(subject: Model | None, kind: str, actor: Any = None, **fields: Any) -> AuditEvent:
    """Write one event about ``subject`` (a saved record, or None); the keyword
    arguments are those of ``event``."""
    saved = event(subject, kind, actor, **fields)
    saved.save(force_insert=True)
    return saved


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{"field": [old, new]}`` for the fields whose JSON-safe value changed."""
    out = {}
    for key, new in after.items():
        old = before.get(key)
        if jsonable(old) != jsonable(new):
            out[key] = [jsonable(old), jsonable(new)]
    return out


def events_of(subject: Model) -> QuerySet[AuditEvent]:
    """The events of one record, oldest first, with their actors."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    ).select_related("actor", "content_type")


def events_of_many(subjects: Iterable[Model]) -> QuerySet[AuditEvent]:
    subjects = list(subjects)
    if not subjects:
        return AuditEvent.objects.none()
    ct = ContentType.objects.get_for_model(subjects[0])
    return AuditEvent.objects.filter(
        content_type=ct, object_id__in=[s.pk for s in subjects]
    ).select_related("actor", "content_type")
