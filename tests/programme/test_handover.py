"""The services of adoption and hand-over: programme_adopt (programme/handover.py) and
programme_put_in_force (proposals/handover.py): what they write, and that a refusal
names the row and field and writes nothing."""

import datetime as dt

import pytest

from activities.handover import ActivityRow
from activities.models import Activity
from pompidou.errors import DomainError, PermissionDenied
from pompidou.models import AuditEvent, Notice
from programme.handover import programme_adopt, suggested_format, suggested_priorities
from programme.models import WorkProgramme
from proposals.handover import CLOSE, MOVE, ProposalRow, programme_put_in_force
from proposals.models import CriterionScore, Proposal
from proposals.selectors import scores_for
from proposals.services import proposal_create
from tests.programme.factories import AdoptionCriterionFactory
from tests.proposals.factories import AssessmentFactory

from .handover_setup import ADOPTION, NEW_REFERENCE, next_programme, world

W = WorkProgramme.Status


def events(obj):
    return AuditEvent.objects.filter(object_id=obj.pk, subject_label=str(obj)[:200])


# --- adoption -------------------------------------------------------------------------


def test_adoption_records_the_conference_and_the_reference(programme, secretariat):
    new = next_programme(programme)
    programme_adopt(programme=new, by=secretariat, **ADOPTION)
    new.refresh_from_db()
    assert new.status == W.ADOPTED
    assert new.reference == NEW_REFERENCE
    assert (new.adopted_by_en, new.adopted_by_fr) == (
        "17th Ministerial Conference",
        "17e Conférence ministérielle",
    )
    assert (new.conference_number, new.adopted_place) == (17, "Stavanger")
    assert (new.conference_start, new.adopted_on) == (dt.date(2018, 11, 27), dt.date(2018, 11, 28))
    event = AuditEvent.objects.get(object_id=new.pk, to_state=W.ADOPTED)
    assert event.from_state == W.CONSULTATION
    assert event.actor == secretariat
    assert event.changes["reference"] == ["P-PG/DRAFT (2018) 1", NEW_REFERENCE]
    # The programme in force is not touched by the adoption.
    programme.refresh_from_db()
    assert programme.status == W.IN_FORCE


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"adopted_on": dt.date(2018, 11, 26)}, "adopted_on"),
        ({"reference": "P-PG/MinConf (2014) 4"}, "reference"),
        ({"reference": "  "}, "reference"),
        ({"adopted_by_en": ""}, "adopted_by_en"),
        ({"conference_number": None}, "conference_number"),
        ({"conference_start": None}, "conference_start"),
        ({"adopted_place": ""}, "adopted_place"),
    ],
)
def test_adoption_refuses_bad_input_naming_the_field_and_writes_nothing(
    programme, secretariat, change, field
):
    new = next_programme(programme)
    with pytest.raises(DomainError) as caught:
        programme_adopt(programme=new, by=secretariat, **{**ADOPTION, **change})
    assert list(caught.value.errors) == [field]
    new.refresh_from_db()
    assert (new.status, new.adopted_place, new.reference) == (
        W.CONSULTATION,
        "",
        "P-PG/DRAFT (2018) 1",
    )
    assert not AuditEvent.objects.filter(object_id=new.pk, to_state=W.ADOPTED).exists()


@pytest.mark.parametrize("status", [W.DRAFT, W.ADOPTED, W.CLOSED])
def test_only_a_programme_in_consultation_is_adopted(programme, secretariat, status):
    new = next_programme(programme, status=status)
    with pytest.raises(DomainError) as caught:
        programme_adopt(programme=new, by=secretariat, **ADOPTION)
    assert "status" in caught.value.errors
    assert "in consultation" in caught.value.message
    new.refresh_from_db()
    assert new.status == status


@pytest.mark.parametrize("who", ["pc_fr", "bureau_chair", "expert", "outsider"])
def test_only_the_secretariat_records_an_adoption(programme, personas, who):
    new = next_programme(programme)
    with pytest.raises(PermissionDenied):
        programme_adopt(programme=new, by=personas[who], **ADOPTION)
    new.refresh_from_db()
    assert new.status == W.CONSULTATION


# --- putting in force and handing over -------------------------------------------------


