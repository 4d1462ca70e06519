"""A real Celery worker on the broker (Redis in CI) and PostgreSQL: documents compiled
end to end, and a worker killed mid-compile whose job another worker finishes.

Without CELERY_BROKER_URL (a fresh machine) the same compile runs eagerly in the
other tests and these are skipped with the reason.
"""

import io
import os
import signal
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from activities import services
from activities.models import AnnualProgrammeDocument
from tests.activities.factories import add_seminars
from tests.jobs.stack import Stack, database_url

ROOT = Path(__file__).resolve().parents[2]
# The workers these tests start consume the one broker queue: under pytest-xdist
# (`make test` runs `--dist loadgroup`) they all run in the same process, one after
# the other, so no worker takes a task sent by another test to another database.
pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("celery-broker")]


@pytest.fixture
def real_worker_setup(transactional_db, settings, tmp_path):
    if not os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("no broker: set CELERY_BROKER_URL (Redis) to run a real worker")
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a shared database server (PostgreSQL)")
    from pompidou.celery import app

    app.control.purge()
    settings.MEDIA_ROOT = tmp_path
    processes = Stack(
        {**os.environ, "DATABASE_URL": database_url(), "MEDIA_ROOT": str(tmp_path)}, tmp_path
    )
    yield processes.worker, tmp_path
    processes.stop()


def _year_of(programme, secretariat, size: int):
    ap = services.annual_programme_create(
        actor=secretariat, work_programme=programme, year=2016, budget_ceiling=Decimal("1000000")
    )
    add_seminars(ap, size)
    return ap


def _wait(document, until, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if until(document):
            return document
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting; job is {document.status} at {document.progress}%")


def test_a_real_worker_compiles_the_annual_programme(real_worker_setup, programme, secretariat):
    start, media = real_worker_setup
    start()
    ap = _year_of(programme, secretariat, 5)
    document, created = services.annual_programme_compile(annual_programme=ap, actor=secretariat)
    assert created
    document = _wait(document, lambda d: d.status in ("succeeded", "failed"))
    assert document.status == "succeeded", document.error
    from docx import Document
    from pypdf import PdfReader

    # Words, whatever line a narrow title column wraps them onto.
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(document.pdf.path).pages).split())
    assert "Seminar number 1 " in text and "Seminar number 5 " in text
    headings = [
        p.text
        for p in Document(document.docx.path).paragraphs
        if p.style.name.startswith("Heading")
    ]
    assert "3. Activities by thematic priority" in headings


def _succeeded_events(document) -> int:
    from pompidou.audit import events_of

    return events_of(document).filter(to_state="succeeded").count()


def test_a_killed_worker_leaves_its_job_to_another_that_finishes_it(
    real_worker_setup, programme, secretariat
):
    """With the shipped settings (no shortened timeout): SIGKILL one second into the
    compile, start another worker, and the job completes within two minutes of it
    starting, nobody acting, with one set of files, built to the end once."""
    start, media = real_worker_setup
    first = start()
    ap = _year_of(programme, secretariat, 300)
    document, _ = services.annual_programme_compile(annual_programme=ap, actor=secretariat)
    _wait(document, lambda d: d.status == "running" and d.progress >= 1)
    time.sleep(1)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    document.refresh_from_db()
    assert document.status == "running"  # died mid-compile
    started = time.monotonic()
    start()
    document = _wait(document, lambda d: d.status == "succeeded", timeout=120)
    print(f"completed {time.monotonic() - started:.0f} s after the second worker started")
    assert document.attempts == 2 and _succeeded_events(document) == 1
    files = sorted(
        p.name for p in media.rglob("*") if p.is_file() and p.suffix in (".pdf", ".docx")
    )
    assert files == [
        f"{document.file_stem}-{language}.{kind}"
        for language in ("EN", "FR")
        for kind in ("docx", "pdf")
    ]
    from pypdf import PdfReader

    with open(document.pdf.path, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    assert "Seminar number 300" in " ".join(
        " ".join(p.extract_text() for p in reader.pages).split()
    )
    assert AnnualProgrammeDocument.objects.count() == 1


def test_a_message_redelivered_after_a_retry_does_not_run_the_job_again(
    real_worker_setup, programme, secretariat
):
    """The worker dies, the job fails (one start allowed here), the Secretariat
    retries and a worker compiles it; the dead worker's message, handed out again
    by the broker, then runs nothing."""
    from activities.tasks import compile_annual_programme

    start, media = real_worker_setup
    quick = {"REPORT_JOB_MAX_ATTEMPTS": "1", "REPORT_JOB_STALE_SECONDS": "10"}
    first = start(**quick)
    ap = _year_of(programme, secretariat, 300)
    document, _ = services.annual_programme_compile(annual_programme=ap, actor=secretariat)
    old_token = str(document.attempt)
    _wait(document, lambda d: d.status == "running" and d.progress >= 1)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    start(**quick)
    document = _wait(document, lambda d: d.status == "failed")
    assert "stopped" in document.error
    document = services.annual_programme_compile_retry(document=document, actor=secretariat)
    document = _wait(document, lambda d: d.status == "succeeded")
    assert str(document.attempt) != old_token and document.attempts == 2
    pdf_written = Path(document.pdf.path).stat().st_mtime_ns

    compile_annual_programme.apply_async(args=[document.pk, old_token])  # the old message
    compile_annual_programme.apply_async(args=[document.pk, str(document.attempt)])  # a duplicate
    deadline = time.monotonic() + 60
    logs = ""
    while (
        time.monotonic() < deadline
        and logs.count("'superseded'") + logs.count("'nothing to do'") < 2
    ):
        time.sleep(0.2)
        logs = (media / "worker1.log").read_text()
    assert "'superseded'" in logs and "'nothing to do'" in logs, logs[-2000:]
    document.refresh_from_db()
    assert document.status == "succeeded" and document.attempts == 2
    assert _succeeded_events(document) == 1
    assert Path(document.pdf.path).stat().st_mtime_ns == pdf_written


def test_a_real_worker_compiles_the_evaluation_report(real_worker_setup, programme, secretariat):
    from evaluation import services as evaluation_services
    from evaluation.models import EvaluationReport

    start, media = real_worker_setup
    start()
    _year_of(programme, secretariat, 4)
    report, created = evaluation_services.evaluation_report_compile(
        actor=secretariat, work_programme=programme, first_year=2016, last_year=2016
    )
    assert created
    report = _wait(report, lambda r: r.status in ("succeeded", "failed"))
    assert report.status == "succeeded", report.error
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(report.pdf.path).pages)
    assert "Evaluation report 2016" in text and "Seminar number 4" in text
    assert EvaluationReport.objects.count() == 1


def test_a_real_workers_progress_moves_while_it_prints_the_pdf(
    real_worker_setup, programme, secretariat
):
    """Read from this process, as the page reads it: the job's progress passes through
    values between the builder's fixed points (20 after reading the data, 70 after the
    PDF) while WeasyPrint lays out a programme of 300 entries."""
    start, media = real_worker_setup
    start()
    ap = _year_of(programme, secretariat, 300)
    document, _ = services.annual_programme_compile(annual_programme=ap, actor=secretariat)
    seen: list[int] = []

    def note(d):
        if d.status == "running":
            seen.append(d.progress)
        return d.status in ("succeeded", "failed")

    document = _wait(document, note, timeout=180)
    assert document.status == "succeeded", document.error
    # The first language counts 0–50 of the job, the second 50–100 (pompidou.jobs.Progress):
    # the English PDF is printed between 10 and 35 %.
    assert [p for p in seen if 10 < p < 35], seen
    assert seen == sorted(seen)
