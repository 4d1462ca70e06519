import logging

from celery import shared_task

from .jobs import WORK_PROGRAMME, compile_task

log = logging.getLogger(__name__)


@shared_task
def ping() -> str:
    """Smoke task: answers 'pong' wherever tasks run (eagerly or on a worker)."""
    return "pong"


@shared_task(bind=True, max_retries=6, acks_late=True)
def deliver_outbox(self, message_id: int) -> str:  # type: ignore[no-untyped-def]
    """Deliver one outbox message (an e-mail notification), once; a failure is retried
    with exponential backoff (30 s, 1, 2, 4… min), then left to the sweep."""
    from .outbox import deliver

    try:
        return deliver(message_id)
    except Exception as exc:
        if self.request.is_eager:
            # No worker (development): the error is on the row; the request goes on.
            log.exception("outbox message %s could not be delivered", message_id)
            return "failed"
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc


def sweep() -> dict[str, int]:
    """Compilations whose worker died start again on another worker (or fail after
    too many attempts); documents and notifications the job queue did not take while
    it was down are handed to it. Called by every worker every
    ``JOB_SWEEP_SECONDS`` (the ``Sweep`` step in pompidou/celery.py), so whatever
    worker is alive picks up what another left, without anyone acting."""
    from django.db import close_old_connections

    from .jobs import sweep_everywhere
    from .outbox import flush

    close_old_connections()
    try:
        return {**sweep_everywhere(), "notifications": flush()}
    except Exception:  # the worker goes on; the next sweep tries again
        log.exception("the sweep failed")
        return {}
    finally:
        close_old_connections()


@shared_task
def send_notice_digests() -> int:
    """The daily digest of notices, for those who chose it (pompidou/notices.py)."""
    from .notices import send_digests

    return send_digests()


# The work programme as the Conference document (pompidou.jobs.WORK_PROGRAMME).
compile_work_programme = compile_task(WORK_PROGRAMME, name="pompidou.tasks.compile_work_programme")


@shared_task
def purge_tombstones() -> int:
    """Forget deletions older than SYNC_TOMBSTONE_RETENTION_DAYS (pompidou/tombstones.py)."""
    from .tombstones import purge

    return purge()
