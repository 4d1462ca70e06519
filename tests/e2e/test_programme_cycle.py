"""Issue 18's whole journey in one go, on the demo data, through the pages only: the
Secretariat drafts "Work Programme 2019–2022" from 2015–2018, changes a priority's
text and a criterion's weight, opens consultation; a Permanent Correspondent comments
on a section; the Secretariat reads the comment, compares the versions, records the
adoption, puts the programme in force handing over the running activities and the open
proposals, and compiles the new programme's document in both languages. The pages that
read "the programme in force" then still load for the Secretariat and a correspondent.

Each step is reached from the page the previous one left, by its links and buttons."""

import re

import pytest
from playwright.sync_api import expect

from tests.documents.helpers import pdf_text
from tests.e2e.conftest import COMPILE_TIMEOUT, download, login
from tests.e2e.test_programme_handover import fill_adoption

pytestmark = pytest.mark.e2e

TITLE_EN = "Work Programme 2019–2022"
TITLE_FR = "Programme de travail 2019–2022"
REFERENCE = "P-PG/MinConf (2018) 4"
PRIORITY_EN = "Drug policy in prisons and closed settings"
PRIORITY_FR = "Politique en matière de drogues en prison et en milieu fermé"
CARRIED = "PG-2017-009"  # ongoing, under 3.2 in 2015–2018: carried over to the new 3.2
COMMENT = "Please name the closed settings in priority 3.2."
ERROR_TEXTS = ("Server error", "Page not found", "Traceback", "Permission denied")


def _entry(page, kind: str, text: str):
    return page.get_by_test_id(f"{kind}-entry").filter(has_text=text)


def _section(page, heading: str):
    return page.get_by_test_id("consultation-section").filter(
        has=page.get_by_role("heading", name=heading)
    )


