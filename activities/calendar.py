"""The activities as an iCalendar feed (RFC 5545, built with `icalendar` through
pompidou.lib.ical): ``/calendar/activities.ics``, filtered like the list page.

An activity runs for months or years: one event spanning it would fill every day of
the subscriber's calendar with a bar, so each activity gives two all-day events, its
start and its end, and each of its milestones one on its due date. All are free time
(they block no one's day). UIDs are built from the reference and the milestone's id,
so a client that refreshes the feed updates its events instead of adding copies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from icalendar import Calendar

from pompidou.lib.ical import (
    Feed,
    all_day_event,
    bad_request,
    calendar_response,
    feed_language,
    new_calendar,
)

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


def activities_for_calendar(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    """2 queries whatever the length: the activities, then their milestones."""
    return (
        qs.select_related(None)
        .prefetch_related(None)
        .only("id", "reference", "title", "start_date", "end_date", "status")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.only("id", "activity_id", "title", "due_date", "done"),
            )
        )
    )


def activity_calendar(
    activities: Iterable[Activity], feed: Feed, url_of: Callable[[Activity], str]
) -> Calendar:
    """The feed: the start and the end of each activity and its milestones."""
    host = feed.host
    out = new_calendar(feed, "activities")
    for activity in activities:
        ref = activity.reference
        # What the activity's events share: its page, the feed's time, its status.
        event = partial(
            all_day_event,
            url=url_of(activity),
            stamp=feed.now,
            status=STATUS.get(activity.status, "CONFIRMED"),
        )
        names = {"reference": ref, "title": activity.title}
        for kind, on, summary, category in (
            (
                "start",
                activity.start_date,
                _("Start of %(reference)s: %(title)s"),
                pgettext("event", "Start"),
            ),
            (
                "end",
                activity.end_date,
                _("End of %(reference)s: %(title)s"),
                pgettext("event", "End"),
            ),
        ):
            out.add_component(
                event(
                    uid=f"activity-{ref}-{kind}@{host}",
                    first=on,
                    last=on,
                    summary=summary % names,
                    categories=(category,),
                )
            )
        for milestone in activity.milestones.all():
            out.add_component(
                event(
                    uid=f"milestone-{milestone.pk}@{host}",
                    first=milestone.due_date,
                    last=milestone.due_date,
                    summary=_("Milestone of %(reference)s: %(milestone)s")
                    % {"reference": ref, "milestone": milestone.title},
                    description=_("Done.") if milestone.done else _("Not done yet."),
                    categories=(_("Milestone"),),
                )
            )
    return out


@login_not_required
def activities_ics(request: HttpRequest) -> HttpResponse:
    """The activities the visitor may see (a subscribing client: the public ones),
    filtered as on the list page, as an iCalendar feed."""
    language = feed_language(request)
    if language is None:
        return bad_request({"language": [_("Use en or fr.")]})
    with translation.override(language):
        filterset, qs = selectors.filter_activities(request.user, request.GET)
        if not filterset.is_valid():
            return bad_request(filterset.errors)
        feed = activity_calendar(
            activities_for_calendar(qs),
            Feed.of(request, _("Pompidou Group activities")),
            lambda a: request.build_absolute_uri(reverse("activities:detail", args=[a.reference])),
        )
        return calendar_response(feed, filename="pompidou-activities.ics", language=language)
