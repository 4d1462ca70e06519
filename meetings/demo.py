"""The demo's plenaries of 2015–2018 with their agendas: what each one decided (the
demo proposals' decisions, the annual programmes it adopted), and the 83rd plenary
of November 2018 still planned, its draft agenda holding what the 82nd deferred."""

from __future__ import annotations

from django.db import transaction

from activities.models import AnnualProgramme
from programme.models import Meeting
from proposals.models import Decision

from .models import AgendaItem

# The plenary the demo's open proposals wait for.
NEXT_PLENARY = 83

OUTCOME: dict[str, str] = {
    Decision.Outcome.ADOPTED: AgendaItem.Outcome.ADOPTED,
    Decision.Outcome.REJECTED: AgendaItem.Outcome.REJECTED,
    Decision.Outcome.DEFERRED: AgendaItem.Outcome.DEFERRED,
}


@transaction.atomic
def load_demo_meetings() -> int:
    """Idempotent: nothing when any agenda exists. Returns the items created."""
    if AgendaItem.objects.exists():
        return 0
    plenaries = list(Meeting.objects.filter(kind=Meeting.Kind.PC_PLENARY).order_by("date"))
    upcoming = next((m for m in plenaries if m.number == NEXT_PLENARY), None)
    if upcoming is None:
        return 0
    # The record as it stood in November 2018: the meetings before are over. A replay
    # of history, not a step anyone takes, so it writes the statuses directly.
    Meeting.objects.filter(kind=Meeting.Kind.PC_PLENARY, date__lt=upcoming.date).update(
        status=Meeting.Status.CLOSED
    )
    Meeting.objects.filter(pk=upcoming.pk).update(status=Meeting.Status.PLANNED)
    created = 0
    deferred: list[AgendaItem] = []
    for meeting in plenaries:
        if meeting.date >= upcoming.date:
            continue
        position = 0
        for ap in AnnualProgramme.objects.filter(adopting_meeting=meeting).order_by("year"):
            position += 1
            AgendaItem.objects.create(
                meeting=meeting,
                position=position,
                kind=AgendaItem.Kind.ANNUAL_PROGRAMME,
                annual_programme=ap,
                outcome=AgendaItem.Outcome.ADOPTED,
            )
        decisions = Decision.objects.filter(meeting=meeting).select_related("proposal")
        for decision in decisions.order_by("proposal__reference", "pk"):
            position += 1
            item = AgendaItem.objects.create(
                meeting=meeting,
                position=position,
                kind=AgendaItem.Kind.PROPOSAL,
                proposal=decision.proposal,
                outcome=OUTCOME[decision.outcome],
                decision=decision,
                conclusion=decision.rationale,
            )
            if decision.outcome == Decision.Outcome.DEFERRED:
                deferred.append(item)
        created += position
    for position, item in enumerate(deferred, start=1):
        # Still deferred (not decided since): on the next plenary's draft agenda.
        if item.proposal is not None and item.proposal.status == "deferred":
            AgendaItem.objects.create(
                meeting=upcoming,
                position=position,
                kind=AgendaItem.Kind.PROPOSAL,
                proposal=item.proposal,
                carried_from=item,
            )
            created += 1
    return created
