"""Journeys of issue 10 (points 7, 8, 9), walked through the pages after the demo loads."""

from playwright.sync_api import expect

from tests.e2e.conftest import login


def _logout(page, base):
    page.context.clear_cookies()


def test_the_bureau_votes_with_comments_until_the_urgent_proposal_is_adopted(
    page, live_server, demo, check_page
):
    base = live_server.url
    # The demo's vote has 2 approvals and 1 abstention of 8; 5 approvals adopt.
    for number, member in enumerate(["bureau_be", "bureau_nl", "bureau_ch"]):
        login(page, base, member)
        page.get_by_role("link", name="Urgent votes").first.click()
        badge = page.get_by_test_id("pending-votes")
        expect(badge).to_have_text("1 awaits your vote")
        card = page.get_by_test_id("vote-card").first
        expect(card.get_by_test_id("vote-deadline")).to_be_visible()
        if number == 0:
            check_page(page, "urgent-votes")
        card.get_by_label("Comment (optional)").fill(f"Approved by {member}: urgent indeed.")
        card.get_by_role("button", name="Approve").click()
        # The badge updates in place (htmx out-of-band), without a reload.
        expect(badge).to_have_text("")
        if number < 2:
            expect(page.get_by_test_id("vote-card").first).to_contain_text(
                f"Approved by {member}: urgent indeed."
            )
        _logout(page, base)
    login(page, base, "bureau_cz")
    page.get_by_role("link", name="Urgent votes").first.click()
    decided = page.get_by_test_id("decided-row").filter(has_text="Synthetic cannabinoids")
    expect(decided.get_by_test_id("decided-outcome")).to_contain_text("Adopted")
    expect(decided).to_contain_text("5")
    expect(page.get_by_test_id("pending-votes")).to_have_text("")
    check_page(page, "urgent-votes-decided")


def test_each_dashboard_count_opens_a_list_of_exactly_that_many_rows(page, live_server, demo):
    base = live_server.url
    for user in ("secretariat", "pc_fr", "pc_de", "bureau_chair"):
        login(page, base, user)
        cards = page.locator(".dashboard-card")
        targets = []
        for index in range(cards.count()):
            card = cards.nth(index)
            count = card.locator(".count")
            link = card.locator("a")
            if not count.count() or not link.count():
                continue
            href = link.get_attribute("href")
            if "todo=" in href or "progress-reports" in href or "milestones_overdue" in href:
                targets.append((int(count.inner_text().replace(",", "")), link.inner_text(), href))
        assert targets, user
        for expected, label, href in targets:
            page.goto(base + href)
            if "/proposals/urgent/" in href:
                rows = page.get_by_test_id("vote-card").count()
            elif "/proposals/" in href or "/activities/" in href:
                rows = page.locator("main table tbody tr").count()
            else:
                rows = page.get_by_test_id("todo-row").count()
            assert rows == expected, (user, label, href)
        _logout(page, base)
