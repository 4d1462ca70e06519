"""The proposal workflow through REST API v1 alone: drafting, submission, supports,
assessment, scoring, decision and the Bureau's vote on urgent proposals."""

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from activities.models import Activity, AnnualProgramme
from pompidou.audit import events_of
from programme.models import Meeting
from programme.services import account_create
from proposals import services
from proposals.models import Assessment, Proposal
from tests.conftest import PASSWORD
from tests.programme.factories import MemberStateFactory
from tests.proposals.factories import draft, full_scores, submitted

LIST = "/api/v1/proposals/"


def url(proposal, step: str = "") -> str:
    pk = proposal if isinstance(proposal, int) else proposal.pk
    return f"{LIST}{pk}/{step}"


def client_as(user) -> APIClient:
    # A real session login, so every request loads its user (and roles) afresh.
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def answer(response, status: int = 200):
    assert response.status_code == status, response.content
    return response.json() if response.content else None


def complete_body(programme, **fields) -> dict:
    """A complete proposal as a client sends it: the darknet training for 2017."""
    return {
        "member_state": "FR",
        "title": "Darknet drug markets: training for customs",
        "scope": "Customs and police officers of member States.",
        "purpose": "Build skills to detect drug sales on darknet markets.",
        "expected_outcome": "A training module and a network of trainers.",
        "start_date": "2017-03-01",
        "end_date": "2017-11-30",
        "thematic_priorities": [programme.priorities.get(number="3.4").pk],
        "permanent_format": None,
        "estimated_cost": "30000.00",
        "route": "annual",
        "year": 2017,
        "urgency_justification": "",
        "human_rights_statement": "Respects privacy and due process.",
        "gender_statement": "Balanced trainer pool.",
        **fields,
    }


def bureau_member(username: str, code: str):
    return account_create(
        username=username,
        role="bureau",
        office="field_coordinator",
        member_state_code=code,
        mandate_start=dt.date(2015, 1, 1),
        password="x" * 12,
        validate=False,
    )


@pytest.fixture
def under_assessment(programme, pc_fr, pc_de, secretariat, expert):
    """A French proposal supported by Germany, assessed by the expert (a draft so far)."""
    proposal = submitted(pc_fr, programme)
    services.support_add(proposal=proposal, actor=pc_de)
    services.assessor_assign(proposal=proposal, assessor=expert, actor=secretariat)
    proposal.refresh_from_db()
    return proposal


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
    rows = answer(client_as(pc_de).get(LIST, {"search": "darknet"}))["results"]
    assert [row["title"] for row in rows] == ["Darknet"]


def test_a_bad_filter_is_a_400_naming_it(programme, pc_fr):
    assert "status" in answer(client_as(pc_fr).get(LIST, {"status": "bogus"}), 400)


def test_an_outsider_without_a_role_sees_no_proposals(programme, pc_fr, outsider):
    proposal = submitted(pc_fr, programme)
    assert answer(client_as(outsider).get(LIST))["count"] == 0
    assert client_as(outsider).get(url(proposal)).status_code == 404


@pytest.mark.parametrize("size", [3, 25])
def test_the_list_answers_in_a_fixed_number_of_queries(
    programme, pc_fr, pc_de, size, django_assert_max_num_queries
):
    for _ in range(size):
        proposal = submitted(pc_fr, programme)
        services.support_add(proposal=proposal, actor=pc_de)
    client = client_as(pc_de)
    # 1 session, 2 user, 3–5 roles (groups, profile, Bureau mandates), 6 count for the
    # pagination, 7 the page's rows with state, proposer, format, activity and the
    # counts, 8 their thematic priorities, 9 their supports with the states' codes,
    # 10–12 the session's idle timeout renewed (savepoint, update, release:
    # SESSION_SAVE_EVERY_REQUEST).
    with django_assert_max_num_queries(12):
        body = answer(client.get(LIST))
    assert body["count"] == size
    assert all(row["supports"] == ["DE"] for row in body["results"])
    assert all(len(row["thematic_priorities"]) == 1 for row in body["results"])


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


def vote(user, proposal, choice="approve"):
    return client_as(user).post(
        url(proposal, "bureau-votes/"), {"vote": choice, "comment": ""}, format="json"
    )


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
    assert response.status_code in (401, 403)
    under_assessment.refresh_from_db()
    assert under_assessment.status == Proposal.Status.UNDER_ASSESSMENT


def test_anonymous_cannot_create_a_proposal(programme, states):
    response = APIClient().post(LIST, complete_body(programme), format="json")
    assert response.status_code in (401, 403)
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
