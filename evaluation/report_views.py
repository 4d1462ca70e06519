"""Pages of the compiled evaluation reports: ask, follow, download, retry."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pompidou.forms import call_service
from pompidou.job_views import JobPages
from programme.models import PermanentFormat, ThematicPriority, WorkProgramme

from . import permissions, services
from .forms import CompileReportForm
from .jobs import EVALUATION_REPORT
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


class EvaluationReportPages(JobPages):
    """A compiled evaluation report's page, files and retry (pompidou.job_views)."""

    kind = EVALUATION_REPORT

    def get_job(self, request, *, pk: int) -> EvaluationReport:
        if not permissions.can_view_overview(request.user):
            raise PermissionDenied
        return get_object_or_404(EvaluationReport.objects.select_related("requested_by"), pk=pk)

    def can_retry(self, user, job) -> bool:
        return permissions.can_accept_progress_report(user)

    def retry_service(self, *, job, actor):
        return services.evaluation_report_retry(report=job, actor=actor)

    def title(self, job) -> str:
        if job.first_year == job.last_year:
            return _("Evaluation report %(year)s") % {"year": job.first_year}
        return _("Evaluation report %(a)s–%(b)s") % {"a": job.first_year, "b": job.last_year}

    def urls(self, job) -> dict:
        return {
            "self": reverse("evaluation:report", args=[job.pk]),
            "pdf": reverse("evaluation:report_download", args=[job.pk, "pdf"]),
            "docx": reverse("evaluation:report_download", args=[job.pk, "docx"]),
            "retry": reverse("evaluation:report_retry", args=[job.pk]),
            "back": reverse("evaluation:overview"),
            "back_label": _("Evaluation"),
        }

    def earlier(self, job) -> list[dict]:
        return [
            {"job": r, "url": reverse("evaluation:report", args=[r.pk])}
            for r in EvaluationReport.objects.filter(key=job.key)
            .exclude(pk=job.pk)
            .order_by("-created_at")[:20]
        ]


report_pages = EvaluationReportPages()
report_detail = report_pages.page
report_download = report_pages.download
report_retry = report_pages.retry


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
