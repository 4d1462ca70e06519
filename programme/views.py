from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from activities import selectors as activity_selectors

from . import selectors


@login_not_required
def programme_detail(request, pk: int | None = None):
    """The work programme as its readers know it: aims, priorities, formats, criteria."""
    wp = selectors.get_work_programme_for_user(request.user, pk)
    others = selectors.work_programmes_visible_to(request.user).exclude(pk=wp.pk)
    return render(request, "programme/programme_detail.html", {"wp": wp, "others": others})


@login_not_required
def priority_detail(request, pk: int):
    priority = selectors.get_priority_for_user(request.user, pk)
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
def format_detail(request, pk: int):
    fmt = selectors.get_format_for_user(request.user, pk)
    return render(
        request,
        "programme/format_detail.html",
        {
            "format": fmt,
            "wp": fmt.work_programme,
            "activities": activity_selectors.activities_for_format(request.user, fmt),
        },
    )
