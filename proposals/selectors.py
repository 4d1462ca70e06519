"""Reads of proposals shared by pages and API: visibility, lists, scores, what waits
for whom (the ranking against the budget is ``year_ranking``)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from pompidou.listing import cached_count
from programme import roles
from programme.models import AdoptionCriterion, ThematicPriority

# What is due this week for a person (the dashboard's panel, the inbox): plain items.
from .deadlines import DueItem, due_this_week  # noqa: F401
from .models import (
    Assessment,
    Proposal,
    ProposalAttachment,
    Support,
)
from .scores import TWO, CriterionResult, Score, score_for, scores_for  # noqa: F401
from .workflow import group

S = Proposal.Status


def proposals_visible_to(user) -> QuerySet[Proposal]:
    """The Secretariat sees all; others see submitted proposals and their own
    delegation's drafts; anonymous and users without a role see none."""
    r = roles.roles_of(user)
    qs = Proposal.objects.all()
    if r.is_secretariat:
        return qs
    if not (r.is_correspondent or r.is_expert or r.is_bureau):
        return qs.none()
    return qs.filter(~Q(status=S.DRAFT) | Q(member_state_id=r.member_state_id))


# --- conflict of interest and independent assessment: the queryset side -------------
# Each filter is the queryset form of one predicate of ``permissions`` (same name, same
# rule); tests/proposals/test_conflict_of_interest.py holds them together.


def no_conflict_of_interest(user) -> Q:
    """Rule 1 (``permissions.conflict_of_interest``): the proposals of the user's own
    member state drop out until they are decided; the Secretariat keeps them all."""
    r = roles.roles_of(user)
    if r.is_secretariat or r.member_state_id is None:
        return Q()
    return ~Q(member_state_id=r.member_state_id) | Q(status__in=group("final"))


def _my_assessments(user, **filters) -> QuerySet[Assessment]:
    return Assessment.objects.filter(proposal=OuterRef("pk"), assessor=user, **filters)


def not_assessing_in_draft(qs: QuerySet[Proposal], user) -> QuerySet[Proposal]:
    """Rule 2 (``permissions.independent_assessment``): the proposals the user assesses
    with a draft still open drop out."""
    if not getattr(user, "is_authenticated", False):
        return qs
    return qs.exclude(Exists(_my_assessments(user, status=Assessment.Status.DRAFT)))


def proposals_with_visible_scores(user) -> QuerySet[Proposal]:
    """The proposals whose scores ``user`` reads: ``permissions.can_view_score``."""
    from .permissions import reads_scores

    qs = proposals_visible_to(user).filter(no_conflict_of_interest(user))
    if not reads_scores(user):
        if not getattr(user, "is_authenticated", False):
            return qs.none()
        qs = qs.filter(Exists(_my_assessments(user, status=Assessment.Status.SUBMITTED)))
    return not_assessing_in_draft(qs, user)


def proposals_with_visible_assessors(user) -> QuerySet[Proposal]:
    """The proposals whose assessors ``user`` sees: ``permissions.can_view_assessors``."""
    from .permissions import reads_scores

    if not reads_scores(user):
        return Proposal.objects.none()
    return proposals_visible_to(user).filter(no_conflict_of_interest(user))


def proposals_votable_by(user) -> QuerySet[Proposal]:
    """The urgent proposals ``user`` votes on now (``permissions.can_vote``): in the
    Bureau's vote, and not of their own member state (``recused_from_vote``)."""
    r = roles.roles_of(user)
    if not r.is_bureau:
        return Proposal.objects.none()
    qs = Proposal.objects.filter(route=Proposal.Route.URGENT, status=S.BUREAU_VOTE)
    if r.member_state_id is not None:
        qs = qs.exclude(member_state_id=r.member_state_id)
    return qs


def current_bureau() -> dict[int, int | None]:
    """The current Bureau: member (user id) → their member state id (1 query)."""
    from programme.models import BureauMandate

    return dict(
        BureauMandate.objects.current()
        .values_list("user_id", "user__profile__member_state_id")
        .distinct()
    )


@dataclass(frozen=True)
class Voters:
    """Who votes on an urgent proposal: the current Bureau less those recused."""

    eligible: frozenset[int]
    recused: frozenset[int]


def voters_on(proposal: Proposal, bureau: dict[int, int | None]) -> Voters:
    from .permissions import recused_from_vote

    recused = frozenset(u for u, state in bureau.items() if recused_from_vote(state, proposal))
    return Voters(frozenset(bureau) - recused, recused)


