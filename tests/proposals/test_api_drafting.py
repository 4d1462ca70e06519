"""The proposal workflow through REST API v1: the whole journey, drafting,
submission and the list."""

import datetime as dt
from decimal import Decimal

import pytest

from activities.models import Activity, AnnualProgramme
from pompidou.audit import events_of
from programme.models import Meeting
from proposals import services
from proposals.models import Proposal
from tests.conftest import answer, client_as
from tests.proposals.api import LIST, complete_body, url
from tests.proposals.factories import draft, submitted

# --- the whole journey ------------------------------------------------------------


def test_the_whole_journey_adopts_one_activity_entered_in_that_years_annual_programme(
    programme, secretariat, pc_fr, pc_de, expert, bureau_chair
):
    created = answer(client_as(pc_fr).post(LIST, complete_body(programme), format="json"), 201)
    assert created["status"] == "draft"
    assert created["member_state"] == "FR"
    assert created["proposer"] == "pc_fr"
    assert created["reference"].startswith("PR-")
    pk = created["id"]

    submitted_ = answer(client_as(pc_fr).post(url(pk, "submit/")))
    assert submitted_["status"] == "submitted"
    assert submitted_["submitted_at"] is not None

    support = answer(client_as(pc_de).post(url(pk, "supports/"), {}, format="json"), 201)
    assert support["member_state"] == "DE"

    as_secretariat = client_as(secretariat)
    for assessor in ("expert", "bureau_chair"):
        assigned = answer(
            as_secretariat.post(url(pk, "assessors/"), {"username": assessor}, format="json"),
            201,
        )
        assert (assigned["assessor"], assigned["status"]) == (assessor, "draft")
    assert answer(as_secretariat.get(url(pk)))["status"] == "under_assessment"

    criteria = answer(
        client_as(expert).get(
            "/api/v1/criteria/", {"work_programme": programme.pk, "computed": "false"}
        )
    )["results"]
    assert len(criteria) == 7  # criteria 2–8; criterion 1 is computed from supports
    for assessor, mark in ((expert, "4"), (bureau_chair, "4.5")):
        scores = [{"criterion": c["id"], "score": mark, "comment": ""} for c in criteria]
        saved = answer(
            client_as(assessor).post(
                url(pk, "assessments/"), {"scores": scores, "submit": True}, format="json"
            )
        )
        assert saved["status"] == "submitted"
        assert len(saved["scores"]) == 7

    score = answer(as_secretariat.get(url(pk, "score/")))
    assert score["submitted"] == 2
    assert score["supported"] is True
    assert score["recommended"] is True, score["reasons"]
    assert score["reasons"] == []
    assert Decimal(score["percentage"]) == Decimal("85.0")
    first = score["criteria"][0]
    assert (first["number"], first["computed"], first["met"]) == (1, True, True)
    second = score["criteria"][1]
    assert second["scores"] == {"expert": "4.0", "bureau_chair": "4.5"}
    assert Decimal(second["mean"]) == Decimal("4.25")
    assert second["disagreement"] is False

    meeting = Meeting.objects.create(
        kind=Meeting.Kind.PC_PLENARY, number=71, date=dt.date(2016, 11, 15)
    )
    decision = answer(
        as_secretariat.post(
            url(pk, "decision/"),
            {"outcome": "adopted", "meeting": meeting.pk, "rationale": "Consensus."},
            format="json",
        ),
        201,
    )
    assert decision["proposal_status"] == "adopted"
    assert decision["decided_on"] == "2016-11-15"

    activity = Activity.objects.get()
    assert decision["activity"] == activity.reference
    assert activity.title == "Darknet drug markets: training for customs"
    assert activity.adoption_route == Activity.Route.ANNUAL
    assert AnnualProgramme.objects.get(year=2017).entries.filter(activity=activity).exists()
    assert answer(client_as(pc_de).get(url(pk)))["activity"] == activity.reference


# --- drafting -----------------------------------------------------------------------


