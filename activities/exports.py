"""CSV and XLSX exports of a filtered list of activities, for the list page and the API.

Both formats stream: rows are read with ``iterator(chunk_size=…)``, so at most one
chunk of activities sits in memory as model objects, whatever the length of the list.
"""

import csv
import tempfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.core.exceptions import BadRequest
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from programme.models import MemberState, ThematicPriority

from .models import Activity

FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# One query for the rows and one per prefetch, per chunk: 50,000 rows cost 75 queries.
CHUNK_SIZE = 2000
# A small export stays in memory; a large one goes to a temporary file on disk.
SPOOL_MAX_SIZE = 8 * 1024 * 1024

HEADER = (
    gettext_lazy("Reference"),
    gettext_lazy("Title"),
    gettext_lazy("Work programme"),
    gettext_lazy("Format"),
    gettext_lazy("Adoption route"),
    gettext_lazy("Thematic priorities"),
    gettext_lazy("Lead member state"),
    gettext_lazy("Participating states"),
    gettext_lazy("Start date"),
    gettext_lazy("End date"),
    gettext_lazy("Status"),
    gettext_lazy("Planned budget (EUR)"),
    gettext_lazy("Spent (EUR)"),
    gettext_lazy("Human rights stated"),
    gettext_lazy("Gender stated"),
)
# Excel column widths (characters), in HEADER's order: wide for titles, narrow for codes.
WIDTHS = (14, 60, 24, 8, 30, 18, 10, 30, 12, 12, 12, 18, 14, 12, 12)
# The filters that name the file, in the order they appear in it.
FILENAME_FILTERS = (
    "year",
    "work_programme",
    "thematic_priority",
    "permanent_format",
    "status",
    "adoption_route",
    "member_state",
    "search",
)

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_response(queryset: QuerySet[Activity], fmt: str, filters: dict | None = None):
    """The activities of ``queryset`` (already filtered and ordered) as an attachment.

    ``filters`` (a filter form's cleaned data) names the file. An unknown ``fmt``
    raises ``BadRequest`` (a 400 page); the API checks ``fmt`` against ``FORMATS``
    first and answers ``{"fmt": [...]}``.
    """
    if fmt not in FORMATS:
        raise BadRequest(f"Unknown export format {fmt!r}: use csv or xlsx.")
    # A CSV streams after the view has returned: its labels keep the request's language.
    rows = _rows(_for_export(queryset), translation.get_language())
    filename = export_filename(filters or {}, fmt)
    if fmt == "csv":
        return _csv_response(rows, filename)
    return _xlsx_response(rows, filename)


def export_filename(filters: dict, fmt: str) -> str:
    """``activities-2016-3.3.csv``: the file says which list it holds;
    ``activities-all.csv`` without filters."""
    parts = []
    for name in FILENAME_FILTERS:
        value = filters.get(name)
        if value in (None, ""):
            continue
        if name == "thematic_priority" and str(value).isdigit():  # an old-style id
            value = (
                ThematicPriority.objects.filter(pk=value).values_list("number", flat=True).first()
                or value
            )
        elif hasattr(value, "number"):  # a format (4.2)
            value = value.number
        elif hasattr(value, "code"):  # a member state (FR)
            value = value.code
        elif hasattr(value, "first_year"):  # a work programme (2015-2018)
            value = f"{value.first_year}-{value.last_year}"
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        # Keep the dots of 3.3 and 4.2; anything else a file name cannot hold goes.
        part = ".".join(slugify(piece) for piece in str(value).split(".") if slugify(piece))
        if part:
            parts.append(part[:40])
    return f"activities-{'-'.join(parts) or 'all'}.{fmt}"


def _for_export(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    # The caller's queryset may carry a list page's joins, deferrals and prefetches;
    # start from ours alone, so two different Prefetch("thematic_priorities") never
    # meet and no field read here is left deferred (a query per row).
    return (
        qs.select_related(None)
        .prefetch_related(None)
        .defer(None)
        .select_related("work_programme", "permanent_format", "lead_member_state")
        .only(
            "reference",
            "title",
            "work_programme__reference",
            "permanent_format__number",
            "adoption_route",
            "lead_member_state__code",
            "start_date",
            "end_date",
            "status",
            "planned_budget",
            "spent",
            "human_rights_considerations",
            "gender_considerations",
        )
        .prefetch_related(
            Prefetch(
                "thematic_priorities",
                queryset=ThematicPriority.objects.only("id", "number").order_by("number"),
            ),
            Prefetch(
                "participating_states",
                queryset=MemberState.objects.only("id", "code").order_by("code"),
            ),
        )
    )


def _rows(qs: QuerySet[Activity], language: str | None) -> Iterator[tuple]:
    with translation.override(language):
        yield from _labelled_rows(qs)


def _labelled_rows(qs: QuerySet[Activity]) -> Iterator[tuple]:
    for a in qs.iterator(chunk_size=CHUNK_SIZE):
        yield (
            a.reference,
            a.title,
            a.work_programme.reference,
            a.permanent_format.number if a.permanent_format else "",
            str(a.get_adoption_route_display()),
            "; ".join(p.number for p in a.thematic_priorities.all()),
            a.lead_member_state.code if a.lead_member_state else "",
            "; ".join(s.code for s in a.participating_states.all()),
            a.start_date,
            a.end_date,
            str(a.get_status_display()),
            a.planned_budget,
            a.spent,
            _yes_no(a.human_rights_considerations),
            _yes_no(a.gender_considerations),
        )


def _yes_no(text: str) -> str:
    # The same test as Activity.transversal_stated: blank text is not a statement.
    return _("yes") if text.strip() else _("no")


# --- CSV ------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def _csv_value(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_lines(rows: Iterator[tuple], header: list[str]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark, so spreadsheet programs read the accents as UTF-8.
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([_csv_value(v) for v in row])


def _csv_response(rows: Iterator[tuple], filename: str) -> StreamingHttpResponse:
    return StreamingHttpResponse(
        _csv_lines(rows, [str(h) for h in HEADER]),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- XLSX -----------------------------------------------------------------------


def _xlsx_response(rows: Iterator[tuple], filename: str) -> FileResponse:
    # write_only: openpyxl writes each row to a temporary file as it comes, and keeps
    # none of them; the finished workbook is spooled to disk once it grows.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Activities")[:31])
    # A write-only sheet takes its layout before the first row: the header row stays
    # in view when scrolling and each column has a width.
    sheet.freeze_panes = "A2"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header = []
    for title in HEADER:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([_xlsx_value(sheet, v) for v in row])
        count += 1
    # The filter covers the rows written, known only now (the ref is written on save).
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADER))}{count + 1}"
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_SIZE)  # noqa: SIM115 (FileResponse closes it)
    workbook.save(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def _xlsx_value(sheet, value):
    if not isinstance(value, str):
        return value
    # Control characters are not allowed in the file format; drop them rather than fail.
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith("="):
        # openpyxl would store "=…" as a formula: keep it text.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value
