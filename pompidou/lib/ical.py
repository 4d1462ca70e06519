"""iCalendar feeds (RFC 5545, with the RFC 7986 calendar properties) built with the
`icalendar` library, which escapes text values, folds lines at 75 octets without
splitting a character and writes CRLF line ends. The meetings and the activities feeds
share this one shape: a published calendar that clients subscribe to and refresh."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from icalendar import Calendar, Event, vDuration

PRODID = "-//Pompidou Group//Work programme portal//EN"
# How often a subscribed client should fetch the feed again: RFC 7986's
# REFRESH-INTERVAL (Thunderbird, Apple) and Outlook's X-PUBLISHED-TTL.
REFRESH = dt.timedelta(hours=12)
CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class Feed:
    """Where and when a feed is made: ``host`` makes the UIDs unique worldwide and
    stable across downloads, ``now`` is every event's DTSTAMP, ``url`` the feed's own
    address (empty outside a request)."""

    name: str
    host: str
    now: dt.datetime
    url: str = ""

    @classmethod
    def of(cls, request: HttpRequest, name: str) -> Feed:
        return cls(
            name=name,
            host=request.get_host().split(":")[0],
            now=timezone.now(),
            url=request.build_absolute_uri(),
        )


def new_calendar(feed: Feed, kind: str) -> Calendar:
    """An empty published calendar named as ``feed`` says (X-WR-CALNAME and NAME)."""
    uid = f"{kind}@{feed.host}"
    calendar = Calendar.new(
        prodid=PRODID,
        calscale="GREGORIAN",
        method="PUBLISH",
        name=feed.name,
        uid=uid,
        url=feed.url or None,
    )
    calendar.pop("REFRESH-INTERVAL", None)
    # RFC 7986 3.3: the VALUE=DURATION parameter is required on REFRESH-INTERVAL.
    calendar.add("REFRESH-INTERVAL", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    calendar.add("X-WR-CALDESC", feed.name)
    calendar["X-WR-RELCALID"] = uid
    return calendar


def all_day_event(
    *,
    uid: str,
    first: dt.date,
    last: dt.date,
    summary: str,
    url: str,
    stamp: dt.datetime,
    description: str = "",
    location: str = "",
    status: str = "CONFIRMED",
    categories: tuple[str, ...] = (),
    busy: bool = False,
) -> Event:
    """An all-day VEVENT from ``first`` to ``last`` inclusive: DTEND is the day after
    (exclusive, RFC 5545 3.6.1). Free time (TRANSP) unless ``busy``: a milestone or an
    activity's start does not block the subscriber's day, a meeting does."""
    event = Event.new(
        uid=uid,
        start=first,
        end=last + dt.timedelta(days=1),
        summary=summary,
        url=url,
        stamp=stamp,
        status=status,  # type: ignore[arg-type]
        transparency="OPAQUE" if busy else "TRANSPARENT",  # type: ignore[arg-type]
        categories=categories,
    )
    if description:
        event.add("DESCRIPTION", description)
    if location:
        event.add("LOCATION", location)
    return event


def feed_language(request: HttpRequest) -> str | None:
    """The feed's language: ``?language=fr`` (a subscription address that says it),
    else the request's (its /fr/ prefix, or Accept-Language and the language cookie).
    ``None`` for a language the portal does not speak."""
    asked = request.GET.get("language")
    if not asked:
        return translation.get_language() or settings.LANGUAGE_CODE
    return asked if asked in {code for code, _name in settings.LANGUAGES} else None


def bad_request(errors: Mapping[str, Iterable[str]]) -> HttpResponse:
    """A 400 a calendar client or a person reads: one line per field, "year: Enter a
    whole number."."""
    text = "\n".join(
        f"{field}: {' '.join(map(str, messages))}" for field, messages in errors.items()
    )
    return HttpResponseBadRequest(text + "\n", content_type="text/plain; charset=utf-8")


def calendar_response(calendar: Calendar, *, filename: str, language: str) -> HttpResponse:
    """The feed as a response calendar clients subscribe to (and browsers download)."""
    return text_response(calendar.to_ical(), filename=filename, language=language)


# --- long feeds -------------------------------------------------------------------
# ``all_day_event`` builds an icalendar ``Event`` (about a millisecond each, building
# and writing). A feed of a thousand events writes them as text below: the same
# properties, escaped and folded by RFC 5545's rules, checked against the library's
# output by tests/pompidou/test_ical.py.


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line ends escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """One content line folded at 75 octets (RFC 5545 3.1), never inside a character,
    ended by CRLF."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    pieces, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # a continuation byte
            end -= 1
        pieces.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines start with a space
    return "\r\n ".join(pieces) + "\r\n"


def stamp_line(stamp: dt.datetime) -> str:
    """An event's DTSTAMP line (unfolded: it is short)."""
    return f"DTSTAMP:{stamp.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"


def restamped(body: bytes, kept: dt.datetime, now: dt.datetime) -> bytes:
    """A feed written with every DTSTAMP ``kept`` (``calendar_text``), as written at
    ``now``: only whole DTSTAMP lines change (a value's text never starts a line: its
    line ends are escaped, its folds start with a space)."""
    old, new = (f"\r\n{stamp_line(t)}\r\n".encode() for t in (kept, now))
    return body.replace(old, new)


def all_day_event_text(
    uid: str, day: dt.date, summary: str, url: str, stamp: dt.datetime, **more: Any
) -> str:
    """What ``all_day_event`` gives for one free ``day``, as the text of one VEVENT;
    ``more``: ``description``, ``status`` (CONFIRMED) and ``categories``."""
    description: str = more.get("description", "")
    status: str = more.get("status", "CONFIRMED")
    categories: tuple[str, ...] = more.get("categories", ())
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{_text(summary)}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
        stamp_line(stamp),
        f"UID:{_text(uid)}",
    ]
    if categories:
        lines.append("CATEGORIES:" + ",".join(_text(c) for c in categories))
    if description:
        lines.append(f"DESCRIPTION:{_text(description)}")
    lines += [f"STATUS:{status}", "TRANSP:TRANSPARENT", f"URL:{url}", "END:VEVENT"]
    return "".join(_fold(line) for line in lines)


def calendar_text(calendar: Calendar, events: Iterable[str]) -> bytes:
    """``calendar`` (its properties, no events) with the VEVENT texts ``events``."""
    head = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert head.endswith(end)
    return head[: -len(end)] + "".join(events).encode("utf-8") + end


def text_response(body: bytes, *, filename: str, language: str) -> HttpResponse:
    """A feed already written (``calendar_text``), answered as ``calendar_response``."""
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Language"] = language
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response
