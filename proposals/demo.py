"""Demo proposals in every state (``load_demo``): supports, assessments by several
assessors (some disagreeing), decisions at the PC meetings, an urgent vote under way."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from programme.models import Meeting, MemberState, WorkProgramme

from . import services
from .models import Proposal

D = Decimal
User = get_user_model()

HR = "Respects the rights of the people concerned; no data identify individuals."
GENDER = "Sex-disaggregated data; gender balance among experts and participants."


def _u(name):
    return User.objects.get(username=name)


def _proposal(
    wp,
    proposer,
    title,
    priorities,
    *,
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
    proposal = services.proposal_create(actor=_u(proposer), **values)
    if submit:
        services.proposal_submit(proposal=proposal, actor=_u(proposer))
    return proposal


def _assess(proposal, assessor, score, submit=True, low=None):
    secretariat = _u("secretariat")
    assessment = services.assessor_assign(
        proposal=proposal, assessor=_u(assessor), actor=secretariat
    )
    scores = []
    for c in services.scored_criteria(proposal):
        value = D(score) if low is None or c.number not in low else D(low[c.number])
        comment = "" if value >= 3 else "Weak on this point: see the cost estimate."
        scores.append({"criterion": c.pk, "score": value, "comment": comment})
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
    secretariat = _u("secretariat")
    meeting = {m.number: m for m in Meeting.objects.filter(kind=Meeting.Kind.PC_PLENARY)}
    it = MemberState.objects.get(code="IT")

    # Drafts: one incomplete, one ready to submit.
    _proposal(
        wp,
        "pc_fr",
        "Women who use drugs: access to services",
        ["3.1"],
        submit=False,
        scope="",
        expected_outcome="",
    )
    _proposal(wp, "pc_de", "Drug checking services: an evidence review", ["3.3"], submit=False)

    # Submitted, supported, awaiting assessors.
    p = _proposal(
        wp,
        "pc_es",
        "Prevention in digital environments for young people",
        ["3.3", "3.4"],
        route="annual",
        year=2018,
    )
    services.support_add(proposal=p, actor=_u("pc_pt"))

    # Under assessment: one assessor done, one still drafting.
    p = _proposal(
        wp,
        "pc_pl",
        "Feasibility of needle exchange in prisons",
        ["3.1"],
        route="annual",
        year=2018,
        cost="40000",
    )
    services.support_add(proposal=p, actor=_u("pc_de"))
    _assess(p, "expert_health", "4")
    _assess(p, "bureau_nl", "3.5", submit=False)

    # Fully assessed, assessors disagreeing: awaiting a decision.
    p = _proposal(
        wp,
        "pc_pt",
        "Social reintegration through employment",
        ["3.3"],
        route="annual",
        year=2018,
        cost="35000",
    )
    for state in ("pc_es", "pc_fr"):
        services.support_add(proposal=p, actor=_u(state))
    _assess(p, "expert_health", "4.5")
    _assess(p, "expert_justice", "3", low={7: "1.5", 8: "2"})

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
    )
    services.support_add(proposal=p, actor=_u("pc_fr"))
    services.support_add(
        proposal=p,
        actor=secretariat,
        member_state=it,
        note="Support received by letter of 12 March 2018.",
    )
    _assess(p, "expert_health", "4")
    _assess(p, "expert_justice", "4.5")

    # Decided at the PC meetings.
    p = _proposal(
        wp,
        "pc_de",
        "Cannabis regulation: monitoring of effects",
        ["3.2"],
        start="2018-01-15",
        end="2018-12-15",
    )
    services.support_add(proposal=p, actor=_u("pc_pl"))
    _assess(p, "expert_justice", "4")
    services.decision_record(
        proposal=p,
        actor=secretariat,
        outcome="adopted",
        meeting=meeting.get(82),
        rationale="Supported and well assessed.",
    )
    p = _proposal(wp, "pc_fr", "A European register of drug users", ["3.2"])
    _assess(p, "expert_health", "2", low={})
    services.decision_record(
        proposal=p,
        actor=secretariat,
        outcome="rejected",
        meeting=meeting.get(81),
        rationale="Human-rights concerns; no other delegation supports it.",
    )
    p = _proposal(wp, "pc_es", "Costs of drug-related crime", ["3.2"], cost="60000")
    services.decision_record(
        proposal=p,
        actor=secretariat,
        outcome="deferred",
        meeting=meeting.get(82),
        rationale="Resubmit with a cost estimate.",
    )
    p = _proposal(wp, "pc_pl", "Drug testing at the workplace", ["3.3"])
    services.proposal_withdraw(proposal=p, actor=_u("pc_pl"), comment="Covered by EXASS Net.")

    # Urgent: the Bureau's vote is under way.
    p = _proposal(
        wp,
        "pc_es",
        "Synthetic cannabinoids in prisons: rapid response",
        ["3.3"],
        route="urgent",
        start="2018-05-01",
        end="2018-09-30",
        cost="15000",
        urgency_justification="Several deaths in three countries since January.",
    )
    services.bureau_vote_cast(proposal=p, actor=_u("bureau_chair"), vote="approve")
    services.bureau_vote_cast(proposal=p, actor=_u("bureau_vice"), vote="approve")
    services.bureau_vote_cast(
        proposal=p, actor=_u("bureau_se"), vote="abstain", comment="Waiting for the EMCDDA alert."
    )
    return Proposal.objects.count()
