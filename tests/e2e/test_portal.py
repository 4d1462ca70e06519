import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_secretariat_logs_in_reads_the_programme_in_french_and_logs_out(page, live_server, demo):
    base = live_server.url
    login(page, base, "secretariat")
    expect(page.get_by_role("heading", name="Welcome, Sophie")).to_be_visible()

    page.get_by_role("link", name="Programme", exact=True).click()
    page.wait_for_url(f"{base}/en/programme/")
    assert page.title().startswith("Pompidou Group Work Programme 2015–2018")
    expect(page.locator("#priority-33")).to_be_visible()

    page.get_by_test_id("lang-fr").click()
    page.wait_for_url(f"{base}/fr/programme/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Priorités thématiques" in page.locator("#priorities-title").inner_text()
    expect(page.get_by_role("link", name="Mes tâches", exact=True)).to_be_visible()

    page.get_by_role("button", name="Sophie Laurent").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url(f"{base}/fr/accounts/logout/")
    assert page.get_by_role("heading", level=1).inner_text() == "Votre session est fermée"
    page.goto(f"{base}/fr/")
    assert "/fr/accounts/login/" in page.url


def test_skip_link_reaches_the_main_content(page, live_server, demo):
    page.goto(f"{live_server.url}/en/programme/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
