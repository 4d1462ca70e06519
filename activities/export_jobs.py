"""Exports of the activity list too long to write inside a request.

A list of at most ``EXPORT_SYNC_MAX_ROWS`` rows is answered at once
(``exports.export_response``). A longer one becomes an :class:`ActivityExport`,
written by a worker (``activities.tasks.export_activities``) while the person
follows its progress on its page (or, from the API, at its URL), then downloads the
file. The worker reads the list again with the filters of the request and the rights
the person has when it runs.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import tempfile
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files import File
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pompidou.jobs import enqueue
from pompidou.queue import QueueUnavailable, publish

from . import exports, selectors
from .models import Activity, ActivityExport

log = logging.getLogger(__name__)
S = ActivityExport.Status
TASK = "activities.tasks.export_activities"
STOPPED = gettext_lazy("The worker writing the export stopped. Export the list again.")


def too_long_to_answer_at_once(qs: QuerySet[Activity], fmt: str = "csv") -> int | None:
    """The length of the list when it is longer than the portal writes inside a request
    (``EXPORT_SYNC_MAX_ROWS``; 500 for the IATI file, about a millisecond a row), else
    None. The count stops at the limit (``LIMIT`` in a subquery): a short list costs a
    short count; a long one is counted in full once, for the job's progress."""
    from .iati import SYNC_MAX_ROWS

    limit = SYNC_MAX_ROWS if fmt == "iati" else settings.EXPORT_SYNC_MAX_ROWS
    if qs.order_by()[: limit + 1].count() <= limit:
        return None
    return qs.order_by().count()


@transaction.atomic
def export_start(
    *, actor: Any, query: QueryDict, fmt: str, filters: dict, total: int
) -> ActivityExport:
    """Queue the export of the list ``query`` names (its filters and ordering) for
    ``actor`` (None or anonymous: a visitor); handed to the job queue on commit."""
    exports.check_format(fmt)
    params = query.copy()
    for name in ("fmt", "page", "page_size", "format"):
        params.pop(name, None)
    job = ActivityExport.objects.create(
        fmt=fmt,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        query=params.urlencode(),
        filename=exports.export_filename(filters, fmt),
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        total=total,
    )
    transaction.on_commit(lambda: _dispatch(job))
    return job


def _send(job: ActivityExport) -> Any:
    return enqueue(import_string(TASK), job.pk, str(job.token))


def _dispatch(job: ActivityExport) -> None:
    try:
        publish(functools.partial(_send, job), f"export {job.pk}")
    except QueueUnavailable:
        # An export is asked again in a click: fail it rather than keep it waiting.
        ActivityExport.objects.filter(pk=job.pk, status=S.QUEUED).update(
            status=S.FAILED, finished_at=timezone.now(), error=_("The job queue was unavailable.")
        )
        raise QueueUnavailable(
            _(
                "The job queue is unavailable, so the export could not be started. Try again "
                "in a few minutes, or narrow the filters to export fewer rows at once."
            )
        ) from None


def sweep(now: dt.datetime) -> dict[str, int]:
    """What no worker will finish without help (run by every worker's sweep,
    ``pompidou.jobs.sweep_everywhere``): an export queued for JOB_REDISPATCH_SECONDS
    that no worker took (its message lost) is handed to the queue again (same token:
    the first of its messages to arrive writes it, the others nothing); one whose
    worker stopped beating fails with its message; finished ones past
    EXPORT_KEEP_HOURS go. When all is well: three small queries."""
    counts = {"exports_sent": 0, "exports_failed": 0}
    lost = now - dt.timedelta(seconds=settings.JOB_REDISPATCH_SECONDS)
    waiting = ActivityExport.objects.filter(status=S.QUEUED, updated_at__lt=lost)
    for job in waiting.order_by("pk")[:100]:
        # Touched first: the next sweep sends it again only after as long again.
        if not ActivityExport.objects.filter(pk=job.pk, status=S.QUEUED).update(updated_at=now):
            continue
        try:
            publish(functools.partial(_send, job), f"export {job.pk}")
        except QueueUnavailable:
            break  # down for the others too; the next sweep tries again
        counts["exports_sent"] += 1
    stale = now - dt.timedelta(seconds=settings.REPORT_JOB_STALE_SECONDS)
    counts["exports_failed"] = ActivityExport.objects.filter(
        status=S.RUNNING, heartbeat_at__lt=stale
    ).update(status=S.FAILED, finished_at=now, error=STOPPED)
    _purge_old(now)
    return counts


