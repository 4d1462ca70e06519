"""Reads of the evaluation shared by pages, API and the compiled reports. The
overview's figures are database aggregates: a constant number of queries whatever
the number of activities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import (
    Avg,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.translation import gettext

from activities.models import Activity, ActivityQuerySet
from pompidou.listing import cached_aggregate, cached_result, cached_rows
from programme.models import PermanentFormat, ThematicPriority

from .figures import activity_figures, budget_by_priority
from .models import (
    FeedbackRequest,
    FeedbackResponse,
    ImpactAssessment,
    Indicator,
    Measurement,
    ProgressReport,
)
from .overdue import (  # noqa: F401 (read from here)
    Rows,
    overdue_count,
    overdue_count_due,
    overdue_reports,
    overdue_reports_due,
)
from .workflow import REPORT_REVIEW

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


@dataclass
class Scope:
    kind: str = "all"  # all | priority | format
    priority: ThematicPriority | None = None
    format: PermanentFormat | None = None

    @property
    def label(self) -> str:
        if self.priority:
            return f"{self.priority.number} {self.priority.title}"
        if self.format:
            return f"{self.format.number} {self.format.name}"
        return ""


def activities_in(
    year: int | None, scope: Scope, years: tuple[int, int] | None = None
) -> ActivityQuerySet:
    return Activity.objects.filter(activity_conditions(year, scope, years))


def activity_conditions(
    year: int | None, scope: Scope, years: tuple[int, int] | None = None, prefix: str = ""
) -> Q:
    """What ``activities_in`` selects, as conditions on the activities reached through
    ``prefix`` (``"activities__"`` from a priority): a query grouped by another model
    filters the activities it joins rather than matching them against a second read."""
    conditions = Q()
    if year:  # QuerySet.running_in
        conditions &= Q(**{f"{prefix}start_date__year__lte": year})
        conditions &= Q(**{f"{prefix}end_date__year__gte": year})
    if years:
        conditions &= Q(**{f"{prefix}start_date__year__lte": years[1]})
        conditions &= Q(**{f"{prefix}end_date__year__gte": years[0]})
    if scope.priority:
        of_priority = Activity.objects.filter(thematic_priorities=scope.priority).values("pk")
        conditions &= Q(**{f"{prefix}pk__in": of_priority})
    if scope.format:
        conditions &= Q(**{f"{prefix}permanent_format": scope.format})
    return conditions


def period_range(years: tuple[int, int]) -> tuple[str, str]:
    """The half-years of a span of years, as bounds of a string range ("2016-H1" sorts
    before "2016-H2" and "2017-H1")."""
    return f"{years[0]}-H1", f"{years[1]}-H2"


class LatestReport(TypedDict):
    """What ``with_latest_report`` adds to each activity (None without a report)."""

    rag: str | None  # the report's status
    percent: int | None
    last_period: str | None


def with_latest_report(
    qs: QuerySet[Activity], year: int | None, years: tuple[int, int] | None = None
) -> QuerySet[WithAnnotations[Activity, LatestReport]]:
    """The latest report of each activity: of ``year``, of the span ``years``, or of all."""
    reports = ProgressReport.objects.filter(activity=OuterRef("pk"))
    if year:
        # The year's two half-years, as a range: the latest is read backwards from the
        # index of each activity's reports by period, with no sort.
        reports = reports.filter(period__range=period_range((year, year)))
    if years:
        reports = reports.filter(period__range=period_range(years))
    latest = reports.order_by("-period")
    return qs.annotate(
        rag=Subquery(latest.values("status")[:1]),
        percent=Subquery(latest.values("percent_complete")[:1]),
        last_period=Subquery(latest.values("period")[:1]),
    )


@dataclass
class Overview:
    year: int | None
    scope: Scope
    total: int
    by_status: dict[str, int]
    by_rag: dict[str, int]
    # Rows of values(): number, title or name, planned, spent, activities.
    budget_by_priority: list[Mapping[str, Any]]
    budget_by_format: list[Mapping[str, Any]]
    feedback: dict
    indicators: dict
    transversal: dict
    # The overdue reports (overdue.overdue_reports): lazy rows, counted or sliced.
    overdue: Rows

    @property
    def transversal_share(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.transversal["stated"]) * 100 / self.total).quantize(Decimal("0.1"))


def reports_awaiting_acceptance() -> QuerySet[ProgressReport]:
    """Submitted reports the Secretariat has not accepted yet."""
    return (
        ProgressReport.objects.filter(review__in=REPORT_REVIEW.group("awaiting_acceptance"))
        .select_related("activity", "submitted_by")
        .order_by("submitted_at", "pk")
    )


def reports_to_review(user) -> QuerySet[ProgressReport]:
    """Submitted reports of the activities ``user`` supervises, not reviewed yet."""
    return reports_awaiting_acceptance().filter(
        activity__supervisor=user, review__in=REPORT_REVIEW.group("to_review")
    )


def overview(year: int | None, scope: Scope, years: tuple[int, int] | None = None) -> Overview:
    """The figures of a year (or of a span of ``years``) for a scope, all aggregates."""
    acts = activities_in(year, scope, years)
    ids = acts.values("pk")
    figures = activity_figures(acts)
    by_rag = dict(
        cached_rows(
            with_latest_report(acts, year, years)
            .order_by()
            .values_list("rag")
            .annotate(n=Count("id"))
        )
    )
    by_rag = {(k or "none"): v for k, v in by_rag.items()}
    feedback = cached_aggregate(
        FeedbackResponse.objects.filter(request__activity__in=ids),
        responses=Count("id"),
        relevance=Avg("relevance"),
        quality=Avg("quality"),
        usefulness=Avg("usefulness"),
        impact=Avg("impact"),
    )
    measurements = Measurement.objects.filter(indicator=OuterRef("pk"))
    if years:
        # A report over past years reads the indicators as they stood at its end.
        measurements = measurements.filter(date__lte=dt.date(years[1], 12, 31))
    latest_value = measurements.order_by("-date", "-id").values("value")[:1]
    # Each indicator's latest value read once (an aggregate filtering on it three ways
    # would run its subquery for each), the counts added up here: a few thousand rows.
    indicator_rows = (
        Indicator.objects.filter(activity__in=ids)
        .order_by()
        .annotate(latest=Subquery(latest_value))
        .values_list("direction", "target", "latest")
    )
    indicators = cached_result(
        "indicator-counts", indicator_rows, lambda: indicator_counts(indicator_rows)
    )
    indicators["off_target"] = indicators["measured"] - indicators["on_target"]
    total = sum(figures.by_status.values())
    return Overview(
        year,
        scope,
        total,
        figures.by_status,
        by_rag,
        budget_by_priority(acts),
        figures.budget_by_format,
        feedback,
        indicators,
        figures.transversal,
        overdue_reports(acts, year, years=years),
    )


def indicator_counts(rows: Iterable[tuple[str, Decimal, Decimal | None]]) -> dict[str, int]:
    """How many indicators there are, are measured and are on target (the latest value
    reaching the target in the indicator's direction), of (direction, target, latest)."""
    counts = {"total": 0, "measured": 0, "on_target": 0}
    for direction, target, latest in rows:
        counts["total"] += 1
        if latest is not None:
            counts["measured"] += 1
            if (direction == Indicator.Direction.HIGHER and latest >= target) or (
                direction == Indicator.Direction.LOWER and latest <= target
            ):
                counts["on_target"] += 1
    return counts


# --- per activity -------------------------------------------------------------------


def activity_evaluation(activity: Activity) -> dict:
    """Everything of the activity's evaluation tab, in a fixed number of queries."""
    reports = list(
        activity.progress_reports.select_related(
            "submitted_by", "reviewed_by", "accepted_by"
        ).order_by("period")
    )
    indicators = list(
        activity.indicators.prefetch_related(
            Prefetch("measurements", queryset=Measurement.objects.order_by("date"))
        )
    )
    requests = list(
        activity.feedback_requests.annotate(
            responses_count=Count("responses", distinct=True),
            relevance=Avg("responses__relevance"),
            quality=Avg("responses__quality"),
            usefulness=Avg("responses__usefulness"),
            impact=Avg("responses__impact"),
        ).prefetch_related(
            Prefetch(
                "responses",
                queryset=FeedbackResponse.objects.select_related("respondent", "invitation"),
            ),
            "recipients",
            "invitations",
        )
    )
    today = timezone.localdate()
    for fr in requests:
        fr.recipient_states = recipient_states(fr, today)
    impacts = list(activity.impact_assessments.select_related("recorded_by"))
    return {
        "reports": reports,
        "indicators": indicators,
        "feedback_requests": requests,
        "impact_assessments": impacts,
    }


def recipient_states(fr: FeedbackRequest, today: dt.date) -> list[dict]:
    """Whom a request named and where each stands: invited, answered, or expired (the
    request closed or its deadline passed without an answer). From the prefetched
    recipients, invitations and responses: no query."""
    answered_by = {r.respondent_id for r in fr.responses.all() if r.respondent_id}
    over = fr.status != FeedbackRequest.Status.OPEN or fr.deadline < today

    def state(done: bool) -> tuple[str, str]:
        if done:
            return "answered", gettext("answered")
        return ("expired", gettext("expired")) if over else ("invited", gettext("invited"))

    rows = []
    for user in fr.recipients.all():
        key, label = state(user.pk in answered_by)
        rows.append({"name": user.get_full_name() or user.username, "state": key, "label": label})
    for invitation in fr.invitations.all():
        key, label = state(invitation.used_at is not None)
        rows.append(
            {"name": f"{invitation.name} <{invitation.email}>", "state": key, "label": label}
        )
    return rows


class Answered(TypedDict):
    answered: bool  # by the user the requests were read for


def feedback_requests_for(user) -> QuerySet[WithAnnotations[FeedbackRequest, Answered]]:
    """Open requests addressed to the user (by role or by name), not yet answered."""
    from programme import roles

    r = roles.roles_of(user)
    audience = Q(recipients=user)
    if r.is_expert:
        audience |= Q(audience=FeedbackRequest.Audience.EXPERTS)
    if r.is_correspondent:
        audience |= Q(audience=FeedbackRequest.Audience.CORRESPONDENTS)
    answered = FeedbackResponse.objects.filter(request=OuterRef("pk"), respondent=user)
    return (
        FeedbackRequest.objects.filter(audience, status=FeedbackRequest.Status.OPEN)
        .annotate(answered=Exists(answered))
        .select_related("activity")
        .distinct()
        .order_by("deadline")
    )


def feedback_requests_with_results() -> QuerySet[FeedbackRequest]:
    return FeedbackRequest.objects.select_related("activity").annotate(
        responses_count=Count("responses"),
        relevance=Avg("responses__relevance"),
        quality=Avg("responses__quality"),
        usefulness=Avg("responses__usefulness"),
        impact=Avg("responses__impact"),
    )


def impact_assessments() -> QuerySet[ImpactAssessment]:
    return ImpactAssessment.objects.select_related("activity", "recorded_by")


def progress_reports() -> QuerySet[ProgressReport]:
    return ProgressReport.objects.select_related("activity", "submitted_by")


def indicator_state(indicator: Indicator) -> bool | None:
    measurements = list(indicator.measurements.all())
    return indicator.reached(measurements[-1].value if measurements else None)
