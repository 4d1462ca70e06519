"""Full-text search on the stored documents of activities and proposals, shared by the
lists' ``search`` filters (activities/filters.py, proposals/filters.py) and the portal's
search (search/).

On PostgreSQL a table's ``search_document`` column (a stored generated ``tsvector``
with a GIN index, migration ``search.0001_text_search_documents``) holds each row's
words stemmed in English and in French; the words asked are stemmed both ways too
(``websearch_to_tsquery``: quoted phrases, ``or``, ``-word``), so "drogues" finds
« drogues » and "drugs". A reference asked whole ("PG-2016-014") finds its row by the
reference's own index. On SQLite (``make run``), the text is searched as it is typed,
whatever its case (``icontains``), unranked.

The most relevant rows come first while the matches are few enough to rank
(``SEARCH_RANK_MAX_ROWS``): ranking reads every match's document, so a word found in
thousands of rows would cost a read of each at every page. Past that many, the rows
come in the list's own order (the newest first), read from its index until a page
is full (``rank_order``). A reference asked whole finds a handful of rows, so it is
still ranked, first.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Case, Expression, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Cast

CONFIG = {"en": "pompidou_en", "fr": "pompidou_fr"}
RANK = "search_rank"
# Above any ts_rank (at most 1 with the default normalisation): the row whose reference
# was asked whole comes first.
REFERENCE_RANK = 2.0


class StoredDocument(Expression):
    """The ``search_document`` column of the queried table (not a model field: a
    generated column, see the migration)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.search_document", []


def postgres_query(q: str) -> Any:
    """The words as both languages stem them: "drogues" finds « drogues » and "drugs"."""
    return SearchQuery(q, config=CONFIG["en"], search_type="websearch") | SearchQuery(
        q, config=CONFIG["fr"], search_type="websearch"
    )


def is_full_text() -> bool:
    return connection.vendor == "postgresql"


def search_rows(qs: QuerySet[Any], q: str, *, fields: tuple[str, ...]) -> QuerySet[Any]:
    """The rows of ``qs`` (activities or proposals) that ``q`` finds, annotated with
    their relevance ``search_rank`` on PostgreSQL (the caller orders by it when no
    other order is asked). ``fields`` are the columns the SQLite fallback reads."""
    q = q.strip()
    if not q:
        return qs
    if not is_full_text():
        return qs.filter(reduce(or_, (Q(**{f"{field}__icontains": q}) for field in fields)))
    query = postgres_query(q)
    reference = q.upper()
    # ts_rank is a real: read as a double, so a keyset cursor compares it exactly.
    rank = Case(
        When(reference=reference, then=Value(REFERENCE_RANK)),
        default=Cast(SearchRank(StoredDocument(), query), FloatField()),
        output_field=FloatField(),
    )
    return (
        qs.annotate(found_in=StoredDocument())
        .filter(Q(found_in=query) | Q(reference=reference))
        .annotate(**{RANK: rank})
    )


def is_ranked(qs: QuerySet[Any]) -> bool:
    return RANK in qs.query.annotations


def listed_unranked(qs: QuerySet[Any]) -> bool:
    """A searched list that ``rank_order`` left in the list's own order (too many
    matches to rank), or that the person sorted otherwise."""
    return is_ranked(qs) and f"-{RANK}" not in qs.query.order_by


def rank_order(qs: QuerySet[Any]) -> list[str]:
    """How a searched list begins its ordering: by relevance when ``qs`` holds at most
    ``SEARCH_RANK_MAX_ROWS`` rows (0: whatever their number); else nothing, as for a
    list not searched: the list's own order. The count is the list's cached one, which
    its paginator reads next."""
    from .listing import cached_count

    if not is_ranked(qs):
        return []
    limit = settings.SEARCH_RANK_MAX_ROWS
    if not limit or cached_count(qs) <= limit:
        return [f"-{RANK}"]
    return []
