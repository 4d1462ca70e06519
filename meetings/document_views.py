"""The meeting's list of decisions: compile it, follow the job, download the files."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pompidou.downloads import file_response
from pompidou.errors import DomainError
from pompidou.forms import call_service
from pompidou.job_views import JobPages
from pompidou.rules import gate

from . import document_services, permissions, selectors, services
from .forms import MeetingDocumentForm
from .jobs import DECISION_LIST


@require_POST
def decision_list_compile(request, pk: int):
    """Queue the compilation and open its page, which follows it."""
    meeting = selectors.get_meeting(pk)
    gate(permissions.can_compile_decision_list(request.user, meeting))
    try:
        document, created = call_service(
            None, services.decision_list_compile, meeting=meeting, actor=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("meetings:detail", pk=pk)
    if created:
        messages.success(
            request, _("Compilation of %(ref)s started.") % {"ref": document.reference}
        )
    else:
        messages.info(request, _("A compilation was already under way; here it is."))
    return redirect("meetings:decision_list", pk=pk, doc=document.pk)


class DecisionListPages(JobPages):
    """The compiled list of decisions' page, files and retry (pompidou.job_views)."""

    kind = DECISION_LIST

    def get_job(self, request, *, pk: int, doc: int):
        gate(permissions.can_view_decision_lists(request.user))
        meeting = selectors.get_meeting(pk)
        return get_object_or_404(
            meeting.decision_lists.select_related("requested_by", "meeting"), pk=doc
        )

    def can_retry(self, user, job) -> bool:
        return bool(permissions.can_compile_decision_list(user, job.meeting))

    def retry_service(self, *, job, actor):
        return services.decision_list_compile_retry(document=job, actor=actor)

    def title(self, job) -> str:
        return _("List of decisions of the %(meeting)s") % {"meeting": job.meeting.title}

    def urls(self, job) -> dict:
        args = [job.meeting_id, job.pk]
        return {
            "self": reverse("meetings:decision_list", args=args),
            "pdf": reverse("meetings:decision_list_file", args=[*args, "pdf"]),
            "docx": reverse("meetings:decision_list_file", args=[*args, "docx"]),
            "retry": reverse("meetings:decision_list_retry", args=args),
            "back": reverse("meetings:detail", args=[job.meeting_id]),
            "back_label": job.meeting.title,
        }

    def earlier(self, job) -> list[dict]:
        return [
            {"job": d, "url": reverse("meetings:decision_list", args=[job.meeting_id, d.pk])}
            for d in job.meeting.decision_lists.exclude(pk=job.pk).order_by("-created_at")[:20]
        ]


pages = DecisionListPages()
decision_list_page = pages.page
decision_list_download = pages.download
decision_list_retry = pages.retry


# --- the meeting's own documents ---------------------------------------------------------


@require_POST
def meeting_document_add(request, pk: int):
    from .views import meeting_detail

    meeting = selectors.get_meeting(pk)
    gate(permissions.can_manage_meeting_documents(request.user, meeting))
    form = MeetingDocumentForm(request.POST, request.FILES)
    if form.is_valid() and call_service(
        form,
        document_services.meeting_document_add,
        meeting=meeting,
        actor=request.user,
        file=form.cleaned_data["file"],
        title=form.cleaned_data["title"],
    ):
        messages.success(request, _("The document is added."))
        return redirect(reverse("meetings:detail", args=[pk]) + "#documents")
    return meeting_detail(request, pk, document_form=form, status=400)


@require_POST
def meeting_document_remove(request, pk: int, document_id: int):
    meeting = selectors.get_meeting(pk)
    gate(permissions.can_manage_meeting_documents(request.user, meeting))
    document = get_object_or_404(meeting.documents.select_related("meeting"), pk=document_id)
    call_service(
        None, document_services.meeting_document_remove, document=document, actor=request.user
    )
    messages.success(request, _("The document %(title)s is removed.") % {"title": document.title})
    return redirect(reverse("meetings:detail", args=[pk]) + "#documents")


def meeting_document_download(request, pk: int, document_id: int):
    """Served through the permission check, never as a bare /media/ address."""
    gate(permissions.can_view_meeting_documents(request.user))
    meeting = selectors.get_meeting(pk)
    document = get_object_or_404(meeting.documents, pk=document_id)
    return file_response(document.file, document.filename)
