import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail

from activities.models import Activity, AnnualProgramme
from pompidou.audit import events_of
from pompidou.errors import DomainError, PermissionDenied
from programme.models import Meeting
from programme.services import account_create
from proposals import selectors, services
from proposals.models import Decision, Proposal, Support
from tests.proposals.factories import draft, full_scores, submitted

D = Decimal


@pytest.fixture
def meeting(db):
    return Meeting.objects.create(kind="pc_plenary", number=79, date=dt.date(2016, 11, 29))


@pytest.fixture
def expert2(states):
    return account_create(username="expert2", role="expert", password="x" * 12, validate=False)


def test_a_pc_drafts_for_their_own_delegation_only(pc_fr, programme, states):
    proposal = draft(pc_fr, programme)
    assert (proposal.member_state.code, proposal.status) == ("FR", "draft")
    assert proposal.reference.startswith("PR-")
    with pytest.raises(DomainError) as excinfo:
        draft(pc_fr, programme, member_state=states["DE"])
    assert "own delegation" in excinfo.value.errors["member_state"][0]


@pytest.mark.parametrize("persona", ["secretariat", "expert", "outsider"])
def test_only_pcs_and_bureau_members_draft(personas, programme, persona):
    with pytest.raises(PermissionDenied):
        draft(personas[persona], programme)
    assert not Proposal.objects.exists()


def test_a_bureau_member_proposes_in_the_areas_they_supervise(bureau_chair, programme):
    mandate = bureau_chair.bureau_mandates.get()
    mandate.supervised_priorities.set([programme.priorities.get(number="3.1")])
    proposal = draft(
        bureau_chair,
        programme,
        as_bureau=True,
        thematic_priorities=[programme.priorities.get(number="3.1")],
    )
    assert proposal.bureau_mandate == mandate
    with pytest.raises(DomainError, match="areas you supervise"):
        draft(bureau_chair, programme, as_bureau=True)  # 3.4 is not supervised


def test_submission_lists_every_missing_item_at_once(pc_fr, programme):
    proposal = draft(
        pc_fr,
        programme,
        scope="",
        purpose=" ",
        expected_outcome="",
        start_date=None,
        end_date=None,
        thematic_priorities=[],
        year=None,
    )
    with pytest.raises(DomainError) as excinfo:
        services.proposal_submit(proposal=proposal, actor=pc_fr)
    assert set(excinfo.value.errors) == {
        "scope",
        "purpose",
        "expected_outcome",
        "start_date",
        "end_date",
        "thematic_priorities",
        "year",
    }
    proposal.refresh_from_db()
    assert proposal.status == "draft"


def test_urgent_route_needs_a_justification_and_goes_to_the_bureau(pc_fr, programme):
    proposal = draft(pc_fr, programme, route="urgent", year=None)
    with pytest.raises(DomainError) as excinfo:
        services.proposal_submit(proposal=proposal, actor=pc_fr)
    assert set(excinfo.value.errors) == {"urgency_justification"}
    services.proposal_update(
        proposal=proposal,
        actor=pc_fr,
        urgency_justification="New synthetic opioids are killing people.",
    )
    proposal = services.proposal_submit(proposal=proposal, actor=pc_fr)
    assert proposal.status == "bureau_vote"
    statuses = list(events_of(proposal).filter(kind="status").values_list("from_state", "to_state"))
    assert statuses == [("draft", "submitted"), ("submitted", "bureau_vote")]


def test_end_before_start_is_refused_even_for_a_draft(pc_fr, programme):
    with pytest.raises(DomainError) as excinfo:
        draft(pc_fr, programme, end_date=dt.date(2017, 1, 1))
    assert "end_date" in excinfo.value.errors
    assert not Proposal.objects.exists()


