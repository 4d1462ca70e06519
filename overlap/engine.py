"""The items most like a proposal: retrieval, scoring and the matching passages.

1. **Lexemes.** The proposal's title, scope, purpose and expected outcome, stemmed in
   English and French (``text.py``).
2. **Candidates** (PostgreSQL). Its lexemes ordered from the rarest (``Term``, the
   document frequencies) and OR-ed, as many as keep the rows found under
   ``CANDIDATE_BUDGET``, against the stored ``search_document`` columns and their GIN
   indexes; the rows found are scored in SQL by the shared lexemes' weights and the best
   ``SHORTLIST`` kept.
3. **Score.** The cosine of the two lexeme sets, each lexeme weighted by its inverse
   document frequency (TF-IDF with binary term frequencies), a title's lexemes
   ``TITLE_FACTOR`` times (the stored documents' weight A), from 0 to 1.
4. **Passages.** The candidate's sentences sharing the most weight with the proposal,
   the shared words marked (escaped by ``search.highlight.marked``).

SQLite (the embedded default) scores every visible row in Python, its document
frequencies counted on the spot: slower, the same scores' scale."""

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString

from activities.models import Activity
from pompidou.textsearch import StoredDocument
from proposals.models import Proposal
from search.highlight import START, STOP, marked

from .models import Corpus, Term
from .text import WORD, sentences_of, significant_lexemes, usable, word_lexemes, words_of

# The rows the retrieval query may find and score in SQL, per kind: 1,000 scored cost
# about 100 ms (tests/perf/test_overlap.py), like the search's MAX_PER_KIND.
CANDIDATE_BUDGET = 1000
# The best rows of the SQL scoring given their exact score in Python.
SHORTLIST = 30
# At and above this score an item is shown as similar: chosen on the labelled pairs of
# tests/overlap/pairs.yaml (precision and recall printed by tests/overlap/test_quality.py).
THRESHOLD = 0.2
SHOWN = 5
TITLE_FACTOR = 2.0
PASSAGES = 2


# A document: its lexemes, each with its factor (1, or ``TITLE_FACTOR`` in a title).
Doc = dict[str, float]


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[Any]
    table: str
    # The texts compared: the proposal's four fields and their activity equivalents.
    fields: tuple[str, ...]
    url: Callable[[Any], str]


ACTIVITY = Kind(
    "activity",
    Activity,
    "activities_activity",
    ("title", "description", "expected_results"),
    lambda a: reverse("activities:detail", args=[a.reference]),
)
PROPOSAL = Kind(
    "proposal",
    Proposal,
    "proposals_proposal",
    ("title", "scope", "purpose", "expected_outcome"),
    lambda p: reverse("proposals:detail", args=[p.pk]),
)


@dataclass
class Found:
    """One similar item, scored, with its marked passages."""

    kind: str
    obj: Any
    score: float
    url: str = ""
    title: SafeString = SafeString("")
    passages: list[SafeString] = field(default_factory=list)
    passages_text: list[str] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)
    mark: Any = None

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def reference(self) -> str:
        return self.obj.reference or ""

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.obj.pk)


class Weights:
    """Inverse document frequencies: ``log((1 + N) / (1 + df)) + 1``."""

    def __init__(self, documents: int, frequencies: dict[str, int]) -> None:
        self.documents = documents
        self.frequencies = frequencies
        self.looked_up: set[str] = set(frequencies)

    def df(self, lexeme: str) -> int:
        return self.frequencies.get(lexeme, 0)

    def idf(self, lexeme: str) -> float:
        return math.log((1 + self.documents) / (1 + self.df(lexeme))) + 1

    def norm(self, doc: Doc) -> float:
        return math.sqrt(sum((self.idf(x) * f) ** 2 for x, f in doc.items()))


def stored_weights(lexemes: Iterable[str], known: Weights | None = None) -> Weights:
    """The document frequencies ``Term`` holds for ``lexemes``, added to those already
    ``known`` (one query for the lexemes not looked up yet)."""
    if known is None:
        corpus = Corpus.objects.first()
        known = Weights(corpus.documents if corpus else 0, {})
    wanted = list(set(lexemes) - known.looked_up)
    if wanted:
        found = Term.objects.filter(lexeme__in=wanted).values_list("lexeme", "documents")
        known.frequencies.update(dict(found))
        known.looked_up.update(wanted)
    return known


