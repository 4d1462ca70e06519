"""Word documents laid out as their PDF twins: A4 with the same margins, a cover page
without running header, "reference — title" at the head of every other page and
"Page N of M" at its foot, headings in Word's own "Heading 1/2" styles, a table of
contents Word refreshes on opening (``w:updateFields``) that is already filled for a
reader who declines (or for LibreOffice), and tables whose columns follow their
content, their header row repeated on every page they run over.

Every text enters through ``xml_safe`` (see ``pompidou.lib.documents``)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from .docx_xml import (
    add_svg_picture,
    alt_text,
    fld_char,
    get_or_add_style,
    instr,
    internal_link,
    paragraph_after,
    update_fields_on_open,
)
from .emblem import SVG, Emblem, current_emblem
from .geometry import (
    MARGINS_CM,
    ORGANISATION_LINES,
    PAGE_CM,
    TEXT_WIDTH_CM,
    column_widths,
    page_footer_parts,
)
from .text import xml_safe

HEADING_COLOUR = (0x0B, 0x3A, 0x6E)
MUTED = (0x55, 0x55, 0x55)


@dataclass
class _Heading:
    level: int
    text: str
    bookmark: str


class Docx:
    """A Word document with a cover, a filled table of contents, real headings and tables.

    ``Docx(title, reference, date_text)`` as before; the keywords add the cover's
    lines under the title, and an emblem other than the Secretariat's."""

    def __init__(
        self,
        title: str,
        reference: str,
        date_text: str,
        *,
        subtitle: str = "",
        cover_lines: Sequence[str] = (),
        emblem: Emblem | None = None,
        language: str | None = None,
    ):
        from docx import Document

        self.doc = Document()
        self.title, self.reference = xml_safe(title), xml_safe(reference)
        self.language = language or translation.get_language() or "en"
        self._headings: list[_Heading] = []
        self._styles()
        self._page_setup(self.doc.sections[0])
        self._running_header_and_footer(self.doc.sections[0])
        self._cover(xml_safe(date_text), xml_safe(subtitle), cover_lines, emblem)
        self._contents()

    # --- styles and page -------------------------------------------------------------

    def _styles(self) -> None:
        from docx.enum.style import WD_STYLE_TYPE
        from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt, RGBColor

        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = "DejaVu Sans"
        normal.font.size = Pt(10)
        # The language of every run, so spelling and hyphenation follow the document's.
        rpr = normal.element.get_or_add_rPr()
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), {"fr": "fr-FR"}.get(self.language, "en-GB"))
        rpr.append(lang)
        for name, size, before in (("Heading 1", 15, True), ("Heading 2", 12, False)):
            style = styles[name]
            style.font.name = "DejaVu Sans"
            style.font.size = Pt(size)
            style.font.color.rgb = RGBColor(*HEADING_COLOUR)
            style.paragraph_format.keep_with_next = True
            # Each chapter on a new page, as in the PDF.
            style.paragraph_format.page_break_before = before
        for name in ("Header", "Footer"):  # the fields' results take the style's size
            running = styles[name]
            running.font.size = Pt(8)
            running.font.color.rgb = RGBColor(*MUTED)
        title = styles["Title"]
        title.font.name = "DejaVu Sans"
        title.font.size = Pt(24)
        title.font.color.rgb = RGBColor(*HEADING_COLOUR)
        # "TOC Heading" and "toc 1/2" are Word's names: Word applies its own look to them.
        contents = get_or_add_style(styles, "TOC Heading", WD_STYLE_TYPE.PARAGRAPH)
        contents.base_style = styles["Normal"]
        contents.font.size = Pt(15)
        contents.font.bold = True
        contents.font.color.rgb = RGBColor(*HEADING_COLOUR)
        contents.paragraph_format.space_after = Pt(12)
        for level in (1, 2):
            toc = get_or_add_style(styles, f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
            toc.base_style = styles["Normal"]
            toc.paragraph_format.left_indent = Cm(0.6 * (level - 1))
            toc.paragraph_format.space_after = Pt(3 if level == 1 else 1)
            toc.font.bold = level == 1
            toc.paragraph_format.tab_stops.add_tab_stop(
                Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
            )  # Word's own entries: title, dots, page number

    @staticmethod
    def _page_setup(section: Any) -> None:
        from docx.shared import Cm

        # python-docx starts from US Letter; the Council of Europe prints on A4.
        section.page_width, section.page_height = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
        top, right, bottom, left = MARGINS_CM
        section.top_margin, section.right_margin = Cm(top), Cm(right)
        section.bottom_margin, section.left_margin = Cm(bottom), Cm(left)
        section.header_distance = section.footer_distance = Cm(1.0)

    def _running_header_and_footer(self, section: Any) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt, RGBColor

        section.different_first_page_header_footer = True  # the cover goes without
        section.first_page_header.is_linked_to_previous = False  # defined, and empty
        section.first_page_footer.is_linked_to_previous = False
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = header.add_run(f"{self.reference} — {self.title}")
        run.font.size, run.font.color.rgb = Pt(8), RGBColor(*MUTED)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for kind, text in page_footer_parts():
            run = footer.add_run(text) if kind == "text" else self._field(footer, text, "1")
            run.font.size, run.font.color.rgb = Pt(8), RGBColor(*MUTED)

    # --- cover and contents ----------------------------------------------------------

    def _cover(
        self, date_text: str, subtitle: str, lines: Sequence[str], emblem: Emblem | None
    ) -> None:
        from docx.shared import Pt, RGBColor

        self._emblem(emblem or current_emblem())
        for index, line in enumerate(ORGANISATION_LINES()):
            paragraph = self.doc.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(0 if index == 0 else 24)
            paragraph.add_run(line).bold = index == 0
        self.doc.add_paragraph().add_run(self.reference).bold = True
        self.doc.add_paragraph(date_text)
        self.doc.add_paragraph(self.title, style="Title")
        if subtitle:
            self.doc.add_paragraph().add_run(subtitle).italic = True
        for line in lines:
            run = self.doc.add_paragraph().add_run(xml_safe(line))
            run.font.color.rgb = RGBColor(*MUTED)
        self.doc.add_page_break()

    def _emblem(self, emblem: Emblem) -> None:
        from docx.shared import Cm

        height_cm = 3.0
        width_cm = height_cm * emblem.width / emblem.height
        paragraph = self.doc.add_paragraph()
        if emblem.content_type == SVG:
            add_svg_picture(paragraph, emblem, Cm(width_cm), Cm(height_cm))
        else:
            paragraph.add_run().add_picture(
                io.BytesIO(emblem.content), width=Cm(width_cm), height=Cm(height_cm)
            )
        alt_text(paragraph, _("Emblem"))

    def _contents(self) -> None:
        self.doc.add_paragraph(_("Contents"), style="TOC Heading")
        # The field's result is written in ``to_bytes``, once every heading is known.
        self._toc_paragraph = self.doc.add_paragraph(style="toc 1")
        self._contents_filled = False

    def _fill_contents(self) -> None:
        if self._contents_filled:
            return
        self._contents_filled = True
        first = self._toc_paragraph
        fld_char(first, "begin")
        instr(first, 'TOC \\o "1-2" \\h \\z \\u')
        fld_char(first, "separate")
        anchor = first._p
        last = first
        for index, heading in enumerate(self._headings):
            paragraph = first if index == 0 else paragraph_after(anchor, self.doc)
            paragraph.style = self.doc.styles[f"toc {heading.level}"]
            # The entry links to its heading. Its page number is Word's to fill (it
            # rebuilds the contents on opening, see updateFields below): the portal
            # cannot know where Word or LibreOffice will break the pages, and a number
            # guessed from the PDF would be wrong as often as right.
            internal_link(paragraph, heading.text, heading.bookmark)
            anchor, last = paragraph._p, paragraph
        fld_char(last, "end")
        update_fields_on_open(self.doc.settings.element)

    # --- fields ----------------------------------------------------------------------

    def _field(self, paragraph: Any, instruction: str, result: str) -> Any:
        """A complete field (begin, instruction, separate, result, end); returns the
        result's run, for its formatting."""
        fld_char(paragraph, "begin")
        instr(paragraph, instruction)
        fld_char(paragraph, "separate")
        run = paragraph.add_run(result)
        fld_char(paragraph, "end")
        return run

    # --- content ---------------------------------------------------------------------

    def heading(self, text: str, level: int = 1) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        text = xml_safe(text)
        paragraph = self.doc.add_heading(level=level)
        number = len(self._headings) + 1
        bookmark = f"_Toc{number:08d}"
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(number))
        start.set(qn("w:name"), bookmark)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(number))
        paragraph._p.append(start)
        paragraph.add_run(text)
        paragraph._p.append(end)
        if level <= 2:
            self._headings.append(_Heading(level, text, bookmark))

    def paragraph(self, text: str, bold: bool = False, italic: bool = False) -> None:
        p = self.doc.add_paragraph()
        run = p.add_run(xml_safe(text))
        run.bold, run.italic = bold, italic

    def note(self, text: str) -> None:
        """A small muted paragraph (how a table counts, a source)."""
        from docx.shared import Pt, RGBColor

        run = self.doc.add_paragraph().add_run(xml_safe(text))
        run.font.size, run.font.color.rgb, run.italic = Pt(8.5), RGBColor(*MUTED), True

    def bullets(self, items: Iterable[str]) -> None:
        for item in items:
            self.doc.add_paragraph(xml_safe(item), style="List Bullet")

    def table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[Any]],
        widths: Sequence[float] | None = None,
        *,
        numeric: Iterable[int] = (),
        total: Sequence[Any] | None = None,
    ) -> None:
        """A table over the text width. ``widths``: fractions of it per column
        (computed from the content when not given); ``numeric``: the columns aligned
        right; ``total``: a last row in bold."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt

        texts = [["" if v is None else xml_safe(str(v)) for v in row] for row in rows]
        header_texts = [xml_safe(str(h)) for h in headers]
        total_texts = None if total is None else ["" if v is None else str(v) for v in total]
        fractions = list(
            widths or column_widths(header_texts, [*texts, *([total_texts] if total_texts else [])])
        )
        numeric = set(numeric)
        table = self.doc.add_table(rows=0, cols=len(headers))
        table.style = "Light Grid Accent 1"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        widths_cm = [Cm(TEXT_WIDTH_CM * f) for f in fractions]
        for column, width in zip(table.columns, widths_cm, strict=True):
            column.width = width  # the grid (LibreOffice reads it)
        all_rows = [(header_texts, True), *((t, False) for t in texts)]
        if total_texts is not None:
            all_rows.append((total_texts, True))

        def add_row(index: int, values: Sequence[str], bold: bool) -> None:
            row = table.add_row()
            tr_pr = row._tr.get_or_add_trPr()
            cant_split = OxmlElement("w:cantSplit")
            tr_pr.append(cant_split)
            if index == 0:
                # Repeated at the top of every page the table runs over.
                header = OxmlElement("w:tblHeader")
                tr_pr.append(header)
            for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                cell.width = widths_cm[column]  # Word reads each cell's own width
                paragraph = cell.paragraphs[0]
                run = paragraph.add_run(value)
                run.font.size = Pt(8.5)
                run.bold = bold
                if column in numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

        # The body rows share one shape: the first is built through python-docx, the
        # others are copies of its XML with their texts (a year's programme has
        # thousands of rows; building each cell through the API costs ten times
        # more). A text the copy cannot hold as it is (empty, a line break, a tab,
        # spaces at its ends) takes the API's way.
        shape = None
        for index, (values, bold) in enumerate(all_rows):
            if shape is not None and not bold and all(map(_plain, values)):
                copy = deepcopy(shape)
                for text, value in zip(copy.iter(qn("w:t")), values, strict=True):
                    text.text = value
                table._tbl.append(copy)
                continue
            add_row(index, values, bold)
            if shape is None and not bold and all(map(_plain, values)):
                shape = table._tbl.tr_lst[-1]
        # ``autofit = False`` above is w:tblLayout "fixed": Word keeps these widths
        # instead of fitting the text. The table spans the text width.
        tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
        if tbl_w is not None:
            tbl_w.set(qn("w:type"), "dxa")
            tbl_w.set(qn("w:w"), str(round(TEXT_WIDTH_CM / 2.54 * 1440)))
        self.doc.add_paragraph()

    def image(self, png: bytes, width_cm: float = 15) -> None:
        from docx.shared import Cm

        self.doc.add_picture(io.BytesIO(png), width=Cm(min(width_cm, TEXT_WIDTH_CM)))

    def page_break(self) -> None:
        self.doc.add_page_break()

    def to_bytes(self) -> bytes:
        self._fill_contents()
        for section in self.doc.sections:
            self._page_setup(section)
        self.doc.core_properties.title = self.title
        self.doc.core_properties.subject = self.reference
        self.doc.core_properties.language = self.language
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


_NOT_PLAIN = re.compile(r"[\n\r\t]|^\s|\s$")


def _plain(text: str) -> bool:
    """A cell's text python-docx writes as one ``<w:t>`` and nothing else."""
    return bool(text) and not _NOT_PLAIN.search(text)
