"""The work programme's compiled documents on its page: the "Compile" button, the job
(its own page, polled), the files in each language, retry (pompidou.job_views)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pompidou.forms import call_service
from pompidou.job_views import JobPages, job_listing
from pompidou.jobs import WORK_PROGRAMME
from pompidou.rules import gate

from . import documents_services, permissions, selectors
from .models import WorkProgramme


def documents_context(user, wp: WorkProgramme) -> dict:
    """The page's documents section: the compile control, the job under way (polled),
    the latest PDF and DOCX in each language, earlier versions."""
    if not permissions.can_view_work_programme_documents(user, wp):
        return {"can_view_documents": False, "can_compile": False}
    WORK_PROGRAMME.sweep()
    documents = job_listing(wp.documents.all())
    can_compile = bool(permissions.can_compile_work_programme(user, wp))
    return {
        "can_view_documents": True,
        "can_compile": can_compile,
        "documents": documents,
        "job": documents.active,
        "urls": document_pages.urls(documents.active) if documents.active else None,
        "can_retry": can_compile,  # "Send again" on a job the queue did not take
    }


def documents_section(request, pk: int):
    """The documents section alone, polled by htmx while a compilation runs, so the
    new files appear the moment the job is done."""
    gate(permissions.can_view_work_programme_documents(request.user))
    wp = get_object_or_404(selectors.work_programmes_visible_to(request.user), pk=pk)
    return render(
        request,
        "programme/partials/programme_documents.html",
        {"wp": wp, **documents_context(request.user, wp)},
    )


@require_POST
def compile_document(request, pk: int):
    """Queue the compilation and come back to the programme's page, which follows it."""
    gate(permissions.can_compile_work_programme(request.user))
    wp = get_object_or_404(selectors.work_programmes_visible_to(request.user), pk=pk)
    document, created = call_service(
        None, documents_services.work_programme_compile, work_programme=wp, actor=request.user
    )
    if created:
        messages.success(
            request, _("Compilation of %(ref)s started.") % {"ref": document.reference}
        )
    else:
        messages.info(request, _("A compilation was already under way; here it is."))
    return redirect(reverse("programme:detail", args=[wp.pk]) + "#wp-documents")


class WorkProgrammeDocumentPages(JobPages):
    """The compiled work programme's page, files and retry."""

    kind = WORK_PROGRAMME

    def get_job(self, request, *, pk: int, document: int):
        gate(permissions.can_view_work_programme_documents(request.user))
        wp = get_object_or_404(selectors.work_programmes_visible_to(request.user), pk=pk)
        return get_object_or_404(
            wp.documents.select_related("requested_by", "work_programme"), pk=document
        )

    def can_retry(self, user, job) -> bool:
        return bool(permissions.can_compile_work_programme(user, job.work_programme))

    def retry_service(self, *, job, actor):
        return documents_services.work_programme_compile_retry(document=job, actor=actor)

    def title(self, job) -> str:
        return str(job.work_programme.title)

    def urls(self, job) -> dict:
        args = [job.work_programme_id, job.pk]
        return {
            "self": reverse("programme:document", args=args),
            "pdf": reverse("programme:download", args=[*args, "pdf"]),
            "docx": reverse("programme:download", args=[*args, "docx"]),
            "retry": reverse("programme:retry", args=args),
            "back": reverse("programme:detail", args=[job.work_programme_id]),
            "back_label": str(job.work_programme.title),
        }

    def earlier(self, job) -> list[dict]:
        return [
            {"job": d, "url": reverse("programme:document", args=[job.work_programme_id, d.pk])}
            for d in job.work_programme.documents.exclude(pk=job.pk).order_by("-created_at")[:20]
        ]


document_pages = WorkProgrammeDocumentPages()
