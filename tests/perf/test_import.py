"""Importing 10,000 past activities from one XLSX: the dry run and the import each
in under a minute, the workbook streamed (openpyxl read-only) rather than held.

Run with ``RUN_PERF=1 pytest tests/perf/test_import.py -s``; skipped otherwise.
"""

import gc
import os
import time
import tracemalloc

import pytest

from activities.models import Activity
from records import services
from tests.records.sheets import ACTIVITY_HEADERS, activity_row, upload, xlsx_bytes

pytestmark = [
    pytest.mark.perf,
    pytest.mark.skipif(os.environ.get("RUN_PERF") != "1", reason="benchmark: set RUN_PERF=1"),
]

ROWS = int(os.environ.get("IMPORT_ROWS", "10000"))
MEGABYTE = 1024 * 1024
SECONDS = 60
PEAK = 100 * MEGABYTE


def _rows():
    # References PG-2016-00001 …: five digits, as many as a year could ever need.
    for n in range(1, ROWS + 1):
        row = activity_row(n)
        row[0] = f"PG-2016-{n:05d}"
        yield row


def _measure(step, *, memory: bool):
    gc.collect()
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - started
    peak = 0
    if memory:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return result, seconds, peak


def test_10000_rows_check_and_import_in_under_a_minute_each(
    programme, states, secretariat, media, capsys
):
    content = xlsx_bytes(ACTIVITY_HEADERS, _rows())

    def check():
        return services.import_check(
            kind="activities", upload=upload(content, "past.xlsx"), actor=secretariat
        )

    # The dry run under tracemalloc for its peak (tracing slows Python: not timed against
    # the limit); the import and the second dry run timed without it.
    record, traced_s, peak = _measure(check, memory=True)
    assert record.counts["created"] == ROWS, record.rows[:3]
    record, import_s, _ = _measure(
        lambda: services.import_confirm(record=record, actor=secretariat), memory=False
    )
    assert record.counts["created"] == ROWS
    assert Activity.objects.filter(reference__regex=r"^PG-2016-[0-9]{5}$").count() == ROWS
    again, again_s, _ = _measure(check, memory=False)
    assert again.counts["unchanged"] == ROWS
    with capsys.disabled():
        print(
            f"\n{ROWS} rows, {len(content) / MEGABYTE:.1f} MB xlsx: dry run under tracemalloc "
            f"{traced_s:.1f} s, peak {peak / MEGABYTE:.1f} MB; import {import_s:.1f} s; "
            f"dry run again (all unchanged) {again_s:.1f} s"
        )
    assert import_s < SECONDS and again_s < SECONDS
    assert peak < PEAK
