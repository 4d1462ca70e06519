"""The agenda of a plenary and the decisions recorded on it, item by item."""

import datetime as dt

import pytest

from meetings import services
from meetings.models import AgendaItem
from pompidou.errors import DomainError, PermissionDenied
from programme.models import Meeting
from proposals.models import Decision, Proposal
from tests.proposals.factories import assessed, over_ceiling_2017

O = AgendaItem.Outcome  # noqa: E741


def plenary(number=83, day=dt.date(2018, 11, 27), status=Meeting.Status.PLANNED, **kw):
    return Meeting.objects.create(
        kind=Meeting.Kind.PC_PLENARY, number=number, date=day, status=status, **kw
    )


@pytest.fixture
def three(personas, programme, pc_de):
    """Three proposals for 2017, under assessment, each assessed (all 4s)."""
    return [
        assessed(
            personas["pc_fr"],
            pc_de,
            personas["secretariat"],
            personas["expert"],
            programme,
            title=title,
        )  # fmt: skip
        for title in ("Adopt me", "Defer me", "Reject me")
    ]


def test_the_secretariat_puts_proposals_on_the_agenda_in_the_order_given(secretariat, three):
    meeting = plenary()
    items = services.agenda_add_proposals(meeting=meeting, proposals=three, actor=secretariat)
    assert [(i.position, i.proposal.title) for i in items] == [
        (1, "Adopt me"),
        (2, "Defer me"),
        (3, "Reject me"),
    ]


def test_a_proposal_goes_on_an_agenda_once_and_nothing_is_added_with_it(secretariat, three):
    meeting = plenary()
    services.agenda_add_proposals(meeting=meeting, proposals=three[:1], actor=secretariat)
    with pytest.raises(DomainError, match="already on the agenda"):
        services.agenda_add_proposals(meeting=meeting, proposals=three, actor=secretariat)
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1


def test_a_draft_proposal_cannot_go_on_the_agenda(secretariat, pc_fr, programme):
    from tests.proposals.factories import draft

    proposal = draft(pc_fr, programme)
    with pytest.raises(DomainError, match="nothing to decide"):
        services.agenda_add_proposals(meeting=plenary(), proposals=[proposal], actor=secretariat)


@pytest.mark.parametrize("persona", ["pc_fr", "bureau_chair", "expert", "outsider"])
def test_only_the_secretariat_builds_the_agenda(request, persona, three):
    with pytest.raises(PermissionDenied):
        services.agenda_add_proposals(
            meeting=plenary(), proposals=three, actor=request.getfixturevalue(persona)
        )
    assert not AgendaItem.objects.exists()


def test_a_held_meetings_agenda_no_longer_changes(secretariat, three):
    with pytest.raises(DomainError, match="held: its agenda no longer changes"):
        services.agenda_add_proposals(
            meeting=plenary(status=Meeting.Status.HELD), proposals=three, actor=secretariat
        )


def test_items_move_up_and_down_and_come_off(secretariat, three):
    meeting = plenary()
    a, b, c = services.agenda_add_proposals(meeting=meeting, proposals=three, actor=secretariat)
    services.agenda_item_move(item=c, offset=-1, actor=secretariat)
    order = lambda: list(  # noqa: E731
        AgendaItem.objects.filter(meeting=meeting).values_list("proposal__title", flat=True)
    )
    assert order() == ["Adopt me", "Reject me", "Defer me"]
    with pytest.raises(DomainError, match="already at that end"):
        services.agenda_item_move(item=a, offset=-1, actor=secretariat)
    services.agenda_item_remove(item=b, actor=secretariat)
    assert order() == ["Adopt me", "Reject me"]


def test_a_free_item_needs_a_title(secretariat):
    meeting = plenary()
    with pytest.raises(DomainError, match="title"):
        services.agenda_add_item(meeting=meeting, kind="free", actor=secretariat, title="  ")
    item = services.agenda_add_item(
        meeting=meeting, kind="free", actor=secretariat, title="Election of the Bureau"
    )
    assert item.label == "Election of the Bureau"


def test_the_meeting_moves_planned_convened_held_closed(secretariat):
    meeting = plenary()
    for to in ("convened", "held", "closed"):
        services.meeting_move(meeting=meeting, to=to, actor=secretariat)
    meeting.refresh_from_db()
    assert meeting.status == "closed"
    with pytest.raises(DomainError, match="cannot become convened"):
        services.meeting_move(meeting=meeting, to="convened", actor=secretariat)


def entries(items, *outcomes, confirm=False):
    return [
        services.Entry(
            item_id=i.pk, outcome=o, conclusion=f"Because {o}.", confirm_over_ceiling=confirm
        )
        for i, o in zip(items, outcomes, strict=True)
    ]


def test_decisions_are_recorded_item_by_item_and_the_deferred_one_goes_to_the_next_draft(
    secretariat, three
):
    meeting = plenary(status=Meeting.Status.CONVENED)
    later = plenary(number=84, day=dt.date(2019, 6, 4))
    items = services.agenda_add_proposals(meeting=meeting, proposals=three, actor=secretariat)
    services.decisions_record(
        meeting=meeting,
        actor=secretariat,
        entries=entries(items, "adopted", "deferred", "rejected"),
    )
    statuses = dict(Proposal.objects.values_list("title", "status"))
    assert statuses == {"Adopt me": "adopted", "Defer me": "deferred", "Reject me": "rejected"}
    assert list(
        Decision.objects.filter(meeting=meeting)
        .order_by("proposal__title")
        .values_list("outcome", flat=True)
    ) == ["adopted", "deferred", "rejected"]
    carried = AgendaItem.objects.get(meeting=later)
    assert carried.proposal.title == "Defer me"
    assert carried.carried_from == items[1]
    assert carried.outcome == ""


