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
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from programme.models import MemberState, ThematicPriority

from .models import Activity

FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# One query for the rows and one per prefetch, per chunk: 50,000 rows cost 75 queries.
CHUNK_SIZE = 2000
# A small export stays in memory; a large one goes to a temporary file on disk.
SPOOL_MAX_SIZE = 8 * 1024 * 1024

HEADER = (
    "Reference",
    "Title",
    "Work programme",
    "Format",
    "Adoption route",
    "Thematic priorities",
    "Lead member state",
    "Participating states",
    "Start date",
    "End date",
    "Status",
    "Planned budget (EUR)",
    "Spent (EUR)",
    "Human rights stated",
    "Gender stated",
)

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_response(queryset: QuerySet[Activity], fmt: str):
    """The activities of ``queryset`` (already filtered and ordered) as an attachment.

    An unknown ``fmt`` raises ``BadRequest`` (a 400 page); the API checks ``fmt``
    against ``FORMATS`` first and answers ``{"fmt": [...]}``.
    """
    if fmt not in FORMATS:
        raise BadRequest(f"Unknown export format {fmt!r}: use csv or xlsx.")
    rows = _rows(_for_export(queryset))
    filename = f"activities-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        return _csv_response(rows, filename)
    return _xlsx_response(rows, filename)


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


def _rows(qs: QuerySet[Activity]) -> Iterator[tuple]:
    for a in qs.iterator(chunk_size=CHUNK_SIZE):
        yield (
            a.reference,
            a.title,
            a.work_programme.reference,
            a.permanent_format.number if a.permanent_format else "",
            a.adoption_route,
            "; ".join(p.number for p in a.thematic_priorities.all()),
            a.lead_member_state.code if a.lead_member_state else "",
            "; ".join(s.code for s in a.participating_states.all()),
            a.start_date,
            a.end_date,
            a.status,
            a.planned_budget,
            a.spent,
            _yes_no(a.human_rights_considerations),
            _yes_no(a.gender_considerations),
        )


def _yes_no(text: str) -> str:
    # The same test as Activity.transversal_stated: blank text is not a statement.
    return "yes" if text.strip() else "no"


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


def _csv_lines(rows: Iterator[tuple]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark, so spreadsheet programs read the accents as UTF-8.
    yield "\ufeff" + writer.writerow(HEADER)
    for row in rows:
        yield writer.writerow([_csv_value(v) for v in row])


def _csv_response(rows: Iterator[tuple], filename: str) -> StreamingHttpResponse:
    return StreamingHttpResponse(
        _csv_lines(rows),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- XLSX -----------------------------------------------------------------------


def _xlsx_response(rows: Iterator[tuple], filename: str) -> FileResponse:
    # write_only: openpyxl writes each row to a temporary file as it comes, and keeps
    # none of them; the finished workbook is spooled to disk once it grows.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Activities")
    sheet.append(HEADER)
    for row in rows:
        sheet.append([_xlsx_value(sheet, v) for v in row])
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
