"""A delegate attaching documents through the pages: a file over the limit, a Word
file that is a zip bomb or a look-alike, and a body too large to accept each get a
clear answer; a real Word document is attached."""

import io
import re

import docx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.pompidou.test_files import zeros_bomb, zip_without_document

pytestmark = pytest.mark.e2e

MiB = 1024 * 1024
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _word() -> bytes:
    document = docx.Document()
    document.add_paragraph("Terms of reference of the training.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _attach(page, name: str, buffer: bytes, mime: str) -> None:
    documents = page.get_by_test_id("attachments")
    documents.get_by_label("Document").set_input_files(
        {"name": name, "mimeType": mime, "buffer": buffer}
    )
    documents.get_by_role("button", name="Attach").click()
    page.wait_for_load_state()


def test_a_delegate_is_told_why_a_document_is_refused_and_attaches_a_real_one(
    page, live_server, demo, media
):
    base = live_server.url
    login(page, base, "pc_fr")
    page.goto(f"{base}/en/proposals/new/")
    page.get_by_label("Title").fill("Uploads that the portal refuses")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r".*/en/proposals/\d+/$"))
    detail = page.url

    # Over 10 MB: an error on the file, with its size.
    _attach(page, "budget.pdf", b"%PDF-1.4\n" + b"0" * (10 * MiB + MiB // 2), "application/pdf")
    assert (
        "The file is 10.5 MB; the limit is 10 MB."
        in page.get_by_test_id("attachments").inner_text()
    )

    # A Word file that would expand a thousandfold.
    _attach(page, "terms.docx", zeros_bomb(), DOCX_TYPE)
    assert "compressed more than 200 to 1" in page.get_by_test_id("attachments").inner_text()

    # A zip renamed .docx.
    _attach(page, "terms.docx", zip_without_document(), DOCX_TYPE)
    assert "not a Word document" in page.get_by_test_id("attachments").inner_text()

    # A body over the whole request limit: the portal's page, nothing saved.
    page.goto(detail)
    _attach(page, "huge.pdf", b"%PDF-1.4\n" + b"0" * (12 * MiB), "application/pdf")
    assert "What you sent is too large" in page.locator("main").inner_text()
    assert "at most 10 MB" in page.get_by_test_id("too-large").inner_text()

    # A real Word document is attached and listed.
    page.goto(detail)
    _attach(page, "terms.docx", _word(), DOCX_TYPE)
    assert "The document is attached." in page.locator("main").inner_text()
    expect(
        page.get_by_test_id("attachments").get_by_role("link", name="terms.docx")
    ).to_be_visible()
