from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from . import selectors
from .documents_views import documents_context
from .workflow import next_steps


@login_not_required
def programme_detail(request, pk: int | None = None):
    """The work programme as its readers know it: aims, priorities, formats, criteria."""
    wp = selectors.get_work_programme_for_user(request.user, pk)
    others = selectors.work_programmes_visible_to(request.user).exclude(pk=wp.pk)
    documents = documents_context(request.user, wp)  # compile, files (documents_views.py)
    return render(
        request,
        "programme/programme_detail.html",
        {"wp": wp, "others": others, "next_steps": next_steps(request.user, wp), **documents},
    )
