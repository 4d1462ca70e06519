"""Replaying a record at the dates it happened (the demo, ``load_demo``).

The demo tells the story of the 2015–2018 programme through the services, so every
rule is checked as it would have been then. ``replay_at(day)`` makes "now" that day
for the services, the models' ``auto_now`` stamps and the eager Celery tasks:
references, submission and decision dates, deadlines computed from "today" (a
Bureau vote's, an assessment's) all fall on the story's dates, consistently,
instead of being back-dated afterwards one field at a time.

It swaps ``django.utils.timezone.now`` for the whole process, so it is for a
single-threaded command (or a test before any request is served), never for a
running site. Within one ``replay_at`` the clock still ticks (real time elapsed
since the day's start), so events keep their order.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone

_real_now = timezone.now


@contextmanager
def replay_at(day: dt.date, hour: int = 10) -> Iterator[None]:
    """Run the enclosed steps as if it were ``day`` (at ``hour`` local time)."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    started = _real_now()

    def now() -> dt.datetime:
        return start + (_real_now() - started)

    with mock.patch.object(timezone, "now", now):
        yield
