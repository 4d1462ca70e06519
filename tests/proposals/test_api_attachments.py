"""A proposal's documents through the API: the same service and the same visibility
as the pages, reachable with a token."""

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from proposals import services
from proposals.models import ProposalAttachment
from tests.conftest import client_for, token_client
from tests.proposals.factories import draft

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name="terms.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_the_proposing_pc_attaches_a_document_and_a_token_client_downloads_it(
    pc_fr, programme, media
):
    proposal = draft(pc_fr, programme)
    client = token_client(pc_fr)
    url = f"/api/v1/proposals/{proposal.pk}/attachments/"
    response = client.post(url, {"file": _pdf(), "title": "Budget sheet"}, format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["title"] == "Budget sheet" and body["filename"].endswith(".pdf")

    listed = client.get(url).json()
    assert [a["title"] for a in listed] == ["Budget sheet"]
    download = client.get(listed[0]["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_a_document_that_is_not_pdf_or_word_is_a_400_on_file_and_nothing_is_kept(
    pc_fr, programme, media
):
    proposal = draft(pc_fr, programme)
    fake = SimpleUploadedFile("terms.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = token_client(pc_fr).post(
        f"/api/v1/proposals/{proposal.pk}/attachments/", {"file": fake}, format="multipart"
    )
    assert response.status_code == 400 and "file" in response.json()
    assert not ProposalAttachment.objects.exists()


def test_a_missing_file_is_a_400_on_file(pc_fr, programme, media):
    proposal = draft(pc_fr, programme)
    response = token_client(pc_fr).post(
        f"/api/v1/proposals/{proposal.pk}/attachments/", {"title": "x"}, format="multipart"
    )
    assert response.status_code == 400 and "file" in response.json()


def test_only_the_proposing_delegation_attaches_and_others_do_not_see_a_draft(
    pc_fr, pc_de, secretariat, outsider, programme, media
):
    proposal = draft(pc_fr, programme)
    attachment = services.attachment_add(proposal=proposal, actor=pc_fr, file=_pdf())
    url = f"/api/v1/proposals/{proposal.pk}/attachments/"
    # Another delegation and an outsider do not see the draft at all: 404.
    for user in (pc_de, outsider):
        client = token_client(user)
        assert client.post(url, {"file": _pdf()}, format="multipart").status_code == 404
        assert client.get(f"{url}{attachment.pk}/").status_code == 404
    # The Secretariat sees it but does not attach to a delegation's draft: 403.
    response = token_client(secretariat).post(url, {"file": _pdf()}, format="multipart")
    assert response.status_code == 403
    assert proposal.attachments.count() == 1
    # Anonymous: no credentials, no document.
    assert APIClient().get(f"{url}{attachment.pk}/").status_code == 401


def test_the_proposing_pc_removes_a_document_from_a_draft_only(pc_fr, programme, media):
    proposal = draft(pc_fr, programme)
    first = services.attachment_add(proposal=proposal, actor=pc_fr, file=_pdf())
    client = token_client(pc_fr)
    url = f"/api/v1/proposals/{proposal.pk}/attachments/"
    assert client.delete(f"{url}{first.pk}/").status_code == 204
    assert not proposal.attachments.exists()

    second = services.attachment_add(proposal=proposal, actor=pc_fr, file=_pdf())
    services.proposal_submit(proposal=proposal, actor=pc_fr)
    assert client.delete(f"{url}{second.pk}/").status_code == 403
    assert proposal.attachments.count() == 1


def test_the_file_comes_whatever_the_accept_header_and_a_lost_file_is_a_404(
    pc_fr, programme, media
):
    proposal = draft(pc_fr, programme)
    attachment = services.attachment_add(proposal=proposal, actor=pc_fr, file=_pdf())
    url = f"/api/v1/proposals/{proposal.pk}/attachments/{attachment.pk}/"
    client = token_client(pc_fr)
    response = client.get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF

    attachment.file.storage.delete(attachment.file.name)
    response = client.get(url)
    assert response.status_code == 404 and "detail" in response.json()  # JSON, not a 500
    page = client_for(pc_fr).get(f"/en/proposals/{proposal.pk}/attachments/{attachment.pk}/")
    assert page.status_code == 404
