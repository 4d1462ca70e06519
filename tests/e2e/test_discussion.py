"""The discussion under a proposal, walked in Chromium through the pages only: a PC
of another delegation comments (mentioning the proposer, with a link), the proposer's
PC reads the mention and replies, an assessor writes in the assessors' channel, which
the proposer's PC does not see; the first PC edits, and everyone reads the earlier
text."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

TITLE = "Feasibility of needle exchange in prisons"  # Poland's, in the demo
NAMES = {"pc_de": "Jonas Weber", "pc_pl": "Piotr Nowak", "expert_health": "Helena Varga"}
REMARK = "How many prisons would take part, @pc_pl? See https://www.coe.int/pompidou"
REPLY = "Four prisons in the first year."
NOTE = "Criterion 4: the cost per prison seems low."


def _as(page, base, username, previous=None):
    if previous:
        page.get_by_role("button", name=NAMES[previous]).click()
        page.get_by_test_id("logout").click()
        page.wait_for_url("**/accounts/logout/")
    login(page, base, username)


def _open(page):
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Proposals", exact=True
    ).click()
    page.locator("main table tbody tr", has_text=TITLE).get_by_role("link").first.click()
    page.wait_for_url(re.compile(r".*/en/proposals/\d+/$"))


def test_a_discussion_with_a_reply_and_an_assessors_channel_the_proposer_does_not_see(
    page, live_server, demo, check_page
):
    base = live_server.url

    # Germany's PC comments, mentioning Poland's PC; an empty comment first: the reason.
    _as(page, base, "pc_de")
    _open(page)
    public = page.get_by_test_id("channel-public")
    expect(page.get_by_test_id("channel-assessors")).to_have_count(0)
    form = page.get_by_test_id("comment-form-public")
    form.get_by_role("button", name="Post the comment").click()
    expect(page.get_by_test_id("comment-form-public")).to_contain_text("This field is required.")
    page.get_by_test_id("comment-form-public").get_by_label("Your comment").fill(REMARK)
    page.get_by_test_id("comment-form-public").get_by_role(
        "button", name="Post the comment"
    ).click()
    comment = public.get_by_test_id("comment").first
    expect(comment).to_contain_text("How many prisons would take part, Piotr Nowak?")
    link = comment.get_by_role("link", name="https://www.coe.int/pompidou")
    expect(link).to_have_attribute("rel", "nofollow noopener")

    # Poland's PC reads the mention by name and replies in the thread.
    _as(page, base, "pc_pl", previous="pc_de")
    _open(page)
    expect(public.get_by_test_id("comment").first).to_contain_text("Piotr Nowak")
    public.locator("summary", has_text="Reply").first.click()
    reply = public.get_by_test_id("reply-form").first
    reply.get_by_label("Your reply").fill(REPLY)
    reply.get_by_role("button", name="Post the reply").click()
    expect(public.get_by_label("Replies").first).to_contain_text(REPLY)
    expect(public.get_by_label("Replies").first).to_contain_text(NAMES["pc_pl"])

    # The assessor reads both channels and writes to the other assessors.
    _as(page, base, "expert_health", previous="pc_pl")
    _open(page)
    expect(public).to_contain_text(REPLY)
    assessors = page.get_by_test_id("channel-assessors")
    assessors.get_by_label("Your comment").fill(NOTE)
    assessors.get_by_role("button", name="Post to the assessors").click()
    expect(page.get_by_test_id("channel-assessors").get_by_test_id("comment")).to_contain_text(NOTE)
    check_page(page, "assessor-both-channels")

    # Germany's PC edits the comment: the earlier text stays readable.
    _as(page, base, "pc_de", previous="expert_health")
    _open(page)
    expect(page.get_by_text(NOTE)).to_have_count(0)
    public.get_by_test_id("comment").first.get_by_role("link", name="Edit").click()
    page.get_by_label("Your comment").fill("How many prisons, @pc_pl, and which ones?")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/en/proposals/\d+/#comment-\d+$"))

    # Poland's PC: the reply, the edit and its history; no assessors' channel, no note.
    _as(page, base, "pc_pl", previous="pc_de")
    _open(page)
    first = public.get_by_test_id("comment").first
    expect(first).to_contain_text("How many prisons, Piotr Nowak, and which ones?")
    expect(first.get_by_test_id("edited")).to_be_visible()
    first.locator("summary", has_text="1 earlier version").click()
    expect(first.get_by_test_id("versions")).to_contain_text(REMARK)
    expect(page.get_by_test_id("channel-assessors")).to_have_count(0)
    expect(page.get_by_text(NOTE)).to_have_count(0)
    check_page(page, "proposer-public-discussion")
