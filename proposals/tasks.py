from celery import shared_task


@shared_task
def close_expired_bureau_votes() -> int:
    """Daily: urgent proposals past their voting deadline go to the next PC plenary."""
    from .services import bureau_votes_close_expired

    return bureau_votes_close_expired()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_jitter=True, max_retries=5)
def send_deadline_reminders() -> int:
    """Daily: a notice to each person with a support, an assessment or a vote due within
    three days, at most once a week per item (see deadlines.py)."""
    from .deadlines import send_deadline_reminders as send

    return send()
