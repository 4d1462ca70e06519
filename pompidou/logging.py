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
