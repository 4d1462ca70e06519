"""The pages of a compiled document, shared by the annual programme and the
evaluation reports: the job with its htmx-polled progress, downloads, retry."""

from django.http import Http404
from django.shortcuts import render

from . import jobs
from .downloads import file_response


def job_page(request, job, *, title: str, earlier, urls: dict, can_retry: bool):
    """The job's page, or only its status card when htmx polls it."""
    jobs.mark_stale(type(job))
    job.refresh_from_db()
    context = {"job": job, "title": title, "earlier": earlier, "urls": urls, "can_retry": can_retry}
    if request.headers.get("HX-Request"):
        return render(request, "documents/partials/job_status.html", context)
    return render(request, "documents/job.html", context)


def download(job, kind: str):
    field = {"pdf": job.pdf, "docx": job.docx}.get(kind)
    if not field:
        raise Http404("This file does not exist (yet).")
    return file_response(field, f"{job.file_stem}.{kind}")
