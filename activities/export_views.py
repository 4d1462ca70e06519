"""The export of the activity list from its page: a short list is answered at once;
a long one is confirmed by the person (a POST, so no link followed by a crawler or a
prefetching browser queues work), then written by a worker while its page shows the
progress (polled by htmx) and, at the end, the download link."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pompidou.downloads import file_response

from . import exports, selectors
from .export_jobs import export_start as start_job
from .export_jobs import get_export_for_user, too_long_to_answer_at_once


def export_list(request, query: QueryDict, *, confirmed: bool = False):
    """The list ``query`` names (its filters, ordering and ``fmt``) as a file: at once
    when short; when long, the page that asks to start the job (GET) or the job
    started (``confirmed``, a POST)."""
    filterset, qs = selectors.filter_activities(request.user, query)
    if not filterset.is_valid():
        return render(
            request,
            "activities/activity_list.html",
            {"filter": filterset, "page": None},
            status=400,
        )
    fmt, filters = query.get("fmt", ""), filterset.form.cleaned_data
    exports.check_format(fmt)  # before counting the rows
    total = too_long_to_answer_at_once(qs, fmt)
    if total is None:
        return exports.export_response(qs, fmt, filters)
    if not confirmed:
        return render(
            request,
            "activities/export_confirm.html",
            {
                "total": total,
                "limit": settings.EXPORT_SYNC_MAX_ROWS,
                "fmt": fmt,
                "query": query.urlencode(),
                "list_query": _without(query, "fmt").urlencode(),
                "filename": exports.export_filename(filters, fmt),
            },
        )
    job = start_job(actor=request.user, query=query, fmt=fmt, filters=filters, total=total)
    return redirect("activities:export", token=job.token)


def _without(query: QueryDict, *names: str) -> QueryDict:
    kept = query.copy()
    for name in names:
        kept.pop(name, None)
    return kept


@login_not_required
@require_POST
def export_confirm(request):
    """Start the export the confirmation page describes (its ``query``)."""
    query = QueryDict(request.POST.get("query", ""))
    if not query.get("fmt"):
        raise BadRequest(_("Say which list to export, and in which format."))
    return export_list(request, query, confirmed=True)


@login_not_required
def export_page(request, token):
    job = get_export_for_user(request.user, token)
    template = (
        "activities/partials/export_status.html"
        if request.headers.get("HX-Request")
        else "activities/export_job.html"
    )
    return render(request, template, {"job": job, "keep_hours": settings.EXPORT_KEEP_HOURS})


@login_not_required
def export_file(request, token):
    job = get_export_for_user(request.user, token)
    if job.status != job.Status.SUCCEEDED:
        raise Http404(_("The export is not written yet."))
    return file_response(job.file, job.filename, exports.CONTENT_TYPES[job.fmt])
