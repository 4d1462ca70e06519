"""Handing work to the job queue (the Celery broker), and what happens when it is down.

A publish that cannot reach the broker fails fast (a connection timeout and a short
publish retry, see the CELERY_* settings) and raises :class:`QueueUnavailable`, a
503 for the person who asked. What was asked is already committed (a queued
document, an outbox row) and is sent by the worker's sweep once the queue answers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from .errors import ServiceUnavailable

log = logging.getLogger(__name__)

# What a publish raises when the broker cannot be reached: kombu wraps connection
# errors in OperationalError; a socket error can still get through on some paths.
BROKER_ERRORS: tuple[type[BaseException], ...] = (OperationalError, ConnectionError, OSError)


class QueueUnavailable(ServiceUnavailable):
    """The job queue did not take the message."""

    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or _(
                "The job queue is unavailable, so the work could not be started. What you "
                "asked for is saved and will start when the queue is back; you can also "
                "try again in a few minutes."
            )
        )


def publish(send: Callable[[], Any], what: str) -> Any:
    """Call ``send`` (a ``task.apply_async``); a broker that does not answer becomes
    :class:`QueueUnavailable`, logged with ``what`` was being sent."""
    try:
        return send()
    except BROKER_ERRORS as exc:
        log.warning("the job queue did not take %s: %s", what, exc)
        raise QueueUnavailable from exc
