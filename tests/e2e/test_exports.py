"""A long list exported from the activities page: the export link asks, the person
confirms, a job writes the file, its page follows the progress and hands over the
file. The limit is lowered to a few rows so the demo's list takes the job's path;
tasks run in process in the tests, so the job is done when its page comes back."""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_the_secretariat_exports_a_long_filtered_list_through_a_job(
    page, live_server, demo, media, settings, tmp_path, check_page
):
    settings.EXPORT_SYNC_MAX_ROWS = 3
    base = live_server.url
    login(page, base, "secretariat")
    page.get_by_role("link", name="Activities", exact=True).click()
    page.get_by_label("Year").fill("2016")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/en/activities/?*year=2016*")
    references = (
        page.get_by_test_id("activity-table").locator("tbody tr td:nth-child(1)").all_inner_texts()
    )
    assert len(references) > 3, "the demo's 2016 list should be longer than the limit"

    page.get_by_test_id("export-csv").click()
    # The long list asks before a worker writes it.
    expect(page.get_by_role("heading", name="Export of activities")).to_be_visible()
    expect(page.get_by_text(f"The list holds {len(references)} activities")).to_be_visible()
    check_page(page, "export-confirm")
    page.get_by_role("button", name="Write the export").click()
    page.wait_for_url("**/en/activities/exports/*/")
    expect(page.get_by_role("heading", name="Export of activities")).to_be_visible()
    expect(page.get_by_test_id("export-job-status")).to_have_text("Succeeded")
    expect(page.get_by_role("progressbar", name="Progress of the export")).to_have_attribute(
        "aria-valuenow", "100"
    )
    check_page(page, "export-job")

    link = page.get_by_test_id("export-download")
    expect(link).to_have_text("activities-2016.csv")
    with page.expect_download() as info:
        link.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == "activities-2016.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0][:2] == ["Reference", "Title"]
    # The file holds the filtered list, in the list's order (the page shows the first 50).
    assert [row[0] for row in rows[1 : len(references) + 1]] == [r.strip() for r in references]

    # Back to the list, with its filters.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Activities").click()
    page.wait_for_url("**/en/activities/?*year=2016*")
