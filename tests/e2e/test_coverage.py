"""The Secretariat finds which running activities lack their human-rights or gender
considerations: an activity's gender considerations are emptied on its edit page; the
evaluation overview's coverage (programme and year chosen) counts it and lists it; its
link opens the activity list filtered on the same activities."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_the_coverage_shows_an_activity_that_lacks_its_gender_considerations(
    page, live_server, demo, check_page
):
    base = live_server.url
    login(page, base, "secretariat")

    # The demo record as it stands: every activity of 2016 states both.
    page.goto(f"{base}/en/evaluation/")
    coverage = page.get_by_test_id("coverage")
    coverage.get_by_label("Year", exact=True).fill("2016")
    coverage.get_by_role("button", name="Show the coverage").click()
    summary = page.get_by_test_id("coverage-summary")
    expect(summary).to_contain_text("In 2016, ")
    before = summary.inner_text()
    expect(page.get_by_test_id("coverage-none-missing")).to_be_visible()
    check_page(page, "coverage-complete")

    # An activity of 2016 loses its gender considerations, through its edit page.
    page.goto(f"{base}/en/activities/?year=2016&ordering=reference")
    first = page.get_by_test_id("activity-table").locator("tbody tr a").first
    reference = first.inner_text()
    first.click()
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Gender considerations").fill("")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/en/activities/{reference}/")

    page.goto(f"{base}/en/evaluation/")
    coverage = page.get_by_test_id("coverage")
    coverage.get_by_label("Work programme").select_option(
        label="Pompidou Group Work Programme 2015–2018 (P-PG/MinConf (2014) 4)"
    )
    coverage.get_by_label("Year", exact=True).fill("2016")
    coverage.get_by_role("button", name="Show the coverage").click()
    summary = page.get_by_test_id("coverage-summary")
    expect(summary).not_to_have_text(before)
    missing = page.get_by_test_id("coverage-missing")
    row = missing.locator("tr", has_text=reference)
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(3)).to_have_text("missing")
    expect(row.locator("td").nth(2)).to_have_text("stated")
    # The chart's figures as a table, for those who read figures.
    page.get_by_text("Show the figures as a table").last.click()
    expect(page.get_by_test_id("chart-coverage-table")).to_be_visible()
    check_page(page, "coverage-lacking")

    # The same activities in the activity list, through its filter.
    page.get_by_test_id("coverage-list-link").click()
    page.wait_for_url("**/en/activities/?considerations=missing*")
    expect(page.get_by_label("Human rights and gender")).to_have_value("missing")
    links = page.get_by_test_id("activity-table").locator("tbody tr a")
    expect(links).to_have_count(1)
    expect(links.first).to_have_text(reference)
    check_page(page, "activities-considerations-missing")