def test_with_no_planned_meeting_after_it_the_next_plenary_is_created_as_a_draft(
    secretariat, three
):
    meeting = plenary(status=Meeting.Status.CONVENED, place="Strasbourg")
    items = services.agenda_add_proposals(meeting=meeting, proposals=three[:1], actor=secretariat)
    services.decisions_record(
        meeting=meeting, actor=secretariat, entries=entries(items, "deferred")
    )
    following = Meeting.objects.get(number=84)
    assert (following.kind, following.status, following.place) == (
        "pc_plenary",
        "planned",
        "Strasbourg",
    )
    assert following.date == dt.date(2019, 5, 28)
    assert following.agenda_items.get().proposal == three[0]


def test_one_bad_item_saves_nothing_and_names_its_item(secretariat, three):
    meeting = plenary(status=Meeting.Status.CONVENED)
    items = services.agenda_add_proposals(meeting=meeting, proposals=three, actor=secretariat)
    bad = entries(items, "adopted", "deferred", "rejected")
    bad[2] = services.Entry(item_id=items[2].pk, outcome="rejected", conclusion="  ")
    with pytest.raises(DomainError) as caught:
        services.decisions_record(meeting=meeting, actor=secretariat, entries=bad)
    assert list(caught.value.errors) == [f"item-{items[2].pk}"]
    assert "rationale" in caught.value.errors[f"item-{items[2].pk}"][0]
    assert not Decision.objects.exists()
    assert set(Proposal.objects.values_list("status", flat=True)) == {"under_assessment"}
    assert set(AgendaItem.objects.values_list("outcome", flat=True)) == {""}
    assert Meeting.objects.count() == 1  # no next meeting created for the deferral


def test_an_adoption_over_the_ceiling_needs_its_confirmation(secretariat, states, programme, three):
    over_ceiling_2017(programme, secretariat, states)
    meeting = plenary(status=Meeting.Status.CONVENED)
    items = services.agenda_add_proposals(meeting=meeting, proposals=three[:1], actor=secretariat)
    with pytest.raises(DomainError) as caught:
        services.decisions_record(
            meeting=meeting, actor=secretariat, entries=entries(items, "adopted")
        )
    assert list(caught.value.errors) == [f"item-{items[0].pk}.confirm_over_ceiling"]
    assert not Decision.objects.exists()
    services.decisions_record(
        meeting=meeting, actor=secretariat, entries=entries(items, "adopted", confirm=True)
    )
    decision = Decision.objects.get()
    assert decision.over_ceiling_confirmed and decision.meeting == meeting
    assert AgendaItem.objects.get().decision == decision


def test_decisions_wait_for_the_meeting_to_be_convened(secretariat, three):
    meeting = plenary()
    items = services.agenda_add_proposals(meeting=meeting, proposals=three[:1], actor=secretariat)
    with pytest.raises(DomainError, match="planned: decisions are recorded once"):
        services.decisions_record(
            meeting=meeting, actor=secretariat, entries=entries(items, "adopted")
        )


def test_an_outcome_the_item_does_not_take_is_refused(secretariat):
    meeting = plenary(status=Meeting.Status.CONVENED)
    item = services.agenda_add_item(meeting=meeting, kind="free", actor=secretariat, title="AOB")
    with pytest.raises(DomainError):
        services.decisions_record(
            meeting=meeting,
            actor=secretariat,
            entries=[services.Entry(item_id=item.pk, outcome="bogus")],
        )
    services.decisions_record(
        meeting=meeting,
        actor=secretariat,
        entries=[services.Entry(item_id=item.pk, outcome="noted", conclusion="Noted.")],
    )
    item.refresh_from_db()
    assert (item.outcome, item.conclusion) == ("noted", "Noted.")


def test_the_annual_programme_adopted_on_the_agenda_is_adopted_by_its_service(
    secretariat, states, programme
):
    ap = over_ceiling_2017(programme, secretariat, states)
    meeting = plenary(status=Meeting.Status.CONVENED)
    item = services.agenda_add_item(
        meeting=meeting, kind="annual_programme", actor=secretariat, annual_programme=ap
    )
    assert item.label == "Annual programme 2017"
    services.decisions_record(
        meeting=meeting,
        actor=secretariat,
        entries=[services.Entry(item_id=item.pk, outcome="adopted", conclusion="Adopted.")],
    )
    ap.refresh_from_db()
    assert (ap.status, ap.adopting_meeting, ap.adopted_on) == ("adopted", meeting, meeting.date)


def test_an_annual_programme_cannot_be_rejected_on_the_agenda(secretariat, states, programme):
    ap = over_ceiling_2017(programme, secretariat, states)
    meeting = plenary(status=Meeting.Status.CONVENED)
    item = services.agenda_add_item(
        meeting=meeting, kind="annual_programme", actor=secretariat, annual_programme=ap
    )
    with pytest.raises(DomainError, match="Choose one of: adopted, deferred"):
        services.decisions_record(
            meeting=meeting,
            actor=secretariat,
            entries=[services.Entry(item_id=item.pk, outcome="rejected", conclusion="No.")],
        )
    ap.refresh_from_db()
    assert ap.status == "draft"
