"""Pages of the evaluation (section 2.3 of the work programme): an activity's
evaluation tab, a progress report, the overview of the Bureau and the Secretariat,
"my feedback requests" and the public answer page of a signed link. Thin views over
the services, selectors and permissions of this app.

Each chart is drawn by static/js/charts.js from the data the page carries in a
``json_script``; the same rows make its table (for screen readers, and anyone) and
its CSV download (``?format=csv&chart=<name>`` on the page's own address).
"""

import csv
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import selectors as activity_selectors
from activities.models import Activity
from pompidou.errors import DomainError
from pompidou.forms import call_service
from programme.models import PermanentFormat, ThematicPriority, WorkProgramme

from . import permissions, selectors, services
from .forms import (
    CompileReportForm,
    FeedbackAnswerForm,
    FeedbackRequestForm,
    ImpactAssessmentForm,
    IndicatorForm,
    MeasurementForm,
    OverviewForm,
    ProgressReportEditForm,
    ProgressReportForm,
    ReviewForm,
)
from .models import FeedbackRequest, Indicator, ProgressReport

RAG_COLORS = {
    "on_track": "#198754",
    "at_risk": "#e0a800",
    "off_track": "#dc3545",
    "none": "#adb5bd",
}
STATUS_COLORS = {
    "planned": "#6c757d",
    "ongoing": "#0d6efd",
    "completed": "#198754",
    "cancelled": "#dc3545",
    "suspended": "#fd7e14",
}
PLANNED, SPENT = "#0b3a6e", "#6ea8fe"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _rag_labels() -> dict[str, str]:
    return {**dict(ProgressReport.Status.choices), "none": _("No report")}


# --- charts, their tables and their CSV -------------------------------------------------


def _shown(value) -> str:
    """A table cell in the reader's language (grouped thousands, decimal comma in French)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        places = 0 if value == value.to_integral_value() else 2
        return number_format(value, places, use_l10n=True, force_grouping=True)
    if isinstance(value, float):
        return number_format(value, 2, use_l10n=True, force_grouping=True)
    if isinstance(value, int):
        return number_format(value, 0, use_l10n=True, force_grouping=True)
    return str(value)


def _number(value):
    """A JSON number for Chart.js (Decimals would travel as strings)."""
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal | float) else value


@dataclass
class Chart:
    """One chart: what charts.js draws, the same figures as a table, and as CSV."""

    name: str
    title: str
    columns: list[str]
    rows: list[list]
    spec: dict
    csv_url: str = ""
    note: str = ""

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def element_id(self) -> str:
        return f"chart-{self.name}"

    @property
    def data_id(self) -> str:
        return f"chart-{self.name}-data"

    @property
    def shown_rows(self) -> list[list[str]]:
        return [[_shown(v) for v in row] for row in self.rows]

    @property
    def description(self) -> str:
        """The canvas's accessible name: the title and every figure, in words."""
        if not self.rows:
            return _("%(title)s: no data.") % {"title": self.title}
        parts = []
        for row in self.shown_rows:
            values = ", ".join(
                f"{column.lower()} {value}"
                for column, value in zip(self.columns[1:], row[1:], strict=True)
            )
            parts.append(f"{row[0]}: {values}")
        return f"{self.title}. " + "; ".join(parts) + "."


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, float | Decimal):
        return f"{value:.2f}"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # a spreadsheet would run it as a formula
    return value


