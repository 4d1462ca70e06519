"""The "annual programme of activities" as a document: the data gathered once, then
written as PDF (WeasyPrint, from a template) and as DOCX (python-docx), in the
language active when ``build`` runs (the job runs it once per official language).

Its chapters follow the numbering of the work programme (P-PG/MinConf (2014) 4):
1 aims; 2 structure (2.1 formats and time-limited activities, 2.2 the ad hoc and
urgent activities adopted during the year); 3 the activities by thematic priority
(3.1–3.4); 4 by permanent activity format (4.x, the format's own number); 5 the
budget; then the annex of adoption decisions."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

from pompidou.lib.documents import Cover, Docx, Table, html_to_pdf
from programme.models import MemberState, PermanentFormat, ThematicPriority

from . import selectors
from .models import Activity, AnnualProgramme, AnnualProgrammeDocument


def money(value: Decimal) -> str:
    """An amount in whole euros, grouped as the active language writes numbers."""
    return formats.number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


@dataclass
class Row:
    reference: str
    title: str
    lead: str
    dates: str
    budget: Decimal
    priorities: str
    expected_results: str = ""
    route: str = ""


@dataclass
class Section:
    number: str
    title: str
    rows: list[Row] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def anchor(self) -> str:
        return "s-" + self.number.replace(".", "-")

    @property
    def total(self) -> Decimal:
        return sum((r.budget for r in self.rows), Decimal("0"))

    @property
    def table(self) -> Table:
        return Table(
            [_("Reference"), _("Title"), _("Lead"), _("Dates"), _("Priorities"), _("Budget (EUR)")],
            [
                [r.reference, r.title, r.lead, r.dates, r.priorities, money(r.budget)]
                for r in self.rows
            ],
            numeric=frozenset({5}),
            unbroken=frozenset({0}),
            total=[
                _("Total %(section)s") % {"section": self.number},
                "",
                "",
                "",
                "",
                money(self.total),
            ],
        )


@dataclass
class AnnualProgrammeData:
    ap: AnnualProgramme
    reference: str
    date_text: str
    aims: list
    priorities: list[Section]  # every priority; an activity under each of its own
    formats: list[Section]  # the formats with activities this year
    time_limited: Section  # the activities in no permanent format
    ad_hoc: list[Row]
    total: Decimal
    count: int
    decisions: list[dict]

    @property
    def over_ceiling(self) -> bool:
        return self.total > self.ap.budget_ceiling

    @property
    def title(self) -> str:
        return _("Annual programme of activities %(year)s") % {"year": self.ap.year}

    @property
    def cover(self) -> Cover:
        wp = self.ap.work_programme
        if self.ap.status == AnnualProgramme.Status.ADOPTED and self.ap.adopting_meeting:
            status = _("Adopted by the Permanent Correspondents at the %(meeting)s.") % {
                "meeting": self.ap.adopting_meeting
            }
        else:
            status = _("Draft for adoption by the Permanent Correspondents.")
        return Cover(
            self.title, self.reference, self.date_text, f"{wp.title} ({wp.reference})", [status]
        )

    @property
    def counting_note(self) -> str:
        return _(
            "An activity under several thematic priorities is listed and counted under each "
            "of them, so the totals of the priorities add up to more than the programme's "
            "total, which counts every activity once: %(total)s EUR for %(count)s activities."
        ) % {"total": money(self.total), "count": self.count}

    @property
    def headings(self) -> dict[str, str]:
        """The chapters' and fixed sections' headings, the same in both formats."""
        return {
            "aims": _("1. Aims of the work programme"),
            "structure": _("2. Structure of the annual programme"),
            "structure_formats": _("2.1 Permanent activity formats and time-limited activities"),
            "ad_hoc": _("2.2 Ad hoc and urgent activities adopted during the year"),
            "priorities": _("3. Activities by thematic priority"),
            "formats": _("4. Permanent activity formats"),
            "budget": _("5. Budget"),
            "budget_priorities": _("5.1 By thematic priority"),
            "budget_formats": _("5.2 By activity format"),
            "budget_ceiling": _("5.3 Budget ceiling"),
            "annex": _("Annex: adoption decisions"),
        }

    # --- the tables both formats print ---------------------------------------------

    @property
    def structure_table(self) -> Table:
        in_formats = sum((s.total for s in self.formats), Decimal("0"))
        formats_count = sum(len(s.rows) for s in self.formats)
        return Table(
            ["", _("Activities"), _("Budget (EUR)")],
            [
                [_("In permanent activity formats (chapter 4)"), formats_count, money(in_formats)],
                [
                    _("Time-limited activities"),
                    len(self.time_limited.rows),
                    money(self.time_limited.total),
                ],
            ],
            numeric=frozenset({1, 2}),
            total=[_("Annual programme"), self.count, money(self.total)],
        )

    @property
    def ad_hoc_table(self) -> Table:
        return Table(
            [_("Reference"), _("Title"), _("Lead"), _("Dates"), _("Adopted by"), _("Budget (EUR)")],
            [
                [r.reference, r.title, r.lead, r.dates, r.route, money(r.budget)]
                for r in self.ad_hoc
            ],
            numeric=frozenset({5}),
            unbroken=frozenset({0}),
        )

    @property
    def budget_by_priority_table(self) -> Table:
        return Table(
            [_("Thematic priority"), _("Activities"), _("Budget (EUR)")],
            [[s.heading, len(s.rows), money(s.total)] for s in self.priorities],
            numeric=frozenset({1, 2}),
        )

    @property
    def budget_by_format_table(self) -> Table:
        rows = [[s.heading, len(s.rows), money(s.total)] for s in self.formats]
        if self.time_limited.rows:
            rows.append(
                [
                    self.time_limited.title,
                    len(self.time_limited.rows),
                    money(self.time_limited.total),
                ]
            )
        return Table(
            [_("Format"), _("Activities"), _("Budget (EUR)")],
            rows,
            numeric=frozenset({1, 2}),
            total=[_("Total of the activities"), self.count, money(self.total)],
        )

    @property
    def ceiling_table(self) -> Table:
        gap = abs(self.ap.budget_ceiling - self.total)
        return Table(
            ["", _("Budget (EUR)")],
            [
                [_("Total of the activities"), money(self.total)],
                [_("Budget ceiling"), money(self.ap.budget_ceiling)],
                [
                    _("Over the ceiling by") if self.over_ceiling else _("Left under the ceiling"),
                    money(gap),
                ],
            ],
            numeric=frozenset({1}),
        )

    @property
    def decisions_table(self) -> Table:
        return Table(
            [_("Activity"), _("Title"), _("Decision"), _("By"), _("Meeting"), _("Date")],
            [
                [x["reference"], x["title"], x["outcome"], x["body"], x["meeting"], x["date"]]
                for x in self.decisions
            ],
            unbroken=frozenset({0, 5}),
        )


# The columns a row of the document reads, fetched with values_list(): no model
# instance per activity (a year holds thousands of rows).
ROW_COLUMNS = (
    "reference",
    "title",
    "lead_member_state_id",
    "start_date",
    "end_date",
    "adoption_route",
    "permanent_format_id",
)
CHUNK_SIZE = 2000


class _Priorities(tuple):
    """An activity's priorities as ``selectors.group_entries`` reads them
    (``activity.thematic_priorities.all()``), without a model instance per row."""

    def all(self) -> "_Priorities":
        return self


@dataclass(slots=True)
class _Activity:
    thematic_priorities: _Priorities
    permanent_format: PermanentFormat | None


@dataclass(slots=True)
class _Entry:
    """What ``group_entries`` reads of an entry; ``row`` is what the document prints."""

    pk: int
    budget: Decimal
    activity: _Activity
    row: Row


class _Rows:
    """Rows of the document from values_list(), with the few shared objects they
    point at (member states, formats, priorities) read once, and each date written
    once whatever the number of rows that share it."""

    def __init__(self, *activity_sets) -> None:
        self.states = {s.pk: str(s.name) for s in MemberState.objects.all()}
        self.formats = {f.pk: f for f in PermanentFormat.objects.all()}
        self.routes = {key: str(label) for key, label in Activity.Route.choices}
        self.dates: dict = {}
        # The priorities of every activity printed, in one query, in the order of
        # the priorities' own (work programme, number).
        link = Activity.thematic_priorities.through
        priorities = {p.pk: p for p in ThematicPriority.objects.all()}
        self.priorities: dict[int, list[ThematicPriority]] = {}
        for activities in activity_sets:
            for activity_id, priority_id in (
                link.objects.filter(activity__in=activities.values("pk"))
                .order_by("thematicpriority__work_programme", "thematicpriority__number")
                .values_list("activity_id", "thematicpriority_id")
                .iterator(chunk_size=CHUNK_SIZE)
            ):
                self.priorities.setdefault(activity_id, []).append(priorities[priority_id])

    def _date(self, day) -> str:
        text = self.dates.get(day)
        if text is None:
            text = self.dates[day] = formats.date_format(day, "SHORT_DATE_FORMAT")
        return text

    def row(self, activity_id: int, budget: Decimal, values: tuple, results: str = "") -> Row:
        reference, title, lead, start, end, route, _format = values
        return Row(
            reference,
            title,
            self.states[lead] if lead else _("Secretariat"),
            f"{self._date(start)} – {self._date(end)}",
            budget,
            ", ".join(p.number for p in self.priorities.get(activity_id, ())),
            results,
            self.routes.get(route, route),
        )

    def entry(self, pk: int, budget: Decimal, activity_id: int, values: tuple, results: str):
        fmt = values[-1]
        return _Entry(
            pk,
            budget,
            _Activity(
                _Priorities(self.priorities.get(activity_id, ())),
                self.formats[fmt] if fmt else None,
            ),
            self.row(activity_id, budget, values, results),
        )


DecisionRows = Callable[[AnnualProgramme], list[dict]]
_decision_sources: list[DecisionRows] = []


def register_decision_source(source: DecisionRows) -> None:
    """Add the rows ``source(annual_programme)`` to the annex of adoption decisions
    (``{"reference", "title", "outcome", "body", "meeting", "date"}``, by date)."""
    if source not in _decision_sources:
        _decision_sources.append(source)


def gather(document: AnnualProgrammeDocument) -> AnnualProgrammeData:
    """Everything the document shows, read once (a fixed number of queries, rows as
    plain values through a server-side cursor). The entries are grouped by
    ``selectors.group_entries``, as the programme's page groups them, so the totals
    per priority are the page's."""
    ap = AnnualProgramme.objects.select_related("work_programme", "adopting_meeting").get(
        pk=document.annual_programme_id
    )
    wp = ap.work_programme
    year = ap.year
    ad_hoc_activities = (
        Activity.objects.filter(
            work_programme=wp, adoption_route__in=[Activity.Route.AD_HOC, Activity.Route.URGENT]
        )
        .filter(Q(start_date__year=year) | Q(start_date__year__lt=year, end_date__year__gte=year))
        .exclude(annual_entries__annual_programme=ap)
    )
    in_programme = Activity.objects.filter(annual_entries__annual_programme=ap)
    rows = _Rows(in_programme, ad_hoc_activities)
    activity_columns = [f"activity__{c}" for c in ROW_COLUMNS]
    entries = [
        rows.entry(pk, budget, activity_id, tuple(values), results)
        for pk, budget, activity_id, results, *values in ap.entries.order_by("activity__reference")
        .values_list("pk", "budget", "activity_id", "activity__expected_results", *activity_columns)
        .iterator(chunk_size=CHUNK_SIZE)
    ]
    by_priority, by_format = selectors.group_entries(ap, entries)
    priority_titles = {p.number: p.title for p in wp.priorities.all()}
    format_titles = {f.number: f.name for f in wp.formats.all()}

    def section(group: selectors.Group, title: str) -> Section:
        return Section(group.key, title, [e.row for e in group.entries])

    priorities = [section(g, priority_titles.get(g.key, g.title)) for g in by_priority]
    formats_ = [section(g, format_titles.get(g.key, g.title)) for g in by_format if g.key != "~"]
    time_limited = next(
        (section(g, _("Time-limited activities")) for g in by_format if g.key == "~"),
        Section("~", _("Time-limited activities")),
    )
    ad_hoc = [
        rows.row(pk, budget, tuple(values))
        for pk, budget, *values in ad_hoc_activities.order_by("reference")
        .values_list("pk", "planned_budget", *ROW_COLUMNS)
        .iterator(chunk_size=CHUNK_SIZE)
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
                "outcome": _("Adopted"),
                "body": _("Permanent Correspondents"),
                "meeting": str(ap.adopting_meeting),
                "date": formats.date_format(ap.adopted_on, "DATE_FORMAT") if ap.adopted_on else "",
            },
        )
    return AnnualProgrammeData(
        ap,
        document.reference,
        formats.date_format(document.document_date, "DATE_FORMAT"),
        list(wp.aims.all()),
        priorities,
        formats_,
        time_limited,
        ad_hoc,
        sum((e.budget for e in entries), Decimal("0")),
        len(entries),
        decisions,
    )


