"""Supports, assessors and assessments through REST API v1."""

from decimal import Decimal

import pytest

from programme.services import account_create
from proposals import services
from proposals.models import Assessment
from tests.conftest import PASSWORD, answer, client_as
from tests.proposals.api import bureau_member, url
from tests.proposals.factories import full_scores, submitted

# --- supports -----------------------------------------------------------------------


def test_a_french_pc_cannot_support_a_french_proposal(programme, pc_fr, states):
    proposal = submitted(pc_fr, programme)
    other_fr = account_create(
        username="pc_fr_2",
        role="correspondent",
        member_state_code="FR",
        password=PASSWORD,
        validate=False,
    )
    for user in (pc_fr, other_fr):
        errors = answer(client_as(user).post(url(proposal, "supports/"), {}, format="json"), 400)
        assert "France proposed this activity" in errors["member_state"][0]
    assert not proposal.supports.exists()


def test_a_pc_supports_for_their_own_delegation_only(programme, pc_fr, pc_de):
    proposal = submitted(pc_fr, programme)
    response = client_as(pc_de).post(
        url(proposal, "supports/"), {"member_state": "IT"}, format="json"
    )
    assert answer(response, 400).keys() == {"member_state"}


def test_the_secretariat_records_a_support_received_by_letter(programme, pc_fr, secretariat):
    proposal = submitted(pc_fr, programme)
    body = answer(
        client_as(secretariat).post(
            url(proposal, "supports/"),
            {"member_state": "it", "note": "Letter of 3 May."},
            format="json",
        ),
        201,
    )
    assert (body["member_state"], body["note"]) == ("IT", "Letter of 3 May.")
    assert answer(client_as(pc_fr).get(url(proposal)))["supports"] == ["IT"]


@pytest.mark.parametrize("persona", ["expert", "outsider"])
def test_only_correspondents_and_the_secretariat_support(personas, programme, pc_fr, persona):
    proposal = submitted(pc_fr, programme)
    response = client_as(personas[persona]).post(url(proposal, "supports/"), {}, format="json")
    assert response.status_code == (404 if persona == "outsider" else 403)
    assert not proposal.supports.exists()


def test_a_delegation_withdraws_its_support(programme, pc_fr, pc_de, secretariat):
    proposal = submitted(pc_fr, programme)
    services.support_add(proposal=proposal, actor=pc_de)
    assert client_as(pc_fr).delete(url(proposal, "supports/DE/")).status_code == 403
    assert client_as(pc_de).delete(url(proposal, "supports/IT/")).status_code == 404
    assert client_as(pc_de).delete(url(proposal, "supports/DE/")).status_code == 204
    assert not proposal.supports.exists()
    score = answer(client_as(secretariat).get(url(proposal, "score/")))
    assert score["supported"] is False


# --- assessors and assessments ------------------------------------------------------


def test_an_assessor_of_the_proposals_own_member_state_is_a_400_naming_username(
    programme, pc_fr, secretariat
):
    proposal = submitted(pc_fr, programme)
    bureau_member("bureau_fr", "FR")
    response = client_as(secretariat).post(
        url(proposal, "assessors/"), {"username": "bureau_fr"}, format="json"
    )
    errors = answer(response, 400)
    assert errors.keys() == {"username"}
    assert "own member state" in errors["username"][0]
    assert not proposal.assessments.exists()


def test_an_unknown_assessor_is_a_400_naming_username(programme, pc_fr, secretariat):
    proposal = submitted(pc_fr, programme)
    response = client_as(secretariat).post(
        url(proposal, "assessors/"), {"username": "nobody"}, format="json"
    )
    assert answer(response, 400).keys() == {"username"}


@pytest.mark.parametrize("persona", ["pc_de", "bureau_chair", "expert"])
def test_only_the_secretariat_assigns_assessors(personas, programme, pc_fr, persona):
    proposal = submitted(pc_fr, programme)
    response = client_as(personas[persona]).post(
        url(proposal, "assessors/"), {"username": "expert"}, format="json"
    )
    assert response.status_code == 403
    assert not proposal.assessments.exists()


def test_someone_not_assigned_cannot_assess(under_assessment, bureau_chair):
    response = client_as(bureau_chair).post(
        url(under_assessment, "assessments/"),
        {"scores": full_scores(under_assessment), "submit": True},
        format="json",
    )
    assert response.status_code == 403
    assert "not an assessor of this proposal" in response.json()["detail"]