def get_export_for_user(user: Any, token: uuid.UUID | str) -> ActivityExport:
    """The export the link names: a signed-in person's own, or a visitor's (anyone
    holding the link: it holds public rows only); 404 otherwise."""
    mine = Q(requested_by=user) if user.is_authenticated else Q(pk__in=[])
    try:
        job = ActivityExport.objects.get(Q(token=token) & (mine | Q(requested_by=None)))
    except (ActivityExport.DoesNotExist, ValueError) as exc:
        raise Http404(_("There is no such export.")) from exc
    return _stopped(job)


def _stopped(job: ActivityExport) -> ActivityExport:
    """A running export whose worker stopped beating is failed (asking again is one
    click); one queued but never taken stays queued (the workers' sweep sends it
    again)."""
    limit = timezone.now() - dt.timedelta(seconds=settings.REPORT_JOB_STALE_SECONDS)
    if job.status == S.RUNNING and job.heartbeat_at and job.heartbeat_at < limit:
        ActivityExport.objects.filter(pk=job.pk, status=S.RUNNING, heartbeat_at__lt=limit).update(
            status=S.FAILED, finished_at=timezone.now(), error=STOPPED
        )
        job.refresh_from_db()
    return job


def run_export(job_id: int, token: str | None = None) -> str:
    """Write the export of ``job_id`` (the task's body; idempotent: only a queued job,
    or a running one whose worker stopped, is started, and only by its own message)."""
    now = timezone.now()
    stale = now - dt.timedelta(seconds=settings.REPORT_JOB_STALE_SECONDS)
    mine = ActivityExport.objects.filter(pk=job_id)
    if token is not None:
        mine = mine.filter(token=token)
    started = mine.filter(Q(status=S.QUEUED) | Q(status=S.RUNNING, heartbeat_at__lt=stale)).update(
        status=S.RUNNING, started_at=now, heartbeat_at=now, written=0
    )
    if not started:
        return "nothing to do"
    job = ActivityExport.objects.select_related("requested_by").get(pk=job_id)
    try:
        _write(job)
    except Exception as exc:
        log.exception("export %s failed", job.pk)
        mine.filter(status=S.RUNNING).update(
            status=S.FAILED,
            finished_at=timezone.now(),
            error=_("The export could not be written: %(error)s") % {"error": exc},
        )
        return "failed"
    _purge_old()
    return "succeeded"


def _write(job: ActivityExport) -> None:
    user = job.requested_by or AnonymousUser()
    running = ActivityExport.objects.filter(pk=job.pk, status=S.RUNNING)

    def progress(written: int) -> None:
        running.update(written=written, heartbeat_at=timezone.now())

    with translation.override(job.language):
        _filterset, qs = selectors.filter_activities(user, QueryDict(job.query))
        with tempfile.TemporaryFile() as out:
            written = exports.write_export(qs, job.fmt, out, progress)
            out.seek(0)
            job.file.save(job.filename, File(out), save=False)
    if not running.update(
        status=S.SUCCEEDED,
        file=job.file.name,
        written=written,
        total=written,
        finished_at=timezone.now(),
    ):
        job.file.delete(save=False)  # failed meanwhile: its file serves nobody


def _purge_old(now: dt.datetime | None = None) -> None:
    """Exports finished more than EXPORT_KEEP_HOURS ago go, with their files."""
    limit = (now or timezone.now()) - dt.timedelta(hours=settings.EXPORT_KEEP_HOURS)
    for old in ActivityExport.objects.filter(finished_at__lt=limit):
        if old.file:
            old.file.delete(save=False)
        old.delete()
