"""The Secretariat compiles the work programme in force as the Conference document from
the programme's page, and takes the English PDF and the French Word file through their
links: the adopted document's sections, in each language; a correspondent then finds
the files on the same page, without the button."""

import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from tests.documents.helpers import docx_document, pdf_page_sizes_mm, pdf_text
from tests.e2e.conftest import login
from tests.e2e.test_annual_programme_document import _download

pytestmark = pytest.mark.e2e


def test_the_secretariat_compiles_the_conference_document_from_the_programme_page(
    page, live_server, demo, media, check_page
):
    base = live_server.url
    login(page, base, "secretariat")
    page.get_by_role("link", name="Programme", exact=True).click()
    page.wait_for_url(re.compile(r".*/en/programme/(\d+/)?$"))
    section = page.get_by_test_id("wp-documents")
    expect(section.get_by_test_id("not-compiled")).to_be_visible()
    check_page(page, "programme-not-compiled")

    # Tasks run in process: the page comes back once both languages are compiled.
    section.get_by_role("button", name="Compile as PDF and Word").click(no_wait_after=True)
    latest = page.get_by_test_id("latest-document")
    latest.wait_for(timeout=180_000)
    reference = latest.get_by_test_id("latest-reference").inner_text()
    assert re.fullmatch(r"P-PG \(\d{4}\) \d+", reference)
    check_page(page, "programme-compiled")

    pdf = _download(page, latest.get_by_test_id("latest-pdf"))
    docx_fr = _download(page, latest.get_by_test_id("latest-docx-fr"))
    assert pdf.startswith(b"%PDF") and zipfile.is_zipfile(io.BytesIO(docx_fr))
    assert pdf_page_sizes_mm(pdf) == {(210, 297)}
    text = " ".join(pdf_text(pdf).split())
    for heading in [
        "1. Aims",
        "2.1. Permanent activity formats",
        "2.2. Other activities",
        "2.3. Evaluation",
        "3.4. Identifying opportunities and challenges for drug policies arising from the internet",
        "4.9. European Prevention Prize",
    ]:
        assert heading in text, heading
    assert "Adopted at the 16th Ministerial Conference" in text
    assert "Strasbourg, 19-20 November 2014" in text
    # The French file is written from the French texts.
    french = " ".join(p.text for p in docx_document(docx_fr).paragraphs)
    assert "Les propositions d’activités à adopter par les Correspondants permanents" in french
    assert "Prix européen de la prévention" in french

    # A correspondent reads the files on the same page; only the Secretariat compiles.
    page.context.clear_cookies()
    login(page, base, "pc_fr")
    page.get_by_role("link", name="Programme", exact=True).click()
    section = page.get_by_test_id("wp-documents")
    expect(section.get_by_test_id("latest-reference")).to_have_text(reference)
    expect(section.get_by_role("button", name="Compile as PDF and Word")).to_have_count(0)
    pdf_fr = _download(page, section.get_by_test_id("latest-pdf-fr"))
    assert pdf_fr.startswith(b"%PDF")
    assert "Programme de travail du Groupe Pompidou 2015–2018" in " ".join(pdf_text(pdf_fr).split())
