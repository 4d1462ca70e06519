import re

import pytest

from tests.e2e.conftest import login

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


def _assess(page, base, username, previous):
    _as(page, base, username, previous)
    page.get_by_role("link", name="Assessments due").click()
    # The dashboard's count opens the list of exactly those proposals.
    page.wait_for_url(re.compile(r".*/en/proposals/\?todo=to_assess$"))
    page.locator("main table tbody tr a").first.click()
    page.get_by_role("link", name="Fill in your assessment").click()
    page.wait_for_url(re.compile(r".*/en/proposals/\d+/assessment/$"))
    selects = page.locator("select[name^=score_]")
    assert selects.count() == 7  # criteria 2–8; criterion 1 is computed from supports
    for i in range(selects.count()):
        selects.nth(i).select_option("4")
    page.get_by_role("button", name="Submit (final)").click()
    page.wait_for_url(re.compile(r".*/en/proposals/\d+/$"))
    assert "Assessment submitted" in page.locator("main").inner_text()


def test_a_proposal_goes_from_draft_to_adopted_activity(page, live_server, demo):
    base = live_server.url

    # A French PC drafts and submits through the form.
    _as(page, base, "pc_fr")
    page.get_by_role("link", name="Proposals", exact=True).click()
    page.get_by_role("link", name="Draft a proposal").click()
    page.wait_for_url(f"{base}/en/proposals/new/")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Scope").fill("Emergency services and drug checking services.")
    page.get_by_label("Purpose").fill("Detect nitazenes early and warn services within days.")
    page.get_by_label("Expected outcome").fill("A shared alert protocol and a network.")
    page.get_by_label("3.3 Addressing changing patterns").check()
    page.get_by_label("Start", exact=True).fill("2018-02-01")
    page.get_by_label("End", exact=True).fill("2018-10-31")
    page.get_by_label("Estimated cost (EUR)").fill("20000")
    page.get_by_label("Requested route").select_option("annual")
    page.get_by_label("Year of the annual programme").select_option("2018")
    page.get_by_label("Human-rights considerations").fill("No personal data are shared.")
    page.get_by_label("Gender considerations").fill("Data by sex; balanced network.")
    page.get_by_role("button", name="Save and submit").click()
    page.wait_for_url(re.compile(r".*/en/proposals/\d+/$"))
    detail = page.url
    assert "Proposal PR-" in page.locator("main").inner_text()
    assert page.get_by_test_id("status").inner_text() == "Submitted"

    # A German PC supports it.
    _as(page, base, "pc_de", "pc_fr")
    page.goto(detail)
    page.get_by_role("button", name="Support on behalf of DE").click()
    assert "Your delegation now supports" in page.locator("main").inner_text()
    assert "Germany" in page.get_by_test_id("supports").inner_text()

    # The Secretariat assigns two experts.
    _as(page, base, "secretariat", "pc_de")
    page.goto(detail)
    for name in ("Helena Varga", "Daniel Okafor"):
        page.get_by_label("Assessor").select_option(label=name)
        page.get_by_role("button", name="Assign").click()
        assert f"{name} now assesses" in page.locator("main").inner_text()
    assert page.get_by_test_id("status").inner_text() == "Under assessment"

    # Each expert scores every criterion and submits.
    _assess(page, base, "expert_health", "secretariat")
    _assess(page, base, "expert_justice", "expert_health")

    # The Secretariat sees the score and records the adoption at a PC meeting.
    _as(page, base, "secretariat", "expert_justice")
    page.goto(detail)
    assert "Recommended for adoption" in page.get_by_test_id("recommendation").inner_text()
    page.get_by_role("combobox", name="Outcome").select_option("adopted")
    page.get_by_label("Permanent Correspondents' meeting").select_option(index=1)
    page.get_by_label("Rationale").fill("Supported by Germany; well assessed.")
    page.get_by_role("button", name="Record the decision").click()
    assert "Decision recorded: Adopted." in page.locator("main").inner_text()
    activity_link = page.get_by_test_id("activity-link").locator("a")
    reference = activity_link.inner_text().split()[0]
    assert reference.startswith("PG-2018-")

    # The new activity is in the activity list.
    page.goto(f"{base}/en/activities/?search={reference}")
    rows = page.get_by_test_id("activity-table").locator("tbody tr")
    assert rows.count() == 1
    assert TITLE in rows.first.inner_text()


def test_a_bureau_member_votes_with_one_click_and_the_card_updates_in_place(
    page, live_server, demo
):
    base = live_server.url
    login(page, base, "bureau_nl")
    page.get_by_role("link", name="Urgent votes", exact=True).click()
    page.wait_for_url(f"{base}/en/proposals/urgent/")
    card = page.get_by_test_id("vote-card").first
    assert "You have not voted yet." in card.inner_text()
    approvals = int(re.search(r"Approve: (\d+)", card.inner_text()).group(1))
    page.evaluate("window.__same_page = true")  # gone if the browser loads a new page
    card.get_by_role("button", name="Approve").click()
    page.get_by_test_id("my-vote").filter(has_text="Your vote: Approve").wait_for()
    card = page.get_by_test_id("vote-card").first
    assert f"Approve: {approvals + 1}" in card.inner_text()
    assert card.get_by_role("button", name="Approve").get_attribute("aria-pressed") == "true"
    assert page.evaluate("window.__same_page === true")
    assert page.url == f"{base}/en/proposals/urgent/"