def _csv_response(chart: Chart, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # spreadsheet programs then read the accents as UTF-8
    writer = csv.writer(response)
    writer.writerow(chart.columns)
    for row in chart.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return response


def _csv_or_none(request, charts: list[Chart], filename: str) -> HttpResponse | None:
    if request.GET.get("format") != "csv":
        return None
    wanted = request.GET.get("chart", "")
    for chart in charts:
        if chart.name == wanted:
            return _csv_response(chart, f"{filename}-{chart.name}")
    raise BadRequest(f"No chart named {wanted!r} on this page.")


def _with_csv_links(charts: list[Chart], query: dict) -> list[Chart]:
    for chart in charts:
        chart.csv_url = "?" + urlencode({**query, "format": "csv", "chart": chart.name})
    return charts


def _short(text: str, length: int = 32) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# --- an activity's evaluation tab -------------------------------------------------------


def _activity_for(request, reference: str) -> Activity:
    activity = activity_selectors.get_activity_for_user(request.user, reference)
    _require(permissions.can_view_activity_evaluation(request.user, activity))
    return activity


def _progress_chart(activity: Activity, reports: list[ProgressReport]) -> Chart:
    rag = _rag_labels()
    return Chart(
        name="progress",
        title=_("Percent complete by half-year"),
        columns=[_("Period"), _("Status"), _("Percent complete")],
        rows=[[r.period, rag[r.status], r.percent_complete] for r in reports],
        spec={
            "type": "line",
            "labels": [r.period for r in reports],
            "datasets": [
                {
                    "label": _("Percent complete"),
                    "data": [r.percent_complete for r in reports],
                    "color": PLANNED,
                    "pointColors": [RAG_COLORS[r.status] for r in reports],
                }
            ],
            "y": {"min": 0, "max": 100, "suffix": " %"},
            "legend": False,
        },
    )


def _indicator_chart(indicator: Indicator) -> Chart:
    # From the prefetched measurements (oldest first): no query per indicator.
    measurements = list(indicator.measurements.all())
    labels = [m.date.isoformat() for m in measurements]
    unit = f" ({indicator.unit})" if indicator.unit else ""
    return Chart(
        name=f"indicator-{indicator.pk}",
        title=_("%(name)s: measurements against baseline and target") % {"name": indicator.name},
        columns=[_("Date"), _("Value") + unit, _("Baseline"), _("Target"), _("Note")],
        rows=[
            [m.date.isoformat(), m.value, indicator.baseline, indicator.target, m.note]
            for m in measurements
        ],
        spec={
            "type": "line",
            "labels": labels,
            "datasets": [
                {
                    "label": _("Measured"),
                    "data": [_number(m.value) for m in measurements],
                    "color": PLANNED,
                },
                {
                    "label": _("Baseline"),
                    "data": [_number(indicator.baseline)] * len(measurements),
                    "color": "#6c757d",
                    "dashed": True,
                    "points": False,
                },
                {
                    "label": _("Target"),
                    "data": [_number(indicator.target)] * len(measurements),
                    "color": "#198754",
                    "dashed": True,
                    "points": False,
                },
            ],
        },
    )


def _activity_page(request, activity: Activity, status: int = 200, **bound):
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
    charts = [_progress_chart(activity, reports)] if reports else []
    indicator_rows = []
    for indicator in indicators:
        chart = _indicator_chart(indicator)
        charts.append(chart)
        indicator_rows.append(
            {
                "indicator": indicator,
                "chart": chart,
                "reached": selectors.indicator_state(indicator),
                "latest": chart.rows[-1][1] if chart.rows else None,
            }
        )
    csv = _csv_or_none(request, charts, activity.reference)
    if csv is not None:
        return csv
    _with_csv_links(charts, {})
    is_secretariat = permissions.can_open_feedback_requests(user)
    context = {
        "activity": activity,
        "reports": [
            {
                "report": r,
                "can_edit": permissions.can_edit_progress_report(user, r),
                "can_review": permissions.can_review_progress_report(user, r) and not r.is_accepted,
            }
            for r in reports
        ],
        "progress_chart": charts[0] if reports else None,
        "indicators": indicator_rows,
        "feedback_requests": data["feedback_requests"],
        "impact_assessments": data["impact_assessments"],
        "can_accept": permissions.can_accept_progress_report(user),
        "can_view_results": permissions.can_view_feedback_results(user),
        "can_close_requests": is_secretariat,
        "report_form": report_form,
        "indicator_form": bound.get("indicator_form") or (IndicatorForm() if can_manage else None),
        "measurement_form": bound.get("measurement_form")
        or (
            MeasurementForm(indicators=indicators, auto_id="m_%s")
            if can_manage and indicators
            else None
        ),
        "feedback_form": bound.get("feedback_form")
        or (FeedbackRequestForm(auto_id="fb_%s") if is_secretariat else None),
        "impact_form": bound.get("impact_form")
        or (ImpactAssessmentForm(auto_id="ia_%s") if permissions.can_record_impact(user) else None),
        "open_form": next(iter(bound), None),
        "today": timezone.localdate(),
    }
    return render(request, "evaluation/activity.html", context, status=status)


def activity_evaluation(request, reference: str):
    return _activity_page(request, _activity_for(request, reference))


def _back_to(activity: Activity, anchor: str):
    return redirect(reverse("evaluation:activity", args=[activity.reference]) + f"#{anchor}")


@require_POST
def report_file(request, reference: str):
    activity = _activity_for(request, reference)
    _require(permissions.can_file_progress_report(request.user, activity))
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
            return _back_to(activity, "reports")
    return _activity_page(request, activity, status=400, report_form=form)


@require_POST
def indicator_add(request, reference: str):
    activity = _activity_for(request, reference)
    _require(permissions.can_manage_indicators(request.user, activity))
    form = IndicatorForm(request.POST)
    if form.is_valid() and call_service(
        form, services.indicator_add, activity=activity, actor=request.user, **form.cleaned_data
    ):
        messages.success(request, _("Indicator added."))
        return _back_to(activity, "indicators")
    return _activity_page(request, activity, status=400, indicator_form=form)


@require_POST
def measurement_add(request, reference: str):
    activity = _activity_for(request, reference)
    _require(permissions.can_manage_indicators(request.user, activity))
    indicators = list(activity.indicators.all())
    form = MeasurementForm(request.POST, indicators=indicators, auto_id="m_%s")
    if form.is_valid() and call_service(
        form, services.measurement_add, actor=request.user, **form.cleaned_data
    ):
        messages.success(request, _("Measurement recorded."))
        return _back_to(activity, "indicators")
    return _activity_page(request, activity, status=400, measurement_form=form)


@require_POST
def feedback_open(request, reference: str):
    activity = _activity_for(request, reference)
    _require(permissions.can_open_feedback_requests(request.user))
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
            return _back_to(activity, "feedback")
    return _activity_page(request, activity, status=400, feedback_form=form)


@require_POST
def feedback_close(request, pk: int):
    feedback_request = get_object_or_404(FeedbackRequest.objects.select_related("activity"), pk=pk)
    activity = _activity_for(request, feedback_request.activity.reference)
    _require(permissions.can_open_feedback_requests(request.user))
    call_service(
        None, services.feedback_request_close, request=feedback_request, actor=request.user
    )
    messages.success(request, _("Feedback request closed."))
    return _back_to(activity, "feedback")


@require_POST
def impact_record(request, reference: str):
    activity = _activity_for(request, reference)
    _require(permissions.can_record_impact(request.user))
    form = ImpactAssessmentForm(request.POST, request.FILES, auto_id="ia_%s")
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["evidence"] = data.get("evidence") or None
        if call_service(
            form, services.impact_assessment_record, activity=activity, actor=request.user, **data
        ):
            messages.success(request, _("Impact assessment recorded."))
            return _back_to(activity, "impact")
    return _activity_page(request, activity, status=400, impact_form=form)


# --- one progress report: edit, review, accept -------------------------------------------


def _report_for(request, pk: int) -> ProgressReport:
    report = get_object_or_404(
        ProgressReport.objects.select_related(
            "activity__lead_member_state",
            "activity__supervisor",
            "submitted_by",
            "reviewed_by",
            "accepted_by",
        ),
        pk=pk,
    )
    visible = activity_selectors.activities_visible_to(request.user)
    if not visible.filter(pk=report.activity_id).exists():
        raise Http404("No such report.")
    _require(permissions.can_view_activity_evaluation(request.user, report.activity))
    return report


def _report_page(request, report: ProgressReport, status: int = 200, **bound):
    user = request.user
    can_edit = permissions.can_edit_progress_report(user, report)
    can_review = permissions.can_review_progress_report(user, report) and not report.is_accepted
    edit_form = bound.get("edit_form")
    if edit_form is None and can_edit:
        edit_form = ProgressReportEditForm(
            initial={f: getattr(report, f) for f in services.REPORT_FIELDS}
        )
    review_form = bound.get("review_form")
    if review_form is None and can_review:
        review_form = ReviewForm(initial={"comment": report.reviewer_comment}, auto_id="rv_%s")
    return render(
        request,
        "evaluation/progress_report.html",
        {
            "report": report,
            "activity": report.activity,
            "edit_form": edit_form,
            "review_form": review_form,
            "can_accept": permissions.can_accept_progress_report(user) and not report.is_accepted,
        },
        status=status,
    )


def report_detail(request, pk: int):
    return _report_page(request, _report_for(request, pk))


@require_POST
def report_edit(request, pk: int):
    report = _report_for(request, pk)
    _require(permissions.can_edit_progress_report(request.user, report))
    form = ProgressReportEditForm(request.POST)
    if form.is_valid() and call_service(
        form,
        services.progress_report_update,
        report=report,
        actor=request.user,
        **form.cleaned_data,
    ):
        messages.success(
            request, _("Progress report %(period)s saved.") % {"period": report.period}
        )
        return _back_to(report.activity, "reports")
    return _report_page(request, report, status=400, edit_form=form)


@require_POST
def report_review(request, pk: int):
    report = _report_for(request, pk)
    _require(permissions.can_review_progress_report(request.user, report))
    form = ReviewForm(request.POST, auto_id="rv_%s")
    if form.is_valid() and call_service(
        form,
        services.progress_report_review,
        report=report,
        actor=request.user,
        comment=form.cleaned_data["comment"],
    ):
        messages.success(request, _("Review of %(period)s saved.") % {"period": report.period})
        return _back_to(report.activity, "reports")
    return _report_page(request, report, status=400, review_form=form)


@require_POST
def report_accept(request, pk: int):
    report = _report_for(request, pk)
    _require(permissions.can_accept_progress_report(request.user))
    try:
        call_service(None, services.progress_report_accept, report=report, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Progress report %(period)s accepted.") % {"period": report.period}
        )
    return _back_to(report.activity, "reports")


# --- the overview (the Bureau and the Secretariat) ----------------------------------------


def _programme_years(wp: WorkProgramme | None) -> list[int]:
    if wp is not None:
        return list(wp.years)
    today = timezone.localdate()
    return [today.year]


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _latest_year_with_activities(years: list[int]) -> int:
    """The last year of ``years`` in which an activity runs (one aggregate query)."""
    latest = Activity.objects.filter(
        start_date__year__lte=years[-1], end_date__year__gte=years[0]
    ).aggregate(end=Max("end_date"))["end"]
    return min(latest.year, years[-1]) if latest else years[-1]


def _overview_charts(ov: selectors.Overview) -> list[Chart]:
    statuses = Activity.Status.choices
    rag = _rag_labels()
    charts = [
        Chart(
            name="status",
            title=_("Activities by status"),
            columns=[_("Status"), _("Activities")],
            rows=[[label, ov.by_status.get(value, 0)] for value, label in statuses],
            spec={
                "type": "bar",
                "labels": [label for _value, label in statuses],
                "datasets": [
                    {
                        "label": _("Activities"),
                        "data": [ov.by_status.get(value, 0) for value, _label in statuses],
                        "colors": [STATUS_COLORS[value] for value, _label in statuses],
                    }
                ],
                "legend": False,
                "integers": True,
            },
        ),
        Chart(
            name="rag",
            title=_("Activities by RAG status of their latest report in the year"),
            columns=[_("RAG status"), _("Activities")],
            rows=[[label, ov.by_rag.get(value, 0)] for value, label in rag.items()],
            spec={
                "type": "doughnut",
                "labels": list(rag.values()),
                "datasets": [
                    {
                        "label": _("Activities"),
                        "data": [ov.by_rag.get(value, 0) for value in rag],
                        "colors": [RAG_COLORS[value] for value in rag],
                    }
                ],
            },
        ),
    ]
    for name, title, rows, label_key in (
        (
            "budget-priority",
            _("Budget planned and spent by thematic priority"),
            ov.budget_by_priority,
            "title",
        ),
        (
            "budget-format",
            _("Budget planned and spent by activity format"),
            ov.budget_by_format,
            "name",
        ),
    ):
        labelled = [
            # The selector's row "—" gathers the activities outside the formats.
            (
                _("Time-limited activities")
                if row["number"] == "—"
                else f"{row['number']} {row[label_key]}",
                row,
            )
            for row in rows
        ]
        charts.append(
            Chart(
                name=name,
                title=title,
                columns=[
                    _("Priority") if name == "budget-priority" else _("Format"),
                    _("Activities"),
                    _("Planned (EUR)"),
                    _("Spent (EUR)"),
                ],
                rows=[[lab, r["activities"], r["planned"], r["spent"]] for lab, r in labelled],
                spec={
                    "type": "bar",
                    "labels": [_short(lab) for lab, _r in labelled],
                    "datasets": [
                        {
                            "label": _("Planned (EUR)"),
                            "data": [_number(r["planned"]) for _lab, r in labelled],
                            "color": PLANNED,
                        },
                        {
                            "label": _("Spent (EUR)"),
                            "data": [_number(r["spent"]) for _lab, r in labelled],
                            "color": SPENT,
                        },
                    ],
                    "horizontal": True,
                    "suffix": " EUR",
                },
            )
        )
    ratings = [
        ("relevance", _("Relevance")),
        ("quality", _("Quality")),
        ("usefulness", _("Usefulness")),
        ("impact", _("Likely impact")),
    ]
    fb = ov.feedback
    charts.append(
        Chart(
            name="feedback",
            title=_("Mean feedback ratings (1–5)"),
            columns=[_("Rating"), _("Mean (1–5)"), _("Answers")],
            rows=(
                [[label, fb[key], fb["responses"]] for key, label in ratings]
                if fb["responses"]
                else []
            ),
            spec={
                "type": "bar",
                "labels": [label for _key, label in ratings],
                "datasets": [
                    {
                        "label": _("Mean (1–5)"),
                        "data": [_number(fb[key]) for key, _label in ratings],
                        "color": PLANNED,
                    }
                ],
                "horizontal": True,
                "x": {"min": 0, "max": 5},
                "legend": False,
            },
            note=_("%(n)s answers to feedback requests.") % {"n": fb["responses"]},
        )
    )
    ind = ov.indicators
    not_measured = ind["total"] - ind["measured"]
    indicator_rows = [
        (_("On target"), ind["on_target"], "#198754"),
        (_("Off target"), ind["off_target"], "#dc3545"),
        (_("Not measured yet"), not_measured, "#adb5bd"),
    ]
    charts.append(
        Chart(
            name="indicators",
            title=_("Indicators on and off target (latest measurement)"),
            columns=[_("Indicators"), _("Number")],
            rows=[[label, n] for label, n, _c in indicator_rows] if ind["total"] else [],
            spec={
                "type": "doughnut",
                "labels": [label for label, _n, _c in indicator_rows],
                "datasets": [
                    {
                        "label": _("Indicators"),
                        "data": [n for _label, n, _c in indicator_rows],
                        "colors": [c for _label, _n, c in indicator_rows],
                    }
                ],
            },
        )
    )
    tv = ov.transversal

    def share(n):
        return (Decimal(n) * 100 / ov.total).quantize(Decimal("0.1")) if ov.total else None

    transversal_rows = [
        (_("Human rights"), tv["human_rights"]),
        (_("Gender"), tv["gender"]),
        (_("Both"), tv["stated"]),
    ]
    charts.append(
        Chart(
            name="transversal",
            title=_("Activities stating their human-rights and gender considerations"),
            columns=[_("Considerations stated"), _("Activities"), _("Share (%)")],
            rows=[[label, n, share(n)] for label, n in transversal_rows] if ov.total else [],
            spec={
                "type": "bar",
                "labels": [label for label, _n in transversal_rows],
                "datasets": [
                    {
                        "label": _("Share (%)"),
                        "data": [_number(share(n)) for _label, n in transversal_rows],
                        "color": "#6f42c1",
                    }
                ],
                "y": {"min": 0, "max": 100, "suffix": " %"},
                "legend": False,
            },
        )
    )
    return charts


def _overdue_chart(ov: selectors.Overview) -> Chart:
    """The overdue reports as a CSV (a table on the page, not a chart)."""
    return Chart(
        name="overdue",
        title=_("Overdue progress reports"),
        columns=[_("Period"), _("Activity"), _("Title"), _("Lead member state")],
        rows=[
            [
                o["period"],
                o["activity"].reference,
                o["activity"].title,
                o["activity"].lead_member_state.code if o["activity"].lead_member_state else "",
            ]
            for o in ov.overdue
        ],
        spec={},
    )


def overview(request):
    """The year's figures for a scope; a constant number of queries (database aggregates)."""
    user = request.user
    _require(permissions.can_view_overview(user))
    wp = WorkProgramme.objects.in_force().only("id", "first_year", "last_year").first()
    years = _programme_years(wp)
    priorities = list(
        ThematicPriority.objects.filter(work_programme=wp).only("id", "number", "title")
    )
    formats = list(
        PermanentFormat.objects.filter(work_programme=wp).only("id", "number", "name", "short_name")
    )
    params = request.GET.copy()
    if not params.get("year"):
        params["year"] = str(_latest_year_with_activities(years))
    form = OverviewForm(params, years=years, priorities=priorities, formats=formats)
    can_compile = permissions.can_accept_progress_report(user)
    context = {
        "form": form,
        "can_compile_report": can_compile,
        "compile_form": (
            # The report's period defaults to the year being viewed.
            CompileReportForm(
                years=years,
                priorities=priorities,
                formats=formats,
                year=_int_or_none(params["year"]),
            )
            if can_compile
            else None
        ),
    }
    if not form.is_valid():
        return render(request, "evaluation/overview.html", context, status=400)
    data = form.cleaned_data
    scope = selectors.Scope(data["scope"], data["priority"], data["permanent_format"])
    ov = selectors.overview(data["year"], scope)
    charts = _overview_charts(ov)
    overdue = _overdue_chart(ov)
    query = {"year": data["year"], "scope": scope.kind}
    if scope.priority:
        query["priority"] = scope.priority.pk
    if scope.format:
        query["permanent_format"] = scope.format.pk
    csv = _csv_or_none(request, [*charts, overdue], f"evaluation-{data['year']}")
    if csv is not None:
        return csv
    _with_csv_links([*charts, overdue], query)
    means = [v for k, v in ov.feedback.items() if k != "responses" and v is not None]
    context.update(
        {
            "ov": ov,
            "year": data["year"],
            "scope_label": (
                f"{scope.priority.number} {scope.priority.title}"
                if scope.priority
                else f"{scope.format.number} {scope.format.short_name or scope.format.name}"
                if scope.format
                else _("whole programme")
            ),
            "charts": {c.name.replace("-", "_"): c for c in charts},
            "overdue_csv": overdue.csv_url,
            "mean_rating": sum(means) / len(means) if means else None,
        }
    )
    return render(request, "evaluation/overview.html", context)


# --- progress reports that wait for someone (the dashboard's counts link here) ----------------


def progress_reports(request):
    """Overdue reports, reports awaiting acceptance, reports to review: each list is the
    selector whose count the dashboard shows. A PC sees its delegation's overdue ones."""
    from programme import roles

    user = request.user
    show = request.GET.get("show") or "overdue"
    r = roles.roles_of(user)
    mine = request.GET.get("mine") == "1" or not permissions.can_view_overview(user)
    if show == "overdue":
        if mine:
            _require(permissions.can_follow_delegation_reports(user))
        rows = selectors.overdue_reports_due(r.member_state_id if mine else None)
        reports = None
    elif show == "awaiting_acceptance":
        _require(permissions.can_accept_progress_report(user))
        rows, reports = None, list(selectors.reports_awaiting_acceptance())
    elif show == "to_review":
        _require(permissions.can_review_progress_reports(user))
        rows, reports = None, list(selectors.reports_to_review(user))
    else:
        raise BadRequest(_("Show overdue, awaiting_acceptance or to_review."))
    titles = {
        "overdue": _("Progress reports overdue"),
        "awaiting_acceptance": _("Progress reports awaiting acceptance"),
        "to_review": _("Progress reports to review"),
    }
    return render(
        request,
        "evaluation/progress_report_list.html",
        {
            "show": show,
            "title": titles[show],
            "mine": mine,
            "overdue": rows,
            "reports": reports,
            "member_state": r.member_state_code if mine else None,
        },
    )


# --- feedback: my requests, and the public answer page of a link -----------------------------


def _feedback_page(request, status: int = 200, bound=None):
    """The open requests addressed to the user; ``bound`` is (request, form) after a failed
    answer, shown with its errors even when the request is no longer listed."""
    today = timezone.localdate()
    rows = list(selectors.feedback_requests_for(request.user))
    if bound is not None and bound[0].pk not in {r.pk for r in rows}:
        bound[0].answered = False
        rows.insert(0, bound[0])
    items = []
    for fr in rows:
        form = None
        if bound is not None and bound[0].pk == fr.pk:
            form = bound[1]
        elif not fr.answered and fr.deadline >= today:
            form = FeedbackAnswerForm(prefix=f"r{fr.pk}")
        items.append({"request": fr, "form": form, "past": fr.deadline < today})
    return render(
        request,
        "evaluation/my_feedback.html",
        {
            "items": items,
            # Those awaiting an answer first, with their form; the others in a table.
            "waiting": [i for i in items if i["form"] is not None],
            "done": [i for i in items if i["form"] is None],
            "today": today,
        },
        status=status,
    )


def my_feedback(request):
    return _feedback_page(request)


@require_POST
def feedback_answer(request, pk: int):
    feedback_request = get_object_or_404(FeedbackRequest.objects.select_related("activity"), pk=pk)
    _require(permissions.is_addressee(request.user, feedback_request))
    form = FeedbackAnswerForm(request.POST, prefix=f"r{pk}")
    if form.is_valid() and call_service(
        form,
        services.feedback_respond,
        request=feedback_request,
        actor=request.user,
        **form.cleaned_data,
    ):
        messages.success(
            request,
            _("Thank you: your feedback on %(ref)s is recorded.")
            % {"ref": feedback_request.activity.reference},
        )
        return redirect("evaluation:my_feedback")
    return _feedback_page(request, status=400, bound=(feedback_request, form))


def _refusal_status(token: str) -> int:
    """410 Gone for a genuine link that was used or has expired, 400 for a broken one."""
    try:
        signing.loads(token, salt=services.LINK_SALT)
    except signing.BadSignature:
        return 400
    return 410


def _refused(request, message: str, status: int):
    return render(request, "evaluation/answer_refused.html", {"message": message}, status=status)


@login_not_required
def answer_link(request, token: str):
    """An invitee without an account answers through the signed link of their e-mail, once."""
    try:
        invitation = services.invitation_from_token(token)
    except DomainError as exc:
        return _refused(request, exc.message, _refusal_status(token))
    feedback_request = invitation.request
    if feedback_request.status != FeedbackRequest.Status.OPEN:
        return _refused(request, _("This request is closed; answers are no longer taken."), 410)
    form = FeedbackAnswerForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form,
            services.feedback_respond,
            request=feedback_request,
            token=token,
            **form.cleaned_data,
        )
    ):
        return redirect("evaluation:answer_thanks")
    return render(
        request,
        "evaluation/answer_link.html",
        {"invitation": invitation, "feedback_request": feedback_request, "form": form},
        status=400 if form.errors else 200,
    )


@login_not_required
def answer_thanks(request):
    return render(request, "evaluation/answer_thanks.html")
