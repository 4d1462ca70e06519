import datetime as dt
import re
import zipfile

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import COMPILE_TIMEOUT, login

pytestmark = pytest.mark.e2e

TITLE = "Early warning on nitazenes for emergency services"
NAMES = {
    "pc_fr": "Claire Dubois",
    "pc_de": "Jonas Weber",
    "secretariat": "Sophie Laurent",
    "expert_health": "Helena Varga",
    "expert_justice": "Daniel Okafor",
}


def _logout(page, username):
    page.get_by_role("button", name=NAMES[username]).click()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/logout/")


def _as(page, base, username, previous=None):
    if previous:
        _logout(page, previous)
    login(page, base, username)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The assessor's draft: whole and half points (criteria 2–8).
DRAFT_SCORES = ["4", "3", "5", "4.5", "3.5", "4", "3"]


def _eur(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def _open_proposal(page, title: str = TITLE) -> None:
    """From any page: the Proposals menu, then the proposal by its title."""
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Proposals", exact=True
    ).click()
    page.locator("main table tbody tr", has_text=title).get_by_role("link").first.click()
    page.wait_for_url(re.compile(r".*/en/proposals/\d+/$"))


def _assess_from_dashboard(page) -> str:
    """The assessor's dashboard count opens the list of exactly those proposals."""
    page.get_by_role("link", name="Assessments due").click()
    page.wait_for_url(re.compile(r".*/en/proposals/\?todo=to_assess$"))
    page.locator("main table tbody tr", has_text=TITLE).get_by_role("link").first.click()
    page.get_by_role("link", name="Fill in your assessment").click()
    page.wait_for_url(re.compile(r".*/en/proposals/\d+/assessment/$"))
    return page.url


