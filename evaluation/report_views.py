"""Pages of the compiled evaluation reports: ask, follow, download, retry."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pompidou.forms import call_service
from pompidou.job_views import download, job_page
from programme.models import PermanentFormat, ThematicPriority, WorkProgramme

from . import permissions, services
from .models import EvaluationReport


class ReportForm(forms.Form):
    first_year = forms.IntegerField(label=gettext_lazy("From"))
    last_year = forms.IntegerField(label=gettext_lazy("To"))
    scope = forms.ChoiceField(label=gettext_lazy("Scope"), choices=EvaluationReport.Scope.choices)
    priority = forms.ModelChoiceField(
        ThematicPriority.objects.all(), required=False, label=gettext_lazy("Thematic priority")
    )
    format = forms.ModelChoiceField(
        PermanentFormat.objects.all(), required=False, label=gettext_lazy("Activity format")
    )


def _urls(report: EvaluationReport) -> dict:
    return {
        "self": reverse("evaluation:report", args=[report.pk]),
        "pdf": reverse("evaluation:report_download", args=[report.pk, "pdf"]),
        "docx": reverse("evaluation:report_download", args=[report.pk, "docx"]),
        "retry": reverse("evaluation:report_retry", args=[report.pk]),
        "back": reverse("evaluation:overview"),
        "back_label": _("Evaluation"),
    }


@require_POST
def compile_report(request):
    if not permissions.can_accept_progress_report(request.user):
        raise PermissionDenied
    wp = WorkProgramme.objects.in_force().first()
    form = ReportForm(request.POST)
    if wp is None or not form.is_valid():
        errors = form.errors.as_text() if wp else _("No work programme is in force.")
        messages.error(request, _("The report could not be compiled: %(e)s") % {"e": errors})
        return redirect("evaluation:overview")
    try:
        report, created = call_service(
            None,
            services.evaluation_report_compile,
            actor=request.user,
            work_programme=wp,
            **form.cleaned_data,
        )
    except services.DomainError as exc:
        messages.error(request, exc.message)
        return redirect("evaluation:overview")
    if not created:
        messages.info(request, _("This report was already being compiled; here it is."))
    return redirect("evaluation:report", pk=report.pk)


def report_detail(request, pk: int):
    if not permissions.can_view_overview(request.user):
        raise PermissionDenied
    report = get_object_or_404(EvaluationReport.objects.select_related("requested_by"), pk=pk)
    earlier = [
        {"job": r, "url": reverse("evaluation:report", args=[r.pk])}
        for r in EvaluationReport.objects.filter(key=report.key)
        .exclude(pk=pk)
        .order_by("-created_at")[:20]
    ]
    title = _("Evaluation report %(a)s–%(b)s") % {"a": report.first_year, "b": report.last_year}
    return job_page(
        request,
        report,
        title=title,
        earlier=earlier,
        urls=_urls(report),
        can_retry=permissions.can_accept_progress_report(request.user),
    )


def report_download(request, pk: int, kind: str):
    if not permissions.can_view_overview(request.user):
        raise PermissionDenied
    return download(get_object_or_404(EvaluationReport, pk=pk), kind)


@require_POST
def report_retry(request, pk: int):
    if not permissions.can_accept_progress_report(request.user):
        raise PermissionDenied
    report = get_object_or_404(EvaluationReport, pk=pk)
    try:
        call_service(None, services.evaluation_report_retry, report=report, actor=request.user)
    except services.DomainError as exc:
        messages.error(request, exc.message)
    return redirect("evaluation:report", pk=pk)


def report_list(request):
    if not permissions.can_view_overview(request.user):
        raise PermissionDenied
    reports = EvaluationReport.objects.select_related("requested_by").order_by("-created_at")[:50]
    return render(request, "evaluation/report_list.html", {"reports": reports})