def test_drafts_are_visible_to_their_delegation_and_the_secretariat_only(
    pc_fr, pc_de, secretariat, expert, bureau_chair, programme
):
    proposal = draft(pc_fr, programme)
    for user, sees in (
        (pc_fr, True),
        (secretariat, True),
        (pc_de, False),
        (expert, False),
        (bureau_chair, False),
    ):
        assert selectors.proposals_visible_to(user).filter(pk=proposal.pk).exists() == sees
    services.proposal_submit(proposal=proposal, actor=pc_fr)
    assert selectors.proposals_visible_to(pc_de).filter(pk=proposal.pk).exists()


def test_only_the_delegation_edits_its_draft(pc_fr, pc_de, programme):
    proposal = draft(pc_fr, programme)
    with pytest.raises(PermissionDenied):
        services.proposal_update(proposal=proposal, actor=pc_de, title="Hijacked")
    services.proposal_submit(proposal=proposal, actor=pc_fr)
    with pytest.raises(PermissionDenied):
        services.proposal_update(proposal=proposal, actor=pc_fr, title="Too late")


def test_support_rules(pc_fr, pc_de, secretariat, programme, states):
    proposal = draft(pc_fr, programme)
    with pytest.raises(DomainError, match="submitted or under assessment"):
        services.support_add(proposal=proposal, actor=pc_de)
    services.proposal_submit(proposal=proposal, actor=pc_fr)
    with pytest.raises(DomainError) as excinfo:
        services.support_add(proposal=proposal, actor=pc_fr)
    assert "another delegation" in excinfo.value.errors["member_state"][0]
    services.support_add(proposal=proposal, actor=pc_de)
    with pytest.raises(DomainError, match="already supports"):
        services.support_add(proposal=proposal, actor=pc_de)
    with pytest.raises(DomainError, match="Say which delegation"):
        services.support_add(proposal=proposal, actor=secretariat)
    services.support_add(
        proposal=proposal, actor=secretariat, member_state=states["IT"], note="Letter of 3 May"
    )
    assert sorted(proposal.supports.values_list("member_state__code", flat=True)) == ["DE", "IT"]


def test_notifications_go_out_after_commit_to_the_people_concerned(
    pc_fr, pc_de, programme, django_capture_on_commit_callbacks
):
    pc_fr.email, pc_de.email = "pc@fr.example", "pc@de.example"
    pc_fr.save()
    pc_de.save()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = submitted(pc_fr, programme)
    assert [m.to for m in mail.outbox] == [["pc@de.example"]]  # another delegation may support
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.support_add(proposal=proposal, actor=pc_de)
    assert [m.to for m in mail.outbox] == [["pc@fr.example"]]
    assert "supported" in mail.outbox[0].subject and proposal.reference in mail.outbox[0].body


def test_a_refused_step_sends_nothing(pc_fr, programme, django_capture_on_commit_callbacks):
    proposal = draft(pc_fr, programme, scope="")
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(DomainError):
        services.proposal_submit(proposal=proposal, actor=pc_fr)
    assert callbacks == [] and mail.outbox == []


def test_supports_can_be_withdrawn_until_a_decision(pc_fr, pc_de, secretariat, programme, meeting):
    proposal = submitted(pc_fr, programme)
    support = services.support_add(proposal=proposal, actor=pc_de)
    services.support_withdraw(support=support, actor=pc_de)
    assert not proposal.supports.exists()
    support = services.support_add(proposal=proposal, actor=pc_de)
    services.decision_record(
        proposal=proposal,
        actor=secretariat,
        outcome="rejected",
        meeting=meeting,
        rationale="Overlaps with 4.2.",
    )
    with pytest.raises(DomainError, match="has been decided"):
        services.support_withdraw(support=Support.objects.get(pk=support.pk), actor=pc_de)


