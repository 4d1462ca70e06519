"""Demo proposals in every state (``load_demo``): supports, assessments by several
assessors (some disagreeing), decisions at the PC meetings, an urgent vote under way.

Every step runs at its date in the programme's period (``replay_at``): proposals are
drafted in 2017–2018, so their references read ``PR-2017-…``/``PR-2018-…``, and
their supports, assessments, decisions and votes follow on the story's calendar.
The open ones stand as they did in the autumn of 2018, before the 83rd plenary."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from pompidou.lib.clock import replay_at
from programme.models import Meeting, MemberState, WorkProgramme

from . import services
from .models import Proposal

D = Decimal
User = get_user_model()

HR = "Respects the rights of the people concerned; no data identify individuals."
GENDER = "Sex-disaggregated data; gender balance among experts and participants."


def _u(name):
    return User.objects.get(username=name)


def _day(value: str, days: int = 0) -> dt.date:
    return dt.date.fromisoformat(value) + dt.timedelta(days=days)


def _proposal(
    wp,
    proposer,
    title,
    priorities,
    *,
    drafted: str,
    route="ad_hoc",
    year=None,
    start="2018-03-01",
    end="2018-11-30",
    cost="25000",
    fmt=None,
    submit=True,
    **extra,
):
    values = {
        "title": title,
        "scope": extra.pop("scope", f"{title}: member States' services and practitioners."),
        "purpose": extra.pop("purpose", "Compare practice and agree on guidance."),
        "expected_outcome": extra.pop(
            "expected_outcome", "A report with recommendations and a seminar."
        ),
        "start_date": dt.date.fromisoformat(start) if start else None,
        "end_date": dt.date.fromisoformat(end) if end else None,
        "thematic_priorities": [wp.priorities.get(number=n) for n in priorities],
        "permanent_format": wp.formats.get(number=fmt) if fmt else None,
        "estimated_cost": D(cost),
        "route": route,
        "year": year,
        "human_rights_statement": HR,
        "gender_statement": GENDER,
        **extra,
    }
    with replay_at(_day(drafted)):
        proposal = services.proposal_create(actor=_u(proposer), **values)
    if submit:  # a week of drafting
        with replay_at(_day(drafted, 7)):
            services.proposal_submit(proposal=proposal, actor=_u(proposer))
    return proposal


def _support(proposal, on: str, actor: str, **extra):
    with replay_at(_day(on)):
        services.support_add(proposal=proposal, actor=_u(actor), **extra)


def _decide(proposal, meeting, outcome, rationale):
    with replay_at(meeting.date, hour=16):
        services.decision_record(
            proposal=proposal,
            actor=_u("secretariat"),
            outcome=outcome,
            meeting=meeting,
            rationale=rationale,
        )


def _assess(proposal, assessor, score, *, assigned: str, submit=True, low=None):
    """Assigned on ``assigned`` (due three weeks later); submitted two weeks later."""
    secretariat = _u("secretariat")
    with replay_at(_day(assigned)):
        assessment = services.assessor_assign(
            proposal=proposal, assessor=_u(assessor), actor=secretariat
        )
    scores = []
    for c in services.scored_criteria(proposal):
        value = D(score) if low is None or c.number not in low else D(low[c.number])
        comment = "" if value >= 3 else "Weak on this point: see the cost estimate."
        scores.append({"criterion": c.pk, "score": value, "comment": comment})
    with replay_at(_day(assigned, 14 if submit else 10)):
        services.assessment_save(
            assessment=assessment, actor=_u(assessor), scores=scores, submit=submit
        )


@transaction.atomic
def load_demo_proposals() -> int:
    if Proposal.objects.exists():
        return 0
    wp = WorkProgramme.objects.in_force().first()
    if wp is None or not User.objects.filter(username="secretariat").exists():
        return 0
    meeting = {m.number: m for m in Meeting.objects.filter(kind=Meeting.Kind.PC_PLENARY)}
    it = MemberState.objects.get(code="IT")

    # Decided at the PC meetings of November 2017 and June 2018.
    p = _proposal(wp, "pc_fr", "A European register of drug users", ["3.2"], drafted="2017-09-04")
    _assess(p, "expert_health", "2", assigned="2017-09-25", low={})
    _decide(p, meeting[81], "rejected", "Human-rights concerns; no other delegation supports it.")
    p = _proposal(
        wp,
        "pc_de",
        "Cannabis regulation: monitoring of effects",
        ["3.2"],
        drafted="2017-11-06",
        start="2018-07-01",
        end="2018-12-15",
    )
    _support(p, "2017-11-20", "pc_pl")
    _assess(p, "expert_justice", "4", assigned="2017-12-04")
    _decide(p, meeting[82], "adopted", "Supported and well assessed.")

    # Fully assessed, assessors disagreeing: awaiting the 83rd plenary's decision.
    p = _proposal(
        wp,
        "pc_pt",
        "Social reintegration through employment",
        ["3.3"],
        route="annual",
        year=2018,
        cost="35000",
        drafted="2017-12-04",
    )
    _support(p, "2017-12-18", "pc_es")
    _support(p, "2018-01-08", "pc_fr")
    _assess(p, "expert_health", "4.5", assigned="2018-01-10")
    _assess(p, "expert_justice", "3", assigned="2018-01-10", low={7: "1.5", 8: "2"})

    # Withdrawn by its delegation.
    p = _proposal(wp, "pc_pl", "Drug testing at the workplace", ["3.3"], drafted="2018-02-05")
    with replay_at(_day("2018-04-09")):
        services.proposal_withdraw(proposal=p, actor=_u("pc_pl"), comment="Covered by EXASS Net.")

    # Fully assessed, recommended: awaiting a decision.
    p = _proposal(
        wp,
        "pc_ma",
        "MedNET: treatment quality standards in North Africa",
        ["3.1", "3.3"],
        route="annual",
        year=2018,
        fmt="4.5",
        cost="28000",
        drafted="2018-02-26",
    )
    _support(p, "2018-03-08", "pc_fr")
    _support(
        p,
        "2018-03-14",
        "secretariat",
        member_state=it,
        note="Support received by letter of 12 March 2018.",
    )
    _assess(p, "expert_health", "4", assigned="2018-03-20")
    _assess(p, "expert_justice", "4.5", assigned="2018-03-20")

    # Deferred in June 2018.
    p = _proposal(
        wp,
        "pc_es",
        "Costs of drug-related crime",
        ["3.2"],
        drafted="2018-03-12",
        start="2018-09-01",
        cost="60000",
    )
    _decide(p, meeting[82], "deferred", "Resubmit with a cost estimate.")

    # Under assessment: one assessor done, the expert still drafting (their to-do).
    p = _proposal(
        wp,
        "pc_pl",
        "Feasibility of needle exchange in prisons",
        ["3.1"],
        route="annual",
        year=2018,
        cost="40000",
        drafted="2018-04-16",
        start="2018-09-01",
    )
    _support(p, "2018-04-30", "pc_de")
    _assess(p, "bureau_nl", "3.5", assigned="2018-05-14")
    _assess(p, "expert_health", "4", assigned="2018-09-10", submit=False)

    # Submitted, supported, awaiting assessors.
    p = _proposal(
        wp,
        "pc_es",
        "Prevention in digital environments for young people",
        ["3.3", "3.4"],
        route="annual",
        year=2018,
        drafted="2018-09-03",
        start="2018-10-01",
    )
    _support(p, "2018-09-24", "pc_pt")

    # Drafts: one incomplete, one ready to submit.
    _proposal(
        wp,
        "pc_fr",
        "Women who use drugs: access to services",
        ["3.1"],
        submit=False,
        scope="",
        expected_outcome="",
        drafted="2018-10-01",
    )
    _proposal(
        wp,
        "pc_de",
        "Drug checking services: an evidence review",
        ["3.3"],
        submit=False,
        drafted="2018-10-15",
        start="2018-11-01",
    )

    # Urgent: the Bureau's vote is under way.
    p = _proposal(
        wp,
        "pc_es",
        "Synthetic cannabinoids in prisons: rapid response",
        ["3.3"],
        route="urgent",
        start="2018-11-15",
        end="2018-12-31",
        cost="15000",
        urgency_justification="Several deaths in three countries since the summer.",
        drafted="2018-10-29",
    )
    for day, voter, vote, comment in (
        ("2018-11-06", "bureau_chair", "approve", ""),
        ("2018-11-07", "bureau_vice", "approve", ""),
        ("2018-11-08", "bureau_se", "abstain", "Waiting for the EMCDDA alert."),
    ):
        with replay_at(_day(day)):
            services.bureau_vote_cast(proposal=p, actor=_u(voter), vote=vote, comment=comment)
    return Proposal.objects.count()
