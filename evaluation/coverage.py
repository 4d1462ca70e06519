"""Human-rights and gender coverage (priority 3.1 of the 2015–2018 programme makes both
transversal: every activity states how it takes them into account). For a work
programme and a year: how many of the activities running in the year state their
human-rights and their gender considerations, by thematic priority, by activity format
and by lead state, and which of them lack either. The overview shows it (chart, tables,
list), the evaluation report prints it (evaluation/report_coverage.py), and the activity
list filters by it (``considerations``, activities/filters.py, the same predicates).

An activity under several thematic priorities is counted under each of them, so the
priorities' rows add up to more than the total, which counts every activity once."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from activities.filters import GENDER_STATED, HUMAN_RIGHTS_STATED
from activities.models import Activity
from pompidou.listing import cached_result, cached_rows
from programme.models import WorkProgramme
from programme.translation import translated

from .charts import Chart, number
from .figures import by_priority
from .selectors import Scope, activities_in


@dataclass
class Row:
    """One group's counts: its activities, those stating each consideration, both."""

    label: str
    total: int
    human_rights: int
    gender: int
    both: int
    key: str = ""  # the priority's or format's number, the state's code; "" for none

    @property
    def missing(self) -> int:
        return self.total - self.both

    @property
    def share(self) -> Decimal | None:
        return share(self.both, self.total)


