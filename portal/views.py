"""The portal's cross-app pages: the dashboard (every app's to-dos), the Bureau, and the
pages of a priority and of a format with their activities."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from activities import selectors as activity_selectors
from programme import permissions as programme_permissions
from programme import selectors as programme_selectors
from programme.selectors import current_bureau

from .dashboard import sections_for

# What the dashboard lists of what is due this week; the inbox lists it all.
DUE_SHOWN = 10


def dashboard(request: HttpRequest) -> HttpResponse:
    from proposals.selectors import due_this_week

    due = due_this_week(request.user)
    return render(
        request,
        "dashboard.html",
        {
            "sections": sections_for(request.user),
            "due": due[:DUE_SHOWN],
            "due_total": len(due),
            "due_all": reverse("inbox") + "#due-title",
        },
    )


def bureau(request: HttpRequest) -> HttpResponse:
    """The current Bureau: offices, delegations and the areas each member supervises."""
    verdict = programme_permissions.can_view_bureau(request.user)
    if not verdict:  # pragma: no cover - the login gate answers first
        raise PermissionDenied(verdict.reason)
    return render(request, "programme/bureau.html", {"mandates": current_bureau()})


@login_not_required
def priority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A thematic priority of the programme and the activities under it."""
    priority = programme_selectors.get_priority_for_user(request.user, pk)
    return render(
        request,
        "programme/priority_detail.html",
        {
            "priority": priority,
            "wp": priority.work_programme,
            "activities": activity_selectors.activities_for_priority(request.user, priority),
        },
    )


@login_not_required
def format_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An activity format of the programme and the activities under it."""
    fmt = programme_selectors.get_format_for_user(request.user, pk)
    return render(
        request,
        "programme/format_detail.html",
        {
            "format": fmt,
            "wp": fmt.work_programme,
            "activities": activity_selectors.activities_for_format(request.user, fmt),
        },
    )