def build(document: AnnualProgrammeDocument, progress) -> tuple[bytes, bytes]:
    data = gather(document)
    progress(20)
    pdf = html_to_pdf(
        "documents/annual_programme.html",
        {"d": data, "cover": data.cover, "reference": data.reference},
        progress=progress,
        span=(20, 70),
    )
    progress(70)
    docx = _docx(data)
    progress(95)
    return pdf, docx


def _docx(d: AnnualProgrammeData) -> bytes:
    cover, h = d.cover, d.headings
    doc = Docx(
        cover.title,
        cover.reference,
        cover.date_text,
        subtitle=cover.subtitle,
        cover_lines=cover.lines,
    )
    doc.heading(h["aims"], 1)
    doc.bullets(f"{a.title}: {a.text}" for a in d.aims)

    doc.heading(h["structure"], 1)
    doc.heading(h["structure_formats"], 2)
    d.structure_table.add_to(doc)
    doc.heading(h["ad_hoc"], 2)
    if d.ad_hoc:
        d.ad_hoc_table.add_to(doc)
    else:
        doc.paragraph(_("None."))

    doc.heading(h["priorities"], 1)
    doc.note(d.counting_note)
    for s in d.priorities:
        doc.heading(s.heading, 2)
        if s.rows:
            s.table.add_to(doc)
        else:
            doc.paragraph(_("No activity under this priority this year."))

    doc.heading(h["formats"], 1)
    if not d.formats:
        doc.paragraph(_("No activity in a permanent format this year."))
    for s in d.formats:
        doc.heading(s.heading, 2)
        s.table.add_to(doc)
        for r in s.rows:
            if r.expected_results:
                doc.paragraph(
                    _("Expected results (%(reference)s): %(results)s")
                    % {"reference": r.reference, "results": r.expected_results}
                )

    doc.heading(h["budget"], 1)
    doc.heading(h["budget_priorities"], 2)
    d.budget_by_priority_table.add_to(doc)
    doc.note(d.counting_note)
    doc.heading(h["budget_formats"], 2)
    d.budget_by_format_table.add_to(doc)
    doc.heading(h["budget_ceiling"], 2)
    d.ceiling_table.add_to(doc)
    doc.paragraph(
        _("The activities exceed the budget ceiling.")
        if d.over_ceiling
        else _("The activities stay within the budget ceiling."),
        bold=d.over_ceiling,
    )

    doc.heading(h["annex"], 1)
    if d.decisions:
        d.decisions_table.add_to(doc)
    else:
        doc.paragraph(_("No decisions recorded."))
    return doc.to_bytes()
