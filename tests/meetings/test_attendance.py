"""A delegation's attendance: registered by its PC, read by the Secretariat."""

import datetime as dt

import pytest

from meetings import services
from meetings.models import Attendance
from pompidou.errors import DomainError, PermissionDenied
from programme.models import Meeting
from tests.conftest import client_for


@pytest.fixture
def meeting(db):
    return Meeting.objects.create(kind="pc_plenary", number=83, date=dt.date(2018, 11, 27))


def test_a_pc_registers_who_attends_for_their_delegation_and_may_correct_it(meeting, pc_fr):
    services.attendance_register(meeting=meeting, actor=pc_fr, attendees=" Anne Martin \n\n")
    services.attendance_register(meeting=meeting, actor=pc_fr, attendees="Anne Martin\nPaul Durand")
    attendance = Attendance.objects.get()
    assert attendance.member_state.code == "FR"
    assert attendance.names == ["Anne Martin", "Paul Durand"]


def test_an_empty_list_is_refused_and_changes_nothing(meeting, pc_fr):
    with pytest.raises(DomainError, match="at least one person"):
        services.attendance_register(meeting=meeting, actor=pc_fr, attendees="  \n ")
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("persona", ["secretariat", "expert", "outsider"])
def test_only_a_pc_registers_attendance(request, meeting, persona):
    with pytest.raises(PermissionDenied):
        services.attendance_register(
            meeting=meeting, actor=request.getfixturevalue(persona), attendees="Someone"
        )


def test_attendance_closes_once_the_meeting_is_held(meeting, pc_fr):
    Meeting.objects.filter(pk=meeting.pk).update(status="held")
    meeting.refresh_from_db()
    with pytest.raises(DomainError, match="held: attendance is no longer registered"):
        services.attendance_register(meeting=meeting, actor=pc_fr, attendees="Anne Martin")


def test_the_secretariat_reads_every_delegations_attendance_and_a_pc_only_their_form(
    meeting, pc_fr, pc_de, secretariat
):
    client_for(pc_de).post(f"/en/meetings/{meeting.pk}/attendance/", {"attendees": "Karl Weber"})
    html = client_for(secretariat).get(f"/en/meetings/{meeting.pk}/").content.decode()
    assert "Karl Weber" in html
    french = client_for(pc_fr).get(f"/en/meetings/{meeting.pk}/").content.decode()
    assert "Karl Weber" not in french
    assert 'data-testid="attendance-form"' in french
    anonymous = client_for(None).get(f"/en/meetings/{meeting.pk}/").content.decode()
    assert "Karl Weber" not in anonymous and "attendance-form" not in anonymous


def test_an_empty_form_says_why_on_the_page(meeting, pc_fr):
    response = client_for(pc_fr).post(f"/en/meetings/{meeting.pk}/attendance/", {"attendees": ""})
    assert response.status_code == 400
    assert "Name at least one person who attends." in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_proposal_on_the_agenda_is_named_by_its_title_for_members_only(
    meeting, personas, programme, pc_de, secretariat
):
    from meetings import services as meeting_services
    from tests.proposals.factories import assessed

    proposal = assessed(
        personas["pc_fr"], pc_de, secretariat, personas["expert"], programme,
        title="Members read this title",
    )  # fmt: skip
    meeting_services.agenda_add_proposals(meeting=meeting, proposals=[proposal], actor=secretariat)
    for user, shown in ((pc_de, True), (personas["outsider"], False), (None, False)):
        html = client_for(user).get(f"/en/meetings/{meeting.pk}/").content.decode()
        assert proposal.reference in html
        assert ("Members read this title" in html) is shown
