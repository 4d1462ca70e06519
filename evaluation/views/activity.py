"""An activity's evaluation tab and the forms it posts: progress reports filed,
indicators and measurements, feedback requests opened and closed, impact recorded."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities.models import Activity
from pompidou.errors import DomainError
from pompidou.forms import call_service

from .. import charts, permissions, selectors, services
from ..forms import (
    FeedbackRequestForm,
    ImpactAssessmentForm,
    IndicatorForm,
    MeasurementForm,
    ProgressReportForm,
)
from ..models import FeedbackRequest
from ._common import activity_for, back_to, gate


def _activity_page(
    request: HttpRequest, activity: Activity, status: int = 200, **bound
) -> HttpResponse:
    """The tab; a form that failed comes back in ``bound`` with its errors (status 400)."""
    user = request.user
    data = selectors.activity_evaluation(activity)
    reports = data["reports"]
    indicators = data["indicators"]
    can_file = permissions.can_file_progress_report(user, activity)
    can_manage = permissions.can_manage_indicators(user, activity)
    report_form = bound.get("report_form")
    if report_form is None and can_file:
        report_form = ProgressReportForm(activity=activity, filed=[r.period for r in reports])
    if report_form is not None and not report_form.is_bound and not report_form.open_periods:
        report_form = None  # every half-year is filed
    shown = [charts.progress_chart(activity, reports)] if reports else []
    indicator_rows = []
    for indicator in indicators:
        chart = charts.indicator_chart(indicator)
        shown.append(chart)
        indicator_rows.append(
            {
                "indicator": indicator,
                "chart": chart,
                "reached": selectors.indicator_state(indicator),
                "latest": chart.rows[-1][1] if chart.rows else None,
            }
        )
    csv = charts.csv_or_none(request, shown, activity.reference)
    if csv is not None:
        return csv
    charts.with_csv_links(shown, {})
    can_ask = permissions.can_open_feedback_requests(user, activity)
    context = {
        "activity": activity,
        "reports": [
            {
                "report": r,
                "can_edit": permissions.can_edit_progress_report(user, r),
                "can_review": permissions.can_review_progress_report(user, r),
            }
            for r in reports
        ],
        "progress_chart": shown[0] if reports else None,
        "indicators": indicator_rows,
        "feedback_requests": data["feedback_requests"],
        "impact_assessments": data["impact_assessments"],
        "can_view_results": permissions.can_view_feedback_results(user),
        "report_form": report_form,
        "indicator_form": bound.get("indicator_form") or (IndicatorForm() if can_manage else None),
        "measurement_form": bound.get("measurement_form")
        or (
            MeasurementForm(indicators=indicators, auto_id="m_%s")
            if can_manage and indicators
            else None
        ),
        "feedback_form": bound.get("feedback_form")
        or (FeedbackRequestForm(auto_id="fb_%s") if can_ask else None),
        "impact_form": bound.get("impact_form")
        or (
            ImpactAssessmentForm(auto_id="ia_%s")
            if permissions.can_record_impact(user, activity)
            else None
        ),
        "open_form": next(iter(bound), None),
        "today": timezone.localdate(),
    }
    return render(request, "evaluation/activity.html", context, status=status)


def activity_evaluation(request: HttpRequest, reference: str) -> HttpResponse:
    return _activity_page(request, activity_for(request, reference))


@require_POST
def report_file(request: HttpRequest, reference: str) -> HttpResponse:
    activity = activity_for(request, reference)
    gate(permissions.can_file_progress_report(request.user, activity))
    filed = list(activity.progress_reports.values_list("period", flat=True))
    form = ProgressReportForm(request.POST, activity=activity, filed=filed)
    if form.is_valid():
        report = call_service(
            form,
            services.progress_report_file,
            activity=activity,
            actor=request.user,
            **form.cleaned_data,
        )
        if report:
            messages.success(
                request, _("Progress report %(period)s filed.") % {"period": report.period}
            )
            return back_to(activity, "reports")
    return _activity_page(request, activity, status=400, report_form=form)


@require_POST
def indicator_add(request: HttpRequest, reference: str) -> HttpResponse:
    activity = activity_for(request, reference)
    gate(permissions.can_manage_indicators(request.user, activity))
    form = IndicatorForm(request.POST)
    if form.is_valid() and call_service(
        form, services.indicator_add, activity=activity, actor=request.user, **form.cleaned_data
    ):
        messages.success(request, _("Indicator added."))
        return back_to(activity, "indicators")
    return _activity_page(request, activity, status=400, indicator_form=form)


@require_POST
def measurement_add(request: HttpRequest, reference: str) -> HttpResponse:
    activity = activity_for(request, reference)
    gate(permissions.can_manage_indicators(request.user, activity))
    indicators = list(activity.indicators.all())
    form = MeasurementForm(request.POST, indicators=indicators, auto_id="m_%s")
    if form.is_valid() and call_service(
        form, services.measurement_add, actor=request.user, **form.cleaned_data
    ):
        messages.success(request, _("Measurement recorded."))
        return back_to(activity, "indicators")
    return _activity_page(request, activity, status=400, measurement_form=form)


@require_POST
def feedback_open(request: HttpRequest, reference: str) -> HttpResponse:
    activity = activity_for(request, reference)
    gate(permissions.can_open_feedback_requests(request.user))
    form = FeedbackRequestForm(request.POST, auto_id="fb_%s")
    if form.is_valid():
        data = form.cleaned_data
        if call_service(
            form,
            services.feedback_request_open,
            activity=activity,
            actor=request.user,
            audience=data["audience"],
            questions=data["questions"],
            deadline=data["deadline"],
            recipients=list(data["recipients"]),
            invitees=data["invitees"],
        ):
            messages.success(request, _("Feedback request opened."))
            return back_to(activity, "feedback")
    return _activity_page(request, activity, status=400, feedback_form=form)


@require_POST
def feedback_close(request: HttpRequest, pk: int) -> HttpResponse:
    feedback_request = get_object_or_404(FeedbackRequest.objects.select_related("activity"), pk=pk)
    activity = activity_for(request, feedback_request.activity.reference)
    gate(permissions.can_close_feedback_request(request.user, feedback_request))
    try:
        call_service(
            None, services.feedback_request_close, request=feedback_request, actor=request.user
        )
    except DomainError as exc:  # already closed (by the deadline, or a second click)
        messages.error(request, exc.message)
        return _activity_page(request, activity, status=400)
    messages.success(request, _("Feedback request closed."))
    return back_to(activity, "feedback")


@require_POST
def impact_record(request: HttpRequest, reference: str) -> HttpResponse:
    activity = activity_for(request, reference)
    gate(permissions.can_record_impact(request.user))
    form = ImpactAssessmentForm(request.POST, request.FILES, auto_id="ia_%s")
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["evidence"] = data.get("evidence") or None
        if call_service(
            form, services.impact_assessment_record, activity=activity, actor=request.user, **data
        ):
            messages.success(request, _("Impact assessment recorded."))
            return back_to(activity, "impact")
    return _activity_page(request, activity, status=400, impact_form=form)


# --- one progress report: edit, review, accept -------------------------------------------
