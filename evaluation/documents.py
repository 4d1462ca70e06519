"""The evaluation report as a document: the data gathered once for the period the user
chose, its texts and tables written once in the active language, then printed as PDF
(WeasyPrint, from a template, charts as images) and as DOCX (python-docx,
evaluation.report_docx). The summary is evaluation.summary's, the charts
evaluation.report_charts'."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, OuterRef, Prefetch, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities.models import Activity
from pompidou.lib.documents import Cover, html_to_pdf

from . import report_charts, report_coverage, selectors, summary
from .coverage import Coverage, coverage_of
from .models import (
    EvaluationReport,
    FeedbackResponse,
    ImpactAssessment,
    Measurement,
    ProgressReport,
)
from .report_text import (
    RAG_ORDER,
    RATINGS,
    day,
    decimal,
    num,
    percent,
    period_text,
    rag_label,
    rating_heading,
    share,
    status_label,
    title,
    yes_no,
)


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    numeric: tuple[int, ...] = ()  # the columns of figures, aligned right

    @property
    def cells(self) -> list[list[tuple[str, bool]]]:
        """Rows of (text, is a figure), for the template."""
        return [[(text, i in self.numeric) for i, text in enumerate(row)] for row in self.rows]

    @property
    def header_cells(self) -> list[tuple[str, bool]]:
        return [(text, i in self.numeric) for i, text in enumerate(self.headers)]


@dataclass
class ActivityLine:
    activity: Activity
    latest: ProgressReport | None
    indicators: list  # (indicator, latest value in the period, reached)
    feedback: Mapping[str, Any]  # the activity's feedback aggregates; empty without any
    impacts: list
    texts: list[str] = field(default_factory=list)  # its paragraphs, written by _write_line
    indicator_table: Table | None = None


@dataclass
class EvaluationData:
    report: EvaluationReport
    title: str
    period: str  # "1 January 2016 to 31 December 2017"
    scope_label: str
    date_text: str
    overview: selectors.Overview
    lines: list[ActivityLine]
    critical: list[summary.Critical]
    charts: dict[str, bytes] = field(default_factory=dict)
    coverage: Coverage | None = None  # chapter 5's counts (evaluation/report_coverage.py)
    summary: list[str] = field(default_factory=list)
    headings: dict[str, str] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)

    def chart_uri(self, name: str) -> str:
        return "data:image/png;base64," + base64.b64encode(self.charts[name]).decode()

    @property
    def cover(self) -> Cover:
        """The cover both files print: reference, date, title, the period in bold terms."""
        wp = self.report.work_programme
        return Cover(
            self.title,
            self.report.reference,
            self.date_text,
            f"{wp.title} ({wp.reference})",
            [
                _("Period covered: %(period)s") % {"period": self.period},
                self.scope_label,
                _(
                    "Section 2.3 of the work programme: on-going progress monitoring, feedback "
                    "from experts and Permanent Correspondents, and the initial impact of "
                    "activities."
                ),
            ],
        )

    @property
    def chart_uris(self) -> dict[str, str]:
        return {name: self.chart_uri(name) for name in self.charts}


def headings() -> dict[str, str]:
    return {
        "summary": _("1. Summary"),
        "status": _("2. Status and progress"),
        "budget": _("3. Budget planned and spent"),
        "feedback": _("4. Feedback from experts and Permanent Correspondents"),
        "transversal": _("5. Transversal aims: human rights and gender"),
        "activities": _("6. Activities"),
        "overdue": _("7. Overdue progress reports"),
        "critical": _("Comments with a rating of %(rating)s or less")
        % {"rating": summary.CRITICAL_RATING},
    }


def _scope(report: EvaluationReport) -> selectors.Scope:
    return selectors.Scope(report.scope, report.priority, report.format)


def _critical(ids: Any, activities: dict[int, Activity]) -> list[summary.Critical]:
    """The responses pairing a comment with a low rating, by activity, the activity with
    the most first (one query)."""
    low = Q()
    for name in RATINGS:
        low |= Q(**{f"{name}__lte": summary.CRITICAL_RATING})
    found: dict[int, summary.Critical] = {}
    for row in (
        FeedbackResponse.objects.filter(low, request__activity__in=ids)
        .exclude(comments="")
        .values("request__activity", "comments", *RATINGS)
        .order_by("created_at", "id")
    ):
        activity = activities[row["request__activity"]]
        entry = found.setdefault(activity.pk, summary.Critical(activity, []))
        entry.comments.append((min(row[name] for name in RATINGS), row["comments"]))
    return sorted(found.values(), key=lambda c: (-len(c.comments), c.activity.reference))


def gather(report: EvaluationReport, progress=None) -> EvaluationData:
    """Everything the report shows for its years, read once (a fixed number of queries)."""
    report = EvaluationReport.objects.select_related("work_programme", "priority", "format").get(
        pk=report.pk
    )
    scope = _scope(report)
    years = (report.first_year, report.last_year)
    end = dt.date(report.last_year, 12, 31)
    overview = selectors.overview(None, scope, years=years)
    if progress:
        progress(15)
    acts = selectors.activities_in(None, scope, years)
    # The activities that ran in the period; the latest report filed for one of its
    # half-years and the indicators as they stood at its end, so a report on 2016
    # compiled in 2018 still says 2016's state. Money is the activities' record to date
    # (the summary says "to date"), feedback every response on these activities: neither
    # is kept per half-year.
    latest = ProgressReport.objects.filter(
        activity=OuterRef("pk"), period__range=selectors.period_range(years)
    ).order_by("-period")
    activities = list(
        acts.annotate(latest_id=Subquery(latest.values("id")[:1]))
        .select_related("lead_member_state", "permanent_format")
        .prefetch_related(
            Prefetch(
                "indicators__measurements",
                queryset=Measurement.objects.filter(date__lte=end).order_by("date", "id"),
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
    critical = _critical(acts.values("pk"), {a.pk: a for a in activities})
    if progress:
        progress(30)
    data = EvaluationData(
        report,
        title(report.first_year, report.last_year),
        period_text(report.first_year, report.last_year),
        scope.label or _("Whole work programme"),
        day(report.document_date),
        overview,
        lines,
        critical,
        charts=report_charts.charts(overview),
        coverage=coverage_of(acts),
    )
    write(data)
    return data


# --- the texts and tables, in the active language ---------------------------------------


def _write_line(line: ActivityLine) -> None:
    a, r = line.activity, line.latest
    if r:
        latest = _("Latest report in the period: %(period)s, %(status)s, %(percent)s complete.") % {
            "period": r.period,
            "status": rag_label(r.status).lower(),
            "percent": _("%(value)s%%") % {"value": num(r.percent_complete)},
        }
    else:
        latest = _("No progress report in the period.")
    line.texts = [_("Status: %(status)s.") % {"status": status_label(a.status)} + " " + latest]
    if r and r.narrative:
        line.texts.append(r.narrative)
    if line.indicators:
        line.indicator_table = Table(
            [_("Indicator"), _("Baseline"), _("Target"), _("Latest"), _("On target")],
            [
                [i.name, decimal(i.baseline), decimal(i.target), decimal(v), yes_no(ok)]
                for i, v, ok in line.indicators
            ],
            (1, 2, 3),
        )
    fb = line.feedback
    if fb:
        line.texts.append(
            ngettext(
                "Feedback (%(count)s response): %(ratings)s.",
                "Feedback (%(count)s responses, mean ratings): %(ratings)s.",
                fb["responses"],
            )
            % {
                "count": num(fb["responses"]),
                "ratings": ", ".join(
                    f"{rating_heading(k).lower()} {num(fb[k], 1)}" for k in RATINGS
                ),
            }
        )
    for impact in line.impacts:
        line.texts.append(
            _("Impact (%(date)s, %(method)s, rated %(rating)s out of 5): %(findings)s")
            % {
                "date": day(impact.date),
                "method": impact.method,
                "rating": impact.rating,
                "findings": impact.findings,
            }
        )


def _budget_table(rows, label_key: str, heading: str) -> Table:
    return Table(
        [heading, _("Planned (EUR)"), _("Spent (EUR)"), _("Spent")],
        [
            [
                _("Time-limited activities")
                if r["number"] == "—"
                else f"{r['number']} {r[label_key]}",
                num(r["planned"]),
                num(r["spent"]),
                percent(share(r["spent"], r["planned"])),
            ]
            for r in rows
        ],
        (1, 2, 3),
    )


def write(d: EvaluationData) -> None:
    """The report's summary, headings and tables in the active language."""
    o = d.overview
    d.headings = headings()
    d.summary = summary.paragraphs(d)
    count = _("Activities")
    fb, t = o.feedback, o.transversal
    d.tables = {
        "figures": Table(
            [_("Figure"), _("Value")],
            [
                [count, num(o.total)],
                [
                    _("Human-rights and gender considerations stated"),
                    _("%(stated)s of %(total)s (%(share)s)")
                    % {
                        "stated": num(t["stated"]),
                        "total": num(o.total),
                        "share": percent(o.transversal_share),
                    },
                ],
                [_("Feedback responses"), num(fb["responses"])],
                [
                    _("Indicators on target"),
                    _("%(met)s of %(measured)s measured")
                    % {
                        "met": num(o.indicators["on_target"]),
                        "measured": num(o.indicators["measured"]),
                    },
                ],
                [_("Overdue progress reports"), num(len(o.overdue))],
            ],
            (1,),
        ),
        "status": Table(
            [_("Status"), count],
            [[status_label(k), num(o.by_status.get(k, 0))] for k in Activity.Status.values],
            (1,),
        ),
        "rag": Table(
            [_("Latest progress report in the period"), count],
            [[rag_label(k), num(o.by_rag.get(k, 0))] for k in RAG_ORDER],
            (1,),
        ),
        "budget_priority": _budget_table(o.budget_by_priority, "title", _("Thematic priority")),
        "budget_format": _budget_table(o.budget_by_format, "name", _("Activity format")),
        "feedback": Table(
            [_("Responses"), *[rating_heading(k) for k in RATINGS]],
            [[num(fb["responses"]), *[num(fb[k], 1) for k in RATINGS]]],
            (0, 1, 2, 3, 4),
        ),
        "critical": Table(
            [_("Activity"), _("Lowest rating"), _("Comment")],
            [
                [f"{c.activity.reference} {c.activity.title}", num(rating), text]
                for c in d.critical
                for rating, text in c.comments
            ],
            (1,),
        ),
        "transversal": Table(
            ["", count],
            [
                [_("Human-rights considerations stated"), num(t["human_rights"])],
                [_("Gender considerations stated"), num(t["gender"])],
                [_("Both stated"), num(t["stated"])],
                [_("All activities"), num(o.total)],
            ],
            (1,),
        ),
        "overdue": Table(
            [_("Period"), _("Activity"), _("Lead")],
            [
                [row["period"], f"{row['reference']} {row['title']}", row["lead"] or "—"]
                for row in o.overdue
            ],
        ),
    }
    if d.coverage is not None:
        d.headings.update(report_coverage.headings())
        d.tables.update(report_coverage.tables(d.coverage))
    for line in d.lines:
        _write_line(line)


def build(report: EvaluationReport, progress) -> tuple[bytes, bytes]:
    from .report_docx import docx

    data = gather(report, progress)
    progress(40)
    pdf = html_to_pdf(
        "documents/evaluation_report.html",
        {
            "d": data,
            "reference": report.reference,
            "charts": data.chart_uris,
            "cover": data.cover,
        },
        progress=progress,
        span=(40, 75),
    )
    progress(75)
    word = docx(data)
    progress(95)
    return pdf, word
