"""Deadlines in the browser: the Secretariat sets a support deadline on a proposal, a
PC of another delegation finds it in "Due this week" on the dashboard and opens it."""

import datetime as dt
import re

import pytest

from tests.e2e.test_proposals import _as, _open_proposal

pytestmark = pytest.mark.e2e

# A demo proposal of Spain, submitted in 2018 and supported by Portugal: its support
# deadline passed long ago.
TITLE = "Prevention in digital environments for young people"


def test_a_support_deadline_set_by_the_secretariat_is_due_this_week_for_another_pc(
    page, live_server, demo, check_page
):
    base = live_server.url
    day = dt.date.today() + dt.timedelta(days=2)

    # The Secretariat opens the proposal: supports closed; she sets a new deadline.
    _as(page, base, "secretariat")
    _open_proposal(page, TITLE)
    detail = page.url
    supports = page.get_by_test_id("supports")
    assert "Supports closed on" in supports.inner_text()
    form = page.get_by_test_id("support-deadline-form")
    # A day in the past is refused with a message, and nothing changes.
    form.get_by_label("New deadline").fill("01/01/2020")
    form.get_by_role("button", name="Set the deadline").click()
    assert "The deadline cannot be in the past." in page.locator("main").inner_text()
    assert "Supports closed on" in page.get_by_test_id("supports").inner_text()
    form = page.get_by_test_id("support-deadline-form")
    form.get_by_label("New deadline").fill(day.strftime("%d/%m/%Y"))
    form.get_by_role("button", name="Set the deadline").click()
    page.wait_for_url(detail)
    written = f"{day.day} {day.strftime('%B')} {day.year}"
    assert f"The deadline is now {written}." in page.locator("main").inner_text()
    assert (
        f"Supports are open until {written}."
        in page.get_by_test_id("support-deadline").inner_text()
    )
    check_page(page, "proposal-support-deadline")

    # A German PC sees it due this week on the dashboard and opens it from there.
    _as(page, base, "pc_de", "secretariat")
    panel = page.get_by_test_id("due-this-week")
    assert "Due this week" in panel.inner_text()
    item = panel.locator("li", has_text=TITLE)
    assert "Support to give" in item.inner_text()
    check_page(page, "dashboard-due-this-week")
    item.get_by_role("link").click()
    page.wait_for_url(re.compile(r".*/en/proposals/\d+/$"))
    assert page.url == detail
    assert (
        f"Supports are open until {written}."
        in page.get_by_test_id("support-deadline").inner_text()
    )
    page.get_by_role("button", name="Support on behalf of DE").click()
    assert "Your delegation now supports" in page.locator("main").inner_text()

    # Supported: nothing is due for Germany any more.
    page.get_by_role("link", name="My tasks").first.click()
    panel = page.get_by_test_id("due-this-week")
    assert TITLE not in panel.inner_text()
    assert "Nothing is due in the next seven days." in panel.inner_text()
