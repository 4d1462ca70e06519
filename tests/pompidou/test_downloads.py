"""Uploaded files are served only by their object's view, to those who may see the
object, as attachments of the type their bytes were checked to be; behind nginx the
view names the file (X-Accel-Redirect) and nginx sends the bytes. No /media/ address
serves anything, in DEBUG neither."""

import datetime as dt
import importlib
import io
import re

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve
from rest_framework.test import APIClient

from activities import services as activity_services
from activities.models import Activity
from evaluation import services as evaluation_services
from pompidou.lib import files
from proposals import services as proposal_services
from proposals.models import ProposalAttachment
from tests.conftest import client_for, token_client
from tests.proposals.factories import draft

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def real_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Terms of reference.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf(name: str = "Terms of reference v2.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def activity_with_terms(secretariat, programme, states, *, route: str, upload=None) -> Activity:
    return activity_services.activity_create(
        actor=secretariat,
        work_programme=programme,
        title="Darknet drug markets",
        thematic_priorities=[programme.priorities.get(number="3.4")],
        start_date=dt.date(2016, 2, 1),
        end_date=dt.date(2016, 11, 30),
        lead_member_state=states["FR"],
        adoption_route=route,
        terms_of_reference_file=upload or pdf(),
    )


@pytest.fixture
def adopted(secretariat, programme, states, media) -> Activity:
    """Adopted ad hoc: the public sees it, its terms of reference with it."""
    return activity_with_terms(secretariat, programme, states, route="ad_hoc")


@pytest.fixture
def planned(secretariat, programme, states, media) -> Activity:
    """On the annual route and in no adopted annual programme: members only."""
    return activity_with_terms(secretariat, programme, states, route="annual")


@pytest.fixture
def evidence(adopted, secretariat):
    return evaluation_services.impact_assessment_record(
        activity=adopted,
        actor=secretariat,
        date=dt.date(2016, 12, 1),
        method="Survey",
        findings="Used by most participants.",
        rating=4,
        evidence=pdf("Survey results.pdf"),
    )


@pytest.fixture
def attachment(pc_fr, programme, media) -> ProposalAttachment:
    proposal = draft(pc_fr, programme)
    return proposal_services.attachment_add(
        proposal=proposal, actor=pc_fr, file=pdf("Budget sheet.pdf"), title="Budget"
    )


def terms_urls(activity):
    return (
        f"/en/activities/{activity.reference}/terms-of-reference/",
        f"/api/v1/activities/{activity.reference}/terms-of-reference/",
    )


def evidence_urls(assessment):
    return (
        f"/en/evaluation/impact-assessments/{assessment.pk}/evidence/",
        f"/api/v1/impact-assessments/{assessment.pk}/evidence/",
    )


def attachment_urls(attachment):
    base = f"proposals/{attachment.proposal_id}/attachments/{attachment.pk}/"
    return f"/en/{base}", f"/api/v1/{base}"


def get(user, url):
    """The page as the persona's browser asks it, the API with their token."""
    if url.startswith("/api/"):
        return (token_client(user) if user else APIClient()).get(url)
    return client_for(user).get(url)


# --- who gets each kind of file --------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "page", "api"),
    [
        ("anonymous", 200, 200),
        ("outsider", 200, 200),
        ("pc_de", 200, 200),
        ("secretariat", 200, 200),
    ],
)
def test_the_terms_of_reference_of_an_adopted_activity_are_public(
    adopted, personas, persona, page, api
):
    page_url, api_url = terms_urls(adopted)
    assert get(personas[persona], page_url).status_code == page
    response = get(personas[persona], api_url)
    assert response.status_code == api and body(response) == PDF


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 404), ("outsider", 404), ("pc_de", 200), ("expert", 200), ("secretariat", 200)],
)
def test_the_terms_of_reference_of_an_activity_not_yet_adopted_are_for_members(
    planned, personas, persona, status
):
    for url in terms_urls(planned):
        response = get(personas[persona], url)
        assert response.status_code == status, url
        if status == 200:
            assert body(response) == PDF
        else:
            assert PDF not in body(response)


def test_an_activity_without_a_file_is_a_404_not_a_500(programme, states, secretariat, media):
    activity = activity_with_terms(secretariat, programme, states, route="ad_hoc")
    activity_services.activity_update(
        activity=activity, actor=secretariat, terms_of_reference_file=""
    )
    for url in terms_urls(activity):
        assert get(secretariat, url).status_code == 404


