"""The meetings as an iCalendar feed (RFC 5545), built with the `icalendar` library
(pompidou.lib.ical): all-day events with an exclusive end date (3.6.1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from icalendar import Calendar

from pompidou.lib.ical import all_day_event, new_calendar
from programme.models import Meeting

# Planned meetings may still move: tentative until convened (RFC 5545 3.8.1.11).
STATUS: dict[str, str] = {
    Meeting.Status.PLANNED: "TENTATIVE",
    Meeting.Status.CONVENED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.CLOSED: "CONFIRMED",
}


def calendar(
    meetings: Iterable[Meeting],
    *,
    name: str,
    host: str,
    url_of: Callable[[Meeting], str],
    now: dt.datetime,
    feed_url: str = "",
) -> Calendar:
    """The feed: one VEVENT per meeting. ``url_of(meeting)`` gives its page's address;
    ``host`` makes the UIDs unique worldwide and stable across downloads."""
    feed = new_calendar(name=name, uid=f"meetings@{host}", url=feed_url)
    for meeting in meetings:
        feed.add_component(
            all_day_event(
                uid=f"meeting-{meeting.pk}@{host}",
                first=meeting.date,
                last=meeting.end_date or meeting.date,
                summary=meeting.title,
                location=meeting.place,
                status=STATUS.get(meeting.status, "CONFIRMED"),
                url=url_of(meeting),
                stamp=now,
                busy=True,
            )
        )
    return feed