def test_assessors_are_staff_bureau_or_experts_without_a_conflict(
    pc_fr, pc_de, secretariat, expert, programme, states
):
    proposal = submitted(pc_fr, programme)
    with pytest.raises(DomainError, match="cannot assess"):
        services.assessor_assign(proposal=proposal, assessor=pc_de, actor=secretariat)
    french_bureau = account_create(
        username="bureau_fr",
        role="bureau",
        member_state_code="FR",
        office="field_coordinator",
        password="x" * 12,
        validate=False,
        mandate_start=dt.date(2015, 1, 1),
    )
    with pytest.raises(DomainError) as excinfo:
        services.assessor_assign(proposal=proposal, assessor=french_bureau, actor=secretariat)
    assert "own member state" in excinfo.value.errors["username"][0]
    services.assessor_assign(proposal=proposal, assessor=expert, actor=secretariat)
    proposal.refresh_from_db()
    assert proposal.status == "under_assessment"
    with pytest.raises(PermissionDenied):
        services.assessor_assign(proposal=proposal, assessor=expert, actor=pc_de)


def _assessed(pc_fr, pc_de, secretariat, expert, expert2, programme, scores=("4", "4")):
    proposal = submitted(pc_fr, programme)
    services.support_add(proposal=proposal, actor=pc_de)
    for assessor, score in zip((expert, expert2), scores, strict=True):
        assessment = services.assessor_assign(
            proposal=proposal, assessor=assessor, actor=secretariat
        )
        services.assessment_save(
            assessment=assessment,
            actor=assessor,
            scores=full_scores(proposal, D(score), "Fine."),
            submit=True,
        )
    proposal.refresh_from_db()
    return proposal


@pytest.mark.parametrize(
    ("score", "comment", "message"),
    [
        ("5.5", "", "between 0 and 5"),
        ("2.25", "ok", "between 0 and 5"),
        ("-1", "x", "between 0 and 5"),
        ("abc", "", "must be a number"),
    ],
)
def test_bad_scores_are_refused_and_nothing_is_saved(
    pc_fr, secretariat, expert, programme, score, comment, message
):
    proposal = submitted(pc_fr, programme)
    assessment = services.assessor_assign(proposal=proposal, assessor=expert, actor=secretariat)
    criterion = services.scored_criteria(proposal).first()
    with pytest.raises(DomainError, match=message):
        services.assessment_save(
            assessment=assessment,
            actor=expert,
            scores=[{"criterion": criterion.pk, "score": score, "comment": comment}],
        )
    assert not assessment.scores.exists()


def test_criterion_one_is_never_scored_by_hand(pc_fr, secretariat, expert, programme):
    proposal = submitted(pc_fr, programme)
    assessment = services.assessor_assign(proposal=proposal, assessor=expert, actor=secretariat)
    first = programme.criteria.get(number=1)
    with pytest.raises(DomainError, match="computed from supports"):
        services.assessment_save(
            assessment=assessment, actor=expert, scores=[{"criterion": first.pk, "score": 5}]
        )


def test_drafts_are_saved_and_a_submitted_assessment_is_final(
    pc_fr, secretariat, expert, programme
):
    proposal = submitted(pc_fr, programme)
    assessment = services.assessor_assign(proposal=proposal, assessor=expert, actor=secretariat)
    half = full_scores(proposal, D("4"))[:3]
    services.assessment_save(assessment=assessment, actor=expert, scores=half)
    assert assessment.scores.count() == 3
    with pytest.raises(DomainError, match="missing"):
        services.assessment_save(assessment=assessment, actor=expert, scores=[], submit=True)
    services.assessment_save(
        assessment=assessment, actor=expert, scores=full_scores(proposal, D("4.5"))[3:], submit=True
    )
    with pytest.raises(DomainError, match="final"):
        services.assessment_save(
            assessment=assessment, actor=expert, scores=full_scores(proposal, D("1"), "bad")
        )
    assert set(assessment.scores.values_list("score", flat=True)) == {D("4"), D("4.5")}


def test_only_the_assigned_assessor_fills_in_the_assessment(
    pc_fr, secretariat, expert, expert2, programme
):
    proposal = submitted(pc_fr, programme)
    assessment = services.assessor_assign(proposal=proposal, assessor=expert, actor=secretariat)
    with pytest.raises(PermissionDenied):
        services.assessment_save(assessment=assessment, actor=expert2, scores=full_scores(proposal))