def test_a_draft_keeps_a_score_below_3_without_comment_but_submission_needs_one(
    under_assessment, expert
):
    scores = full_scores(under_assessment)
    scores[2] = {**scores[2], "score": "2.5", "comment": ""}
    client = client_as(expert)
    draft = answer(
        client.post(url(under_assessment, "assessments/"), {"scores": scores}, format="json")
    )
    assert draft["status"] == "draft"
    assert draft["scores"][2]["score"] == "2.5"

    errors = answer(
        client.post(
            url(under_assessment, "assessments/"),
            {"scores": scores, "submit": True},
            format="json",
        ),
        400,
    )
    assert errors.keys() == {"scores[2]"}
    assert "below 3" in errors["scores[2]"][0]

    scores[2]["comment"] = "The budget lacks detail."
    saved = answer(
        client.post(
            url(under_assessment, "assessments/"),
            {"scores": scores, "submit": True},
            format="json",
        )
    )
    assert saved["status"] == "submitted"


def test_a_null_score_clears_a_drafts_saved_score(under_assessment, expert):
    scores = full_scores(under_assessment)
    client = client_as(expert)
    answer(client.post(url(under_assessment, "assessments/"), {"scores": scores}, format="json"))
    cleared = [{"criterion": scores[0]["criterion"], "score": None}]
    saved = answer(
        client.post(url(under_assessment, "assessments/"), {"scores": cleared}, format="json")
    )
    assert scores[0]["criterion"] not in [s["criterion"] for s in saved["scores"]]
    assert len(saved["scores"]) == len(scores) - 1


@pytest.mark.parametrize("mark", [5.5, 2.25, -1, "four"])
def test_a_score_off_the_half_point_scale_is_a_400(under_assessment, expert, mark):
    scores = full_scores(under_assessment)
    scores[0] = {**scores[0], "score": mark, "comment": "Explained."}
    response = client_as(expert).post(
        url(under_assessment, "assessments/"), {"scores": scores, "submit": True}, format="json"
    )
    errors = answer(response, 400)
    assert any(key.startswith("scores") for key in errors), errors
    assert Assessment.objects.get().status == Assessment.Status.DRAFT


def test_a_submitted_assessment_cannot_be_changed(under_assessment, expert):
    client = client_as(expert)
    answer(
        client.post(
            url(under_assessment, "assessments/"),
            {"scores": full_scores(under_assessment), "submit": True},
            format="json",
        )
    )
    lower = full_scores(under_assessment, score="3")
    errors = answer(
        client.post(url(under_assessment, "assessments/"), {"scores": lower}, format="json"), 400
    )
    assert errors.keys() == {"status"}
    assert {s.score for s in Assessment.objects.get().scores.all()} == {Decimal("4")}


def test_assessments_are_read_by_their_assessor_the_secretariat_and_the_bureau(
    under_assessment, expert, secretariat, bureau_chair, pc_fr, pc_de
):
    path = url(under_assessment, "assessments/")
    # A draft is its assessor's own.
    assert [a["assessor"] for a in answer(client_as(expert).get(path))] == ["expert"]
    assert answer(client_as(secretariat).get(path)) == []
    services.assessment_save(
        assessment=Assessment.objects.get(),
        actor=expert,
        scores=full_scores(under_assessment),
        submit=True,
    )
    for reader in (secretariat, bureau_chair):
        assert [a["status"] for a in answer(client_as(reader).get(path))] == ["submitted"]
    for stranger in (pc_fr, pc_de):
        assert client_as(stranger).get(path).status_code == 403


@pytest.mark.parametrize("persona", ["pc_fr", "pc_de", "expert", "outsider"])
def test_only_the_secretariat_and_the_bureau_read_the_score(personas, under_assessment, persona):
    response = client_as(personas[persona]).get(url(under_assessment, "score/"))
    assert response.status_code == (404 if persona == "outsider" else 403)


def test_an_unsupported_proposal_is_not_recommended(programme, pc_fr, secretariat, expert):
    proposal = submitted(pc_fr, programme)
    assessment = services.assessor_assign(proposal=proposal, assessor=expert, actor=secretariat)
    services.assessment_save(
        assessment=assessment, actor=expert, scores=full_scores(proposal, score="5"), submit=True
    )
    score = answer(client_as(secretariat).get(url(proposal, "score/")))
    assert (score["supported"], score["recommended"]) == (False, False)
    assert any("Criterion 1" in reason for reason in score["reasons"])
