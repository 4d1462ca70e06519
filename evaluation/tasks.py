from celery import shared_task

from pompidou import jobs

from .models import EvaluationReport
from .reminders import send_reminders
from .services import evaluation_report_run


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_jitter=True, max_retries=5)
def send_evaluation_reminders() -> int:
    """Daily: close feedback requests past their deadline, then send the reminders of
    progress reports due and feedback deadlines (see reminders.py)."""
    from .services import feedback_requests_close_expired

    feedback_requests_close_expired()
    return send_reminders()


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def compile_evaluation_report(self, report_id: int) -> str:
    """Build an evaluation report's PDF and DOCX (the service does the work)."""
    return jobs.run_in_task(self, EvaluationReport, report_id, evaluation_report_run)


@shared_task
def fail_stale_jobs() -> int:
    """Every few minutes: documents "running" on a worker that died become failed."""
    from activities.models import AnnualProgrammeDocument

    return jobs.mark_stale(AnnualProgrammeDocument) + jobs.mark_stale(EvaluationReport)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_jitter=True, max_retries=5)
def send_feedback_request_emails(request_id: int) -> int:
    """E-mail the people a feedback request names (the service does the work)."""
    from .services import feedback_request_emails_send

    return feedback_request_emails_send(request_id=request_id)
