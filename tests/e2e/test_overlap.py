"""Overlap detection through the pages: a PC drafts a near-duplicate of a demo activity,
sees that activity first with the matching passages, marks it "builds on"; the assessor
reads the same items and the mark on the assessment page, the Secretariat on the
ranking."""

import datetime as dt
import re

import pytest

from tests.e2e.conftest import login
from tests.e2e.test_proposals import _logout

pytestmark = pytest.mark.e2e

ACTIVITY = "Human rights benchmarks for drug policies"


def test_a_near_duplicate_shows_the_demo_activity_first_and_is_marked(
    page, live_server, demo, check_page
):
    base = live_server.url
    login(page, base, "pc_fr")
    page.get_by_role("link", name="Proposals", exact=True).click()
    page.get_by_role("link", name="Draft a proposal").click()
    page.get_by_label("Title").fill("Benchmarks on human rights for national drug policies")
    page.get_by_label("Scope").fill(
        "Exchanges of experience between member States and an expert meeting."
    )
    page.get_by_label("Purpose").fill(
        "Write human rights benchmarks that drug policies should meet."
    )
    page.get_by_label("Expected outcome").fill("A report with recommendations.")
    page.get_by_label("3.1 ").check()
    page.get_by_role("textbox", name="Start", exact=True).fill("01/02/2018")
    page.get_by_role("textbox", name="End", exact=True).fill("31/10/2018")
    page.get_by_label("Estimated cost (EUR)").fill("20000")
    page.get_by_label("Year of the annual programme").select_option("2018")
    page.get_by_label("Human-rights considerations").fill("The subject itself.")
    page.get_by_label("Gender considerations").fill("Data by sex.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r".*/en/proposals/\d+/$"))
    detail = page.url

    # The draft's page: the demo activity first, its matching passages marked.
    similar = page.get_by_test_id("similar")
    first = similar.get_by_test_id("similar-item").first
    assert ACTIVITY in first.get_by_test_id("similar-title").inner_text()
    reference = first.get_attribute("data-reference")
    assert reference and reference.startswith("PG-")
    assert int(first.get_by_test_id("similar-score").inner_text().rstrip(" %")) >= 20
    passage = first.get_by_test_id("similar-passage").first
    assert passage.locator("mark").count() >= 3
    marked = " ".join(passage.locator("mark").all_inner_texts()).lower()
    assert "rights" in marked and "benchmarks" in marked
    check_page(page, "similar-on-draft")

    # She marks it "builds on"; the page says so and keeps it.
    first.get_by_role("button", name=f"Builds on it ({reference})").click()
    page.wait_for_url(f"{detail}#similar")
    assert f"{reference} marked “builds on”." in page.locator("main").inner_text()
    item = page.locator(f"[data-testid=similar-item][data-reference='{reference}']")
    assert "The proposer marked it: builds on" in item.get_by_test_id("similar-mark").inner_text()
    # She changes her mind, then back: the last mark counts.
    item.get_by_role("button", name=f"Not related ({reference})").click()
    page.wait_for_url(f"{detail}#similar")
    item = page.locator(f"[data-testid=similar-item][data-reference='{reference}']")
    assert "not related" in item.get_by_test_id("similar-mark").inner_text()
    item.get_by_role("button", name=f"Builds on it ({reference})").click()
    page.wait_for_url(f"{detail}#similar")

    # The edit page shows the same list; then she submits.
    page.get_by_role("link", name="Edit the draft").click()
    assert reference in page.get_by_test_id("similar").inner_text()
    check_page(page, "similar-on-edit")
    page.goto(detail)
    page.get_by_role("button", name="Submit", exact=True).click()
    assert page.get_by_test_id("status").inner_text() == "Submitted"
    history = page.locator("main").inner_text()
    assert f"Similar item {reference}" in history

    # The Secretariat assigns an assessor; the ranking shows the similar item.
    _logout(page, "pc_fr")
    login(page, base, "secretariat")
    page.goto(detail)
    due = (dt.date.today() + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    page.get_by_role("combobox", name="Assessor").select_option(label="Helena Varga")
    page.get_by_label("Due").fill(due)
    page.get_by_role("button", name="Assign").click()
    assert "Helena Varga now assesses" in page.locator("main").inner_text()
    page.goto(f"{base}/en/proposals/ranking/2018/")
    row = page.locator(
        "[data-testid=ranking-table] tbody tr", has_text="Benchmarks on human rights"
    )
    compact = row.get_by_test_id("similar-compact").inner_text()
    assert reference in compact and "builds on" in compact
    check_page(page, "similar-on-ranking")

    # The assessor reads the same items, and the mark, on the assessment page.
    _logout(page, "secretariat")
    login(page, base, "expert_health")
    page.goto(detail)
    page.get_by_role("link", name="Fill in your assessment").click()
    page.wait_for_url(re.compile(r".*/en/proposals/\d+/assessment/$"))
    similar = page.get_by_test_id("similar")
    first = similar.get_by_test_id("similar-item").first
    assert first.get_attribute("data-reference") == reference
    assert "The proposer marked it: builds on" in first.get_by_test_id("similar-mark").inner_text()
    assert first.get_by_role("button").count() == 0  # an assessor does not mark
    check_page(page, "similar-on-assessment")
