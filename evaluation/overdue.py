"""Overdue progress reports: the activities running in a half-year that ended 30 days
ago or more, with no report for it.

The rows are one SQL query (a ``UNION ALL`` of one ``SELECT`` per half-year due), so a
page shows a slice of them (``overdue_count`` counts them in one pass); only a download or a
compiled report reads them all. Each row is a dict: ``period``, ``activity_id``,
``reference``, ``title``, ``lead`` (the lead member state's code, "" without one) and
``lead_name`` (its name in the active language)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import CharField, Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone

from activities.models import Activity, ActivityQuerySet
from pompidou.lib.collation import translated_name
from pompidou.listing import cached_aggregate, until_next_write

from . import periods
from .models import ProgressReport

# What the overview shows of a long list (the overdue reports, the activities lacking a
# consideration) before its "see all".
SHOWN = 20


def _due_periods(today: dt.date) -> list[str]:
    """Every half-year of the programmes still running, up to the last one due (their
    first year kept until the next write: the rows and their count both ask)."""
    from django.db.models import Min

    from programme.models import WorkProgramme

    first = until_next_write(
        f"overdue:first-year:{today.year}",
        lambda: (
            WorkProgramme.objects.exclude(status=WorkProgramme.Status.CLOSED)
            .filter(last_year__gte=today.year)
            .aggregate(first=Min("first_year"))["first"]
        ),
    )
    if first is None:
        return []
    last = periods.last_due(today)
    return [p for y in range(first, today.year + 1) for p in periods.of_year(y) if p <= last]


# The rows: dicts from a query over activities (Any: django-stubs follows neither the
# annotated names nor the union's).
Rows = QuerySet[Any, Any]


def _reported(period: str) -> QuerySet[ProgressReport, Any]:
    """The activities with a report for ``period``, for ``NOT IN``: read once into a
    hash (``activity_id`` is never null), not looked up for each activity."""
    return ProgressReport.objects.filter(period=period).values("activity_id")


def _missing(qs: ActivityQuerySet, period: str) -> Rows:
    """The activities of ``qs`` running in ``period`` without its report, as rows."""
    start, end = periods.bounds(period)
    return (
        qs.filter(start_date__lte=end, end_date__gte=start)
        .exclude(status=Activity.Status.CANCELLED)
        .exclude(pk__in=_reported(period))
        .annotate(
            period=Value(period, output_field=CharField()),
            activity_id=F("pk"),
            lead=Coalesce(F("lead_member_state__code"), Value("")),
            lead_name=Coalesce(
                translated_name("lead_member_state__name"), Value(""), output_field=CharField()
            ),
        )
        .order_by()
        .values("period", "activity_id", "reference", "title", "lead", "lead_name")
    )


def _due(
    qs: ActivityQuerySet, year: int | None, today: dt.date, years: tuple[int, int] | None
) -> tuple[ActivityQuerySet, list[str]]:
    """The activities of ``qs`` that may owe a report (not history) and the half-years
    due: of ``year``, of the span ``years``, or every one of the programmes running."""
    if years:
        candidates = [p for y in range(years[0], years[1] + 1) for p in periods.of_year(y)]
    else:
        candidates = periods.of_year(year) if year else _due_periods(today)
    due = [p for p in candidates if periods.bounds(p)[1] + dt.timedelta(days=30) <= today]
    return qs.not_history(today), due


def overdue_reports(
    qs: ActivityQuerySet,
    year: int | None,
    today: dt.date | None = None,
    years: tuple[int, int] | None = None,
) -> Rows:
    """The overdue reports of the activities of ``qs`` for the half-years of ``year``, of
    the span ``years``, or (without either) every half-year due of the programmes still
    running; by period, then reference. Lazy: one query to count, one per slice read.
    Activities of a programme that is closed or whose period ended are history, never
    overdue (``not_history``)."""
    today = today or timezone.localdate()
    qs, due = _due(qs, year, today, years)
    if not due:
        return _missing(qs.none(), periods.of_year(today.year)[0])
    first, *others = (_missing(qs, p) for p in due)
    if others:
        return first.union(*others, all=True).order_by("period", "reference")
    # One half-year: by an expression of the reference (the same order), so that a slice
    # sorts the few rows found rather than walking the whole reference index for them.
    return first.order_by("period", Concat("reference", Value("")).asc())


def overdue_count(
    qs: ActivityQuerySet,
    year: int | None,
    today: dt.date | None = None,
    years: tuple[int, int] | None = None,
) -> int:
    """How many rows ``overdue_reports`` has, in one pass over the activities (kept
    until the next write): for each half-year due, those running in it and not
    cancelled whose report for it is missing (each half-year's reports read once into a
    hash, as the rows' are), rather than one ``SELECT`` of the ``UNION`` each."""
    today = today or timezone.localdate()
    qs, due = _due(qs, year, today, years)
    if not due:
        return 0
    counts = {}
    for i, period in enumerate(due):
        start, end = periods.bounds(period)
        counts[f"p{i}"] = Count(
            "pk", filter=Q(start_date__lte=end, end_date__gte=start) & ~Q(pk__in=_reported(period))
        )
    first, last = periods.bounds(due[0])[0], periods.bounds(due[-1])[1]
    running = qs.filter(start_date__lte=last, end_date__gte=first).exclude(
        status=Activity.Status.CANCELLED
    )
    return sum(cached_aggregate(running, **counts).values())


def overdue_reports_due(member_state_id: int | None = None) -> Rows:
    """The overdue list the dashboard counts and ``?show=overdue`` shows: every
    activity's, or those a delegation leads (``member_state_id``)."""
    qs = Activity.objects.all()
    if member_state_id is not None:
        qs = qs.filter(lead_member_state_id=member_state_id)
    return overdue_reports(qs, None)


def overdue_count_due(member_state_id: int | None = None) -> int:
    """How many rows ``overdue_reports_due`` has (``overdue_count``)."""
    qs = Activity.objects.all()
    if member_state_id is not None:
        qs = qs.filter(lead_member_state_id=member_state_id)
    return overdue_count(qs, None)
