"""What the proposal tests share: a small world of proposals in every situation, and
the helpers of the page tests."""

import datetime as dt

import pytest

from programme.models import Meeting
from programme.services import account_create
from proposals import services
from proposals.models import Proposal
from tests.conftest import answer, client_as
from tests.programme.factories import MemberStateFactory
from tests.proposals.api import LIST, bureau_member, complete_body, url
from tests.proposals.factories import draft, full_scores, submitted

PERSONAS = ["secretariat", "pc_fr", "pc_de", "bureau_chair", "expert", "outsider", "anonymous"]
LOGIN = "login"  # the anonymous visitor is sent to the login page


@pytest.fixture
def world(programme, personas):
    """A French draft, a German draft, a submitted French proposal (with the expert
    assigned to assess it) and a German urgent proposal in the Bureau's vote."""
    pc_fr, pc_de = personas["pc_fr"], personas["pc_de"]
    fr_draft = draft(pc_fr, programme, title="French draft on prison health")
    de_draft = draft(pc_de, programme, title="German draft on drug checking")
    fr_submitted = submitted(pc_fr, programme, title="French proposal on darknet markets")
    urgent = submitted(
        pc_de,
        programme,
        title="German urgent response to synthetic cannabinoids",
        route="urgent",
        year=None,
        urgency_justification="Deaths in three countries since January.",
    )
    meeting = Meeting.objects.create(kind="pc_plenary", number=80, date=dt.date(2017, 5, 30))
    return {
        "fr_draft": fr_draft,
        "de_draft": de_draft,
        "fr_submitted": fr_submitted,
        "urgent": urgent,
        "meeting": meeting,
    }


def assign(world, personas, who="expert"):
    return services.assessor_assign(
        proposal=world["fr_submitted"], assessor=personas[who], actor=personas["secretariat"]
    )


def check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected, response.content.decode()[:500]


@pytest.fixture
def second_bureau_member(states):
    from programme.services import account_create

    return account_create(
        username="bureau_it",
        role="bureau",
        member_state_code="IT",
        office="vice_chair",
        password="x-pass-123456",
        validate=False,
        mandate_start=dt.date(2015, 1, 1),
    )


def scores_of(world):
    """Every scored criterion at 4, for the submitted French proposal."""
    return full_scores(world["fr_submitted"])


# --- the API tests ---


@pytest.fixture
def under_assessment(programme, pc_fr, pc_de, secretariat, expert):
    """A French proposal supported by Germany, assessed by the expert (a draft so far)."""
    proposal = submitted(pc_fr, programme)
    services.support_add(proposal=proposal, actor=pc_de)
    services.assessor_assign(proposal=proposal, assessor=expert, actor=secretariat)
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def urgent(programme, pc_fr):
    """An urgent proposal submitted through the API: it goes to the Bureau's vote."""
    body = complete_body(
        programme, route="urgent", year=None, urgency_justification="A new drug kills now."
    )
    client = client_as(pc_fr)
    pk = answer(client.post(LIST, body, format="json"), 201)["id"]
    assert answer(client.post(url(pk, "submit/")))["status"] == "bureau_vote"
    return Proposal.objects.get(pk=pk)


@pytest.fixture
def bureau_of_eight(bureau_chair, states):
    """The Chair (Norway) and seven more current Bureau members."""
    for code in ("PT", "NL", "BE", "AT", "PL"):
        MemberStateFactory(code=code)
    others = [
        bureau_member(f"bureau_{code.lower()}", code)
        for code in ("IT", "ES", "PT", "NL", "BE", "AT", "PL")
    ]
    return [bureau_chair, *others]


# --- the journey tests ---


@pytest.fixture
def meeting(db):
    """The PC plenary of November 2016."""
    return Meeting.objects.create(kind="pc_plenary", number=79, date=dt.date(2016, 11, 29))


@pytest.fixture
def expert2(states):
    return account_create(username="expert2", role="expert", password="x" * 12, validate=False)
