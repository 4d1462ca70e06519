"""Reading an uploaded spreadsheet row by row, without holding it in memory.

XLSX through openpyxl in read-only mode (rows stream from the archive, values only)
and CSV through the csv module (comma, semicolon or tab, UTF-8 or Windows-1252, as
Excel writes it in English or French). The first row holds the headers, in English
or French; each is matched to a column of the kind by its English or French name.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from pompidou.errors import DomainError

from .columns import Column, fold, text

EXTENSIONS = (".xlsx", ".csv")
MAX_IMPORT_BYTES = 10 * 1024 * 1024  # the portal's one upload limit (MAX_DOCUMENT_BYTES)

Row = dict[str, Any]


def kind_of_file(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in EXTENSIONS:
        raise DomainError(
            _("Upload an Excel workbook (.xlsx) or a CSV file (.csv); %(name)s is neither.")
            % {"name": Path(name).name},
            field="file",
        )
    return suffix


def _header_map(headers: Sequence[Any], columns: Sequence[Column]) -> dict[int, str]:
    by_name = {name: column.key for column in columns for name in column.names()}
    mapping: dict[int, str] = {}
    unknown = []
    for index, header in enumerate(headers):
        label = text(header)
        if not label:
            continue
        key = by_name.get(fold(label.rstrip("*")))
        if key is None:
            unknown.append(label)
        elif key in mapping.values():
            raise DomainError(_("The column %(h)s appears twice.") % {"h": label}, field="file")
        else:
            mapping[index] = key
    missing = [c.en for c in columns if c.required and c.key not in mapping.values()]
    if missing or unknown:
        errors = []
        if missing:
            errors.append(
                _("Columns missing: %(names)s (download the template for the headers).")
                % {"names": ", ".join(missing)}
            )
        if unknown:
            errors.append(_("Unknown columns: %(names)s.") % {"names": ", ".join(unknown)})
        raise DomainError({"file": errors})
    return mapping


def _rows(
    raw_rows: Iterator[Sequence[Any]], columns: Sequence[Column]
) -> Iterator[tuple[int, Row]]:
    try:
        headers = next(raw_rows)
    except StopIteration:
        raise DomainError(_("The file is empty."), field="file") from None
    mapping = _header_map(headers, columns)
    for number, values in enumerate(raw_rows, start=2):
        row = {key: values[i] if i < len(values) else None for i, key in mapping.items()}
        if all(text(v) == "" for v in row.values()):
            continue
        yield number, row


def _xlsx_rows(handle: IO[bytes]) -> Iterator[Sequence[Any]]:
    from openpyxl import load_workbook

    not_a_workbook = _("This is not an Excel workbook (.xlsx), or it is damaged.")
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl has no one error for a file it cannot read
        raise DomainError(not_a_workbook, field="file") from exc
    try:
        # A damaged part shows only when its rows are read.
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    except Exception as exc:
        raise DomainError(not_a_workbook, field="file") from exc
    finally:
        workbook.close()


def _csv_rows(handle: IO[bytes]) -> Iterator[Sequence[Any]]:
    head = handle.read(64 * 1024)
    handle.seek(0)
    encoding = "utf-8-sig"
    try:
        head.decode(encoding)
    except UnicodeDecodeError:
        encoding = "cp1252"
    sample = codecs.decode(head, encoding, errors="ignore")
    try:
        dialect: Any = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    stream = io.TextIOWrapper(handle, encoding=encoding, newline="")
    try:
        yield from csv.reader(stream, dialect)
    except csv.Error as exc:
        raise DomainError(
            _("The CSV file cannot be read: %(e)s") % {"e": exc}, field="file"
        ) from exc
    finally:
        stream.detach()


def read_rows(handle: IO[bytes], name: str, columns: Sequence[Column]) -> Iterator[tuple[int, Row]]:
    """``(row number, {column key: cell})`` for each non-empty row after the headers."""
    suffix = kind_of_file(name)
    raw = _xlsx_rows(handle) if suffix == ".xlsx" else _csv_rows(handle)
    return _rows(raw, columns)