def _words(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def _draft_and_edit(page, check_page) -> None:
    """From the home page: the draft made from 2015–2018, priority 3.2 and criterion
    3 changed (the forms give the saved values back), consultation opened."""
    page.get_by_role("link", name="Programme", exact=True).click()
    page.get_by_role("link", name="Authoring work programmes").click()
    page.get_by_role("link", name="Draft the next work programme").click()
    assert "2015–2018" in page.get_by_label("Copy").locator("option:checked").inner_text()
    page.get_by_label("Reference").fill("P-PG/DRAFT (2018) 1")
    page.get_by_label("Title (English)").fill(TITLE_EN)
    page.get_by_label("Title (French)").fill(TITLE_FR)
    page.get_by_role("button", name="Create the draft").click()
    page.wait_for_url(re.compile(r".*/en/programme/\d+/edit/$"))
    expect(page.get_by_test_id("status")).to_have_text("Draft")
    check_page(page, "1-draft")

    _entry(page, "priority", "3.2").get_by_role("link", name=re.compile("^Edit")).click()
    page.get_by_label("Title (English)").fill(PRIORITY_EN)
    page.get_by_label("Title (French)").fill(PRIORITY_FR)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/edit/#priority-list$"))
    _entry(page, "priority", "3.2").get_by_role("link", name=re.compile("^Edit")).click()
    expect(page.get_by_label("Title (English)")).to_have_value(PRIORITY_EN)
    expect(page.get_by_label("Title (French)")).to_have_value(PRIORITY_FR)
    page.get_by_role("link", name="Cancel").click()

    _entry(page, "criterion", "3. ").get_by_role("link", name=re.compile("^Edit")).click()
    expect(page.get_by_label("Weight")).to_have_value("1")
    page.get_by_label("Weight").fill("2.5")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/edit/#criterion-list$"))
    _entry(page, "criterion", "3. ").get_by_role("link", name=re.compile("^Edit")).click()
    expect(page.get_by_label("Weight")).to_have_value("2.5")
    page.get_by_role("link", name="Cancel").click()

    page.get_by_role("button", name="Open consultation").click()
    expect(page.get_by_test_id("status")).to_have_text("In consultation")


def _pc_comments(page, base: str, check_page) -> None:
    page.context.clear_cookies()
    login(page, base, "pc_fr")
    page.get_by_role("link", name="Programme", exact=True).click()
    page.get_by_role("link", name=TITLE_EN).click()
    page.get_by_role("link", name="Read it and comment, section by section").click()
    section = _section(page, "Thematic priority 3.2")
    expect(section).to_contain_text(PRIORITY_EN)
    section.get_by_label("Your comment").fill(COMMENT)
    section.get_by_role("button", name="Comment on Thematic priority 3.2").click()
    expect(page.locator("main")).to_contain_text("Your comment is recorded.")
    check_page(page, "2-pc-comment")
    page.context.clear_cookies()


def _compare(page, check_page) -> None:
    """From the programme's page: the comment, then versions 1 and 3 compared."""
    page.get_by_role("link", name="Read it and comment, section by section").click()
    expect(_section(page, "Thematic priority 3.2")).to_contain_text(COMMENT)
    page.get_by_role("link", name=TITLE_EN).first.click()  # the breadcrumb
    page.get_by_role("link", name="Versions and comparison").click()
    expect(page.get_by_test_id("section-comments")).to_contain_text(COMMENT)
    page.get_by_label("Before").select_option("1")
    page.get_by_label("After").select_option("3")
    page.get_by_role("button", name="Compare").click()
    criteria = page.get_by_test_id("diff-section").filter(has_text="Adoption criteria")
    expect(criteria.locator("ins", has_text="2.5")).to_have_count(1)
    priority = page.get_by_test_id("diff-section").filter(has_text="Thematic priority 3.2")
    expect(priority).to_contain_text("closed settings")
    check_page(page, "3-compare")


def _adopt_and_hand_over(page, base: str, check_page) -> None:
    page.get_by_role("link", name="Record adoption").click()
    fill_adoption(page, "27/11/2018", "28/11/2018")  # the reference is REFERENCE
    page.get_by_role("button", name="Record adoption").click()
    page.wait_for_url(re.compile(r".*/en/programme/\d+/$"))
    expect(page.locator("article header")).to_contain_text("Adopted")
    check_page(page, "4-adopted")

    page.get_by_role("link", name="Put in force and hand over").click()
    activities = page.get_by_test_id("activity-row")
    assert activities.count() > 0
    # The mapping is pre-filled from the numbers: every running activity carried over
    # to its priorities of the same number.
    for row in activities.all():
        expect(row.get_by_label("Carry over to the new programme")).to_be_checked()
        assert row.locator("input[type=checkbox][name$=thematic_priorities]:checked").count()
    # The open proposals: moved (the page's default), one closed with a reason.
    proposals = page.get_by_test_id("proposal-row")
    assert proposals.count() > 0
    last = proposals.last
    last.get_by_label("Close it with a reason").check()
    last.get_by_label("Reason for closing").fill("Taken up in the 2019–2022 programme.")
    check_page(page, "5-hand-over")
    page.get_by_role("button", name=f"Put {REFERENCE} in force").click()
    page.wait_for_url(f"{base}/en/programme/")
    main = page.locator("main")
    expect(main).to_contain_text(f"{REFERENCE} is in force; the hand-over is recorded.")
    expect(page.locator("h1")).to_have_text(TITLE_EN)
    expect(page.locator("article header")).to_contain_text("In force")
    check_page(page, "6-in-force")


def _compile(page, check_page) -> None:
    """On the programme page (now the new one): compile, take the EN and FR PDFs."""
    section = page.get_by_test_id("wp-documents")
    section.get_by_role("button", name="Compile as PDF and Word").click(no_wait_after=True)
    latest = page.get_by_test_id("latest-document")
    latest.wait_for(timeout=COMPILE_TIMEOUT)
    check_page(page, "8-compiled")
    english = _words(download(page, latest.get_by_test_id("latest-pdf")))
    french = _words(download(page, latest.get_by_test_id("latest-pdf-fr")))
    assert TITLE_EN in english
    assert PRIORITY_EN in english
    assert "17th Ministerial Conference" in english
    assert TITLE_FR in french
    assert PRIORITY_FR in french
    assert "17e Conférence ministérielle" in french
    assert "Stavanger" in english and "Stavanger" in french


def _demo_coverage(page) -> None:
    """The coverage section defaults to the programme in force; the demo record's
    coverage (2015–2018, in 2016: every activity states both) is still one choice away."""
    coverage = page.get_by_test_id("coverage")
    expect(page.get_by_test_id("coverage-summary")).to_contain_text(TITLE_EN)
    coverage.get_by_label("Work programme").select_option(
        label="Pompidou Group Work Programme 2015–2018 (P-PG/MinConf (2014) 4)"
    )
    coverage.get_by_label("Year", exact=True).fill("2016")
    coverage.get_by_role("button", name="Show the coverage").click()
    summary = page.get_by_test_id("coverage-summary")
    expect(summary).to_contain_text("In 2016, ")
    expect(summary).to_contain_text("Pompidou Group Work Programme 2015–2018")
    total = re.search(r"In 2016, (\d+) of (\d+) activities", summary.inner_text())
    assert total and total.group(1) == total.group(2) != "0", summary.inner_text()
    expect(page.get_by_test_id("coverage-none-missing")).to_be_visible()


# The pages that read "the programme in force", and what each role is answered there:
# proposals are drafted by the delegations, the ranking and the evaluation overview are
# the Secretariat's and the Bureau's; a refusal is the portal's 403 page, never an error.
PAGES_IN_FORCE = {
    "/en/": {"secretariat": 200, "pc": 200},
    "/en/proposals/new/": {"secretariat": 403, "pc": 200},
    "/en/proposals/ranking/2019/": {"secretariat": 200, "pc": 403},
    "/en/evaluation/": {"secretariat": 200, "pc": 403},
    "/en/activities/": {"secretariat": 200, "pc": 200},
    "/en/programme/": {"secretariat": 200, "pc": 200},
}


def _pages_reading_the_programme_in_force(page, base: str, check_page, who: str) -> None:
    for path, statuses in PAGES_IN_FORCE.items():
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == statuses[who], (who, path)
        if statuses[who] != 200:
            continue
        text = page.locator("body").inner_text()
        for error in ERROR_TEXTS:
            assert error not in text, (who, path, error)
        if path == "/en/programme/":
            expect(page.locator("h1")).to_have_text(TITLE_EN)
        if path == "/en/evaluation/":
            _demo_coverage(page)
            check_page(page, f"9-evaluation-{who}")


def test_the_whole_programme_cycle_through_the_pages(page, live_server, demo, media, check_page):
    base = live_server.url
    login(page, base, "secretariat")
    _draft_and_edit(page, check_page)
    _pc_comments(page, base, check_page)

    login(page, base, "secretariat")
    page.get_by_role("link", name="Programme", exact=True).click()
    page.get_by_role("link", name=TITLE_EN).click()
    _compare(page, check_page)
    page.get_by_role("link", name=TITLE_EN).first.click()  # the breadcrumb: authoring page
    _adopt_and_hand_over(page, base, check_page)

    # A running activity carried over: under the new priority 3.2, its page names the
    # new programme.
    page.get_by_role("link", name="Activities under priority 3.2").click()
    expect(page.locator("h1")).to_contain_text(PRIORITY_EN)
    page.get_by_role("link", name=CARRIED).click()
    expect(page.locator("main")).to_contain_text(REFERENCE)
    expect(page.locator("main")).to_contain_text(PRIORITY_EN)
    page.get_by_role("link", name="Programme", exact=True).click()
    page.get_by_role("link", name=re.compile("Work Programme 2015–2018")).click()
    expect(page.locator("article header")).to_contain_text("Closed")
    check_page(page, "7-old-closed")
    page.get_by_role("link", name="Programme", exact=True).click()
    expect(page.locator("h1")).to_have_text(TITLE_EN)
    _compile(page, check_page)

    _pages_reading_the_programme_in_force(page, base, check_page, "secretariat")
    page.context.clear_cookies()
    login(page, base, "pc_fr")
    _pages_reading_the_programme_in_force(page, base, check_page, "pc")
