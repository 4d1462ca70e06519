"""Keyset ("cursor") paging of an ordered queryset: a page starts after (or ends before)
the ordering values of a row, so reaching page 600 costs what page 1 does (no
``OFFSET`` walking the rows before it), and rows inserted meanwhile neither repeat
nor skip a row of the pages still to come.

A cursor is opaque to clients: URL-safe base64 of JSON holding the boundary row's
ordering values and the direction. The ordering must end with a unique column (the
pk is added when it does not), so "after this row" is exact.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import and_, or_
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet

AFTER, BEFORE = "n", "p"


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Key:
    name: str  # a field or an annotation ("pk" for the primary key)
    descending: bool


def ordering_of(qs: QuerySet[Any]) -> list[Key]:
    """The queryset's ordering as keys, ending with a unique one."""
    names = list(qs.query.order_by or qs.model._meta.ordering)
    keys = [Key(n.lstrip("-"), n.startswith("-")) for n in names]
    if any("__" in k.name or "?" in k.name for k in keys):
        raise ValueError(f"Cannot page by {names}: order by the model's own columns.")
    if not keys or not _unique(qs, keys[-1].name):
        keys.append(Key("pk", keys[-1].descending if keys else False))
    return keys


def keys_only(qs: QuerySet[Any], keys: list[Key], extra: tuple[str, ...] = ()) -> QuerySet[Any]:
    """``qs`` reading only the primary key, the ordering's values and ``extra`` of each
    row, as named tuples (``row.pk``, ``row.<key>``; no model instance, no related
    row): enough to page, and to find a row's representation in a cache."""
    names = dict.fromkeys(("pk", *(k.name for k in keys), *extra))
    return qs.select_related(None).values_list(*names, named=True)


def _unique(qs: QuerySet[Any], name: str) -> bool:
    if name in ("pk", qs.model._meta.pk.name):
        return True
    try:
        return bool(qs.model._meta.get_field(name).unique)
    except FieldDoesNotExist:
        return False


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _read(qs: QuerySet[Any], name: str, value: Any) -> Any:
    """A cursor's value back to the column's type (an annotation keeps JSON's). What
    the database would refuse (a NUL, an integer past 64 bits) is a bad cursor, not a
    500."""
    if (isinstance(value, str) and "\x00" in value) or (
        isinstance(value, int) and abs(value) >= 2**63
    ):
        raise BadCursor(name)
    if name == "pk":
        field = qs.model._meta.pk
    else:
        try:
            field = qs.model._meta.get_field(name)
        except FieldDoesNotExist:
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise BadCursor(name) from None
            return value
    try:
        return field.to_python(value)
    except Exception as exc:  # noqa: BLE001 - any unreadable value: a bad cursor
        raise BadCursor(name) from exc


def encode(keys: list[Key], row: Any, direction: str) -> str:
    values = [_plain(getattr(row, k.name)) for k in keys]
    raw = json.dumps({"v": values, "d": direction}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(qs: QuerySet[Any], keys: list[Key], cursor: str) -> tuple[list[Any], str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        values, direction = data["v"], data["d"]
    except (ValueError, TypeError, KeyError) as exc:
        raise BadCursor(cursor) from exc
    if direction not in (AFTER, BEFORE) or not isinstance(values, list):
        raise BadCursor(cursor)
    if len(values) != len(keys):
        raise BadCursor(cursor)  # made for another ordering
    return [_read(qs, k.name, v) for k, v in zip(keys, values, strict=True)], direction


def beyond(keys: list[Key], values: list[Any], direction: str) -> Q:
    """The rows after (``AFTER``) or before (``BEFORE``) the row whose ordering values
    are ``values``: ``(a, b) > (x, y)`` written out per key, as the keys may run in
    different directions, plus ``a >= x`` alone so the index's range starts there."""

    def past(key: Key, value: Any, strict: bool) -> Q:
        forward = (not key.descending) == (direction == AFTER)
        lookup = ("gt" if forward else "lt") + ("" if strict else "e")
        return Q(**{f"{key.name}__{lookup}": value})

    branches = []
    for i, key in enumerate(keys):
        equal = [Q(**{k.name: v}) for k, v in zip(keys[:i], values[:i], strict=True)]
        branches.append(reduce(and_, [*equal, past(key, values[i], strict=True)]))
    return past(keys[0], values[0], strict=False) & reduce(or_, branches)


def reverse_order(keys: list[Key]) -> list[str]:
    return [("" if k.descending else "-") + k.name for k in keys]


def forward_order(keys: list[Key]) -> list[str]:
    return [("-" if k.descending else "") + k.name for k in keys]


@dataclass
class Window:
    rows: list[Any]
    has_before: bool
    has_after: bool


def window(qs: QuerySet[Any], keys: list[Key], cursor: str | None, size: int) -> Window:
    """``size`` rows of ``qs`` from ``cursor`` (the first rows without one), in the
    queryset's order, and whether rows remain on either side."""
    if cursor is None:
        rows = list(qs.order_by(*forward_order(keys))[: size + 1])
        return Window(rows[:size], has_before=False, has_after=len(rows) > size)
    values, direction = decode(qs, keys, cursor)
    if direction == AFTER:
        rows = list(
            qs.filter(beyond(keys, values, AFTER)).order_by(*forward_order(keys))[: size + 1]
        )
        return Window(rows[:size], has_before=True, has_after=len(rows) > size)
    rows = list(qs.filter(beyond(keys, values, BEFORE)).order_by(*reverse_order(keys))[: size + 1])
    page = rows[:size]
    page.reverse()
    return Window(page, has_before=len(rows) > size, has_after=True)
