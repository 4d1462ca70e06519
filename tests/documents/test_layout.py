"""Page by page, as a person leafing through them: the compiled annual programme in
both languages (the PDF, and the Word file as LibreOffice lays it out), and the
checker itself on pages made to fail each check."""

import os
import shutil

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from .helpers import docx_document, pdf_page_sizes_mm, soffice_pdf
from .layout import Margins, check_pdf, read_pdf

pytestmark = pytest.mark.django_db


def _table_headers(language: str) -> list[str]:
    """The header rows of the annual programme's tables, in ``language``."""
    with translation.override(language):
        return [
            " ".join([_("Reference"), _("Title"), _("Lead"), _("Dates")]),
            " ".join([_("Activity"), _("Title"), _("Decision")]),
            " ".join([_("Thematic priority"), _("Activities")]),
            " ".join([_("Format"), _("Activities")]),
        ]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_annual_programme_pdf_reads_well_page_by_page(compiled_2016, language):
    problems = check_pdf(compiled_2016.pdf[language], table_headers=_table_headers(language))
    assert not problems, "\n".join(problems)


def _soffice_or_skip():
    if shutil.which("soffice") is None:
        if os.environ.get("CI"):
            pytest.fail(
                "LibreOffice (soffice) is required in CI: apt-get install libreoffice-writer-nogui"
            )
        pytest.skip("LibreOffice (soffice) not installed")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_word_file_opened_in_libreoffice_is_a4_with_its_contents_listed(
    compiled_2016, language, tmp_path
):
    _soffice_or_skip()
    pdf = soffice_pdf(compiled_2016.docx[language], tmp_path)
    assert pdf_page_sizes_mm(pdf) == {(210, 297)}
    pages = read_pdf(pdf)
    contents = " ".join(w.text for w in pages[1].words)
    headings = [
        p.text
        for p in docx_document(compiled_2016.docx[language]).paragraphs
        if p.style.name == "Heading 1"
    ]
    assert len(headings) == 6
    for heading in headings:
        assert " ".join(heading.split()) in contents, heading
    # LibreOffice's pages pass the same checks as the PDF's.
    problems = check_pdf(pdf, table_headers=_table_headers(language))
    assert not problems, "\n".join(problems)
    # The cover shows its reference once (no running header); every other page has it
    # in its running header.
    texts = [" ".join(w.text for w in page.words) for page in pages]
    assert texts[0].count(compiled_2016.reference) == 1
    assert all(compiled_2016.reference in text for text in texts[1:])


# --- the checker fails where a person would ------------------------------------------

PAGE = """<html lang="en"><head><style>
@page { size: A4; margin: 2.2cm 2cm 2.4cm 2cm; }
body { font-family: "DejaVu Sans"; font-size: 9.5pt; }
h1 { font-size: 15pt; } h2 { font-size: 12pt; }
table { width: 100%; border-collapse: collapse; font-size: 8.5pt; }
th, td { border: .5pt solid #999; padding: 3pt; }
STYLE
</style></head><body><p>Cover</p><div style="break-after: page"></div>BODY</body></html>"""


def _pdf(style: str, body: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=PAGE.replace("STYLE", style).replace("BODY", body)).write_pdf()


def _lines(n: int) -> str:
    return "".join(f"<p>Line {i} of the text.</p>" for i in range(n))


def test_the_checker_passes_a_well_made_page():
    pdf = _pdf("h2 { break-after: avoid; }", "<h2>Section</h2>" + _lines(5))
    assert check_pdf(pdf) == []


def test_the_checker_finds_a_heading_left_at_the_foot_of_a_page():
    # Enough text to fill the page but for a heading's room; the heading may break.
    pdf = _pdf(
        "p { margin: 0; line-height: 14pt; } h2 { break-after: auto; }",
        _lines(48) + "<h2>Stranded</h2>" + _lines(3),
    )
    problems = check_pdf(pdf)
    assert any("ends with the heading 'Stranded'" in p for p in problems), problems


def test_the_checker_finds_a_page_holding_only_a_heading():
    pdf = _pdf("h1 { break-after: page; }", "<h1>Alone</h1>" + _lines(3))
    problems = check_pdf(pdf)
    assert any("holds only a heading: 'Alone'" in p for p in problems), problems


def test_the_checker_finds_a_table_cut_without_its_header_row():
    rows = "".join(f"<tr><td>PG-{i}</td><td>Activity {i}</td></tr>" for i in range(80))
    table = f"<table><thead><tr><th>Reference</th><th>Title</th></tr></thead><tbody>{rows}</tbody></table>"
    repeated = _pdf("", table)
    assert check_pdf(repeated, table_headers=["Reference Title"]) == []
    cut = _pdf("thead { display: table-row-group; }", table)
    problems = check_pdf(cut, table_headers=["Reference Title"])
    assert any("continues a table without its header row" in p for p in problems), problems


def test_the_checker_finds_text_in_the_margins_and_ink_at_the_edge():
    pdf = _pdf(
        ".out { margin-left: -1.5cm; } .edge { position: absolute; top: -2cm; }",
        "<p class='out'>Outside</p><p class='edge'>Edge</p>" + _lines(2),
    )
    problems = check_pdf(pdf)
    assert any("'Outside' runs into the side margin" in p for p in problems), problems
    assert any("ink in the top edge strip" in p for p in problems), problems
    assert not any("'Line" in p for p in problems)


def test_the_checker_reads_the_margins_it_is_given():
    pdf = _pdf("", _lines(2))
    assert check_pdf(pdf, margins=Margins(left=2.0)) == []
    assert any("side margin" in p for p in check_pdf(pdf, margins=Margins(left=3.0)))
