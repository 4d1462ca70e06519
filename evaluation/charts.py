"""The evaluation's charts: each is drawn by static/js/charts.js from the data the page
carries in a ``json_script``; the same rows make its table (for screen readers, and
anyone) and its CSV download (``?format=csv&chart=<name>`` on the page's own address).

Pure functions of the selectors' figures: no request, no query.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.utils.formats import date_format, number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from activities.models import Activity

from . import selectors
from .models import Indicator, ProgressReport

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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


def rag_labels() -> dict[str, StrOrPromise]:
    return {**dict(ProgressReport.Status.choices), "none": _("No report")}


def shown(value) -> str:
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
    if isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def number(value):
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
        return [[shown(v) for v in row] for row in self.rows]

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


def csv_or_none(request, charts: list[Chart], filename: str) -> HttpResponse | None:
    if request.GET.get("format") != "csv":
        return None
    wanted = request.GET.get("chart", "")
    for chart in charts:
        if chart.name == wanted:
            return _csv_response(chart, f"{filename}-{chart.name}")
    raise BadRequest(f"No chart named {wanted!r} on this page.")


def with_csv_links(charts: list[Chart], query: dict) -> list[Chart]:
    for chart in charts:
        chart.csv_url = "?" + urlencode({**query, "format": "csv", "chart": chart.name})
    return charts


def _short(text: str, length: int = 32) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def progress_chart(activity: Activity, reports: list[ProgressReport]) -> Chart:
    rag = rag_labels()
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


def indicator_chart(indicator: Indicator) -> Chart:
    # From the prefetched measurements (oldest first): no query per indicator.
    measurements = list(indicator.measurements.all())
    labels = [m.date.isoformat() for m in measurements]
    unit = f" ({indicator.unit})" if indicator.unit else ""
    return Chart(
        name=f"indicator-{indicator.pk}",
        title=_("%(name)s: measurements against baseline and target") % {"name": indicator.name},
        columns=[_("Date"), _("Value") + unit, _("Baseline"), _("Target"), _("Note")],
        rows=[
            [m.date, m.value, indicator.baseline, indicator.target, m.note] for m in measurements
        ],
        spec={
            "type": "line",
            "labels": labels,
            "datasets": [
                {
                    "label": _("Measured"),
                    "data": [number(m.value) for m in measurements],
                    "color": PLANNED,
                },
                {
                    "label": _("Baseline"),
                    "data": [number(indicator.baseline)] * len(measurements),
                    "color": "#6c757d",
                    "dashed": True,
                    "points": False,
                },
                {
                    "label": _("Target"),
                    "data": [number(indicator.target)] * len(measurements),
                    "color": "#198754",
                    "dashed": True,
                    "points": False,
                },
            ],
        },
    )


def overview_charts(ov: selectors.Overview) -> list[Chart]:
    statuses = Activity.Status.choices
    rag = rag_labels()
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
                            "data": [number(r["planned"]) for _lab, r in labelled],
                            "color": PLANNED,
                        },
                        {
                            "label": _("Spent (EUR)"),
                            "data": [number(r["spent"]) for _lab, r in labelled],
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
                        "data": [number(fb[key]) for key, _label in ratings],
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
                        "data": [number(share(n)) for _label, n in transversal_rows],
                        "color": "#6f42c1",
                    }
                ],
                "y": {"min": 0, "max": 100, "suffix": " %"},
                "legend": False,
            },
        )
    )
    return charts


def overdue_chart(ov: selectors.Overview, *, read: bool = True) -> Chart:
    """The overdue reports as a CSV (the page shows the first of them in a table of its
    own). Their rows are read only when ``read``: the CSV is the one place that wants
    them all."""
    return Chart(
        name="overdue",
        title=_("Overdue progress reports"),
        columns=[_("Period"), _("Activity"), _("Title"), _("Lead member state")],
        rows=[
            [o["period"], o["reference"], o["title"], o["lead"]]
            for o in (ov.overdue.iterator(chunk_size=2000) if read else ())
        ],
        spec={},
    )
