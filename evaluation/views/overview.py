"""The overview of the Bureau and the Secretariat: a year's figures for a scope, as
charts with their tables and CSV (evaluation/charts.py)."""

from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity
from pompidou.listing import cached_aggregate, cached_rows
from programme.models import PermanentFormat, ThematicPriority, WorkProgramme
from programme.selectors import work_programmes_visible_to

from .. import charts, permissions, selectors
from ..coverage_form import coverage_for_overview
from ..forms import CompileReportForm, OverviewForm
from ..overdue import SHOWN
from ._common import gate
from .reports import overdue_list_url


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
    latest = cached_aggregate(
        Activity.objects.filter(start_date__year__lte=years[-1], end_date__year__gte=years[0]),
        end=Max("end_date"),
    )["end"]
    return min(latest.year, years[-1]) if latest else years[-1]


def overview(request: HttpRequest) -> HttpResponse:
    """The year's figures for a scope; a constant number of queries (database aggregates)."""
    user = request.user
    gate(permissions.can_view_overview(user))
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
    can_compile = permissions.can_compile_evaluation_reports(user)
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
    # Human-rights and gender coverage, for a programme and a year of its own choosing.
    context.update(
        coverage_for_overview(
            params,
            programmes=work_programmes_visible_to(user),
            year=_int_or_none(params["year"]),
        )
    )
    if not form.is_valid() or context["coverage_form"].errors:
        return render(request, "evaluation/overview.html", context, status=400)
    data = form.cleaned_data
    scope = selectors.Scope(data["scope"], data["priority"], data["permanent_format"])
    ov = selectors.overview(data["year"], scope)
    shown = charts.overview_charts(ov)
    # Only its CSV reads every overdue report; the page counts them and shows the first.
    overdue = charts.overdue_chart(ov, read=request.GET.get("chart") == "overdue")
    query = {"year": data["year"], "scope": scope.kind}
    if scope.priority:
        query["priority"] = scope.priority.pk
    if scope.format:
        query["permanent_format"] = scope.format.pk
    cov = context["coverage"]
    if cov is not None:
        shown.append(context["coverage_chart"])
    csv = charts.csv_or_none(request, [*shown, overdue], f"evaluation-{data['year']}")
    if csv is not None:
        return csv
    charts.with_csv_links([*shown, overdue], query)
    if cov is not None:  # its CSV names the coverage's own programme and year
        charts.with_csv_links(
            [context["coverage_chart"]],
            {**query, "coverage_programme": cov.work_programme.pk, "coverage_year": cov.year},
        )
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
            "charts": {c.name.replace("-", "_"): c for c in shown},
            "overdue_csv": overdue.csv_url,
            "overdue_count": selectors.overdue_count(
                selectors.activities_in(data["year"], scope), data["year"]
            ),
            "overdue_shown": cached_rows(ov.overdue[:SHOWN]),
            "overdue_all": overdue_list_url(query),
            "mean_rating": sum(means) / len(means) if means else None,
        }
    )
    return render(request, "evaluation/overview.html", context)
