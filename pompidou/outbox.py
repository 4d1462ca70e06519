"""Notifications that survive a job-queue outage: a transactional outbox.

``send("proposals.notifications.send_proposal_notification", "submitted", 12)``
writes an :class:`~pompidou.models.OutboxMessage` in the caller's transaction, so
the notification exists exactly when the change it announces was committed. After
the commit the row is handed to the queue (task ``pompidou.tasks.deliver_outbox``);
if the queue is down the change still succeeds, the row stays unsent, and the
worker's sweep (:func:`flush`) hands it over once the queue answers. The worker
delivers a row once: it locks it, calls the function and marks it delivered in one
transaction, so a message the broker hands out twice sends one e-mail.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import OutboxMessage
from .queue import QueueUnavailable, publish

log = logging.getLogger(__name__)

# A row handed to the queue and still undelivered after this long (its message was
# lost with a broker that kept no data) is handed over again; delivery is once.
REPUBLISH_AFTER = dt.timedelta(minutes=15)
# A row given up after this many failed deliveries (an address refused for good);
# it stays in the back office with its last error.
MAX_ATTEMPTS = 8


def send(function: str, *args: Any, **kwargs: Any) -> OutboxMessage:
    """Record a message in the current transaction; hand it to the queue on commit.

    ``function`` is the dotted path of a plain function the worker calls with
    ``args`` and ``kwargs`` (JSON values).
    """
    import_string(function)  # a typo fails here, in the request, not in the worker
    message = OutboxMessage.objects.create(function=function, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: _publish_quietly(message.pk))
    return message


def _publish_quietly(message_id: int) -> None:
    # Logged by publish(); the sweep sends it when the queue is back.
    with contextlib.suppress(QueueUnavailable):
        publish_message(message_id)


def publish_message(message_id: int) -> None:
    """Hand one row to the queue (raises QueueUnavailable when the queue is down)."""
    from .tasks import deliver_outbox

    publish(lambda: deliver_outbox.delay(message_id), f"outbox message {message_id}")
    OutboxMessage.objects.filter(pk=message_id, delivered_at=None).update(
        published_at=timezone.now()
    )


def deliver(message_id: int) -> str:
    """Run one message's function, once (called by the worker's task).

    The row is locked while its function runs and marked delivered in the same
    transaction; a failure is counted (the task retries it with backoff) and, after
    ``MAX_ATTEMPTS``, given up with its error kept on the row.
    """
    try:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=message_id, delivered_at=None)
                .first()
            )
            if message is None:
                return "nothing to do"  # delivered already, or being delivered now
            import_string(message.function)(*message.args, **message.kwargs)
            OutboxMessage.objects.filter(pk=message_id).update(
                delivered_at=timezone.now(), attempts=F("attempts") + 1
            )
        return "delivered"
    except Exception as exc:
        OutboxMessage.objects.filter(pk=message_id).update(
            attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        attempts = OutboxMessage.objects.values_list("attempts", flat=True).get(pk=message_id)
        if attempts >= MAX_ATTEMPTS:
            log.exception("outbox message %s given up after %s attempts", message_id, attempts)
            return "given up"
        raise


def pending(now: dt.datetime | None = None) -> QuerySet[OutboxMessage]:
    """Rows to hand to the queue: never handed over (the queue was down when they
    were written) or handed over long ago and still not delivered."""
    now = now or timezone.now()
    grace = now - dt.timedelta(seconds=settings.OUTBOX_PUBLISH_GRACE_SECONDS)
    return OutboxMessage.objects.filter(
        Q(published_at=None) | Q(published_at__lt=now - REPUBLISH_AFTER),
        delivered_at=None,
        attempts__lt=MAX_ATTEMPTS,
        created_at__lt=grace,
    )


def flush(now: dt.datetime | None = None) -> int:
    """Hand every pending row to the queue (the worker's sweep); stops at the first
    refusal, since the queue is then down for the others too."""
    sent = 0
    for message_id in pending(now).values_list("pk", flat=True)[:500]:
        try:
            publish_message(message_id)
        except QueueUnavailable:
            break
        sent += 1
    return sent
