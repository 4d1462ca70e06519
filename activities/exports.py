"""CSV and XLSX exports of a filtered list of activities, for the list page, the API
and the export job.

Rows come from one ``values_list()`` query read through a server-side cursor
(``iterator(chunk_size=…)``): the priorities and the participating states of each
activity are joined in SQL (``StringAgg`` on PostgreSQL), so no model instance is
built and nothing but one chunk of plain tuples is held, whatever the length.
"""

import csv
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.contrib.postgres.aggregates import StringAgg
from django.core.exceptions import BadRequest
from django.db import connections
from django.db.models import Aggregate, CharField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Substr
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

from programme.models import ThematicPriority

from .models import Activity

# iati: the IATI 2.03 activity file (activities/iati.py), one iati-activity per row.
FORMATS = ("csv", "xlsx", "iati")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "iati": "application/xml; charset=utf-8",
}
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "iati": "iati.xml"}
XLSX_CONTENT_TYPE = CONTENT_TYPES["xlsx"]
# Rows fetched per round trip of the server-side cursor (one query for the whole list).
CHUNK_SIZE = 2000
# A small export stays in memory; a large one goes to a temporary file on disk.
SPOOL_MAX_SIZE = 8 * 1024 * 1024
# The leading characters of a consideration read to tell whether it is stated: enough
# for any text that does not open with that much blank space (those are read whole).
STATED_PREFIX = 100

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

Progress = Callable[[int], None]


