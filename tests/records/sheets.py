"""Spreadsheets as people fill them, for the import tests."""

import csv
import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

ACTIVITY_HEADERS = [
    "Reference",
    "Title",
    "Thematic priorities",
    "Format",
    "Lead member state",
    "Participating states",
    "Start",
    "End",
    "Status",
    "Planned budget (EUR)",
    "Human-rights considerations",
    "Gender considerations",
]


def activity_row(n: int, **overrides):
    row = {
        "Reference": f"PG-2016-{n:03d}",
        "Title": f"Past activity {n}",
        "Thematic priorities": "3.1; 3.4",
        "Format": "4.1" if n % 2 else "",
        "Lead member state": "FR",
        "Participating states": "DE; ES",
        "Start": "01/03/2016",
        "End": "2016-11-30",
        "Status": "completed",
        "Planned budget (EUR)": "12 500,50",
        "Human-rights considerations": "Stated.",
        "Gender considerations": "Stated.",
    }
    row.update(overrides)
    return [row[h] for h in ACTIVITY_HEADERS]


def xlsx_bytes(headers, rows) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(headers, rows, delimiter=";", encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def upload(content: bytes, name: str = "activities.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path
