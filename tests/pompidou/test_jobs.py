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


@pytest.fixture
def sent(monkeypatch):
    """The compile messages handed to the queue: (job id, attempt token)."""
    messages: list[tuple[int, str]] = []
    monkeypatch.setattr(
        jobs.DocumentKind,
        "enqueue",
        lambda self, job_id, attempt: messages.append((job_id, attempt)),
    )
    return messages


def _silence(job, settings, **fields):
    since = timezone.now() - dt.timedelta(seconds=settings.REPORT_JOB_STALE_SECONDS + 5)
    AnnualProgrammeDocument.objects.filter(pk=job.pk).update(heartbeat_at=since, **fields)


def test_the_sweep_gives_a_dead_workers_job_to_another_under_a_new_token(
    ap, secretariat, settings, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = KIND.request(actor=secretariat, annual_programme=ap)
    first_token = str(job.attempt)
    assert sent == [(job.pk, first_token)]
    assert KIND.run(job.pk, first_token, heartbeat=False) == "succeeded"
    # The same document compiled again, and its worker dies one second in.
    AnnualProgrammeDocument.objects.filter(pk=job.pk).update(status="running", attempts=1)
    _silence(job, settings)

    assert jobs.sweep(AnnualProgrammeDocument) == {"restarted": 1, "failed": 0, "sent": 1}
    assert jobs.sweep(AnnualProgrammeDocument) == {"restarted": 0, "failed": 0, "sent": 0}
    job.refresh_from_db()
    new_token = str(job.attempt)
    assert job.status == "queued" and new_token != first_token and job.dispatched_at
    assert sent[-1] == (job.pk, new_token)
    # The dead worker's message, handed out again by the broker, runs nothing.
    assert KIND.run(job.pk, first_token) == "superseded"
    assert KIND.run(job.pk, new_token) == "succeeded"
    assert KIND.run(job.pk, new_token) == "nothing to do"
    job.refresh_from_db()
    assert job.status == "succeeded" and job.attempts == 2
    assert _moves(job)[-3:] == [
        ("status", "running", "queued", None),
        ("status", "queued", "running", None),
        ("status", "running", "succeeded", None),
    ]


def test_a_message_redelivered_while_its_worker_lives_runs_nothing(
    ap, secretariat, settings, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = KIND.request(actor=secretariat, annual_programme=ap)
    token = str(job.attempt)
    AnnualProgrammeDocument.objects.filter(pk=job.pk).update(
        status="running", heartbeat_at=timezone.now(), attempts=1
    )
    assert KIND.run(job.pk, token) == "running elsewhere"
    # Its worker was lost (the broker gives the message back at once): the same
    # token takes the job over once the heartbeat has stopped.
    _silence(job, settings)
    assert KIND.run(job.pk, token) == "succeeded"
    job.refresh_from_db()
    assert job.attempts == 2


def test_after_too_many_deaths_the_sweep_fails_it_and_the_secretariat_retries(
    ap, secretariat, settings, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = KIND.request(actor=secretariat, annual_programme=ap)
    old_token = str(job.attempt)
    _silence(job, settings, status="running", attempts=settings.REPORT_JOB_MAX_ATTEMPTS)
    counts = jobs.sweep_everywhere()
    assert (counts["restarted"], counts["failed"], counts["sent"]) == (0, 1, 0)
    job.refresh_from_db()
    assert job.status == "failed" and "Retry" in job.error
    with django_capture_on_commit_callbacks(execute=True):
        KIND.retry(job, actor=secretariat)
    job.refresh_from_db()
    assert job.status == "queued" and job.error == "" and str(job.attempt) != old_token
    assert sent[-1] == (job.pk, str(job.attempt))
    # The message of before the retry, handed out again: nothing runs.
    assert KIND.run(job.pk, old_token) == "superseded"
    assert _moves(job)[-2:] == [
        ("status", "running", "failed", None),
        ("status", "failed", "queued", "secretariat"),
    ]


def test_a_queue_that_is_down_leaves_a_job_that_is_sent_again(
    ap, secretariat, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from pompidou.queue import QueueUnavailable

    messages: list[tuple[int, str]] = []
    up = False

    def enqueue(self, job_id, attempt):
        if not up:
            raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
        messages.append((job_id, attempt))

    monkeypatch.setattr(jobs.DocumentKind, "enqueue", enqueue)
    with (
        pytest.raises(QueueUnavailable, match="job queue is unavailable"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        KIND.request(actor=secretariat, annual_programme=ap)
    job = AnnualProgrammeDocument.objects.get()
    assert job.status == "queued" and job.dispatched_at is None  # saved, not sent
    # Asking again tries again: still down, still the same job.
    with (
        pytest.raises(QueueUnavailable),
        django_capture_on_commit_callbacks(execute=True),
    ):
        KIND.request(actor=secretariat, annual_programme=ap)
    assert AnnualProgrammeDocument.objects.count() == 1
    # The sweep, while the queue is down, leaves it as it is.
    settings.JOB_DISPATCH_GRACE_SECONDS = 0
    assert jobs.sweep(AnnualProgrammeDocument)["sent"] == 0
    up = True
    # "Send again" on the page (the retry service) hands it over, with no new move.
    with django_capture_on_commit_callbacks(execute=True):
        KIND.retry(job, actor=secretariat)
    job.refresh_from_db()
    assert messages == [(job.pk, str(job.attempt))] and job.dispatched_at
    assert [m[2] for m in _moves(job)] == ["queued"]


def test_the_sweep_sends_a_job_the_queue_never_took(
    ap, secretariat, settings, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the request died before sending
        job, _ = KIND.request(actor=secretariat, annual_programme=ap)
    assert jobs.sweep(AnnualProgrammeDocument)["sent"] == 0  # within the grace period
    settings.JOB_DISPATCH_GRACE_SECONDS = 0
    assert jobs.sweep(AnnualProgrammeDocument)["sent"] == 1
    assert sent == [(job.pk, str(job.attempt))]
    assert jobs.sweep(AnnualProgrammeDocument)["sent"] == 0


def test_only_a_failed_job_is_retried(ap, secretariat, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
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
    assert jobs.WORKFLOW.targets("failed") == {"succeeded", "queued"}
    assert jobs.WORKFLOW.targets("running") == {"running", "succeeded", "failed", "queued"}
    assert jobs.WORKFLOW.is_final("succeeded")
