"""The evaluation report as a document: the data gathered once, then written as PDF
(WeasyPrint, from a template, charts as images) and as DOCX (python-docx)."""

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, OuterRef, Prefetch, Subquery
from django.utils import formats

from activities.models import Activity
from pompidou.lib.documents import Docx, bar_chart_png, html_to_pdf

from . import selectors
from .models import (
    EvaluationReport,
    FeedbackResponse,
    ImpactAssessment,
    Measurement,
    ProgressReport,
)

RAG_LABELS = {
    "on_track": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
    "none": "No report",
}
STATUS_LABELS = dict(Activity.Status.choices)


@dataclass
class ActivityLine:
    activity: Activity
    latest: ProgressReport | None
    indicators: list  # (indicator, latest value, reached)
    feedback: Mapping[str, Any]  # the activity's feedback aggregates; empty without any
    impacts: list


@dataclass
class EvaluationData:
    report: EvaluationReport
    title: str
    scope_label: str
    date_text: str
    overview: selectors.Overview
    lines: list[ActivityLine]
    charts: dict[str, bytes]

    def chart_uri(self, name: str) -> str:
        return "data:image/png;base64," + base64.b64encode(self.charts[name]).decode()

    @property
    def chart_uris(self) -> dict[str, str]:
        return {name: self.chart_uri(name) for name in self.charts}


def _scope(report: EvaluationReport) -> selectors.Scope:
    return selectors.Scope(report.scope, report.priority, report.format)


def gather(report: EvaluationReport, progress=None) -> EvaluationData:
    """Everything the report shows, read once (a fixed number of queries)."""
    report = EvaluationReport.objects.select_related("work_programme", "priority", "format").get(
        pk=report.pk
    )
    scope = _scope(report)
    years = (report.first_year, report.last_year)
    overview = selectors.overview(None, scope, years=years)
    if progress:
        progress(15)
    acts = selectors.activities_in(None, scope, years)
    latest = ProgressReport.objects.filter(activity=OuterRef("pk")).order_by("-period")
    activities = list(
        acts.annotate(latest_id=Subquery(latest.values("id")[:1]))
        .select_related("lead_member_state", "permanent_format")
        .prefetch_related(
            Prefetch(
                "indicators__measurements", queryset=Measurement.objects.order_by("date", "id")
            ),
            Prefetch("impact_assessments", queryset=ImpactAssessment.objects.order_by("date")),
        )
        .order_by("reference")
    )
    reports = ProgressReport.objects.in_bulk([a.latest_id for a in activities if a.latest_id])
    feedback = {
        row["request__activity"]: row
        for row in FeedbackResponse.objects.filter(request__activity__in=acts.values("pk"))
        .values("request__activity")
        .annotate(
            responses=Count("id"),
            relevance=Avg("relevance"),
            quality=Avg("quality"),
            usefulness=Avg("usefulness"),
            impact=Avg("impact"),
        )
    }
    lines = []
    for a in activities:
        indicators = []
        for indicator in a.indicators.all():
            measurements = list(indicator.measurements.all())
            value = measurements[-1].value if measurements else None
            indicators.append((indicator, value, indicator.reached(value)))
        lines.append(
            ActivityLine(
                a,
                reports.get(a.latest_id),
                indicators,
                feedback.get(a.pk, {}),
                list(a.impact_assessments.all()),
            )
        )
    if progress:
        progress(30)
    charts = {
        "status": bar_chart_png(
            "Activities by status",
            [str(STATUS_LABELS.get(k, k)) for k in overview.by_status],
            {"Activities": list(overview.by_status.values())},
        ),
        "rag": bar_chart_png(
            "Latest progress report (RAG)",
            [RAG_LABELS.get(k, k) for k in overview.by_rag],
            {"Activities": list(overview.by_rag.values())},
        ),
        "budget": bar_chart_png(
            "Budget planned and spent by thematic priority (EUR)",
            [row["number"] for row in overview.budget_by_priority],
            {
                "Planned": [float(row["planned"]) for row in overview.budget_by_priority],
                "Spent": [float(row["spent"]) for row in overview.budget_by_priority],
            },
        ),
    }
    title = (
        f"Evaluation report {report.first_year}–{report.last_year}"
        if (report.first_year != report.last_year)
        else f"Evaluation report {report.first_year}"
    )
    return EvaluationData(
        report,
        title,
        scope.label or "Whole work programme",
        formats.date_format(report.document_date, "DATE_FORMAT"),
        overview,
        lines,
        charts,
    )


