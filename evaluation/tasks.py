from celery import shared_task

from .reminders import send_reminders


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_jitter=True, max_retries=5)
def send_evaluation_reminders() -> int:
    """Daily: progress reports due and feedback deadlines (see reminders.py)."""
    return send_reminders()
