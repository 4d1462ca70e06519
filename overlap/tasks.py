"""Thin Celery task: the document frequencies the similarity weighs words with."""

from celery import shared_task

from . import services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=3,
)
def refresh_term_statistics() -> int:
    return services.refresh_term_statistics()