def build(report: EvaluationReport, progress) -> tuple[bytes, bytes]:
    data = gather(report, progress)
    progress(40)
    pdf = html_to_pdf(
        "documents/evaluation_report.html",
        {"d": data, "reference": report.reference, "charts": data.chart_uris},
    )
    progress(75)
    docx = _docx(data)
    progress(95)
    return pdf, docx


def _n(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float | Decimal):
        return f"{value:,.1f}" if isinstance(value, float) else f"{value:,.0f}"
    return str(value)


def _docx(d: EvaluationData) -> bytes:
    o = d.overview
    doc = Docx(d.title, d.report.reference, d.date_text)
    doc.paragraph(f"{d.report.work_programme.title} — {d.scope_label}", italic=True)
    doc.heading("1. Summary", 1)
    doc.table(
        ["Figure", "Value"],
        [
            ["Activities", o.total],
            [
                "Human-rights and gender considerations stated",
                f"{o.transversal['stated']} of {o.total} ({_n(o.transversal_share)} %)",
            ],
            ["Feedback responses", o.feedback["responses"]],
            ["Indicators on target", f"{o.indicators['on_target']} of {o.indicators['measured']}"],
            ["Overdue progress reports", len(o.overdue)],
        ],
    )
    doc.heading("2. Status and progress", 1)
    doc.image(d.charts["status"])
    doc.table(
        ["Status", "Activities"], [[STATUS_LABELS.get(k, k), v] for k, v in o.by_status.items()]
    )
    doc.image(d.charts["rag"])
    doc.table(
        ["Latest report", "Activities"], [[RAG_LABELS.get(k, k), v] for k, v in o.by_rag.items()]
    )
    doc.heading("3. Budget planned and spent", 1)
    doc.image(d.charts["budget"])
    doc.table(
        ["Priority", "Planned (EUR)", "Spent (EUR)"],
        [
            [f"{r['number']} {r['title']}", _n(r["planned"]), _n(r["spent"])]
            for r in o.budget_by_priority
        ],
    )
    doc.table(
        ["Format", "Planned (EUR)", "Spent (EUR)"],
        [
            [f"{r['number']} {r['name']}", _n(r["planned"]), _n(r["spent"])]
            for r in o.budget_by_format
        ],
    )
    doc.heading("4. Feedback from experts and correspondents", 1)
    f = o.feedback
    doc.table(
        ["Responses", "Relevance", "Quality", "Usefulness", "Likely impact"],
        [
            [
                f["responses"],
                _n(f["relevance"]),
                _n(f["quality"]),
                _n(f["usefulness"]),
                _n(f["impact"]),
            ]
        ],
    )
    doc.heading("5. Transversal aims: human rights and gender", 1)
    t = o.transversal
    doc.table(
        ["", "Activities"],
        [
            ["Human-rights considerations stated", t["human_rights"]],
            ["Gender considerations stated", t["gender"]],
            ["Both stated", t["stated"]],
            ["All activities", o.total],
        ],
    )
    doc.heading("6. Activities", 1)
    for line in d.lines:
        a = line.activity
        doc.heading(f"{a.reference} {a.title}", 2)
        r = line.latest
        doc.paragraph(
            f"Status: {a.get_status_display()}. Latest report: "
            + (
                f"{r.period}, {r.get_status_display().lower()}, {r.percent_complete} % — "
                f"{r.narrative}"
                if r
                else "none."
            )
        )
        if line.indicators:
            doc.table(
                ["Indicator", "Baseline", "Target", "Latest", "On target"],
                [
                    [
                        i.name,
                        _n(i.baseline),
                        _n(i.target),
                        _n(v),
                        "yes" if ok else ("no" if ok is False else "—"),
                    ]
                    for i, v, ok in line.indicators
                ],
            )
        if line.feedback:
            fb = line.feedback
            doc.paragraph(
                f"Feedback ({fb['responses']} responses): relevance "
                f"{_n(fb['relevance'])}, quality {_n(fb['quality'])}, usefulness "
                f"{_n(fb['usefulness'])}, likely impact {_n(fb['impact'])}."
            )
        for impact in line.impacts:
            doc.paragraph(
                f"Impact ({impact.date}, {impact.method}, rated {impact.rating}/5): "
                f"{impact.findings}"
            )
    doc.heading("7. Overdue progress reports", 1)
    if o.overdue:
        doc.table(
            ["Period", "Activity", "Lead"],
            [
                [
                    row["period"],
                    f"{row['activity'].reference} {row['activity'].title}",
                    row["activity"].lead_member_state.code
                    if row["activity"].lead_member_state
                    else "—",
                ]
                for row in o.overdue
            ],
        )
    else:
        doc.paragraph("None.")
    return doc.to_bytes()