def cosine(query: Doc, other: Doc, weights: Weights) -> float:
    shared = query.keys() & other.keys()
    if not shared:
        return 0.0
    top = sum(weights.idf(x) ** 2 * query[x] * other[x] for x in shared)
    return top / (weights.norm(query) * weights.norm(other))


def doc_of(title: str, body: str) -> Doc:
    """The lexemes of a title and a body, the title's weighing ``TITLE_FACTOR``."""
    doc = dict.fromkeys(significant_lexemes(body), 1.0)
    doc.update(dict.fromkeys(significant_lexemes(title), TITLE_FACTOR))
    return doc


def proposal_doc(proposal: Any) -> Doc:
    return doc_of(
        proposal.title or "", "\n".join(getattr(proposal, f) or "" for f in PROPOSAL.fields[1:])
    )


# --- retrieval --------------------------------------------------------------------------


def _retrieval_query(query: Doc, weights: Weights) -> tuple[str, int]:
    """The rarest lexemes, OR-ed, while the rows they find stay under the budget (the
    rarest one whatever its frequency), and the most rows to read.

    The limit is the budget only when the rarest lexeme alone passes it: a LIMIT under
    the planner's estimate of the rows found makes it read the table in order rather
    than the GIN index (600 ms instead of 20 at 100,000 rows). Otherwise it is a
    safety net for frequencies counted before many new rows used a word."""
    chosen: list[str] = []
    total = 0
    for lexeme in sorted((x for x in query if usable(x)), key=lambda x: (weights.df(x), x)):
        if chosen and total + weights.df(lexeme) > CANDIDATE_BUDGET:
            break
        chosen.append(lexeme)
        total += weights.df(lexeme)
    limit = CANDIDATE_BUDGET if total > CANDIDATE_BUDGET else 20 * CANDIDATE_BUDGET
    return " | ".join(f"'{x}'" for x in chosen), limit


