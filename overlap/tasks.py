"""Thin Celery tasks: the document frequencies the similarity weighs words with, then
every open proposal's stored similar items (hourly by beat, see pompidou/celery.py; and
once when none were ever counted); one proposal's stored similar items when it is
created or its texts change (``signals.py``)."""

import contextlib
from collections.abc import Callable
from typing import Any

from celery import shared_task
from django.db import transaction

from pompidou.queue import QueueUnavailable, publish

from . import services

# A job lost with its worker runs again; a database that does not answer is retried.
job = shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)


@job
def refresh_term_statistics() -> int:
    """The document frequencies, then every open proposal's stored similar items
    (activities and proposals changed meanwhile)."""
    documents = services.refresh_term_statistics()
    services.refresh_all_similar()
    return documents


@job
def refresh_similar(proposal_id: int) -> int:
    from proposals.models import Proposal

    proposal = Proposal.objects.filter(pk=proposal_id).first()
    return services.refresh_similar(proposal) if proposal is not None else 0


def _on_commit(send: Callable[[], Any], what: str) -> None:
    """Hand ``send`` to the queue once the current transaction commits; a queue that is
    down leaves the work to the next hourly beat."""

    def publish_quietly() -> None:
        with contextlib.suppress(QueueUnavailable):
            publish(send, what)

    transaction.on_commit(publish_quietly)


def request_refresh() -> None:
    """Ask for a count once the current transaction commits. A queue that is down
    leaves it to the next beat: the similar items are listed meanwhile, every word
    weighing the same."""
    _on_commit(refresh_term_statistics.delay, "the term statistics")


def request_similar(proposal_id: int) -> None:
    """Ask for a proposal's stored similar items once the current transaction commits.
    A queue that is down leaves it to the next hourly refresh (the ranking shows none
    for it meanwhile)."""
    _on_commit(lambda: refresh_similar.delay(proposal_id), "the similar items")
