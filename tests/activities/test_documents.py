import datetime as dt
import io
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from activities import services
from activities.models import AnnualProgrammeDocument
from activities.services import annual_programme_document_run
from pompidou import jobs
from tests.activities.factories import ActivityFactory
from tests.conftest import client_for, token_client

D = Decimal


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
    # Words, whatever line a table cell wraps them onto.
    text = " ".join(_pdf_text(document.pdf).split())
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
    assert "3. Activities by thematic priority" in headings
    assert "4.2 Airports Group" in headings
    assert any(h.startswith("3.4 Identifying opportunities") for h in headings)


def test_a_job_run_twice_leaves_one_set_of_files(
    ap, secretariat, media, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document, _ = services.annual_programme_compile(annual_programme=ap, actor=secretariat)
    # Compiled again by a worker that died: its message, handed out again, takes over.
    AnnualProgrammeDocument.objects.filter(pk=document.pk).update(
        status="running",
        heartbeat_at=timezone.now() - dt.timedelta(seconds=settings.REPORT_JOB_STALE_SECONDS + 5),
    )
    assert services.annual_programme_document_run(document.pk) == "succeeded"
    assert services.annual_programme_document_run(document.pk) == "nothing to do"
    files = sorted(p.name for p in media.rglob("*") if p.is_file())
    assert files == [
        f"{document.file_stem}-{language}.{kind}"
        for language in ("EN", "FR")
        for kind in ("docx", "pdf")
    ]


def test_asking_again_while_queued_returns_the_same_job(ap, secretariat):
    first, created = services.annual_programme_compile(annual_programme=ap, actor=secretariat)
    again, created_again = services.annual_programme_compile(annual_programme=ap, actor=secretariat)
    assert created and not created_again and again.pk == first.pk
    assert AnnualProgrammeDocument.objects.count() == 1


def test_a_running_job_without_a_live_worker_is_compiled_again(
    ap, secretariat, settings, django_capture_on_commit_callbacks
):
    document, _ = services.annual_programme_compile(annual_programme=ap, actor=secretariat)
    AnnualProgrammeDocument.objects.filter(pk=document.pk).update(
        status="running",
        attempts=1,
        heartbeat_at=timezone.now() - dt.timedelta(seconds=settings.REPORT_JOB_STALE_SECONDS + 5),
    )
    # The sweep queues it again and (tasks run in process here) it is compiled.
    assert jobs.sweep(AnnualProgrammeDocument)["restarted"] == 1
    document.refresh_from_db()
    assert document.status == "succeeded" and document.attempts == 2


def test_a_failing_build_ends_failed_with_the_error_in_plain_words(
    ap, secretariat, monkeypatch, django_capture_on_commit_callbacks
):
    from activities import documents

    def broken(document, progress):
        raise OSError("disk full")

    monkeypatch.setattr(documents, "build", broken)
    # In process the failure is recorded on the job, and the request goes on.
    with django_capture_on_commit_callbacks(execute=True):
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
    assert job["pdf"].endswith("/pdf/?language=en") and job["docx"].endswith("/docx/?language=en")


# --- the documents section of the annual programme page ----------------------------------


def _mark_adopted(ap) -> None:
    # Setup only: the adoption's own rules are tested with its service.
    type(ap).objects.filter(pk=ap.pk).update(status="adopted", adopted_on=dt.date(2015, 11, 24))


def _page(user, year: int = 2016):
    return client_for(user).get(f"/en/annual-programmes/{year}/")


def test_the_secretariat_sees_the_compile_control_on_the_annual_programme_page(ap, secretariat):
    response = _page(secretariat)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="compile"' in html and "Compile as PDF and Word" in html
    assert "Not compiled yet." in html


@pytest.mark.parametrize("persona", ["pc_fr", "bureau_chair", "expert"])
def test_members_see_the_documents_but_not_the_compile_control(personas, ap, persona):
    html = _page(personas[persona]).content.decode()
    assert 'data-testid="ap-documents"' in html
    assert 'data-testid="compile"' not in html


def test_an_outsider_and_an_anonymous_visitor_see_no_draft_programme(ap, outsider):
    assert _page(outsider).status_code == 404
    assert _page(None).status_code == 404


def test_on_an_adopted_programme_outsiders_and_anonymous_see_no_documents_section(
    ap, secretariat, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document, _ = services.annual_programme_compile(annual_programme=ap, actor=secretariat)
    _mark_adopted(ap)
    for user in (outsider, None):
        response = _page(user)
        html = response.content.decode()
        assert response.status_code == 200
        assert 'data-testid="ap-documents"' not in html and document.reference not in html
        assert 'data-testid="compile"' not in html
        download = client_for(user).get(f"/en/annual-programmes/2016/documents/{document.pk}/pdf/")
        # A member's file: an outsider is refused, an anonymous visitor is sent to log in.
        assert download.status_code == (403 if user is not None else 302)


def test_the_secretariat_may_compile_an_adopted_programme_too(ap, secretariat):
    _mark_adopted(ap)
    assert 'data-testid="compile"' in _page(secretariat).content.decode()


def test_compiling_from_the_page_comes_back_to_it_with_the_latest_files_and_earlier_versions(
    ap, secretariat, pc_fr, django_capture_on_commit_callbacks
):
    client = client_for(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/annual-programmes/2016/compile/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/annual-programmes/2016/compile/", follow=True)
    first, latest = AnnualProgrammeDocument.objects.order_by("created_at")
    assert response.redirect_chain[-1][0] == "/en/annual-programmes/2016/#ap-documents"
    html = _page(pc_fr).content.decode()
    assert "Not compiled yet." not in html
    latest_pdf = f"/en/annual-programmes/2016/documents/{latest.pk}/pdf/"
    latest_docx = f"/en/annual-programmes/2016/documents/{latest.pk}/docx/"
    section = html[html.index('data-testid="latest-document"') :]
    section = section[: section.index("</div>")]
    assert latest.reference in section and latest_pdf in section and latest_docx in section
    assert latest.document_date.strftime("%Y-%m-%d") in section
    earlier = html[html.index('data-testid="earlier-documents"') :]
    assert first.reference in earlier and latest.reference not in earlier


def test_a_running_compilation_is_followed_on_the_page_by_htmx_polling(ap, secretariat):
    # The job is queued and its task not run (the on_commit callbacks are dropped).
    document, created = services.annual_programme_compile(annual_programme=ap, actor=secretariat)
    html = _page(secretariat).content.decode()
    section_url = "/en/annual-programmes/2016/?section=documents"
    assert created and 'data-testid="running-job"' in html
    # The whole documents section polls, so "latest" changes when the job is done.
    assert f'hx-get="{section_url}"' in html and html.count('hx-trigger="every 1s"') == 1
    assert "Not compiled yet." not in html
    client = client_for(secretariat)
    partial = client.get(section_url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" in partial and 'data-testid="latest-document"' not in partial

    # The worker finishes: the next poll brings the latest PDF and DOCX and stops.
    annual_programme_document_run(document.pk)
    partial = client.get(section_url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial and 'data-testid="latest-document"' in partial
    assert f"/en/annual-programmes/2016/documents/{document.pk}/pdf/" in partial


def test_the_documents_section_is_not_polled_by_those_who_may_not_see_it(ap, outsider):
    response = client_for(outsider).get(
        "/en/annual-programmes/2016/?section=documents", HTTP_HX_REQUEST="true"
    )
    # The 2016 programme is a draft: to an outsider it does not exist.
    assert response.status_code == 404


def test_a_compilation_through_the_api_shows_on_the_page(
    ap, secretariat, pc_fr, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post("/api/v1/annual-programmes/2016/compile/").status_code == 202
    document = AnnualProgrammeDocument.objects.get()
    html = _page(pc_fr).content.decode()
    assert "Not compiled yet." not in html
    assert f"/en/annual-programmes/2016/documents/{document.pk}/pdf/" in html


# --- the files for REST clients (a token, no session) -------------------------------------


def test_a_token_client_follows_the_job_links_to_the_pdf_and_the_docx(
    ap, secretariat, pc_fr, django_capture_on_commit_callbacks
):
    api = token_client(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        job = api.post("/api/v1/annual-programmes/2016/compile/").json()
    job = api.get(job["url"]).json()
    base = f"http://testserver/api/v1/annual-programme-documents/{job['id']}"
    assert job["pdf"] == f"{base}/pdf/?language=en"
    assert job["docx"] == f"{base}/docx/?language=en"
    member = token_client(pc_fr)
    pdf = member.get(job["pdf"], HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    english = b"".join(pdf.streaming_content)
    assert english.startswith(b"%PDF") and pdf["Content-Language"] == "en"
    assert pdf["Content-Disposition"].endswith('-EN.pdf"')
    docx = member.get(job["docx"])
    assert docx.status_code == 200 and b"".join(docx.streaming_content).startswith(b"PK")


def test_one_compilation_writes_the_document_in_english_and_in_french(
    ap, secretariat, pc_fr, django_capture_on_commit_callbacks
):
    api = token_client(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        job = api.post("/api/v1/annual-programmes/2016/compile/").json()
    # Accept-Language chooses the language of the links; ``files`` lists both.
    job = api.get(job["url"], HTTP_ACCEPT_LANGUAGE="fr").json()
    base = f"http://testserver/api/v1/annual-programme-documents/{job['id']}"
    assert job["pdf"] == f"{base}/pdf/?language=fr"
    assert job["files"] == {
        "en": {"pdf": f"{base}/pdf/?language=en", "docx": f"{base}/docx/?language=en"},
        "fr": {"pdf": f"{base}/pdf/?language=fr", "docx": f"{base}/docx/?language=fr"},
    }
    member = token_client(pc_fr)
    french = member.get(f"{base}/pdf/", HTTP_ACCEPT_LANGUAGE="fr")
    assert french.status_code == 200 and french["Content-Language"] == "fr"
    assert french["Content-Disposition"].endswith('-FR.pdf"')
    english = member.get(f"{base}/pdf/?language=en", HTTP_ACCEPT_LANGUAGE="fr")
    assert english["Content-Language"] == "en"
    assert b"".join(french.streaming_content) != b"".join(english.streaming_content)
    unknown = member.get(f"{base}/pdf/?language=de")
    assert unknown.status_code == 404 and unknown.json()["detail"]


def test_a_file_not_compiled_yet_is_a_json_404(ap, secretariat):
    document, _ = services.annual_programme_compile(annual_programme=ap, actor=secretariat)
    api = token_client(secretariat)
    assert api.get(f"/api/v1/annual-programme-documents/{document.pk}/").json()["pdf"] is None
    response = api.get(f"/api/v1/annual-programme-documents/{document.pk}/pdf/")
    assert response.status_code == 404 and document.reference in response.json()["detail"]
    assert api.get("/api/v1/annual-programme-documents/999999/docx/").status_code == 404


def test_outsiders_and_anonymous_clients_get_no_annual_programme_file(
    ap, secretariat, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document, _ = services.annual_programme_compile(annual_programme=ap, actor=secretariat)
    _mark_adopted(ap)
    url = f"/api/v1/annual-programme-documents/{document.pk}/pdf/"
    assert token_client(outsider).get(url).status_code == 403
    anonymous = token_client(None).get(url)
    assert anonymous.status_code == 401
    assert "credentials were not provided" in anonymous.json()["detail"]


def test_a_stored_title_with_a_control_character_still_compiles(
    ap, secretariat, django_capture_on_commit_callbacks
):
    # Written around the forms and the API, as text stored before they refused it.
    from activities.models import Activity

    Activity.objects.filter(title="Airports Group 2016").update(
        title="Airports\x0bGroup 2016", description="Ports\x0cand\x07 planes"
    )
    with django_capture_on_commit_callbacks(execute=True):
        document, _ = services.annual_programme_compile(annual_programme=ap, actor=secretariat)
    document.refresh_from_db()
    assert document.status == "succeeded", document.error
    assert "Group 2016" in _pdf_text(document.pdf)
    from docx import Document

    with document.docx.open("rb") as handle:
        xml = Document(io.BytesIO(handle.read())).element.xml
    assert "Airports" in xml and "\x0b" not in xml and "\x07" not in xml


def test_the_job_records_progress_while_the_pdf_is_printed(
    ap, secretariat, django_capture_on_commit_callbacks
):
    """The bar moves while WeasyPrint works (pompidou.lib.pdf_progress), not only at
    the builder's fixed points (20 after reading, 70 after the PDF, 95 after Word)."""
    heard: list[int] = []
    recorded: list[int] = []
    original = jobs.Progress.__call__

    def spy(self, percent):
        heard.append(percent)
        original(self, percent)
        recorded.append(type(self.job).objects.get(pk=self.job.pk).progress)

    with (
        mock.patch.object(jobs.Progress, "__call__", spy),
        django_capture_on_commit_callbacks(execute=True),
    ):
        document, _ = services.annual_programme_compile(annual_programme=ap, actor=secretariat)
    document.refresh_from_db()
    assert document.status == "succeeded" and document.progress == 100
    # Per language: 20, then steps of the PDF strictly between 20 and 70, then 70, 95.
    english = heard[: heard.index(95) + 1]
    assert english[0] == 20 and english[-2:] == [70, 95]
    during = english[1:-2]
    assert len(during) >= 4 and all(20 < p < 70 for p in during)
    assert during == sorted(set(during))
    # And what the page reads (the job's row) moved with it, over both languages.
    assert recorded == sorted(recorded) and len(set(recorded)) >= 8
