import random

from celery import shared_task

from pompidou import jobs

from .models import EvaluationReport
from .reminders import send_reminders
from .services import evaluation_report_run


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_jitter=True, max_retries=5)
def send_evaluation_reminders() -> int:
    """Daily: progress reports due and feedback deadlines (see reminders.py)."""
    return send_reminders()


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def compile_evaluation_report(self, report_id: int) -> str:
    """Build an evaluation report's PDF and DOCX (the service does the work)."""
    try:
        return evaluation_report_run(report_id)
    except Exception as exc:
        # Run in process (no broker), a retry cannot be scheduled: fail at once.
        if self.request.is_eager or self.request.retries >= self.max_retries:
            jobs.fail_job(EvaluationReport, report_id, exc)
            raise
        jitter = random.random()  # noqa: S311 (timing only, not security)
        raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1) + jitter) from exc


@shared_task
def fail_stale_jobs() -> int:
    """Every few minutes: documents "running" on a worker that died become failed."""
    from activities.models import AnnualProgrammeDocument

    return jobs.mark_stale(AnnualProgrammeDocument) + jobs.mark_stale(EvaluationReport)
