"""The navigation's search box, walked in Chromium: a delegate types words, reads the
typed and marked results (their own delegation's draft, not another's), and opens one."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def _search_from_the_nav(page, words: str) -> None:
    box = page.get_by_role("search").get_by_label("Search the portal")
    box.fill(words)
    box.press("Enter")
    page.wait_for_url(re.compile(r".*/en/search/\?q="))


def test_a_delegate_searches_from_the_navigation_and_opens_a_result(
    page, live_server, demo, check_page
):
    base = live_server.url
    login(page, base, "pc_fr")

    _search_from_the_nav(page, "treatment")
    results = page.get_by_test_id("search-results")
    mednet = results.locator("li", has_text="MedNET: treatment quality standards in North Africa")
    assert mednet.locator(".badge").inner_text() == "Proposal"
    assert mednet.locator("mark").first.inner_text().lower() == "treatment"
    # The box keeps the words, and the kinds found are counted.
    assert page.get_by_role("search").first.get_by_role("searchbox").input_value() == "treatment"
    expect(page.get_by_test_id("kind-proposal")).to_be_visible()
    check_page(page, "search results")

    # Drafts: their own delegation's is found, Germany's is not.
    _search_from_the_nav(page, "drug checking services")
    expect(page.get_by_test_id("search-none")).to_be_visible()
    assert "Drug checking services" not in page.locator("main").inner_text()
    _search_from_the_nav(page, "women")
    expect(
        page.get_by_test_id("search-results").locator(
            "li", has_text="Women who use drugs: access to services"
        )
    ).to_be_visible()

    # A French word finds the programme's priorities by their French titles.
    _search_from_the_nav(page, "drogues")
    page.get_by_test_id("kind-priority").click()
    priorities = page.get_by_test_id("search-results").locator("li")
    assert priorities.count() == 4
    assert priorities.first.locator(".badge").inner_text() == "Thematic priority"

    # Open a result.
    _search_from_the_nav(page, "treatment")
    page.get_by_test_id("search-results").get_by_role(
        "link", name="MedNET: treatment quality standards in North Africa"
    ).click()
    page.wait_for_url(re.compile(r".*/en/proposals/\d+/$"))
    assert (
        "MedNET: treatment quality standards in North Africa"
        in page.get_by_role("heading", level=1).inner_text()
    )
