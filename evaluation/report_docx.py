"""The evaluation report as a Word file: the same summary, charts, tables and texts as
its PDF (evaluation.documents writes them once), through pompidou.lib.documents.Docx."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from pompidou.lib.documents import Docx

from .report_coverage import add_to_docx

if TYPE_CHECKING:
    from .documents import EvaluationData, Table


def _table(doc: Docx, table: Table) -> None:
    doc.table(table.headers, table.rows)


def docx(d: EvaluationData) -> bytes:
    h, t = d.headings, d.tables
    cover = d.cover
    doc = Docx(
        cover.title,
        cover.reference,
        cover.date_text,
        subtitle=cover.subtitle,
        cover_lines=cover.lines,
    )

    doc.heading(h["summary"], 1)
    for paragraph in d.summary:
        doc.paragraph(paragraph)
    _table(doc, t["figures"])

    doc.heading(h["status"], 1)
    doc.image(d.charts["status"])
    _table(doc, t["status"])
    doc.image(d.charts["rag"])
    _table(doc, t["rag"])

    doc.heading(h["budget"], 1)
    doc.image(d.charts["budget"])
    _table(doc, t["budget_priority"])
    _table(doc, t["budget_format"])

    doc.heading(h["feedback"], 1)
    _table(doc, t["feedback"])
    if t["critical"].rows:
        doc.heading(h["critical"], 2)
        _table(doc, t["critical"])

    doc.heading(h["transversal"], 1)
    doc.paragraph(
        _(
            "Priority 3.1 makes human rights and gender transversal: every activity states "
            "how it takes them into account."
        )
    )
    _table(doc, t["transversal"])
    if d.coverage is not None:
        add_to_docx(doc, d)

    doc.heading(h["activities"], 1)
    for line in d.lines:
        doc.heading(f"{line.activity.reference} {line.activity.title}", 2)
        for text in line.texts:
            doc.paragraph(text)
        if line.indicator_table:
            _table(doc, line.indicator_table)
    if not d.lines:
        doc.paragraph(_("No activities in this period and scope."))

    doc.heading(h["overdue"], 1)
    if t["overdue"].rows:
        _table(doc, t["overdue"])
    else:
        doc.paragraph(_("None."))
    return doc.to_bytes()
