"""Writes: the proposer's marks on similar items, the document frequencies, and each
proposal's stored most similar items (read by the ranking)."""

from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity
from pompidou import audit
from pompidou.errors import DomainError
from pompidou.rules import require
from proposals.models import Proposal
from proposals.workflow import group

from . import engine
from .models import Corpus, Mark, Similarity, Term
from .permissions import can_mark_similar
from .selectors import open_proposals_visible_to, sources_for


def _target(actor: Any, proposal: Proposal, activity: str | None, other: Any) -> dict:
    """The marked item, among those the actor may see: ``activity`` a reference, ``other``
    a proposal's id; exactly one of them."""
    if bool(activity) == (other not in (None, "")):
        raise DomainError(_("Name one activity or one proposal."), field="activity")
    if activity:
        found = sources_for(actor, proposal)[0][1].filter(reference=activity).first()
        if found is None:
            raise DomainError(_("No activity %(ref)s.") % {"ref": activity}, field="activity")
        return {"activity": found}
    try:
        pk = int(other)
    except (TypeError, ValueError):
        raise DomainError(_("Give the proposal's number."), field="proposal") from None
    found = open_proposals_visible_to(actor).exclude(pk=proposal.pk).filter(pk=pk).first()
    if found is None:
        raise DomainError(_("No open proposal %(id)s to mark.") % {"id": pk}, field="proposal")
    return {"other_proposal": found}


@transaction.atomic
def mark_similar(
    *,
    proposal: Proposal,
    actor: Any,
    verdict: str,
    activity: str | None = None,
    other_proposal: Any = None,
) -> Mark:
    """Record (or change) the proposing delegation's verdict on one similar item: its
    proposal builds on it, or it is not related. One audit event in the proposal's
    history."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    require(can_mark_similar(actor, proposal))
    if verdict not in Mark.Verdict.values:
        raise DomainError(_("Choose “builds on” or “not related”."), field="verdict")
    target = _target(actor, proposal, activity, other_proposal)
    mark = Mark.objects.filter(proposal=proposal, **target).first()
    before = mark.get_verdict_display() if mark else ""
    if mark is None:
        mark = Mark(proposal=proposal, **target)
    mark.verdict = verdict
    mark.marked_by = actor
    mark.save()
    item = target.get("activity") or target["other_proposal"]
    label = _("similar item %(ref)s") % {"ref": item.reference or item.pk}
    audit.record(
        proposal, audit.Kind.UPDATED, actor, changes={label: [before, mark.get_verdict_display()]}
    )
    return mark


@transaction.atomic
def refresh_term_statistics() -> int:
    """Count again, per lexeme, the activities and proposals whose stored document holds
    it; the number of documents counted. A grouped count of the documents' lexemes
    (each once per document): PostgreSQL's ``ts_stat`` took minutes at 100,000 rows,
    this takes seconds. Nothing to do on SQLite, where each search counts its own."""
    corpus = Corpus.objects.select_for_update().first() or Corpus()
    if connection.vendor != "postgresql":
        return 0
    documents = (
        "SELECT search_document FROM activities_activity"
        " UNION ALL SELECT search_document FROM proposals_proposal"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Term._meta.db_table}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {Term._meta.db_table} (lexeme, documents)"  # noqa: S608
            " SELECT lexeme, count(*) FROM ("
            "  SELECT unnest(tsvector_to_array(search_document)) AS lexeme FROM activities_activity"
            "  UNION ALL"
            "  SELECT unnest(tsvector_to_array(search_document)) FROM proposals_proposal"
            " ) AS d WHERE length(lexeme) <= 200 GROUP BY lexeme"
        )
        cursor.execute(f"SELECT count(*) FROM ({documents}) AS d")  # noqa: S608
        corpus.documents = cursor.fetchone()[0]
    corpus.refreshed_at = timezone.now()
    corpus.save()
    return corpus.documents


# How many similar items are stored per proposal (the ranking shows the first visible 3).
STORED = 10


@transaction.atomic
def refresh_similar(proposal: Proposal) -> int:
    """Compute again the ``STORED`` items most like ``proposal`` among every activity and
    every open proposal (no reader's filter: the ranking filters at read time) and
    replace its stored rows; the number stored."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    others = Proposal.objects.filter(status__in=group("open")).exclude(pk=proposal.pk)
    sources = [(engine.ACTIVITY, Activity.objects.all()), (engine.PROPOSAL, others)]
    scored = engine.score(engine.proposal_doc(proposal), sources)
    chosen = [s for s in scored if s[2] >= engine.THRESHOLD][:STORED]
    now = timezone.now()
    Similarity.objects.filter(proposal=proposal).delete()
    Similarity.objects.bulk_create(
        Similarity(
            proposal=proposal,
            activity_id=pk if kind is engine.ACTIVITY else None,
            other_proposal_id=pk if kind is engine.PROPOSAL else None,
            score=value,
            rank=rank,
            computed_at=now,
        )
        for rank, (kind, pk, value, _lexemes, _weights) in enumerate(chosen, start=1)
    )
    return len(chosen)


def refresh_all_similar() -> int:
    """Refresh the stored similar items of every open proposal (each in its own
    transaction); the number of proposals refreshed."""
    done = 0
    for proposal in Proposal.objects.filter(status__in=group("open")).only("pk").iterator():
        refresh_similar(proposal)
        done += 1
    return done