def test_a_pc_drafts_for_their_own_delegation_only(programme, pc_fr):
    response = client_as(pc_fr).post(
        LIST, complete_body(programme, member_state="DE"), format="json"
    )
    assert answer(response, 400).keys() == {"member_state"}
    assert not Proposal.objects.exists()


def test_an_unknown_member_state_code_is_a_400_naming_member_state(programme, pc_fr):
    response = client_as(pc_fr).post(
        LIST, complete_body(programme, member_state="XX"), format="json"
    )
    assert "member_state" in answer(response, 400)


@pytest.mark.parametrize("persona", ["expert", "outsider"])
def test_only_correspondents_and_bureau_members_draft(personas, programme, persona):
    response = client_as(personas[persona]).post(LIST, {}, format="json")
    assert response.status_code == 403
    assert not Proposal.objects.exists()


def test_a_bureau_member_proposes_as_bureau_only_in_the_areas_they_supervise(
    programme, bureau_chair
):
    body = complete_body(programme, member_state="NO", as_bureau=True)
    response = client_as(bureau_chair).post(LIST, body, format="json")
    assert answer(response, 400).keys() == {"thematic_priorities"}

    mandate = bureau_chair.bureau_mandates.get()
    mandate.supervised_priorities.add(programme.priorities.get(number="3.4"))
    created = answer(client_as(bureau_chair).post(LIST, body, format="json"), 201)
    assert Proposal.objects.get(pk=created["id"]).bureau_mandate == mandate


def test_a_pc_changes_their_delegations_draft(programme, pc_fr):
    proposal = draft(pc_fr, programme)
    body = answer(
        client_as(pc_fr).patch(
            url(proposal), {"title": "Darknet markets", "estimated_cost": "12500"}, format="json"
        )
    )
    assert (body["title"], body["estimated_cost"]) == ("Darknet markets", "12500.00")
    assert body["scope"] == "Customs and police officers of member States."


def test_patch_of_a_submitted_proposal_is_403(programme, pc_fr):
    proposal = submitted(pc_fr, programme)
    response = client_as(pc_fr).patch(url(proposal), {"title": "Changed"}, format="json")
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.title == "Darknet drug markets: training for customs"


def test_patch_of_another_delegations_draft_is_404(programme, pc_fr, pc_de):
    proposal = draft(pc_fr, programme)
    response = client_as(pc_de).patch(url(proposal), {"title": "Changed"}, format="json")
    assert response.status_code == 404


def test_patch_cannot_move_a_proposal_to_another_delegation(programme, pc_fr, states):
    proposal = draft(pc_fr, programme)
    response = client_as(pc_fr).patch(url(proposal), {"member_state": "DE"}, format="json")
    assert answer(response, 400).keys() == {"member_state"}


def test_a_draft_with_its_end_before_its_start_is_a_400_naming_end_date(programme, pc_fr):
    body = complete_body(programme, start_date="2017-05-01", end_date="2017-04-01")
    assert answer(client_as(pc_fr).post(LIST, body, format="json"), 400).keys() == {"end_date"}


# --- submission ---------------------------------------------------------------------


def test_submitting_an_incomplete_draft_lists_every_missing_field_at_once(programme, pc_fr):
    pk = answer(client_as(pc_fr).post(LIST, {"title": "An idea"}, format="json"), 201)["id"]
    errors = answer(client_as(pc_fr).post(url(pk, "submit/")), 400)
    assert errors.keys() == {
        "scope",
        "purpose",
        "expected_outcome",
        "start_date",
        "end_date",
        "thematic_priorities",
        "year",
    }
    assert Proposal.objects.get(pk=pk).status == Proposal.Status.DRAFT


def test_submitting_an_urgent_proposal_needs_its_justification(programme, pc_fr):
    body = complete_body(programme, route="urgent", year=None)
    pk = answer(client_as(pc_fr).post(LIST, body, format="json"), 201)["id"]
    errors = answer(client_as(pc_fr).post(url(pk, "submit/")), 400)
    assert errors.keys() == {"urgency_justification"}


