"""Reads of activities and annual programmes shared by pages, API, exports and dashboard."""

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.http import Http404
from django.utils import timezone, translation

from pompidou.listing import until_next_write
from pompidou.models import AuditEvent
from programme.models import PermanentFormat, ThematicPriority
from programme.selectors import member_states_by_name

from . import permissions
from .filters import ActivityFilter
from .models import (
    Activity,
    AnnualProgramme,
    AnnualProgrammeDocument,
    AnnualProgrammeEntry,
    Milestone,
)


def activities_visible_to(user) -> QuerySet[Activity]:
    qs = Activity.objects.all()
    if not permissions.can_view_unadopted_activities(user):
        qs = qs.public()
    return qs


def activities_for_list(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    """What a list row shows: 2 queries whatever the length (rows, then priorities)."""
    return (
        qs.select_related("work_programme", "permanent_format", "lead_member_state")
        .defer(
            "description",
            "terms_of_reference",
            "expected_results",
            "human_rights_considerations",
            "gender_considerations",
            "ungass_relevance",
            "work_programme__introduction",
            "work_programme__aims_introduction",
            "work_programme__aims_closing",
            "work_programme__structure",
            "work_programme__evaluation",
        )
        .prefetch_related(
            Prefetch(
                "thematic_priorities",
                queryset=ThematicPriority.objects.only(
                    "id", "number", "title", "work_programme_id"
                ),
            )
        )
    )


def filter_activities(user, params) -> tuple[ActivityFilter, QuerySet[Activity]]:
    """The user's visible activities filtered by ``params`` (page, API and export alike)."""
    filterset = ActivityFilter(params, queryset=activities_visible_to(user))
    qs = filterset.qs if filterset.is_valid() else Activity.objects.none()
    return filterset, qs


def get_activity_for_user(user, reference: str) -> Activity:
    qs = (
        activities_visible_to(user)
        .select_related(
            "work_programme",
            "permanent_format",
            "lead_member_state",
            "supervisor__profile",
            "proposal",
        )
        .prefetch_related(
            "thematic_priorities",
            # In the reader's language and its alphabetical order.
            Prefetch("participating_states", queryset=member_states_by_name()),
            "milestones",
            Prefetch(
                "history", queryset=AuditEvent.objects.select_related("actor", "content_type")
            ),
            Prefetch(
                "annual_entries",
                queryset=AnnualProgrammeEntry.objects.select_related("annual_programme"),
            ),
        )
    )
    try:
        return qs.get(reference=reference)
    except Activity.DoesNotExist as exc:
        raise Http404("No such activity.") from exc


def activities_for_priority(user, priority) -> QuerySet[Activity]:
    return activities_for_list(
        activities_visible_to(user).filter(thematic_priorities=priority)
    ).order_by("start_date", "reference")


def activities_for_format(user, fmt) -> QuerySet[Activity]:
    return activities_for_list(activities_visible_to(user).filter(permanent_format=fmt)).order_by(
        "start_date", "reference"
    )


# --- annual programmes --------------------------------------------------------


def annual_programmes_visible_to(user) -> QuerySet[AnnualProgramme]:
    qs = AnnualProgramme.objects.select_related("work_programme", "adopting_meeting")
    if not permissions.can_view_draft_annual_programmes(user):
        qs = qs.filter(status=AnnualProgramme.Status.ADOPTED)
    return qs


def annual_programmes_with_totals(qs: QuerySet[AnnualProgramme]) -> QuerySet[AnnualProgramme]:
    return qs.annotate(
        total_budget=Coalesce(Sum("entries__budget"), Decimal("0")), entry_count=Count("entries")
    ).order_by("-year")


def entries_for(ap: AnnualProgramme) -> QuerySet[AnnualProgrammeEntry]:
    return (
        ap.entries.select_related("activity__permanent_format", "activity__lead_member_state")
        .prefetch_related(
            Prefetch(
                "activity__thematic_priorities",
                queryset=ThematicPriority.objects.only(
                    "id", "number", "title", "work_programme_id"
                ),
            )
        )
        .order_by("activity__reference")
    )


@dataclass
class Group:
    key: str
    title: str
    entries: list = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((e.budget for e in self.entries), Decimal("0"))


@dataclass
class Total:
    """A priority's or a format's figures on the programme's page, counted in SQL."""

    key: str
    title: str
    count: int = 0
    total: Decimal = Decimal("0")


# Rows of the programme's table per page: a year holds thousands of entries.
ENTRIES_PER_PAGE = 50


@dataclass
class AnnualProgrammeView:
    """The programme's page: the totals of the whole programme, of every priority and
    of every format (each a filter, counted in SQL), and one page of the entries shown
    (all, or those of the chosen priority or format), each entry once."""

    annual_programme: AnnualProgramme
    by_priority: list[Total]
    by_format: list[Total]
    count: int
    total: Decimal
    chosen_priority: str = ""  # the chosen priority's number, "" for all
    chosen_format: str = ""  # the chosen format's number, "~" for the time-limited, "" for all
    shown_count: int = 0
    shown_total: Decimal = Decimal("0")
    page: Page | None = None

    @property
    def over_ceiling(self) -> bool:
        return self.total > self.annual_programme.budget_ceiling

    @property
    def margin(self) -> Decimal:
        return self.annual_programme.budget_ceiling - self.total

    @property
    def excess(self) -> Decimal:
        return self.total - self.annual_programme.budget_ceiling


def committed_budget(year: int) -> Decimal:
    """What the year's annual programme already commits: the sum of its entries'
    budgets (0 when the year has no programme). The ranking and the adoption's
    ceiling check ask it; the programme's page adds up the very entries it lists
    (``annual_programme_totals``), the same sum in SQL."""
    return AnnualProgrammeEntry.objects.filter(annual_programme__year=year).aggregate(
        total=Coalesce(Sum("budget"), Decimal("0"))
    )["total"]


def get_annual_programme_for_user(user, year: int) -> AnnualProgramme:
    try:
        return annual_programmes_visible_to(user).get(year=year)
    except AnnualProgramme.DoesNotExist as exc:
        raise Http404("No such annual programme.") from exc


@dataclass
class AnnualProgrammeDocuments:
    """The compiled documents as the annual programme page shows them."""

    active: AnnualProgrammeDocument | None  # queued or running
    latest: AnnualProgrammeDocument | None  # the newest that succeeded
    earlier: list[AnnualProgrammeDocument]  # the others, newest first


def annual_programme_documents(ap: AnnualProgramme) -> AnnualProgrammeDocuments:
    """One query: the programme's compiled documents, newest first (the page lists them
    all; a programme is compiled a handful of times, so no paging)."""
    from pompidou.models import ReportJob

    docs = list(
        ap.documents.only(
            "id",
            "annual_programme_id",
            "reference",
            "document_date",
            "status",
            "progress",
            "error",
            "pdf",
            "docx",
            "created_at",
        ).order_by("-created_at", "-pk")
    )
    active = next((d for d in docs if d.status in ReportJob.ACTIVE), None)
    latest = next((d for d in docs if d.status == ReportJob.Status.SUCCEEDED), None)
    earlier = [d for d in docs if d is not active and d is not latest]
    return AnnualProgrammeDocuments(active=active, latest=latest, earlier=earlier)


def group_entries(ap: AnnualProgramme, entries: list) -> tuple[list[Group], list[Group]]:
    """``entries`` by thematic priority (every priority of the work programme, an
    activity under each of its priorities, so the totals overlap) and by format (the
    formats with entries, then the time-limited activities under "~": a partition).
    The page and the compiled document group alike (one query, the priorities)."""
    by_priority: OrderedDict[str, Group] = OrderedDict()
    for p in ThematicPriority.objects.filter(work_programme=ap.work_programme_id).order_by(
        "number"
    ):
        by_priority[p.number] = Group(p.number, f"{p.number} {p.title}")
    by_format: OrderedDict[str, Group] = OrderedDict()
    for e in entries:
        for p in e.activity.thematic_priorities.all():
            by_priority.setdefault(
                p.number, Group(p.number, f"{p.number} {p.title}")
            ).entries.append(e)
        fmt = e.activity.permanent_format
        key = fmt.number if fmt else "~"
        title = f"{fmt.number} {fmt.name}" if fmt else "Time-limited activities"
        by_format.setdefault(key, Group(key, title)).entries.append(e)
    return list(by_priority.values()), [by_format[k] for k in sorted(by_format)]


def annual_programme_totals(ap: AnnualProgramme) -> AnnualProgrammeView:
    """The programme's totals (``_totals``), kept until the next write."""
    key = f"annual-programme-totals:{ap.pk}:{translation.get_language()}"
    by_priority, by_format = until_next_write(key, lambda: _totals(ap))
    return AnnualProgrammeView(
        ap,
        by_priority,
        by_format,
        count=sum(t.count for t in by_format),
        total=sum((t.total for t in by_format), Decimal("0")),
    )


def _totals(ap: AnnualProgramme) -> tuple[list[Total], list[Total]]:
    """The programme's totals, grouped as ``group_entries`` groups the compiled
    document's rows, but summed in SQL (4 queries whatever the length): every priority
    of the work programme (an activity counts under each of its priorities, so these
    overlap), then the formats with entries and the time-limited activities ("~"), a
    partition whose sum is the programme's total."""
    entries = AnnualProgrammeEntry.objects.filter(annual_programme=ap).order_by()
    per_priority: dict[int, tuple[int, Decimal]] = {
        pk: (n, total)
        for pk, n, total in entries.filter(activity__thematic_priorities__isnull=False)
        .values("activity__thematic_priorities")
        .annotate(n=Count("id"), sum=Coalesce(Sum("budget"), Decimal("0")))
        .values_list("activity__thematic_priorities", "n", "sum")
    }
    by_priority: OrderedDict[str, Total] = OrderedDict()
    for p in ThematicPriority.objects.filter(
        Q(work_programme=ap.work_programme_id) | Q(pk__in=list(per_priority))
    ).order_by(Case(When(work_programme=ap.work_programme_id, then=0), default=1), "number"):
        group = by_priority.setdefault(p.number, Total(p.number, f"{p.number} {p.title}"))
        n, total = per_priority.get(p.pk, (0, Decimal("0")))
        group.count += n
        group.total += total
    per_format = list(
        entries.values("activity__permanent_format")
        .annotate(n=Count("id"), sum=Coalesce(Sum("budget"), Decimal("0")))
        .values_list("activity__permanent_format", "n", "sum")
    )
    names = PermanentFormat.objects.in_bulk([pk for pk, _n, _total in per_format if pk])
    by_format = []
    for pk, n, total in per_format:
        fmt = names.get(pk) if pk else None
        key, title = (fmt.number, f"{fmt.number} {fmt.name}") if fmt else ("~", "~")
        by_format.append(Total(key, title, n, total))
    by_format.sort(key=lambda t: t.key)
    return list(by_priority.values()), by_format


def annual_programme_page(
    view: AnnualProgrammeView, priority: str = "", fmt: str = "", page: str | int | None = 1
) -> AnnualProgrammeView:
    """``view`` (``annual_programme_totals``) with the page ``page`` of the entries of
    ``priority`` and ``fmt`` (groups' keys), by reference: 2 queries (the page's rows
    with their activities, then their priorities), 3 the first time after a write (the
    order and budgets of the rows shown)."""
    qs = entries_for(view.annual_programme)
    if priority:
        link = Activity.thematic_priorities.through
        qs = qs.filter(
            Exists(
                link.objects.filter(
                    activity_id=OuterRef("activity_id"), thematicpriority__number=priority
                )
            )
        )
    if fmt:
        qs = (
            qs.filter(activity__permanent_format__isnull=True)
            if fmt == "~"
            else qs.filter(activity__permanent_format__number=fmt)
        )
    # The entries shown, by reference, with their budgets: read once (sorted after
    # the join: ordering by the column itself would lead the planner to walk the whole
    # reference index for the year's few thousand rows), then kept until the next write.
    ap = view.annual_programme
    order = qs.order_by(Concat(F("activity__reference"), Value("")), "pk")
    rows: list[Any] = until_next_write(
        f"annual-programme-rows:{ap.pk}:{priority}:{fmt}",
        lambda: list(order.values_list("pk", "budget")),
    )
    view.chosen_priority, view.chosen_format = priority, fmt
    view.shown_count = len(rows)
    view.shown_total = sum((budget for _pk, budget in rows), Decimal("0"))
    view.page = Paginator(rows, ENTRIES_PER_PAGE).get_page(page)
    ids = [pk for pk, _budget in view.page.object_list]
    found = qs.only(
        "budget",
        "annual_programme_id",
        "activity__reference",
        "activity__title",
        "activity__permanent_format",
        "activity__lead_member_state",
    ).in_bulk(ids)
    view.page.object_list = [found[pk] for pk in ids if pk in found]
    return view


def annual_programme_history(ap: AnnualProgramme) -> list:
    """The latest 50 events, oldest first (the page shows them newest first)."""
    latest = ap.history.select_related("actor", "content_type").order_by("-at", "-id")[:50]
    return list(reversed(latest))


# --- dashboard ----------------------------------------------------------------


def current_period(today=None) -> str:
    today = today or timezone.localdate()
    return f"{today.year}-H{1 if today.month <= 6 else 2}"


def with_overdue_milestones(today: dt.date | None = None) -> QuerySet[Activity]:
    """Running activities of a programme that is not history yet with a milestone past
    due and not done. The activities are filtered themselves (status, programme) and
    matched against the late milestones' activity ids: one read of each (the milestones
    from their index of the undone ones by due date)."""
    today = today or timezone.localdate()
    late = Milestone.objects.filter(done=False, due_date__lt=today).values("activity_id")
    return Activity.objects.active().not_history(today).filter(pk__in=late)


def draft_programmes_over_ceiling() -> QuerySet[AnnualProgramme]:
    return (
        AnnualProgramme.objects.filter(status=AnnualProgramme.Status.DRAFT)
        .annotate(total=Sum("entries__budget"))
        .filter(total__gt=F("budget_ceiling"))
    )


# --- API ----------------------------------------------------------------------


def activities_for_api(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    """The rows the API returns, with their lead state and supervisor (1 query); what
    else it shows of them is read for a whole page at once by ``api_relations``."""
    return qs.select_related("lead_member_state", "supervisor")


@dataclass
class ApiRelations:
    """Per activity id: its milestones as (title, due date, done) in their order, its
    participating states' ISO codes (alphabetical) and its priorities' ids (by number)."""

    milestones: dict[int, list[tuple]]
    participating_states: dict[int, list[str]]
    thematic_priorities: dict[int, list[int]]


def api_relations(ids: list[int]) -> ApiRelations:
    """What the API shows of activities ``ids`` beyond their own rows: 3 flat queries
    whatever their number (no model instance, no per-row queryset as a prefetch
    builds; the cost that grew with the page's length)."""
    states = Activity.participating_states.through.objects  # type: ignore[attr-defined]
    priorities = Activity.thematic_priorities.through.objects
    return ApiRelations(
        milestones=_grouped(
            Milestone.objects.filter(activity_id__in=ids)
            .order_by("due_date", "id")
            .values_list("activity_id", "title", "due_date", "done"),
            whole=True,
        ),
        participating_states=_grouped(
            states.filter(activity_id__in=ids)
            .order_by("memberstate__code", "memberstate_id")
            .values_list("activity_id", "memberstate__code")
        ),
        thematic_priorities=_grouped(
            priorities.filter(activity_id__in=ids)
            .order_by("thematicpriority__number", "thematicpriority_id")
            .values_list("activity_id", "thematicpriority_id")
        ),
    )


def _grouped(rows, whole: bool = False) -> dict[int, list]:
    """(activity id, value…) rows, by activity id, in their order: the value, or the
    rest of the row when ``whole``."""
    out: dict[int, list] = {}
    for row in rows:
        out.setdefault(row[0], []).append(row[1:] if whole else row[1])
    return out
