import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_secretariat_filters_activities_by_priority_and_opens_one(page, live_server, demo):
    base = live_server.url
    login(page, base, "secretariat")
    page.get_by_role("link", name="Activities", exact=True).click()
    page.wait_for_url(f"{base}/en/activities/")
    page.get_by_label("Thematic priority").select_option(
        label="3.4 Identifying opportunities and challenges for drug policies arising from "
        "the internet"
    )
    page.get_by_label("Year").fill("2016")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/en/activities/?*thematic_priority=*")
    rows = page.get_by_test_id("activity-table").locator("tbody tr")
    titles = rows.locator("td:nth-child(2)").all_inner_texts()
    assert titles, "the filter should leave some activities"
    assert any("darknet" in t.lower() for t in titles)
    assert not any("MedNET" in t for t in titles)  # MedNET is under 3.1 and 3.3
    rows.first.locator("a").first.click()
    page.wait_for_url("**/en/activities/PG-*/")
    assert "3.4 Identifying opportunities" in page.locator("main").inner_text()
    assert page.get_by_role("heading", name="History").is_visible()
