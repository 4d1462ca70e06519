"""The 2016 annual programme as the Secretariat circulates it: chapters numbered as
the work programme numbers them, totals equal to the programme's page, a cover, A4
in both formats, a Word contents page Word fills, a tagged PDF in its language."""

import re
import shutil
from decimal import Decimal

import pytest

from .conftest import amount
from .helpers import (
    W,
    docx_document,
    docx_headings,
    docx_part,
    docx_totals,
    pdf_page_sizes_mm,
    pdf_text,
)

pytestmark = pytest.mark.django_db

CHAPTERS = [
    "1. Aims of the work programme",
    "2. Structure of the annual programme",
    "3. Activities by thematic priority",
    "4. Permanent activity formats",
    "5. Budget",
    "Annex: adoption decisions",
]


def test_the_chapters_are_numbered_as_the_work_programme_numbers_them(compiled_2016):
    headings = docx_headings(compiled_2016.docx["en"])
    assert [text for style, text in headings if style == "Heading 1"] == CHAPTERS
    sections = [text for style, text in headings if style == "Heading 2"]
    # Under 3 the four thematic priorities, under 4 the formats by their own numbers.
    chapter_3 = sections[
        sections.index("2.2 Ad hoc and urgent activities adopted during the year") + 1 :
    ][:4]
    assert [s.split()[0] for s in chapter_3] == ["3.1", "3.2", "3.3", "3.4"]
    assert chapter_3[0] == "3.1 Bringing human rights to the forefront of drug policy"
    formats = [s for s in sections if s.startswith("4.")]
    assert "4.2 Airports Group" in formats and formats == sorted(
        formats, key=lambda s: int(s.split()[0][2:])
    )
    assert [s.split()[0] for s in sections if s.startswith("5.")] == ["5.1", "5.2", "5.3"]
    text = pdf_text(compiled_2016.pdf["en"])
    for heading in [*CHAPTERS, "3.4 Identifying opportunities", "4.2 Airports Group"]:
        assert heading in text, heading
    # No chapter 2 holding the priorities' sections any more.
    assert not re.search(r"^2\. Activities by thematic priority", text, re.M)


def test_the_totals_per_priority_are_the_pages_in_both_languages(compiled_2016):
    page = compiled_2016.page_totals["en"]
    assert sorted(page) == ["3.1", "3.2", "3.3", "3.4"]
    for language in ("en", "fr"):
        assert compiled_2016.page_totals[language] == page
        written = docx_totals(compiled_2016.docx[language])
        assert {n: amount(written[n]) for n in page} == page, language
        text = pdf_text(compiled_2016.pdf[language])
        for number, total in page.items():
            row = re.search(rf"Total {re.escape(number)}\s+([\d,\s\u00a0\u202f]+)\n", text)
            assert row and amount(row.group(1)) == total, (language, number)
    # An activity under several priorities counts under each: the priorities add up
    # to more than the programme, whose total counts each activity once, as it says.
    assert sum(page.values()) > compiled_2016.page_total
    english = pdf_text(compiled_2016.pdf["en"]).replace("\n", " ")
    assert "listed and counted under each of them" in english
    assert f"{compiled_2016.page_total:,.0f} EUR for 17 activities" in english


def test_french_amounts_are_grouped_the_french_way(compiled_2016):
    written = docx_totals(compiled_2016.docx["fr"])
    assert "," not in written["3.1"] and re.fullmatch(r"\d{3}[\s\u00a0\u202f]\d{3}", written["3.1"])
    assert re.fullmatch(r"\d{3},\d{3}", docx_totals(compiled_2016.docx["en"])["3.1"])


def test_the_cover_carries_the_reference_the_date_the_title_and_the_emblem(compiled_2016):
    import io

    from pypdf import PdfReader

    reference = compiled_2016.reference
    assert re.fullmatch(r"P-PG \(\d{4}\) \d+", reference)
    first = PdfReader(io.BytesIO(compiled_2016.pdf["en"])).pages[0]
    cover = first.extract_text()
    for expected in (reference, "Annual programme of activities 2016", "P-PG/MinConf (2014) 4"):
        assert expected in cover
    assert len(first.images) == 1  # the emblem
    assert "Page 1 of" not in cover  # no running footer on the cover
    doc = docx_document(compiled_2016.docx["en"])
    cover_text = [p.text for p in doc.paragraphs[:8]]
    assert reference in cover_text and "Annual programme of activities 2016" in cover_text
    assert doc.inline_shapes[0].height > 0  # the emblem, first thing on the cover
    assert doc.sections[0].different_first_page_header_footer


