from celery import shared_task

from pompidou.jobs import compile_task

from .jobs import EVALUATION_REPORT
from .reminders import send_reminders


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_jitter=True, max_retries=5)
def send_evaluation_reminders() -> int:
    """Daily: close feedback requests past their deadline, then send the reminders of
    progress reports due and feedback deadlines (see reminders.py)."""
    from .services import feedback_requests_close_expired

    feedback_requests_close_expired()
    return send_reminders()


# Build an evaluation report's PDF and DOCX (the one compile task of pompidou.jobs).
compile_evaluation_report = compile_task(
    EVALUATION_REPORT, name="evaluation.tasks.compile_evaluation_report"
)
