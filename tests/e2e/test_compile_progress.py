"""The Secretariat follows a long compilation on the programme's page, against the
portal as it runs in production (gunicorn, DEBUG off, a Celery worker): the bar
moves while the worker prints the PDF, not only at the builder's fixed points
(10 and 35 % for the English files, 60 and 85 % for the French), and the files are
offered once it ends."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.xdist_group("celery-broker")]

FIXED_POINTS = {0, 1, 10, 35, 47, 50, 60, 85, 97, 100}


def _a_long_year(size: int = 300) -> None:
    """The demo's 2016 programme with ``size`` more entries: set up, not a step."""
    from activities.models import Activity, AnnualProgramme, AnnualProgrammeEntry

    ap = AnnualProgramme.objects.get(year=2016)
    priority = ap.work_programme.priorities.get(number="3.3")
    template = Activity.objects.filter(work_programme=ap.work_programme).first()
    Activity.objects.bulk_create(
        Activity(
            work_programme=ap.work_programme,
            reference=f"PG-2016-{900 + n:04d}",
            title=f"Regional seminar on drug policy number {n}",
            start_date=template.start_date,
            end_date=template.end_date,
            planned_budget=Decimal("1000"),
        )
        for n in range(size)
    )
    created = Activity.objects.filter(reference__gte="PG-2016-0900", reference__lt="PG-2016-9999")
    created = created.filter(title__startswith="Regional seminar on drug policy number")
    Activity.thematic_priorities.through.objects.bulk_create(
        Activity.thematic_priorities.through(activity_id=a.pk, thematicpriority_id=priority.pk)
        for a in created
    )
    AnnualProgrammeEntry.objects.bulk_create(
        AnnualProgrammeEntry(annual_programme=ap, activity=a, budget=Decimal("1000"))
        for a in created
    )


def test_the_bar_moves_while_the_worker_prints_the_pdf(stack, browser):
    processes, broker, _mail = stack
    _a_long_year()
    broker.up()  # the stack starts with the queue down
    base = processes.web()
    processes.worker()

    page = browser.new_context(locale="en-GB").new_page()
    login(page, base, "secretariat")
    page.goto(f"{base}/en/annual-programmes/2016/")
    page.get_by_role("button", name="Compile as PDF and Word").click()
    running = page.get_by_test_id("running-job")
    expect(running).to_be_visible()
    bar = running.get_by_role("progressbar", name="Progress of the compilation")

    # The section is polled every second: read the bar until the files are offered.
    seen: list[int] = []
    latest = page.get_by_test_id("latest-document")
    for _ in range(600):
        if latest.count():
            break
        if bar.count():
            value = bar.get_attribute("aria-valuenow", timeout=2000)
            if value is not None and (not seen or int(value) != seen[-1]):
                seen.append(int(value))
        page.wait_for_timeout(200)
    expect(latest).to_be_visible()
    assert seen == sorted(seen), seen
    assert set(seen) - FIXED_POINTS, f"the bar only showed {seen}"
    assert re.match(r"P-PG \(\d{4}\) \d+", latest.get_by_test_id("latest-reference").inner_text())
    expect(latest.get_by_test_id("latest-pdf")).to_be_visible()