@pytest.mark.parametrize(
    ("persona", "page", "api"),
    [
        ("anonymous", 302, 401),  # the page sends to the login, the API asks for one
        ("outsider", 403, 403),  # sees the activity, not its evaluation
        ("pc_de", 200, 200),
        ("expert", 200, 200),
        ("secretariat", 200, 200),
    ],
)
def test_impact_evidence_is_for_those_who_read_the_evaluation(
    evidence, personas, persona, page, api
):
    page_url, api_url = evidence_urls(evidence)
    page_response = get(personas[persona], page_url)
    assert page_response.status_code == page
    api_response = get(personas[persona], api_url)
    assert api_response.status_code == api
    for response, status in ((page_response, page), (api_response, api)):
        assert (body(response) == PDF) is (status == 200)


def test_evidence_of_an_activity_the_member_cannot_see_is_a_404(
    planned, secretariat, expert, outsider
):
    assessment = evaluation_services.impact_assessment_record(
        activity=planned,
        actor=secretariat,
        date=dt.date(2016, 12, 1),
        method="Survey",
        findings="Used.",
        rating=3,
        evidence=pdf(),
    )
    page_url, api_url = evidence_urls(assessment)
    assert get(expert, api_url).status_code == 200
    # An outsider does not see a planned activity at all: not found, not refused.
    assert get(outsider, page_url).status_code == 404
    assert get(outsider, api_url).status_code == 404


@pytest.mark.parametrize(
    ("persona", "page", "api"),
    [
        ("anonymous", 302, 401),
        ("outsider", 404, 404),
        ("pc_de", 404, 404),  # another delegation's draft
        ("pc_fr", 200, 200),
        ("secretariat", 200, 200),
    ],
)
def test_a_draft_proposals_attachment_is_for_its_delegation_and_the_secretariat(
    attachment, personas, persona, page, api
):
    page_url, api_url = attachment_urls(attachment)
    page_response = get(personas[persona], page_url)
    api_response = get(personas[persona], api_url)
    assert (page_response.status_code, api_response.status_code) == (page, api)
    for response, status in ((page_response, page), (api_response, api)):
        assert (body(response) == PDF) is (status == 200)


# --- what the answer says ---------------------------------------------------------


@pytest.mark.parametrize("kind", ["terms", "evidence", "attachment"])
def test_every_download_is_an_attachment_with_its_checked_type_and_the_uploaders_name(
    kind, adopted, evidence, attachment, secretariat
):
    urls, name = {
        "terms": (terms_urls(adopted), "Terms of reference v2.pdf"),
        "evidence": (evidence_urls(evidence), "Survey results.pdf"),
        "attachment": (attachment_urls(attachment), "Budget sheet.pdf"),
    }[kind]
    for url in urls:
        response = get(secretariat, url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        assert "X-Accel-Redirect" not in response


def test_a_word_document_is_served_as_one(secretariat, programme, states, media):
    content = real_docx()
    activity = activity_with_terms(
        secretariat,
        programme,
        states,
        route="ad_hoc",
        upload=SimpleUploadedFile("Mandat du groupe.docx", content),
    )
    response = get(None, terms_urls(activity)[0])
    assert response["Content-Type"] == files.DOCX
    assert response["Content-Disposition"] == 'attachment; filename="Mandat du groupe.docx"'
    assert body(response) == content


def test_stored_names_are_generated_and_the_uploaders_name_is_kept_beside(
    adopted, evidence, attachment
):
    generated = re.compile(
        r"^(activities/terms|evaluation/evidence|proposals/attachments)"
        r"/\d{4}/[0-9a-f]{32}\.pdf$"
    )
    for field in (adopted.terms_of_reference_file, evidence.evidence, attachment.file):
        assert generated.match(field.name), field.name
    assert adopted.terms_of_reference_name == "Terms of reference v2.pdf"
    assert evidence.evidence_name == "Survey results.pdf"
    assert attachment.original_name == attachment.filename == "Budget sheet.pdf"


def test_the_api_names_protected_addresses_never_media_ones(adopted, evidence, secretariat):
    client = token_client(secretariat)
    activity = client.get(f"/api/v1/activities/{adopted.reference}/").json()
    assert activity["terms_of_reference_file"] == (
        f"http://testserver/api/v1/activities/{adopted.reference}/terms-of-reference/"
    )
    assessment = client.get(f"/api/v1/impact-assessments/{evidence.pk}/").json()
    assert assessment["evidence"] == (
        f"http://testserver/api/v1/impact-assessments/{evidence.pk}/evidence/"
    )


def test_the_pages_link_the_protected_addresses(adopted, evidence, secretariat):
    client = client_for(secretariat)
    page = client.get(f"/en/activities/{adopted.reference}/").content.decode()
    assert f'href="/en/activities/{adopted.reference}/terms-of-reference/"' in page
    evaluation = client.get(f"/en/evaluation/activities/{adopted.reference}/").content.decode()
    assert f'href="/en/evaluation/impact-assessments/{evidence.pk}/evidence/"' in evaluation
    for html in (page, evaluation):
        assert "/media/" not in html


# --- behind nginx -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["terms", "evidence", "attachment"])
def test_behind_nginx_the_view_names_the_file_and_sends_no_bytes(
    kind, adopted, evidence, attachment, secretariat, settings
):
    settings.PROTECTED_MEDIA_ACCEL = "/protected/"
    urls, field = {
        "terms": (terms_urls(adopted), adopted.terms_of_reference_file),
        "evidence": (evidence_urls(evidence), evidence.evidence),
        "attachment": (attachment_urls(attachment), attachment.file),
    }[kind]
    for url in urls:
        response = get(secretariat, url)
        assert response.status_code == 200, url
        assert response["X-Accel-Redirect"] == f"/protected/{field.name}"
        assert body(response) == b""
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment; ")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_behind_nginx_a_refused_user_gets_no_redirect_and_a_lost_file_is_a_404(
    planned, attachment, outsider, pc_fr, settings
):
    settings.PROTECTED_MEDIA_ACCEL = "/protected/"
    for url in terms_urls(planned):
        response = get(outsider, url)
        assert response.status_code == 404 and "X-Accel-Redirect" not in response
    attachment.file.storage.delete(attachment.file.name)
    for url in attachment_urls(attachment):
        response = get(pc_fr, url)
        assert response.status_code == 404 and "X-Accel-Redirect" not in response