def proposals_for_list(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """A list row: 2 queries whatever the length (rows with state and format; priorities).
    The counts of supports and assessments a page shows are ``with_counts``'s, for its
    rows alone: aggregated here, they would be counted over every proposal of the list
    before its LIMIT."""
    return qs.select_related("member_state", "permanent_format", "proposer").prefetch_related(
        Prefetch(
            "thematic_priorities",
            queryset=ThematicPriority.objects.only("id", "number", "title", "work_programme_id"),
        )
    )


class _rows(Subquery):
    """The number of rows of a correlated queryset, as a column."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet[Any]) -> None:
        super().__init__(queryset.order_by().values("pk"))


def with_counts(proposals: Iterable[Proposal]) -> list[Proposal]:
    """``proposals`` (a page's rows), each given ``support_count``, ``assessment_count``
    and ``submitted_assessments``: 1 query over these rows' ids (none without rows)."""
    rows = list(proposals)
    if not rows:
        return rows
    assessments = Assessment.objects.filter(proposal=OuterRef("pk"))
    counts = {
        pk: {"support_count": s, "assessment_count": a, "submitted_assessments": done}
        for pk, s, a, done in Proposal.objects.filter(pk__in=[p.pk for p in rows])
        .order_by()
        .values_list("pk")
        .annotate(
            # Counted through each proposal's own rows (an index each): joined, the
            # supports and the assessments of every proposal were read and multiplied.
            n_supports=_rows(Support.objects.filter(proposal=OuterRef("pk"))),
            n_assessments=_rows(assessments),
            n_submitted=_rows(assessments.filter(status=Assessment.Status.SUBMITTED)),
        )
    }
    for p in rows:
        # Attributes as an annotation would set them (the templates read these names).
        p.__dict__.update(counts[p.pk])
    return rows


def get_proposal_for_user(user, pk: int) -> Proposal:
    qs = (
        proposals_visible_to(user)
        .select_related(
            "member_state",
            "permanent_format",
            "proposer",
            "work_programme",
            "activity",
            "bureau_mandate__user",
        )
        .prefetch_related(
            "thematic_priorities",
            Prefetch(
                "supports", queryset=Support.objects.select_related("member_state", "supporter")
            ),
            Prefetch("assessments", queryset=Assessment.objects.select_related("assessor")),
            "decisions__meeting",
            "votes__voter",
            Prefetch("attachments", queryset=ProposalAttachment.objects.order_by("created_at")),
        )
    )
    try:
        return qs.get(pk=pk)
    except Proposal.DoesNotExist as exc:
        raise Http404("No such proposal.") from exc


# The events that name the assessors: shown to those who may see who assesses.
ASSESSOR_EVENTS = ("assessor_assigned", "assessment_submitted")


def history_of(proposal: Proposal, user=None):
    """The proposal's history (the one audit log), oldest first, with the actors; the
    events naming the assessors only for those who may see them (and for an assessor,
    their own)."""
    from pompidou.audit import events_of

    from . import permissions

    events = events_of(proposal)
    if user is None or permissions.can_view_assessors(user, proposal):
        return events
    mine = Q(actor_id=user.pk) if getattr(user, "pk", None) else Q(pk__in=[])
    # Assignment events are recorded by the Secretariat (actor), naming the assessor in
    # ``changes``: only an assessor's own submission is theirs to see.
    return events.exclude(Q(kind__in=ASSESSOR_EVENTS) & ~(Q(kind="assessment_submitted") & mine))


def scored_criteria(proposal: Proposal) -> QuerySet[AdoptionCriterion]:
    """The criteria assessors score by hand (criterion 1 is computed from supports)."""
    return AdoptionCriterion.objects.filter(
        work_programme_id=proposal.work_programme_id, computed=False
    ).order_by("number")


def get_attachment_for_user(user, proposal_id: int, attachment_id: int):
    """A proposal's attachment for those who may see the proposal or the activity it
    became (an adopted proposal's documents are the activity's); 404 otherwise."""
    from activities.selectors import activities_visible_to

    from .models import ProposalAttachment

    try:
        attachment = ProposalAttachment.objects.select_related("proposal").get(
            pk=attachment_id, proposal_id=proposal_id
        )
    except ProposalAttachment.DoesNotExist as exc:
        raise Http404("No such document.") from exc
    proposal = attachment.proposal
    if proposals_visible_to(user).filter(pk=proposal.pk).exists():
        return attachment
    if (
        proposal.activity_id
        and activities_visible_to(user).filter(pk=proposal.activity_id).exists()
    ):
        return attachment
    raise Http404("No such document.")


# --- what waits for someone: the dashboard counts these, the list shows them -------


def todo(qs: QuerySet[Proposal], user, name: str) -> QuerySet[Proposal]:
    """The proposals of ``qs`` that wait for ``user`` (or their delegation) in the way
    ``name`` says. The dashboard's counts are ``.count()`` of these very querysets."""
    from .models import BureauVote

    state = roles.member_state_id_of(user)
    if name == "drafts":
        return qs.filter(status=S.DRAFT, member_state_id=state) if state else qs.none()
    if name == "awaiting_support":
        if state is None:
            return qs.none()
        supported = Support.objects.filter(proposal=OuterRef("pk"), member_state_id=state)
        from django.utils import timezone

        closed = Q(support_deadline__lt=timezone.localdate())
        return (
            qs.filter(status__in=group("open_for_supports"))
            .exclude(member_state_id=state)
            .exclude(Exists(supported))
            .exclude(closed)
        )
    if name == "unassigned":
        # Urgent ones go to the Bureau's vote, not to assessors.
        any_assessment = Assessment.objects.filter(proposal=OuterRef("pk"))
        return (
            qs.filter(status=S.SUBMITTED)
            .exclude(route=Proposal.Route.URGENT)
            .exclude(Exists(any_assessment))
        )
    if name == "assessed":
        return qs.filter(
            Exists(Assessment.objects.filter(proposal=OuterRef("pk"))),
            status=S.UNDER_ASSESSMENT,
        ).exclude(
            Exists(
                Assessment.objects.filter(proposal=OuterRef("pk"), status=Assessment.Status.DRAFT)
            )
        )
    if name == "to_assess":
        mine = Assessment.objects.filter(
            proposal=OuterRef("pk"), assessor=user, status=Assessment.Status.DRAFT
        )
        return qs.filter(Exists(mine), status=S.UNDER_ASSESSMENT)
    if name == "awaiting_vote":
        # Not the proposals of the member's own state: they are recused from those.
        voted = BureauVote.objects.filter(proposal=OuterRef("pk"), voter=user)
        return qs.filter(pk__in=proposals_votable_by(user).values("pk")).exclude(Exists(voted))
    return qs.none()


def todo_count(user, name: str) -> int:
    """What the dashboard shows: the number of rows of ``/proposals/?todo=<name>``."""
    return cached_count(filter_proposals(user, {"todo": name})[1])


def filter_proposals(user, params):
    """The user's visible proposals filtered by ``params`` (page and API alike)."""
    from .filters import ProposalFilter

    filterset = ProposalFilter(params, queryset=proposals_visible_to(user), user=user)
    qs = filterset.qs if filterset.is_valid() else Proposal.objects.none()
    return filterset, qs


def urgent_queue() -> QuerySet[Proposal]:
    """Urgent proposals waiting for the Bureau's vote, with the votes cast."""
    from .models import BureauVote

    return proposals_for_list(Proposal.objects.filter(status=S.BUREAU_VOTE)).prefetch_related(
        Prefetch("votes", queryset=BureauVote.objects.select_related("voter"))
    )


def urgent_decided() -> QuerySet[Proposal]:
    """Urgent proposals the Bureau's vote has closed (adopted, rejected, or referred to
    the PC plenary), newest first, with their votes and decisions for the tally."""
    from .models import BureauVote, Decision

    return (
        Proposal.objects.filter(route=Proposal.Route.URGENT, status__in=group("vote_closed"))
        .select_related("member_state", "activity")
        .prefetch_related(
            Prefetch("votes", queryset=BureauVote.objects.select_related("voter")),
            Prefetch("decisions", queryset=Decision.objects.select_related("meeting")),
        )
        .order_by("-updated_at", "-pk")
    )


def assessments_readable_by(user, proposal: Proposal | None = None) -> QuerySet[Assessment]:
    """``permissions.can_read_assessment`` as a queryset: an assessor reads their own;
    others read the submitted assessments of the proposals whose scores they read
    (rules 1 and 2 included). A draft stays its assessor's own."""
    if not getattr(user, "is_authenticated", False):
        return Assessment.objects.none()
    qs = Assessment.objects.filter(
        Q(assessor=user)
        | Q(
            status=Assessment.Status.SUBMITTED,
            proposal__in=proposals_with_visible_scores(user).values("pk"),
        )
    )
    return qs if proposal is None else qs.filter(proposal=proposal)
