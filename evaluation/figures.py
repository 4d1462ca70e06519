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

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import get_language, gettext

from activities.models import Activity
from pompidou.listing import cached_result
from programme.models import PermanentFormat

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
