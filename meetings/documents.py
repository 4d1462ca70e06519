"""The list of decisions of a meeting, as a PDF and a Word file in the active language.

Numbered ``P-PG/PC (YEAR) N`` in a series of its own, as the Permanent
Correspondents' documents are.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from pompidou.lib.documents import Cover, Docx, Table, html_to_pdf
from pompidou.sequences import PC_DECISIONS, next_number

from . import selectors
from .models import AgendaItem, DecisionList


def next_reference(year: int) -> str:
    """P-PG/PC (YEAR) N, N counting up within the year (never reused)."""
    return f"P-PG/PC ({year}) {next_number(PC_DECISIONS, year)}"


@dataclass
class DecisionListData:
    document: DecisionList
    items: list[AgendaItem]

    @property
    def meeting(self):
        return self.document.meeting

    @property
    def title(self) -> str:
        return _("List of decisions")

    @property
    def cover(self) -> Cover:
        meeting = self.meeting
        when = formats.date_format(meeting.date, "DATE_FORMAT")
        if meeting.end_date and meeting.end_date != meeting.date:
            when = f"{when} – {formats.date_format(meeting.end_date, 'DATE_FORMAT')}"
        return Cover(
            self.title,
            self.document.reference,
            formats.date_format(self.document.document_date, "DATE_FORMAT"),
            subtitle=meeting.title,
            lines=[f"{meeting.place}, {when}"],
        )

    @property
    def decided(self) -> list[AgendaItem]:
        return [it for it in self.items if it.outcome]

    @property
    def pending(self) -> list[AgendaItem]:
        return [it for it in self.items if not it.outcome]

    @property
    def table(self) -> Table:
        return Table(
            [_("Item"), _("Subject"), _("Decision"), _("Rationale or conclusion")],
            [
                [
                    str(it.position),
                    it.label,
                    decision_text(it),
                    it.conclusion,
                ]
                for it in self.decided
            ],
        )

    @property
    def intro(self) -> str:
        return _(
            "The Permanent Correspondents took the following decisions at their %(meeting)s."
        ) % {"meeting": self.meeting.title}


def decision_text(item: AgendaItem) -> str:
    text = str(item.get_outcome_display())
    if item.decision_id and item.decision and item.decision.over_ceiling_confirmed:
        text += " " + _("(above the budget ceiling, confirmed)")
    return text


def gather(document: DecisionList) -> DecisionListData:
    return DecisionListData(document, selectors.agenda(document.meeting))


def build(document: DecisionList, progress) -> tuple[bytes, bytes]:
    data = gather(document)
    progress(20)
    pdf = html_to_pdf(
        "documents/decision_list.html",
        {"d": data, "cover": data.cover, "reference": document.reference},
    )
    progress(70)
    docx = _docx(data)
    progress(95)
    return pdf, docx


def _docx(d: DecisionListData) -> bytes:
    cover = d.cover
    doc = Docx(
        cover.title,
        cover.reference,
        cover.date_text,
        subtitle=cover.subtitle,
        cover_lines=cover.lines,
    )
    doc.heading(_("Decisions"), 1)
    doc.paragraph(d.intro)
    if d.decided:
        d.table.add_to(doc)
    else:
        doc.paragraph(_("No decision recorded."))
    if d.pending:
        doc.heading(_("Items not decided"), 1)
        doc.bullets(f"{it.position}. {it.label}" for it in d.pending)
    return doc.to_bytes()
