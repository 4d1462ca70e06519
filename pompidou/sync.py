"""REST clients that sync instead of downloading everything again.

Three things every list and detail endpoint of the API gets from ``SyncMixin``:

- ``?updated_since=<ISO 8601 time with its zone>`` on a list: the rows changed at or
  after that time, oldest change first (then by id);
- conditional requests: ``ETag`` and ``Last-Modified`` on every list and detail
  answer, and ``304 Not Modified`` to ``If-None-Match`` / ``If-Modified-Since`` when
  nothing changed, decided by one aggregate (newest change and row count of the
  filtered set) before any row is read or serialised;
- ``GET <list>/changes/?since=<token>``: the feed of upserts and deletions
  (``pompidou.changes``).

Every list answer carries a ``Sync-Watermark`` header: the time to pass back as
``updated_since`` (or as the feed's ``since``) next time. It is safe under concurrent
writes: a row's ``updated_at`` is taken inside its transaction, and a transaction
still running when the list was read may commit later with an ``updated_at`` older
than the rows the client saw. So the watermark is not "now" but the start of the
oldest transaction still open on the database (PostgreSQL's ``pg_stat_activity``),
less ``SYNC_SAFETY_MARGIN_SECONDS`` (the moment between ``updated_at`` being taken
and the transaction's first statement, and any clock difference between the web
servers and the database). Anything committed after the answer was read has an
``updated_at`` at or after the watermark; rows at or after it may come again, which
a client applies as the upsert it is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.filters import BaseFilterBackend
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.settings import api_settings

from .changes import FEED_PARAMETERS, GONE_HELP, FeedSerializer, feed
from .listing import cached_count, cached_result
from .models import Tombstone

UPDATED_SINCE = "updated_since"
WATERMARK_HEADER = "Sync-Watermark"
READS = ("GET", "HEAD")

# The start of the oldest transaction still open on this database, other than the
# reader's own (its snapshot is the one being answered); the clock if none is open.
# LEAST ignores the NULL of "none". The function behind the pg_stat_activity view,
# read directly (the backends of this database: the datid of the reader's own): the
# same rows, without planning the view's joins at every request (0.15 ms, not 0.5).
_OLDEST_OPEN = """
LEAST(
    clock_timestamp(),
    (SELECT min(xact_start) FROM pg_stat_get_activity(NULL)
      WHERE datid = (SELECT datid FROM pg_stat_get_activity(pg_backend_pid()))
        AND pid <> pg_backend_pid() AND xact_start IS NOT NULL)
)
"""
# SQLite's writers take the whole database in turn: its clock (UTC).
_SQLITE_NOW = "strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now')"


def read_clock(gone_of: type[Model] | None = None) -> tuple[dt.datetime, dt.datetime | None]:
    """The sync watermark: the time before which every change that will ever be seen
    is already committed (see the module's docstring); and, for ``gone_of``, when a
    row of that model last left the lists (its newest tombstone). One query."""
    connection = connections[DEFAULT_DB_ALIAS]
    table = connection.ops.quote_name(Tombstone._meta.db_table)
    gone, params = "NULL", []
    if gone_of is not None:
        # The table's name is the model's own, quoted; the value is a parameter.
        gone = f"(SELECT max(at) FROM {table} WHERE model = %s)"  # noqa: S608
        params = [_label(gone_of)]
    now = _OLDEST_OPEN if connection.vendor == "postgresql" else _SQLITE_NOW
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {now}, {gone}", params)
        clock, gone_at = (_as_time(value) for value in cursor.fetchone())
    assert clock is not None
    return clock - dt.timedelta(seconds=settings.SYNC_SAFETY_MARGIN_SECONDS), gone_at


def watermark() -> dt.datetime:
    return read_clock()[0]


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


def _as_time(value: Any) -> dt.datetime | None:
    """A time read by raw SQL: aware from PostgreSQL, UTC text from SQLite."""
    if value is None or isinstance(value, dt.datetime):
        return value
    parsed = parse_datetime(value)
    assert parsed is not None, value
    return parsed.replace(tzinfo=dt.UTC)


def parse_time(value: str, field: str) -> dt.datetime:
    """An ISO 8601 time with its zone, or a 400 naming ``field``."""
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise exceptions.ValidationError(
            {
                field: [
                    _("Give an ISO 8601 time with its time zone, e.g. 2026-03-01T09:30:00+00:00.")
                ]
            }
        )
    return parsed


# --- conditional requests ------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """What the client's copy is compared with: one version of a list or a record."""

    etag: str
    last_modified: dt.datetime | None
    watermark: dt.datetime
    rows: int

    def matches(self, request: Any) -> bool:
        """Whether the request's conditions say the client holds this version."""
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match:  # it takes precedence over If-Modified-Since (RFC 9110)
            tags = parse_etags(if_none_match)
            return tags == ["*"] or _weak(self.etag) in {_weak(t) for t in tags}
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        if since is None or self.last_modified is None:
            return False
        return int(self.last_modified.timestamp()) <= since


def _weak(tag: str) -> str:
    return tag.removeprefix("W/")


def version_of(
    request: Any, queryset: QuerySet, *, watermark_at: dt.datetime, gone_at: dt.datetime | None
) -> Version:
    """The version of ``queryset`` as ``request``'s user sees it: its row count (the
    lists' cached count, which the paginator then reads too, see pompidou/listing.py)
    and its newest change (one query on the ``(updated_at, id)`` index), both kept in
    the cache as the count is, until the next write (one round trip, no query, while
    nothing changed: a commit starts a new generation before its writer answers).

    The ETag hashes the reader (a Secretariat user and an anonymous visitor never share
    one), the language, the full path with its query, the row count and the newest
    change (``updated_at``, or a deletion reported by ``gone_at``). While that newest
    change is not older than the watermark, a transaction still open may yet commit a
    row with an older time, so the ETag names the watermark too and matches nothing
    later; once settled it stays the same until something changes.
    ``Last-Modified`` is given only when the whole second it names is settled (the
    header has no fractions, and a change later in that second would pass unseen).
    """
    rows, newest = cached_result(
        "version", queryset.order_by().values("pk"), lambda: _count_and_newest(queryset)
    )
    changed = max((t for t in (newest, gone_at) if t is not None), default=None)
    settled = changed is None or changed < watermark_at
    user = request.user
    parts = [
        f"user:{user.pk}" if user.is_authenticated else "anonymous",
        get_language() or "",
        request.get_full_path(),
        str(rows),
        changed.isoformat() if changed else "",
        "" if settled else watermark_at.isoformat(),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    last_modified = None
    if changed is not None:
        second = changed.replace(microsecond=0)
        if second + dt.timedelta(seconds=1) <= watermark_at:
            last_modified = second
    return Version(
        etag=f'W/"{digest}"',
        last_modified=last_modified,
        watermark=watermark_at,
        rows=rows,
    )


def _count_and_newest(queryset: QuerySet) -> tuple[int, dt.datetime | None]:
    newest = queryset.order_by("-updated_at").values_list("updated_at", flat=True)[:1]
    return cached_count(queryset), next(iter(newest), None)


class NotModified(Exception):
    """Raised before a list or record is read when the client's copy is current."""


# --- the query parameter, documented --------------------------------------------------


class UpdatedSinceFilter(BaseFilterBackend):
    """Documents ``updated_since`` on every list. ``SyncMixin.paginate_queryset``
    applies it, the one step every list handler takes (the proposals' list filters
    through its selector, not through ``filter_queryset``)."""

    def filter_queryset(self, request: Any, queryset: QuerySet, view: Any) -> QuerySet:
        return queryset

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        if getattr(view, "action", None) != "list":
            return []  # the exports take the list's filters, not this
        return [
            {
                "name": UPDATED_SINCE,
                "required": False,
                "in": "query",
                "description": str(
                    _(
                        "Only the rows changed at or after this time (ISO 8601 with its "
                        "time zone), oldest change first, then by id. Pass the "
                        "Sync-Watermark header of your previous answer. Rows that left "
                        "the list are in the changes feed (…/changes/)."
                    )
                ),
                "schema": {"type": "string", "format": "date-time"},
            }
        ]


# --- the mixin ------------------------------------------------------------------------


class SyncMixin(GenericAPIView):
    """``updated_since``, conditional requests and the changes feed for a viewset
    (see the module's docstring). The feed's rows are ``get_sync_queryset()``: the
    viewset's ``get_queryset()`` unless it shapes its list rows elsewhere."""

    # The project's filter backends (settings: classes once DRF has read them) and ours.
    filter_backends = [*api_settings.DEFAULT_FILTER_BACKENDS, UpdatedSinceFilter]  # type: ignore[list-item]
    sync_version: Version | None = None
    sync_ordering: tuple[str, ...] | None = None

    def get_sync_queryset(self) -> QuerySet:
        return self.get_queryset()

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.sync_version = None
        if getattr(self, "action", None) == "retrieve" and request.method in READS:
            # Before the handler reads the record: a 304 costs two small queries.
            lookup = self.lookup_url_kwarg or self.lookup_field
            try:
                record = self.get_queryset().filter(**{self.lookup_field: self.kwargs[lookup]})
            except (TypeError, ValueError, ValidationError):
                return  # not a key at all: the handler answers 404, as get_object does
            self._compare(record, gone_of=None, record=True)

    def paginate_queryset(self, queryset: Any) -> Any:
        request = self.request
        since = request.query_params.get(UPDATED_SINCE)
        self.sync_ordering = None
        if since:
            queryset = queryset.filter(updated_at__gte=parse_time(since, UPDATED_SINCE))
            # A keyset paginator orders by this instead of the list's own order.
            self.sync_ordering = ("updated_at", "pk")
            queryset = queryset.order_by(*self.sync_ordering)
        if getattr(self, "action", None) == "list" and request.method in READS:
            self._compare(queryset, gone_of=queryset.model)
        return super().paginate_queryset(queryset)

    def _compare(
        self, queryset: QuerySet, *, gone_of: type[Model] | None, record: bool = False
    ) -> None:
        request = self.request
        # The watermark first: whatever commits after the aggregate's snapshot then
        # has a time at or after it.
        watermark_at, gone_at = read_clock(gone_of)
        version = version_of(request, queryset, watermark_at=watermark_at, gone_at=gone_at)
        if record and not version.rows:
            return  # no such record for this reader: the handler answers 404
        self.sync_version = version
        if version.matches(request):
            raise NotModified

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, NotModified):
            return Response(status=304)
        return super().handle_exception(exc)

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        version = self.sync_version
        if version is not None and response.status_code in (200, 304):
            response["ETag"] = version.etag
            if version.last_modified is not None:
                response["Last-Modified"] = http_date(version.last_modified.timestamp())
            if getattr(self, "action", None) == "list":
                response[WATERMARK_HEADER] = version.watermark.isoformat()
        if request.method in READS:
            # The answer depends on who asks and in which language: no cache may give
            # one reader's copy to another, and each copy is checked before use.
            patch_vary_headers(response, ("Accept-Language", "Authorization", "Cookie"))
            patch_cache_control(response, no_cache=True)
            if request.user.is_authenticated:
                patch_cache_control(response, private=True)
        return response

    @extend_schema(
        filters=False,
        parameters=FEED_PARAMETERS,
        responses={200: FeedSerializer, 410: OpenApiResponse(description=GONE_HELP)},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="changes",
        url_name="changes",
        pagination_class=None,
        filter_backends=[],
    )
    def changes(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        """What changed since your token: the records you may see that changed (an
        upsert, with the record as the list gives it) and those that left your sight
        (a delete: deleted, withdrawn, no longer public, closed), oldest first, with the token
        to pass next time. Filters do not apply: the feed keeps a whole mirror."""
        return Response(feed(self, request))
