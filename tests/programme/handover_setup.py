"""What the hand-over tests share: a next programme in consultation with the same
priority and format numbers as 2015–2018 (and one new of each), running and finished
activities and open proposals of 2015–2018."""

import datetime as dt
from dataclasses import dataclass

from activities.handover import ActivityRow
from activities.models import Activity
from programme.models import WorkProgramme
from proposals.handover import CLOSE, MOVE, ProposalRow
from proposals.models import Proposal
from tests.activities.factories import ActivityFactory
from tests.programme.factories import (
    PermanentFormatFactory,
    ThematicPriorityFactory,
    WorkProgrammeFactory,
)
from tests.proposals.factories import ProposalFactory

NEW_REFERENCE = "P-PG/MinConf (2018) 4"
ADOPTION = {
    "adopted_by_en": "17th Ministerial Conference",
    "adopted_by_fr": "17e Conférence ministérielle",
    "conference_number": 17,
    "adopted_place": "Stavanger",
    "conference_start": dt.date(2018, 11, 27),
    "adopted_on": dt.date(2018, 11, 28),
    "reference": NEW_REFERENCE,
}


def next_programme(
    old: WorkProgramme,
    status=WorkProgramme.Status.CONSULTATION,
    reference="P-PG/DRAFT (2018) 1",
) -> WorkProgramme:
    """The 2019–2022 programme: the old one's priorities and formats (same numbers and
    titles), a new priority 3.5 and a new format 4.10."""
    new = WorkProgrammeFactory(reference=reference, first_year=2019, last_year=2022, status=status)
    for p in old.priorities.all():
        ThematicPriorityFactory(work_programme=new, number=p.number, title=p.title)
    for f in old.formats.all():
        PermanentFormatFactory(work_programme=new, number=f.number, name=f.name)
    ThematicPriorityFactory(work_programme=new, number="3.5", title="Digital markets")
    PermanentFormatFactory(work_programme=new, number="4.10", name="Online academy")
    return new


@dataclass
class World:
    old: WorkProgramme
    new: WorkProgramme
    ongoing: Activity
    suspended: Activity
    completed: Activity
    submitted: Proposal
    draft: Proposal

    def priority(self, programme: WorkProgramme, number: str):
        return programme.priorities.get(number=number)

    def format(self, programme: WorkProgramme, number: str):
        return programme.formats.get(number=number)

    def rows(self):
        """A valid hand-over: the ongoing activity carried over under 3.5 and 4.10 (a
        changed mapping), the suspended one left; the submitted proposal moved, the
        draft closed."""
        new = self.new
        activities = [
            ActivityRow(
                self.ongoing.pk,
                True,
                [self.priority(new, "3.5").pk],
                self.format(new, "4.10").pk,
            ),
            ActivityRow(self.suspended.pk, False),
        ]
        proposals = [
            ProposalRow(
                self.submitted.pk,
                MOVE,
                [self.priority(new, "3.4").pk],
                self.format(new, "4.1").pk,
                year=2019,
            ),
            ProposalRow(self.draft.pk, CLOSE, reason="Superseded by the new priorities."),
        ]
        return activities, proposals


def world(old: WorkProgramme, states, *, status=WorkProgramme.Status.ADOPTED) -> World:
    new = next_programme(old, status=status)
    p34, f41 = old.priorities.get(number="3.4"), old.formats.get(number="4.1")
    S = Activity.Status

    def activity(status):
        return ActivityFactory(
            work_programme=old,
            status=status,
            permanent_format=f41,
            lead_member_state=states["FR"],
            thematic_priorities=[p34],
            start_date=dt.date(2018, 1, 1),
            end_date=dt.date(2019, 12, 31),
        )

    def proposal(status, reference):
        p = ProposalFactory(
            work_programme=old,
            status=status,
            member_state=states["FR"],
            reference=reference,
            year=2018,
            permanent_format=f41,
        )
        p.thematic_priorities.set([p34])
        return p

    return World(
        old=old,
        new=new,
        ongoing=activity(S.ONGOING),
        suspended=activity(S.SUSPENDED),
        completed=activity(S.COMPLETED),
        submitted=proposal(Proposal.Status.SUBMITTED, "PR-2018-0101"),
        draft=proposal(Proposal.Status.DRAFT, "PR-2018-0102"),
    )
