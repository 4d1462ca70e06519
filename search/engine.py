"""One search, two engines chosen by the database: PostgreSQL full-text search
(``websearch_to_tsquery`` in English and in French, ranked with ``ts_rank``, passages
from ``ts_headline``), or on SQLite (``make run``) every word ``icontains`` one of
the same columns, unranked."""

from functools import cached_property, reduce
from operator import and_, or_
from typing import Any

from django.contrib.postgres.search import SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, FloatField, Q, QuerySet, Value

from pompidou.textsearch import postgres_query

from .documents import BY_KIND, SOURCES, Result, Source
from .highlight import words_of

MAX_QUERY_LENGTH = 200
# Per kind, the most rows counted and ranked. Ranking reads every candidate's document,
# so a word found in 10,000 activities would cost half a second; past this many, the
# page says there are more and asks for more words (tests/perf/test_search.py).
MAX_PER_KIND = 1000


def postgres_matching(source: Source, qs: QuerySet[Any], q: str) -> QuerySet[Any]:
    return qs.annotate(found_in=source.document()).filter(found_in=postgres_query(q))


def fallback_matching(source: Source, qs: QuerySet[Any], q: str) -> QuerySet[Any]:
    """SQLite: each word in one of the kind's columns, whatever its case."""
    words = words_of(q)
    if not words:
        return qs.none()
    each_word = [
        reduce(or_, (Q(**{f"{field}__icontains": word}) for field in source.fields))
        for word in words
    ]
    return qs.filter(reduce(and_, each_word))


def matching(source: Source, qs: QuerySet[Any], q: str) -> QuerySet[Any]:
    """The rows of ``qs`` that ``q`` finds: the one place choosing the engine."""
    if connection.vendor == "postgresql":
        return postgres_matching(source, qs, q)
    return fallback_matching(source, qs, q)


class Results:
    """What ``q`` finds that ``user`` may see, of every kind or of ``kind``: counted per
    kind, and sliced (by a paginator) in rank order into shown ``Result``s.

    A kind with more than ``MAX_PER_KIND`` rows found ranks the first ``MAX_PER_KIND``
    the index gives (``capped``): enough to page through, and the page asks for more
    words. Queries: one count per kind, then for a page one ranked union of (kind, id, rank)
    and one query per kind on the page for titles and passages."""

    def __init__(self, *, user: Any, q: str, kind: str | None = None) -> None:
        self.q = q
        self.kind = kind
        self.postgres = connection.vendor == "postgresql"
        self.matching = {s.kind: matching(s, s.visible(user), q) for s in SOURCES}
        self.sources = [BY_KIND[kind]] if kind else list(SOURCES)

    @cached_property
    def found(self) -> dict[str, int]:
        """Rows found per kind, counted up to one past ``MAX_PER_KIND``."""
        return {
            kind: qs.order_by()[: MAX_PER_KIND + 1].count() for kind, qs in self.matching.items()
        }

    @cached_property
    def counts(self) -> dict[str, int]:
        """Rows shown per kind: at most ``MAX_PER_KIND``."""
        return {kind: min(n, MAX_PER_KIND) for kind, n in self.found.items()}

    @property
    def capped(self) -> bool:
        """Whether a kind shown found more rows than are ranked and shown."""
        return any(self.found[s.kind] > MAX_PER_KIND for s in self.sources)

    def count(self) -> int:
        return sum(self.counts[source.kind] for source in self.sources)

    def __len__(self) -> int:
        return self.count()

    def _ranked(self, offset: int, limit: int) -> list[tuple[str, int]]:
        """(kind, id) of the rows ``offset`` to ``offset + limit`` in rank order: one
        UNION ALL over the kinds. Written as SQL around each kind's compiled queryset
        (id, rank), read by their names: the ORM's union pairs columns by position, and
        the position of an annotation beside a field in ``values_list`` is not stable."""
        parts, params = [], []
        for position, source in enumerate(self.sources):
            rank: Any = (
                SearchRank(F("found_in"), postgres_query(self.q))
                if self.postgres
                else Value(0.0, output_field=FloatField())
            )
            qs = (
                self.matching[source.kind]
                .order_by()
                .annotate(id_=F("pk"), rank_=rank)
                .values_list("id_", "rank_")[:MAX_PER_KIND]
            )
            try:
                sql, part_params = qs.query.sql_with_params()
            except EmptyResultSet:  # qs.none(): a kind this user may not see at all
                continue
            # The ORM's own SQL, its values kept as parameters: nothing is interpolated.
            select = "SELECT %s AS kind, %s AS position, found.id_ AS id, found.rank_ AS rank"
            parts.append(f"{select} FROM ({sql}) AS found")  # noqa: S608
            params += [source.kind, position, *part_params]
        if not parts:
            return []
        sql = " UNION ALL ".join(parts) + (
            " ORDER BY rank DESC, position, id DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return [(kind, pk) for kind, _position, pk, _rank in cursor.fetchall()]

    def __getitem__(self, key: slice) -> list[Result]:
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        if stop <= start:
            return []
        rows = self._ranked(start, stop - start)
        by_kind: dict[str, list[int]] = {}
        for kind, pk in rows:
            by_kind.setdefault(kind, []).append(pk)
        query = postgres_query(self.q) if self.postgres else None
        words = words_of(self.q)
        shown: dict[tuple[str, int], Result] = {}
        for kind, pks in by_kind.items():
            for pk, result in BY_KIND[kind].show(pks, query, words).items():
                shown[(kind, pk)] = result
        return [shown[(kind, pk)] for kind, pk in rows if (kind, pk) in shown]


def search(*, user: Any, q: str, kind: str | None = None) -> Results:
    """``q`` (stripped, at most ``MAX_QUERY_LENGTH`` characters: the caller checks)
    over what ``user`` may see."""
    return Results(user=user, q=q, kind=kind)
