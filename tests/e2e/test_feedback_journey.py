"""Feedback on an activity, in the browser (issue 10, point 8): the Secretariat asks a
named expert and an invitee without an account from the activity's evaluation tab and
sees them "invited"; asking the same again is refused; the e-mails go out; the invitee
answers once through the signed link of the e-mail, the expert through "My feedback
requests"; the Secretariat sees both "answered" and compiles the evaluation report of
the activity's year from the page.

Only the login page and the e-mailed link are typed into the address bar: a person
opens the link from their mail. Tasks run in process (eager Celery), so the e-mails
are in the outbox once the page that sent them has come back."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import COMPILE_TIMEOUT, login

pytestmark = pytest.mark.e2e

QUESTIONS = "Did the seminar change how your service works with young people?"
INVITEE = "Ana Costa <ana.costa@example.org>"
LINK = re.compile(r"https?://\S+/feedback/answer/\S+/")


def _menu(page):
    return page.get_by_role("navigation", name="Main navigation")


def _log_out(page) -> None:
    page.context.clear_cookies()


def _open_evaluation_tab(page, reference: str) -> None:
    """From the Activities menu: search the reference, open it, then its evaluation."""
    _menu(page).get_by_role("link", name="Activities").click()
    page.get_by_label("Search", exact=True).fill(reference)
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    page.locator("main table").get_by_role("link", name=reference, exact=True).click()
    page.locator("main").get_by_role("link", name="Evaluation", exact=True).click()
    page.wait_for_url(re.compile(rf"/en/evaluation/activities/{re.escape(reference)}/"))


def _fill_request(page, deadline: dt.date, check=None) -> None:
    section = page.locator("section#feedback")
    details = section.locator("details", has_text="Ask for feedback")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    form = details.locator("form")
    form.get_by_label("Audience").select_option(label="Named people")
    form.get_by_label("Questions").fill(QUESTIONS)
    form.get_by_label("Deadline").fill(deadline.strftime("%d/%m/%Y"))  # as people type it
    # A searchable list: type part of the name, pick the person.
    people = form.get_by_role("combobox", name="Named people")
    people.focus()
    if check:
        # A name nobody has: the open list says so, and stays a valid listbox.
        page.keyboard.type("Zzyzx")
        expect(page.locator(".ts-dropdown").get_by_text("Nobody of that name.")).to_be_visible()
        check(page, "request-nobody-of-that-name")
        for _ in "Zzyzx":
            page.keyboard.press("Backspace")
    page.keyboard.type("Varga")
    page.locator(".ts-dropdown .option", has_text="(expert_health)").click()
    page.keyboard.press("Escape")
    # The list closes after the key: until it has, an empty listbox is on the page.
    page.locator("#fb_recipients-ts-dropdown").wait_for(state="hidden")
    form.get_by_label("Invitees without an account").fill(INVITEE)


def _answer(form, ratings: dict[str, int], comments: str) -> None:
    for name, value in ratings.items():
        group = form.get_by_role("group", name=re.compile(rf"^{name}"))
        group.get_by_label(str(value), exact=True).check()
    form.get_by_label("Comments").fill(comments)
    form.get_by_role("button", name="Send my feedback").click()


def _states(page) -> dict[str, str]:
    rows = page.get_by_test_id("feedback-recipient")
    states = {}
    for text in rows.all_inner_texts():
        name, _, state = text.strip().rpartition(" ")
        states[name.strip()] = state
    return states


def test_the_secretariat_asks_an_expert_and_an_invitee_who_answer_and_the_report_is_compiled(
    page, live_server, demo, media, settings, tmp_path, check_page
):
    from activities.models import Activity

    base = live_server.url
    # The e-mailed links point at the portal under test; the outbox is in this process.
    settings.PORTAL_BASE_URL = base
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    activity = (
        Activity.objects.filter(feedback_requests__isnull=True, status="completed")
        .order_by("-start_date", "reference")
        .first()
    )
    assert activity is not None, "the demo has completed activities no one was asked about"
    reference, year = activity.reference, activity.start_date.year
    deadline = timezone.localdate() + dt.timedelta(days=14)

    # The Secretariat asks a named expert and an invitee from the evaluation tab.
    login(page, base, "secretariat")
    _open_evaluation_tab(page, reference)
    _fill_request(page, deadline, check=check_page)
    check_page(page, "request-form")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url(f"**/en/evaluation/activities/{reference}/#feedback")
    assert "Feedback request opened." in page.locator("main").inner_text()
    assert _states(page) == {"Helena Varga": "invited", INVITEE: "invited"}

    # The same request again: refused next to the recipients, nothing more sent.
    _fill_request(page, deadline)
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url(f"**/en/evaluation/activities/{reference}/feedback-requests/#ask-feedback")
    refusal = page.locator("section#feedback form").get_by_text(
        "The same request (same questions and recipients) is already open on this activity, "
        f"until {deadline.day} {deadline:%B %Y}."
    )
    expect(refusal).to_be_in_viewport()  # the page comes back at the form, not its top
    assert page.get_by_role("alert").filter(has_text="Please correct the errors below.").count()
    assert len(page.get_by_test_id("feedback-recipient").all()) == 2
    check_page(page, "request-refused")

    # Each got one e-mail: the expert a link to their requests, the invitee the signed link.
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert sorted(by_address) == ["ana.costa@example.org", "expert_health@pompidou.example"]
    assert f"{base}/en/evaluation/feedback/\n" in by_address["expert_health@pompidou.example"]
    link = LINK.search(by_address["ana.costa@example.org"]).group(0)
    assert link.startswith(base)
    _log_out(page)

    # The invitee opens the link from her mail in a browser of her own, and answers.
    invitee = page.context.browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    try:
        anonymous = invitee.new_page()
        anonymous.set_default_timeout(15_000)
        anonymous.goto(link)
        assert anonymous.get_by_role("heading", level=1).inner_text().startswith("Your feedback on")
        assert QUESTIONS in anonymous.locator("main").inner_text()
        check_page(anonymous, "answer-link")
        _answer(
            anonymous.get_by_test_id("answer-form"),
            {"Relevance": 5, "Quality": 4, "Usefulness": 4, "Likely impact": 3},
            "The follow-up visit made the difference.",
        )
        anonymous.wait_for_url("**/en/evaluation/feedback/thanks/")
        expect(anonymous.get_by_test_id("thanks")).to_be_visible()
        check_page(anonymous, "answer-thanks")

        # The link works once.
        response = anonymous.goto(link)
        assert response.status == 410
        assert "already been used" in anonymous.locator("main").inner_text()
        assert anonymous.get_by_test_id("answer-form").count() == 0
    finally:
        invitee.close()

    # The expert finds the request under "My feedback requests" and answers it.
    login(page, base, "expert_health")
    _menu(page).get_by_role("link", name="My feedback requests").click()
    request = page.locator("article", has_text=reference)
    assert QUESTIONS in request.inner_text()
    check_page(page, "my-feedback-requests")
    _answer(
        request.get_by_test_id("answer-form"),
        {"Relevance": 4, "Quality": 4, "Usefulness": 5, "Likely impact": 4},
        "Good material; share the slides.",
    )
    page.wait_for_url("**/en/evaluation/feedback/")
    assert f"Thank you: your feedback on {reference} is recorded." in page.inner_text("main")
    assert page.locator("article", has_text=reference).count() == 0
    _log_out(page)

    # The Secretariat sees both answered, the means and both comments.
    login(page, base, "secretariat")
    _open_evaluation_tab(page, reference)
    assert _states(page) == {"Helena Varga": "answered", INVITEE: "answered"}
    results = page.locator("[data-testid^='feedback-results-']")
    assert "Mean ratings (1–5) from 2 answers" in results.inner_text()
    assert results.locator("tbody td").all_inner_texts() == ["4.5", "4.0", "4.5", "3.5"]
    feedback = page.locator("section#feedback").inner_text()
    assert "The follow-up visit made the difference." in feedback
    assert "Good material; share the slides." in feedback
    check_page(page, "evaluation-tab-answered")

    # ... and compiles the evaluation report of the activity's year from the page.
    _menu(page).get_by_role("link", name="Evaluation").click()
    form = page.get_by_test_id("compile-report")
    form.get_by_label("From (year)").select_option(str(year))
    form.get_by_label("To (year)").select_option(str(year))
    form.get_by_role("button", name="Compile the report").click(timeout=COMPILE_TIMEOUT)
    expect(page.get_by_role("heading", name=f"Evaluation report {year}")).to_be_visible()
    assert page.get_by_test_id("job-status").inner_text() == "Succeeded"
    with page.expect_download() as info:
        page.get_by_test_id("download-pdf").click()
    pdf = tmp_path / "report.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
