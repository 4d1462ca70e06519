"""Proposals for tests: factories straight into the database (for fixtures that need
a row in a given state), and helpers that build them through the services, as users
would (for journeys)."""

import datetime as dt
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from activities import services as activity_services
from activities.models import AnnualProgramme
from proposals import models, services
from tests.programme.factories import MemberStateFactory, UserFactory, WorkProgrammeFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal straight into the database (bypassing the services): a French
    annual-route proposal for 2017, in any ``status``."""

    class Meta:
        model = models.Proposal
        skip_postgeneration_save = True

    work_programme = factory.SubFactory(WorkProgrammeFactory, first_year=2015, last_year=2018)
    member_state = factory.SubFactory(MemberStateFactory)
    proposer = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Proposal {n}")
    reference = factory.Sequence(lambda n: f"PR-2017-{n + 1:04d}")
    scope = "Customs and police officers of member States."
    purpose = "Build skills to detect drug sales on darknet markets."
    expected_outcome = "A training module and a network of trainers."
    start_date = dt.date(2017, 3, 1)
    end_date = dt.date(2017, 11, 30)
    estimated_cost = Decimal("30000")
    route = models.Proposal.Route.ANNUAL
    year = 2017
    status = models.Proposal.Status.SUBMITTED


class SupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Support

    proposal = factory.SubFactory(ProposalFactory)
    member_state = factory.SubFactory(MemberStateFactory)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Assessment

    proposal = factory.SubFactory(ProposalFactory, status=models.Proposal.Status.UNDER_ASSESSMENT)
    assessor = factory.SubFactory(UserFactory)
    due_date = dt.date(2017, 3, 31)


def pdf(name="terms.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def draft(actor, programme, **fields):
    values = {
        "title": "Darknet drug markets: training for customs",
        "scope": "Customs and police officers of member States.",
        "purpose": "Build skills to detect drug sales on darknet markets.",
        "expected_outcome": "A training module and a network of trainers.",
        "start_date": dt.date(2017, 3, 1),
        "end_date": dt.date(2017, 11, 30),
        "thematic_priorities": [programme.priorities.get(number="3.4")],
        "estimated_cost": Decimal("30000"),
        "route": "annual",
        "year": 2017,
        "human_rights_statement": "Respects privacy and due process.",
        "gender_statement": "Balanced trainer pool.",
        **fields,
    }
    return services.proposal_create(actor=actor, **values)


def submitted(actor, programme, **fields):
    proposal = draft(actor, programme, **fields)
    return services.proposal_submit(proposal=proposal, actor=actor)


def full_scores(proposal, score=Decimal("4"), comment=""):
    return [
        {"criterion": c.pk, "score": score, "comment": comment}
        for c in services.scored_criteria(proposal)
    ]


def assigned(pc, secretariat, expert, programme, **fields):
    """A proposal of ``pc``'s delegation, submitted, with ``expert`` assigned."""
    proposal = submitted(pc, programme, **fields)
    assessment = services.assessor_assign(proposal=proposal, assessor=expert, actor=secretariat)
    return proposal, assessment


def assessed(pc, supporter, secretariat, expert, programme, **fields):
    """Submitted, supported by ``supporter``'s delegation, and assessed (all 4s)."""
    proposal, assessment = assigned(pc, secretariat, expert, programme, **fields)
    services.support_add(proposal=proposal, actor=supporter)
    services.assessment_save(
        assessment=assessment, actor=expert, scores=full_scores(proposal), submit=True
    )
    proposal.refresh_from_db()
    return proposal


def over_ceiling_2017(programme, secretariat, states, committed="527000"):
    """A 2017 draft programme with a 500,000 ceiling that already commits ``committed``."""
    ap = AnnualProgramme.objects.create(
        work_programme=programme, year=2017, budget_ceiling=Decimal("500000")
    )
    activity = activity_services.activity_create(
        actor=secretariat,
        title="Already in the programme",
        work_programme=programme,
        thematic_priorities=[programme.priorities.get(number="3.2")],
        start_date=dt.date(2017, 1, 1),
        end_date=dt.date(2017, 12, 31),
        planned_budget=Decimal(committed),
    )
    activity_services.annual_programme_add_activity(
        annual_programme=ap, activity=activity, actor=secretariat
    )
    return ap
