"""The Secretariat brings past proposals in with their decisions, through the pages
only: the activities they became imported first, the proposals template downloaded,
filled with some wrong rows, the dry run naming each, the file corrected and
imported, imported again without a change, and the proposals in the proposals list
with their decisions."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from proposals.models import Decision, Proposal
from tests.e2e.conftest import login
from tests.e2e.test_import import _check, _count
from tests.records.sheets import ACTIVITY_HEADERS, activity_row, csv_bytes

pytestmark = pytest.mark.e2e

COUNT = 8  # PR-2016-0901 … 0908
WRONG = {  # row in the sheet (header is row 1): (column, the cell, what the page says)
    3: ("Proposing member state *", "XX", "Unknown member state XX"),
    4: ("Thematic priorities *", "3.9", "Priority 3.9 is not in the programme"),
    5: ("Estimated cost (EUR)", "a lot", "a lot is not a number."),
    6: ("Decision *", "approved", "approved is not one of: adopted, rejected"),
    7: ("Decision date", "01/12/2015", "is before the submission (2016-01-15)"),
    9: ("Reference *", "PR-2016-0901", "Duplicate PR-2016-0901: already on row 2."),
}
FIELDS = {
    3: "Proposing member state",
    4: "Thematic priorities",
    5: "Estimated cost (EUR)",
    6: "Decision",
    7: "Decision date",
    9: "Reference",
}
OUTCOMES = ("adopted", "rejected", "deferred", "withdrawn")


def _fill(path, *, wrong: bool) -> None:
    """The downloaded template, filled with day-first dates and decimal commas."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    for n in range(1, COUNT + 1):
        row_number = n + 1
        outcome = OUTCOMES[(n - 1) % 4]
        values = {
            "Reference *": f"PR-2016-{900 + n:04d}",
            "Title *": f"Imported proposal {n} on drug policy",
            "Proposing member state *": "FR",
            "Supporting states": "DE",
            "Route": "annual",
            "Year": 2016,
            "Thematic priorities *": "3.1; 3.2",
            "Start": "01/03/2016",
            "End": "30/11/2016",
            "Estimated cost (EUR)": f"{2000 + n},50",
            "Purpose": "Exchange of practice.",
            "Submitted *": "15/01/2016",
            "Decision *": outcome,
            "Decision date": "" if outcome == "withdrawn" else "20/02/2016",
            "Rationale": "" if outcome == "withdrawn" else f"Rationale of decision {n}.",
            "Activity reference": f"PG-2016-{900 + n}" if outcome == "adopted" else "",
        }
        if wrong and row_number in WRONG:
            column, cell, _message = WRONG[row_number]
            values[column] = cell
        for column, value in values.items():
            sheet.cell(row=row_number, column=headers.index(column) + 1, value=value)
    book.save(path)


def _imported():
    return list(Proposal.objects.filter(reference__startswith="PR-2016-09").order_by("pk").values())


def test_secretariat_imports_past_proposals_with_their_decisions(
    page, live_server, demo, check_page, tmp_path
):
    base = live_server.url
    login(page, base, "secretariat")
    page.get_by_role("link", name="Back office").click()
    page.get_by_role("link", name="Imports", exact=True).first.click()
    page.get_by_role("link", name="Import past records").click()
    page.wait_for_url(f"{base}/en/records/import/")

    # 0. The activities the adopted proposals became come first.
    activities = tmp_path / "activities.csv"
    activities.write_bytes(
        csv_bytes(
            ACTIVITY_HEADERS,
            [activity_row(n, Reference=f"PG-2016-{n}") for n in range(901, 901 + COUNT)],
        )
    )
    _check(page, activities, "Activities")
    assert _count(page, "created") == str(COUNT)
    page.get_by_role("button", name="Import now").click()
    expect(page.get_by_test_id("import-status")).to_contain_text("Imported")

    # 1. The template; six rows wrong: the dry run names each row and column.
    page.get_by_role("link", name="Upload another file").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Proposals with their decisions template (English)").click()
    path = tmp_path / "past-proposals.xlsx"
    info.value.save_as(path)
    _fill(path, wrong=True)
    _check(page, path, "Proposals with their decisions")
    expect(page.get_by_test_id("import-status")).to_contain_text("6 rows are refused")
    refused = page.get_by_test_id("refused-rows").locator("tbody tr")
    expect(refused).to_have_count(6)
    for row_number, (_column, _cell, message) in WRONG.items():
        line = refused.filter(has=page.locator("th", has_text=re.compile(rf"^{row_number}$")))
        expect(line).to_contain_text(FIELDS[row_number])
        expect(line).to_contain_text(message)
    expect(page.get_by_role("button", name="Import now")).to_have_count(0)
    check_page(page, "import-proposals-refused")
    assert _imported() == []

    # 2. Corrected, checked, imported.
    page.get_by_role("link", name="Upload another file").click()
    _fill(path, wrong=False)
    _check(page, path, "Proposals with their decisions")
    assert _count(page, "created") == str(COUNT) and _count(page, "refused") == "0"
    check_page(page, "import-proposals-dry-run")
    page.get_by_role("button", name="Import now").click()
    expect(page.get_by_test_id("import-status")).to_contain_text("Imported")
    assert len(_imported()) == COUNT

    # 3. The same file again: every row unchanged, nothing changes.
    before = _imported()
    decisions = Decision.objects.filter(proposal__reference__startswith="PR-2016-09").count()
    page.get_by_role("link", name="Upload another file").click()
    _check(page, path, "Proposals with their decisions")
    assert _count(page, "unchanged") == str(COUNT)
    assert _count(page, "created") == "0" and _count(page, "updated") == "0"
    page.get_by_role("button", name="Import now").click()
    expect(page.get_by_test_id("import-status")).to_contain_text("Imported")
    assert _imported() == before
    assert Decision.objects.filter(proposal__reference__startswith="PR-2016-09").count() == (
        decisions
    )

    # 4. In the proposals list with their decisions, and on the proposal's page.
    page.goto(f"{base}/en/proposals/")
    page.get_by_label("Search", exact=True).fill("Imported proposal")
    page.get_by_role("button", name="Apply").click()
    table = page.get_by_test_id("proposal-table")
    expect(table.locator("tbody tr")).to_have_count(COUNT)
    for n, status in ((1, "Adopted"), (2, "Rejected"), (3, "Deferred"), (4, "Withdrawn")):
        row = table.locator("tbody tr", has_text=f"PR-2016-{900 + n:04d}")
        expect(row).to_contain_text(status)
    check_page(page, "import-proposals-list")
    table.get_by_role("link", name="PR-2016-0905").click()
    decisions_list = page.get_by_test_id("decisions")
    expect(decisions_list).to_contain_text("Adopted")
    expect(decisions_list).to_contain_text("Rationale of decision 5.")
    expect(page.get_by_test_id("activity-link")).to_contain_text("PG-2016-905")
    check_page(page, "import-proposals-detail")
