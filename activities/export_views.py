"""The page of an export written by a worker (its progress, polled by htmx, then
the download link) and its file."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from pompidou.downloads import file_response

from . import exports
from .export_jobs import get_export_for_user


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
