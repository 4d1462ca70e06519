"""A meeting's own documents: added by the Secretariat, read by the members."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings import document_services
from meetings.models import MeetingDocument
from pompidou.errors import DomainError, PermissionDenied
from programme.models import Meeting
from tests.conftest import client_for
from tests.proposals.factories import pdf


@pytest.fixture
def meeting(db):
    return Meeting.objects.create(kind="pc_plenary", number=83, date=dt.date(2018, 11, 27))


def test_the_secretariat_adds_a_document_the_members_download_it(
    meeting, secretariat, pc_de, media
):
    response = client_for(secretariat).post(
        f"/en/meetings/{meeting.pk}/documents/",
        {"file": pdf("annotated-agenda.pdf"), "title": "Annotated agenda"},
    )
    assert response.status_code == 302
    document = MeetingDocument.objects.get()
    html = client_for(pc_de).get(f"/en/meetings/{meeting.pk}/").content.decode()
    assert "Annotated agenda" in html
    download = client_for(pc_de).get(f"/en/meetings/{meeting.pk}/documents/{document.pk}/")
    assert download.status_code == 200
    assert 'filename="annotated-agenda.pdf"' in download["Content-Disposition"]
    anonymous = client_for(None).get(f"/en/meetings/{meeting.pk}/").content.decode()
    assert "Annotated agenda" not in anonymous


def test_a_file_that_is_not_a_document_is_refused_and_nothing_is_stored(
    meeting, secretariat, media
):
    with pytest.raises(DomainError):
        document_services.meeting_document_add(
            meeting=meeting,
            actor=secretariat,
            file=SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf"),
        )
    response = client_for(secretariat).post(f"/en/meetings/{meeting.pk}/documents/", {})
    assert response.status_code == 400
    assert not MeetingDocument.objects.exists()


@pytest.mark.parametrize("persona", ["pc_fr", "bureau_chair", "expert", "outsider"])
def test_only_the_secretariat_adds_documents(request, meeting, persona, media):
    with pytest.raises(PermissionDenied):
        document_services.meeting_document_add(
            meeting=meeting, actor=request.getfixturevalue(persona), file=pdf()
        )


def test_a_removed_document_is_gone(
    meeting, secretariat, media, django_capture_on_commit_callbacks
):
    document = document_services.meeting_document_add(
        meeting=meeting, actor=secretariat, file=pdf(), title="Draft"
    )
    name, storage = document.file.name, document.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        document_services.meeting_document_remove(document=document, actor=secretariat)
    assert not MeetingDocument.objects.exists()
    assert not storage.exists(name)
