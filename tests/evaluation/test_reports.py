import datetime as dt
import io

import pytest
from rest_framework.test import APIClient

from evaluation import services
from evaluation.models import EvaluationReport
from pompidou.errors import DomainError, PermissionDenied
from tests.activities.factories import ActivityFactory
from tests.conftest import token_client

THIS_YEAR = dt.date.today().year


@pytest.fixture
def record(programme, states, secretariat, settings, tmp_path):
    # Seen while the programme still runs: its late reports are overdue. Once its
    # period has ended they are history (Activity.objects.not_history).
    type(programme).objects.filter(pk=programme.pk).update(last_year=dt.date.today().year)
    settings.MEDIA_ROOT = tmp_path
    for title, number, lead in (
        ("Prisons : santé et droits", "3.1", "FR"),
        ("Darknet markets training", "3.4", "DE"),
    ):
        a = ActivityFactory(
            work_programme=programme,
            title=title,
            lead_member_state=states[lead],
            start_date=dt.date(2016, 1, 1),
            end_date=dt.date(2016, 12, 31),
            status="ongoing",
            human_rights_considerations="Stated.",
            gender_considerations="Stated.",
        )
        a.thematic_priorities.add(programme.priorities.get(number=number))
        services.progress_report_file(
            activity=a,
            actor=secretariat,
            period="2016-H1",
            status="at_risk",
            percent_complete=30,
            narrative="Slow start.",
        )
    return programme


def _compile(secretariat, programme, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        report, created = services.evaluation_report_compile(
            actor=secretariat,
            work_programme=programme,
            **{"first_year": 2016, "last_year": 2016, **kwargs},
        )
    report.refresh_from_db()
    return report


def test_the_evaluation_report_compiles_to_pdf_and_docx(
    record, secretariat, django_capture_on_commit_callbacks
):
    from docx import Document
    from pypdf import PdfReader

    report = _compile(secretariat, record, django_capture_on_commit_callbacks)
    assert report.status == "succeeded", report.error
    with report.pdf.open("rb") as handle:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    for expected in (
        "Evaluation report 2016",
        "Prisons : santé et droits",
        "Darknet markets training",
        "Overdue progress reports",
        "2016-H2",
        "Transversal aims",
    ):
        assert expected in text, expected
    with report.docx.open("rb") as handle:
        doc = Document(io.BytesIO(handle.read()))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "3. Budget planned and spent" in headings
    assert any("Darknet markets training" in h for h in headings)
    assert doc.inline_shapes, "the charts are embedded as images"


def test_a_scope_limits_the_report_to_its_priority(
    record, secretariat, django_capture_on_commit_callbacks
):
    from pypdf import PdfReader

    report = _compile(
        secretariat,
        record,
        django_capture_on_commit_callbacks,
        scope="priority",
        priority=record.priorities.get(number="3.4"),
    )
    with report.pdf.open("rb") as handle:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Darknet markets training" in text and "Prisons" not in text


def test_bad_report_requests_are_refused_with_their_field(record, secretariat, pc_fr):
    with pytest.raises(DomainError) as excinfo:
        services.evaluation_report_compile(
            actor=secretariat, work_programme=record, first_year=2014, last_year=2016
        )
    assert "first_year" in excinfo.value.errors
    with pytest.raises(DomainError) as excinfo:
        services.evaluation_report_compile(
            actor=secretariat,
            work_programme=record,
            first_year=2016,
            last_year=2016,
            scope="priority",
        )
    assert "priority" in excinfo.value.errors
    with pytest.raises(PermissionDenied):
        services.evaluation_report_compile(
            actor=pc_fr, work_programme=record, first_year=2016, last_year=2016
        )
    assert not EvaluationReport.objects.exists()


def test_the_same_report_asked_twice_while_queued_is_one_job(record, secretariat):
    first, created = services.evaluation_report_compile(
        actor=secretariat, work_programme=record, first_year=2015, last_year=2018
    )
    again, created_again = services.evaluation_report_compile(
        actor=secretariat, work_programme=record, first_year=2015, last_year=2018
    )
    other, created_other = services.evaluation_report_compile(
        actor=secretariat, work_programme=record, first_year=2016, last_year=2016
    )
    assert created and not created_again and again.pk == first.pk
    assert created_other and other.pk != first.pk
    assert first.reference != other.reference


def test_the_api_answers_202_then_the_files(
    record, secretariat, bureau_chair, pc_fr, django_capture_on_commit_callbacks
):
    api = APIClient()
    api.force_authenticate(pc_fr)
    assert (
        api.post(
            "/api/v1/evaluation-reports/", {"first_year": 2016, "last_year": 2016}, format="json"
        ).status_code
        == 403
    )
    api.force_authenticate(secretariat)
    bad = api.post(
        "/api/v1/evaluation-reports/", {"first_year": 2016, "last_year": 2012}, format="json"
    )
    assert bad.status_code == 400 and "first_year" in bad.json()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/evaluation-reports/", {"first_year": 2016, "last_year": 2016}, format="json"
        )
    assert response.status_code == 202
    api.force_authenticate(bureau_chair)
    job = api.get(response.json()["url"]).json()
    assert job["status"] == "succeeded" and job["pdf"].endswith("/pdf/?language=en")