def test_another_delegation_cannot_submit_a_proposal(programme, pc_fr, pc_de, secretariat):
    proposal = draft(pc_fr, programme)
    assert client_as(pc_de).post(url(proposal, "submit/")).status_code == 404
    assert client_as(secretariat).post(url(proposal, "submit/")).status_code == 403


def test_the_proposing_delegation_withdraws_with_a_comment(programme, pc_fr, pc_de):
    proposal = submitted(pc_fr, programme)
    assert client_as(pc_de).post(url(proposal, "withdraw/")).status_code == 403
    body = answer(
        client_as(pc_fr).post(url(proposal, "withdraw/"), {"comment": "Merged."}, format="json")
    )
    assert body["status"] == "withdrawn"
    assert events_of(proposal).filter(to_state="withdrawn", comment="Merged.").exists()


# --- listing ------------------------------------------------------------------------


def test_a_pc_never_sees_another_delegations_drafts_but_sees_submitted_ones(
    programme, pc_fr, pc_de
):
    french_draft = draft(pc_fr, programme, title="French draft")
    french_submitted = submitted(pc_fr, programme, title="French submitted")
    german_draft = draft(pc_de, programme, title="German draft")

    seen = {row["id"] for row in answer(client_as(pc_de).get(LIST))["results"]}
    assert seen == {french_submitted.pk, german_draft.pk}
    assert client_as(pc_de).get(url(french_draft)).status_code == 404
    assert client_as(pc_de).get(url(french_submitted)).status_code == 200

    # Not even by asking for it through a filter.
    filtered = answer(client_as(pc_de).get(LIST, {"member_state": "fr", "status": "draft"}))
    assert filtered["results"] == []


def test_the_list_filters_like_the_page(programme, pc_fr, pc_de):
    submitted(pc_fr, programme, title="Prison health")
    submitted(pc_de, programme, title="Darknet")
    rows = answer(client_as(pc_de).get(LIST, {"member_state": "FR"}))["results"]
    assert [row["title"] for row in rows] == ["Prison health"]
    # Both purposes speak of darknet markets (the factory's); the title ranks first.
    rows = answer(client_as(pc_de).get(LIST, {"search": "darknet"}))["results"]
    assert [row["title"] for row in rows] == ["Darknet", "Prison health"]
    rows = answer(client_as(pc_de).get(LIST, {"search": "prisons"}))["results"]
    assert [row["title"] for row in rows] == ["Prison health"]


def test_a_bad_filter_is_a_400_naming_it(programme, pc_fr):
    assert "status" in answer(client_as(pc_fr).get(LIST, {"status": "bogus"}), 400)


def test_an_outsider_without_a_role_sees_no_proposals(programme, pc_fr, outsider):
    proposal = submitted(pc_fr, programme)
    assert answer(client_as(outsider).get(LIST))["count"] == 0
    assert client_as(outsider).get(url(proposal)).status_code == 404


@pytest.mark.parametrize("size", [3, 25])
def test_the_list_answers_in_a_fixed_number_of_queries(
    programme, pc_fr, pc_de, size, django_assert_num_queries
):
    for _ in range(size):
        proposal = submitted(pc_fr, programme)
        services.support_add(proposal=proposal, actor=pc_de)
    client = client_as(pc_de)
    # 1 session, 2 user, 3–5 roles (groups, profile, Bureau mandates), 6 the sync
    # watermark with the last deletion, 7 the newest change and count (ETag), 8 count
    # for the pagination, 9 the page's rows with state, proposer, format, activity,
    # 10 their thematic priorities, 11 their supports with the states'
    # codes, 12–14 the session's idle timeout renewed (savepoint, update, release:
    # SESSION_SAVE_EVERY_REQUEST).
    with django_assert_num_queries(14):
        body = answer(client.get(LIST))
    assert body["count"] == size
    assert all(row["supports"] == ["DE"] for row in body["results"])
    assert all(len(row["thematic_priorities"]) == 1 for row in body["results"])
