"""Compiling documents as jobs: ask (once), run (idempotent), notice dead workers, retry.

Every compiled document (the annual programme, the evaluation reports) is a
``ReportJob`` row whose status follows the one workflow below; each app declares its
kind of document once as a :class:`DocumentKind` (the job model, the builder, the
Celery task) and gets from it the services (``request``, ``retry``, ``run``), the
task (:func:`compile_task`), and, in ``job_views``/``job_api``, the pages and the API.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit
from .errors import DomainError
from .models import ReportJob
from .sequences import DOCUMENT, next_number
from .workflow import Workflow, move

log = logging.getLogger(__name__)
S = ReportJob.Status

Builder = Callable[[ReportJob, "Progress"], tuple[bytes, bytes]]
J = TypeVar("J", bound=ReportJob)

# The life of every compiled document. The worker moves a job to running (again,
# when a worker died and the message came back), to succeeded or to failed; the
# sweep fails a running job whose worker stopped beating; the Secretariat retries a
# failed one. A build that finishes after the sweep (or a retry) gave up on it
# still succeeds: its files are there.
WORKFLOW = Workflow(
    ReportJob,
    moves=(
        move("run", {S.QUEUED, S.RUNNING, S.FAILED}, S.RUNNING, gettext_lazy("Compile")),
        move("succeed", {S.RUNNING, S.FAILED, S.QUEUED}, S.SUCCEEDED, gettext_lazy("Done")),
        move("fail", {S.QUEUED, S.RUNNING}, S.FAILED, gettext_lazy("Failed")),
        move("retry", {S.FAILED}, S.QUEUED, gettext_lazy("Retry")),
    ),
    groups={"active": ReportJob.ACTIVE, "done": frozenset({S.SUCCEEDED, S.FAILED})},
    noun=gettext_lazy("document"),
)
ACTIVE = WORKFLOW.group("active")


def next_document_reference(year: int) -> str:
    """P-PG (YEAR) N, N counting up within the year (never reused)."""
    return f"P-PG ({year}) {next_number(DOCUMENT, year)}"


def request_job(
    model: type[J], *, actor: Any, enqueue: Callable[[int], None], **key: Any
) -> tuple[J, bool]:
    """The queued or running job for this document, or a new one queued on commit.

    Returns (job, created). A partial unique constraint backs the "one active job
    per document" rule when two people press "compile" at the same moment.
    """
    with transaction.atomic():
        active = model._default_manager.select_for_update().filter(status__in=ACTIVE, **key)
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
                job = model._default_manager.create(
                    reference=next_document_reference(today.year),
                    document_date=today,
                    requested_by=actor,
                    **key,
                )
        except IntegrityError:
            return model._default_manager.get(status__in=ACTIVE, **key), False
        audit.record(job, audit.Kind.JOB, actor, to_state=job.status)
        transaction.on_commit(lambda: enqueue(job.pk))
        return job, True


def enqueue(task: Any, job_id: int) -> None:
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


def _run_in_thread(task: Any, job_id: int) -> None:
    from django.db import connections

    try:
        task.apply(args=[job_id], throw=False)
    except Exception:  # the task has recorded the failure on the job; keep the thread quiet
        log.exception("compile job %s failed in the development thread", job_id)
    finally:
        connections.close_all()


def retry_job(job: J, *, actor: Any, enqueue: Callable[[int], None]) -> J:
    """Queue a failed job again (same reference: it is the same document)."""
    with transaction.atomic():
        job.status = type(job)._default_manager.values_list("status", flat=True).get(pk=job.pk)
        if job.status != S.FAILED:
            raise DomainError(_("Only a failed compilation can be retried."))
        WORKFLOW.move(job, S.QUEUED, actor, check_permission=False, progress=0, error="")
        transaction.on_commit(lambda: enqueue(job.pk))
    job.refresh_from_db()
    return job


STALE_ERROR = gettext_lazy(
    "The worker compiling this document stopped (it was restarted or ran out of "
    "memory). Press “Retry” to compile it again."
)


def mark_stale(model: type[ReportJob], now: dt.datetime | None = None) -> int:
    """Jobs "running" whose worker stopped beating past the timeout become failed.

    Asked by every page and API answer that shows a job, so when nothing is stale it
    costs one query; a stale row is locked (its worker, if it still lives, waits to
    beat) and moved to failed with its history.
    """
    now = now or timezone.now()
    limit = now - dt.timedelta(seconds=settings.REPORT_JOB_STALE_SECONDS)
    stale = model._default_manager.filter(status=S.RUNNING, heartbeat_at__lt=limit)
    if not stale.exists():
        return 0
    failed = 0
    with transaction.atomic():
        for job in stale.select_for_update(skip_locked=True):
            WORKFLOW.move(job, S.FAILED, None, finished_at=now, error=str(STALE_ERROR))
            failed += 1
    return failed


def mark_stale_everywhere(now: dt.datetime | None = None) -> int:
    """The sweep over every kind of compiled document (run by beat)."""
    models = [m for m in apps.get_models() if issubclass(m, ReportJob)]
    return sum(mark_stale(model, now) for model in models)


class Progress:
    """Passed to a document builder: records progress and the worker's heartbeat."""

    def __init__(self, job: ReportJob) -> None:
        self.job = job

    def __call__(self, percent: int) -> None:
        type(self.job)._default_manager.filter(pk=self.job.pk).update(
            progress=min(max(percent, 0), 99), heartbeat_at=timezone.now()
        )


