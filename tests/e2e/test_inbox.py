"""The inbox as a delegate lives it, through the pages: a French PC submits a proposal;
the German PC sees the unread count in the navigation, opens the inbox and the notice
(it is read, the count goes down, the proposal's page opens), then chooses the daily
digest for proposals to support and finds the choice saved when coming back."""

import re

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

TITLE = "Wastewater analysis for the Mediterranean ports"


def _unread(page) -> int:
    badge = page.get_by_test_id("unread-count")
    return int(badge.inner_text()) if badge.count() else 0


def test_a_delegate_reads_a_notice_and_chooses_the_daily_digest(
    page, live_server, demo, check_page
):
    from django.contrib.auth.models import User

    from programme.models import WorkProgramme
    from tests.proposals.factories import draft

    base = live_server.url
    programme = WorkProgramme.objects.order_by("-first_year").first()
    proposal = draft(User.objects.get(username="pc_fr"), programme, title=TITLE)

    # The French PC submits her draft: the other delegations hear of it.
    login(page, base, "pc_fr")
    page.goto(f"{base}/en/proposals/{proposal.pk}/")
    page.get_by_role("button", name="Submit", exact=True).click()
    assert page.get_by_test_id("status").inner_text() == "Submitted"
    page.get_by_role("button", name="Claire Dubois").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/logout/")

    # The German PC sees the count on the Inbox link, read out as words.
    login(page, base, "pc_de")
    before = _unread(page)
    assert before >= 1
    inbox_link = page.get_by_test_id("nav-inbox")
    assert f"{before} unread notice" in inbox_link.text_content()
    inbox_link.click()
    page.wait_for_url(f"{base}/en/inbox/")
    notice = page.get_by_test_id("notice").filter(has_text=f"Proposal submitted: {TITLE}")
    assert "unread" in notice.inner_text()
    check_page(page, "inbox")

    # Opening the notice leads to the proposal and marks it read.
    notice.get_by_role("link", name=f"Proposal submitted: {TITLE}").click()
    page.wait_for_url(re.compile(rf".*/en/proposals/{proposal.pk}/$"))
    assert TITLE in page.locator("main h1").inner_text()
    assert _unread(page) == before - 1
    page.get_by_test_id("nav-inbox").click()
    page.get_by_role("link", name="Unread", exact=True).click()
    assert (
        page.get_by_test_id("notice").filter(has_text=f"Proposal submitted: {TITLE}").count() == 0
    )

    # Proposals to support: in a daily digest from now on.
    page.get_by_role("link", name="How I hear of each kind of notice").click()
    page.wait_for_url(f"{base}/en/inbox/preferences/")
    choice = page.get_by_test_id("preference-proposal_submitted")
    assert choice.get_by_label("E-mail at once").is_checked()
    choice.get_by_label("A daily digest by e-mail").check()
    check_page(page, "preferences")
    page.get_by_role("button", name="Save my preferences").click()
    assert "Your preferences are saved." in page.locator("main").inner_text()

    # Back later, from the inbox: the choice is as saved, the others untouched.
    page.get_by_test_id("nav-inbox").click()
    page.get_by_role("link", name="How I hear of each kind of notice").click()
    choice = page.get_by_test_id("preference-proposal_submitted")
    assert choice.get_by_label("A daily digest by e-mail").is_checked()
    assert not choice.get_by_label("E-mail at once").is_checked()
    vote = page.get_by_test_id("preference-vote_needed")
    assert vote.get_by_label("E-mail at once").is_checked()
