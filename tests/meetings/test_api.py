"""The meetings in the API: the public calendar with agendas, and the compiled lists
of decisions for the members."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from meetings import services
from programme.models import Meeting
from tests.proposals.factories import assessed


def _meetings(count):
    for n in range(count):
        Meeting.objects.create(
            kind="pc_plenary", number=100 + n, date=dt.date(2018, 1, 1) + dt.timedelta(days=n)
        )


@pytest.mark.parametrize("count", [1, 5])
def test_the_calendar_is_public_in_five_queries_whatever_its_length(db, count):
    _meetings(count)
    with CaptureQueriesContext(connection) as queries:
        response = APIClient().get("/api/v1/meetings/")
    assert response.status_code == 200
    # The sync watermark with the last deletion, the newest change and count (ETag),
    # the count of the page, the meetings, their agenda items with their subjects.
    assert len(queries) == 5
    assert len(response.json()["results"]) == count


def test_a_meeting_shows_its_agenda_with_proposals_by_reference(
    personas, programme, pc_de, secretariat
):
    proposal = assessed(
        personas["pc_fr"], pc_de, secretariat, personas["expert"], programme,
        title="A title for the members",
    )  # fmt: skip
    meeting = Meeting.objects.create(kind="pc_plenary", number=83, date=dt.date(2018, 11, 27))
    services.agenda_add_proposals(meeting=meeting, proposals=[proposal], actor=secretariat)
    data = APIClient().get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert data["title"] == "83rd Permanent Correspondents' plenary"
    assert data["status"] == "planned"
    assert data["agenda"] == [
        {
            "position": 1,
            "kind": "proposal",
            "title": "",
            "proposal": proposal.reference,
            "annual_programme": None,
            "evaluation_report": None,
            "outcome": "",
            "conclusion": "",
        }
    ]
    assert "A title for the members" not in str(data)


def test_a_compiled_list_of_decisions_is_followed_and_downloaded_by_a_member(
    db, secretariat, pc_de, media, django_capture_on_commit_callbacks
):
    meeting = Meeting.objects.create(
        kind="pc_plenary", number=83, date=dt.date(2018, 11, 27), status="held"
    )
    with django_capture_on_commit_callbacks(execute=True):  # the compile task, in process
        document, created = services.decision_list_compile(meeting=meeting, actor=secretariat)
    assert created and document.reference.startswith("P-PG/PC (")
    client = APIClient()
    assert client.get(f"/api/v1/decision-lists/{document.pk}/").status_code in (401, 403)
    client.force_authenticate(pc_de)
    data = client.get(f"/api/v1/decision-lists/{document.pk}/").json()
    assert data["status"] == "succeeded"
    assert data["reference"] == document.reference
    pdf = client.get(f"/api/v1/decision-lists/{document.pk}/pdf/?language=fr")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_planned_meeting_has_no_list_of_decisions_to_compile(db, secretariat):
    from pompidou.errors import DomainError

    meeting = Meeting.objects.create(kind="pc_plenary", number=83, date=dt.date(2018, 11, 27))
    with pytest.raises(DomainError, match="decided nothing yet"):
        services.decision_list_compile(meeting=meeting, actor=secretariat)
