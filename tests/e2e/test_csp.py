"""The main pages of each role run in Chromium under the Content-Security-Policy
without a single refusal: menus, charts, searchable selects, htmx fragments, the
back office and the API documentation all work without inline code.

The `page` fixture records every violation (tests/e2e/conftest.py) and fails any
browser test that caused one; here each page is also checked as it is visited,
so a failure names the page.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def visit(page, url, csp_violations):
    """Open url, let its scripts and fragments run, and require the policy and no refusal."""
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
    page.wait_for_load_state("networkidle")
    assert not csp_violations, f"{url}:\n  " + "\n  ".join(csp_violations)


def first_link(page, pattern: str) -> str:
    href = page.locator("main").locator(f"a[href*='{pattern}']").first.get_attribute("href")
    assert href, pattern
    return href


def test_the_listener_catches_a_refused_inline_script_and_style(
    page, live_server, demo, csp_violations
):
    # The control: without it, an empty list would prove nothing.
    visit(page, f"{live_server.url}/en/programme/", csp_violations)
    page.evaluate(
        """() => {
            const s = document.createElement("script"); s.textContent = "window.ran = 1";
            document.body.append(s);
            document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>');
        }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.ran === undefined"), "the inline script ran"
    assert any("script-src" in v for v in csp_violations), csp_violations
    assert any("style-src" in v for v in csp_violations), csp_violations
    csp_violations.clear()


def test_an_anonymous_visitors_pages_and_the_api_docs_run_under_the_policy(
    page, live_server, demo, csp_violations
):
    base = live_server.url
    for path in ("/en/programme/", "/en/activities/", "/en/annual-programmes/"):
        visit(page, base + path, csp_violations)
    visit(page, base + "/en/programme/", csp_violations)
    visit(page, base + first_link(page, "/programme/priorities/"), csp_violations)
    visit(page, base + "/en/activities/", csp_violations)
    visit(page, base + first_link(page, "/activities/PG-"), csp_violations)
    visit(page, f"{base}/en/annual-programmes/2016/", csp_violations)
    page.get_by_label("Activity format").select_option(index=1)  # the entries' filter
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_test_id("entries-all")).to_be_visible()
    visit(page, f"{base}/en/accounts/login/", csp_violations)

    # Swagger UI: its start script is loaded from /api/docs/?script and draws the operations.
    visit(page, f"{base}/api/docs/", csp_violations)
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 10
    page.locator(".opblock-summary").first.click()  # open an operation (React renders it)
    page.wait_for_timeout(300)
    assert not csp_violations, csp_violations


def test_a_correspondents_pages_run_under_the_policy(page, live_server, demo, csp_violations):
    base = live_server.url
    login(page, base, "pc_fr")
    assert not csp_violations, csp_violations
    visit(page, f"{base}/en/proposals/", csp_violations)
    visit(page, base + first_link(page, "/proposals/"), csp_violations)
    visit(page, f"{base}/en/proposals/new/", csp_violations)  # proposal-form.js
    visit(page, f"{base}/en/evaluation/feedback/", csp_violations)
    # The user menu (Bootstrap's dropdown) opens.
    page.get_by_role("button", name=re.compile(r"\(FR\)")).click()
    expect(page.get_by_role("link", name="Change password")).to_be_visible()
    assert not csp_violations, csp_violations


def test_the_secretariats_pages_and_the_back_office_run_under_the_policy(
    page, live_server, demo, csp_violations
):
    base = live_server.url
    login(page, base, "secretariat")
    visit(page, f"{base}/en/proposals/ranking/2018/", csp_violations)
    visit(page, f"{base}/en/evaluation/", csp_violations)
    assert page.locator("canvas[data-chart]").count() > 0  # drawn by Chart.js
    visit(page, f"{base}/en/activities/", csp_violations)
    activity = first_link(page, "/activities/PG-")
    visit(page, base + activity + "edit/", csp_violations)  # Tom Select
    assert page.locator(".ts-wrapper").count() > 0
    visit(page, base + activity, csp_violations)
    visit(page, base + first_link(page, "/evaluation/activities/"), csp_violations)
    visit(page, f"{base}/en/bureau/", csp_violations)
    # The back office: Django's admin scripts (filters, actions, related-object widgets).
    visit(page, f"{base}/en/admin/", csp_violations)
    visit(page, f"{base}/en/admin/activities/activity/", csp_violations)
    visit(page, base + first_link(page, "/admin/activities/activity/"), csp_violations)
    visit(page, f"{base}/en/admin/auth/user/", csp_violations)
    assert not csp_violations, csp_violations


def test_a_bureau_members_and_an_experts_pages_run_under_the_policy(
    page, live_server, demo, csp_violations
):
    base = live_server.url
    login(page, base, "bureau_chair")
    visit(page, f"{base}/en/proposals/urgent/", csp_violations)  # htmx vote cards
    visit(page, f"{base}/en/evaluation/", csp_violations)
    page.get_by_test_id("logout").dispatch_event("click")
    page.wait_for_url(re.compile(r"/accounts/logout/"))

    login(page, base, "expert_health")
    visit(page, f"{base}/en/proposals/?status=under_assessment", csp_violations)
    visit(page, base + first_link(page, "/proposals/"), csp_violations)
    assessment = page.locator("main a[href$='/assessment/']")
    if assessment.count():
        visit(page, base + assessment.first.get_attribute("href"), csp_violations)
    assert not csp_violations, csp_violations
