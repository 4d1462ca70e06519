import random

from celery import shared_task

from pompidou import jobs

from .models import AnnualProgrammeDocument
from .services import annual_programme_document_run


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def compile_annual_programme(self, document_id: int) -> str:
    """Build the annual programme's PDF and DOCX (the service does the work)."""
    try:
        return annual_programme_document_run(document_id)
    except Exception as exc:
        # Run in process (no broker), a retry cannot be scheduled: fail at once.
        if self.request.is_eager or self.request.retries >= self.max_retries:
            jobs.fail_job(AnnualProgrammeDocument, document_id, exc)
            raise
        # Exponential backoff with jitter: 2, 4, 8, 16, 32 s (± up to a second).
        jitter = random.random()  # noqa: S311 (timing only, not security)
        raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1) + jitter) from exc
