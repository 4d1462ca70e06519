"""Shared document rendering: HTML (a Django template) to PDF with WeasyPrint, and a
small builder over python-docx for Word files with real headings and tables.

Every text enters a document through ``xml_safe``, here and nowhere else, so no
stored text (a control character pasted before the forms refused it, or written
around them) can stop a compile."""

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from . import pdf_pages, pdf_progress
from .docx_builder import Docx
from .emblem import Emblem, current_emblem
from .geometry import ORGANISATION_LINES, column_widths, page_footer_parts
from .text import xml_safe

__all__ = [
    "Cover",
    "Docx",
    "Table",
    "bar_chart_png",
    "document_context",
    "docx_with_cover",
    "html_to_pdf",
    "pdf_and_docx",
    "print_pdf",
]


def html_to_pdf(
    template: str,
    context: dict,
    *,
    language: str | None = None,
    emblem: Emblem | None = None,
    progress: Callable[[int], None] | None = None,
    span: tuple[int, int] = (0, 100),
) -> bytes:
    """Render ``template`` and print it to PDF (fonts, page numbers and the table of
    contents come from the template's CSS).

    The PDF is tagged for screen readers (PDF/UA-1: structure, the document's
    language from ``<html lang>``, its title from ``<title>``, fonts embedded).
    The context gains ``document_language`` and ``emblem`` (the cover's, see
    ``pompidou.lib.emblem``) unless it sets them. ``progress``, when given, hears
    each new whole percentage within ``span`` while WeasyPrint works
    (``pompidou.lib.pdf_progress``)."""
    html = render_to_string(template, {**document_context(language, emblem), **context})
    return print_pdf(html, progress=progress, span=span)


def document_context(language: str | None = None, emblem: Emblem | None = None) -> dict:
    """What ``documents/base.html`` reads besides the document's own context."""
    return {
        "document_language": language or translation.get_language() or settings.LANGUAGE_CODE,
        "emblem": emblem or current_emblem(),
        "organisation_lines": ORGANISATION_LINES(),
        "page_footer_css": _page_footer_css(),
    }


def print_pdf(
    html: str,
    *,
    progress: Callable[[int], None] | None = None,
    span: tuple[int, int] = (0, 100),
) -> bytes:
    """``html`` (a page of ``documents/base.html``) printed by WeasyPrint as a tagged
    PDF (PDF/UA-1), as ``html_to_pdf`` describes."""
    from weasyprint import HTML

    pdf_pages.install()
    # WeasyPrint tolerates control characters but prints nothing sensible for them;
    # cleaned on the whole page, so the PDF says what its Word twin says.
    html = xml_safe(html)
    with pdf_progress.reporting(progress, span, len(html)):
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")


def _page_footer_css() -> str:
    """ "Page N of M" as CSS ``content`` in the active language."""
    parts = []
    for kind, value in page_footer_parts():
        if kind == "text":
            parts.append('"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"')
        else:
            parts.append("counter(page)" if value == "PAGE" else "counter(pages)")
    return " ".join(parts)


@dataclass
class Cover:
    """The cover page of a document (``cover`` in the template's context; the Word
    file takes the same values as ``Docx`` arguments)."""

    title: str
    reference: str
    date_text: str
    subtitle: str = ""
    lines: Sequence[str] = ()


def docx_with_cover(cover: Cover) -> Docx:
    """A Word file opening on ``cover`` (and its contents page)."""
    return Docx(
        cover.title,
        cover.reference,
        cover.date_text,
        subtitle=cover.subtitle,
        cover_lines=cover.lines,
    )


def pdf_and_docx(template: str, context: dict, docx: Any, progress: Any) -> tuple[bytes, bytes]:
    """A builder's two files: the PDF from ``template`` and ``context``, then the Word
    file ``docx()`` writes, reporting progress between them (20, 70, 95) and while
    the PDF is printed."""
    progress(20)
    pdf = html_to_pdf(template, context, progress=progress, span=(20, 70))
    progress(70)
    word = docx()
    progress(95)
    return pdf, word


@dataclass
class Table:
    """A table as both formats print it: the PDF through
    ``documents/partials/table.html``, the Word file through ``Docx.table``.
    ``numeric``: the columns aligned right; ``total``: a last row in bold."""

    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    numeric: frozenset[int] = frozenset()
    total: Sequence[Any] | None = None
    unbroken: frozenset[int] = frozenset()  # columns whose cells never wrap (dates)
    widths: list[float] = field(init=False)

    def __post_init__(self) -> None:
        texts = [[str(v) for v in row] for row in self.rows]
        if self.total is not None:
            texts.append([str(v) for v in self.total])
        self.widths = column_widths([str(h) for h in self.headers], texts, self.unbroken)

    @property
    def columns(self) -> list[dict]:
        """Per column, for the template: its width in percent and whether numeric."""
        return [
            {"width": f"{w * 100:.1f}", "numeric": i in self.numeric}
            for i, w in enumerate(self.widths)
        ]

    @property
    def header_cells(self) -> list[tuple[Any, bool]]:
        return [(h, i in self.numeric) for i, h in enumerate(self.headers)]

    @property
    def body(self) -> list[list[tuple[Any, bool]]]:
        return [[(v, i in self.numeric) for i, v in enumerate(row)] for row in self.rows]

    @property
    def body_html(self) -> str:
        """The body's rows as ``<tr>``s, written here rather than by a template loop
        (a year's programme prints thousands of rows: a tenth of the time), each cell
        as ``{{ value|linebreaksbr }}`` writes it."""
        from django.template.defaultfilters import linebreaksbr
        from django.utils.safestring import mark_safe

        numeric = self.numeric
        return mark_safe(  # noqa: S308 (every value escaped by linebreaksbr)
            "".join(
                "<tr>"
                + "".join(
                    f'<td class="num">{linebreaksbr(v)}</td>'
                    if i in numeric
                    else f"<td>{linebreaksbr(v)}</td>"
                    for i, v in enumerate(row)
                )
                + "</tr>"
                for row in self.rows
            )
        )

    @property
    def total_cells(self) -> list[tuple[Any, bool]]:
        return [(v, i in self.numeric) for i, v in enumerate(self.total or ())]

    def add_to(self, doc: Docx) -> None:
        doc.table(self.headers, self.rows, self.widths, numeric=self.numeric, total=self.total)


def bar_chart_png(title: str, labels: Sequence[str], series: dict[str, Sequence[float]]) -> bytes:
    """A bar chart as PNG (for the PDF and the Word file alike)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.6), dpi=110)
    count = max(len(series), 1)
    width = 0.8 / count
    positions = range(len(labels))
    for index, (name, values) in enumerate(series.items()):
        ax.bar([p + index * width for p in positions], values, width=width, label=name)
    ax.set_xticks([p + width * (count - 1) / 2 for p in positions])
    ax.set_xticklabels(
        labels,
        rotation=0 if len(labels) < 7 else 30,
        ha="right" if len(labels) >= 7 else "center",
        fontsize=8,
    )
    ax.set_title(title, fontsize=10)
    if count > 1:
        ax.legend(fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()