def _postgres_shortlist(
    kind: Kind, qs: QuerySet[Any], query: Doc, weights: Weights, keep: list[int]
) -> dict[int, Doc]:
    from django.contrib.postgres.search import SearchQuery

    tsquery, limit = _retrieval_query(query, weights)
    if not tsquery and not keep:
        return {}
    condition = Q(pk__in=keep)
    if tsquery:
        condition |= Q(found_in=SearchQuery(tsquery, search_type="raw", config="simple"))
    # The ids first (the GIN index's bitmap, at most the budget), then the scoring by
    # primary key: a subquery here could lead the planner to scan the whole table.
    ids = list(
        qs.order_by()
        .annotate(found_in=StoredDocument())
        .filter(condition)
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return {}
    lexemes = sorted(query)
    sql = (
        "SELECT t.id, u.lexeme, 'A' = ANY(u.weights) FROM ("  # noqa: S608
        " SELECT c.id, coalesce(SUM(q.w), 0) / sqrt(greatest(length(c.search_document), 1)) AS s"
        f" FROM {kind.table} c CROSS JOIN LATERAL unnest(c.search_document) AS u"
        " LEFT JOIN unnest(%s::text[], %s::float8[]) AS q(lexeme, w) ON q.lexeme = u.lexeme"
        " WHERE c.id = ANY(%s) GROUP BY c.id"
        " ORDER BY c.id = ANY(%s) DESC, s DESC, c.id LIMIT %s"
        f") AS best JOIN {kind.table} t ON t.id = best.id"
        " CROSS JOIN LATERAL unnest(t.search_document) AS u"
    )
    factors = [(weights.idf(x) * query[x]) ** 2 for x in lexemes]
    params: list[Any] = [lexemes, factors, ids, keep, SHORTLIST + len(keep)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        docs: dict[int, Doc] = {}
        for pk, lexeme, in_title in cursor.fetchall():
            docs.setdefault(pk, {})[lexeme] = TITLE_FACTOR if in_title else 1.0
        return docs


def _fallback_documents(kind: Kind, qs: QuerySet[Any]) -> dict[int, Doc]:
    rows = list(qs.order_by().values_list("pk", *kind.fields))
    return {row[0]: doc_of(row[1] or "", "\n".join(v or "" for v in row[2:])) for row in rows}


def score(
    query: Doc,
    sources: list[tuple[Kind, QuerySet[Any]]],
    keep: Iterable[tuple[str, int]] = (),
) -> list[tuple[Kind, int, float, Doc, Weights]]:
    """The candidates' (kind, id, score, lexemes, weights), best first; those in
    ``keep`` among them whatever their score."""
    if not query:
        return []
    keep = list(keep)
    scored = []
    if connection.vendor == "postgresql":
        retrieval = stored_weights(query)
        for kind, qs in sources:
            kept = [pk for name, pk in keep if name == kind.name]
            shortlist = _postgres_shortlist(kind, qs, query, retrieval, kept)
            weights = stored_weights(set().union(*shortlist.values()), retrieval)
            scored += [
                (kind, pk, cosine(query, lexemes, weights), lexemes, weights)
                for pk, lexemes in shortlist.items()
            ]
    else:
        documents = {kind.name: _fallback_documents(kind, qs) for kind, qs in sources}
        counts: Counter[str] = Counter()
        for docs in documents.values():
            for lexemes in docs.values():
                counts.update(lexemes)
        weights = Weights(sum(len(d) for d in documents.values()), dict(counts))
        for kind, _qs in sources:
            scored += [
                (kind, pk, cosine(query, lexemes, weights), lexemes, weights)
                for pk, lexemes in documents[kind.name].items()
            ]
    scored.sort(key=lambda s: (-s[2], s[0].name, s[1]))
    return scored


# --- passages ---------------------------------------------------------------------------


def _mark(text: str, shared: frozenset[str], lexemes: dict[str, frozenset[str]]) -> str:
    out, last = [], 0
    for match in WORD.finditer(text):
        word = match.group(0)
        out.append(text[last : match.start()])
        out.append(f"{START}{word}{STOP}" if lexemes.get(word, frozenset()) & shared else word)
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def with_passages(found: list[Found], query: Doc, lexemes_of: dict[tuple, Any]) -> None:
    """Fill each item's marked title and best passages (one query for every word)."""
    texts = {}
    words: set[str] = set()
    for item in found:
        kind = ACTIVITY if item.kind == "activity" else PROPOSAL
        body = [getattr(item.obj, f) or "" for f in kind.fields[1:]]
        sentences = [s for part in body for s in sentences_of(part)]
        texts[item.key] = sentences
        words.update(words_of(item.obj.title))
        for sentence in sentences:
            words.update(words_of(sentence))
    lexemes = word_lexemes(words)
    for item in found:
        candidate, weights = lexemes_of[item.key]
        shared = frozenset(query.keys() & candidate.keys())
        item.shared = sorted(shared, key=lambda x: -weights.idf(x))
        item.title = marked(_mark(item.obj.title, shared, lexemes))
        ranked = []
        for position, sentence in enumerate(texts[item.key]):
            own = frozenset().union(*(lexemes.get(w, frozenset()) for w in words_of(sentence)))
            weight = sum(weights.idf(x) for x in own & shared)
            if weight:
                ranked.append((weight, position, sentence))
        best = sorted(sorted(ranked, reverse=True)[:PASSAGES], key=lambda r: r[1])
        item.passages = [marked(_mark(s, shared, lexemes)) for _w, _p, s in best]
        item.passages_text = [s for _w, _p, s in best]


def similar(
    query: Doc,
    sources: list[tuple[Kind, QuerySet[Any]]],
    *,
    limit: int = SHOWN,
    threshold: float = THRESHOLD,
    keep: Iterable[tuple[str, int]] = (),
) -> list[Found]:
    """The items of ``sources`` most like ``query`` (``doc_of``), scored at or above
    ``threshold`` (and those in ``keep`` whatever their score), best first, with their
    passages."""
    keep = set(keep)
    scored = score(query, sources, keep)
    chosen = [s for s in scored if s[2] >= threshold][:limit]
    chosen += [s for s in scored if (s[0].name, s[1]) in keep and s not in chosen]
    objects: dict[str, dict[int, Any]] = {}
    for kind in {s[0] for s in chosen}:
        ids = [s[1] for s in chosen if s[0] is kind]
        objects[kind.name] = kind.model._default_manager.in_bulk(ids)
    found, lexemes_of = [], {}
    for kind, pk, value, lexemes, weights in chosen:
        obj = objects[kind.name][pk]
        found.append(Found(kind=kind.name, obj=obj, score=value, url=kind.url(obj)))
        lexemes_of[(kind.name, pk)] = (lexemes, weights)
    with_passages(found, query, lexemes_of)
    return found


def ranks(query: Doc, sources: list[tuple[Kind, QuerySet[Any]]]) -> list[tuple[str, int, float]]:
    """Every candidate's (kind, id, score), best first (the quality test's view)."""
    return [(k.name, pk, v) for k, pk, v, _l, _w in score(query, sources)]
