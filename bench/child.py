"""One heavy job in its own process, so its peak memory is its own
(``python -m bench.child csv|xlsx|compile [year]|pdf-floor VARIANT ROWS``): the export
of every activity through ``activities.exports``, the compile of an annual programme
(PDF and DOCX) through ``activities.documents`` inside a transaction rolled back, or
the PDF engine's own cost per row (``pdf_floor``). Prints JSON."""

import json
import sys
import time

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from activities import documents, exports  # noqa: E402
from activities.models import Activity, AnnualProgramme, AnnualProgrammeDocument  # noqa: E402
from bench.endpoints import compile_rows  # noqa: E402


def drain(response) -> int:
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def export(fmt: str) -> dict:
    qs = Activity.objects.all().order_by("-start_date", "reference")
    started = time.monotonic()
    size = drain(exports.export_response(qs, fmt))
    return {"seconds": time.monotonic() - started, "bytes": size, "rows": qs.count()}


def compile_year(year: int) -> dict:
    ap = AnnualProgramme.objects.get(year=year)
    started = time.monotonic()
    with transaction.atomic():
        document = AnnualProgrammeDocument(
            annual_programme=ap, reference=f"BENCH-{year}", document_date=timezone.localdate()
        )
        pdf, docx = documents.build(document, lambda percent: None)
        transaction.set_rollback(True)
    return {
        "seconds": time.monotonic() - started,
        "bytes": len(pdf) + len(docx),
        "rows": compile_rows()[year],
        "entries": ap.entries.count(),
        "year": year,
    }


def main() -> None:
    job = sys.argv[1]
    with translation.override("en"):
        if job == "pdf-floor":
            from bench import pdf_floor

            result = pdf_floor.measure(sys.argv[2], int(sys.argv[3]))
        elif job == "compile":
            result = compile_year(int(sys.argv[2]))
        else:
            result = export(job)
    print("BENCH-RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
