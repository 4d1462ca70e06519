from celery import shared_task


@shared_task
def ping() -> str:
    """Smoke task: answers 'pong' wherever tasks run (eagerly or on a worker)."""
    return "pong"
