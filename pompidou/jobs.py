"""Compiling documents as jobs: ask (once), run (idempotent), notice dead workers, retry.

The Celery tasks only call ``run_job``; the page and the API only call
``request_job`` and ``retry_job``.
"""

import datetime as dt
import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import DocumentSequence, ReportJob

log = logging.getLogger(__name__)
S = ReportJob.Status


def next_document_reference(year: int) -> str:
    """P-PG (YEAR) N, N counting up within the year (never reused)."""
    DocumentSequence.objects.get_or_create(year=year)
    seq = DocumentSequence.objects.select_for_update().get(year=year)
    seq.last_number += 1
    seq.save(update_fields=["last_number"])
    return f"P-PG ({year}) {seq.last_number}"


def request_job(
    model: type[ReportJob], *, actor, enqueue: Callable[[int], None], **key
) -> tuple[ReportJob, bool]:
    """The queued or running job for this document, or a new one queued on commit.

    Returns (job, created). A partial unique constraint backs the "one active job
    per document" rule when two people press "compile" at the same moment.
    """
    with transaction.atomic():
        active = model.objects.select_for_update().filter(status__in=ReportJob.ACTIVE, **key)
        job = active.first()
        if job is not None:
            return job, False
        # A document is numbered in the year it is issued, as the Council of Europe
        # numbers its documents: the 2016 annual programme compiled today is
        # P-PG (<this year>) N, its document date today. The reference year is the
        # document date's year, never the year of what the document covers (the
        # demo compiles no document, so it has no reference outside its period).
        today = timezone.localdate()
        try:
            with transaction.atomic():
                job = model.objects.create(
                    reference=next_document_reference(today.year),
                    document_date=today,
                    requested_by=actor,
                    **key,
                )
        except IntegrityError:
            return model.objects.get(status__in=ReportJob.ACTIVE, **key), False
        transaction.on_commit(lambda: enqueue(job.pk))
        return job, True


def enqueue(task, job_id: int) -> None:
    """Send a compile task to the worker.

    Without a broker (development: tasks run eagerly) the task would run inside
    the request and hold the page for the seconds a compile takes, with no
    progress to show. With DEBUG on, it runs in a background thread instead, so
    the page comes back at once and follows the job like it does with a worker.
    Tests (DEBUG off) keep running it in process, synchronously.
    """
    if settings.CELERY_TASK_ALWAYS_EAGER and settings.DEBUG:
        threading.Thread(
            target=_run_in_thread, args=(task, job_id), name=f"job-{job_id}", daemon=True
        ).start()
    else:
        task.delay(job_id)


def _run_in_thread(task, job_id: int) -> None:
    from django.db import connections

    try:
        task.apply(args=[job_id], throw=False)
    except Exception:  # the task has recorded the failure on the job; keep the thread quiet
        log.exception("compile job %s failed in the development thread", job_id)
    finally:
        connections.close_all()


def retry_job(job: ReportJob, *, enqueue: Callable[[int], None]) -> ReportJob:
    """Queue a failed job again (same reference: it is the same document)."""
    with transaction.atomic():
        changed = (
            type(job)
            .objects.filter(pk=job.pk, status=S.FAILED)
            .update(status=S.QUEUED, progress=0, error="", updated_at=timezone.now())
        )
        if changed != 1:
            raise DomainError(_("Only a failed compilation can be retried."))
        transaction.on_commit(lambda: enqueue(job.pk))
    job.refresh_from_db()
    return job


def mark_stale(model: type[ReportJob], now: dt.datetime | None = None) -> int:
    """Jobs "running" whose worker stopped beating past the timeout become failed."""
    now = now or timezone.now()
    limit = now - dt.timedelta(seconds=settings.REPORT_JOB_STALE_SECONDS)
    return model.objects.filter(status=S.RUNNING, heartbeat_at__lt=limit).update(
        status=S.FAILED,
        finished_at=now,
        error=_(
            "The worker compiling this document stopped (it was restarted or ran out of "
            "memory). Press “Retry” to compile it again."
        ),
    )


class Progress:
    """Passed to a document builder: records progress and the worker's heartbeat."""

    def __init__(self, job: ReportJob):
        self.job = job

    def __call__(self, percent: int) -> None:
        type(self.job).objects.filter(pk=self.job.pk).update(
            progress=min(max(percent, 0), 99), heartbeat_at=timezone.now()
        )


def run_job(
    model: type[ReportJob], job_id: int, build: Callable[[ReportJob, Progress], tuple[bytes, bytes]]
) -> str:
    """Compile the document of ``job_id`` (idempotent).

    A job already succeeded is left as it is; a job picked up again after its
    worker died starts over and overwrites the same two files, so one set of
    files exists whatever the number of runs.
    """
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status == S.SUCCEEDED:
            return "nothing to do"
        now = timezone.now()
        job.status, job.progress, job.error = S.RUNNING, 1, ""
        job.started_at = job.heartbeat_at = now
        job.attempts += 1
        job.save(
            update_fields=[
                "status",
                "progress",
                "error",
                "started_at",
                "heartbeat_at",
                "attempts",
                "updated_at",
            ]
        )
    pdf, docx = build(job, Progress(job))
    for field, content, extension in (("pdf", pdf, "pdf"), ("docx", docx, "docx")):
        stored = getattr(job, field)
        name = f"{job.file_stem}.{extension}"
        if stored:
            stored.delete(save=False)
        # The storage path is fixed by the reference, so a second run replaces the
        # first run's file instead of adding one beside it.
        storage = stored.storage
        path = stored.field.generate_filename(job, name)
        if storage.exists(path):
            storage.delete(path)
        stored.save(name, ContentFile(content), save=False)
    model.objects.filter(pk=job.pk).update(
        status=S.SUCCEEDED,
        progress=100,
        finished_at=timezone.now(),
        pdf=job.pdf.name,
        docx=job.docx.name,
        heartbeat_at=timezone.now(),
    )
    return "succeeded"


def fail_job(model: type[ReportJob], job_id: int, error: Exception) -> None:
    """The last retry failed: record the error in plain words."""
    log.exception("compiling %s %s failed", model.__name__, job_id, exc_info=error)
    model.objects.filter(pk=job_id).exclude(status=S.SUCCEEDED).update(
        status=S.FAILED,
        finished_at=timezone.now(),
        error=_(
            "The document could not be compiled: %(error)s. Press “Retry”; if it fails "
            "again, tell the portal's administrators."
        )
        % {"error": error},
    )


def job_model_label(job: Model) -> str:
    return job._meta.label_lower


def run_in_task(task, model: type[ReportJob], job_id: int, runner: Callable[[int], str]) -> str:
    """The body of every compile task: run, and on error retry with exponential
    backoff and jitter (2, 4, 8, 16, 32 s), at most ``task.max_retries`` times; then
    record the failure. Run in process (no broker) a retry cannot be scheduled, so
    it fails at once."""
    import random

    try:
        return runner(job_id)
    except Exception as exc:
        if task.request.is_eager or task.request.retries >= task.max_retries:
            fail_job(model, job_id, exc)
            raise
        jitter = random.random()  # noqa: S311 (timing only, not security)
        raise task.retry(exc=exc, countdown=2 ** (task.request.retries + 1) + jitter) from exc