def test_a_token_client_downloads_the_report_files_under_the_api(
    record, secretariat, bureau_chair, pc_fr, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = (
            token_client(secretariat)
            .post("/api/v1/evaluation-reports/", {"first_year": 2016, "last_year": 2016})
            .json()
        )
    job = token_client(bureau_chair).get(job["url"]).json()
    base = f"http://testserver/api/v1/evaluation-reports/{job['id']}"
    assert job["pdf"] == f"{base}/pdf/?language=en"
    assert job["docx"] == f"{base}/docx/?language=en"
    assert job["files"]["fr"] == {
        "pdf": f"{base}/pdf/?language=fr",
        "docx": f"{base}/docx/?language=fr",
    }
    pdf = token_client(bureau_chair).get(job["pdf"])
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    docx = token_client(secretariat).get(job["docx"])
    assert docx.status_code == 200 and b"".join(docx.streaming_content).startswith(b"PK")
    # The report's page is the Bureau's and the Secretariat's: a PC, an outsider and
    # an anonymous client get no file.
    assert token_client(pc_fr).get(job["pdf"]).status_code == 403
    assert token_client(outsider).get(job["pdf"]).status_code == 403
    assert token_client(None).get(job["pdf"]).status_code == 401


def test_a_report_not_compiled_yet_has_no_file_and_answers_a_json_404(record, secretariat):
    report, _ = services.evaluation_report_compile(
        actor=secretariat, work_programme=record, first_year=2016, last_year=2016
    )
    response = token_client(secretariat).get(f"/api/v1/evaluation-reports/{report.pk}/docx/")
    assert response.status_code == 404 and report.reference in response.json()["detail"]


# --- the compile form on the pages -----------------------------------------------------


def test_the_compile_form_defaults_to_the_year_being_viewed(record, secretariat):
    from tests.conftest import client_for

    html = client_for(secretariat).get("/en/evaluation/?year=2017").content.decode()
    for name in ("first_year", "last_year"):
        select = html[html.index(f'name="{name}"') :]
        select = select[: select.index("</select>")]
        assert '<option value="2017" selected>' in select


@pytest.mark.parametrize(
    ("first", "last", "field", "message"),
    [
        ("2017", "2016", "last_year", "The end year is before the start year."),
        # ``record`` runs the programme to this year (its activities are not history).
        ("2014", "2016", "first_year", f"Choose a year of the work programme (2015–{THIS_YEAR})."),
        ("2016", "2130", "last_year", f"Choose a year of the work programme (2015–{THIS_YEAR})."),
    ],
)
def test_a_bad_period_comes_back_as_a_form_error(record, secretariat, first, last, field, message):
    from tests.conftest import client_for

    response = client_for(secretariat).post(
        "/en/evaluation/reports/compile/",
        {"first_year": first, "last_year": last, "scope": "all"},
    )
    assert response.status_code == 400
    assert response.context["compile_form"].errors[field] == [message]
    assert message in response.content.decode()
    assert not EvaluationReport.objects.exists()


def test_a_priority_scope_without_its_priority_is_a_form_error(record, secretariat):
    from tests.conftest import client_for

    response = client_for(secretariat).post(
        "/en/evaluation/reports/compile/",
        {"first_year": "2016", "last_year": "2016", "scope": "priority"},
    )
    assert response.status_code == 400
    assert response.context["compile_form"].errors["priority"]


def test_compiling_from_the_page_queues_the_chosen_period_and_follows_the_job(
    record, secretariat, django_capture_on_commit_callbacks
):
    from tests.conftest import client_for

    client = client_for(secretariat)
    priority = record.priorities.get(number="3.4")
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            "/en/evaluation/reports/compile/",
            {
                "first_year": "2016",
                "last_year": "2017",
                "scope": "priority",
                "priority": priority.pk,
            },
        )
    report = EvaluationReport.objects.get()
    assert (report.first_year, report.last_year, report.scope) == (2016, 2017, "priority")
    assert report.priority == priority and report.status == "queued"
    assert (
        response.status_code == 302
        and response["Location"] == f"/en/evaluation/reports/{report.pk}/"
    )
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page and "Evaluation report 2016–2017" in page


@pytest.mark.parametrize("persona", ["pc_fr", "bureau_chair", "expert", "outsider"])
def test_only_the_secretariat_compiles_from_the_page(record, personas, persona):
    from tests.conftest import client_for

    response = client_for(personas[persona]).post(
        "/en/evaluation/reports/compile/",
        {"first_year": "2016", "last_year": "2016", "scope": "all"},
    )
    assert response.status_code == 403 and not EvaluationReport.objects.exists()


def test_a_stored_narrative_with_a_control_character_still_compiles(
    record, secretariat, django_capture_on_commit_callbacks
):
    # Written around the forms and the API, as text stored before they refused it.
    from docx import Document
    from pypdf import PdfReader

    from evaluation.models import ProgressReport

    ProgressReport.objects.update(narrative="Slow\x0cstart\x01.")
    report = _compile(secretariat, record, django_capture_on_commit_callbacks)
    assert report.status == "succeeded", report.error
    with report.pdf.open("rb") as handle:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Slow" in text
    with report.docx.open("rb") as handle:
        xml = Document(io.BytesIO(handle.read())).element.xml
    assert "Slow" in xml and "\x0c" not in xml and "\x01" not in xml
