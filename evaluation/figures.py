"""The overview's figures that are read from the activities alone (evaluation/selectors.py),
in one pass over them: the activities of a year are read once, grouped by activity
format and status, rather than once for each figure (the count by status, the budget
by format and of the time-limited activities, the transversal aims stated). The
formats' numbers and names come from a second, small query (every format), so that a
name is the model's own in the active language.

The figures are what separate aggregates give: a format's budget is grouped by its
number and name (two formats of different programmes with the same both make one
row), in the order of the numbers; the time-limited activities are those without a
format, in a row of their own, appended when there are any."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    ExpressionWrapper,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import get_language, gettext

from activities.filters import GENDER_STATED, HUMAN_RIGHTS_STATED
from activities.models import Activity
from pompidou.listing import cached_result, cached_rows
from programme.models import PermanentFormat, ThematicPriority

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))
HUMAN_RIGHTS = ~Q(human_rights_considerations="")
GENDER = ~Q(gender_considerations="")


@dataclass
class ActivityFigures:
    by_status: dict[str, int]
    # Rows: number, name, planned, spent, activities (the time-limited ones last).
    budget_by_format: list[Mapping[str, Any]]
    transversal: dict[str, int]  # stated (both), human_rights, gender


def activity_figures(acts: QuerySet[Activity]) -> ActivityFigures:
    """The figures of ``acts`` in two queries (the grouped counts and sums, the formats'
    labels), kept until the next write for the same activities and language."""
    grouped = (
        acts.order_by()
        .values_list("permanent_format_id", "status")
        .annotate(
            planned=Coalesce(Sum("planned_budget"), ZERO),
            spent=Coalesce(Sum("spent"), ZERO),
            activities=Count("id"),
            stated=Count("id", filter=HUMAN_RIGHTS & GENDER),
            human_rights=Count("id", filter=HUMAN_RIGHTS),
            gender=Count("id", filter=GENDER),
        )
    )
    return cached_result(
        "activity-figures", grouped, lambda: _figures(list(grouped)), extra=get_language()
    )


def _figures(rows: list[Any]) -> ActivityFigures:
    # Every format's number and name (in the active language), in the numbers' order.
    labels = {
        r["pk"]: (r["number"], r["name"])
        for r in PermanentFormat.objects.order_by("number", "pk").values("pk", "number", "name")
    }
    by_status: dict[str, int] = {}
    transversal = {"stated": 0, "human_rights": 0, "gender": 0}
    groups: dict[Any, dict[str, Any]] = {}
    for fmt, status, planned, spent, n, stated, human_rights, gender in rows:
        by_status[status] = by_status.get(status, 0) + n
        transversal["stated"] += stated
        transversal["human_rights"] += human_rights
        transversal["gender"] += gender
        key = labels[fmt] if fmt is not None else None
        group = groups.setdefault(key, {"planned": Decimal(0), "spent": Decimal(0), "n": 0})
        group["planned"] += planned
        group["spent"] += spent
        group["n"] += n
    budget: list[Mapping[str, Any]] = []
    for number, name in dict.fromkeys(labels.values()):  # in the numbers' order, once each
        found = groups.get((number, name))
        if found:
            budget.append(_budget_row(number, name, found))
    others = groups.get(None)
    if others:
        budget.append(_budget_row("—", gettext("Time-limited activities"), others))
    return ActivityFigures(by_status, budget, transversal)


def _budget_row(number: str, name: str, group: dict[str, Any]) -> dict[str, Any]:
    return {
        "number": number,
        "name": name,
        "planned": group["planned"],
        "spent": group["spent"],
        "activities": group["n"],
    }


# --- by thematic priority ----------------------------------------------------------

# A row of ``by_priority``: the priority's id, number and title (the model's own
# column, not the active language's; None without a priority), the activity's work
# programme and format, whether it states each consideration; then the group's
# planned and spent budget (None when no activity has one) and its activities.
PRIORITY_ROW = (
    "thematic_priorities__id",
    "thematic_priorities__number",
    "thematic_priorities__title",
    "work_programme_id",
    "human_rights",
    "gender",
)


def by_priority(acts: QuerySet[Activity]) -> QuerySet[Any, Any]:
    """The activities ``acts`` under each of their thematic priorities (an activity
    under several is counted under each; one without any, under None), grouped as
    ``PRIORITY_ROW``, in the order of the priorities' numbers: one read of the link
    table for both the coverage by priority (evaluation/coverage.py) and the budget by
    priority (evaluation/selectors.py), each keeping the rows of its own activities.
    Read with ``cached_rows``: the second of them finds it in the cache."""
    return (
        acts.order_by()
        .annotate(
            human_rights=ExpressionWrapper(HUMAN_RIGHTS_STATED, output_field=BooleanField()),
            gender=ExpressionWrapper(GENDER_STATED, output_field=BooleanField()),
        )
        .values_list(*PRIORITY_ROW)
        .annotate(planned=Sum("planned_budget"), spent=Sum("spent"), activities=Count("id"))
        .order_by("thematic_priorities__number")
    )


def budget_by_priority(acts: QuerySet[Activity]) -> list[Mapping[str, Any]]:
    """The budget of each thematic priority of the activities ``acts`` (from the rows
    of ``by_priority``): grouped by the priority's number and title in the active
    language, in the order of the numbers. Kept until the next write."""
    rows = by_priority(acts)
    return cached_result(
        "budget-by-priority",
        rows,
        lambda: _budget_by_priority(cached_rows(rows)),
        extra=get_language(),
    )


def _budget_by_priority(rows: list[tuple[Any, ...]]) -> list[Mapping[str, Any]]:
    labels = {
        r["pk"]: (r["number"], r["title"])
        for r in ThematicPriority.objects.order_by("number", "pk").values("pk", "number", "title")
    }
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for pk, _number, _title, _wp, _hr, _gender, planned, spent, n in rows:
        if pk is None:
            continue
        group = groups.setdefault(labels[pk], {"planned": None, "spent": None, "n": 0})
        group["planned"] = _plus(group["planned"], planned)
        group["spent"] = _plus(group["spent"], spent)
        group["n"] += n
    budget: list[Mapping[str, Any]] = []
    for number, title in dict.fromkeys(labels.values()):  # in the numbers' order, once each
        found = groups.get((number, title))
        if found:
            budget.append(
                {
                    "number": number,
                    "title": title,
                    # A priority's sum is 0 when none of its activities has a budget.
                    "planned": Decimal(0) if found["planned"] is None else found["planned"],
                    "spent": Decimal(0) if found["spent"] is None else found["spent"],
                    "activities": found["n"],
                }
            )
    return budget


def _plus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    """SQL's ``SUM`` of two partial sums: None only when both are."""
    return b if a is None else a if b is None else a + b
