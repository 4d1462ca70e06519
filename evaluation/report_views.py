"""Pages of the compiled evaluation reports: ask, follow, download, retry."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pompidou.forms import call_service
from pompidou.job_views import download, job_page
from programme.models import PermanentFormat, ThematicPriority, WorkProgramme

from . import permissions, services
from .forms import CompileReportForm
from .models import EvaluationReport


def _compile_form(wp: WorkProgramme | None, data=None, year=None) -> CompileReportForm:
    """The compile form over the work programme in force; its period defaults to
    ``year`` (the year being viewed) or else the current year of the programme."""
    if wp is None:
        years: list[int] = []
    else:
        years = list(wp.years)
    if year is None and years:
        year = min(max(timezone.localdate().year, years[0]), years[-1])
    return CompileReportForm(
        data,
        years=years,
        priorities=ThematicPriority.objects.filter(work_programme=wp).only("id", "number", "title"),
        formats=PermanentFormat.objects.filter(work_programme=wp).only(
            "id", "number", "name", "short_name"
        ),
        year=year,
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
    """Queue the report and go to its page, which follows the job; a bad period or
    scope comes back as form errors on the reports page."""
    if not permissions.can_accept_progress_report(request.user):
        raise PermissionDenied
    wp = WorkProgramme.objects.in_force().first()
    form = _compile_form(wp, request.POST)
    if wp is None:
        form.add_error(None, _("No work programme is in force."))
    elif form.is_valid():
        result = call_service(
            form,
            services.evaluation_report_compile,
            actor=request.user,
            work_programme=wp,
            **form.cleaned_data,
        )
        if result:
            report, created = result
            if created:
                messages.success(
                    request, _("Compilation of %(ref)s started.") % {"ref": report.reference}
                )
            else:
                messages.info(request, _("This report was already being compiled; here it is."))
            return redirect("evaluation:report", pk=report.pk)
    return _report_list(request, form, status=400)


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
    if report.first_year == report.last_year:
        title = _("Evaluation report %(year)s") % {"year": report.first_year}
    else:
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
    form = None
    if permissions.can_accept_progress_report(request.user):
        wp = WorkProgramme.objects.in_force().first()
        year = request.GET.get("year")
        form = _compile_form(wp, year=int(year) if year and year.isdigit() else None)
    return _report_list(request, form)


def _report_list(request, form, status: int = 200):
    reports = EvaluationReport.objects.select_related("requested_by").order_by("-created_at")[:50]
    return render(
        request,
        "evaluation/report_list.html",
        {"reports": reports, "compile_form": form},
        status=status,
    )
