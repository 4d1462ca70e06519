"""The data the query-count tests grow: every kind of row a list page or endpoint shows,
``n`` of each, in the same mix at every size (each kind of row in every size), so that
a list's queries can be counted at two sizes and must come out the same.

``grow(world, n)`` adds ``n`` more of everything: call it twice to go from n to 2n, or
once with the size wanted. The personas are the suite's (tests/conftest.py)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from itertools import count

from django.contrib.auth.models import User
from django.utils import timezone

from activities.models import Activity, AnnualProgramme, AnnualProgrammeEntry, Milestone
from activities.visibility import refresh_public
from evaluation.models import (
    EvaluationReport,
    FeedbackRequest,
    ImpactAssessment,
    Indicator,
    Measurement,
    ProgressReport,
)
from pompidou.models import Notice
from programme.models import Meeting, MemberState, WorkProgramme
from proposals.models import Assessment, BureauVote, Proposal, Support
from tests.activities.factories import ActivityFactory
from tests.proposals.factories import ProposalFactory

YEAR = 2016
_serial = count(1)


@dataclass
class World:
    programme: WorkProgramme
    states: dict[str, MemberState]
    people: dict[str, User | None]
    annual: AnnualProgramme


def world_for(programme: WorkProgramme, states, personas) -> World:
    """The adopted annual programme of 2016 that the annual-route activities join."""
    annual = AnnualProgramme.objects.create(
        work_programme=programme,
        year=YEAR,
        budget_ceiling=Decimal("10000000"),
        status=AnnualProgramme.Status.ADOPTED,
        adopted_on=dt.date(YEAR - 1, 12, 1),
    )
    return World(programme, states, personas, annual)


def grow(world: World, n: int) -> None:
    """``n`` more of every kind of row, in the same mix (n is a multiple of 3)."""
    assert n % 3 == 0, "the mix repeats every 3 rows"
    for i in range(n):
        activity = _activity(world, i)
        _evaluation(world, activity)
        _proposal(world, i)
        _meeting(world)
        _notices(world)


def _activity(world: World, i: int) -> Activity:
    programme, states = world.programme, world.states
    priorities = list(programme.priorities.order_by("number"))
    formats = list(programme.formats.order_by("number"))
    route = [Activity.Route.ANNUAL, Activity.Route.AD_HOC, Activity.Route.URGENT][i % 3]
    activity = ActivityFactory(
        work_programme=programme,
        lead_member_state=states[["FR", "DE", "IT"][i % 3]],
        permanent_format=formats[i % 3],
        adoption_route=route,
        status=[Activity.Status.ONGOING, Activity.Status.PLANNED, Activity.Status.COMPLETED][i % 3],
        supervisor=world.people["bureau_chair"],
        start_date=dt.date(YEAR, 1, 1),
        end_date=dt.date(YEAR, 12, 31),
        thematic_priorities=[priorities[0], priorities[1 + i % 3]],
        title=f"Drug policy training {next(_serial)}",
    )
    activity.participating_states.set([states["ES"], states["NO"]])
    Milestone.objects.bulk_create(
        [
            Milestone(activity=activity, title="Terms of reference", due_date=dt.date(YEAR, 3, 1)),
            Milestone(activity=activity, title="Final meeting", due_date=dt.date(YEAR, 11, 1)),
        ]
    )
    if route == Activity.Route.ANNUAL:
        AnnualProgrammeEntry.objects.create(
            annual_programme=world.annual, activity=activity, budget=Decimal("10000")
        )
        refresh_public([activity.pk])  # in an adopted annual programme: public
    return activity


def _evaluation(world: World, activity: Activity) -> None:
    people = world.people
    ProgressReport.objects.create(
        activity=activity,
        period=f"{YEAR}-H1",
        status=ProgressReport.Status.ON_TRACK,
        percent_complete=40,
        narrative="Going well.",
        submitted_by=people["pc_fr"],
    )
    indicator = Indicator.objects.create(
        activity=activity, name="People trained", unit="people", baseline=0, target=100
    )
    Measurement.objects.create(indicator=indicator, date=dt.date(YEAR, 3, 1), value=10)
    request = FeedbackRequest.objects.create(
        activity=activity,
        audience=FeedbackRequest.Audience.EXPERTS,
        questions="Was it useful?",
        deadline=timezone.localdate() + dt.timedelta(days=7),
        created_by=people["secretariat"],
    )
    request.recipients.set([people["expert"], people["pc_fr"]])
    ImpactAssessment.objects.create(
        activity=activity,
        date=dt.date(YEAR, 12, 1),
        method="Survey",
        findings="Useful.",
        rating=4,
        recorded_by=people["secretariat"],
    )
    serial = next(_serial)
    EvaluationReport.objects.create(
        work_programme=world.programme,
        first_year=YEAR,
        last_year=YEAR,
        reference=f"P-PG (2099) {serial}",
        document_date=dt.date(YEAR, 12, 31),
        requested_by=people["secretariat"],
        # Done: one job at a time may be under way for a scope.
        status=EvaluationReport.Status.SUCCEEDED,
        progress=100,
    )


def _proposal(world: World, i: int) -> None:
    """A French proposal: submitted and supported by Germany, under assessment by the
    expert, or urgent with the chair's vote; and a French draft beside it."""
    people, states = world.people, world.states
    priorities = list(world.programme.priorities.order_by("number"))
    kind = i % 3
    proposal = ProposalFactory(
        work_programme=world.programme,
        member_state=states["FR"],
        proposer=people["pc_fr"],
        reference=f"PR-2017-{next(_serial):04d}",
        status=[
            Proposal.Status.SUBMITTED,
            Proposal.Status.UNDER_ASSESSMENT,
            Proposal.Status.BUREAU_VOTE,
        ][kind],
        route=[Proposal.Route.ANNUAL, Proposal.Route.ANNUAL, Proposal.Route.URGENT][kind],
        submitted_at=timezone.now(),
    )
    proposal.thematic_priorities.set([priorities[1 + kind]])
    Support.objects.create(proposal=proposal, member_state=states["DE"])
    if kind == 1:
        Assessment.objects.create(
            proposal=proposal, assessor=people["expert"], due_date=dt.date(2017, 3, 31)
        )
    if kind == 2:
        BureauVote.objects.create(
            proposal=proposal, voter=people["bureau_chair"], vote=BureauVote.Vote.APPROVE
        )
    draft = ProposalFactory(
        work_programme=world.programme,
        member_state=states["FR"],
        proposer=people["pc_fr"],
        reference=f"PR-2017-{next(_serial):04d}",
        status=Proposal.Status.DRAFT,
    )
    draft.thematic_priorities.set([priorities[1]])


def _meeting(world: World) -> None:
    serial = next(_serial)
    Meeting.objects.create(
        kind=Meeting.Kind.PC_PLENARY,
        number=serial,
        date=dt.date(2016, 1, 1) + dt.timedelta(days=serial),
        place="Strasbourg",
    )


def _notices(world: World) -> None:
    Notice.objects.bulk_create(
        [
            Notice(user=user, kind="proposal_submitted", title="A proposal was submitted")
            for user in world.people.values()
            if user is not None
        ]
    )
