import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from activities import services
from activities.models import AnnualProgrammeDocument
from pompidou import jobs
from tests.activities.factories import ActivityFactory
from tests.conftest import client_for

D = Decimal


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def ap(programme, secretariat, states, media):
    ap = services.annual_programme_create(
        actor=secretariat, work_programme=programme, year=2016, budget_ceiling=D("50000")
    )
    airports = programme.formats.get(number="4.2")
    for title, fmt, priority in (
        ("Darknet markets: training for customs", None, "3.4"),
        ("Airports Group 2016", airports, "3.3"),
        ("Prisons et droits de l’homme : séminaire", None, "3.1"),
    ):
        activity = ActivityFactory(
            work_programme=programme,
            title=title,
            permanent_format=fmt,
            lead_member_state=states["FR"],
            expected_results="Réseau.",
        )
        activity.thematic_priorities.add(programme.priorities.get(number=priority))
        services.annual_programme_add_activity(
            annual_programme=ap, activity=activity, actor=secretariat
        )
    return ap


def _pdf_text(field) -> str:
    from pypdf import PdfReader

    with field.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


def _docx_headings(field) -> list[str]:
    from docx import Document

    with field.open("rb") as handle:
        doc = Document(io.BytesIO(handle.read()))
    return [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def test_compiling_builds_a_pdf_and_a_docx_with_the_activities(
    ap, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document, created = services.annual_programme_compile(
            annual_programme=ap, actor=secretariat
        )
    document.refresh_from_db()
    assert created and document.status == "succeeded" and document.progress == 100
    assert document.reference == f"P-PG ({timezone.localdate().year}) 1"
    text = _pdf_text(document.pdf)
    for expected in (
        "Annual programme of activities 2016",
        "Darknet markets: training",
        "Airports Group 2016",
        "Prisons et droits de l’homme",
        "Contents",
        "Page 2 of",
        "Annex: adoption decisions",
    ):
        assert expected in text, expected
    headings = _docx_headings(document.docx)
    assert "Annual programme of activities 2016" in headings
    assert "2. Activities by thematic priority" in headings
    assert "4.2 Airports Group" in headings
    assert any(h.startswith("3.4 Identifying opportunities") for h in headings)


def test_a_job_run_twice_leaves_one_set_of_files(
    ap, secretariat, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document, _ = services.annual_programme_compile(annual_programme=ap, actor=secretariat)
    AnnualProgrammeDocument.objects.filter(pk=document.pk).update(status="running")
    services.annual_programme_document_run(document.pk)  # a redelivered message
    assert services.annual_programme_document_run(document.pk) == "nothing to do"
    files = sorted(p.name for p in media.rglob("*") if p.is_file())
    assert files == [f"{document.file_stem}.docx", f"{document.file_stem}.pdf"]


def test_asking_again_while_queued_returns_the_same_job(ap, secretariat):
    first, created = services.annual_programme_compile(annual_programme=ap, actor=secretariat)
    again, created_again = services.annual_programme_compile(annual_programme=ap, actor=secretariat)
    assert created and not created_again and again.pk == first.pk
    assert AnnualProgrammeDocument.objects.count() == 1


def test_a_running_job_without_a_live_worker_is_failed_and_can_be_retried(
    ap, secretariat, settings, django_capture_on_commit_callbacks
):
    document, _ = services.annual_programme_compile(annual_programme=ap, actor=secretariat)
    AnnualProgrammeDocument.objects.filter(pk=document.pk).update(
        status="running",
        heartbeat_at=timezone.now() - dt.timedelta(seconds=settings.REPORT_JOB_STALE_SECONDS + 5),
    )
    assert jobs.mark_stale(AnnualProgrammeDocument) == 1
    document.refresh_from_db()
    assert document.status == "failed" and "Retry" in document.error
    with django_capture_on_commit_callbacks(execute=True):
        services.annual_programme_compile_retry(document=document, actor=secretariat)
    document.refresh_from_db()
    assert document.status == "succeeded" and document.attempts == 1


def test_a_failing_build_ends_failed_with_the_error_in_plain_words(
    ap, secretariat, monkeypatch, django_capture_on_commit_callbacks
):
    from activities import documents

    def broken(document, progress):
        raise OSError("disk full")

    monkeypatch.setattr(documents, "build", broken)
    with pytest.raises(Exception), django_capture_on_commit_callbacks(execute=True):  # noqa: B017
        services.annual_programme_compile(annual_programme=ap, actor=secretariat)
    document = AnnualProgrammeDocument.objects.get()
    assert document.status == "failed"
    assert "disk full" in document.error
    assert document.attempts == 1  # in process, no retry can be scheduled


@pytest.mark.parametrize("persona", ["pc_fr", "bureau_chair", "expert", "outsider"])
def test_only_the_secretariat_compiles(personas, ap, persona):
    response = client_for(personas[persona]).post("/en/annual-programmes/2016/compile/")
    assert response.status_code == 403
    assert not AnnualProgrammeDocument.objects.exists()


def test_the_page_follows_the_job_and_offers_the_downloads(
    ap, secretariat, pc_fr, django_capture_on_commit_callbacks
):
    client = client_for(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/annual-programmes/2016/compile/")
    document = AnnualProgrammeDocument.objects.get()
    assert response["Location"] == "/en/annual-programmes/2016/#ap-documents"
    job_url = f"/en/annual-programmes/2016/documents/{document.pk}/"
    page = client.get(job_url).content.decode()
    assert 'data-testid="download-pdf"' in page and document.reference in page
    partial = client.get(job_url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.strip().startswith('<div id="job-status"') and "hx-trigger" not in partial
    pdf = client_for(pc_fr).get(f"/en/annual-programmes/2016/documents/{document.pk}/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_the_api_answers_202_and_the_job_url(
    ap, secretariat, pc_fr, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(pc_fr)
    assert api.post("/api/v1/annual-programmes/2016/compile/").status_code == 403
    api.force_authenticate(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/annual-programmes/2016/compile/")
    assert response.status_code == 202
    job = api.get(response.json()["url"]).json()
    assert job["status"] == "succeeded" and job["progress"] == 100
    assert job["pdf"].endswith("/pdf/") and job["docx"].endswith("/docx/")
