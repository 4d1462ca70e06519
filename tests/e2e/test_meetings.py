"""The plenary as the Secretariat runs it, through the pages only: the agenda from
the ranking, the decisions recorded item by item in one screen, and the deferred
proposal on the next plenary's draft agenda."""

import io
import re
import zipfile

import pytest

from tests.documents.helpers import docx_document, pdf_text
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

MEDNET = "MedNET: treatment quality standards in North Africa"
REINTEGRATION = "Social reintegration through employment"
NEEDLES = "Feasibility of needle exchange in prisons"


def _download(page, link) -> bytes:
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.failure() is None
    return download.path().read_bytes()


def _item(page, title):
    return page.get_by_test_id("decision-item").filter(has_text=title)


def test_the_secretariat_runs_a_plenary_from_agenda_to_decisions(
    page, live_server, demo, media, check_page
):
    base = live_server.url
    # The calendar is public: no login to read it.
    page.goto(f"{base}/en/meetings/")
    table = page.get_by_test_id("meetings")
    assert "83rd Permanent Correspondents' plenary" in table.inner_text()
    check_page(page, "meetings-public")
    page.get_by_role("link", name="82nd Permanent Correspondents' plenary").click()
    # Anonymous visitors read the references of proposals, not their titles.
    assert "PR-2018-0003" in page.get_by_test_id("agenda").inner_text()
    assert "Costs of drug-related crime" not in page.get_by_test_id("agenda").inner_text()
    assert page.get_by_role("link", name="Build the agenda").count() == 0

    login(page, base, "secretariat")
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="83rd Permanent Correspondents' plenary").click()
    assert page.get_by_test_id("status").inner_text() == "Planned"
    # What the 82nd deferred is already on the draft agenda.
    assert "Costs of drug-related crime" in page.get_by_test_id("agenda").inner_text()
    page.get_by_role("link", name="Build the agenda").click()
    page.wait_for_url(re.compile(r".*/en/meetings/\d+/agenda/$"))
    picker = page.get_by_test_id("ranking-picker")
    assert [t.strip() for t in picker.locator("tbody tr td:nth-child(3)").all_inner_texts()] == [
        f"PR-2018-0002 {MEDNET}",
        f"PR-2017-0003 {REINTEGRATION}",
        f"PR-2018-0004 {NEEDLES}",
    ]
    check_page(page, "agenda-builder")
    # Nothing ticked: a clear message, nothing added.
    page.get_by_role("button", name="Put the ticked proposals on the agenda").click()
    assert "Choose at least one proposal." in page.get_by_test_id("pick-errors").inner_text()
    for title in (MEDNET, REINTEGRATION, NEEDLES):
        page.get_by_label(title).check()
    page.get_by_role("button", name="Put the ticked proposals on the agenda").click()
    assert "3 proposals put on the agenda." in page.locator("main").inner_text()
    assert "No proposal of this ranking is left" in page.locator("main").inner_text()
    agenda = page.get_by_test_id("agenda-item")
    assert agenda.count() == 4
    # The needle exchange goes first: up three places.
    for _ in range(3):
        page.get_by_test_id("agenda-item").filter(has_text=NEEDLES).get_by_role(
            "button", name=re.compile("up$")
        ).click()
    assert NEEDLES in page.get_by_test_id("agenda-item").first.inner_text()

    page.get_by_role("link", name="83rd Permanent Correspondents' plenary").click()
    page.get_by_role("button", name="Convene").click()
    assert page.get_by_test_id("status").inner_text() == "Convened"
    page.get_by_role("link", name="Record the decisions").click()
    page.wait_for_url(re.compile(r".*/en/meetings/\d+/decisions/$"))
    assert page.get_by_test_id("decision-item").count() == 4
    check_page(page, "decisions-screen")

    # 2018 is already over its ceiling: the adoption asks for the confirmation.
    _item(page, MEDNET).get_by_label("Decision").select_option("adopted")
    _item(page, MEDNET).get_by_label("Rationale or conclusion").fill("Recommended by both.")
    _item(page, REINTEGRATION).get_by_label("Decision").select_option("deferred")
    _item(page, REINTEGRATION).get_by_label("Rationale or conclusion").fill("Assessors disagree.")
    _item(page, NEEDLES).get_by_label("Decision").select_option("rejected")
    _item(page, NEEDLES).get_by_label("Rationale or conclusion").fill("")
    page.get_by_role("button", name="Record the decisions").click()
    # Two items refused, each under its own heading; the input of all is kept.
    assert "Confirm adopting above the ceiling" in _item(page, MEDNET).inner_text()
    assert "Give the rationale of the decision." in _item(page, NEEDLES).inner_text()
    assert _item(page, REINTEGRATION).get_by_label("Decision").input_value() == "deferred"
    assert (
        _item(page, REINTEGRATION).get_by_label("Rationale or conclusion").input_value()
        == "Assessors disagree."
    )
    check_page(page, "decisions-errors")
    # Nothing was half-written: the agenda shows no outcome yet.
    assert page.get_by_test_id("decided").count() == 0

    _item(page, MEDNET).get_by_label("I confirm adopting above the ceiling").check()
    _item(page, NEEDLES).get_by_label("Rationale or conclusion").fill("Outside the mandate.")
    page.get_by_role("button", name="Record the decisions").click()
    assert "3 decisions recorded." in page.locator("main").inner_text()
    outcomes = {
        title: page.get_by_test_id("agenda-item")
        .filter(has_text=title)
        .get_by_test_id("outcome")
        .inner_text()
        for title in (MEDNET, REINTEGRATION, NEEDLES)
    }
    assert outcomes == {MEDNET: "Adopted", REINTEGRATION: "Deferred", NEEDLES: "Rejected"}

    # The list of decisions, compiled in both languages under its own series.
    page.get_by_role("button", name="Compile the list of decisions").click()
    page.wait_for_url(re.compile(r".*/en/meetings/\d+/decision-lists/\d+/$"))
    assert re.search(r"P-PG/PC \(\d{4}\) 1\b", page.locator("main").inner_text())
    check_page(page, "decision-list-job")
    pdf = _download(page, page.get_by_test_id("download-pdf"))
    docx = _download(page, page.get_by_test_id("download-docx-fr"))
    assert pdf.startswith(b"%PDF") and zipfile.is_zipfile(io.BytesIO(docx))
    text = " ".join(pdf_text(pdf).split())
    assert "List of decisions" in text
    assert "83rd Permanent Correspondents' plenary" in text
    for line in (
        f"PR-2018-0002 {MEDNET}",
        "Adopted (above the budget ceiling, confirmed) Recommended by both.",
        "Assessors disagree.",
        "Outside the mandate.",
    ):
        assert line in text, line
    assert "Items not decided" in text and "Costs of drug-related crime" in text
    words = " ".join(p.text for p in docx_document(docx).paragraphs)
    assert "P-PG/PC" in words
    page.get_by_role("link", name="83rd Permanent Correspondents' plenary").click()

    # The adopted proposal is an activity now; the deferred one waits for the 84th.
    page.get_by_role("link", name="PR-2018-0002").click()
    assert page.get_by_test_id("status").inner_text() == "Adopted"
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="84th Permanent Correspondents' plenary").click()
    assert page.get_by_test_id("status").inner_text() == "Planned"
    assert "Draft agenda" in page.locator("main h2").first.inner_text()
    carried = page.get_by_test_id("agenda-item")
    assert carried.count() == 1
    assert REINTEGRATION in carried.inner_text()
    assert "deferred by the 83rd Permanent Correspondents' plenary" in carried.inner_text()
    check_page(page, "next-draft-agenda")


def test_a_pc_registers_who_attends_and_the_secretariat_reads_it(
    page, live_server, demo, check_page
):
    base = live_server.url
    login(page, base, "pc_de")
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="83rd Permanent Correspondents' plenary").click()
    form = page.get_by_test_id("attendance-form")
    form.get_by_role("button", name="Register the attendance").click()
    assert "Name at least one person who attends." in form.inner_text()
    form.get_by_label("Who attends for your delegation").fill("Karl Weber\nJana Schulz")
    form.get_by_role("button", name="Register the attendance").click()
    assert "Your delegation's attendance is registered." in page.locator("main").inner_text()
    check_page(page, "attendance-form")
    page.context.clear_cookies()
    login(page, base, "secretariat")
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="83rd Permanent Correspondents' plenary").click()
    assert "Karl Weber, Jana Schulz" in page.get_by_test_id("attendances").inner_text()