def test_put_in_force_closes_the_old_programme_and_hands_over_as_confirmed(
    programme, states, secretariat, pc_fr, pc_de
):
    w = world(programme, states)
    activities, proposals = w.rows()
    result = programme_put_in_force(
        w.new, by=secretariat, activities=activities, proposals=proposals
    )

    assert result.status == W.IN_FORCE
    programme.refresh_from_db()
    assert programme.status == W.CLOSED
    assert list(WorkProgramme.objects.in_force()) == [w.new]

    w.ongoing.refresh_from_db()
    assert w.ongoing.work_programme == w.new
    assert [p.number for p in w.ongoing.thematic_priorities.all()] == ["3.5"]
    assert w.ongoing.permanent_format == w.format(w.new, "4.10")
    assert w.ongoing.status == Activity.Status.ONGOING
    moved = events(w.ongoing).get(comment__startswith="Carried over")
    assert moved.actor == secretariat
    assert moved.changes["work_programme"][1] == str(w.new)
    # Not carried over: left as it is with the closed programme, and said so.
    w.suspended.refresh_from_db()
    assert (w.suspended.work_programme, w.suspended.status) == (
        programme,
        Activity.Status.SUSPENDED,
    )
    assert events(w.suspended).filter(comment__startswith="Not carried over").exists()
    w.completed.refresh_from_db()
    assert w.completed.work_programme == programme
    assert not events(w.completed).exists()

    w.submitted.refresh_from_db()
    assert (w.submitted.work_programme, w.submitted.year) == (w.new, 2019)
    assert w.submitted.status == Proposal.Status.SUBMITTED
    assert [p.number for p in w.submitted.thematic_priorities.all()] == ["3.4"]
    assert w.submitted.permanent_format == w.format(w.new, "4.1")
    assert events(w.submitted).filter(comment__startswith="Moved from").exists()
    w.draft.refresh_from_db()
    assert w.draft.status == Proposal.Status.WITHDRAWN
    closed = events(w.draft).get(to_state=Proposal.Status.WITHDRAWN)
    assert "Superseded by the new priorities." in closed.comment
    assert closed.actor == secretariat

    # The French delegation hears of its moved activity and proposal; Germany does not.
    titles = sorted(n.params["ref"] for n in Notice.objects.filter(kind="programme_handover"))
    assert titles == sorted([w.ongoing.reference, "PR-2018-0101"])
    assert set(Notice.objects.filter(kind="programme_handover").values_list("user", flat=True)) == {
        pc_fr.pk
    }


def _snapshot(w):
    return (
        list(WorkProgramme.objects.filter(pk__in=[w.old.pk, w.new.pk]).values_list("status")),
        list(
            Activity.objects.filter(pk__in=[w.ongoing.pk, w.suspended.pk]).values_list(
                "work_programme", "permanent_format", "status"
            )
        ),
        list(
            Proposal.objects.filter(pk__in=[w.submitted.pk, w.draft.pk]).values_list(
                "work_programme", "status", "year"
            )
        ),
        AuditEvent.objects.count(),
        Notice.objects.count(),
    )


def _refused(w, secretariat, activities, proposals) -> dict:
    before = _snapshot(w)
    with pytest.raises(DomainError) as caught:
        programme_put_in_force(w.new, by=secretariat, activities=activities, proposals=proposals)
    assert _snapshot(w) == before, "a refused hand-over wrote something"
    return caught.value.errors


def test_a_priority_of_another_programme_is_refused_naming_the_row(programme, states, secretariat):
    w = world(programme, states)
    activities, proposals = w.rows()
    activities[0] = ActivityRow(w.ongoing.pk, True, [w.priority(programme, "3.4").pk], None)
    errors = _refused(w, secretariat, activities, proposals)
    assert list(errors) == [f"activity-{w.ongoing.pk}.thematic_priorities"]
    assert w.ongoing.reference in errors[f"activity-{w.ongoing.pk}.thematic_priorities"][0]


def test_every_problem_is_reported_at_once(programme, states, secretariat):
    w = world(programme, states)
    activities = [
        ActivityRow(w.ongoing.pk, True, [], w.format(programme, "4.1").pk),
        ActivityRow(w.suspended.pk, False),
    ]
    proposals = [
        ProposalRow(w.submitted.pk, MOVE, [w.priority(w.new, "3.4").pk], year=2018),
        ProposalRow(w.draft.pk, CLOSE, reason="   "),
    ]
    errors = _refused(w, secretariat, activities, proposals)
    assert set(errors) == {
        f"activity-{w.ongoing.pk}.thematic_priorities",
        f"activity-{w.ongoing.pk}.permanent_format",
        f"proposal-{w.submitted.pk}.year",
        f"proposal-{w.draft.pk}.reason",
    }


def test_an_activity_finished_meanwhile_is_changed_meanwhile(programme, states, secretariat):
    w = world(programme, states)
    activities, proposals = w.rows()
    Activity.objects.filter(pk=w.ongoing.pk).update(status=Activity.Status.COMPLETED)
    errors = _refused(w, secretariat, activities, proposals)
    assert "changed meanwhile" in errors[f"activity-{w.ongoing.pk}"][0]


def test_a_running_activity_missing_from_the_list_is_refused(programme, states, secretariat):
    w = world(programme, states)
    activities, proposals = w.rows()
    errors = _refused(w, secretariat, activities[:1], proposals)
    assert w.suspended.reference in errors[f"activity-{w.suspended.pk}"][0]


