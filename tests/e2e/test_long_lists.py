"""Long lists in the browser: the overview shows the first overdue reports and walks to
all of them a page at a time, the dashboard's count leads to the same list, and the
annual programme's activities narrow to a priority or a format."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def _late_reports_of_2018() -> int:
    """The demo's 2015–2018 programme made current again (its late reports are then
    overdue, not history), and its 2018 reports removed: how many activities run in
    2018 (each is then overdue once or twice)."""
    from activities.models import Activity
    from evaluation.models import ProgressReport
    from programme.models import WorkProgramme

    WorkProgramme.objects.filter(first_year=2015).update(last_year=dt.date.today().year)
    ProgressReport.objects.filter(period__startswith="2018-").delete()
    running = (
        Activity.objects.filter(work_programme__first_year=2015)
        .running_in(2018)
        .exclude(status="cancelled")
        .count()
    )
    assert running > 10, "the demo has activities running in 2018"
    return running


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def test_the_overview_shows_the_first_overdue_reports_and_walks_to_them_all(
    page, live_server, demo
):
    running = _late_reports_of_2018()
    base = live_server.url
    login(page, base, "secretariat")
    page.goto(f"{base}/en/evaluation/?year=2018")
    overdue = _number(page.get_by_test_id("figure-overdue").inner_text())
    # Each activity is overdue for the half-years of 2018 it runs in; more than the 20 shown.
    assert running <= overdue <= 2 * running and overdue > 20
    expect(page.get_by_test_id("overdue-table").locator("tbody tr")).to_have_count(20)

    page.get_by_test_id("overdue-see-all").click()
    page.wait_for_url(re.compile(r"/evaluation/progress-reports/\?show=overdue&year=2018"))
    expect(page.get_by_test_id("todo-count")).to_have_text(f"{overdue} reports in all.")
    rows = page.get_by_test_id("todo-row")
    expect(rows).to_have_count(min(overdue, 50))
    expect(rows.first.locator("td").first).to_have_text("2018-H1")
    if overdue > 50:
        page.get_by_role("link", name="Next").click()
        expect(rows).to_have_count(min(overdue - 50, 50))
        expect(page.get_by_text("Page 2 of")).to_be_visible()


def test_the_dashboards_overdue_count_leads_to_the_list_a_page_at_a_time(page, live_server, demo):
    _late_reports_of_2018()
    base = live_server.url
    login(page, base, "secretariat")
    card = page.get_by_role("link", name="Progress reports overdue")
    expect(card).to_be_visible()
    count = _number(
        card.locator("xpath=ancestor::div[contains(@class,'card-body')]")
        .locator(".count")
        .inner_text()
    )
    assert count > 0
    card.click()
    page.wait_for_url(re.compile(r"/evaluation/progress-reports/\?show=overdue"))
    expect(page.get_by_test_id("todo-count")).to_contain_text(f"{count:,} report")
    expect(page.get_by_test_id("todo-row")).to_have_count(min(count, 50))


def test_a_visitor_narrows_the_annual_programme_to_a_priority_then_a_format(
    page, live_server, demo
):
    base = live_server.url
    page.goto(f"{base}/en/annual-programmes/2016/")
    entries = page.get_by_test_id("entry")
    every = entries.count()
    assert every > 1

    page.get_by_label("Thematic priority").select_option(value="3.1")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url(re.compile(r"priority=3\.1"))
    narrowed = entries.count()
    assert 0 < narrowed <= every
    expect(page.get_by_test_id("entries-summary")).to_contain_text(f"of {every},")
    for i in range(narrowed):
        expect(entries.nth(i).locator("td").nth(2)).to_contain_text("3.1")
    # Each activity is listed once, whatever the number of its priorities.
    references = entries.locator("td:first-child a").all_inner_texts()
    assert len(references) == len(set(references))

    # The totals' table links to a format's activities.
    by_format = page.get_by_test_id("totals-by-format").locator("tbody tr").first
    key = by_format.get_attribute("data-group")
    in_format = _number(by_format.locator("td").first.inner_text())
    by_format.get_by_role("link").click()
    page.wait_for_url(re.compile(r"format="))
    expect(entries).to_have_count(in_format)
    label = "time-limited" if key == "~" else key
    for i in range(in_format):
        expect(entries.nth(i).locator("td").nth(3)).to_contain_text(label)

    page.get_by_test_id("entries-all").click()
    expect(entries).to_have_count(every)


def _fill_2016_past_one_page() -> int:
    """Activities added to the demo's adopted 2016 programme until it holds a page and
    a half (50 a page): how many entries it then has."""
    from django.db import transaction

    from activities.models import AnnualProgramme
    from activities.selectors import ENTRIES_PER_PAGE
    from tests.activities.factories import ActivityFactory, AnnualProgrammeEntryFactory

    ap = AnnualProgramme.objects.get(year=2016)
    priority = ap.work_programme.priorities.get(number="3.2")
    with transaction.atomic():  # references are numbered under a row lock
        while ap.entries.count() < ENTRIES_PER_PAGE + 20:
            activity = ActivityFactory(
                work_programme=ap.work_programme,
                lead_member_state=None,
                adoption_route="annual",
                thematic_priorities=[priority],
            )
            AnnualProgrammeEntryFactory(annual_programme=ap, activity=activity)
    return ap.entries.count()


def test_a_visitor_walks_the_annual_programme_a_page_at_a_time_under_its_totals(
    page, live_server, demo
):
    total = _fill_2016_past_one_page()
    base = live_server.url
    page.goto(f"{base}/en/annual-programmes/2016/")
    totals = page.get_by_test_id("totals")
    expect(totals).to_be_visible()
    expect(totals).to_contain_text("Total of the entries")
    expect(totals).to_contain_text("Budget ceiling")
    summary = page.get_by_test_id("entries-summary")
    expect(summary).to_contain_text(f"{total} activities of {total}")
    entries = page.get_by_test_id("entry")
    expect(entries).to_have_count(50)
    first_page = entries.locator("td:first-child a").all_inner_texts()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    grand_total = totals.locator(".fs-3").first.inner_text()

    page.get_by_role("link", name="Next").click()
    page.wait_for_url(re.compile(r"page=2"))
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(entries).to_have_count(total - 50)
    second_page = entries.locator("td:first-child a").all_inner_texts()
    assert not set(first_page) & set(second_page)
    assert sorted(first_page + second_page) == first_page + second_page  # by reference
    # The totals are the whole programme's on every page.
    expect(totals.locator(".fs-3").first).to_have_text(grand_total)
    expect(summary).to_contain_text(f"{total} activities of {total}")
    by_priority = page.get_by_test_id("totals-by-priority").locator('tr[data-group="3.2"]')
    assert _number(by_priority.locator("td").first.inner_text()) >= 70 - 50

    page.get_by_role("link", name="Previous").click()
    page.wait_for_url(re.compile(r"page=1"))
    expect(entries).to_have_count(50)
