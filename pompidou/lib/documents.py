"""Shared document rendering: HTML (a Django template) to PDF with WeasyPrint, and a
small builder over python-docx for Word files with real headings and tables.

Every text enters a document through ``xml_safe``, here and nowhere else, so no
stored text (a control character pasted before the forms refused it, or written
around them) can stop a compile."""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from .text import xml_safe


def html_to_pdf(template: str, context: dict) -> bytes:
    """Render ``template`` and print it to PDF (fonts, page numbers and the table of
    contents come from the template's CSS)."""
    from weasyprint import HTML

    # WeasyPrint tolerates control characters but prints nothing sensible for them;
    # cleaned on the whole page, so the PDF says what its Word twin says.
    html = xml_safe(render_to_string(template, context))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


class Docx:
    """A Word document with the navigation pane's headings, real tables and images."""

    def __init__(self, title: str, reference: str, date_text: str):
        from docx import Document
        from docx.shared import Pt

        self.doc = Document()
        style = self.doc.styles["Normal"]
        style.font.name = "DejaVu Sans"
        style.font.size = Pt(10)
        section = self.doc.sections[0]
        footer = section.footer.paragraphs[0]
        reference, title, date_text = xml_safe(reference), xml_safe(title), xml_safe(date_text)
        footer.text = f"{reference} — "
        self._page_number(footer)
        header = section.header.paragraphs[0]
        header.text = reference
        self.doc.add_paragraph(reference).runs[0].bold = True
        self.doc.add_heading(title, level=0)
        self.doc.add_paragraph(date_text)
        self._toc()

    def _field(self, paragraph: Any, instruction: str) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        run = paragraph.add_run()
        for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            else:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = text
            run._r.append(element)

    def _page_number(self, paragraph: Any) -> None:
        self._field(paragraph, "PAGE")

    def _toc(self) -> None:
        self.doc.add_heading("Contents", level=1)
        # Word fills the table of contents when the document is opened (F9 updates it).
        self._field(self.doc.add_paragraph(), 'TOC \\o "1-3" \\h \\z \\u')

    def heading(self, text: str, level: int = 1) -> None:
        self.doc.add_heading(xml_safe(text), level=level)

    def paragraph(self, text: str, bold: bool = False, italic: bool = False) -> None:
        p = self.doc.add_paragraph()
        run = p.add_run(xml_safe(text))
        run.bold, run.italic = bold, italic

    def bullets(self, items: Iterable[str]) -> None:
        for item in items:
            self.doc.add_paragraph(xml_safe(item), style="List Bullet")

    def table(
        self, headers: Sequence[str], rows: Iterable[Sequence[Any]], widths: Any = None
    ) -> None:
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Light Grid Accent 1"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = xml_safe(str(text))
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = "" if value is None else xml_safe(str(value))
        self.doc.add_paragraph()

    def image(self, png: bytes, width_cm: float = 15) -> None:
        from docx.shared import Cm

        self.doc.add_picture(io.BytesIO(png), width=Cm(width_cm))

    def page_break(self) -> None:
        self.doc.add_page_break()

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


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
