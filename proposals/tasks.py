from celery import shared_task


@shared_task
def close_expired_bureau_votes() -> int:
    """Daily: urgent proposals past their voting deadline go to the next PC plenary."""
    from .services import bureau_votes_close_expired

    return bureau_votes_close_expired()
