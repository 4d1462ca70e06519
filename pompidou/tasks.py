from celery import shared_task


@shared_task
def ping() -> str:
    """Smoke task: answers 'pong' wherever tasks run (eagerly or on a worker)."""
    return "pong"


@shared_task
def fail_stale_jobs() -> int:
    """Every few minutes: documents "running" on a worker that died become failed
    (every kind of compiled document)."""
    from .jobs import mark_stale_everywhere

    return mark_stale_everywhere()
