import datetime as dt
import io

import pytest
from rest_framework.test import APIClient

from evaluation import services
from evaluation.models import EvaluationReport
from pompidou.errors import DomainError, PermissionDenied
from tests.activities.factories import ActivityFactory


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
    assert job["status"] == "succeeded" and job["pdf"].endswith("/pdf/")
