"""A delegate who took part in everything: the Chair of the Bureau (Norway), named
Ingrid Solberg, supports, assesses, comments, votes, proposes, answers feedback and is
mentioned, invited by e-mail, named in an attendance list and in the history."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from evaluation import services as evaluation_services
from meetings import services as meeting_services
from pompidou import audit
from programme.models import Meeting
from proposals import services
from tests.activities.factories import ActivityFactory
from tests.proposals.factories import full_scores, submitted

NAME = "Ingrid Solberg"
EMAIL = "ingrid.solberg@example.no"
USERNAME = "bureau_chair"


@pytest.fixture
def delegate(bureau_chair):
    bureau_chair.first_name, bureau_chair.last_name = "Ingrid", "Solberg"
    bureau_chair.email = EMAIL
    bureau_chair.save()
    return get_user_model().objects.get(pk=bureau_chair.pk)


@pytest.fixture
def world(programme, personas, delegate, states, media):
    pc_fr, pc_de, secretariat, expert = (
        personas["pc_fr"], personas["pc_de"], personas["secretariat"], personas["expert"],
    )  # fmt: skip
    adopted = submitted(pc_fr, programme, title="Darknet drug markets")
    services.support_add(proposal=adopted, actor=delegate, note=f"{NAME} supports it")
    services.support_add(proposal=adopted, actor=pc_de)
    for assessor in (delegate, expert):
        assessment = services.assessor_assign(
            proposal=adopted, assessor=assessor, actor=secretariat
        )
        services.assessment_save(
            assessment=assessment, actor=assessor, scores=full_scores(adopted), submit=True
        )
    first = services.comment_post(
        proposal=adopted, actor=delegate, body="Norway will host the first session."
    )
    services.comment_post(
        proposal=adopted,
        actor=pc_fr,
        body=f"Thank you @{USERNAME} ({NAME}, {EMAIL}).",
        parent=first,
    )
    meeting = Meeting.objects.create(
        kind="pc_plenary", number=83, date=dt.date(2017, 5, 10), status="held"
    )
    services.decision_record(
        proposal=adopted, actor=secretariat, outcome="adopted", meeting=meeting,
        rationale=f"Supported by {NAME}.",
    )  # fmt: skip
    adopted.refresh_from_db()
    urgent = submitted(
        pc_fr, programme, route="urgent", year=None, title="A new synthetic opioid",
        urgency_justification="It is spreading.",
    )  # fmt: skip
    services.bureau_vote_cast(
        proposal=urgent, actor=delegate, vote="approve", comment="Urgent indeed."
    )
    own = submitted(delegate, programme, title="Prison drug services in the north")
    next_meeting = Meeting.objects.create(
        kind="pc_plenary", number=84, date=dt.date(2030, 5, 10), status="convened"
    )
    meeting_services.attendance_register(
        meeting=next_meeting, actor=delegate, attendees=f"{NAME}\nOla Nordmann"
    )
    activity = ActivityFactory(work_programme=programme, supervisor=delegate)
    request = evaluation_services.feedback_request_open(
        activity=activity,
        actor=secretariat,
        audience="named",
        questions="Was it useful?",
        deadline=dt.date.today() + dt.timedelta(days=10),
        recipients=[delegate],
        invitees=[(NAME, EMAIL), ("Kari Nordmann", "kari@example.no")],
    )
    ratings = {"relevance": 4, "quality": 4, "usefulness": 5, "impact": 3}
    evaluation_services.feedback_respond(
        request=request, actor=delegate, comments="Useful for Norway.", **ratings
    )
    kari = request.invitations.get(email="kari@example.no")
    token = evaluation_services.feedback_link(kari).rstrip("/").rsplit("/", 1)[-1]
    evaluation_services.feedback_respond(
        request=request, token=token, comments="Kari Nordmann found it useful.", **ratings
    )
    audit.record(delegate, audit.Kind.LOGIN, delegate, label=USERNAME, ip="192.0.2.7")
    return {
        "adopted": adopted,
        "urgent": urgent,
        "own": own,
        "meeting": meeting,
        "next_meeting": next_meeting,
        "activity": activity,
        "feedback": request,
    }
