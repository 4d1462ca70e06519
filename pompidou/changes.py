"""The changes feed of a list: ``GET /api/v1/<list>/changes/?since=<token>&limit=<n>``.

One stream per list, in the order things happened: an *upsert* for each record the
reader may see whose ``updated_at`` moved (with the record as the list gives it), a
*delete* for each tombstone (``pompidou.tombstones``) of a record the reader no
longer sees: deleted, withdrawn, no longer public, closed (a feedback request, to
those it asked). A tombstone of a record the reader
still sees is skipped: a withdrawn proposal that stays visible comes as an upsert
with its new status.

A position in the stream is (time, kind, id), upserts before deletes at the same
time; the token is that position, opaque to the client. The feed reads only what is
older than the sync watermark (``pompidou.sync.watermark``), which no late commit can
precede, so a token once given never skips a change. With no ``since`` the feed starts
from the beginning (a full download); ``since`` may also be a time (the
``Sync-Watermark`` header of a list answer). A token older than the tombstones'
retention answers 410: the client downloads the list again.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers

from . import tombstones
from .models import Tombstone

UPSERT, DELETE = 0, 1
# Before every kind at its time: the position a plain time stands for.
START = -1
DEFAULT_LIMIT, MAX_LIMIT = 100, 500

Position = tuple[dt.datetime, int, int]

GONE_HELP = _(
    "The token is older than the deletions the feed keeps "
    "(SYNC_TOMBSTONE_RETENTION_DAYS): download the list again, then follow the feed "
    "from its Sync-Watermark."
)


class Gone(exceptions.APIException):
    status_code = 410
    default_detail = GONE_HELP
    default_code = "gone"


def encode(position: Position) -> str:
    at, kind, pk = position
    raw = f"{at.isoformat()}|{kind}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(value: str) -> Position:
    """A token, or a time with its zone (everything at or after it); else a 400."""
    as_time = _time(value)
    if as_time is not None:
        return as_time, START, 0
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        at_text, kind, pk = raw.split("|")
        at = _time(at_text)
        if at is None or int(kind) not in (START, UPSERT, DELETE):
            raise ValueError(raw)
        return at, int(kind), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise exceptions.ValidationError(
            {"since": [_("Give the token of your last answer, or an ISO 8601 time with zone.")]}
        ) from None


def _time(value: str) -> dt.datetime | None:
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    return parsed if parsed is not None and parsed.tzinfo is not None else None


def _limit(request: Any) -> int:
    value = request.query_params.get("limit")
    if not value:
        return DEFAULT_LIMIT
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise exceptions.ValidationError({"limit": [_("Give a whole number from 1.")]})
    return min(int(value), MAX_LIMIT)


def after(position: Position, kind: int, time_field: str, id_field: str) -> Q:
    """The rows of ``kind`` that come after ``position`` in the stream."""
    at, at_kind, pk = position
    later = Q(**{f"{time_field}__gt": at})
    if kind > at_kind:
        return later | Q(**{time_field: at})
    if kind == at_kind:
        return later | Q(**{time_field: at, f"{id_field}__gt": pk})
    return later


def feed(view: Any, request: Any) -> dict[str, Any]:
    """One page of the feed for ``view`` (a viewset with ``SyncMixin``): four queries
    (the watermark, the records, the tombstones, which of their records the reader
    still sees) and the records' own prefetches."""
    from .sync import watermark

    since = request.query_params.get("since") or None
    limit = _limit(request)
    position = decode(since) if since else None
    if position is not None and position[0] < tombstones.horizon():
        raise Gone
    upto = watermark()
    visible = view.get_queryset()
    label = visible.model._meta.label_lower
    rows = view.get_sync_queryset().filter(updated_at__lt=upto)
    stones = Tombstone.objects.filter(model=label, at__lt=upto)
    if position is not None:
        rows = rows.filter(after(position, UPSERT, "updated_at", "pk"))
        stones = stones.filter(after(position, DELETE, "at", "id"))
    events: list[tuple[Position, Any]] = [
        ((row.updated_at, UPSERT, row.pk), row)
        for row in rows.order_by("updated_at", "pk")[: limit + 1]
    ]
    events += [((s.at, DELETE, s.pk), s) for s in stones.order_by("at", "id")[: limit + 1]]
    events.sort(key=lambda event: event[0])
    more = len(events) > limit
    events = events[:limit]
    gone_ids = {s.object_id for (_at, kind, _pk), s in events if kind == DELETE}
    still_seen = set(
        visible.prefetch_related(None).filter(pk__in=gone_ids).values_list("pk", flat=True)
        if gone_ids
        else ()
    )
    upserts = [row for (_at, kind, _pk), row in events if kind == UPSERT]
    data = iter(view.get_serializer(upserts, many=True).data)
    lookup = view.lookup_field
    changes: list[dict[str, Any]] = []
    for (at, kind, _pk), item in events:
        if kind == UPSERT:
            key = item.pk if lookup == "pk" else getattr(item, lookup)
            changes.append({"change": "upsert", "key": key, "at": at, "data": next(data)})
        elif item.object_id not in still_seen:
            key = item.keys.get("id" if lookup == "pk" else lookup, item.object_id)
            changes.append({"change": "delete", "key": key, "at": at, "reason": item.reason})
    last = events[-1][0] if more else (upto, START, 0)
    return {"changes": changes, "next": encode(last), "more": more}


# --- its documentation ---------------------------------------------------------------


class ChangeSerializer(serializers.Serializer):
    change = serializers.ChoiceField(choices=["upsert", "delete"])
    key = serializers.JSONField(
        help_text="The record's key in the list: its id, or its reference, code or year."
    )
    at = serializers.DateTimeField()
    data = serializers.JSONField(  # type: ignore[assignment]  # the field, for the schema only
        required=False, help_text="An upsert's record, as the list and detail give it."
    )
    reason = serializers.ChoiceField(
        choices=Tombstone.Reason.choices,
        required=False,
        help_text="Why a record left your sight (a delete only).",
    )


class FeedSerializer(serializers.Serializer):
    changes = ChangeSerializer(many=True)
    next = serializers.CharField(help_text="Pass it as `since` next time.")
    more = serializers.BooleanField(help_text="True: ask again at once with `next`.")


FEED_PARAMETERS = [
    OpenApiParameter(
        "since",
        OpenApiTypes.STR,
        description=(
            "The `next` token of your last answer, or the `Sync-Watermark` time of a "
            "list answer (ISO 8601 with its zone). None: from the beginning."
        ),
    ),
    OpenApiParameter(
        "limit",
        OpenApiTypes.INT,
        description=f"Changes per answer: {DEFAULT_LIMIT} unless given, at most {MAX_LIMIT}.",
    ),
]