def share(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, one decimal (None of nothing)."""
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


@dataclass
class Missing:
    activity: Activity
    human_rights: bool  # stated
    gender: bool


@dataclass
class Coverage:
    work_programme: WorkProgramme | None
    year: int | None
    overall: Row
    by_priority: list[Row] = field(default_factory=list)
    by_format: list[Row] = field(default_factory=list)
    by_state: list[Row] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)


def _counts() -> dict[str, Any]:
    return {
        "total": Count("id"),
        "human_rights": Count("id", filter=HUMAN_RIGHTS_STATED),
        "gender": Count("id", filter=GENDER_STATED),
        "both": Count("id", filter=HUMAN_RIGHTS_STATED & GENDER_STATED),
    }


COUNTED = ("total", "human_rights", "gender", "both")
PRIORITY = ("thematic_priorities__number", "thematic_priorities__title")
FORMAT = ("permanent_format__number", "permanent_format__name")
STATE = ("lead_member_state__code", "lead_member_state__name")


def _priority_rows(
    acts: QuerySet[Activity], work_programme: WorkProgramme | None
) -> list[dict[str, Any]]:
    """The counts of ``acts`` by thematic priority (of those of ``work_programme``
    alone, if given), as rows for ``_grouped``, in the order of the numbers."""
    rows = []
    for _pk, key, title, wp, human_rights, gender, _planned, _spent, n in cached_rows(
        by_priority(acts)
    ):
        if work_programme is None or wp == work_programme.pk:
            rows.append(
                {
                    PRIORITY[0]: key,
                    PRIORITY[1]: title,
                    "total": n,
                    "human_rights": n if human_rights else 0,
                    "gender": n if gender else 0,
                    "both": n if human_rights and gender else 0,
                }
            )
    return rows


def _grouped(rows: list[dict[str, Any]], key: str, label: str, none: str) -> list[Row]:
    """``rows`` (in the order of ``key``) added up by ``key`` and ``label``: a ``Row``
    each, the group of activities without one last, named ``none``."""
    sums: dict[tuple[Any, Any], list[int]] = {}
    for r in rows:
        counts = sums.setdefault((r[key], r[label]), [0, 0, 0, 0])
        for i, name in enumerate(COUNTED):
            counts[i] += r[name]
    out, empty = [], None
    for (k, name), counts in sums.items():
        total, human_rights, gender, both = counts
        row = Row(str(name or none), total, human_rights, gender, both, str(k or ""))
        if k is None:
            empty = row
        else:
            out.append(row)
    return [*out, *([empty] if empty else [])]


def coverage_of(
    acts: QuerySet[Activity],
    work_programme: WorkProgramme | None = None,
    year: int | None = None,
    shown: int | None = None,
    wider: QuerySet[Activity] | None = None,
) -> Coverage:
    """The coverage of the activities ``acts``, in three queries (the counts by
    activity format and lead state, from which the overall counts and each grouping's
    are added up; by thematic priority; the activities lacking either consideration:
    the first ``shown`` of them, or all; how many there are is ``overall.missing``).
    With ``wider``, activities of which ``acts`` are those of ``work_programme``, the
    counts by thematic priority are those of ``wider``'s rows (figures.by_priority)
    of the programme: the rows the overview's budget by priority is read from."""
    acts = acts.order_by()
    # One pass over the activities for three figures (the rows are the formats by lead
    # states, a few hundred at most), in the order of the formats' numbers.
    by_format_and_state = cached_rows(
        acts.values(*FORMAT, *STATE).annotate(**_counts()).order_by(FORMAT[0], STATE[0])
    )
    overall = {name: sum(r[name] for r in by_format_and_state) for name in COUNTED}
    rows = _priority_rows(acts, None) if wider is None else _priority_rows(wider, work_programme)
    by_priority = _grouped(rows, *PRIORITY, _("No thematic priority"))
    for row in by_priority:
        if row.key:
            row.label = f"{row.key} {row.label}"
    by_format = _grouped(by_format_and_state, *FORMAT, _("Time-limited activities"))
    for row in by_format:
        if row.key:
            row.label = f"{row.key} {row.label}"
    states = sorted(by_format_and_state, key=lambda r: (r[STATE[0]] is None, r[STATE[0]] or ""))
    by_state = sorted(
        _grouped(states, *STATE, _("No lead state")), key=lambda r: (not r.key, r.label)
    )
    lacking = (
        acts.filter(~(HUMAN_RIGHTS_STATED & GENDER_STATED))
        .select_related("lead_member_state")
        .only(
            "reference",
            "title",
            "human_rights_considerations",
            "gender_considerations",
            "lead_member_state__code",
            *translated("lead_member_state__name"),
        )
        .order_by("reference")
    )
    if shown is not None:
        lacking = lacking[:shown]

    def read() -> list[Missing]:
        return [
            Missing(
                a,
                bool(a.human_rights_considerations.strip()),
                bool(a.gender_considerations.strip()),
            )
            for a in lacking
        ]

    # The page's first few are kept until the next write; a document reads them all.
    missing = read() if shown is None else cached_result("coverage-missing", lacking, read)
    return Coverage(
        work_programme,
        year,
        Row(_("All activities"), **overall),
        by_priority,
        by_format,
        by_state,
        missing,
    )


def coverage(work_programme: WorkProgramme, year: int, shown: int | None = None) -> Coverage:
    """The coverage of the programme's activities running in ``year`` (the first
    ``shown`` of those lacking either consideration, or all)."""
    acts = Activity.objects.filter(work_programme=work_programme).running_in(year)
    # The year's activities of every programme, as the overview reads them.
    wider = activities_in(year, Scope())
    return coverage_of(acts, work_programme, year, shown, wider)


def coverage_chart(cov: Coverage) -> Chart:
    """By thematic priority: the activities, and those stating each consideration."""
    rows = cov.by_priority
    return Chart(
        name="coverage",
        title=_("Human rights and gender stated, by thematic priority"),
        columns=[
            _("Thematic priority"),
            _("Activities"),
            _("Human rights stated"),
            _("Gender stated"),
            _("Both stated"),
        ],
        rows=[[r.label, r.total, r.human_rights, r.gender, r.both] for r in rows],
        spec={
            "type": "bar",
            "labels": [r.key or r.label for r in rows],
            "datasets": [
                {"label": _("Activities"), "data": [r.total for r in rows], "color": "#adb5bd"},
                {
                    "label": _("Human rights stated"),
                    "data": [number(r.human_rights) for r in rows],
                    "color": "#0b3a6e",
                },
                {
                    "label": _("Gender stated"),
                    "data": [number(r.gender) for r in rows],
                    "color": "#6ea8fe",
                },
            ],
            "integers": True,
        },
        note=_(
            "An activity under several thematic priorities is counted under each of them; "
            "the total counts it once."
        ),
    )