def test_score_means_weighted_total_and_recommendation(
    pc_fr, pc_de, secretariat, expert, expert2, programme
):
    proposal = _assessed(
        pc_fr, pc_de, secretariat, expert, expert2, programme, scores=(D("4"), D("3"))
    )
    score = selectors.score_for(
        Proposal.objects.select_related("work_programme").get(pk=proposal.pk)
    )
    assert score.submitted == 2 and score.supported
    assert [c.mean for c in score.criteria if not c.criterion.computed] == [D("3.50")] * 7
    assert score.maximum == D("35")
    assert score.weighted_total == D("24.50")
    assert score.percentage == D("70.0")
    assert score.recommended and score.reasons == []
    assert not score.disagreements


def test_exactly_two_thirds_is_above_threshold_and_disagreement_is_flagged(
    pc_fr, pc_de, secretariat, expert, expert2, programme
):
    # Means of 3.33… on every criterion: 23.33/35 = 66.7 % ≥ 2/3, each mean ≥ 3.
    proposal = submitted(pc_fr, programme)
    services.support_add(proposal=proposal, actor=pc_de)
    third = account_create(username="expert3", role="expert", password="x" * 12, validate=False)
    for assessor, score in ((expert, D("5")), (expert2, D("2.5")), (third, D("2.5"))):
        a = services.assessor_assign(proposal=proposal, assessor=assessor, actor=secretariat)
        services.assessment_save(
            assessment=a, actor=assessor, scores=full_scores(proposal, score, "Why."), submit=True
        )
    score = selectors.score_for(proposal)
    assert all(c.disagreement for c in score.criteria if not c.criterion.computed)
    assert score.recommended is True


def test_without_support_a_proposal_is_not_recommended(pc_fr, secretariat, expert, programme):
    proposal = submitted(pc_fr, programme)
    a = services.assessor_assign(proposal=proposal, assessor=expert, actor=secretariat)
    services.assessment_save(
        assessment=a, actor=expert, scores=full_scores(proposal, D("5")), submit=True
    )
    score = selectors.score_for(proposal)
    assert not score.recommended
    assert any("Criterion 1 is not met" in r for r in score.reasons)


def test_a_low_mean_on_one_criterion_blocks_the_recommendation(
    pc_fr, pc_de, secretariat, expert, programme
):
    proposal = submitted(pc_fr, programme)
    services.support_add(proposal=proposal, actor=pc_de)
    a = services.assessor_assign(proposal=proposal, assessor=expert, actor=secretariat)
    scores = full_scores(proposal, D("5"))
    scores[2] = {**scores[2], "score": D("2"), "comment": "Little synergy."}
    services.assessment_save(assessment=a, actor=expert, scores=scores, submit=True)
    score = selectors.score_for(proposal)
    assert not score.recommended
    assert "Mean below 3.0 on criteria 4." in score.reasons


def test_adoption_creates_exactly_one_activity_and_the_annual_entry(
    pc_fr, pc_de, secretariat, expert, expert2, programme, meeting
):
    proposal = _assessed(pc_fr, pc_de, secretariat, expert, expert2, programme)
    services.decision_record(
        proposal=proposal,
        actor=secretariat,
        outcome="adopted",
        meeting=meeting,
        rationale="Recommended by the assessors.",
    )
    proposal.refresh_from_db()
    activity = proposal.activity
    assert proposal.status == "adopted"
    assert (
        activity.title,
        activity.description,
        activity.lead_member_state.code,
        activity.adoption_route,
        activity.planned_budget,
    ) == (proposal.title, services.adopted_description(proposal), "FR", "annual", D("30000"))
    assert list(activity.thematic_priorities.values_list("number", flat=True)) == ["3.4"]
    assert activity.human_rights_considerations == proposal.human_rights_statement
    ap = AnnualProgramme.objects.get(year=2017)
    assert (ap.status, list(ap.entries.values_list("activity", flat=True))) == (
        "draft",
        [activity.pk],
    )
    with pytest.raises(DomainError, match="nothing to decide"):
        services.decision_record(
            proposal=proposal,
            actor=secretariat,
            outcome="adopted",
            meeting=meeting,
            rationale="Again.",
        )
    assert Activity.objects.count() == 1


