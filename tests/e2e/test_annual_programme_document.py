"""The Secretariat compiles the 2016 annual programme from its page and takes the
French files through their links: A4, the French chapter titles, and per priority the
totals the page shows."""

import io
import zipfile

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from playwright.sync_api import expect

from activities.documents import money
from tests.documents.conftest import amount
from tests.documents.helpers import docx_document, docx_totals, pdf_page_sizes_mm, pdf_text
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def _download(page, link) -> bytes:
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.failure() is None
    return download.path().read_bytes()


def test_the_secretariat_compiles_both_languages_and_takes_the_french_files(
    page, live_server, demo, media
):
    base = live_server.url
    login(page, base, "secretariat")
    page.goto(f"{base}/en/annual-programmes/2016/")
    # The totals per priority as the page shows them.
    totals = {}
    for row in page.get_by_test_id("totals-by-priority").locator("tbody tr").all():
        key = row.get_attribute("data-group")
        totals[key] = amount(row.get_by_test_id("group-total").inner_text())
    assert sorted(totals) == ["3.1", "3.2", "3.3", "3.4"]

    documents = page.get_by_test_id("ap-documents")
    assert (
        documents.get_by_test_id("compile-languages")
        .inner_text()
        .startswith("One compilation writes the document in English and in French")
    )
    # Tasks run in process: the page comes back once both languages are compiled.
    documents.get_by_role("button", name="Compile as PDF and Word").click(no_wait_after=True)
    latest = page.get_by_test_id("latest-document")
    latest.wait_for(timeout=180_000)
    files = latest.get_by_test_id("latest-files")
    expect(files.locator("li[lang=fr]")).to_be_visible()

    pdf = _download(page, latest.get_by_test_id("latest-pdf-fr"))
    docx = _download(page, latest.get_by_test_id("latest-docx-fr"))
    assert pdf.startswith(b"%PDF") and zipfile.is_zipfile(io.BytesIO(docx))

    with translation.override("fr"):
        chapters = [
            _("1. Aims of the work programme"),
            _("3. Activities by thematic priority"),
            _("4. Permanent activity formats"),
            _("5. Budget"),
        ]
        title = _("Annual programme of activities %(year)s") % {"year": 2016}
    # The Council of Europe's term for the document.
    assert title == "Programme d’activités annuel 2016"
    # A4 in both files.
    assert pdf_page_sizes_mm(pdf) == {(210, 297)}
    document = docx_document(docx)
    assert {(round(s.page_width.mm), round(s.page_height.mm)) for s in document.sections} == {
        (210, 297)
    }
    # The French chapter titles, in both.
    text = pdf_text(pdf)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    for chapter in chapters:
        assert chapter in text and chapter in headings, chapter
    assert title in text and "Sommaire" in text
    # The totals per priority are the page's, written the French way.
    written = docx_totals(docx)
    assert {number: amount(written[number]) for number in totals} == totals
    with translation.override("fr"):
        french_totals = {number: money(total) for number, total in totals.items()}
    budget = text.split(chapters[3])[-1]  # the budget chapter
    for number, written_total in french_totals.items():
        assert written_total in budget, (number, written_total)
    assert all("," not in written[number] for number in totals)
