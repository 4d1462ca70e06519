"""Compiled documents in the browser: the Secretariat compiles the annual programme
from its page and an evaluation report over a chosen period, follows the job and
downloads the PDF and the Word file. Tasks run in process in the tests, so the job
is done when the page comes back; the page must show the finished result."""

import zipfile

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import COMPILE_TIMEOUT, login

pytestmark = pytest.mark.e2e


def _menu(page):
    return page.get_by_role("navigation", name="Main navigation")


def _download(page, link, tmp_path) -> bytes:
    with page.expect_download() as info:
        link.click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return path.read_bytes()


def _assert_pdf_and_docx(page, pdf_link, docx_link, tmp_path) -> None:
    pdf = _download(page, pdf_link, tmp_path)
    assert pdf.startswith(b"%PDF")
    docx = tmp_path / "document.docx"
    docx.write_bytes(_download(page, docx_link, tmp_path))
    with zipfile.ZipFile(docx) as archive:
        assert "word/document.xml" in archive.namelist()


def test_the_secretariat_compiles_the_annual_programme_from_its_page_and_downloads_it(
    page, live_server, demo, media, tmp_path, check_page
):
    base = live_server.url
    login(page, base, "secretariat")
    _menu(page).get_by_role("link", name="Annual programmes").click()
    page.get_by_role("link", name="2016", exact=True).click()
    expect(page.get_by_role("heading", name="Annual programme of activities 2016")).to_be_visible()
    documents = page.get_by_test_id("ap-documents")
    expect(documents.get_by_text("Not compiled yet.")).to_be_visible()

    documents.get_by_role("button", name="Compile as PDF and Word").click(timeout=COMPILE_TIMEOUT)
    page.wait_for_url(f"{base}/en/annual-programmes/2016/#ap-documents")
    expect(page.get_by_text("Compilation of P-PG")).to_be_visible()
    documents = page.get_by_test_id("ap-documents")
    latest = documents.get_by_test_id("latest-document")
    latest.wait_for()
    reference = latest.get_by_test_id("latest-reference").inner_text()
    check_page(page, "annual-programme-compiled")
    assert (
        reference.startswith("P-PG (") and documents.get_by_text("Not compiled yet.").count() == 0
    )
    _assert_pdf_and_docx(
        page, latest.get_by_test_id("latest-pdf"), latest.get_by_test_id("latest-docx"), tmp_path
    )

    # A second compilation: the new one is the latest, the first is listed below.
    documents.get_by_role("button", name="Compile as PDF and Word").click(timeout=COMPILE_TIMEOUT)
    page.get_by_test_id("latest-reference").filter(has_not_text=reference).wait_for()
    expect(page.get_by_test_id("earlier-documents").get_by_text(reference)).to_be_visible()

    # A Permanent Correspondent sees the documents, without the compile control.
    page.context.clear_cookies()
    login(page, base, "pc_fr")
    _menu(page).get_by_role("link", name="Annual programmes").click()
    page.get_by_role("link", name="2016", exact=True).click()
    documents = page.get_by_test_id("ap-documents")
    expect(documents.get_by_test_id("latest-pdf")).to_be_visible()
    assert documents.get_by_role("button", name="Compile as PDF and Word").count() == 0


def test_the_secretariat_compiles_an_evaluation_report_over_a_chosen_period(
    page, live_server, demo, media, tmp_path, check_page
):
    base = live_server.url
    login(page, base, "secretariat")
    _menu(page).get_by_role("link", name="Evaluation").click()
    form = page.get_by_test_id("compile-report")
    # A bad period comes back as a form error, nothing compiled.
    form.get_by_label("From (year)").select_option("2017")
    form.get_by_label("To (year)").select_option("2016")
    form.get_by_role("button", name="Compile the report").click(timeout=COMPILE_TIMEOUT)
    form = page.get_by_test_id("compile-report")
    expect(form.get_by_text("The end year is before the start year.")).to_be_visible()

    form.get_by_label("From (year)").select_option("2016")
    form.get_by_label("To (year)").select_option("2017")
    form.get_by_role("button", name="Compile the report").click(timeout=COMPILE_TIMEOUT)
    expect(page.get_by_role("heading", name="Evaluation report 2016–2017")).to_be_visible()
    status = page.locator("#job-status")
    assert status.get_attribute("data-status") == "succeeded"
    assert page.get_by_test_id("job-status").inner_text() == "Succeeded"
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "100"
    check_page(page, "evaluation-report-job")
    _assert_pdf_and_docx(
        page, page.get_by_test_id("download-pdf"), page.get_by_test_id("download-docx"), tmp_path
    )

    # The report is listed with its period among the compiled reports.
    _menu(page).get_by_role("link", name="Evaluation").click()
    page.get_by_role("link", name="Compiled evaluation reports").click()
    expect(page.get_by_role("cell", name="2016–2017")).to_be_visible()
