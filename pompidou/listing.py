"""Long lists without counting the whole table at every page.

- ``cached_count(qs)``: the number of rows of a filtered list, kept in the cache under
  the list's own SQL (the visible set and the filters are in it), for
  ``LIST_COUNT_CACHE_SECONDS`` at most and only until the next write: any saved or
  deleted row, or a bulk change that says so (``lists_changed``), starts a new
  generation, and an entry is kept with the generation it was computed in (read with
  it in one round trip; an older one's is stale). The list pages and the API's lists
  share it.
- ``until_next_write(name, compute)``: any other figure of a list (the annual
  programme's totals, the order of its entries), kept the same way.
- ``cached_representations(kind, rows, variant, represent)``: the API's
  representation of each row of a page, kept likewise (``API_ROW_CACHE_SECONDS``)
  until the next write, so pages that share rows, and the same page asked again,
  skip its related reads.
- ``cached_rows(qs)`` and ``cached_aggregate(qs, ...)``: the same for a page's summary
  figures (rows of ``values()``, aggregates over many rows): keyed on their SQL, where
  the day, the user's scope and the language already stand, and on the generation, so
  a figure read after any write is computed afresh.
- ``ListPaginator``: Django's paginator with that count, and whose pages past the
  middle are read from the end (the order reversed, a short ``OFFSET``), so the last
  page costs what the first does; a page further in chooses its rows' keys first
  (the ``OFFSET`` over the keys alone), then reads those rows whole.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.utils.functional import cached_property

GENERATION_KEY = "lists:generation"
T = TypeVar("T")
# Writes that change no list: a session renewed at each request, a login throttle.
UNLISTED_APPS = frozenset({"sessions", "axes", "otp_totp", "authtoken", "admin"})


def lists_changed(sender: Any = None, **_kwargs: Any) -> None:
    """Counts cached before now are stale (a write happened). Connected to every
    save, delete and many-to-many change; bulk writers call it themselves."""
    if sender is not None and sender._meta.app_label in UNLISTED_APPS:
        return
    _bump()
    # Again once the write is committed: a figure another request computed meanwhile,
    # from the rows as they stood before the commit, is not kept (one per transaction).
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        func is _bump for _sids, func, _robust in connection.run_on_commit
    ):
        transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache yet (or evicted): any new value will do
        cache.set(GENERATION_KEY, 1, None)


def _key(kind: str, text: str) -> str:
    return f"lists:{kind}:{hashlib.sha256(text.encode()).hexdigest()}"


def _current(keys: list[str]) -> tuple[int, dict[str, Any]]:
    """The generation and the entries of ``keys`` written in it (one round trip: an
    entry is kept with the generation it was computed in, and one of an older
    generation is stale)."""
    found = cache.get_many([GENERATION_KEY, *keys])
    generation = found.pop(GENERATION_KEY, 0)
    return generation, {
        k: v[1] for k, v in found.items() if isinstance(v, tuple) and v[0] == generation
    }


def cached_value(kind: str, inputs: str, compute: Callable[[], T]) -> T:
    """``compute()`` (a picklable value that depends on nothing but the database and
    ``inputs``, the text of everything else it reads), from the cache when it was
    computed for the same ``inputs`` since the last write (and not longer ago than
    ``LIST_COUNT_CACHE_SECONDS``)."""
    seconds = settings.LIST_COUNT_CACHE_SECONDS
    if not seconds:
        return compute()
    key = _key(kind, inputs)
    generation, found = _current([key])
    if key in found:
        return found[key]
    value = compute()
    cache.set(key, (generation, value), seconds)
    return value


def sql_of(qs: QuerySet[Any]) -> str | None:
    """The SQL of ``qs`` with its parameters, as a cache key's part (the rows it is read
    from, with the user's scope and the day in it); None for a query that can match
    nothing (Django writes no SQL for it)."""
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:
        return None
    return f"{sql}|{params!r}"


def cached_result(kind: str, qs: QuerySet[Any], compute: Callable[[], T], extra: str = "") -> T:
    """``cached_value`` whose inputs are the SQL of ``qs`` and ``extra``."""
    sql = sql_of(qs)
    if sql is None:
        return compute()
    return cached_value(kind, f"{sql}|{extra}", compute)


def cached_count(qs: QuerySet[Any]) -> int:
    """``qs.count()``, from the cache when the same list was counted since the last
    write (and not longer ago than ``LIST_COUNT_CACHE_SECONDS``)."""
    return cached_result("count", qs.order_by().values("pk"), qs.count)


def cached_rows(qs: QuerySet[Any]) -> list[Any]:
    """``list(qs)`` of a ``values()`` or ``values_list()`` queryset (plain values, which
    the cache keeps), cached as ``cached_count``."""
    return cached_result("rows", qs, lambda: list(qs))


def cached_aggregate(qs: QuerySet[Any], **aggregates: Any) -> dict[str, Any]:
    """``qs.aggregate(**aggregates)``, cached as ``cached_count``. The key is the SQL
    of the aggregates over ``qs`` (an expression's ``repr`` may name an object's
    address, a subquery's for one, and would never be found again)."""
    named = {f"aggregate_{name}": value for name, value in sorted(aggregates.items())}
    keyed = qs.order_by().values("pk").annotate(**named)
    return cached_result("aggregate", keyed, lambda: qs.aggregate(**aggregates))


def until_next_write(name: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept under ``name`` (which says everything else it depends on)
    as the counts are: until the next write, ``LIST_COUNT_CACHE_SECONDS`` at most."""
    return cached_value("figure", name, compute)


def cached_representations(
    kind: str, rows: list[Any], variant: str, represent: Callable[[list[Any]], list[Any]]
) -> list[Any]:
    """``represent(rows)``, each row's part read from the cache when it was written
    since the last write (of anything: the generation of ``lists_changed``), and not
    longer ago than ``API_ROW_CACHE_SECONDS``; ``represent`` is asked for the others
    only. ``variant`` names what else the representation depends on (the host of its
    links). A row's key names its ``updated_at`` too: a change whose transaction
    commits after a reader cached the row's former state (within the generation its
    save started) is still seen. The page's representations are kept together too,
    keyed on its rows' keys, so a page asked again is one entry read, not one per
    row."""
    seconds = settings.API_ROW_CACHE_SECONDS
    if not seconds or not rows:
        return represent(rows)
    prefix = f"lists:row:{kind}:{hashlib.sha256(variant.encode()).hexdigest()[:16]}"
    keys = [f"{prefix}:{row.pk}:{row.updated_at.isoformat()}" for row in rows]
    # The whole page's first, kept likewise (one entry to read, not one per row).
    page = _key(f"page:{kind}", "\n".join(keys))
    generation, found = _current([page])
    if page in found:
        return found[page]
    generation, found = _current(keys)
    missing = [(key, row) for key, row in zip(keys, rows, strict=True) if key not in found]
    if missing:
        fresh = dict(zip((k for k, _ in missing), represent([r for _, r in missing]), strict=True))
        cache.set_many({k: (generation, v) for k, v in fresh.items()}, seconds)
        found.update(fresh)
    answer = [found[key] for key in keys]
    cache.set(page, (generation, answer), seconds)
    return answer


class CountedPaginator(Paginator):
    """Django's paginator whose count of a queryset is the cached one (the API's
    numbered lists; their ETag has just counted the same rows), or ``count`` when the
    caller has it from a cheaper query than counting ``object_list`` (the overdue
    reports' one pass)."""

    def __init__(self, object_list: Any, per_page: int, count: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self._known = count

    @cached_property
    def count(self) -> int:
        if self._known is not None:
            return self._known
        if isinstance(self.object_list, QuerySet):
            return cached_count(self.object_list)
        return len(self.object_list)


class ListPaginator(Paginator):
    """Pages of an ordered queryset with a cached count; a page past the middle is read
    backwards from the end, so no page walks more than half the list."""

    object_list: QuerySet[Any]

    @cached_property
    def count(self) -> int:
        return cached_count(self.object_list)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if bottom > self.count - top:
            # Rows bottom..top are, in the reversed order, count-top..count-bottom.
            rows = slice_by_keys(self.object_list.reverse(), self.count - top, self.count - bottom)
            rows.reverse()
        else:
            rows = slice_by_keys(self.object_list, bottom, top)
        return Page(rows, number, self)


def slice_by_keys(qs: QuerySet[Any], bottom: int, top: int) -> list[Any]:
    """Rows ``bottom:top`` of the ordered ``qs``, their keys chosen first: the ``OFFSET``
    walks the keys alone (an index-only scan where an index holds the order and the
    key), and only the page's rows are read whole. In one query."""
    if not bottom:
        return list(qs[bottom:top])
    return list(qs.filter(pk__in=qs.values("pk")[bottom:top]))