def test_an_open_proposal_must_be_moved_or_closed(programme, states, secretariat):
    w = world(programme, states)
    activities, proposals = w.rows()
    errors = _refused(w, secretariat, activities, proposals[:1])
    assert "PR-2018-0102" in errors[f"proposal-{w.draft.pk}"][0]
    errors = _refused(w, secretariat, activities, [proposals[0], ProposalRow(w.draft.pk, "")])
    assert list(errors) == [f"proposal-{w.draft.pk}.action"]


def test_an_assessed_proposal_moves_with_its_scores_onto_the_criteria_of_the_same_number(
    programme, states, secretariat
):
    w = world(programme, states)
    Proposal.objects.filter(pk=w.submitted.pk).update(status=Proposal.Status.UNDER_ASSESSMENT)
    assessment = AssessmentFactory(proposal=w.submitted, status="submitted")
    CriterionScore.objects.create(
        assessment=assessment, criterion=programme.criteria.get(number=3), score=4
    )
    activities, proposals = w.rows()
    # The new programme has no criterion 3 yet: moving would lose the score.
    errors = _refused(w, secretariat, activities, proposals)
    assert "scored on criteria 3" in errors[f"proposal-{w.submitted.pk}.action"][0]
    for c in programme.criteria.all():
        AdoptionCriterionFactory(work_programme=w.new, number=c.number, title=c.title)
    programme_put_in_force(w.new, by=secretariat, activities=activities, proposals=proposals)
    score = CriterionScore.objects.get(assessment=assessment)
    assert (score.criterion.work_programme, score.criterion.number) == (w.new, 3)
    w.submitted.refresh_from_db()
    rows = scores_for([w.submitted])[w.submitted.pk].criteria  # the new programme's criteria
    assert {r.criterion.number: r.mean for r in rows}[3] == 4


def test_an_assessed_proposal_can_be_closed_with_a_reason(programme, states, secretariat):
    w = world(programme, states)
    AssessmentFactory(proposal=w.submitted)
    activities, proposals = w.rows()
    proposals[0] = ProposalRow(w.submitted.pk, CLOSE, reason="Not decided in time.")
    programme_put_in_force(w.new, by=secretariat, activities=activities, proposals=proposals)
    w.submitted.refresh_from_db()
    assert w.submitted.status == Proposal.Status.WITHDRAWN


@pytest.mark.parametrize("status", [W.CONSULTATION, W.DRAFT])
def test_only_an_adopted_programme_is_put_in_force(programme, states, secretariat, status):
    w = world(programme, states, status=status)
    errors = _refused(w, secretariat, *w.rows())
    assert "adopted" in errors["status"][0]


@pytest.mark.parametrize("who", ["pc_fr", "bureau_chair", "expert", "outsider"])
def test_only_the_secretariat_puts_a_programme_in_force(programme, states, personas, who):
    w = world(programme, states)
    before = _snapshot(w)
    with pytest.raises(PermissionDenied):
        programme_put_in_force(w.new, by=personas[who], activities=w.rows()[0])
    assert _snapshot(w) == before


def test_with_no_programme_in_force_it_is_simply_put_in_force(programme, secretariat):
    WorkProgramme.objects.filter(pk=programme.pk).update(status=W.CLOSED)
    new = next_programme(programme, status=W.ADOPTED)
    assert programme_put_in_force(new, by=secretariat).status == W.IN_FORCE


def test_after_the_hand_over_proposals_are_drafted_under_the_new_programme(
    programme, states, secretariat, pc_fr
):
    w = world(programme, states)
    programme_put_in_force(w.new, by=secretariat, activities=w.rows()[0], proposals=w.rows()[1])
    proposal = proposal_create(
        actor=pc_fr,
        title="Online prevention",
        thematic_priorities=[w.priority(w.new, "3.5")],
        year=2020,
    )
    assert proposal.work_programme == w.new
    with pytest.raises(DomainError) as caught:
        proposal_create(
            actor=pc_fr, title="Old", thematic_priorities=[w.priority(programme, "3.4")]
        )
    assert "thematic_priorities" in caught.value.errors


def test_mapping_is_suggested_by_number_then_by_title(programme):
    new = next_programme(programme)
    # A priority renumbered keeps its title: found by title.
    renumbered = new.priorities.get(number="3.2")
    renumbered.number = "3.9"
    renumbered.save()
    old = list(programme.priorities.filter(number__in=["3.2", "3.4"]))
    assert sorted(p.number for p in suggested_priorities(old, new.priorities.all())) == [
        "3.4",
        "3.9",
    ]
    assert suggested_format(programme.formats.get(number="4.1"), new.formats.all()).number == "4.1"
    assert suggested_format(None, new.formats.all()) is None