def test_no_address_under_media_is_served_even_in_debug(settings, adopted):
    import pompidou.urls

    settings.DEBUG = True
    try:
        importlib.reload(pompidou.urls)
        with pytest.raises(Resolver404):
            resolve("/media/" + adopted.terms_of_reference_file.name, "pompidou.urls")
    finally:
        settings.DEBUG = False
        importlib.reload(pompidou.urls)
    assert client_for(None).get("/media/" + adopted.terms_of_reference_file.name).status_code == 404


# --- the name must say what the bytes are ------------------------------------------


@pytest.mark.parametrize("name", ["terms.html", "terms.svg", "terms.docx", "terms"])
def test_a_pdf_under_another_extension_is_refused(name):
    with pytest.raises(ValidationError) as caught:
        files.validate_document(pdf(name))
    assert caught.value.code == "bad_extension"
    assert "a PDF document" in caught.value.messages[0] and ".pdf" in caught.value.messages[0]


def test_a_word_document_named_pdf_is_refused_and_upper_case_extensions_pass():
    with pytest.raises(ValidationError) as caught:
        files.validate_document(SimpleUploadedFile("terms.pdf", real_docx()))
    assert caught.value.code == "bad_extension" and ".docx" in caught.value.messages[0]
    files.validate_document(pdf("TERMS.PDF"))


def test_a_pdf_named_html_is_a_form_error_on_the_page_and_a_400_in_the_api(pc_fr, programme, media):
    proposal = draft(pc_fr, programme)
    page = client_for(pc_fr).post(
        f"/en/proposals/{proposal.pk}/attachments/",
        {"file": pdf("terms.html"), "title": "Terms"},
    )
    assert page.status_code == 400
    assert "its name ends in .html" in " ".join(page.context["attachment_form"].errors["file"])
    api = token_client(pc_fr).post(
        f"/api/v1/proposals/{proposal.pk}/attachments/",
        {"file": pdf("terms.svg")},
        format="multipart",
    )
    assert api.status_code == 400
    assert "its name ends in .svg" in " ".join(api.json()["file"])
    assert not ProposalAttachment.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_terms_of_reference_named_svg_are_refused_by_the_activity_form_and_api(
    adopted, secretariat
):
    stored = adopted.terms_of_reference_file.name
    response = token_client(secretariat).patch(
        f"/api/v1/activities/{adopted.reference}/",
        {"terms_of_reference_file": pdf("terms.svg")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "its name ends in .svg" in " ".join(response.json()["terms_of_reference_file"])
    adopted.refresh_from_db()
    assert adopted.terms_of_reference_file.name == stored
