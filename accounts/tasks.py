from celery import shared_task


@shared_task
def apply_retention() -> dict[str, int]:
    """Daily: expired feedback links and old login records are deleted (retention.py)."""
    from .retention import apply_retention as apply

    return apply()