def run_job(model: type[ReportJob], job_id: int, build: Builder) -> str:
    """Compile the document of ``job_id`` (idempotent).

    A job already succeeded is left as it is; a job picked up again after its
    worker died starts over and overwrites the same two files, so one set of
    files exists whatever the number of runs.
    """
    with transaction.atomic():
        job = model._default_manager.select_for_update().filter(pk=job_id).first()
        if job is None or job.status == S.SUCCEEDED:
            return "nothing to do"
        now = timezone.now()
        again = job.status == S.RUNNING
        WORKFLOW.move(
            job,
            S.RUNNING,
            None,
            comment=_("Started again: the worker compiling it had stopped.") if again else "",
            progress=1,
            error="",
            started_at=now,
            heartbeat_at=now,
            attempts=job.attempts + 1,
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
    with transaction.atomic():
        # The sweep may have failed it, or a second worker finished it, meanwhile.
        job.status = (
            model._default_manager.select_for_update()
            .values_list("status", flat=True)
            .get(pk=job.pk)
        )
        if job.status == S.SUCCEEDED:
            return "succeeded"
        now = timezone.now()
        WORKFLOW.move(
            job,
            S.SUCCEEDED,
            None,
            progress=100,
            finished_at=now,
            heartbeat_at=now,
            pdf=job.pdf.name,
            docx=job.docx.name,
        )
    return "succeeded"


def fail_job(model: type[ReportJob], job_id: int, error: Exception) -> None:
    """The last retry failed: record the error in plain words."""
    log.exception("compiling %s %s failed", model.__name__, job_id, exc_info=error)
    with transaction.atomic():
        job = (
            model._default_manager.select_for_update().filter(pk=job_id, status__in=ACTIVE).first()
        )
        if job is None:  # succeeded meanwhile, or already failed by the sweep
            return
        WORKFLOW.move(
            job,
            S.FAILED,
            None,
            finished_at=timezone.now(),
            error=_(
                "The document could not be compiled: %(error)s. Press “Retry”; if it fails "
                "again, tell the portal's administrators."
            )
            % {"error": error},
        )


def run_in_task(
    task: Any, model: type[ReportJob], job_id: int, runner: Callable[[int], str]
) -> str:
    """The body of every compile task: run, and on error retry with exponential
    backoff and jitter (2, 4, 8, 16, 32 s), at most ``task.max_retries`` times; then
    record the failure. Run in process (no broker) a retry cannot be scheduled, so
    it fails at once."""
    try:
        return runner(job_id)
    except Exception as exc:
        if task.request.is_eager or task.request.retries >= task.max_retries:
            fail_job(model, job_id, exc)
            raise
        jitter = random.random()  # noqa: S311 (timing only, not security)
        raise task.retry(exc=exc, countdown=2 ** (task.request.retries + 1) + jitter) from exc


@dataclass(frozen=True)
class DocumentKind(Generic[J]):
    """One kind of compiled document, declared once by its app (``<app>/jobs.py``).

    ``build`` and ``task`` are dotted paths, looked up when used: the builder pulls in
    the PDF and DOCX libraries, which a page asking for a compile does not need, and
    the task module imports the app's services.
    """

    model: type[J]
    build: str  # "activities.documents.build": build(job, progress) -> (pdf, docx)
    task: str  # "activities.tasks.compile_annual_programme"

    def request(self, *, actor: Any, **key: Any) -> tuple[J, bool]:
        """The active job for this document, or a new one queued on commit."""
        return request_job(self.model, actor=actor, enqueue=self.enqueue, **key)

    def retry(self, job: J, *, actor: Any) -> J:
        return retry_job(job, actor=actor, enqueue=self.enqueue)

    def run(self, job_id: int) -> str:
        """Compile one document (called by the Celery task; idempotent)."""
        return run_job(self.model, job_id, import_string(self.build))

    def enqueue(self, job_id: int) -> None:
        enqueue(import_string(self.task), job_id)

    def mark_stale(self) -> int:
        return mark_stale(self.model)


def compile_task(kind: DocumentKind[Any], *, name: str) -> Any:
    """The Celery task that compiles documents of ``kind``: late acknowledgement and
    rejected when the worker is lost (the message comes back to another worker),
    five retries with backoff, then the job is failed with its error."""

    def compile_document(self: Any, job_id: int) -> str:
        return run_in_task(self, kind.model, job_id, kind.run)

    compile_document.__doc__ = f"Build the PDF and DOCX of a {kind.model.__name__}."
    return shared_task(
        bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5, name=name
    )(compile_document)