def test_a_failed_adoption_leaves_nothing_half_written(
    pc_fr, pc_de, secretariat, expert, expert2, programme, meeting
):
    proposal = _assessed(pc_fr, pc_de, secretariat, expert, expert2, programme)
    ap = AnnualProgramme.objects.create(
        work_programme=programme, year=2017, status="adopted", adopted_on=dt.date(2016, 11, 29)
    )
    with pytest.raises(DomainError, match="2017 is adopted"):
        services.decision_record(
            proposal=proposal,
            actor=secretariat,
            outcome="adopted",
            meeting=meeting,
            rationale="Yes.",
        )
    proposal.refresh_from_db()
    assert proposal.status == "under_assessment"
    assert not Activity.objects.exists()
    assert not Decision.objects.exists()
    assert not ap.entries.exists()


def test_deferral_lets_the_proposal_come_back(pc_fr, secretariat, expert, programme, meeting):
    proposal = submitted(pc_fr, programme)
    services.decision_record(
        proposal=proposal,
        actor=secretariat,
        outcome="deferred",
        meeting=meeting,
        rationale="Needs a cost estimate.",
    )
    proposal.refresh_from_db()
    assert proposal.status == "deferred"
    services.assessor_assign(proposal=proposal, assessor=expert, actor=secretariat)
    proposal.refresh_from_db()
    assert proposal.status == "under_assessment"


def test_decision_needs_a_rationale_and_a_pc_meeting(pc_fr, secretariat, programme):
    proposal = submitted(pc_fr, programme)
    bureau_meeting = Meeting.objects.create(kind="bureau", number=1, date=dt.date(2016, 1, 1))
    with pytest.raises(DomainError) as excinfo:
        services.decision_record(
            proposal=proposal,
            actor=secretariat,
            outcome="adopted",
            meeting=bureau_meeting,
            rationale="",
        )
    assert set(excinfo.value.errors) == {"rationale", "meeting"}


def test_withdrawal_by_the_proposer_from_any_open_state(pc_fr, pc_de, programme):
    proposal = submitted(pc_fr, programme)
    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(proposal=proposal, actor=pc_de)
    services.proposal_withdraw(proposal=proposal, actor=pc_fr, comment="Merged with 4.9.")
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    with pytest.raises(DomainError, match="no longer be withdrawn"):
        services.proposal_withdraw(proposal=proposal, actor=pc_fr)


def test_history_records_every_state_change_with_its_actor(pc_fr, secretariat, expert, programme):
    proposal = submitted(pc_fr, programme)
    services.assessor_assign(proposal=proposal, assessor=expert, actor=secretariat)
    changes = list(
        events_of(proposal)
        .filter(kind="status")
        .values_list("actor__username", "from_state", "to_state")
    )
    assert changes == [
        ("pc_fr", "draft", "submitted"),
        ("secretariat", "submitted", "under_assessment"),
    ]


def test_nothing_else_writes_the_status_than_the_workflow():
    import inspect
    import re

    import proposals.services as package
    from proposals.workflow import PROPOSAL_WORKFLOW

    writes = re.compile(r"\.update\([^)]*\bstatus=|\.status = |update_fields=\[[^]]*\"status\"")
    for name in ("drafting", "attachments", "supports", "assessment", "decisions", "votes"):
        source = inspect.getsource(getattr(package, name))
        assert not writes.search(source), name
    for state in Proposal.Status.values:
        assert PROPOSAL_WORKFLOW.targets(state) <= set(Proposal.Status.values)
    assert PROPOSAL_WORKFLOW.is_final("adopted") and PROPOSAL_WORKFLOW.is_final("withdrawn")
