"""What WeasyPrint itself costs per printed row, whatever the portal does around it:
rows of the annual programme's table (six columns: reference, title, lead, dates,
priorities, budget; generated, the same at every run) printed through
``documents/base.html`` as a tagged PDF (``pompidou.lib.documents.print_pdf``), in
three layouts:

- ``table``: the documents' own table (``documents/partials/table.html``: ruled cells,
  the header repeated on each page, no row split across pages);
- ``bare-table``: the same cells with none of that (no rules, no repeated header, rows
  split freely): the least a table costs;
- ``paragraph``: one paragraph per row holding the same text: the least a row costs.

Each runs in its own process (``bench.child``) with 0 rows and with ``ROWS`` rows;
the difference, divided by ``ROWS``, is the cost of a row in seconds and in memory.
"""

from django.template import engines

from pompidou.lib.documents import Table, document_context, print_pdf

VARIANTS = ("table", "bare-table", "paragraph")
WORDS = [
    "drug",
    "policy",
    "prevention",
    "treatment",
    "harm",
    "reduction",
    "research",
    "seminar",
    "training",
    "network",
    "prisons",
    "cannabis",
    "online",
    "youth",
    "gender",
    "cities",
    "evaluation",
]
PAGE = """{% extends "documents/base.html" %}
{% block style %}{{ style }}{% endblock %}
{% block content %}<h1 class="no-break">Rows</h1>
{% if paragraphs %}{% for row in paragraphs %}<p>{{ row }}</p>{% endfor %}
{% elif table.rows %}{% include "documents/partials/table.html" %}{% endif %}
{% endblock %}"""
BARE = (
    "table, th, td { border: 0; } table { border-collapse: separate; border-spacing: 0; } "
    "thead { display: table-row-group; } tr { page-break-inside: auto; }"
)


def rows(count: int) -> list[list[str]]:
    """``count`` rows as the annual programme prints them (titles of 5 to 12 words)."""
    out = []
    for n in range(count):
        title = " ".join(WORDS[(n * 7 + k * 3) % len(WORDS)] for k in range(5 + n % 8))
        out.append(
            [
                f"PG/2012/{n:05d}",
                title.capitalize(),
                ("France", "Norway", "Secretariat", "Portugal")[n % 4],
                f"{1 + n % 28:02d}/0{1 + n % 9}/2012 – {1 + n % 28:02d}/1{n % 3}/2012",
                ("3.1", "3.1, 3.2", "3.4")[n % 3],
                f"{(n * 137) % 90_000 + 1_000:,}",
            ]
        )
    return out


def measure(variant: str, count: int) -> dict:
    """Print ``count`` rows in ``variant``; the seconds taken and the PDF's size."""
    import time

    if variant not in VARIANTS:
        raise SystemExit(f"variant: one of {', '.join(VARIANTS)}")
    data = rows(count)
    table = Table(
        ["Reference", "Title", "Lead", "Dates", "Priorities", "Budget (EUR)"],
        data,
        numeric=frozenset({5}),
        unbroken=frozenset({0}),
    )
    html = (
        engines["django"]
        .from_string(PAGE)
        .render(
            {
                **document_context(),
                "table": table,
                "paragraphs": [" ".join(r) for r in data] if variant == "paragraph" else [],
                "style": BARE if variant == "bare-table" else "",
            }
        )
    )
    started = time.monotonic()
    pdf = print_pdf(html)
    return {"seconds": time.monotonic() - started, "bytes": len(pdf), "rows": count}


def per_row(empty: dict, full: dict) -> dict:
    """A row's cost from a run with no rows and one with ``full["rows"]``."""
    count = full["rows"] or 1
    return {
        "rows": full["rows"],
        "ms_per_row": round((full["seconds"] - empty["seconds"]) * 1000 / count, 2),
        "kb_per_row": round((full["peak_mb"] - empty["peak_mb"]) * 1024 / count, 1),
        "seconds": round(full["seconds"], 2),
        "peak_mb": full["peak_mb"],
        "ok": bool(empty.get("ok") and full.get("ok")),
    }
