from celery import shared_task

from .notifications import send_proposal_notification


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_jitter=True, max_retries=5)
def notify_proposal(kind: str, proposal_id: int, **extra) -> int:
    """E-mail the people concerned by a step of a proposal (see notifications.py)."""
    return send_proposal_notification(kind, proposal_id, **extra)


@shared_task
def close_expired_bureau_votes() -> int:
    """Daily: urgent proposals past their voting deadline go to the next PC plenary."""
    from .services import bureau_votes_close_expired

    return bureau_votes_close_expired()
