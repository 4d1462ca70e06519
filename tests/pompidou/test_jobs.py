"""The life of a compiled document goes through the one job workflow: every move
writes its AuditEvent, whoever makes it (the Secretariat, the worker, the sweep)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from activities import services
from activities.models import AnnualProgrammeDocument
from pompidou import audit, jobs
from pompidou.errors import DomainError

KIND = jobs.DocumentKind(
    AnnualProgrammeDocument,
    build="tests.pompidou.test_jobs.fake_build",
    task="activities.tasks.compile_annual_programme",
)


def fake_build(job, progress):
    progress(50)
    return b"%PDF-1.4 fake", b"PK fake"


@pytest.fixture
def ap(programme, secretariat, media):
    return services.annual_programme_create(
        actor=secretariat, work_programme=programme, year=2016, budget_ceiling=Decimal("1000")
    )


def _moves(job) -> list[tuple[str, str, str, str | None]]:
    return [
        (e.kind, e.from_state, e.to_state, e.actor.username if e.actor else None)
        for e in audit.events_of(job)
    ]


def test_a_compiled_document_leaves_one_event_per_move(
    ap, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job, created = KIND.request(actor=secretariat, annual_programme=ap)
    assert created
    assert KIND.run(job.pk) == "succeeded"
    job.refresh_from_db()
    assert job.status == "succeeded" and job.progress == 100 and job.attempts == 1
    assert _moves(job) == [
        ("job", "", "queued", "secretariat"),
        ("status", "queued", "running", None),
        ("status", "running", "succeeded", None),
    ]
    assert KIND.run(job.pk) == "nothing to do"  # a redelivered message
    assert audit.events_of(job).count() == 3  # and it wrote no event


def test_the_sweep_fails_a_silent_worker_and_the_secretariat_retries(
    ap, secretariat, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job, _ = KIND.request(actor=secretariat, annual_programme=ap)
    silent_since = timezone.now() - dt.timedelta(seconds=settings.REPORT_JOB_STALE_SECONDS + 5)
    AnnualProgrammeDocument.objects.filter(pk=job.pk).update(
        status="running", heartbeat_at=silent_since
    )
    assert jobs.mark_stale_everywhere() == 1
    assert jobs.mark_stale_everywhere() == 0  # one query, nothing to do
    job.refresh_from_db()
    assert job.status == "failed" and "Retry" in job.error
    with django_capture_on_commit_callbacks(execute=False) as queued:
        KIND.retry(job, actor=secretariat)
    assert len(queued) == 1  # the compile task, sent on commit
    job.refresh_from_db()
    assert job.status == "queued" and job.error == ""
    assert _moves(job)[-2:] == [
        ("status", "running", "failed", None),
        ("status", "failed", "queued", "secretariat"),
    ]


def test_only_a_failed_job_is_retried(ap, secretariat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job, _ = KIND.request(actor=secretariat, annual_programme=ap)
    with pytest.raises(DomainError, match="Only a failed compilation can be retried"):
        KIND.retry(job, actor=secretariat)
    assert [m[2] for m in _moves(job)] == ["queued"]


def test_a_build_that_ends_after_the_sweep_gave_up_still_succeeds(
    ap, secretariat, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job, _ = KIND.request(actor=secretariat, annual_programme=ap)

    build = fake_build

    def slow_build(job, progress):
        # The sweep fails the job while the worker is still building it.
        AnnualProgrammeDocument.objects.filter(pk=job.pk).update(status="failed")
        return build(job, progress)

    monkeypatch.setattr("tests.pompidou.test_jobs.fake_build", slow_build)
    assert KIND.run(job.pk) == "succeeded"
    job.refresh_from_db()
    assert job.status == "succeeded" and job.pdf.name.endswith(".pdf")
    assert _moves(job)[-1][1:3] == ("failed", "succeeded")


def test_the_job_workflow_names_its_active_states_once():
    assert jobs.WORKFLOW.group("active") == AnnualProgrammeDocument.ACTIVE
    assert jobs.WORKFLOW.targets("failed") == {"running", "succeeded", "queued"}
    assert jobs.WORKFLOW.is_final("succeeded")
