"""A person who follows a bad link — a year out of range, an address holding a NUL —
sees a clear page with a way on, never a server error."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_a_year_out_of_range_in_a_shared_link_shows_the_filter_error(page, live_server, demo):
    base = live_server.url
    login(page, base, "secretariat")
    response = page.goto(f"{base}/en/activities/?year=0")
    assert response.status == 400
    assert (
        "Ensure this value is greater than or equal to 1900." in page.locator("main").inner_text()
    )

    # The person corrects the year in the form and gets the activities of that year.
    page.get_by_label("Year").fill("2016")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/en/activities/?*year=2016*")
    rows = page.get_by_test_id("activity-table").locator("tbody tr")
    assert rows.count() > 0
    assert "greater than or equal" not in page.locator("main").inner_text()


def test_an_address_with_a_nul_shows_page_not_found_with_a_way_back(page, live_server, demo):
    base = live_server.url
    login(page, base, "secretariat")
    response = page.goto(f"{base}/en/activities/PG-2018-010%00/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    page.get_by_role("link", name="Back to my tasks").click()
    page.wait_for_url(f"{base}/en/")
    expect(page.get_by_role("heading", name="Welcome, Sophie")).to_be_visible()
