"""The template of a kind: an Excel workbook with the headers in English or French,
lists of the allowed values where a column has them, and a second sheet that
explains each column."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .kinds import ImportKind

LANGUAGES = ("en", "fr")
VALIDATED_ROWS = 10_000


def template_name(kind: ImportKind, language: str) -> str:
    return f"import-{kind.name}-{language}.xlsx"


def template_workbook(kind: ImportKind, language: str) -> bytes:
    language = language if language in LANGUAGES else "en"
    with translation.override(language):
        book = Workbook()
        data = book.active
        assert data is not None
        data.title = _("Data")
        bold = Font(bold=True)
        for index, column in enumerate(kind.columns, start=1):
            header = column.header(language) + (" *" if column.required else "")
            cell = data.cell(row=1, column=index, value=header)
            cell.font = bold
            letter = get_column_letter(index)
            data.column_dimensions[letter].width = max(14, len(header) + 4)
            if column.choices:
                check = DataValidation(
                    type="list",
                    formula1='"' + ",".join(column.choices) + '"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle=column.header(language),
                    error=_("Choose one of: %(allowed)s.") % {"allowed": ", ".join(column.choices)},
                )
                data.add_data_validation(check)
                check.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
        data.freeze_panes = "A2"

        notes = book.create_sheet(_("Help"))
        notes.append([_("Column"), _("Required"), _("What to write"), _("Allowed values")])
        for cell in notes[1]:
            cell.font = bold
        for column in kind.columns:
            notes.append(
                [
                    column.header(language),
                    _("yes") if column.required else "",
                    str(column.help),
                    ", ".join(column.choices),
                ]
            )
        notes.append([])
        notes.append(
            [
                _(
                    "Headers may be in English or French. Dates: 2016-03-31 or 31/03/2016. "
                    "Amounts: 1234.50 or 1 234,50. Rows are matched on the first column: "
                    "importing the same file again changes nothing."
                )
            ]
        )
        for letter, width in (("A", 34), ("B", 10), ("C", 70), ("D", 50)):
            notes.column_dimensions[letter].width = width
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
