"""The activities as an iCalendar feed (RFC 5545, written through pompidou.lib.ical):
``/calendar/activities.ics``, filtered like the list page.

A subscriber wants what is coming, not sixteen years of history: by default the feed
holds the events from the first of the month three months back (``?since=YYYY-MM-DD``
moves that day; ``?year=`` alone gives the events of the activities running that
year), at most MAX_EVENTS of them, the earliest first.

An activity runs for months or years: one event spanning it would fill every day of
the subscriber's calendar with a bar, so each activity gives two all-day events, its
start and its end, and each of its milestones one on its due date. All are free time
(they block no one's day). UIDs are built from the reference and the milestone's id,
so a client that refreshes the feed updates its events instead of adding copies.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from django.contrib.auth.decorators import login_not_required
from django.db.models import Case, F, QuerySet, When
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pompidou.converters import ACTIVITY_REFERENCE_REGEX
from pompidou.lib.ical import (
    Feed,
    all_day_event_text,
    bad_request,
    calendar_text,
    feed_language,
    new_calendar,
    restamped,
    text_response,
)
from pompidou.listing import cached_result

from . import selectors
from .models import Activity, Milestone

# Planned activities may still move; cancelled ones stay in the feed, marked so, and
# clients strike them through (RFC 5545 3.8.1.11).
STATUS: dict[str, str] = {
    Activity.Status.PLANNED: "TENTATIVE",
    Activity.Status.ONGOING: "CONFIRMED",
    Activity.Status.COMPLETED: "CONFIRMED",
    Activity.Status.SUSPENDED: "TENTATIVE",
    Activity.Status.CANCELLED: "CANCELLED",
}


# Without ``since`` or ``year``, the feed starts this many months back (on the first of
# that month): a subscriber sees the recent past and everything ahead. It holds at most
# MAX_EVENTS events, the earliest first; filters narrow it.
PAST_MONTHS = 3
MAX_EVENTS = 500


@dataclass(frozen=True)
class Event:
    on: dt.date
    kind: str  # "start", "end" or "milestone"
    reference: str
    title: str
    status: str
    milestone_id: int = 0
    milestone_title: str = ""
    done: bool = False


def default_since(today: dt.date) -> dt.date:
    """The first day of the month ``PAST_MONTHS`` before ``today``'s."""
    months = today.year * 12 + today.month - 1 - PAST_MONTHS
    return dt.date(months // 12, months % 12 + 1, 1)


def calendar_events(
    qs: QuerySet[Activity], since: dt.date | None, limit: int | None = None
) -> tuple[list[Event], bool]:
    """The events of the activities of ``qs`` dated ``since`` or later (all without
    ``since``), earliest first, at most ``limit``; and whether some were left out.

    2 queries whatever the length, plain values (no model instance per row), each
    stopping at ``limit`` rows: the activities by their first event in range (their
    start, or their end when they started before ``since``: any of the earliest
    ``limit`` events belongs to one of these), then the milestones by due date."""
    limit = MAX_EVENTS if limit is None else limit
    activities = qs.order_by().select_related(None).prefetch_related(None)
    first: F | Case = F("start_date")
    if since is not None:
        activities = activities.filter(end_date__gte=since)
        first = Case(When(start_date__lt=since, then=F("end_date")), default=F("start_date"))
    events: list[Event] = []
    ids = []
    for pk, ref, title, status, start, end in (
        activities.alias(first_event=first)
        .order_by("first_event", "reference")
        .values_list("pk", "reference", "title", "status", "start_date", "end_date")[: limit + 1]
    ):
        ids.append(pk)
        if since is None or start >= since:
            events.append(Event(start, "start", ref, title, status))
        events.append(Event(end, "end", ref, title, status))
    if since is None:
        # No day to start from (a year's activities): the milestones of the activities
        # read, which hold the earliest events (a milestone is due once its activity
        # has started).
        # All of them, sorted here: a few per activity, read by the activity's index.
        milestones = Milestone.objects.filter(activity_id__in=ids).order_by()
    else:
        milestones = Milestone.objects.filter(
            activity__in=activities.values("pk"), due_date__gte=since
        ).order_by("due_date", "id")[: limit + 1]
    for pk, m_title, due, done, ref, title, status in milestones.values_list(
        "pk",
        "title",
        "due_date",
        "done",
        "activity__reference",
        "activity__title",
        "activity__status",
    ):
        events.append(Event(due, "milestone", ref, title, status, pk, m_title, done))
    order = {"start": 0, "milestone": 1, "end": 2}
    events.sort(key=lambda e: (e.on, e.reference, order[e.kind], e.milestone_id))
    return events[:limit], len(events) > limit


def event_texts(events: Iterable[Event], feed: Feed, url_of: Callable[[str], str]) -> Iterator[str]:
    """Each event as a VEVENT: an activity's start and end, and its milestones."""
    host = feed.host
    start, end = pgettext("event", "Start"), pgettext("event", "End")
    milestone, done, not_done = _("Milestone"), _("Done."), _("Not done yet.")
    for e in events:
        names = {"reference": e.reference, "title": e.title}
        description = ""
        if e.kind == "milestone":
            uid = f"milestone-{e.milestone_id}@{host}"
            summary = _("Milestone of %(reference)s: %(milestone)s") % {
                "reference": e.reference,
                "milestone": e.milestone_title,
            }
            description, category = (done if e.done else not_done), milestone
        elif e.kind == "start":
            uid = f"activity-{e.reference}-start@{host}"
            summary, category = _("Start of %(reference)s: %(title)s") % names, start
        else:
            uid = f"activity-{e.reference}-end@{host}"
            summary, category = _("End of %(reference)s: %(title)s") % names, end
        yield all_day_event_text(
            uid,
            e.on,
            summary,
            url_of(e.reference),
            feed.now,
            description=description,
            status=STATUS.get(e.status, "CONFIRMED"),
            categories=(category,),
        )


@login_not_required
def activities_ics(request: HttpRequest) -> HttpResponse:
    """The activities the visitor may see (a subscribing client: the public ones),
    filtered as on the list page, as an iCalendar feed: the events from ``since``
    (default: the first of the month three months back; none with ``year`` and no
    ``since``), at most MAX_EVENTS of them, the earliest first."""
    language = feed_language(request)
    if language is None:
        return bad_request({"language": [_("Use en or fr.")]})
    with translation.override(language):
        filterset, qs = selectors.filter_activities(request.user, request.GET)
        if not filterset.is_valid():
            return bad_request(filterset.errors)
        try:
            since = _since(request.GET)
        except ValueError:
            return bad_request({"since": [_("Enter a date as YYYY-MM-DD.")]})
        feed = Feed.of(request, _("Pompidou Group activities"))
        # Kept until the next write (pompidou.listing), written with one DTSTAMP and
        # answered with this request's: the rows it reads (the visitor's, filtered),
        # the first day, the length, the language and the feed's address (its host,
        # its links).
        body, cut = cached_result(
            "calendar-activities",
            qs,
            lambda: _body(request, qs, since, replace(feed, now=KEPT_STAMP)),
            extra=f"{since}|{MAX_EVENTS}|{language}|{feed.url}",
        )
        body = restamped(body, KEPT_STAMP, feed.now)
        response = text_response(body, filename="pompidou-activities.ics", language=language)
        response["X-Events-Cut"] = "true" if cut else "false"
        return response


# The DTSTAMP of a feed kept in the cache, replaced by each answer's own.
KEPT_STAMP = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _body(
    request: HttpRequest, qs: QuerySet[Activity], since: dt.date | None, feed: Feed
) -> tuple[bytes, bool]:
    """The feed's text, and whether events were left out."""
    events, cut = calendar_events(qs, since)
    calendar = new_calendar(feed, "activities")
    if cut:
        calendar["X-WR-CALDESC"] = _(
            "%(name)s: the first %(count)s events from %(day)s; narrow the feed with "
            "filters (year, member state, priority) to see others."
        ) % {"name": feed.name, "count": MAX_EVENTS, "day": events[0].on.isoformat()}
    return calendar_text(calendar, event_texts(events, feed, _detail_urls(request))), cut


def _detail_urls(request: HttpRequest) -> Callable[[str], str]:
    """An activity's page's address by its reference: one ``reverse`` for the feed,
    the reference put in its place (references need no escaping; any other is
    reversed as it is)."""
    sample = "PG-0000-000"
    head, tail = request.build_absolute_uri(reverse("activities:detail", args=[sample])).rsplit(
        sample, 1
    )

    def url_of(ref: str) -> str:
        if _PLAIN_REFERENCE.fullmatch(ref):
            return f"{head}{ref}{tail}"
        return request.build_absolute_uri(reverse("activities:detail", args=[ref]))

    return url_of


_PLAIN_REFERENCE = re.compile(ACTIVITY_REFERENCE_REGEX)


def _since(params) -> dt.date | None:
    """``since`` as given (ValueError when it is no date), else the default; None with
    a ``year`` and no ``since``: the year bounds the list."""
    given = params.get("since")
    if given:
        return dt.date.fromisoformat(given)
    if params.get("year"):
        return None
    return default_since(timezone.localdate())
