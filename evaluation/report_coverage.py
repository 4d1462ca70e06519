"""The evaluation report's coverage of human rights and gender (chapter 5): the counts by
thematic priority, by activity format and by lead state over the report's period and
scope, and the activities that lack either consideration (evaluation/coverage.py), as
tables both files print."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from .coverage import Coverage, Row
from .report_text import num, percent

if TYPE_CHECKING:
    from pompidou.lib.documents import Docx

    from .documents import EvaluationData, Table


def headings() -> dict[str, str]:
    return {
        "coverage_priority": _("5.1 By thematic priority"),
        "coverage_format": _("5.2 By activity format"),
        "coverage_state": _("5.3 By lead member state"),
        "coverage_missing": _("5.4 Activities lacking either consideration"),
    }


def _table(rows: list[Row], heading: str) -> Table:
    from .documents import Table

    return Table(
        [heading, _("Activities"), _("Human rights"), _("Gender"), _("Both"), _("Both (%)")],
        [
            [
                r.label,
                num(r.total),
                num(r.human_rights),
                num(r.gender),
                num(r.both),
                percent(r.share),
            ]
            for r in rows
        ],
        (1, 2, 3, 4, 5),
    )


def tables(cov: Coverage) -> dict[str, Table]:
    from .documents import Table

    stated, missing = _("stated"), _("missing")
    return {
        "coverage_priority": _table(cov.by_priority, _("Thematic priority")),
        "coverage_format": _table(cov.by_format, _("Activity format")),
        "coverage_state": _table(cov.by_state, _("Lead member state")),
        "coverage_missing": Table(
            [_("Activity"), _("Lead"), _("Human rights"), _("Gender")],
            [
                [
                    f"{m.activity.reference} {m.activity.title}",
                    m.activity.lead_member_state.code if m.activity.lead_member_state else "—",
                    stated if m.human_rights else missing,
                    stated if m.gender else missing,
                ]
                for m in cov.missing
            ],
        ),
    }


def counting_note() -> str:
    return _(
        "An activity under several thematic priorities is counted under each of them; the "
        "totals count it once."
    )


def add_to_docx(doc: Docx, d: EvaluationData) -> None:
    """Chapter 5's sections after its summary table, as the PDF prints them."""
    h, t = d.headings, d.tables
    doc.heading(h["coverage_priority"], 2)
    doc.note(counting_note())
    doc.table(t["coverage_priority"].headers, t["coverage_priority"].rows)
    for key in ("coverage_format", "coverage_state"):
        doc.heading(h[key], 2)
        doc.table(t[key].headers, t[key].rows)
    doc.heading(h["coverage_missing"], 2)
    if t["coverage_missing"].rows:
        doc.table(t["coverage_missing"].headers, t["coverage_missing"].rows)
    else:
        doc.paragraph(_("Every activity of the period states both."))