def test_both_formats_are_a4_on_every_page_and_section(compiled_2016):
    for language in ("en", "fr"):
        assert pdf_page_sizes_mm(compiled_2016.pdf[language]) == {(210, 297)}
        for section in docx_document(compiled_2016.docx[language]).sections:
            assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
            assert (
                round(section.left_margin.cm, 1) == 2.0 and round(section.top_margin.cm, 1) == 2.2
            )


def test_the_word_contents_is_a_toc_field_over_heading_styles_filled_and_refreshed(compiled_2016):
    docx = compiled_2016.docx["en"]
    assert '<w:updateFields w:val="true"/>' in docx_part(docx, "word/settings.xml")
    body = docx_document(docx).element.body
    paragraphs = list(body.iter(f"{W}p"))
    texts = ["".join(t.text or "" for t in p.iter(f"{W}instrText")) for p in paragraphs]
    start = next(i for i, t in enumerate(texts) if t.strip().startswith("TOC "))
    end = next(
        i
        for i, p in enumerate(paragraphs)
        if i >= start
        and any(c.get(f"{W}fldCharType") == "end" for c in p.iter(f"{W}fldChar"))
        and "PAGE" not in texts[i]
    )
    entries = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in paragraphs[start : end + 1]]
    headings = [text for style, text in docx_headings(docx)]
    # The field's result already lists every heading, in order (before Word refreshes it).
    assert entries == headings
    assert any(h.startswith("3.2 Analysing policy coherence") for h in entries)


def test_the_running_header_and_the_page_numbers_are_in_both_formats(compiled_2016):
    doc = docx_document(compiled_2016.docx["en"])
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == (
        f"{compiled_2016.reference} — Annual programme of activities 2016"
    )
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert not section.first_page_header.paragraphs[0].text
    text = pdf_text(compiled_2016.pdf["en"])
    pages = text.count("Annual programme of activities 2016\n")
    assert "Page 2 of" in text and compiled_2016.reference in text and pages >= 2


def test_the_word_tables_have_a_width_on_every_cell_and_a_repeated_header(compiled_2016):
    doc = docx_document(compiled_2016.docx["en"])
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Reference")
    widths = [c.width for row in table.rows for c in row.cells]
    assert all(w is not None and w > 0 for w in widths)
    columns = [c.width.cm for c in table.rows[0].cells]
    title = columns[1]
    # The title column is wider than the reference, wide enough for whole words.
    assert title > columns[0] and title > 3.0 and abs(sum(columns) - 17.0) < 0.1
    assert "<w:tblHeader/>" in table._tbl.xml


def test_the_pdf_is_tagged_in_its_language_with_its_title_and_fonts_embedded(compiled_2016):
    import io
    import subprocess

    from pypdf import PdfReader

    for language, title in (("en", "Annual programme of activities 2016"), ("fr", None)):
        reader = PdfReader(io.BytesIO(compiled_2016.pdf[language]))
        root = reader.trailer["/Root"]
        assert root["/Lang"] == language
        assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
        assert root["/ViewerPreferences"]["/DisplayDocTitle"]
        if title:
            assert reader.metadata.title == title
        if shutil.which("pdffonts"):
            fonts = subprocess.run(
                ["pdffonts", "-"], input=compiled_2016.pdf[language], capture_output=True
            ).stdout.decode()
            rows = fonts.splitlines()[2:]
            assert rows and all(" yes " in row for row in rows), fonts


def test_every_amount_in_the_budget_chapter_adds_up(compiled_2016):
    doc = docx_document(compiled_2016.docx["en"])
    by_format = next(t for t in doc.tables if t.rows[0].cells[0].text == "Format")
    amounts = [amount(r.cells[-1].text) for r in by_format.rows[1:-1]]
    assert sum(amounts) == amount(by_format.rows[-1].cells[-1].text) == compiled_2016.page_total
    assert Decimal(0) not in amounts
