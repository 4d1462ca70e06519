"""iCalendar feeds (RFC 5545, with the RFC 7986 calendar properties) built with the
`icalendar` library, which escapes text values, folds lines at 75 octets without
splitting a character and writes CRLF line ends. The meetings and the activities feeds
share this one shape: a published calendar that clients subscribe to and refresh."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

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
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Language"] = language
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response