def test_a_proposal_goes_from_draft_to_adopted_activity(
    page, live_server, demo, media, check_page, tmp_path
):
    """The annual route as its people live it, through the pages only: a PC drafts,
    comes back, attaches and submits; another PC supports; the Secretariat assigns two
    assessors with a due date; each saves a draft, reopens it and submits; the
    Secretariat ranks against the committed budget, adopts above the ceiling with the
    confirmation, edits the activity, compiles the annual programme and downloads it."""
    base = live_server.url

    # A French PC drafts through the form: a draft saves without everything.
    _as(page, base, "pc_fr")
    page.get_by_role("link", name="Proposals", exact=True).click()
    page.get_by_role("link", name="Draft a proposal").click()
    page.wait_for_url(f"{base}/en/proposals/new/")
    check_page(page, "proposal-form")
    assert "required to submit" in page.get_by_test_id("required-note").inner_text()
    # "Why it is urgent" shows only for the urgent route.
    urgency = page.get_by_label("Why it is urgent")
    assert urgency.is_hidden()
    page.get_by_label("Requested route").select_option("urgent")
    expect(urgency).to_be_visible()
    page.get_by_label("Requested route").select_option("annual")
    assert urgency.is_hidden()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Scope").fill("Emergency services and drug checking services.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r".*/en/proposals/\d+/$"))
    detail = page.url
    assert "Draft PR-" in page.locator("main").inner_text()

    # She comes back to finish it, dates in day/month/year.
    page.get_by_role("link", name="Edit the draft").click()
    assert page.get_by_label("Scope").input_value() == (
        "Emergency services and drug checking services."
    )
    page.get_by_label("Purpose").fill("Detect nitazenes early and warn services within days.")
    page.get_by_label("Expected outcome").fill("A shared alert protocol and a network.")
    page.get_by_label("3.3 Addressing changing patterns").check()
    page.get_by_role("textbox", name="Start", exact=True).fill("01/02/2018")
    page.get_by_role("textbox", name="End", exact=True).fill("31/10/2018")
    page.get_by_label("Estimated cost (EUR)").fill("20000")
    page.get_by_label("Year of the annual programme").select_option("2018")
    page.get_by_label("Human-rights considerations").fill("No personal data are shared.")
    page.get_by_label("Gender considerations").fill("Data by sex; balanced network.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(detail)
    assert "01/02/2018 – 31/10/2018" in page.get_by_test_id("timespan").inner_text()

    # She attaches the terms of reference, then submits.
    documents = page.get_by_test_id("attachments")
    documents.get_by_label("Document").set_input_files(
        {"name": "terms.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    documents.get_by_label("Title").fill("Terms of reference")
    documents.get_by_role("button", name="Attach").click()
    assert "The document is attached." in page.locator("main").inner_text()
    expect(
        page.get_by_test_id("attachments").get_by_role("link", name="Terms of reference")
    ).to_be_visible()
    check_page(page, "proposal-draft")
    page.get_by_role("button", name="Submit", exact=True).click()
    assert page.get_by_test_id("status").inner_text() == "Submitted"

    # A German PC supports it.
    _as(page, base, "pc_de", "pc_fr")
    _open_proposal(page)
    assert page.url == detail
    page.get_by_role("button", name="Support on behalf of DE").click()
    assert "Your delegation now supports" in page.locator("main").inner_text()
    assert "Germany" in page.get_by_test_id("supports").inner_text()

    # The Secretariat assigns two experts, due in a month.
    _as(page, base, "secretariat", "pc_de")
    _open_proposal(page)
    due = (dt.date.today() + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    for name in ("Helena Varga", "Daniel Okafor"):
        page.get_by_role("combobox", name="Assessor").select_option(label=name)
        page.get_by_label("Due").fill(due)
        page.get_by_role("button", name="Assign").click()
        assert f"{name} now assesses" in page.locator("main").inner_text()
    assessors = page.get_by_test_id("assessors").inner_text()
    assert "Helena Varga" in assessors and "Daniel Okafor" in assessors
    assert assessors.count(f"due {due}") == 2
    check_page(page, "proposal-secretariat")
    assert page.get_by_test_id("status").inner_text() == "Under assessment"

    # The expert saves a draft with whole and half points, leaves, comes back.
    _as(page, base, "expert_health", "secretariat")
    assessment = _assess_from_dashboard(page)
    assert due in page.get_by_test_id("due-date").inner_text()
    selects = page.locator("select[name^=score_]")
    assert selects.count() == 7  # criteria 2–8; criterion 1 is computed from supports
    for i, score in enumerate(DRAFT_SCORES):
        selects.nth(i).select_option(score)
    page.get_by_role("button", name="Save draft").click()
    assert "Draft assessment saved." in page.locator("main").inner_text()
    page.get_by_role("link", name="My tasks").first.click()
    assert page.url == f"{base}/en/"
    assert _assess_from_dashboard(page) == assessment
    check_page(page, "assessment-draft")
    selects = page.locator("select[name^=score_]")
    assert [selects.nth(i).input_value() for i in range(7)] == DRAFT_SCORES

    # A score below 3 without its comment still saves as a draft...
    selects.nth(6).select_option("2.5")
    page.get_by_role("button", name="Save draft").click()
    assert "Draft assessment saved." in page.locator("main").inner_text()
    assert page.locator("select[name^=score_]").nth(6).input_value() == "2.5"
    # ...but submitting asks for confirmation, then asks for the comment.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Submit (final)").click()
    assert page.url == assessment
    expect(page.get_by_test_id("assessment-form")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit (final)").click()
    assert "Explain the score below 3" in page.locator("main").inner_text()
    page.locator("textarea[name^=comment_]").nth(6).fill("The evaluation plan is thin.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit (final)").click()
    page.wait_for_url(detail)
    assert "Assessment submitted" in page.locator("main").inner_text()

    # The second expert saves a draft with half points, reopens it and submits.
    _as(page, base, "expert_justice", "expert_health")
    assert _assess_from_dashboard(page) == assessment
    second = ["4.5", "4", "4", "3.5", "4", "5", "3"]
    selects = page.locator("select[name^=score_]")
    for i, score in enumerate(second):
        selects.nth(i).select_option(score)
    page.get_by_role("button", name="Save draft").click()
    assert "Draft assessment saved." in page.locator("main").inner_text()
    page.get_by_role("link", name="My tasks").first.click()
    assert _assess_from_dashboard(page) == assessment
    selects = page.locator("select[name^=score_]")
    assert [selects.nth(i).input_value() for i in range(7)] == second
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit (final)").click()
    page.wait_for_url(detail)
    assert "Assessment submitted" in page.locator("main").inner_text()

    # The Secretariat ranks the year against what its programme already commits.
    _as(page, base, "secretariat", "expert_justice")
    page.get_by_role("link", name="Proposals", exact=True).click()
    page.get_by_role("link", name="2018", exact=True).click()
    page.wait_for_url(f"{base}/en/proposals/ranking/2018/")
    committed = _eur(page.get_by_test_id("committed").inner_text())
    ceiling = _eur(page.get_by_test_id("ceiling").inner_text())
    assert committed > ceiling  # the 2018 draft is already over its ceiling
    headroom = page.get_by_test_id("headroom").inner_text()
    assert headroom.startswith("over by") and _eur(headroom) == committed - ceiling
    row = page.get_by_test_id("ranking-table").locator("tr", has_text=TITLE)
    assert "exceeds" in row.inner_text()
    cumulative = _eur(row.locator("td").nth(-2).inner_text())
    assert cumulative >= committed + 20000  # placed after what is committed
    check_page(page, "ranking")

    # Adopting says so before the decision and needs the explicit confirmation.
    row.get_by_role("link").first.click()
    page.wait_for_url(detail)
    assert "That is above the ceiling" in page.get_by_test_id("adoption-budget").inner_text()
    page.get_by_role("combobox", name="Outcome").select_option("adopted")
    page.get_by_label("Permanent Correspondents' meeting").select_option(index=1)
    page.get_by_label("Rationale").fill("Supported by Germany; urgent in practice.")
    page.get_by_role("button", name="Record the decision").click()
    assert "Confirm adopting above the ceiling" in page.locator("main").inner_text()
    page.get_by_label("I confirm adopting above the ceiling").check()
    page.get_by_role("button", name="Record the decision").click()
    assert "Decision recorded: Adopted." in page.locator("main").inner_text()
    expect(page.get_by_test_id("over-ceiling-confirmed")).to_be_visible()
    check_page(page, "proposal-adopted")

    # The activity carries the proposal over, with its document.
    page.get_by_test_id("activity-link").locator("a").click()
    page.wait_for_url(re.compile(r".*/en/activities/PG-2018-\d+/$"))
    main = page.locator("main").inner_text()
    assert TITLE in main
    assert "Detect nitazenes early and warn services within days." in main  # purpose
    assert "Emergency services and drug checking services." in main  # scope
    assert "A shared alert protocol and a network." in main  # expected results
    assert "No personal data are shared." in main
    assert "Data by sex; balanced network." in main
    assert "France" in main and "Germany" in main  # lead and participating states
    documents = page.get_by_test_id("activity-documents")
    with page.expect_download() as download:
        documents.get_by_role("link", name="Terms of reference").click()
    assert download.value.suggested_filename.endswith(".pdf")
    reference = re.search(r"/(PG-2018-\d+)/$", page.url).group(1)
    check_page(page, "activity")

    # The Secretariat edits the activity: a partner joins, the budget grows.
    page.get_by_role("link", name="Edit", exact=True).click()
    check_page(page, "activity-form")
    states = page.get_by_role("combobox", name="Participating states")
    states.focus()
    page.keyboard.type("Ital")
    page.locator(".ts-dropdown .option", has_text="Italy").click()
    page.keyboard.press("Escape")
    page.get_by_label("Planned budget (EUR)").fill("24000")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(rf".*/en/activities/{reference}/$"))
    aside = page.locator("aside dl").inner_text()
    assert "Italy" in aside and "24,000.00 EUR" in aside

    # The 2018 annual programme lists the new activity; the Secretariat compiles it
    # from its page and downloads both files.
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Annual programmes"
    ).click()
    page.get_by_role("link", name="2018", exact=True).click()
    row = page.locator("tr", has=page.get_by_role("link", name=reference)).first
    assert "24,000" in row.inner_text()  # the entry follows the activity's budget
    documents = page.get_by_test_id("ap-documents")
    documents.get_by_role("button", name="Compile as PDF and Word").click(timeout=COMPILE_TIMEOUT)
    latest = page.get_by_test_id("ap-documents").get_by_test_id("latest-document")
    latest.wait_for()
    assert latest.get_by_test_id("latest-reference").inner_text().startswith("P-PG (")
    check_page(page, "annual-programme")
    with page.expect_download() as pdf:
        latest.get_by_test_id("latest-pdf").click()
    pdf_path = tmp_path / "programme.pdf"
    pdf.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    with page.expect_download() as docx:
        latest.get_by_test_id("latest-docx").click()
    docx_path = tmp_path / "programme.docx"
    docx.value.save_as(docx_path)
    with zipfile.ZipFile(docx_path) as archive:
        assert "word/document.xml" in archive.namelist()
        assert TITLE in archive.read("word/document.xml").decode()


def test_a_bureau_member_votes_with_one_click_and_the_card_updates_in_place(
    page, live_server, demo
):
    base = live_server.url
    login(page, base, "bureau_nl")
    page.get_by_role("link", name="Urgent votes", exact=True).click()
    page.wait_for_url(f"{base}/en/proposals/urgent/")
    card = page.get_by_test_id("vote-card").first
    assert "You have not voted yet." in card.inner_text()
    approvals = int(re.search(r"Approvals: (\d+)", card.inner_text()).group(1))
    page.evaluate("window.__same_page = true")  # gone if the browser loads a new page
    card.get_by_role("button", name="Approve").click()
    page.get_by_test_id("my-vote").filter(has_text="Your vote: Approve").wait_for()
    card = page.get_by_test_id("vote-card").first
    assert f"Approvals: {approvals + 1}" in card.inner_text()
    assert card.get_by_role("button", name="Approve").get_attribute("aria-pressed") == "true"
    assert page.evaluate("window.__same_page === true")
    assert page.url == f"{base}/en/proposals/urgent/"
