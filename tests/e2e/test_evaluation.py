"""The evaluation in the browser: the lead state's PC files a progress report, and a
Bureau member sees it on the overview (the RAG chart drawn, and its table updated)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def _rag_counts(page) -> dict[str, int]:
    table = page.get_by_test_id("chart-rag-table")
    rows = table.locator("tbody tr")
    counts = {}
    for i in range(rows.count()):
        cells = rows.nth(i).locator("th, td").all_inner_texts()
        counts[cells[0].strip()] = int(cells[1].replace("\u202f", "").replace(",", ""))
    return counts


def test_the_lead_pc_files_a_report_and_the_bureau_sees_it_on_the_overview(page, live_server, demo):
    from activities.models import Activity
    from evaluation.models import ProgressReport

    base = live_server.url
    # An ongoing 2018 activity that France leads, its 2018-H2 report not filed yet.
    activity = (
        Activity.objects.filter(
            status="ongoing", lead_member_state__code="FR", start_date__year=2018
        )
        .order_by("reference")
        .first()
    )
    assert activity is not None, "the demo data has ongoing French-led activities in 2018"
    ProgressReport.objects.filter(activity=activity, period="2018-H2").delete()
    latest = (
        ProgressReport.objects.filter(activity=activity, period__startswith="2018-")
        .order_by("-period")
        .values_list("status", flat=True)
        .first()
    )
    labels = {"on_track": "On track", "at_risk": "At risk", "off_track": "Off track"}
    before_label = labels.get(latest, "No report")
    filed = "at_risk" if latest == "off_track" else "off_track"

    # The Bureau's view before.
    login(page, base, "bureau_chair")
    page.goto(f"{base}/en/evaluation/?year=2018")
    page.get_by_test_id("chart-rag-details").locator("summary").click()
    before = _rag_counts(page)
    page.context.clear_cookies()

    # France's PC files the 2018-H2 report from the activity's evaluation tab.
    login(page, base, "pc_fr")
    page.goto(f"{base}/en/evaluation/activities/{activity.reference}/")
    expect(page.get_by_role("heading", name="Progress reports")).to_be_visible()
    form = page.get_by_test_id("report-form")
    form.locator("summary").click()
    form.get_by_label("Period").select_option("2018-H2")
    form.get_by_label("Status").select_option(filed)
    form.get_by_label("Percent complete").fill("80")
    form.get_by_label("Narrative").fill("The second meeting was postponed to January.")
    form.get_by_label("Budget spent to date (EUR)").fill("12000")
    form.get_by_role("button", name="File the report").click()
    page.wait_for_url(f"**/en/evaluation/activities/{activity.reference}/#reports")
    assert "Progress report 2018-H2 filed." in page.locator("main").inner_text()
    row = page.get_by_test_id("reports-table").locator("tbody tr", has_text="2018-H2")
    assert labels[filed] in row.inner_text() and "80 %" in row.inner_text()
    page.context.clear_cookies()

    # The Bureau member sees it on the overview of 2018: chart drawn, table updated.
    login(page, base, "bureau_chair")
    page.goto(f"{base}/en/evaluation/?year=2018")
    canvas = page.locator("canvas#chart-rag")
    assert canvas.get_attribute("role") == "img"
    page.wait_for_selector("canvas#chart-rag[data-drawn]")  # Chart.js from static/vendor
    assert labels[filed] in canvas.get_attribute("aria-label")
    page.get_by_test_id("chart-rag-details").locator("summary").click()
    after = _rag_counts(page)
    assert after[labels[filed]] == before[labels[filed]] + 1
    assert after[before_label] == before[before_label] - 1
    assert sum(after.values()) == sum(before.values())


def _sideways(page) -> int:
    """How far the whole page scrolls sideways (0: it fits the screen)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_on_a_phone_the_reports_table_fits_and_a_tap_opens_the_whole_report(
    page, live_server, demo
):
    from evaluation.models import ProgressReport

    base = live_server.url
    report = (
        ProgressReport.objects.exclude(narrative="")
        .select_related("activity")
        .order_by("-period", "activity__reference")
        .first()
    )
    assert report is not None, "the demo data has progress reports with a narrative"
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, base, "secretariat")
    page.goto(f"{base}/en/activities/{report.activity.reference}/")
    page.locator("main").get_by_role("link", name="Evaluation", exact=True).click()
    page.wait_for_url(f"**/en/evaluation/activities/{report.activity.reference}/")
    table = page.get_by_test_id("reports-table")
    expect(table).to_be_visible()
    # The page does not scroll sideways (a screen-reader-only text in the table's
    # actions used to widen it), and the table keeps to the columns a phone shows.
    assert _sideways(page) == 0
    headers = table.locator("thead th")
    shown = [
        headers.nth(i).inner_text() for i in range(headers.count()) if headers.nth(i).is_visible()
    ]
    assert shown[:3] == ["Period", "Status", "Complete"] and "Narrative" not in shown
    scroll, client = page.evaluate(
        "(() => { const w = document.querySelector('[data-testid=reports-table]').parentElement;"
        " return [w.scrollWidth, w.clientWidth]; })()"
    )
    assert scroll <= client
    # The narrative, not in the table on a phone, is on the report's page.
    table.get_by_role("link", name=report.period, exact=True).first.click()
    page.wait_for_url(f"**/en/evaluation/progress-reports/{report.pk}/")
    assert report.narrative.splitlines()[0] in page.locator("main").inner_text()
    assert _sideways(page) == 0
    # On a wide screen the table shows the narrative itself.
    page.go_back()
    page.set_viewport_size({"width": 1366, "height": 900})
    expect(
        page.get_by_test_id("reports-table").get_by_role("columnheader", name="Narrative")
    ).to_be_visible()
