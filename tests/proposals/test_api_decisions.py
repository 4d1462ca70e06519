"""Decisions and the Bureau's vote through REST API v1; anonymous clients; the schema."""

import pytest
from rest_framework.test import APIClient

from activities.models import Activity
from proposals.models import Proposal
from tests.conftest import answer, client_as
from tests.proposals.api import LIST, complete_body, url, vote
from tests.proposals.factories import submitted

# --- decisions ----------------------------------------------------------------------


def test_a_decision_is_recorded_once(under_assessment, secretariat):
    client = client_as(secretariat)
    body = {"outcome": "adopted", "meeting": None, "rationale": "Consensus."}
    first = answer(client.post(url(under_assessment, "decision/"), body, format="json"), 201)
    assert first["activity"] is not None
    second = client.post(url(under_assessment, "decision/"), body, format="json")
    assert answer(second, 400).keys() == {"status"}
    assert Activity.objects.count() == 1


def test_a_rejection_creates_no_activity(under_assessment, secretariat):
    body = {"outcome": "rejected", "rationale": "Out of scope."}
    decision = answer(
        client_as(secretariat).post(url(under_assessment, "decision/"), body, format="json"),
        201,
    )
    assert (decision["proposal_status"], decision["activity"]) == ("rejected", None)
    assert not Activity.objects.exists()


def test_a_decision_needs_a_known_outcome_and_a_rationale(under_assessment, secretariat):
    response = client_as(secretariat).post(
        url(under_assessment, "decision/"), {"outcome": "maybe"}, format="json"
    )
    assert "outcome" in answer(response, 400)
    response = client_as(secretariat).post(
        url(under_assessment, "decision/"), {"outcome": "adopted"}, format="json"
    )
    assert answer(response, 400).keys() == {"rationale"}


@pytest.mark.parametrize("persona", ["pc_fr", "pc_de", "bureau_chair", "expert"])
def test_only_the_secretariat_records_decisions(personas, under_assessment, persona):
    response = client_as(personas[persona]).post(
        url(under_assessment, "decision/"),
        {"outcome": "adopted", "rationale": "Consensus."},
        format="json",
    )
    assert response.status_code == 403
    assert not Activity.objects.exists()


# --- the urgent route: the Bureau's vote --------------------------------------------


def test_five_approvals_of_a_bureau_of_eight_adopt_an_urgent_proposal(urgent, bureau_of_eight):
    for member in bureau_of_eight[:4]:
        assert answer(vote(member, urgent))["proposal_status"] == "bureau_vote"
    assert not Activity.objects.exists()

    fifth = answer(vote(bureau_of_eight[4], urgent))
    assert fifth["proposal_status"] == "adopted"
    activity = Activity.objects.get()
    assert fifth["activity"] == activity.reference
    assert activity.adoption_route == Activity.Route.URGENT
    assert activity.title == urgent.title

    late = vote(bureau_of_eight[5], urgent)
    assert answer(late, 400).keys() == {"status"}
    assert Activity.objects.count() == 1


def test_a_bureau_member_may_change_their_vote_before_the_outcome(urgent, bureau_of_eight):
    chair = bureau_of_eight[0]
    answer(vote(chair, urgent, "reject"))
    assert answer(vote(chair, urgent, "approve"))["vote"] == "approve"
    assert urgent.votes.get().vote == "approve"


@pytest.mark.parametrize("persona", ["pc_de", "secretariat", "expert"])
def test_a_vote_by_someone_outside_the_bureau_is_403(personas, urgent, persona):
    assert vote(personas[persona], urgent).status_code == 403
    assert not urgent.votes.exists()


def test_the_bureau_votes_on_urgent_proposals_only(programme, pc_fr, bureau_chair):
    proposal = submitted(pc_fr, programme)
    assert answer(vote(bureau_chair, proposal), 400).keys() == {"status"}


def test_an_unknown_vote_is_a_400_naming_vote(urgent, bureau_chair):
    assert "vote" in answer(vote(bureau_chair, urgent, "maybe"), 400)


# --- anonymous and the schema -------------------------------------------------------

ENDPOINTS = [
    ("get", ""),
    ("patch", "{pk}/"),
    ("get", "{pk}/"),
    ("post", "{pk}/submit/"),
    ("post", "{pk}/withdraw/"),
    ("post", "{pk}/supports/"),
    ("delete", "{pk}/supports/DE/"),
    ("post", "{pk}/assessors/"),
    ("get", "{pk}/assessments/"),
    ("post", "{pk}/assessments/"),
    ("get", "{pk}/score/"),
    ("post", "{pk}/decision/"),
    ("post", "{pk}/bureau-votes/"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_is_refused_on_every_endpoint(under_assessment, method, path):
    response = getattr(APIClient(), method)(
        LIST + path.format(pk=under_assessment.pk), {}, format="json"
    )
    assert response.status_code == 401  # no credentials: authenticate first
    under_assessment.refresh_from_db()
    assert under_assessment.status == Proposal.Status.UNDER_ASSESSMENT


def test_anonymous_cannot_create_a_proposal(programme, states):
    response = APIClient().post(LIST, complete_body(programme), format="json")
    assert response.status_code == 401  # no credentials: authenticate first
    assert not Proposal.objects.exists()


def test_the_schema_documents_every_proposal_endpoint(db):
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/proposals/",
        "/api/v1/proposals/{id}/",
        "/api/v1/proposals/{id}/submit/",
        "/api/v1/proposals/{id}/withdraw/",
        "/api/v1/proposals/{id}/supports/",
        "/api/v1/proposals/{id}/supports/{code}/",
        "/api/v1/proposals/{id}/assessors/",
        "/api/v1/proposals/{id}/assessments/",
        "/api/v1/proposals/{id}/score/",
        "/api/v1/proposals/{id}/decision/",
        "/api/v1/proposals/{id}/bureau-votes/",
    ):
        assert path in paths, path
    assert "put" not in paths["/api/v1/proposals/{id}/"]
    create = paths["/api/v1/proposals/"]["post"]["requestBody"]["content"]["application/json"]
    assert create["schema"]["$ref"].endswith("/ProposalCreateInputRequest")


def test_a_pasted_line_break_is_kept_as_a_line_feed_and_a_control_character_refused(
    programme, pc_fr
):
    client = client_as(pc_fr)
    body = complete_body(programme, title="Darknet\x0bmarkets", scope="One\x0cTwo\r\nThree")
    created = answer(client.post(LIST, body, format="json"), 201)
    proposal = Proposal.objects.get(pk=created["id"])
    assert (proposal.title, proposal.scope) == ("Darknet\nmarkets", "One\nTwo\nThree")

    refused = answer(client.patch(url(proposal), {"purpose": "ring\x07"}, format="json"), 400)
    assert "U+0007" in refused["purpose"][0]
    proposal.refresh_from_db()
    assert proposal.purpose == body["purpose"]
