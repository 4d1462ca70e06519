"""Thin Celery task: the document frequencies the similarity weighs words with (hourly
by beat, see pompidou/celery.py; and once when none were ever counted)."""

import contextlib

from celery import shared_task
from django.db import transaction

from pompidou.queue import QueueUnavailable, publish

from . import services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def refresh_term_statistics() -> int:
    return services.refresh_term_statistics()


def request_refresh() -> None:
    """Ask for a count once the current transaction commits. A queue that is down
    leaves it to the next beat: the similar items are listed meanwhile, every word
    weighing the same."""

    def send() -> None:
        with contextlib.suppress(QueueUnavailable):
            publish(refresh_term_statistics.delay, "the term statistics")

    transaction.on_commit(send)
