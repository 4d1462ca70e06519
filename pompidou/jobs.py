"""Compiling documents as jobs: ask (once), run (idempotent), notice dead workers, retry.

Every compiled document (the annual programme, the evaluation reports) is a
``ReportJob`` row whose status follows the one workflow below; each app declares its
kind of document once as a :class:`DocumentKind` (the job model, the builder, the
Celery task) and gets from it the services (``request``, ``retry``, ``run``), the
task (:func:`compile_task`), and, in ``job_views``/``job_api``, the pages and the API.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any, Generic, TypeVar

from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit
from .errors import DomainError
from .models import ReportJob, WorkProgrammeDocument
from .queue import QueueUnavailable, publish
from .sequences import DOCUMENT, next_number
from .workflow import Workflow, move

log = logging.getLogger(__name__)
S = ReportJob.Status

Builder = Callable[[ReportJob, "Progress"], tuple[bytes, bytes]]
Enqueue = Callable[[int, str], None]
J = TypeVar("J", bound=ReportJob)

# The life of every compiled document. A worker moves a job to running, to
# succeeded or to failed. The sweep puts a running job whose worker stopped beating
# back in the queue under a new attempt token (another worker takes it over) or,
# after REPORT_JOB_MAX_ATTEMPTS, fails it; the Secretariat retries a failed one. A
# build that finishes after the sweep failed it still succeeds: its files are there.
WORKFLOW = Workflow(
    ReportJob,
    moves=(
        move("run", {S.QUEUED, S.RUNNING}, S.RUNNING, gettext_lazy("Compile")),
        move("succeed", {S.RUNNING, S.FAILED}, S.SUCCEEDED, gettext_lazy("Done")),
        move("fail", {S.QUEUED, S.RUNNING}, S.FAILED, gettext_lazy("Failed")),
        move("requeue", {S.RUNNING}, S.QUEUED, gettext_lazy("Queued again")),
        move("retry", {S.FAILED}, S.QUEUED, gettext_lazy("Retry")),
    ),
    groups={"active": ReportJob.ACTIVE, "done": frozenset({S.SUCCEEDED, S.FAILED})},
    noun=gettext_lazy("document"),
)
ACTIVE = WORKFLOW.group("active")


def next_document_reference(year: int) -> str:
    """P-PG (YEAR) N, N counting up within the year (never reused)."""
    return f"P-PG ({year}) {next_number(DOCUMENT, year)}"


def new_attempt() -> uuid.UUID:
    return uuid.uuid4()


def request_job(
    model: type[J],
    *,
    actor: Any,
    enqueue: Enqueue,
    reference: Callable[[int], str] = next_document_reference,
    **key: Any,
) -> tuple[J, bool]:
    """The queued or running job for this document, or a new one queued on commit.

    Returns (job, created). A partial unique constraint backs the "one active job
    per document" rule when two people press "compile" at the same moment. A queued
    job the job queue never took (it was down) is handed to it again: asking again
    is how a person "tries again". When the queue still does not answer, the job
    stays queued (the sweep sends it later) and :class:`QueueUnavailable` tells the
    person so (a 503). ``reference`` numbers a new job from its year (P-PG (YEAR) N
    unless the kind has a series of its own).
    """
    with transaction.atomic():
        active = model._default_manager.select_for_update().filter(status__in=ACTIVE, **key)
        job = active.first()
        if job is not None:
            if job.status == S.QUEUED and job.dispatched_at is None:
                _dispatch_on_commit(job, enqueue)
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
                    reference=reference(today.year),
                    document_date=today,
                    requested_by=actor,
                    attempt=new_attempt(),
                    **key,
                )
        except IntegrityError:
            return model._default_manager.get(status__in=ACTIVE, **key), False
        audit.record(job, audit.Kind.JOB, actor, to_state=job.status)
        _dispatch_on_commit(job, enqueue)
        return job, True


def _dispatch_on_commit(job: ReportJob, enqueue: Enqueue) -> None:
    model, pk, attempt = type(job), job.pk, job.attempt
    transaction.on_commit(lambda: dispatch(model, pk, attempt, enqueue))


def dispatch(model: type[ReportJob], job_id: int, attempt: Any, enqueue: Enqueue) -> None:
    """Hand the job's message (its id and attempt token) to the queue and note when.

    Raises :class:`QueueUnavailable` when the queue does not answer; the job stays
    queued with no ``dispatched_at``, which the page shows and the sweep resends.
    """
    publish(lambda: enqueue(job_id, str(attempt)), f"{model.__name__} {job_id}")
    model._default_manager.filter(pk=job_id, attempt=attempt).update(dispatched_at=timezone.now())


def enqueue(task: Any, job_id: int, attempt: str) -> None:
    """Send a compile task to the worker.

    Without a broker (development: tasks run eagerly) the task would run inside
    the request and hold the page for the seconds a compile takes, with no
    progress to show. With DEBUG on, it runs in a background thread instead, so
    the page comes back at once and follows the job like it does with a worker.
    Tests (DEBUG off) keep running it in process, synchronously.
    """
    if settings.CELERY_TASK_ALWAYS_EAGER and settings.DEBUG:
        threading.Thread(
            target=_run_in_thread, args=(task, job_id, attempt), name=f"job-{job_id}", daemon=True
        ).start()
    else:
        task.delay(job_id, attempt)


def _run_in_thread(task: Any, job_id: int, attempt: str) -> None:
    from django.db import connections

    try:
        task.apply(args=[job_id, attempt], throw=False)
    except Exception:  # the task has recorded the failure on the job; keep the thread quiet
        log.exception("compile job %s failed in the development thread", job_id)
    finally:
        connections.close_all()


def retry_job(job: J, *, actor: Any, enqueue: Enqueue) -> J:
    """Queue a failed job again (same reference: it is the same document) under a
    new attempt token, or hand a queued job the queue never took to it again."""
    with transaction.atomic():
        row = type(job)._default_manager.select_for_update().get(pk=job.pk)
        job.status = row.status
        if row.status == S.FAILED:
            WORKFLOW.move(
                job,
                S.QUEUED,
                actor,
                check_permission=False,
                progress=0,
                error="",
                attempt=new_attempt(),
                dispatched_at=None,
            )
        elif not (row.status == S.QUEUED and row.dispatched_at is None):
            raise DomainError(_("Only a failed compilation can be retried."))
        else:
            job.attempt = row.attempt
        _dispatch_on_commit(job, enqueue)
    job.refresh_from_db()
    return job


STALE_ERROR = gettext_lazy(
    "The worker compiling this document stopped (it was restarted or ran out of "
    "memory) several times. Press “Retry” to compile it again; if it stops again, "
    "tell the portal's administrators."
)


def _stale_limit(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=settings.REPORT_JOB_STALE_SECONDS)


def sweep(model: type[ReportJob], now: dt.datetime | None = None) -> dict[str, int]:
    """Recover the jobs of one kind that no worker will finish without help.

    - A job "running" whose worker stopped beating for REPORT_JOB_STALE_SECONDS is
      queued again under a new attempt token, so another worker takes it over (the
      dead worker's message, if the broker hands it out again, runs nothing); after
      REPORT_JOB_MAX_ATTEMPTS starts it fails instead, with a message.
    - A job "queued" that the queue never took (it was down), or took so long ago
      that its message must be lost, is handed to the queue again (same token: the
      first of its messages to arrive runs it, the others nothing).

    Called by every worker every JOB_SWEEP_SECONDS and by the pages that show a job;
    when nothing is to be done it costs one query.
    """
    now = now or timezone.now()
    counts = {"restarted": 0, "failed": 0, "sent": 0}
    manager = model._default_manager
    grace = dt.timedelta(seconds=settings.JOB_DISPATCH_GRACE_SECONDS)
    lost = dt.timedelta(seconds=settings.JOB_REDISPATCH_SECONDS)
    stale = Q(status=S.RUNNING, heartbeat_at__lt=_stale_limit(now))
    unsent = Q(status=S.QUEUED) & (
        Q(dispatched_at=None, updated_at__lt=now - grace) | Q(dispatched_at__lt=now - lost)
    )
    found = list(manager.filter(stale | unsent))  # one query when all is well
    if not found:
        return counts
    to_send: list[ReportJob] = [job for job in found if job.status == S.QUEUED]
    if any(job.status == S.RUNNING for job in found):
        with transaction.atomic():
            for job in manager.filter(stale).select_for_update(skip_locked=True):
                if job.attempts >= settings.REPORT_JOB_MAX_ATTEMPTS:
                    WORKFLOW.move(job, S.FAILED, None, finished_at=now, error=str(STALE_ERROR))
                    counts["failed"] += 1
                    continue
                WORKFLOW.move(
                    job,
                    S.QUEUED,
                    None,
                    comment=_("The worker compiling it stopped; another worker takes it over."),
                    attempt=new_attempt(),
                    dispatched_at=None,
                    progress=0,
                )
                counts["restarted"] += 1
                to_send.append(job)
    kind = DocumentKind.of(model)
    for job in to_send:
        try:
            dispatch(model, job.pk, job.attempt, kind.enqueue)
        except QueueUnavailable:
            break  # down for the others too; the next sweep tries again
        counts["sent"] += 1
    return counts


# Other kinds of work a worker writes, whose apps sweep them their own way (an app
# registers its function from its AppConfig.ready; pompidou imports no app above it).
SWEEPS: list[Callable[[dt.datetime], dict[str, int]]] = []


def register_sweep(function: Callable[[dt.datetime], dict[str, int]]) -> None:
    if function not in SWEEPS:
        SWEEPS.append(function)


def sweep_everywhere(now: dt.datetime | None = None) -> dict[str, int]:
    """The sweep over every kind of compiled document, then the registered sweeps
    (run by every worker)."""
    now = now or timezone.now()
    totals = {"restarted": 0, "failed": 0, "sent": 0}
    for model in [m for m in apps.get_models() if issubclass(m, ReportJob)]:
        for key, value in sweep(model, now).items():
            totals[key] += value
    for function in SWEEPS:
        totals.update(function(now))
    return totals


# The states in which a started attempt may still finish its build (the sweep may
# have failed it meanwhile: its files are good, it still succeeds).
HELD = (S.RUNNING, S.FAILED)


def _own_row(job: ReportJob, states: tuple[str, ...] = (S.RUNNING,)) -> Any:
    """The job's row while it is still this attempt's, in one of ``states``: what
    progress, the heartbeat and the end of a build write to, and nothing once another
    attempt has taken the job over."""
    return type(job)._default_manager.filter(pk=job.pk, attempt=job.attempt, status__in=states)


class Progress:
    """Passed to a document builder: records progress and the worker's heartbeat
    (only while the job is still this attempt's)."""

    def __init__(self, job: ReportJob, part: int = 0, parts: int = 1) -> None:
        self.job, self.part, self.parts = job, part, parts

    def __call__(self, percent: int) -> None:
        # A builder counts 0–100 for one language; the job counts all of them.
        overall = (self.part * 100 + min(max(percent, 0), 100)) // self.parts
        _own_row(self.job).update(progress=min(max(overall, 0), 99), heartbeat_at=timezone.now())


class Heartbeat:
    """While a worker builds a document, a thread tells the database every
    REPORT_JOB_HEARTBEAT_SECONDS that it still lives, whatever the builder does
    between its progress calls; the sweep takes over a job whose beat stopped."""

    def __init__(self, job: ReportJob) -> None:
        self.job = job
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{job.pk}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _beat(self) -> None:
        from django.db import connection

        rows = _own_row(self.job)
        try:
            while not self._stop.wait(settings.REPORT_JOB_HEARTBEAT_SECONDS):
                try:
                    rows.update(heartbeat_at=timezone.now())
                except Exception:  # the next beat tries again
                    log.warning("heartbeat of job %s failed", self.job.pk, exc_info=True)
        finally:
            connection.close()


def run_job(
    model: type[ReportJob],
    job_id: int,
    build: Builder,
    attempt: str | None = None,
    *,
    heartbeat: bool = False,
) -> str:
    """Compile the document of ``job_id`` for the attempt ``attempt`` (idempotent).

    Only the message that carries the job's current attempt token starts it: a
    queued job, or a running one whose worker stopped beating (the broker handed the
    dead worker's message out again). Any other message — one redelivered after a
    retry or a takeover, a duplicate — does nothing. A job picked up again starts
    over and overwrites the same two files, so one set of files exists whatever the
    number of runs. ``heartbeat`` (on a worker) beats from a thread while building.
    """
    now = timezone.now()
    with transaction.atomic():
        job = model._default_manager.select_for_update().filter(pk=job_id).first()
        if job is None:
            return "nothing to do"
        if attempt is not None and str(job.attempt) != attempt:
            return "superseded"  # a message of an earlier attempt
        if job.status in (S.SUCCEEDED, S.FAILED):
            return "nothing to do"
        taking_over = job.status == S.RUNNING
        if taking_over and job.heartbeat_at and job.heartbeat_at >= _stale_limit(now):
            return "running elsewhere"  # a duplicate while its worker lives
        WORKFLOW.move(
            job,
            S.RUNNING,
            None,
            comment=_("Started again: the worker compiling it had stopped.") if taking_over else "",
            progress=1,
            error="",
            started_at=now,
            heartbeat_at=now,
            attempts=job.attempts + 1,
        )
    # One reference, the document in each official language: the builder runs once
    # per language with that language active (its texts, the programme's
    # translated fields, the number and date formats).
    languages = job.languages()
    files: dict[str, bytes] = {}
    with Heartbeat(job) if heartbeat else contextlib.nullcontext():
        for part, language in enumerate(languages):
            with translation.override(language):
                pdf, docx = build(job, Progress(job, part, len(languages)))
            files[job.file_field_name("pdf", language)] = pdf
            files[job.file_field_name("docx", language)] = docx
    if not _own_row(job, HELD).exists():
        return "superseded"  # taken over by another attempt while building
    for language in languages:
        for kind in job.KINDS:
            _store(job, kind, language, files[job.file_field_name(kind, language)])
    with transaction.atomic():
        # The sweep may have failed it, or another attempt taken it over, meanwhile.
        row = _own_row(job, HELD).select_for_update().first()
        if row is None:
            return "superseded"
        job.status = row.status
        now = timezone.now()
        WORKFLOW.move(
            job,
            S.SUCCEEDED,
            None,
            progress=100,
            finished_at=now,
            heartbeat_at=now,
            **{
                job.file_field_name(kind, language): job.file(kind, language).name
                for language in languages
                for kind in job.KINDS
            },
        )
    return "succeeded"


def _store(job: ReportJob, kind: str, language: str, content: bytes) -> None:
    stored = job.file(kind, language)
    name = job.download_name(kind, language)
    if stored:
        stored.delete(save=False)
    # The storage path is fixed by the reference, so a second run replaces the
    # first run's file instead of adding one beside it.
    storage = stored.storage
    path = stored.field.generate_filename(job, name)
    if storage.exists(path):
        storage.delete(path)
    stored.save(name, ContentFile(content), save=False)


def fail_job(model: type[ReportJob], job_id: int, error: Exception, attempt: str | None) -> None:
    """The last retry failed: record the error in plain words (if the job is still
    this attempt's)."""
    log.exception("compiling %s %s failed", model.__name__, job_id, exc_info=error)
    with transaction.atomic():
        job = (
            model._default_manager.select_for_update().filter(pk=job_id, status__in=ACTIVE).first()
        )
        if job is None or (attempt is not None and str(job.attempt) != attempt):
            return  # succeeded meanwhile, failed by the sweep, or another attempt's now
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


def _requeue_for_retry(model: type[ReportJob], job_id: int, attempt: str | None) -> None:
    """Before the task's own retry: the job waits in the queue again, same token."""
    with transaction.atomic():
        job = model._default_manager.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != S.RUNNING:
            return
        if attempt is not None and str(job.attempt) != attempt:
            return
        WORKFLOW.move(job, S.QUEUED, None, dispatched_at=timezone.now())


def run_in_task(task: Any, model: type[ReportJob], job_id: int, attempt: str | None) -> str:
    """The body of every compile task: run, and on error retry with exponential
    backoff and jitter (2, 4, 8, 16, 32 s), at most ``task.max_retries`` times; then
    record the failure. Run in process (no broker) a retry cannot be scheduled, so
    it fails at once, and the failure is on the job for the page to show."""
    kind = DocumentKind.of(model)
    eager = bool(task.request.is_eager)
    try:
        return kind.run(job_id, attempt, heartbeat=not eager)
    except Exception as exc:
        if eager or task.request.retries >= task.max_retries:
            fail_job(model, job_id, exc, attempt)
            if eager:
                return "failed"
            raise
        _requeue_for_retry(model, job_id, attempt)
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
    # A series of references of its own ("meetings.documents.next_reference"),
    # year -> reference; P-PG (YEAR) N when empty.
    reference: str = ""

    @staticmethod
    @functools.cache
    def of(model: type[ReportJob]) -> DocumentKind[Any]:
        """The kind its app declares for ``model`` in ``<app>/jobs.py``."""
        module = import_module(f"{model._meta.app_label}.jobs")
        kinds = [k for k in vars(module).values() if isinstance(k, DocumentKind)]
        return next(k for k in kinds if k.model is model)

    def request(self, *, actor: Any, **key: Any) -> tuple[J, bool]:
        """The active job for this document, or a new one queued on commit."""
        reference = import_string(self.reference) if self.reference else next_document_reference
        return request_job(
            self.model, actor=actor, enqueue=self.enqueue, reference=reference, **key
        )

    def retry(self, job: J, *, actor: Any) -> J:
        return retry_job(job, actor=actor, enqueue=self.enqueue)

    def run(self, job_id: int, attempt: str | None = None, *, heartbeat: bool = False) -> str:
        """Compile one document (called by the Celery task; idempotent)."""
        return run_job(self.model, job_id, import_string(self.build), attempt, heartbeat=heartbeat)

    def enqueue(self, job_id: int, attempt: str) -> None:
        enqueue(import_string(self.task), job_id, attempt)

    def sweep(self) -> dict[str, int]:
        return sweep(self.model)


def compile_task(kind: DocumentKind[Any], *, name: str) -> Any:
    """The Celery task that compiles documents of ``kind``: late acknowledgement and
    rejected when the worker is lost (the message comes back, and runs only if it
    still carries the job's attempt token), five retries with backoff, then the job
    is failed with its error."""

    def compile_document(self: Any, job_id: int, attempt: str | None = None) -> str:
        return run_in_task(self, kind.model, job_id, attempt)

    compile_document.__doc__ = f"Build the PDF and DOCX of a {kind.model.__name__}."
    return shared_task(
        bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5, name=name
    )(compile_document)


# The work programme compiled as the Conference document (programme/documents.py);
# its pages are in programme/documents_views.py.
WORK_PROGRAMME = DocumentKind(
    WorkProgrammeDocument,
    build="programme.documents.build",
    task="pompidou.tasks.compile_work_programme",
)
