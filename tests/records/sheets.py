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


PROPOSAL_HEADERS = [
    "Reference",
    "Title",
    "Proposing member state",
    "Supporting states",
    "Route",
    "Year",
    "Thematic priorities",
    "Format",
    "Start",
    "End",
    "Estimated cost (EUR)",
    "Purpose",
    "Submitted",
    "Decision",
    "Decision date",
    "Rationale",
    "Activity reference",
]


def proposal_row(n: int, **overrides):
    """PR-2016-000n: adopted as PG-2016-00n (odd n) or rejected (even n)."""
    adopted = n % 2 == 1
    row = {
        "Reference": f"PR-2016-{n:04d}",
        "Title": f"Past proposal {n}",
        "Proposing member state": "FR",
        "Supporting states": "DE; ES",
        "Route": "annual",
        "Year": "2016",
        "Thematic priorities": "3.1; 3.4",
        "Format": "4.1" if adopted else "",
        "Start": "01/03/2016",
        "End": "2016-11-30",
        "Estimated cost (EUR)": "12 500,50",
        "Purpose": "Training for prison staff.",
        "Submitted": "15/01/2016",
        "Decision": "adopted" if adopted else "rejected",
        "Decision date": "2016-02-20",
        "Rationale": "Meets the criteria." if adopted else "Outside the priorities.",
        "Activity reference": f"PG-2016-{n:03d}" if adopted else "",
    }
    row.update(overrides)
    return [row[h] for h in PROPOSAL_HEADERS]
