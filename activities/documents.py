"""The "annual programme of activities" as a document: the data gathered once, then
written as PDF (WeasyPrint, from a template) and as DOCX (python-docx)."""

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import formats

from pompidou.lib.documents import Docx, html_to_pdf
from programme.models import ThematicPriority

from .models import Activity, AnnualProgramme, AnnualProgrammeDocument, AnnualProgrammeEntry


@dataclass
class Row:
    reference: str
    title: str
    lead: str
    dates: str
    budget: Decimal
    expected_results: str
    route: str


@dataclass
class Section:
    number: str
    title: str
    rows: list[Row] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((r.budget for r in self.rows), Decimal("0"))


@dataclass
class AnnualProgrammeData:
    ap: AnnualProgramme
    reference: str
    date_text: str
    aims: list
    priorities: list[Section]
    formats: list[Section]
    ad_hoc: list[Row]
    total: Decimal
    decisions: list[dict]

    @property
    def over_ceiling(self) -> bool:
        return self.total > self.ap.budget_ceiling


def _row(activity: Activity, budget: Decimal) -> Row:
    lead = activity.lead_member_state.name if activity.lead_member_state else "Secretariat"
    dates = (
        f"{formats.date_format(activity.start_date, 'SHORT_DATE_FORMAT')} – "
        f"{formats.date_format(activity.end_date, 'SHORT_DATE_FORMAT')}"
    )
    return Row(
        activity.reference,
        activity.title,
        lead,
        dates,
        budget,
        activity.expected_results,
        activity.get_adoption_route_display(),
    )


DecisionRows = Callable[[AnnualProgramme], list[dict]]
_decision_sources: list[DecisionRows] = []


def register_decision_source(source: DecisionRows) -> None:
    """Add the rows ``source(annual_programme)`` to the annex of adoption decisions
    (``{"reference", "title", "outcome", "body", "meeting", "date"}``, by date)."""
    if source not in _decision_sources:
        _decision_sources.append(source)


def gather(document: AnnualProgrammeDocument) -> AnnualProgrammeData:
    """Everything the document shows, read once (a fixed number of queries)."""
    ap = AnnualProgramme.objects.select_related("work_programme", "adopting_meeting").get(
        pk=document.annual_programme_id
    )
    wp = ap.work_programme
    entries = list(
        AnnualProgrammeEntry.objects.filter(annual_programme=ap)
        .select_related("activity__lead_member_state", "activity__permanent_format")
        .prefetch_related(
            Prefetch(
                "activity__thematic_priorities",
                queryset=ThematicPriority.objects.order_by("number"),
            )
        )
        .order_by("activity__reference")
    )
    priorities = OrderedDict(
        (p.number, Section(p.number, p.title)) for p in wp.priorities.order_by("number")
    )
    formats_ = OrderedDict(
        (f.number, Section(f.number, f.name)) for f in wp.formats.order_by("number")
    )
    for entry in entries:
        a = entry.activity
        if a.permanent_format is not None:
            formats_[a.permanent_format.number].rows.append(_row(a, entry.budget))
        else:
            first = next(iter(a.thematic_priorities.all()), None)
            if first is not None:
                priorities[first.number].rows.append(_row(a, entry.budget))
    year = ap.year
    ad_hoc = [
        _row(a, a.planned_budget)
        for a in Activity.objects.filter(
            work_programme=wp, adoption_route__in=[Activity.Route.AD_HOC, Activity.Route.URGENT]
        )
        .filter(Q(start_date__year=year) | Q(start_date__year__lt=year, end_date__year__gte=year))
        .exclude(annual_entries__annual_programme=ap)
        .select_related("lead_member_state")
        .order_by("reference")
    ]
    # The decisions that adopted activities of the year, from the apps that record
    # them (proposals registers its own): activities imports no app above it.
    decisions = [row for source in _decision_sources for row in source(ap)]
    if ap.adopting_meeting:
        decisions.insert(
            0,
            {
                "reference": "",
                "title": str(ap),
                "outcome": "Adopted",
                "body": "Permanent Correspondents",
                "meeting": str(ap.adopting_meeting),
                "date": formats.date_format(ap.adopted_on, "DATE_FORMAT") if ap.adopted_on else "",
            },
        )
    total = sum((e.budget for e in entries), Decimal("0"))
    return AnnualProgrammeData(
        ap,
        document.reference,
        formats.date_format(document.document_date, "DATE_FORMAT"),
        list(wp.aims.all()),
        [s for s in priorities.values() if s.rows],
        [s for s in formats_.values() if s.rows],
        ad_hoc,
        total,
        decisions,
    )


def build(document: AnnualProgrammeDocument, progress) -> tuple[bytes, bytes]:
    data = gather(document)
    progress(20)
    pdf = html_to_pdf("documents/annual_programme.html", {"d": data, "reference": data.reference})
    progress(70)
    docx = _docx(data)
    progress(95)
    return pdf, docx


def _money(value: Decimal) -> str:
    return f"{value:,.0f} EUR"


def _docx(d: AnnualProgrammeData) -> bytes:
    doc = Docx(f"Annual programme of activities {d.ap.year}", d.reference, d.date_text)
    doc.paragraph(f"{d.ap.work_programme.title} ({d.ap.work_programme.reference})", italic=True)
    doc.heading("1. Aims of the work programme", 1)
    doc.bullets(f"{a.title}: {a.text}" for a in d.aims)
    headers = ["Reference", "Title", "Lead", "Dates", "Budget (EUR)"]

    def rows(section_rows):
        return [[r.reference, r.title, r.lead, r.dates, f"{r.budget:,.0f}"] for r in section_rows]

    doc.heading("2. Activities by thematic priority", 1)
    for s in d.priorities:
        doc.heading(f"{s.number} {s.title}", 2)
        doc.table(headers, rows(s.rows))
    doc.heading("3. Permanent activity formats", 1)
    for s in d.formats:
        doc.heading(f"{s.number} {s.title}", 2)
        doc.table(headers, rows(s.rows))
        for r in s.rows:
            if r.expected_results:
                doc.paragraph(f"Expected results ({r.reference}): {r.expected_results}")
    doc.heading("4. Ad hoc and urgent activities adopted during the year", 1)
    if d.ad_hoc:
        doc.table(
            [*headers[:4], "Adopted by", "Budget (EUR)"],
            [
                [r.reference, r.title, r.lead, r.dates, r.route, f"{r.budget:,.0f}"]
                for r in d.ad_hoc
            ],
        )
    else:
        doc.paragraph("None.")
    doc.heading("5. Budget", 1)
    doc.table(
        ["", "EUR"],
        [
            ["Total of the activities", f"{d.total:,.0f}"],
            ["Budget ceiling", f"{d.ap.budget_ceiling:,.0f}"],
            [
                "Over the ceiling" if d.over_ceiling else "Under the ceiling",
                f"{abs(d.ap.budget_ceiling - d.total):,.0f}",
            ],
        ],
    )
    doc.heading("Annex: adoption decisions", 1)
    if d.decisions:
        doc.table(
            ["Activity", "Title", "Decision", "By", "Meeting", "Date"],
            [
                [x["reference"], x["title"], x["outcome"], x["body"], x["meeting"], x["date"]]
                for x in d.decisions
            ],
        )
    else:
        doc.paragraph("No decisions recorded.")
    return doc.to_bytes()
