"""Reads shared by the pages, the template tag and the API: a proposal's similar items."""

from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from activities.selectors import activities_visible_to
from pompidou.listing import cached_value, sql_of
from proposals.models import Proposal
from proposals.selectors import proposals_visible_to
from proposals.workflow import group

from . import engine
from .models import Corpus, Mark, Similarity


def open_proposals_visible_to(user: Any) -> QuerySet[Proposal]:
    return proposals_visible_to(user).filter(status__in=group("open"))


def sources_for(user: Any, proposal: Proposal | None) -> list[tuple[engine.Kind, QuerySet[Any]]]:
    """What ``user`` may see: activities of every programme, and the open proposals
    other than ``proposal``."""
    proposals = open_proposals_visible_to(user)
    if proposal is not None and proposal.pk:
        proposals = proposals.exclude(pk=proposal.pk)
    return [(engine.ACTIVITY, activities_visible_to(user)), (engine.PROPOSAL, proposals)]


def marks_of(proposal: Proposal) -> dict[tuple[str, int], Mark]:
    marks = {}
    for mark in Mark.objects.filter(proposal=proposal).select_related("marked_by"):
        if mark.activity_id:
            marks[("activity", mark.activity_id)] = mark
        else:
            marks[("proposal", mark.other_proposal_id)] = mark  # type: ignore[index]
    return marks


def similar_to(user: Any, proposal: Proposal, *, limit: int = engine.SHOWN) -> list[engine.Found]:
    """The items most like ``proposal`` that ``user`` may see, best first, each with
    the proposer's mark if any; a marked item stays listed whatever its score."""
    if not Corpus.objects.exists():
        from .tasks import request_refresh

        request_refresh()
    marks = marks_of(proposal)
    doc, sources, keep = engine.proposal_doc(proposal), sources_for(user, proposal), marks.keys()
    found = cached_value(
        "similar",
        _inputs(doc, sources, limit, keep),
        lambda: engine.similar(doc, sources, limit=limit, keep=keep),
    )
    for item in found:
        item.mark = marks.get(item.key)
    return found


def _inputs(
    doc: engine.Doc, sources: list[tuple[engine.Kind, QuerySet[Any]]], limit: int, keep: Any
) -> str:
    """What ``engine.similar`` answers from, beside the database (kept until the next
    write): the text compared, what the user may see (the sources' SQL), the limit, the
    items kept whatever their score, and the language of the links."""
    scopes = [(kind.name, sql_of(qs)) for kind, qs in sources]
    return repr((sorted(doc.items()), scopes, limit, sorted(keep), get_language()))


def stored_similar(
    user: Any, proposals: Iterable[Proposal], *, limit: int = 3
) -> dict[int, list[Similarity]]:
    """The stored similar items of each of ``proposals`` that ``user`` may see, best
    first, at most ``limit`` each, each with its mark's ``verdict``: one query (the
    visibility and the marks are subqueries of it)."""
    ids = [p.pk for p in proposals]
    if not ids:
        return {}
    marks = Mark.objects.filter(proposal=OuterRef("proposal"))
    rows = (
        Similarity.objects.filter(proposal_id__in=ids)
        .filter(
            Q(activity__in=activities_visible_to(user).values("pk"))
            | Q(other_proposal__in=open_proposals_visible_to(user).values("pk"))
        )
        .select_related("activity", "other_proposal")
        .only(
            "proposal_id",
            "score",
            "rank",
            "activity__reference",
            "other_proposal__reference",
        )
        .annotate(
            verdict=Coalesce(
                Subquery(marks.filter(activity=OuterRef("activity")).values("verdict")[:1]),
                Subquery(
                    marks.filter(other_proposal=OuterRef("other_proposal")).values("verdict")[:1]
                ),
            )
        )
        .order_by("proposal_id", "rank")
    )
    found: dict[int, list[Similarity]] = {}
    for row in rows:
        shown = found.setdefault(row.proposal_id, [])
        if len(shown) < limit:
            shown.append(row)
    return found
