"""Reads of meetings shared by pages and API."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from programme import roles
from programme.models import Meeting
from proposals import year_ranking
from proposals.year_ranking import RankedProposal

from .models import AgendaItem, Attendance


def meetings_for_list() -> QuerySet[Meeting]:
    """Every meeting, the latest first, with its number of agenda items (1 query)."""
    return Meeting.objects.annotate(
        item_count=Count("agenda_items", distinct=True),
        decided_count=Count("agenda_items", filter=~Q(agenda_items__outcome=""), distinct=True),
    ).order_by("-date", "-number")


def meetings_for_calendar() -> QuerySet[Meeting]:
    """Every meeting, in date order (1 query)."""
    return Meeting.objects.only("kind", "number", "date", "end_date", "place", "status").order_by(
        "date", "number"
    )


def get_meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting, pk=pk)


def agenda(meeting: Meeting) -> list[AgendaItem]:
    """The meeting's items in order, each with its subject (1 query)."""
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related(
            "proposal__member_state",
            "annual_programme",
            "evaluation_report",
            "decision",
            "carried_from__meeting",
        )
        .order_by("position", "pk")
    )


def ranking_to_add(meeting: Meeting, year: int, user) -> list[RankedProposal]:
    """The year's ranking as ``user`` sees it, less what the agenda already holds."""
    budget = year_ranking.year_budget(year)
    rows = year_ranking.ranking(year, budget, user)
    for position, row in enumerate(rows, start=1):
        row.rank = position
    listed = set(
        AgendaItem.objects.filter(meeting=meeting, proposal__isnull=False).values_list(
            "proposal_id", flat=True
        )
    )
    return [row for row in rows if row.proposal.pk not in listed]


def over_ceiling_items(items: list[AgendaItem]) -> set[int]:
    """The proposal items whose adoption would take their year over its ceiling
    (the decisions screen asks for the confirmation up front; 2 queries each)."""
    over = set()
    for item in items:
        if item.kind != AgendaItem.Kind.PROPOSAL or item.proposal is None:
            continue
        budget = year_ranking.adoption_budget(item.proposal)
        if budget is not None and budget.over_ceiling:
            over.add(item.pk)
    return over


def attendance_of(meeting: Meeting, user) -> Attendance | None:
    """What the user's delegation said of its attendance, if anything."""
    state = roles.member_state_id_of(user)
    if state is None:
        return None
    return Attendance.objects.filter(meeting=meeting, member_state_id=state).first()


def attendances(meeting: Meeting) -> list[Attendance]:
    """Every delegation's attendance, by delegation (1 query)."""
    return list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("member_state")
        .order_by("member_state__code")
    )
