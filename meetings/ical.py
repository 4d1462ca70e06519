"""The meetings as an iCalendar feed (RFC 5545), built with the `icalendar` library
(pompidou.lib.ical): all-day events with an exclusive end date (3.6.1)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from icalendar import Calendar

from pompidou.lib.ical import Feed, all_day_event, new_calendar
from programme.models import Meeting

# Planned meetings may still move: tentative until convened (RFC 5545 3.8.1.11).
STATUS: dict[str, str] = {
    Meeting.Status.PLANNED: "TENTATIVE",
    Meeting.Status.CONVENED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.CLOSED: "CONFIRMED",
}


def calendar(meetings: Iterable[Meeting], feed: Feed, url_of: Callable[[Meeting], str]) -> Calendar:
    """The feed: one VEVENT per meeting. ``url_of(meeting)`` gives its page's address."""
    out = new_calendar(feed, "meetings")
    for meeting in meetings:
        out.add_component(
            all_day_event(
                uid=f"meeting-{meeting.pk}@{feed.host}",
                first=meeting.date,
                last=meeting.end_date or meeting.date,
                summary=meeting.title,
                location=meeting.place,
                status=STATUS.get(meeting.status, "CONFIRMED"),
                url=url_of(meeting),
                stamp=feed.now,
                busy=True,
            )
        )
    return out
