"""The meetings as an iCalendar feed (RFC 5545), written out by hand: text values
escaped (3.3.11), lines folded at 75 octets without splitting a UTF-8 character
(3.1), CRLF line ends, all-day events with an exclusive end date (3.6.1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from programme.models import Meeting

CRLF = "\r\n"
LIMIT = 75  # octets per line, the line break excluded


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets; each continuation line
    starts with one space (which counts in its 75)."""
    parts: list[str] = []
    current, size, limit = "", 0, LIMIT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, LIMIT - 1
        current += char
        size += width
    parts.append(current)
    return (CRLF + " ").join(parts)


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


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
    url_of,
    now: dt.datetime,
) -> str:
    """The feed: one VEVENT per meeting. ``url_of(meeting)`` gives its page's address;
    ``host`` makes the UIDs unique worldwide and stable across downloads."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Pompidou Group//Work programme portal//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for meeting in meetings:
        last = meeting.end_date or meeting.date
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.pk}@{host}",
            f"DTSTAMP:{_stamp(now)}",
            f"DTSTART;VALUE=DATE:{_date(meeting.date)}",
            f"DTEND;VALUE=DATE:{_date(last + dt.timedelta(days=1))}",
            f"SUMMARY:{escape(meeting.title)}",
            f"LOCATION:{escape(meeting.place)}",
            f"STATUS:{STATUS.get(meeting.status, 'CONFIRMED')}",
            f"URL:{url_of(meeting)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
