"""Each role's key pages, reached by clicking, pass axe-core at 1366 px and 390 px.

One login per role; every page is screenshotted at both widths into
tests/e2e/artifacts/<test name>/ and checked for serious or critical
violations. All pages of a role are checked before the test fails, so one
run lists every violation.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, axe_violations, describe_violations, login

pytestmark = pytest.mark.e2e


class PageChecks:
    """Collects the violations of every page checked in one test."""

    def __init__(self, page, check_page):
        self.page = page
        self.check_page = check_page
        self.failures = []

    def check(self, name):
        violations = self.check_page(self.page, name, fail=False)
        if violations:
            self.failures.append(f"{name} ({self.page.url}):\n{describe_violations(violations)}")

    def assert_clean(self):
        if self.failures:
            pytest.fail(
                "Serious or critical accessibility violations:\n" + "\n".join(self.failures),
                pytrace=False,
            )


def nav(page, name):
    """Click an entry of the main navigation, opening its dropdown if it sits in one."""
    navbar = page.get_by_role("navigation", name="Main navigation")
    link = navbar.get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        navbar.get_by_role("button", name="Evaluation", exact=True).click()
    link.click()
    page.wait_for_load_state()


def click_in_main(page, selector):
    with page.expect_navigation():
        page.locator("main").locator(selector).first.click()


@pytest.fixture
def checks(page, check_page):
    return PageChecks(page, check_page)


def test_an_anonymous_visitors_pages_are_accessible(page, live_server, demo, checks):
    base = live_server.url
    page.goto(f"{base}/en/programme/")
    checks.check("programme")

    click_in_main(page, "a[href*='/programme/priorities/']")
    checks.check("priority")
    nav(page, "Programme")
    click_in_main(page, "a[href*='/programme/formats/']")
    checks.check("format")

    nav(page, "Activities")
    checks.check("activities")
    click_in_main(page, "table a[href*='/activities/PG-']")
    assert re.search(r"/en/activities/PG-[\w-]+/$", page.url)
    checks.check("activity")

    nav(page, "Annual programmes")
    checks.check("annual-programmes")
    click_in_main(page, "a[href$='/annual-programmes/2016/']")
    checks.check("annual-programme-2016")

    page.get_by_role("link", name="Log in", exact=True).click()
    page.wait_for_url(re.compile(r"/en/accounts/login/"))
    checks.check("login")
    page.locator("main form button[type=submit]").click()  # empty form: errors shown
    page.wait_for_load_state()
    checks.check("login-with-errors")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.wait_for_url(re.compile(r"/en/accounts/password_reset/"))
    checks.check("password-reset")

    checks.assert_clean()


def test_a_permanent_correspondents_pages_are_accessible(page, live_server, demo, checks):
    login(page, live_server.url, "pc_fr")
    checks.check("dashboard")

    nav(page, "Proposals")
    checks.check("proposals")
    click_in_main(page, "table a[href*='/proposals/']")
    checks.check("proposal")

    nav(page, "Proposals")
    click_in_main(page, "a[href$='/proposals/new/']")
    checks.check("proposal-form")

    nav(page, "My feedback requests")
    checks.check("my-feedback-requests")

    checks.assert_clean()


def test_the_secretariats_pages_are_accessible(page, live_server, demo, checks):
    login(page, live_server.url, "secretariat")
    checks.check("dashboard")

    nav(page, "Proposals")
    checks.check("proposals")
    click_in_main(page, "a[href$='/proposals/ranking/2018/']")
    checks.check("ranking-2018")

    nav(page, "Proposals")
    click_in_main(page, "table a[href*='/proposals/']")
    checks.check("proposal")

    nav(page, "Evaluation")
    checks.check("evaluation-overview")

    nav(page, "Annual programmes")
    click_in_main(page, "a[href$='/annual-programmes/2016/']")
    checks.check("annual-programme-2016")

    nav(page, "Activities")
    click_in_main(page, "table a[href*='/activities/PG-']")
    checks.check("activity")
    click_in_main(page, "a[href$='/edit/']")
    checks.check("activity-form")
    page.go_back()
    # The activity's evaluation tab, from its page (the overview links only the
    # activities with something overdue, and the demo's programme is history).
    click_in_main(page, "a[href*='/evaluation/activities/']")
    checks.check("activity-evaluation")

    page.get_by_role("button", name="Sophie Laurent").click()
    page.get_by_role("link", name="The Bureau").first.click()
    page.wait_for_url(re.compile(r"/en/bureau/"))
    checks.check("bureau")
    page.get_by_role("button", name="Sophie Laurent").click()
    page.get_by_role("link", name="Change password").click()
    page.wait_for_url(re.compile(r"/en/accounts/password_change/"))
    checks.check("password-change")
    page.get_by_role("button", name="Sophie Laurent").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url(re.compile(r"/en/accounts/logout/"))
    checks.check("logged-out")

    checks.assert_clean()


def test_the_bureau_chairs_pages_are_accessible(page, live_server, demo, checks):
    login(page, live_server.url, "bureau_chair")
    checks.check("dashboard")

    nav(page, "Urgent votes")
    checks.check("urgent-votes")

    nav(page, "Evaluation overview")
    checks.check("evaluation-overview")

    nav(page, "My feedback requests")
    checks.check("my-feedback-requests")

    checks.assert_clean()


def test_the_menu_opened_on_a_phone_is_accessible(page, live_server, demo, request):
    login(page, live_server.url, "bureau_chair")
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="Show or hide the menu").click()
    navbar = page.get_by_role("navigation", name="Main navigation")
    navbar.get_by_role("button", name="Evaluation", exact=True).click()
    expect(navbar.get_by_role("link", name="Evaluation overview")).to_be_visible()
    page.wait_for_timeout(400)  # the collapse animation
    out = ARTIFACTS / request.node.name
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / "menu-open-390.png"), full_page=True)
    violations = [{**v, "width": 390} for v in axe_violations(page)]
    assert not violations, describe_violations(violations)


def test_an_experts_pages_are_accessible(page, live_server, demo, checks):
    login(page, live_server.url, "expert_health")
    checks.check("dashboard")

    nav(page, "My feedback requests")
    checks.check("my-feedback-requests")

    nav(page, "Proposals")
    checks.check("proposals")
    page.get_by_label("Status").select_option(label="Under assessment")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    checks.check("proposals-filtered")
    click_in_main(page, "table a[href*='/proposals/']")
    checks.check("proposal")
    click_in_main(page, "a[href$='/assessment/']")
    checks.check("assessment")

    # An address the expert may not use: the refusal is a page of the portal.
    response = page.goto(f"{live_server.url}/en/proposals/new/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "You are not allowed to do this"
    checks.check("forbidden")

    checks.assert_clean()


def test_a_missing_page_is_a_portal_page_and_accessible(page, live_server, demo, checks):
    response = page.goto(f"{live_server.url}/en/activities/PG-1999-999/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    checks.check("not-found")
    checks.assert_clean()
    page.get_by_role("link", name="Read the work programme").click()
    page.wait_for_url(re.compile(r"/en/programme/$"))
