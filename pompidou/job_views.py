"""The pages of a compiled document, shared by the annual programme and the
evaluation reports: the job with its htmx-polled progress, downloads, retry.

An app subclasses :class:`JobPages` with how to find a job for a user and what its
page shows, and routes its URLs to ``page``, ``download`` and ``retry``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from .downloads import file_response
from .errors import DomainError
from .forms import call_service
from .jobs import DocumentKind, sweep
from .models import ReportJob


@dataclass(frozen=True)
class JobListing:
    """A document's compilations as its page lists them: the one under way, the
    latest that succeeded, and every other (newest first)."""

    active: ReportJob | None
    latest: ReportJob | None
    earlier: list[ReportJob]


def job_listing(jobs: Any) -> JobListing:
    """One query: ``jobs`` (a queryset of one document's compilations) as listed on its
    page. A document is compiled a handful of times, so no paging."""
    docs = list(
        jobs.defer("requested_by", "started_at", "heartbeat_at").order_by("-created_at", "-pk")
    )
    active = next((d for d in docs if d.status in ReportJob.ACTIVE), None)
    latest = next((d for d in docs if d.status == ReportJob.Status.SUCCEEDED), None)
    return JobListing(active, latest, [d for d in docs if d is not active and d is not latest])


def job_page(
    request: HttpRequest,
    job: ReportJob,
    *,
    title: str,
    earlier: list[dict],
    urls: dict,
    can_retry: bool,
) -> HttpResponse:
    """The job's page, or only its status card when htmx polls it."""
    if any(sweep(type(job)).values()):
        job.refresh_from_db()
    context = {"job": job, "title": title, "earlier": earlier, "urls": urls, "can_retry": can_retry}
    if request.headers.get("HX-Request"):
        return render(request, "documents/partials/job_status.html", context)
    return render(request, "documents/job.html", context)


def requested_language(request: HttpRequest) -> str:
    """The language of a document's file: ``?language=`` when given (a French reader
    may want the English version), else the page's or the request's language."""
    language = request.GET.get("language") or translation.get_language() or ""
    language = language.split("-")[0].lower()
    if language not in ReportJob.languages():
        raise Http404(_("There is no version of this document in that language."))
    return language


def download(
    job: ReportJob, kind: str, language: str, content_type: str | None = None
) -> HttpResponseBase:
    """A compiled file in ``language``, for the pages and the API alike (404 with the
    reason when there is none yet)."""
    if kind not in job.KINDS:
        raise Http404(_("There is no file here."))
    field = job.file(kind, language)
    if job.status != job.Status.SUCCEEDED or not field:
        raise Http404(
            _("The %(kind)s of %(reference)s does not exist (yet).")
            % {"kind": kind.upper(), "reference": job.reference}
        )
    response = file_response(field, job.download_name(kind, language), content_type)
    response["Content-Language"] = language
    return response


class JobPages:
    """The page, the downloads and the retry of one kind of compiled document."""

    kind: DocumentKind[Any]

    # --- what the app says -----------------------------------------------------------

    def get_job(self, request: HttpRequest, *args: Any, **kwargs: Any) -> ReportJob:
        """The job the URL names, 404 for what the user may not see (403 before the
        lookup for someone who sees no document of this kind)."""
        raise NotImplementedError

    def can_retry(self, user: Any, job: ReportJob) -> bool:
        raise NotImplementedError

    def retry_service(self, *, job: ReportJob, actor: Any) -> ReportJob:
        """The app's retry service (it checks its own permission)."""
        raise NotImplementedError

    def title(self, job: ReportJob) -> str:
        raise NotImplementedError

    def urls(self, job: ReportJob) -> dict:
        """``self``, ``pdf``, ``docx``, ``retry``, ``back`` and ``back_label``."""
        raise NotImplementedError

    def earlier(self, job: ReportJob) -> list[dict]:
        """Earlier versions of the same document: ``[{"job", "url"}]``."""
        return []

    # --- the views ---------------------------------------------------------------------

    def page(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        job = self.get_job(request, **kwargs)
        return job_page(
            request,
            job,
            title=self.title(job),
            earlier=self.earlier(job),
            urls=self.urls(job),
            can_retry=self.can_retry(request.user, job),
        )

    def download(self, request: HttpRequest, kind: str, **kwargs: Any) -> HttpResponseBase:
        return download(self.get_job(request, **kwargs), kind, requested_language(request))

    def retry(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        job = self.get_job(request, **kwargs)
        if not self.can_retry(request.user, job):
            raise PermissionDenied
        try:
            call_service(None, self.retry_service, job=job, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(self.urls(job)["self"])
