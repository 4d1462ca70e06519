"""The Secretariat brings past activities in from a spreadsheet, as a new user would:
from the back office to the import page, the template downloaded, 50 rows filled
(some wrong), the dry run naming each wrong row and column, the file corrected and
imported, imported again without a change, and the activities in the list, the
annual programme and the API."""

import json
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from activities.models import Activity
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

COUNT = 50
WRONG = {  # row in the sheet (header is row 1): (column, the cell, what the page says)
    4: ("Lead member state", "XX", "Unknown member state XX"),
    9: ("Thematic priorities *", "3.9", "Priority 3.9 is not in the programme"),
    15: ("End *", "2017-06-30", "The end date is before the start date."),
    22: ("Reference *", "PG-2018-502", "Duplicate PG-2018-502: already on row 3."),
    30: ("Planned budget (EUR)", "a lot", "a lot is not a number."),
}
# The column as the page names it: the file's own header.
FIELDS = {
    4: "Lead member state",
    9: "Thematic priorities",
    15: "End",
    22: "Reference",
    30: "Planned budget (EUR)",
}


def _fill(path, *, wrong: bool) -> None:
    """The downloaded template, filled as the Secretariat would, in French-style
    numbers and day-first dates."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    for n in range(1, COUNT + 1):
        row_number = n + 1
        values = {
            "Reference *": f"PG-2018-{500 + n}",
            "Title *": f"Imported workshop {n} on prison health",
            "Thematic priorities *": "3.1; 3.2",
            "Lead member state": "FR",
            "Participating states": "DE; ES",
            "Start *": "01/02/2018",
            "End *": "30/11/2018",
            "Status": "ongoing",
            "Planned budget (EUR)": f"{1000 + n},50",
            "Human-rights considerations": "Access to care in detention.",
            "Gender considerations": "Women in prison.",
        }
        if wrong and row_number in WRONG:
            column, cell, _message = WRONG[row_number]
            values[column] = cell
        for column, value in values.items():
            sheet.cell(row=row_number, column=headers.index(column) + 1, value=value)
    book.save(path)


def _check(page, path, kind: str = "Activities") -> None:
    page.get_by_label("What the file holds").select_option(label=kind)
    page.get_by_label("Spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url(re.compile(r".*/records/import/[0-9a-f-]{36}/$"))


def _count(page, action: str) -> str:
    return page.get_by_test_id("import-counts").locator(f"[data-count={action}]").inner_text()


def test_secretariat_imports_past_activities_from_the_template(
    page, live_server, demo, check_page, tmp_path
):
    base = live_server.url
    login(page, base, "secretariat")
    page.get_by_role("link", name="Back office").click()
    page.get_by_role("link", name="Imports", exact=True).first.click()
    page.get_by_role("link", name="Import past records").click()
    page.wait_for_url(f"{base}/en/records/import/")
    check_page(page, "import-start")

    with page.expect_download() as info:
        page.get_by_role("link", name="Activities template (English)").click()
    path = tmp_path / "past-activities.xlsx"
    info.value.save_as(path)

    # 1. Fifty rows, five of them wrong: the dry run names each row and column.
    _fill(path, wrong=True)
    _check(page, path)
    expect(page.get_by_test_id("import-status")).to_contain_text("5 rows are refused")
    refused = page.get_by_test_id("refused-rows").locator("tbody tr")
    expect(refused).to_have_count(5)
    for row_number, (_column, _cell, message) in WRONG.items():
        line = refused.filter(has=page.locator("th", has_text=re.compile(rf"^{row_number}$")))
        expect(line).to_contain_text(FIELDS[row_number])
        expect(line).to_contain_text(message)
    expect(page.get_by_role("button", name="Import now")).to_have_count(0)
    check_page(page, "import-refused")
    assert not Activity.objects.filter(reference__startswith="PG-2018-5").exists()

    # 2. Corrected, checked, imported.
    page.get_by_role("link", name="Upload another file").click()
    _fill(path, wrong=False)
    _check(page, path)
    assert _count(page, "created") == str(COUNT) and _count(page, "refused") == "0"
    check_page(page, "import-dry-run")
    page.get_by_role("button", name="Import now").click()
    expect(page.get_by_test_id("import-status")).to_contain_text("Imported")
    assert Activity.objects.filter(reference__startswith="PG-2018-5").count() == COUNT

    # 3. The same file again: every row unchanged, nothing changes.
    before = list(Activity.objects.filter(reference__startswith="PG-2018-5").values())
    page.get_by_role("link", name="Upload another file").click()
    _check(page, path)
    assert _count(page, "unchanged") == str(COUNT)
    assert _count(page, "created") == "0" and _count(page, "updated") == "0"
    page.get_by_role("button", name="Import now").click()
    expect(page.get_by_test_id("import-status")).to_contain_text("Imported")
    assert list(Activity.objects.filter(reference__startswith="PG-2018-5").values()) == before

    # 4. Their entries in the 2018 annual programme, from the entries' template.
    page.get_by_role("link", name="Upload another file").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Annual-programme entries template (French)").click()
    entries = tmp_path / "entrees-2018.xlsx"
    info.value.save_as(entries)
    book = load_workbook(entries)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:2] == ["Année *", "Référence de l'activité *"]
    for n in range(1, COUNT + 1):
        sheet.append([2018, f"PG-2018-{500 + n}", ""])
    book.save(entries)
    page.get_by_label("What the file holds").select_option(label="Annual-programme entries")
    page.get_by_label("Spreadsheet").set_input_files(str(entries))
    page.get_by_role("button", name="Check the file").click()
    assert _count(page, "created") == str(COUNT)
    page.get_by_role("button", name="Import now").click()
    expect(page.get_by_test_id("import-status")).to_contain_text("Imported")

    # 5. In the activities list, the annual programme and the API.
    page.goto(f"{base}/en/activities/")
    page.get_by_label("Search", exact=True).fill("Imported workshop 17")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_test_id("activity-table")).to_contain_text("PG-2018-517")
    page.goto(f"{base}/en/annual-programmes/2018/")
    # The entries come 50 a page by reference: the imported ones after the demo's.
    entries = page.get_by_test_id("entry")
    expect(entries.first).to_be_visible()
    number = 1
    while "PG-2018-542" not in entries.locator("td:first-child a").all_inner_texts():
        number += 1
        page.get_by_role("link", name="Next").click()
        expect(page.get_by_text(f"Page {number} of")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Imported workshop 42 on prison health")
    page.goto(f"{base}/api/v1/activities/?search=Imported+workshop&page_size=100")
    body = json.loads(page.locator("body").inner_text())
    assert body["count"] == COUNT
