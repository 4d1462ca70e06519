"""The Secretariat follows a long compilation on the programme's page, against the
portal as it runs in production (gunicorn, DEBUG off, a Celery worker): the bar
moves while the worker prints the PDF, not only at the builder's fixed points
(10 and 35 % for the English files, 60 and 85 % for the French), and the files are
offered once it ends."""

import re

import pytest
from playwright.sync_api import expect

from activities.models import AnnualProgramme
from tests.activities.factories import add_seminars
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.xdist_group("celery-broker")]

FIXED_POINTS = {0, 1, 10, 35, 47, 50, 60, 85, 97, 100}


def test_the_bar_moves_while_the_worker_prints_the_pdf(stack, browser):
    processes, broker, _mail = stack
    # Set up, not a step: the demo's 2016 programme with 300 more entries.
    add_seminars(AnnualProgramme.objects.get(year=2016), 300, first=900)
    broker.up()  # the stack starts with the queue down
    base = processes.web()
    processes.worker()

    page = browser.new_context(locale="en-GB").new_page()
    login(page, base, "secretariat")
    page.goto(f"{base}/en/annual-programmes/2016/")
    page.get_by_role("button", name="Compile as PDF and Word").click()
    running = page.get_by_test_id("running-job")
    expect(running).to_be_visible()
    expect(running.get_by_role("progressbar", name="Progress of the compilation")).to_be_visible()

    # The section is polled every second: read the bar until the files are offered.
    seen: list[int] = []
    latest = page.get_by_test_id("latest-document")
    for _ in range(600):
        if latest.count():
            break
        # Read in one step: the poll may swap the section (the bar gone with the job
        # done) between finding the bar and reading it.
        value = page.evaluate(
            "() => document.querySelector('[data-testid=running-job] [role=progressbar]')"
            "?.getAttribute('aria-valuenow') ?? null"
        )
        if value is not None and (not seen or int(value) != seen[-1]):
            seen.append(int(value))
        page.wait_for_timeout(200)
    expect(latest).to_be_visible()
    assert seen == sorted(seen), seen
    assert set(seen) - FIXED_POINTS, f"the bar only showed {seen}"
    assert re.match(r"P-PG \(\d{4}\) \d+", latest.get_by_test_id("latest-reference").inner_text())
    expect(latest.get_by_test_id("latest-pdf")).to_be_visible()