def export_response(queryset: QuerySet[Activity], fmt: str, filters: dict | None = None):
    """The activities of ``queryset`` (already filtered and ordered) as an attachment.

    ``filters`` (a filter form's cleaned data) names the file. An unknown ``fmt``
    raises ``BadRequest`` (a 400 page); the API checks ``fmt`` against ``FORMATS``
    first and answers ``{"fmt": [...]}``.
    """
    check_format(fmt)
    if fmt == "iati":
        from . import iati

        return iati.response(iati.every_row(queryset), filters)
    # A CSV streams after the view has returned: its labels keep the request's language.
    rows = export_rows(queryset, translation.get_language())
    filename = export_filename(filters or {}, fmt)
    if fmt == "csv":
        return StreamingHttpResponse(
            csv_chunks(rows),
            content_type=CONTENT_TYPES["csv"],
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_SIZE)  # noqa: SIM115 (FileResponse closes it)
    write_xlsx(rows, out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def check_format(fmt: str) -> None:
    """``BadRequest`` (a 400 page) for a format there is no export in."""
    if fmt not in FORMATS:
        raise BadRequest(f"Unknown export format {fmt!r}: use csv, xlsx or iati.")


def write_export(queryset: QuerySet[Activity], fmt: str, out: IO[bytes], progress: Progress) -> int:
    """Write the export of ``queryset`` to the binary file ``out`` in the active
    language, calling ``progress(rows written)`` every chunk; returns the rows written
    (the export job's builder)."""
    if fmt == "iati":
        from . import iati

        return iati.write(queryset, out, progress)
    written = 0

    def counted(rows: Iterator[tuple]) -> Iterator[tuple]:
        nonlocal written
        for row in rows:
            written += 1
            if written % CHUNK_SIZE == 0:
                progress(written)
            yield row

    rows = counted(export_rows(queryset, translation.get_language()))
    if fmt == "csv":
        for chunk in csv_chunks(rows):
            out.write(chunk.encode("utf-8"))
    else:
        write_xlsx(rows, out)
    return written


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
    return f"activities-{'-'.join(parts) or 'all'}.{EXTENSIONS.get(fmt, fmt)}"


# --- the rows -------------------------------------------------------------------


class _GroupConcat(Aggregate):
    """``group_concat`` where there is no ``StringAgg`` (SQLite, in development): the
    order within is not guaranteed, so the row sorts it (``_sorted_codes``)."""

    function = "GROUP_CONCAT"
    output_field = CharField()


SEPARATOR = "; "


def _joined(through: Any, fk: str, column: str, postgres: bool) -> Subquery:
    """The activity's ``column`` values through the m2m table ``through``, sorted and
    joined with "; " (one correlated subquery, served by the table's unique index)."""
    agg = StringAgg(column, SEPARATOR, order_by=column) if postgres else _GroupConcat(column)
    return Subquery(
        through.objects.filter(**{fk: OuterRef("pk")})
        .order_by()
        .values(fk)
        .annotate(joined=agg)
        .values("joined")[:1],
        output_field=CharField(),
    )


FIELDS = (
    "reference",
    "title",
    "work_programme__reference",
    "permanent_format__number",
    "adoption_route",
    "_priorities",
    "lead_member_state__code",
    "_states",
    "start_date",
    "end_date",
    "status",
    "planned_budget",
    "spent",
    "_human_rights",
    "_gender",
)


def _values(qs: QuerySet[Activity]) -> tuple[QuerySet, bool]:
    # The caller's queryset may carry a list page's joins, deferrals and prefetches;
    # none of them matters to values_list(), which selects only the columns above.
    postgres = connections[qs.db].vendor == "postgresql"
    return (
        qs.select_related(None)
        .prefetch_related(None)
        .annotate(
            _priorities=_joined(
                Activity.thematic_priorities.through,
                "activity_id",
                "thematicpriority__number",
                postgres,
            ),
            _states=_joined(
                Activity.participating_states.through, "activity_id", "memberstate__code", postgres
            ),
            _human_rights=Substr("human_rights_considerations", 1, STATED_PREFIX),
            _gender=Substr("gender_considerations", 1, STATED_PREFIX),
        )
        .values_list(*FIELDS)
    ), postgres


def export_rows(qs: QuerySet[Activity], language: str | None) -> Iterator[tuple]:
    """The export's rows (HEADER's columns), labels in ``language``."""
    with translation.override(language):
        routes = {key: str(label) for key, label in Activity.Route.choices}
        statuses = {key: str(label) for key, label in Activity.Status.choices}
        yes, no = _("yes"), _("no")
        values, postgres = _values(qs)
        codes = (lambda text: text or "") if postgres else _sorted_codes
        for row in values.iterator(chunk_size=CHUNK_SIZE):
            (ref, title, wp, fmt, route, priorities, lead, states, start, end, status,
             budget, spent, human_rights, gender) = row  # fmt: skip
            yield (
                ref,
                title,
                wp,
                fmt or "",
                routes.get(route, route),
                codes(priorities),
                lead or "",
                codes(states),
                start,
                end,
                statuses.get(status, status),
                budget,
                spent,
                yes if _stated(ref, "human_rights_considerations", human_rights) else no,
                yes if _stated(ref, "gender_considerations", gender) else no,
            )


def _sorted_codes(text: str | None) -> str:
    return SEPARATOR.join(sorted(text.split(","))) if text else ""


def _stated(reference: str, field: str, prefix: str) -> bool:
    # The same test as Activity.transversal_stated: blank text is not a statement.
    if prefix.strip():
        return True
    if len(prefix) < STATED_PREFIX:
        return False
    # A text that opens with STATED_PREFIX blank characters: read it whole (rare).
    text = Activity.objects.filter(reference=reference).values_list(field, flat=True).first()
    return bool((text or "").strip())


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


def csv_chunks(rows: Iterator[tuple]) -> Iterator[str]:
    """The CSV text in pieces of about CHUNK_SIZE lines (a response writes each)."""
    writer = csv.writer(_Echo())
    # A byte-order mark, so spreadsheet programs read the accents as UTF-8.
    lines = ["\ufeff" + writer.writerow([str(h) for h in HEADER])]
    for row in rows:
        lines.append(writer.writerow([_csv_value(v) for v in row]))
        if len(lines) >= CHUNK_SIZE:
            yield "".join(lines)
            lines = []
    yield "".join(lines)


# --- XLSX -----------------------------------------------------------------------


def write_xlsx(rows: Iterator[tuple], out: IO[bytes]) -> None:
    # write_only: openpyxl writes each row to a temporary file as it comes, and keeps
    # none of them.
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
    workbook.save(out)


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
