"""Log records that carry the id of the request they belong to.

``pompidou.middleware.RequestIdMiddleware`` puts the id of the request being
answered in a context variable; ``RequestIdFilter`` copies it onto every record
logged meanwhile (``"-"`` outside a request: a Celery task, a command), so one
request's lines can be found together, and with the web server's access log
that sent the same ``X-Request-ID``. ``LOG_FORMAT=json`` writes each record as
one JSON object per line (``JSON_FORMAT``); the default is plain text for a
developer's terminal (``TEXT_FORMAT``).
"""

import logging
from contextvars import ContextVar

NO_REQUEST = "-"

request_id_var: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# The fields every JSON line has; whatever a caller passes in `extra=` is added.
JSON_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"
JSON_RENAMED = {"asctime": "time", "levelname": "level", "name": "logger"}


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id``: the id of the request being answered, or ``"-"``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


# A job queued while answering a request logs under that request's id, so a
# compilation's lines on the worker are found with the click that started it.
TASK_HEADER = "portal_request_id"


def _add_request_id_to_task(headers: dict[str, object] | None = None, **kwargs: object) -> None:
    if headers is not None and request_id_var.get() != NO_REQUEST:
        headers.setdefault(TASK_HEADER, request_id_var.get())


def _enter_task(task: object = None, **kwargs: object) -> None:
    request = getattr(task, "request", None)
    request_id = getattr(request, TASK_HEADER, None) or (
        (getattr(request, "headers", None) or {}).get(TASK_HEADER)
    )
    if request_id:
        request.portal_log_token = request_id_var.set(str(request_id))  # type: ignore[union-attr]


def _leave_task(task: object = None, **kwargs: object) -> None:
    token = getattr(getattr(task, "request", None), "portal_log_token", None)
    if token is not None:
        request_id_var.reset(token)


def connect_task_request_ids() -> None:
    """Carry the request id from the web process into the Celery tasks it queues."""
    from celery import signals

    signals.before_task_publish.connect(_add_request_id_to_task, weak=False)
    signals.task_prerun.connect(_enter_task, weak=False)
    signals.task_postrun.connect(_leave_task, weak=False)
